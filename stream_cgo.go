//go:build cgo

package mlx

/*
#include "capi.h"

static void gomlx_stream_info(mlx_stream s, int* type, int* dev_index, int* index) {
  mlx_device d = mlx_device_new();
  mlx_device_type t = MLX_CPU;
  mlx_stream_get_device(&d, s);
  mlx_device_get_type(&t, d);
  mlx_device_get_index(dev_index, d);
  mlx_stream_get_index(index, s);
  mlx_device_free(d);
  *type = (int)t;
}

static void* gomlx_effective_stream(int type, int index) {
  gomlx_target t = {0, GOMLX_DEVICE, type, index};
  return gomlx_resolve(t).ctx;
}
*/
import "C"

import "unsafe"

func gomlxEffectiveStream(typ cint, index cint) unsafe.Pointer {
	return C.gomlx_effective_stream(typ, index)
}
func gomlxStreamInfo(s mlxStream, typ *cint, devIndex *cint, index *cint) {
	C.gomlx_stream_info(s, typ, devIndex, index)
}
