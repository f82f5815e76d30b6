package bench

import (
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/mlx-go/mlx"
)

// onGPU is set by BENCH_DEVICE=gpu, as for the C baseline: every benchmark
// then runs on the GPU's default stream, and the GPU-sized workloads (matmul
// 4096 in float32 and bfloat16, add of 2^26 elements) run too. Otherwise the
// benchmarks run on the CPU, also where MLX's default device is a GPU (a CUDA
// build), so that they measure what the C baseline measures.
var onGPU = os.Getenv("BENCH_DEVICE") == "gpu"

func TestMain(m *testing.M) {
	d := mlx.Device{Type: mlx.CPU}
	if onGPU {
		d = mlx.Device{Type: mlx.GPU}
	}
	if err := mlx.SetDefaultDevice(d); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// BenchmarkMatmulGPU: one op is one 4096 x 4096 matmul, evaluated, in
// float32 (TF32 on NVIDIA GPUs, MLX's default) and bfloat16; GPU only.
func BenchmarkMatmulGPU(b *testing.B) {
	if !onGPU {
		b.Skip("BENCH_DEVICE=gpu runs it")
	}
	const n = 4096
	for _, dt := range []mlx.Dtype{mlx.Float32, mlx.BFloat16} {
		b.Run(fmt.Sprintf("%v/%d", dt, n), func(b *testing.B) {
			x, y := mlx.AsType(randn(n, n), dt), mlx.AsType(randn(n, n), dt)
			if err := mlx.Eval(x, y); err != nil {
				b.Fatal(err)
			}
			timeBinop(b, mlx.Matmul, x, y, 2*float64(n)*float64(n)*float64(n), 1e12, "TFLOP/s")
		})
	}
}

// BenchmarkAddGPU: one op is one elementwise add of two 2^26-element float32
// arrays, evaluated; GB/s counts three arrays of traffic; GPU only.
func BenchmarkAddGPU(b *testing.B) {
	if !onGPU {
		b.Skip("BENCH_DEVICE=gpu runs it")
	}
	const n = 1 << 26
	b.Run("2^26", func(b *testing.B) {
		timeBinop(b, mlx.Add, randn(n), randn(n), 3*4*n, 1e9, "GB/s")
	})
}

// TestMatmulGPUValues checks the GPU benchmarks' matmul against a float64
// product computed here, at a size whose check is cheap: relative Frobenius
// error under 1e-2 (TF32 lands near 3e-4, bfloat16 near 3e-3).
func TestMatmulGPUValues(t *testing.T) {
	if !onGPU {
		t.Skip("BENCH_DEVICE=gpu runs it")
	}
	const n = 256
	a, b := randn(n, n), randn(n, n)
	av, err := mlx.Data[float32](a)
	if err != nil {
		t.Fatal(err)
	}
	bv, err := mlx.Data[float32](b)
	if err != nil {
		t.Fatal(err)
	}
	ref := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for k := 0; k < n; k++ {
			x := float64(av[i*n+k])
			for j := 0; j < n; j++ {
				ref[i*n+j] += x * float64(bv[k*n+j])
			}
		}
	}
	for _, dt := range []mlx.Dtype{mlx.Float32, mlx.BFloat16} {
		c := mlx.AsType(mlx.Matmul(mlx.AsType(a, dt), mlx.AsType(b, dt)), mlx.Float32)
		got, err := mlx.Data[float32](c)
		if err != nil {
			t.Fatal(err)
		}
		var num, den float64
		for i, r := range ref {
			d := float64(got[i]) - r
			num += d * d
			den += r * r
		}
		if rel := num / den; !(rel < 1e-4) { // squared: relative error under 1e-2
			t.Errorf("%v matmul: relative error² %.3g", dt, rel)
		} else {
			t.Logf("%v matmul %dx%d on %v: relative error %.2g", dt, n, n, mlx.DefaultDevice(), math.Sqrt(rel))
		}
	}
}
