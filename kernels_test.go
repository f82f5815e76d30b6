package mlx_test

// Tests of custom kernels (kernels.go). This MLX is built without Metal and
// CUDA: building a kernel fails with MLX's own message, and the checks the
// binding makes before calling MLX are tested on zero-value kernels. The
// CUDA test runs a real kernel where MLX has a CUDA back end and a GPU.

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/mlx-go/mlx"
)

func kernelWantErr(t *testing.T, err error, want string, sentinel error) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %q", want)
	}
	if err.Error() != want {
		t.Errorf("error %q; want %q", err.Error(), want)
	}
	var e *mlx.Error
	if !errors.As(err, &e) {
		t.Errorf("error %T is not an *mlx.Error", err)
	}
	if sentinel != nil && !errors.Is(err, sentinel) {
		t.Errorf("error %q does not wrap %v", err, sentinel)
	}
}

var kernelSpec = mlx.KernelSpec{
	Name:        "myadd",
	InputNames:  []string{"a", "b"},
	OutputNames: []string{"out"},
	Source:      "out[0] = a[0] + b[0];",
}

func TestMetalKernelWithoutMetal(t *testing.T) {
	if ok, err := mlx.MetalIsAvailable(); err != nil || ok {
		t.Skipf("Metal back end present (%v, %v)", ok, err)
	}
	k, err := mlx.NewMetalKernel(kernelSpec)
	kernelWantErr(t, err, "mlx: fast.metal_kernel: [metal_kernel] No Metal back-end.", nil)
	if k != nil {
		t.Errorf("kernel %v returned with the error", k)
	}
	var e *mlx.Error
	if errors.As(err, &e) && e.Op != "fast.metal_kernel" {
		t.Errorf("Op %q", e.Op)
	}
}

func TestCUDAKernelWithoutCUDA(t *testing.T) {
	if ok, err := mlx.CUDAIsAvailable(); err != nil || ok {
		t.Skipf("CUDA back end present (%v, %v)", ok, err)
	}
	k, err := mlx.NewCUDAKernel(kernelSpec)
	kernelWantErr(t, err, "mlx: fast.cuda_kernel: [cuda_kernel] No CUDA back-end.", nil)
	if k != nil {
		t.Errorf("kernel %v returned with the error", k)
	}
}

func TestKernelSpecChecks(t *testing.T) {
	spec := kernelSpec
	spec.SharedMemory = 1024
	_, err := mlx.NewMetalKernel(spec)
	kernelWantErr(t, err, "mlx: fast.metal_kernel: SharedMemory is for CUDA kernels; Metal kernels declare threadgroup memory in their source", mlx.ErrInvalidArgument)

	spec = kernelSpec
	spec.AtomicOutputs = true
	_, err = mlx.NewCUDAKernel(spec)
	kernelWantErr(t, err, "mlx: fast.cuda_kernel: AtomicOutputs is for Metal kernels", mlx.ErrInvalidArgument)

	spec = kernelSpec
	spec.SharedMemory = -1
	_, err = mlx.NewCUDAKernel(spec)
	kernelWantErr(t, err, "mlx: fast.cuda_kernel: SharedMemory -1 is out of range", mlx.ErrInvalidArgument)
}

// A launch is checked before the kernel handle is used, so zero-value
// kernels (which behave as freed ones) exercise the checks here.
func TestKernelConfigChecks(t *testing.T) {
	x := mlx.FromSlice([]float32{1, 2}, 2)
	good := mlx.KernelConfig{
		Outputs:      []mlx.KernelOutput{{Shape: []int{2}, Dtype: mlx.Float32}},
		Grid:         [3]int{2, 1, 1},
		ThreadGroup:  [3]int{2, 1, 1},
		TemplateArgs: []mlx.TemplateArg{{"N", 2}, {"flag", true}, {"T", mlx.Float32}},
		InitValue:    mlx.Some[float32](0),
	}
	type applier interface {
		Apply([]*mlx.Array, mlx.KernelConfig) ([]*mlx.Array, error)
	}
	for _, c := range []struct {
		op string
		k  applier
	}{{"fast.metal_kernel", &mlx.MetalKernel{}}, {"fast.cuda_kernel", &mlx.CUDAKernel{}}} {
		t.Run(c.op, func(t *testing.T) {
			pre := "mlx: " + c.op + ": "
			_, err := c.k.Apply([]*mlx.Array{x, x}, good)
			kernelWantErr(t, err, pre+"kernel used after Free (or not made by its constructor)", mlx.ErrFreed)

			_, err = c.k.Apply([]*mlx.Array{x, nil}, good)
			kernelWantErr(t, err, pre+"nil array", mlx.ErrNilArray)

			bad := good
			bad.Grid = [3]int{2, 0, 1}
			_, err = c.k.Apply([]*mlx.Array{x, x}, bad)
			kernelWantErr(t, err, pre+"grid [2 0 1] and thread group [2 1 1]: every size must be at least 1", mlx.ErrInvalidArgument)

			bad = good
			bad.ThreadGroup = [3]int{}
			_, err = c.k.Apply([]*mlx.Array{x, x}, bad)
			kernelWantErr(t, err, pre+"grid [2 1 1] and thread group [0 0 0]: every size must be at least 1", mlx.ErrInvalidArgument)

			bad = good
			bad.TemplateArgs = []mlx.TemplateArg{{"scale", 0.5}}
			_, err = c.k.Apply([]*mlx.Array{x, x}, bad)
			kernelWantErr(t, err, pre+`template argument "scale": value of type float64; want int, bool or Dtype`, mlx.ErrInvalidArgument)

			bad = good
			bad.TemplateArgs = []mlx.TemplateArg{{"N", math.MaxInt32 + 1}}
			_, err = c.k.Apply([]*mlx.Array{x, x}, bad)
			kernelWantErr(t, err, pre+`template argument "N": 2147483648 does not fit in int32`, mlx.ErrInvalidArgument)

			bad = good
			bad.TemplateArgs = []mlx.TemplateArg{{"T", mlx.Dtype(99)}}
			_, err = c.k.Apply([]*mlx.Array{x, x}, bad)
			kernelWantErr(t, err, pre+"invalid dtype "+mlx.Dtype(99).String(), mlx.ErrInvalidArgument)

			bad = good
			bad.Outputs = []mlx.KernelOutput{{Shape: []int{2, -3}, Dtype: mlx.Float32}}
			_, err = c.k.Apply([]*mlx.Array{x, x}, bad)
			kernelWantErr(t, err, pre+"output 0: shape [2 -3]: dimension -3 out of range", mlx.ErrInvalidArgument)

			var nilK applier
			switch c.k.(type) {
			case *mlx.MetalKernel:
				nilK = (*mlx.MetalKernel)(nil)
			default:
				nilK = (*mlx.CUDAKernel)(nil)
			}
			_, err = nilK.Apply([]*mlx.Array{x, x}, good)
			if err == nil || !strings.HasSuffix(err.Error(), "Kernel") || !errors.Is(err, mlx.ErrInvalidArgument) {
				t.Errorf("nil kernel: %v", err)
			}
		})
	}
	// Free is safe on zero values, nil and twice.
	(&mlx.MetalKernel{}).Free()
	(*mlx.CUDAKernel)(nil).Free()
	k := &mlx.CUDAKernel{}
	k.Free()
	k.Free()
}

// cudaAvailable reports whether this MLX can run CUDA kernels.
func cudaAvailable(t *testing.T) {
	t.Helper()
	ok, err := mlx.CUDAIsAvailable()
	if err != nil || !ok || mlx.DeviceCount(mlx.GPU) == 0 {
		t.Skipf("no CUDA back end or GPU (CUDAIsAvailable %v, %v; %d GPUs)", ok, err, mlx.DeviceCount(mlx.GPU))
	}
}

// A real CUDA kernel: out = (a + b) * scale with the element type, the size
// and a flag as template arguments, and a second output of which the kernel
// writes only even elements, the rest keeping the init value.
func TestCUDAKernelRuns(t *testing.T) {
	cudaAvailable(t)
	k, err := mlx.NewCUDAKernel(mlx.KernelSpec{
		Name:        "gomlx_add_scale",
		InputNames:  []string{"a", "b"},
		OutputNames: []string{"out", "evens"},
		Source: `
  auto i = cooperative_groups::this_grid().thread_rank();
  if (i < N) {
    T v = a[i] + b[i];
    out[i] = Double ? v * static_cast<T>(2) : v;
    if (i % 2 == 0) evens[i] = a[i];
  }
`,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Free()
	const n = 1000
	av, bv := make([]float32, n), make([]float32, n)
	for i := range av {
		av[i] = float32(i) * 0.5
		bv[i] = float32(n-i) * 0.25
	}
	a, b := mlx.FromSlice(av, n), mlx.FromSlice(bv, n)
	for _, double := range []bool{false, true} {
		outs, err := k.ApplyOn(mlx.GPU, []*mlx.Array{a, b}, mlx.KernelConfig{
			Outputs:      []mlx.KernelOutput{{Shape: []int{n}, Dtype: mlx.Float32}, {Shape: []int{n}, Dtype: mlx.Float32}},
			Grid:         [3]int{n, 1, 1},
			ThreadGroup:  [3]int{256, 1, 1},
			TemplateArgs: []mlx.TemplateArg{{"T", mlx.Float32}, {"N", n}, {"Double", double}},
			InitValue:    mlx.Some[float32](-7),
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(outs) != 2 {
			t.Fatalf("%d outputs", len(outs))
		}
		got, err := mlx.Data[float32](outs[0])
		if err != nil {
			t.Fatal(err)
		}
		evens, err := mlx.Data[float32](outs[1])
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			want := av[i] + bv[i]
			if double {
				want *= 2
			}
			if got[i] != want {
				t.Fatalf("double %v: out[%d] = %v; want %v", double, i, got[i], want)
			}
			wantEven := float32(-7)
			if i%2 == 0 {
				wantEven = av[i]
			}
			if evens[i] != wantEven {
				t.Fatalf("evens[%d] = %v; want %v", i, evens[i], wantEven)
			}
		}
	}

	// MLX's own checks come back as errors.
	cfg := mlx.KernelConfig{
		Outputs:     []mlx.KernelOutput{{Shape: []int{n}, Dtype: mlx.Float32}, {Shape: []int{n}, Dtype: mlx.Float32}},
		Grid:        [3]int{n, 1, 1},
		ThreadGroup: [3]int{256, 1, 1},
	}
	if _, err := k.ApplyOn(mlx.CPU, []*mlx.Array{a, b}, cfg); err == nil || !strings.Contains(err.Error(), "[custom_kernel] Only supports the GPU.") {
		t.Errorf("on the CPU: %v", err)
	}
	if _, err := k.ApplyOn(mlx.GPU, []*mlx.Array{a}, cfg); err == nil ||
		!strings.Contains(err.Error(), "mlx: fast.cuda_kernel: [custom_kernel] Expected `inputs` to have size 2 but got size 1.") {
		t.Errorf("one input: %v", err)
	}
	k.Free()
	k.Free()
	_, err = k.ApplyOn(mlx.GPU, []*mlx.Array{a, b}, cfg)
	kernelWantErr(t, err, "mlx: fast.cuda_kernel: kernel used after Free (or not made by its constructor)", mlx.ErrFreed)
}
