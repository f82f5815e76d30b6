//go:build cgo

package mlx

/*
#include "capi.h"

static char* gomlx_exporter_new(const char* file, uintptr_t f, bool shapeless, mlx_function_exporter* res) {
  mlx_closure cl = gomlx_closure_new(f);
  free(gomlx_errmsg);
  gomlx_errmsg = NULL;
  *res = mlx_function_exporter_new(file, cl, shapeless);
  mlx_closure_free(cl);
  return res->ctx ? NULL : gomlx_take_error();
}

// kw.ctx == NULL: no keyword arguments.
static char* gomlx_exporter_apply(mlx_function_exporter x, const mlx_array* a, size_t n, mlx_map_string_to_array kw) {
  mlx_vector_array av = mlx_vector_array_new_data(a, n);
  gomlx_transform_lock();
  gomlx_sync_thread_defaults();
  gomlx_set_closure_error(NULL);
  int rc = kw.ctx ? mlx_function_exporter_apply_kwargs(x, av, kw) : mlx_function_exporter_apply(x, av);
  gomlx_transform_unlock();
  mlx_vector_array_free(av);
  return gomlx_status(rc);
}

static void gomlx_exporter_free(mlx_function_exporter x) {
  if (mlx_function_exporter_free(x)) free(gomlx_take_error());
}
*/
import "C"

func gomlxExporterApply(x mlxFunctionExporter, a *mlxArray, n csize, kw mlxMapStringToArray) *cchar {
	return C.gomlx_exporter_apply(x, a, n, kw)
}
func gomlxExporterFree(x mlxFunctionExporter) { C.gomlx_exporter_free(x) }
func gomlxExporterNew(file *cchar, f cuintptr, shapeless cbool, res *mlxFunctionExporter) *cchar {
	return C.gomlx_exporter_new(file, f, shapeless, res)
}
