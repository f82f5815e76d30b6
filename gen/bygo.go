package main

import "strings"

// byGo lists mlx-c functions that the Go API covers without calling them:
// plumbing whose job Go's own types do (slices, maps and strings for mlx-c's
// containers; Go values compared with == and printed with String for
// devices and streams), and per-dtype variants that one generic Go function
// replaces (Item[T] for mlx_array_item_float32, ...). Each entry says which
// Go API does the job. They count as covered in the coverage table, in a
// column of their own; a function the hand-written code does call counts as
// hand-written instead.
var byGo = []struct{ match, how string }{ // a match ending in "_" is a prefix
	{"mlx_vector_", "mlx-c vectors: Go slices ([]*Array, []int, []string, [][]*Array), converted at the call"},
	{"mlx_map_", "mlx-c maps: Go maps (map[string]*Array, map[string]string), converted at the call"},
	{"mlx_string_", "mlx-c strings: Go strings, converted at the call"},
	{"mlx_array_new_", "scalar and data constructors per C type: FromSlice[T] and Scalar[T] for every dtype"},
	{"mlx_array_set", "re-pointing a handle at another array: Go assignment"},
	{"mlx_array_item_", "per-dtype item reads: Item[T]"},
	{"mlx_array_data_", "per-dtype data pointers: Data[T], CopyTo[T], DataView[T]"},
	{"mlx_array_eval", "Eval(arrays...)"},
	{"mlx_array_dim", "Array.Shape()[axis]"},
	{"mlx_array_strides", "Array.Shape (arrays read through Data, CopyTo and DataView are row-contiguous)"},
	{"mlx_array_itemsize", "Dtype.Size (Array.Dtype().Size())"},
	{"mlx_array_nbytes", "Array.Size() * Array.Dtype().Size()"},
	{"_mlx_array_", "mlx-c internals (leading underscore): contiguity checks inside Data and DataView"},
	{"_mlx_error", "mlx-c internal error reporting: the package's own handler turns errors into *Error"},
	{"mlx_device_", "Device is a Go value: == compares, String prints, assignment sets"},
	{"mlx_stream_", "Stream is a Go value: == compares, String prints, assignment sets"},
	{"mlx_default_cpu_stream_new", "DefaultStream(Device{CPU, 0})"},
	{"mlx_default_gpu_stream_new", "DefaultStream(Device{GPU, 0})"},
	{"mlx_synchronize", "Synchronize and Stream.Synchronize (wait on the caller's thread for a marker)"},
	{"mlx_eval", "Eval (the MLX thread evaluates; the caller waits)"},
	{"mlx_async_eval", "AsyncEval"},
	{"mlx_version", "Version"},
	// Closures: Go functions become closures through the payload
	// constructors (skip.go); a payload-less C callback cannot carry a Go
	// function, Go shares function values instead of copying handles, and
	// MLX returns no closures of these kinds for Go to call.
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
	{"mlx_custom_vjp", "CustomVJP: CustomFunction with a vjp only, through mlx_custom_function"},
	// Custom readers and writers (io_stream.go): the Go side keeps each one's
	// state and label, so these accessors would only hand them back.
	{"mlx_io_reader_descriptor", "the reader's state lives in Go (io_stream.go); MLX passes it to every callback"},
	{"mlx_io_reader_tostring", "the reader's label is made in Go (io_stream.go), and MLX puts it in its messages"},
	{"mlx_io_writer_descriptor", "the writer's state lives in Go (io_stream.go); MLX passes it to every callback"},
	{"mlx_io_writer_tostring", "the writer's label is made in Go (io_stream.go), and MLX puts it in its messages"},
}

// byGoReason returns how the Go API covers c, or "".
func byGoReason(c string) string {
	for _, s := range byGo {
		if c == s.match || strings.HasSuffix(s.match, "_") && strings.HasPrefix(c, s.match) ||
			!strings.HasSuffix(s.match, "_") && isFamily(c, s.match) {
			return s.how
		}
	}
	return ""
}
