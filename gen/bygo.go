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
