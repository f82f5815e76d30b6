//go:build cgo

package mlx

/*
#include "capi.h"

static void gomlx_free_arrays(const uintptr_t* handles, size_t n) {
  for (size_t i = 0; i < n; i++) {
    mlx_array a = {(void*)handles[i]};
    mlx_array_free(a);
  }
}
*/
import "C"

func gomlxFreeArrays(handles *cuintptr, n csize) { C.gomlx_free_arrays(handles, n) }
