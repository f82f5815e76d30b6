package tests

import (
	"testing"

	"github.com/mlx-go/mlx"
)

// onCPU makes the CPU the global default device until the test ends, as
// Python MLX users write mx.set_default_device(mx.cpu) for what the GPU
// backend does not run (float64 arrays above all). Where the CPU already is
// the default (no GPU), nothing changes.
func onCPU(t testing.TB) {
	t.Helper()
	prev := mlx.DefaultDevice()
	if prev.Type == mlx.CPU {
		return
	}
	if err := mlx.SetDefaultDevice(mlx.Device{Type: mlx.CPU}); err != nil {
		t.Fatalf("SetDefaultDevice(cpu): %v", err)
	}
	t.Cleanup(func() {
		if err := mlx.SetDefaultDevice(prev); err != nil {
			t.Errorf("restoring the default device %v: %v", prev, err)
		}
	})
}
