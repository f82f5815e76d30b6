//go:build cgo

package mlx

/*
#include "capi.h"
#include "closure_extra.h"

static char* gomlx_export_function_kwargs(const char* file, uintptr_t f, const mlx_array* a, size_t n,
                                          mlx_map_string_to_array kw, bool shapeless) {
  mlx_closure_kwargs cl = gomlx_closure_kwargs_new(f);
  mlx_vector_array av = mlx_vector_array_new_data(a, n);
  gomlx_transform_lock();
  gomlx_sync_thread_defaults();
  gomlx_set_closure_error(NULL);
  int rc = mlx_export_function_kwargs(file, cl, av, kw, shapeless);
  gomlx_transform_unlock();
  mlx_vector_array_free(av);
  mlx_closure_kwargs_free(cl);
  return gomlx_status(rc);
}
*/
import "C"

func gomlxExportFunctionKwargs(file *cchar, f cuintptr, a *mlxArray, n csize, kw mlxMapStringToArray, shapeless cbool) *cchar {
	return C.gomlx_export_function_kwargs(file, f, a, n, kw, shapeless)
}
