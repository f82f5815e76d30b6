package mlx

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckVersion(t *testing.T) {
	for _, ok := range []string{BindingsVersion, BindingsVersion + ".dev20260101", BindingsVersion + "+cuda"} {
		if err := checkVersion(ok); err != nil {
			t.Errorf("checkVersion(%q) = %v, want nil", ok, err)
		}
	}
	t.Setenv("MLX_GO_ALLOW_VERSION_MISMATCH", "")
	for _, bad := range []string{"0.30.0", "0.31.20", "1.0.0", ""} {
		err := checkVersion(bad)
		if !errors.Is(err, ErrVersion) || !strings.Contains(err.Error(), "loaded MLX "+bad+", but these bindings were generated for MLX "+BindingsVersion) {
			t.Errorf("checkVersion(%q) = %v", bad, err)
		}
	}
	t.Setenv("MLX_GO_ALLOW_VERSION_MISMATCH", "1")
	if err := checkVersion("0.30.0"); err != nil {
		t.Errorf("with MLX_GO_ALLOW_VERSION_MISMATCH=1: %v", err)
	}
	if err := Check(); err != nil {
		t.Fatalf("the installed MLX %s does not pass: %v", Version(), err)
	}
}
