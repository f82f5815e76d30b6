package main

// docs holds, by mlx-c function, the sentence that follows the Go name in the
// generated doc comment ("Add returns ..."). mlx-c's headers carry no
// per-function comments, so these are written here, after MLX's Python docs.
var docs = map[string]string{
	"mlx_add": "returns a + b elementwise, with broadcasting.",
}
