//go:build cgo

package mlx

// #include "capi.h"
import "C"

//export gomlxCallFunc
func gomlxCallFunc(h C.uintptr_t, res *C.mlx_vector_array, input C.mlx_vector_array) C.int {
	return callFunc(h, res, input)
}

//export gomlxCallVJP
func gomlxCallVJP(h C.uintptr_t, res *C.mlx_vector_array, primals, cotangents, outputs C.mlx_vector_array) C.int {
	return callVJP(h, res, primals, cotangents, outputs)
}

//export gomlxCallJVP
func gomlxCallJVP(h C.uintptr_t, res *C.mlx_vector_array, primals, tangents C.mlx_vector_array, argnums *C.int, n C.size_t) C.int {
	return callJVP(h, res, primals, tangents, argnums, n)
}

//export gomlxCallKwargsFunc
func gomlxCallKwargsFunc(h C.uintptr_t, res *C.mlx_vector_array, input C.mlx_vector_array, kwargs C.mlx_map_string_to_array) C.int {
	return callKwargsFunc(h, res, input, kwargs)
}

//export gomlxCallVmap
func gomlxCallVmap(h C.uintptr_t, res *C.mlx_vector_array, outAxes *C.mlx_vector_int, input C.mlx_vector_array, axes *C.int, n C.size_t) C.int {
	return callVmap(h, res, outAxes, input, axes, n)
}

//export gomlxReleaseHandle
func gomlxReleaseHandle(h C.uintptr_t) { releaseHandle(h) }
