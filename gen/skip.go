package main

import "strings"

// Functions the generator does not wrap, each with the reason. A public
// mlx-c function that is neither generated, called by the package's
// hand-written code, nor listed here fails the coverage test.
var skips = []struct{ match, reason string }{ // a match ending in "_" is a prefix
	// Array, device and stream handles, containers, eval and synchronize:
	// hand-written code calls the ones it needs; bygo.go lists the rest.
	{"mlx_array_", "Array plumbing: hand-written (array.go)"},
	{"mlx_dtype_size", "hand-written: Dtype.Size"},
	{"mlx_get_default_device", "hand-written: DefaultDevice"},
	{"mlx_set_default_stream", "hand-written: SetDefaultStream"},
	{"mlx_get_default_stream", "hand-written: DefaultStream"},
	{"mlx_set_error_handler", "hand-written: the package installs its own handler at start-up"},
	// Closures and the transforms built on them. Go functions (Func,
	// KwargsFunc, VJPFunc, JVPFunc, VmapFunc) become mlx-c closures whose
	// payload is a cgo.Handle (the *_new_func_payload constructors); bygo.go
	// lists the other constructors, copies and calls of these closure kinds.
	{"mlx_closure_new_func_payload", "hand-written: every Func becomes a closure with its cgo.Handle as payload (transforms.go)"},
	{"mlx_closure_custom_new_func_payload", "hand-written: CustomFunction's VJPFunc becomes a closure with its cgo.Handle as payload"},
	{"mlx_closure_custom_jvp_new_func_payload", "hand-written: CustomFunction's JVPFunc becomes a closure with its cgo.Handle as payload"},
	{"mlx_closure_custom_vmap_new_func_payload", "hand-written: CustomFunction's VmapFunc becomes a closure with its cgo.Handle as payload (closure_extra.c)"},
	{"mlx_closure_kwargs_new_func_payload", "hand-written: a KwargsFunc becomes a closure with its cgo.Handle as payload (ExportFunctionKwargs)"},
	{"mlx_closure", "hand-written: closures of Go functions and the transforms over them (transforms.go, closure_kwargs.go, closure_extra.c); the empty custom closures stand for 'no rule' in CustomFunction"},
	{"mlx_compile", "hand-written: Compile"},
	{"mlx_detail_", "compile internals (function ids, cache) and vmap tracing: Vmap uses vmap_trace/vmap_replace"},
	{"mlx_vjp", "hand-written: VJP"},
	{"mlx_jvp", "hand-written: JVP"},
	{"mlx_value_and_grad", "hand-written: ValueAndGrad, Grad"},
	{"mlx_checkpoint", "hand-written: Checkpoint"},
	{"mlx_custom_function", "hand-written: CustomFunction (custom vjp, jvp and vmap rules)"},
	{"mlx_export_function", "hand-written: ExportFunction, ExportFunctionKwargs"},
	{"mlx_function_exporter_", "hand-written: Exporter (NewExporter, Export, ExportKwargs, Free)"},
	{"mlx_imported_function_", "hand-written: ImportFunction, ImportFunctionKwargs"},
	// Distributed: the collectives are generated; groups are a hand-written handle.
	{"mlx_distributed_group_", "Group internals: the hand-written Group API covers them (Rank, Size, Split, Free)"},
	{"mlx_distributed_init", "hand-written: DistributedInit runs on the MLX thread (MLX keeps its backends in a global table)"},
	{"mlx_distributed_is_available", "hand-written: DistributedIsAvailable"},
	// Custom kernels: a KernelSpec builds the kernel, a KernelConfig (plain Go
	// fields) becomes the mlx-c config inside each launch (kernels.go).
	{"mlx_fast_metal_kernel", "hand-written: NewMetalKernel, MetalKernel.Apply/ApplyOn/Free with KernelSpec and KernelConfig"},
	{"mlx_fast_cuda_kernel", "hand-written: NewCUDAKernel, CUDAKernel.Apply/ApplyOn/Free with KernelSpec and KernelConfig"},
}

// notSkipped are ops whose names a skip prefix would otherwise catch.
var notSkipped = map[string]bool{"mlx_array_equal": true}

// skipReason returns why c is not generated, or "".
func skipReason(c string) string {
	if notSkipped[c] {
		return ""
	}
	for _, s := range skips {
		if c == s.match || strings.HasSuffix(s.match, "_") && strings.HasPrefix(c, s.match) ||
			!strings.HasSuffix(s.match, "_") && strings.HasPrefix(c, s.match) && s.match != c && isFamily(c, s.match) {
			return s.reason
		}
	}
	return ""
}

// isFamily reports whether c is match or one of its suffix variants
// (mlx_compile matches mlx_compile_mode but not mlx_compiler).
func isFamily(c, match string) bool {
	return strings.HasPrefix(c, match+"_")
}
