package mlx

// Custom kernels: Metal and CUDA source compiled by MLX at run time, like
// Python's mx.fast.metal_kernel and mx.fast.cuda_kernel.

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"unsafe"
)

// KernelSpec defines a custom kernel (NewMetalKernel, NewCUDAKernel), with
// the arguments of Python's mx.fast.metal_kernel and mx.fast.cuda_kernel.
// MLX writes the kernel's signature from the names and the dtypes of the
// arrays it is applied to; Source is the body of the kernel only.
type KernelSpec struct {
	// Name names the kernel; MLX compiles one kernel per name, template
	// arguments and input dtypes.
	Name string
	// InputNames and OutputNames name the kernel's array parameters, in the
	// order of Apply's inputs and KernelConfig.Outputs. At least one output.
	InputNames, OutputNames []string
	// Source is the kernel body; Header is code placed before the kernel
	// (includes, helper functions).
	Source, Header string
	// NonContiguous passes inputs as they are laid out in memory instead of
	// copying them to row-contiguous order first (Python's
	// ensure_row_contiguous=False); the body then indexes them through
	// <name>_shape, <name>_strides and <name>_ndim.
	NonContiguous bool
	// AtomicOutputs (Metal only) declares the outputs as device atomics.
	AtomicOutputs bool
	// SharedMemory (CUDA only) is the kernel's dynamic shared memory, in bytes.
	SharedMemory int
}

// KernelOutput is the shape and dtype of one output of a custom kernel.
type KernelOutput struct {
	Shape []int
	Dtype Dtype
}

// TemplateArg is a compile-time constant of a custom kernel: Value is an
// int (an int constant), a bool (a bool constant) or a Dtype (a type alias
// for the dtype's C type), named Name in the kernel body.
type TemplateArg struct {
	Name  string
	Value any
}

// KernelConfig is one launch of a custom kernel (MetalKernel.Apply,
// CUDAKernel.Apply), with the arguments of calling the kernel in Python.
type KernelConfig struct {
	// Outputs gives the shape and dtype of each output, in the order of
	// KernelSpec.OutputNames.
	Outputs []KernelOutput
	// Grid is the number of threads launched along x, y and z (Metal's
	// dispatchThreads; on CUDA, rounded up to whole thread groups).
	Grid [3]int
	// ThreadGroup is the size of a thread group (CUDA: a block).
	ThreadGroup [3]int
	// TemplateArgs are the kernel's compile-time constants.
	TemplateArgs []TemplateArg
	// InitValue, if set, fills every output before the kernel runs;
	// otherwise outputs start uninitialized.
	InitValue Optional[float32]
	// Verbose prints the generated kernel source when it is built.
	Verbose bool
}

// MetalKernel is a custom Metal kernel, like the function returned by
// Python's mx.fast.metal_kernel. It is safe for use by several goroutines;
// Free releases it.
type MetalKernel struct{ kernel }

// CUDAKernel is a custom CUDA kernel, like the function returned by
// Python's mx.fast.cuda_kernel. It is safe for use by several goroutines;
// Free releases it.
type CUDAKernel struct{ kernel }

const (
	metalBackend = 0
	cudaBackend  = 1
)

// kernel is the handle of a MetalKernel or CUDAKernel; c is nil in a zero
// value and after Free.
type kernel struct {
	mu      sync.RWMutex
	c       unsafe.Pointer // mlx_fast_metal_kernel or mlx_fast_cuda_kernel
	cleanup runtime.Cleanup
}

// NewMetalKernel builds a custom Metal kernel. MLX without a Metal back end
// (Linux) refuses: the error reads "mlx: fast.metal_kernel: [metal_kernel]
// No Metal back-end.". SharedMemory must be 0.
func NewMetalKernel(spec KernelSpec) (*MetalKernel, error) {
	const op = "fast.metal_kernel"
	if spec.SharedMemory != 0 {
		return nil, newError(op, "SharedMemory is for CUDA kernels; Metal kernels declare threadgroup memory in their source", ErrInvalidArgument)
	}
	var flag cint
	if spec.AtomicOutputs {
		flag = 1
	}
	k := &MetalKernel{}
	if err := k.init(op, metalBackend, spec, flag); err != nil {
		return nil, err
	}
	return k, nil
}

// NewCUDAKernel builds a custom CUDA kernel. The body can use
// cooperative_groups (as cg) and MLX's CUDA device utilities; MLX compiles
// it with NVRTC when it first runs. MLX without a CUDA back end refuses: the
// error reads "mlx: fast.cuda_kernel: [cuda_kernel] No CUDA back-end.".
// AtomicOutputs must be false.
func NewCUDAKernel(spec KernelSpec) (*CUDAKernel, error) {
	const op = "fast.cuda_kernel"
	if spec.AtomicOutputs {
		return nil, newError(op, "AtomicOutputs is for Metal kernels", ErrInvalidArgument)
	}
	if spec.SharedMemory < 0 || spec.SharedMemory > math.MaxInt32 {
		return nil, newError(op, fmt.Sprintf("SharedMemory %d is out of range", spec.SharedMemory), ErrInvalidArgument)
	}
	k := &CUDAKernel{}
	if err := k.init(op, cudaBackend, spec, cint(spec.SharedMemory)); err != nil {
		return nil, err
	}
	return k, nil
}

// kernelRef is what a kernel's cleanup releases.
type kernelRef struct {
	backend cint
	c       unsafe.Pointer
}

func (k *kernel) init(op string, backend cint, spec KernelSpec, flag cint) error {
	var cstrs []*cchar
	defer func() {
		for _, p := range cstrs {
			cFree(unsafe.Pointer(p))
		}
	}()
	cstr := func(s string) *cchar {
		p := cString(s)
		cstrs = append(cstrs, p)
		return p
	}
	list := func(names []string) []*cchar {
		out := make([]*cchar, len(names)+1)
		for i, n := range names {
			out[i] = cstr(n)
		}
		return out
	}
	in, out := list(spec.InputNames), list(spec.OutputNames)
	var c unsafe.Pointer
	msg := gomlxKernelNew(backend, cstr(spec.Name), &in[0], csize(len(spec.InputNames)), &out[0],
		csize(len(spec.OutputNames)), cstr(spec.Source), cstr(spec.Header), cbool(!spec.NonContiguous), flag, &c)
	if msg != nil {
		return takeError(op, msg)
	}
	k.c = c
	k.cleanup = runtime.AddCleanup(k, releaseKernel, kernelRef{backend, c})
	return nil
}

func releaseKernel(r kernelRef) { gomlxKernelFree(r.backend, r.c) }

// Apply runs the kernel on inputs (one per input name) with cfg, on the
// default stream, which must be on the GPU. It returns the outputs, computed
// lazily like those of any op: a kernel that fails to compile reports it at
// evaluation.
func (k *MetalKernel) Apply(inputs []*Array, cfg KernelConfig) ([]*Array, error) {
	return k.ApplyOn(nil, inputs, cfg)
}

// ApplyOn is Apply on the given stream or device; nil means the default.
func (k *MetalKernel) ApplyOn(on StreamOrDevice, inputs []*Array, cfg KernelConfig) ([]*Array, error) {
	if k == nil {
		return nil, newError("fast.metal_kernel", "nil MetalKernel", ErrInvalidArgument)
	}
	return k.apply("fast.metal_kernel", metalBackend, on, inputs, cfg)
}

// Free releases the kernel. It is safe to call more than once; Apply after
// Free returns an error wrapping ErrFreed.
func (k *MetalKernel) Free() {
	if k != nil {
		k.free(metalBackend)
	}
}

// Apply runs the kernel on inputs (one per input name) with cfg, on the
// default stream, which must be on the GPU. It returns the outputs, computed
// lazily like those of any op: a kernel that fails to compile reports it at
// evaluation.
func (k *CUDAKernel) Apply(inputs []*Array, cfg KernelConfig) ([]*Array, error) {
	return k.ApplyOn(nil, inputs, cfg)
}

// ApplyOn is Apply on the given stream or device; nil means the default.
func (k *CUDAKernel) ApplyOn(on StreamOrDevice, inputs []*Array, cfg KernelConfig) ([]*Array, error) {
	if k == nil {
		return nil, newError("fast.cuda_kernel", "nil CUDAKernel", ErrInvalidArgument)
	}
	return k.apply("fast.cuda_kernel", cudaBackend, on, inputs, cfg)
}

// Free releases the kernel. It is safe to call more than once; Apply after
// Free returns an error wrapping ErrFreed.
func (k *CUDAKernel) Free() {
	if k != nil {
		k.free(cudaBackend)
	}
}

func (k *kernel) free(backend cint) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.c == nil {
		return
	}
	k.cleanup.Stop()
	gomlxKernelFree(backend, k.c)
	k.c = nil
}

func (k *kernel) apply(op string, backend cint, on StreamOrDevice, inputs []*Array, cfg KernelConfig) ([]*Array, error) {
	var err error
	t := targetArg(op, on, &err)
	in, nin := arraysArg(op, inputs, &err)
	if err != nil {
		return nil, err
	}
	// Outputs: shapes flattened, with each one's number of dimensions.
	var shapes, ndims, dtypes []cint
	for i, o := range cfg.Outputs {
		for _, d := range o.Shape {
			if d < 0 || d > math.MaxInt32 {
				return nil, newError(op, fmt.Sprintf("output %d: shape %v: dimension %d out of range", i, o.Shape, d), ErrInvalidArgument)
			}
			shapes = append(shapes, cint(d))
		}
		ndims = append(ndims, cint(len(o.Shape)))
		dtypes = append(dtypes, cint(dtypeArg(op, o.Dtype, &err)))
		if err != nil {
			return nil, err
		}
	}
	shapes, ndims, dtypes = append(shapes, 0), append(ndims, 0), append(dtypes, 0) // valid &x[0] when empty
	var dims [6]cint
	for i := range 3 {
		for j, v := range [2]int{cfg.Grid[i], cfg.ThreadGroup[i]} {
			if v < 1 || v > math.MaxInt32 {
				return nil, newError(op, fmt.Sprintf("grid %v and thread group %v: every size must be at least 1", cfg.Grid, cfg.ThreadGroup), ErrInvalidArgument)
			}
			dims[3*j+i] = cint(v)
		}
	}
	names := make([]*cchar, len(cfg.TemplateArgs)+1)
	targs := make([]cint, 2*len(cfg.TemplateArgs)+1)
	defer func() {
		for _, p := range names {
			cFree(unsafe.Pointer(p))
		}
	}()
	for i, a := range cfg.TemplateArgs {
		switch v := a.Value.(type) {
		case int:
			if v < math.MinInt32 || v > math.MaxInt32 {
				return nil, newError(op, fmt.Sprintf("template argument %q: %d does not fit in int32", a.Name, v), ErrInvalidArgument)
			}
			targs[2*i], targs[2*i+1] = 0, cint(v)
		case bool:
			targs[2*i] = 1
			if v {
				targs[2*i+1] = 1
			}
		case Dtype:
			targs[2*i], targs[2*i+1] = 2, cint(dtypeArg(op, v, &err))
			if err != nil {
				return nil, err
			}
		default:
			return nil, newError(op, fmt.Sprintf("template argument %q: value of type %T; want int, bool or Dtype", a.Name, a.Value), ErrInvalidArgument)
		}
		names[i] = cString(a.Name)
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	if k.c == nil {
		return nil, newError(op, "kernel used after Free (or not made by its constructor)", ErrFreed)
	}
	var res mlxVectorArray
	msg := gomlxKernelApply(backend, k.c, in, nin, &shapes[0], &ndims[0], &dtypes[0], csize(len(cfg.Outputs)),
		&dims[0], &names[0], &targs[0], csize(len(cfg.TemplateArgs)), cbool(cfg.InitValue.Set),
		cfloat(cfg.InitValue.Value), cbool(cfg.Verbose), t, &res)
	runtime.KeepAlive(inputs)
	r, err := vectorResult(op, msg, &res)
	if err != nil {
		return nil, err
	}
	return r[0], nil
}
