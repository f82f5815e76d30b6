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
	// Closures and the transforms built on them: transforms.go maps them
	// onto Go functions (Func); the rest of each family is not needed there.
	{"mlx_closure", "closures: transforms.go wraps Go Funcs, custom VJPs and JVPs; keyword closures and custom vmaps are not mapped yet"},
	{"mlx_compile", "hand-written: Compile"},
	{"mlx_detail_", "compile internals (function ids, cache) and vmap tracing: Vmap uses vmap_trace/vmap_replace"},
	{"mlx_vjp", "hand-written: VJP"},
	{"mlx_jvp", "hand-written: JVP"},
	{"mlx_value_and_grad", "hand-written: ValueAndGrad, Grad"},
	{"mlx_checkpoint", "hand-written: Checkpoint"},
	{"mlx_custom_function", "hand-written: CustomFunction (custom vjp and jvp; a custom vmap is not mapped yet)"},
	{"mlx_custom_vjp", "CustomVJP is CustomFunction with a vjp only, through mlx_custom_function"},
	{"mlx_export_function", "hand-written: ExportFunction; the kwargs form needs keyword closures, not mapped yet"},
	{"mlx_function_exporter_", "multi-trace exporter: not mapped yet (ExportFunction covers one trace)"},
	{"mlx_imported_function_", "hand-written: ImportFunction; the kwargs form is not mapped yet"},
	// Distributed: the collectives are generated; groups are a hand-written handle.
	{"mlx_distributed_group_", "Group internals: the hand-written Group API covers them (Rank, Size, Split, Free)"},
	{"mlx_distributed_init", "hand-written: DistributedInit runs on the MLX thread (MLX keeps its backends in a global table)"},
	{"mlx_distributed_is_available", "hand-written: DistributedIsAvailable"},
	// Custom kernels: Metal/CUDA source strings and launch configs.
	{"mlx_fast_metal_kernel", "custom Metal kernels need a kernel-builder API of their own; no Metal here to test it"},
	{"mlx_fast_cuda_kernel", "custom CUDA kernels need a kernel-builder API of their own; CUDA issue (#5)"},
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
