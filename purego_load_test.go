//go:build !cgo

package mlx_test

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/mlx-go/mlx"
)

// TestLoadMissingLibrary runs this test binary again with MLX_C_LIBRARY
// naming a file that does not exist: every entry point reports ErrLibrary
// with the path it tried, and nothing panics.
func TestLoadMissingLibrary(t *testing.T) {
	if os.Getenv("MLX_GO_LOAD_CHILD") == "1" {
		a := mlx.Add(mlx.FromSlice([]float32{1}), mlx.FromSlice([]float32{2}))
		err := mlx.Eval(a)
		if !errors.Is(err, mlx.ErrLibrary) || !errors.Is(mlx.Check(), mlx.ErrLibrary) {
			t.Fatalf("Eval: %v; Check: %v; want ErrLibrary", err, mlx.Check())
		}
		os.Stdout.WriteString("CHILD: " + err.Error() + "\n")
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLoadMissingLibrary$", "-test.v")
	cmd.Env = append(os.Environ(), "MLX_GO_LOAD_CHILD=1", "MLX_C_LIBRARY=/nonexistent/libmlxc.so")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	for _, want := range []string{"CHILD: mlx: ", "/nonexistent/libmlxc.so (not found)", "MLX_C_LIBRARY"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("child output lacks %q:\n%s", want, out)
		}
	}
}

// TestSetLibraryPathAfterLoad: once mlx-c is loaded the path cannot change.
func TestSetLibraryPathAfterLoad(t *testing.T) {
	if err := mlx.Check(); err != nil {
		t.Fatal(err)
	}
	if err := mlx.SetLibraryPath("/elsewhere/libmlxc.so"); !errors.Is(err, mlx.ErrInvalidArgument) {
		t.Errorf("SetLibraryPath after load: %v, want ErrInvalidArgument", err)
	}
}
