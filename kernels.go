package mlx

// Custom kernels: Metal and CUDA source compiled by MLX at run time, like
// Python's mx.fast.metal_kernel and mx.fast.cuda_kernel.

/*
#include "capi.h"

// targs holds (kind, value) pairs: kind 0 int, 1 bool, 2 dtype.
static int gomlx_metal_kernel_config(mlx_fast_metal_kernel_config c, const int* shapes, const int* ndims,
                                     const int* dtypes, size_t nout, const int* dims, const char** tnames,
                                     const int* targs, size_t nt, bool has_init, float init, bool verbose) {
  int rc = 0;
  for (size_t i = 0, off = 0; i < nout && !rc; off += ndims[i], i++) {
    rc = mlx_fast_metal_kernel_config_add_output_arg(c, shapes + off, ndims[i], (mlx_dtype)dtypes[i]);
  }
  if (!rc) rc = mlx_fast_metal_kernel_config_set_grid(c, dims[0], dims[1], dims[2]);
  if (!rc) rc = mlx_fast_metal_kernel_config_set_thread_group(c, dims[3], dims[4], dims[5]);
  for (size_t i = 0; i < nt && !rc; i++) {
    int v = targs[2 * i + 1];
    switch (targs[2 * i]) {
      case 0: rc = mlx_fast_metal_kernel_config_add_template_arg_int(c, tnames[i], v); break;
      case 1: rc = mlx_fast_metal_kernel_config_add_template_arg_bool(c, tnames[i], v != 0); break;
      default: rc = mlx_fast_metal_kernel_config_add_template_arg_dtype(c, tnames[i], (mlx_dtype)v);
    }
  }
  if (!rc && has_init) rc = mlx_fast_metal_kernel_config_set_init_value(c, init);
  if (!rc) rc = mlx_fast_metal_kernel_config_set_verbose(c, verbose);
  return rc;
}

static int gomlx_cuda_kernel_config(mlx_fast_cuda_kernel_config c, const int* shapes, const int* ndims,
                                    const int* dtypes, size_t nout, const int* dims, const char** tnames,
                                    const int* targs, size_t nt, bool has_init, float init, bool verbose) {
  int rc = 0;
  for (size_t i = 0, off = 0; i < nout && !rc; off += ndims[i], i++) {
    rc = mlx_fast_cuda_kernel_config_add_output_arg(c, shapes + off, ndims[i], (mlx_dtype)dtypes[i]);
  }
  if (!rc) rc = mlx_fast_cuda_kernel_config_set_grid(c, dims[0], dims[1], dims[2]);
  if (!rc) rc = mlx_fast_cuda_kernel_config_set_thread_group(c, dims[3], dims[4], dims[5]);
  for (size_t i = 0; i < nt && !rc; i++) {
    int v = targs[2 * i + 1];
    switch (targs[2 * i]) {
      case 0: rc = mlx_fast_cuda_kernel_config_add_template_arg_int(c, tnames[i], v); break;
      case 1: rc = mlx_fast_cuda_kernel_config_add_template_arg_bool(c, tnames[i], v != 0); break;
      default: rc = mlx_fast_cuda_kernel_config_add_template_arg_dtype(c, tnames[i], (mlx_dtype)v);
    }
  }
  if (!rc && has_init) rc = mlx_fast_cuda_kernel_config_set_init_value(c, init);
  if (!rc) rc = mlx_fast_cuda_kernel_config_set_verbose(c, verbose);
  return rc;
}

// backend: 0 Metal (flag = atomic outputs), 1 CUDA (flag = shared memory bytes).
static char* gomlx_kernel_new(int backend, const char* name, const char** in, size_t nin, const char** out,
                              size_t nout, const char* source, const char* header, bool contiguous, int flag,
                              void** res) {
  mlx_vector_string vin = mlx_vector_string_new_data(in, nin);
  mlx_vector_string vout = mlx_vector_string_new_data(out, nout);
  free(gomlx_errmsg);
  gomlx_errmsg = NULL;
  if (backend == 0) {
    *res = mlx_fast_metal_kernel_new(name, vin, vout, source, header, contiguous, flag != 0).ctx;
  } else {
    *res = mlx_fast_cuda_kernel_new(name, vin, vout, source, header, contiguous, flag).ctx;
  }
  mlx_vector_string_free(vin);
  mlx_vector_string_free(vout);
  return *res ? NULL : gomlx_take_error();
}

static void gomlx_kernel_free(int backend, void* k) {
  if (backend == 0) {
    mlx_fast_metal_kernel_free((mlx_fast_metal_kernel){k});
  } else {
    mlx_fast_cuda_kernel_free((mlx_fast_cuda_kernel){k});
  }
}

// dims: grid x, y, z then thread group x, y, z.
static char* gomlx_kernel_apply(int backend, void* k, const mlx_array* in, size_t nin, const int* shapes,
                                const int* ndims, const int* dtypes, size_t nout, const int* dims,
                                const char** tnames, const int* targs, size_t nt, bool has_init, float init,
                                bool verbose, gomlx_target t, mlx_vector_array* res) {
  mlx_stream s = gomlx_resolve(t);
  mlx_vector_array iv = mlx_vector_array_new_data(in, nin);
  int rc;
  if (backend == 0) {
    mlx_fast_metal_kernel_config c = mlx_fast_metal_kernel_config_new();
    rc = !c.ctx || gomlx_metal_kernel_config(c, shapes, ndims, dtypes, nout, dims, tnames, targs, nt, has_init, init, verbose);
    if (!rc) rc = mlx_fast_metal_kernel_apply(res, (mlx_fast_metal_kernel){k}, iv, c, s);
    mlx_fast_metal_kernel_config_free(c);
  } else {
    mlx_fast_cuda_kernel_config c = mlx_fast_cuda_kernel_config_new();
    rc = !c.ctx || gomlx_cuda_kernel_config(c, shapes, ndims, dtypes, nout, dims, tnames, targs, nt, has_init, init, verbose);
    if (!rc) rc = mlx_fast_cuda_kernel_apply(res, (mlx_fast_cuda_kernel){k}, iv, c, s);
    mlx_fast_cuda_kernel_config_free(c);
  }
  mlx_vector_array_free(iv);
  return gomlx_status(rc);
}
*/
import "C"

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
	var flag C.int
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
	if err := k.init(op, cudaBackend, spec, C.int(spec.SharedMemory)); err != nil {
		return nil, err
	}
	return k, nil
}

// kernelRef is what a kernel's cleanup releases.
type kernelRef struct {
	backend C.int
	c       unsafe.Pointer
}

func (k *kernel) init(op string, backend C.int, spec KernelSpec, flag C.int) error {
	var cstrs []*C.char
	defer func() {
		for _, p := range cstrs {
			C.free(unsafe.Pointer(p))
		}
	}()
	cstr := func(s string) *C.char {
		p := C.CString(s)
		cstrs = append(cstrs, p)
		return p
	}
	list := func(names []string) []*C.char {
		out := make([]*C.char, len(names)+1)
		for i, n := range names {
			out[i] = cstr(n)
		}
		return out
	}
	in, out := list(spec.InputNames), list(spec.OutputNames)
	var c unsafe.Pointer
	msg := C.gomlx_kernel_new(backend, cstr(spec.Name), &in[0], C.size_t(len(spec.InputNames)), &out[0],
		C.size_t(len(spec.OutputNames)), cstr(spec.Source), cstr(spec.Header), C.bool(!spec.NonContiguous), flag, &c)
	if msg != nil {
		return takeError(op, msg)
	}
	k.c = c
	k.cleanup = runtime.AddCleanup(k, releaseKernel, kernelRef{backend, c})
	return nil
}

func releaseKernel(r kernelRef) { C.gomlx_kernel_free(r.backend, r.c) }

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

func (k *kernel) free(backend C.int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.c == nil {
		return
	}
	k.cleanup.Stop()
	C.gomlx_kernel_free(backend, k.c)
	k.c = nil
}

func (k *kernel) apply(op string, backend C.int, on StreamOrDevice, inputs []*Array, cfg KernelConfig) ([]*Array, error) {
	var err error
	t := targetArg(op, on, &err)
	in, nin := arraysArg(op, inputs, &err)
	if err != nil {
		return nil, err
	}
	// Outputs: shapes flattened, with each one's number of dimensions.
	var shapes, ndims, dtypes []C.int
	for i, o := range cfg.Outputs {
		for _, d := range o.Shape {
			if d < 0 || d > math.MaxInt32 {
				return nil, newError(op, fmt.Sprintf("output %d: shape %v: dimension %d out of range", i, o.Shape, d), ErrInvalidArgument)
			}
			shapes = append(shapes, C.int(d))
		}
		ndims = append(ndims, C.int(len(o.Shape)))
		dtypes = append(dtypes, C.int(dtypeArg(op, o.Dtype, &err)))
		if err != nil {
			return nil, err
		}
	}
	shapes, ndims, dtypes = append(shapes, 0), append(ndims, 0), append(dtypes, 0) // valid &x[0] when empty
	var dims [6]C.int
	for i := range 3 {
		for j, v := range [2]int{cfg.Grid[i], cfg.ThreadGroup[i]} {
			if v < 1 || v > math.MaxInt32 {
				return nil, newError(op, fmt.Sprintf("grid %v and thread group %v: every size must be at least 1", cfg.Grid, cfg.ThreadGroup), ErrInvalidArgument)
			}
			dims[3*j+i] = C.int(v)
		}
	}
	names := make([]*C.char, len(cfg.TemplateArgs)+1)
	targs := make([]C.int, 2*len(cfg.TemplateArgs)+1)
	defer func() {
		for _, p := range names {
			C.free(unsafe.Pointer(p))
		}
	}()
	for i, a := range cfg.TemplateArgs {
		switch v := a.Value.(type) {
		case int:
			if v < math.MinInt32 || v > math.MaxInt32 {
				return nil, newError(op, fmt.Sprintf("template argument %q: %d does not fit in int32", a.Name, v), ErrInvalidArgument)
			}
			targs[2*i], targs[2*i+1] = 0, C.int(v)
		case bool:
			targs[2*i] = 1
			if v {
				targs[2*i+1] = 1
			}
		case Dtype:
			targs[2*i], targs[2*i+1] = 2, C.int(dtypeArg(op, v, &err))
			if err != nil {
				return nil, err
			}
		default:
			return nil, newError(op, fmt.Sprintf("template argument %q: value of type %T; want int, bool or Dtype", a.Name, a.Value), ErrInvalidArgument)
		}
		names[i] = C.CString(a.Name)
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	if k.c == nil {
		return nil, newError(op, "kernel used after Free (or not made by its constructor)", ErrFreed)
	}
	var res C.mlx_vector_array
	msg := C.gomlx_kernel_apply(backend, k.c, in, nin, &shapes[0], &ndims[0], &dtypes[0], C.size_t(len(cfg.Outputs)),
		&dims[0], &names[0], &targs[0], C.size_t(len(cfg.TemplateArgs)), C.bool(cfg.InitValue.Set),
		C.float(cfg.InitValue.Value), C.bool(cfg.Verbose), t, &res)
	runtime.KeepAlive(inputs)
	r, err := vectorResult(op, msg, &res)
	if err != nil {
		return nil, err
	}
	return r[0], nil
}
