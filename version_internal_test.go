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

// TestCPUStreamsUnbound: MLX binds CPU streams to their thread from 0.32 on,
// so only earlier versions may evaluate CPU graphs on callers' threads.
func TestCPUStreamsUnbound(t *testing.T) {
	for v, want := range map[string]bool{
		"0.31.2": true, "0.31.2+cuda": true, "0.30.0": true,
		"0.32.0": false, "0.40.1": false, "1.0.0": false, "unknown": false, "": false,
	} {
		if got := cpuStreamsUnbound(v); got != want {
			t.Errorf("cpuStreamsUnbound(%q) = %v, want %v", v, got, want)
		}
	}
}
