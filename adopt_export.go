package mlx

// This file holds the //export of FromSliceNoCopy's release callback (a file
// with //export may only declare C functions in its preamble).

/*
#include <stdint.h>
*/
import "C"

import "runtime/cgo"

//export gomlxReleaseAdopted
func gomlxReleaseAdopted(handle C.uintptr_t) {
	cgo.Handle(handle).Value().(*adoptedSlice).done()
}
