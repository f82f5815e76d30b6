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
	// payload is a cgo.Handle (the *_new_func_payload constructors; the
	// payload forms are listed first so that the payload-less entries below
	// do not claim them). The other constructors, copies and calls of these
	// closure kinds give Go nothing: a C function pointer cannot carry a Go
	// function, Go shares Func values instead of copying handles, and MLX
	// returns no closures of these kinds for Go to call.
	{"mlx_closure_new_func_payload", "hand-written: every Func becomes a closure with its cgo.Handle as payload (transforms.go)"},
	{"mlx_closure_custom_new_func_payload", "hand-written: CustomFunction's VJPFunc becomes a closure with its cgo.Handle as payload"},
	{"mlx_closure_custom_jvp_new_func_payload", "hand-written: CustomFunction's JVPFunc becomes a closure with its cgo.Handle as payload"},
	{"mlx_closure_custom_vmap_new_func_payload", "hand-written: CustomFunction's VmapFunc becomes a closure with its cgo.Handle as payload (closure_extra.c)"},
	{"mlx_closure_kwargs_new_func_payload", "hand-written: a KwargsFunc becomes a closure with its cgo.Handle as payload (ExportFunctionKwargs)"},
	{"mlx_closure_new_func", "payload-less C callback, which cannot carry a Go function: Funcs use mlx_closure_new_func_payload"},
	{"mlx_closure_new_unary", "payload-less C callback, which cannot carry a Go function: a one-array Func uses mlx_closure_new_func_payload"},
	{"mlx_closure_custom_new_func", "payload-less C callback: CustomFunction's VJPFunc uses mlx_closure_custom_new_func_payload"},
	{"mlx_closure_custom_jvp_new_func", "payload-less C callback: CustomFunction's JVPFunc uses mlx_closure_custom_jvp_new_func_payload"},
	{"mlx_closure_custom_vmap_new_func", "payload-less C callback: CustomFunction's VmapFunc uses mlx_closure_custom_vmap_new_func_payload"},
	{"mlx_closure_kwargs_new_func", "payload-less C callback: a KwargsFunc uses mlx_closure_kwargs_new_func_payload"},
	{"mlx_closure_value_and_grad_new_func", "a value-and-grad closure made from a C or Go function: no mlx-c function takes one; ValueAndGrad returns Go functions over MLX's own (mlx_value_and_grad)"},
	{"mlx_closure_set", "copies one closure handle into another: Go shares Func values instead"},
	{"mlx_closure_custom_set", "copies one closure handle into another: Go shares VJPFunc values instead"},
	{"mlx_closure_custom_jvp_set", "copies one closure handle into another: Go shares JVPFunc values instead"},
	{"mlx_closure_custom_vmap_set", "copies one closure handle into another: Go shares VmapFunc values instead"},
	{"mlx_closure_kwargs_set", "copies one closure handle into another: Go shares KwargsFunc values instead"},
	{"mlx_closure_value_and_grad_set", "copies one closure handle into another: ValueAndGrad's functions are shared Go values"},
	{"mlx_closure_custom_apply", "calls a custom-VJP closure: the package makes these only of VJPFunc values, which Go calls directly"},
	{"mlx_closure_custom_jvp_apply", "calls a custom-JVP closure: the package makes these only of JVPFunc values, which Go calls directly"},
	{"mlx_closure_custom_vmap_apply", "calls a custom-vmap closure: the package makes these only of VmapFunc values, which Go calls directly"},
	{"mlx_closure_kwargs_apply", "calls a keyword closure: the package makes these only of KwargsFunc values, which Go calls directly (imported functions use mlx_imported_function_apply_kwargs)"},
	{"mlx_closure_kwargs_new", "an empty keyword closure: no mlx-c function takes one as 'none'"},
	{"mlx_closure", "hand-written: closures of Go functions and the transforms over them (transforms.go, closure_kwargs.go, closure_extra.c); the empty custom closures stand for 'no rule' in CustomFunction"},
	{"mlx_compile", "hand-written: Compile"},
	{"mlx_detail_", "compile internals (function ids, cache) and vmap tracing: Vmap uses vmap_trace/vmap_replace"},
	{"mlx_vjp", "hand-written: VJP"},
	{"mlx_jvp", "hand-written: JVP"},
	{"mlx_value_and_grad", "hand-written: ValueAndGrad, Grad"},
	{"mlx_checkpoint", "hand-written: Checkpoint"},
	{"mlx_custom_function", "hand-written: CustomFunction (custom vjp, jvp and vmap rules)"},
	{"mlx_custom_vjp", "CustomVJP is CustomFunction with a vjp only, through mlx_custom_function"},
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
	// Custom readers and writers (io_stream.go): the Go side keeps each one's
	// state and label, so these accessors would only hand them back.
	{"mlx_io_reader_descriptor", "the reader's state lives in Go (io_stream.go); MLX passes it to every callback"},
	{"mlx_io_reader_tostring", "the reader's label is made in Go (io_stream.go), and MLX puts it in its messages"},
	{"mlx_io_writer_descriptor", "the writer's state lives in Go (io_stream.go); MLX passes it to every callback"},
	{"mlx_io_writer_tostring", "the writer's label is made in Go (io_stream.go), and MLX puts it in its messages"},
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
