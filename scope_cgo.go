//go:build cgo

package mlx

// #include "capi.h"
import "C"

func gomlxFreeArrays(handles *cuintptr, n csize) { C.gomlx_free_arrays(handles, n) }
