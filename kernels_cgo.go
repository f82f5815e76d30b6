//go:build cgo

package mlx

/*
#include "capi.h"

// targs holds (kind, value) pairs: kind 0 int, 1 bool, 2 dtype.
static int gomlx_metal_kernel_config(mlx_fast_metal_kernel_config c, const int* shapes, const int* ndims,
                                     const int* dtypes, size_t nout, const int* dims, const char** tnames,
                                     const int* targs, size_t nt, bool has_init, float init, bool verbose) {
  int rc = 0;
  for (size_t i = 0, off = 0; i < nout && !rc; off += ndims[i], i++) {
    rc = mlx_fast_metal_kernel_config_add_output_arg(c, shapes + off, ndims[i], (mlx_dtype)dtypes[i]);
  }
  if (!rc) rc = mlx_fast_metal_kernel_config_set_grid(c, dims[0], dims[1], dims[2]);
  if (!rc) rc = mlx_fast_metal_kernel_config_set_thread_group(c, dims[3], dims[4], dims[5]);
  for (size_t i = 0; i < nt && !rc; i++) {
    int v = targs[2 * i + 1];
    switch (targs[2 * i]) {
      case 0: rc = mlx_fast_metal_kernel_config_add_template_arg_int(c, tnames[i], v); break;
      case 1: rc = mlx_fast_metal_kernel_config_add_template_arg_bool(c, tnames[i], v != 0); break;
      default: rc = mlx_fast_metal_kernel_config_add_template_arg_dtype(c, tnames[i], (mlx_dtype)v);
    }
  }
  if (!rc && has_init) rc = mlx_fast_metal_kernel_config_set_init_value(c, init);
  if (!rc) rc = mlx_fast_metal_kernel_config_set_verbose(c, verbose);
  return rc;
}

static int gomlx_cuda_kernel_config(mlx_fast_cuda_kernel_config c, const int* shapes, const int* ndims,
                                    const int* dtypes, size_t nout, const int* dims, const char** tnames,
                                    const int* targs, size_t nt, bool has_init, float init, bool verbose) {
  int rc = 0;
  for (size_t i = 0, off = 0; i < nout && !rc; off += ndims[i], i++) {
    rc = mlx_fast_cuda_kernel_config_add_output_arg(c, shapes + off, ndims[i], (mlx_dtype)dtypes[i]);
  }
  if (!rc) rc = mlx_fast_cuda_kernel_config_set_grid(c, dims[0], dims[1], dims[2]);
  if (!rc) rc = mlx_fast_cuda_kernel_config_set_thread_group(c, dims[3], dims[4], dims[5]);
  for (size_t i = 0; i < nt && !rc; i++) {
    int v = targs[2 * i + 1];
    switch (targs[2 * i]) {
      case 0: rc = mlx_fast_cuda_kernel_config_add_template_arg_int(c, tnames[i], v); break;
      case 1: rc = mlx_fast_cuda_kernel_config_add_template_arg_bool(c, tnames[i], v != 0); break;
      default: rc = mlx_fast_cuda_kernel_config_add_template_arg_dtype(c, tnames[i], (mlx_dtype)v);
    }
  }
  if (!rc && has_init) rc = mlx_fast_cuda_kernel_config_set_init_value(c, init);
  if (!rc) rc = mlx_fast_cuda_kernel_config_set_verbose(c, verbose);
  return rc;
}

// backend: 0 Metal (flag = atomic outputs), 1 CUDA (flag = shared memory bytes).
static char* gomlx_kernel_new(int backend, const char* name, const char** in, size_t nin, const char** out,
                              size_t nout, const char* source, const char* header, bool contiguous, int flag,
                              void** res) {
  mlx_vector_string vin = mlx_vector_string_new_data(in, nin);
  mlx_vector_string vout = mlx_vector_string_new_data(out, nout);
  free(gomlx_errmsg);
  gomlx_errmsg = NULL;
  if (backend == 0) {
    *res = mlx_fast_metal_kernel_new(name, vin, vout, source, header, contiguous, flag != 0).ctx;
  } else {
    *res = mlx_fast_cuda_kernel_new(name, vin, vout, source, header, contiguous, flag).ctx;
  }
  mlx_vector_string_free(vin);
  mlx_vector_string_free(vout);
  return *res ? NULL : gomlx_take_error();
}

static void gomlx_kernel_free(int backend, void* k) {
  if (backend == 0) {
    mlx_fast_metal_kernel_free((mlx_fast_metal_kernel){k});
  } else {
    mlx_fast_cuda_kernel_free((mlx_fast_cuda_kernel){k});
  }
}

// dims: grid x, y, z then thread group x, y, z.
static char* gomlx_kernel_apply(int backend, void* k, const mlx_array* in, size_t nin, const int* shapes,
                                const int* ndims, const int* dtypes, size_t nout, const int* dims,
                                const char** tnames, const int* targs, size_t nt, bool has_init, float init,
                                bool verbose, gomlx_target t, mlx_vector_array* res) {
  mlx_stream s = gomlx_resolve(t);
  mlx_vector_array iv = mlx_vector_array_new_data(in, nin);
  int rc;
  if (backend == 0) {
    mlx_fast_metal_kernel_config c = mlx_fast_metal_kernel_config_new();
    rc = !c.ctx || gomlx_metal_kernel_config(c, shapes, ndims, dtypes, nout, dims, tnames, targs, nt, has_init, init, verbose);
    if (!rc) rc = mlx_fast_metal_kernel_apply(res, (mlx_fast_metal_kernel){k}, iv, c, s);
    mlx_fast_metal_kernel_config_free(c);
  } else {
    mlx_fast_cuda_kernel_config c = mlx_fast_cuda_kernel_config_new();
    rc = !c.ctx || gomlx_cuda_kernel_config(c, shapes, ndims, dtypes, nout, dims, tnames, targs, nt, has_init, init, verbose);
    if (!rc) rc = mlx_fast_cuda_kernel_apply(res, (mlx_fast_cuda_kernel){k}, iv, c, s);
    mlx_fast_cuda_kernel_config_free(c);
  }
  mlx_vector_array_free(iv);
  return gomlx_status(rc);
}
*/
import "C"

import "unsafe"

func gomlxKernelApply(backend cint, k unsafe.Pointer, in *mlxArray, nin csize, shapes *cint, ndims *cint, dtypes *cint, nout csize, dims *cint, tnames **cchar, targs *cint, nt csize, hasInit cbool, init cfloat, verbose cbool, t gomlxTarget, res *mlxVectorArray) *cchar {
	return C.gomlx_kernel_apply(backend, k, in, nin, shapes, ndims, dtypes, nout, dims, tnames, targs, nt, hasInit, init, verbose, t, res)
}
func gomlxKernelFree(backend cint, k unsafe.Pointer) { C.gomlx_kernel_free(backend, k) }
func gomlxKernelNew(backend cint, name *cchar, in **cchar, nin csize, out **cchar, nout csize, source *cchar, header *cchar, contiguous cbool, flag cint, res *unsafe.Pointer) *cchar {
	return C.gomlx_kernel_new(backend, name, in, nin, out, nout, source, header, contiguous, flag, res)
}
