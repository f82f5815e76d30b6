//go:build cgo

package mlx

/*
#include <pthread.h>
#include "capi.h"

static gomlx_array_result gomlx_array_from_data(const void* data, const int* shape, int ndim, int dtype, uintptr_t pending) {
  gomlx_release(pending); // first: its memory may serve the new array
  gomlx_array_result r = gomlx_array_result_new();
  gomlx_errmsg = NULL;
  r.res = mlx_array_new_data(data, shape, ndim, (mlx_dtype)dtype);
  if (!r.res.ctx) r.err = gomlx_take_error();
  return r;
}

// payload is a handle; MLX calls gomlx_adopted_release(payload) once it
// no longer needs data (at once where it copied it). On failure it may not
// have, and the caller releases.
static gomlx_array_result gomlx_array_from_data_managed(void* data, const int* shape, int ndim, int dtype, uintptr_t payload, uintptr_t pending) {
  gomlx_release(pending);
  gomlx_array_result r = gomlx_array_result_new();
  gomlx_errmsg = NULL;
  r.res = mlx_array_new_data_managed_payload(data, shape, ndim, (mlx_dtype)dtype, (void*)payload, gomlx_adopted_release);
  if (!r.res.ctx) r.err = gomlx_take_error();
  return r;
}

static int gomlx_row_contiguous(mlx_array a) {
  bool ok = false;
  _mlx_array_is_row_contiguous(&ok, a);
  return ok;
}

static const void* gomlx_array_data_locked(mlx_array a) {
  switch (mlx_array_dtype(a)) {
  case MLX_BOOL: return mlx_array_data_bool(a);
  case MLX_UINT8: return mlx_array_data_uint8(a);
  case MLX_UINT16: return mlx_array_data_uint16(a);
  case MLX_UINT32: return mlx_array_data_uint32(a);
  case MLX_UINT64: return mlx_array_data_uint64(a);
  case MLX_INT8: return mlx_array_data_int8(a);
  case MLX_INT16: return mlx_array_data_int16(a);
  case MLX_INT32: return mlx_array_data_int32(a);
  case MLX_INT64: return mlx_array_data_int64(a);
  case MLX_FLOAT16: // no float16_t in C on every platform; the bits are what we copy
  case MLX_BFLOAT16: return mlx_array_data_uint16(a);
  case MLX_FLOAT32: return mlx_array_data_float32(a);
  case MLX_FLOAT64: return mlx_array_data_float64(a);
  case MLX_COMPLEX64: return mlx_array_data_complex64(a);
  }
  return NULL;
}

// MLX's CUDA allocator moves a GPU buffer to unified memory on its first
// host read (Buffer::raw_ptr -> move_to_unified_memory), without a lock: two
// threads reading one buffer at once both copy it and free it twice. Reads of
// data pointers go one at a time.
static pthread_mutex_t gomlx_data_mu = PTHREAD_MUTEX_INITIALIZER;

typedef struct {
  const void* data;
  char* err; // MLX's message where data is NULL
} gomlx_data_result;

static gomlx_data_result gomlx_array_data(mlx_array a) {
  pthread_mutex_lock(&gomlx_data_mu);
  free(gomlx_errmsg);
  gomlx_errmsg = NULL;
  gomlx_data_result r = {gomlx_array_data_locked(a), NULL};
  pthread_mutex_unlock(&gomlx_data_mu);
  if (!r.data) r.err = gomlx_take_error();
  return r;
}

static char* gomlx_array_tostring(mlx_array a, char** out) {
  mlx_string s = mlx_string_new();
  int rc = mlx_array_tostring(&s, a);
  if (!rc) *out = strdup(mlx_string_data(s));
  mlx_string_free(s);
  return gomlx_status(rc);
}
*/
import "C"

import "unsafe"

type gomlxDataResult = C.gomlx_data_result

func gomlxArrayData(a mlxArray) gomlxDataResult { return C.gomlx_array_data(a) }
func gomlxArrayFromData(data unsafe.Pointer, shape *cint, ndim cint, dtype cint, pending cuintptr) gomlxArrayResult {
	return C.gomlx_array_from_data(data, shape, ndim, dtype, pending)
}
func gomlxArrayFromDataManaged(data unsafe.Pointer, shape *cint, ndim cint, dtype cint, payload, pending cuintptr) gomlxArrayResult {
	return C.gomlx_array_from_data_managed(data, shape, ndim, dtype, payload, pending)
}
func gomlxArrayTostring(a mlxArray, out **cchar) *cchar { return C.gomlx_array_tostring(a, out) }
func gomlxFreeArray(h cuintptr)                         { C.gomlx_release(h) }
func gomlxRowContiguous(a mlxArray) cint                { return C.gomlx_row_contiguous(a) }
