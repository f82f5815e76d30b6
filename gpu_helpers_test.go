package mlx_test

import (
	"testing"

	"github.com/mlx-go/mlx"
)

// hasGPU reports whether this MLX has a GPU backend with a device (a CUDA
// build on an NVIDIA machine, or Metal); MLX's default device is then the GPU.
func hasGPU() bool { return mlx.DeviceCount(mlx.GPU) > 0 }

// onCPU makes the CPU the global default device until the test ends, as
// Python MLX users write mx.set_default_device(mx.cpu) for what the GPU
// backend does not run: float64 arrays, the linalg factorizations, and
// checks that need float32 matmuls without the GPU's TF32 rounding. Where
// the CPU already is the default (no GPU), nothing changes.
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
