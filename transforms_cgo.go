//go:build cgo

package mlx

/*
#include "capi.h"
#include "closure_extra.h"

static mlx_vector_array gomlx_vec(const mlx_array* data, size_t n) {
  return mlx_vector_array_new_data(data, n);
}

// Each transform shim holds the transform lock and clears any stale error of
// a Go function before it starts.
// VJP (jvp == 0) or JVP (jvp == 1) of f at p with the vectors v.
static char* gomlx_vjp_jvp(int jvp, uintptr_t f, const mlx_array* p, size_t np, const mlx_array* v, size_t nv,
                           mlx_vector_array* outs, mlx_vector_array* prods) {
  mlx_closure cl = gomlx_closure_new(f);
  mlx_vector_array pv = gomlx_vec(p, np), vv = gomlx_vec(v, nv);
  gomlx_transform_lock();
  gomlx_sync_thread_defaults();
  gomlx_set_closure_error(NULL);
  int rc = jvp ? mlx_jvp(outs, prods, cl, pv, vv) : mlx_vjp(outs, prods, cl, pv, vv);
  gomlx_transform_unlock();
  mlx_vector_array_free(pv);
  mlx_vector_array_free(vv);
  mlx_closure_free(cl);
  return gomlx_status(rc);
}

static char* gomlx_value_and_grad(uintptr_t f, const int* argnums, size_t n, mlx_closure_value_and_grad* res) {
  mlx_closure cl = gomlx_closure_new(f);
  *res = mlx_closure_value_and_grad_new();
  int rc = mlx_value_and_grad(res, cl, argnums, n);
  mlx_closure_free(cl);
  return gomlx_status(rc);
}

static char* gomlx_value_and_grad_apply(mlx_closure_value_and_grad vg, const mlx_array* a, size_t n,
                                        mlx_vector_array* values, mlx_vector_array* grads) {
  mlx_vector_array av = gomlx_vec(a, n);
  gomlx_transform_lock();
  gomlx_sync_thread_defaults();
  gomlx_set_closure_error(NULL);
  int rc = mlx_closure_value_and_grad_apply(values, grads, vg, av);
  gomlx_transform_unlock();
  mlx_vector_array_free(av);
  return gomlx_status(rc);
}

static char* gomlx_closure_apply(mlx_closure cl, const mlx_array* a, size_t n, mlx_vector_array* res) {
  mlx_vector_array av = gomlx_vec(a, n);
  gomlx_transform_lock();
  gomlx_sync_thread_defaults();
  gomlx_set_closure_error(NULL);
  int rc = mlx_closure_apply(res, cl, av);
  gomlx_transform_unlock();
  mlx_vector_array_free(av);
  return gomlx_status(rc);
}

static char* gomlx_vmap(uintptr_t f, const mlx_array* a, size_t n, const int* in_axes, size_t nin,
                        const int* out_axes, size_t nout, mlx_vector_array* res) {
  mlx_closure cl = gomlx_closure_new(f);
  mlx_vector_array av = gomlx_vec(a, n);
  mlx_vector_array s_in = mlx_vector_array_new(), s_out = mlx_vector_array_new();
  gomlx_transform_lock();
  gomlx_sync_thread_defaults();
  gomlx_set_closure_error(NULL);
  int rc = mlx_detail_vmap_trace(&s_in, &s_out, cl, av, in_axes, nin);
  if (!rc) rc = mlx_detail_vmap_replace(res, av, s_in, s_out, in_axes, nin, out_axes, nout);
  gomlx_transform_unlock();
  mlx_vector_array_free(s_in);
  mlx_vector_array_free(s_out);
  mlx_vector_array_free(av);
  mlx_closure_free(cl);
  return gomlx_status(rc);
}

// kind: 0 compile, 1 compile shapeless (id = compile id), 2 checkpoint,
// 3 custom function (g = vjp handle, id = jvp handle, v = vmap handle; 0 for
// none, which mlx-c's empty closures stand for)
static char* gomlx_wrap_closure(int kind, uintptr_t f, uintptr_t g, uintptr_t id, uintptr_t v, mlx_closure* res) {
  mlx_closure cl = gomlx_closure_new(f);
  *res = mlx_closure_new();
  int rc;
  switch (kind) {
    case 0: case 1: rc = mlx_detail_compile(res, cl, id, kind == 1, NULL, 0); break;
    case 2: rc = mlx_checkpoint(res, cl); break;
    default: {
      mlx_closure_custom vjp = g ? gomlx_closure_custom_new(g) : mlx_closure_custom_new();
      mlx_closure_custom_jvp jvp = id ? gomlx_closure_custom_jvp_new(id) : mlx_closure_custom_jvp_new();
      mlx_closure_custom_vmap vmap = v ? gomlx_closure_custom_vmap_new(v) : mlx_closure_custom_vmap_new();
      rc = mlx_custom_function(res, cl, vjp, jvp, vmap);
      if (vjp.ctx) mlx_closure_custom_free(vjp);
      if (jvp.ctx) mlx_closure_custom_jvp_free(jvp);
      if (vmap.ctx) mlx_closure_custom_vmap_free(vmap);
    }
  }
  mlx_closure_free(cl);
  return gomlx_status(rc);
}

// Frees a closure made by gomlx_wrap_closure and, for a compiled one (id != 0),
// its compile cache entries on the calling thread.
static void gomlx_closure_release(mlx_closure c, uintptr_t id) {
  mlx_closure_free(c);
  if (id && mlx_detail_compile_erase(id)) free(gomlx_take_error());
}

static char* gomlx_export_function(const char* file, uintptr_t f, const mlx_array* a, size_t n, bool shapeless) {
  mlx_closure cl = gomlx_closure_new(f);
  mlx_vector_array av = gomlx_vec(a, n);
  gomlx_transform_lock();
  gomlx_sync_thread_defaults();
  gomlx_set_closure_error(NULL);
  int rc = mlx_export_function(file, cl, av, shapeless);
  gomlx_transform_unlock();
  mlx_vector_array_free(av);
  mlx_closure_free(cl);
  return gomlx_status(rc);
}

static char* gomlx_import_function(const char* file, mlx_imported_function* res) {
  gomlx_errmsg = NULL;
  *res = mlx_imported_function_new(file);
  return res->ctx ? NULL : gomlx_take_error();
}

// kw.ctx == NULL: no keyword arguments.
static char* gomlx_imported_apply(mlx_imported_function fn, const mlx_array* a, size_t n,
                                  mlx_map_string_to_array kw, mlx_vector_array* res) {
  mlx_vector_array av = gomlx_vec(a, n);
  gomlx_transform_lock();
  gomlx_sync_thread_defaults();
  int rc = kw.ctx ? mlx_imported_function_apply_kwargs(res, fn, av, kw) : mlx_imported_function_apply(res, fn, av);
  gomlx_transform_unlock();
  mlx_vector_array_free(av);
  return gomlx_status(rc);
}
*/
import "C"

func gomlxClosureApply(cl mlxClosure, a *mlxArray, n csize, res *mlxVectorArray) *cchar {
	return C.gomlx_closure_apply(cl, a, n, res)
}
func gomlxClosureRelease(c mlxClosure, id cuintptr) { C.gomlx_closure_release(c, id) }
func gomlxExportFunction(file *cchar, f cuintptr, a *mlxArray, n csize, shapeless cbool) *cchar {
	return C.gomlx_export_function(file, f, a, n, shapeless)
}
func gomlxImportFunction(file *cchar, res *mlxImportedFunction) *cchar {
	return C.gomlx_import_function(file, res)
}
func gomlxImportedApply(fn mlxImportedFunction, a *mlxArray, n csize, kw mlxMapStringToArray, res *mlxVectorArray) *cchar {
	return C.gomlx_imported_apply(fn, a, n, kw, res)
}
func gomlxValueAndGrad(f cuintptr, argnums *cint, n csize, res *mlxClosureValueAndGrad) *cchar {
	return C.gomlx_value_and_grad(f, argnums, n, res)
}
func gomlxValueAndGradApply(vg mlxClosureValueAndGrad, a *mlxArray, n csize, values *mlxVectorArray, grads *mlxVectorArray) *cchar {
	return C.gomlx_value_and_grad_apply(vg, a, n, values, grads)
}
func gomlxVjpJvp(jvp cint, f cuintptr, p *mlxArray, np csize, v *mlxArray, nv csize, outs *mlxVectorArray, prods *mlxVectorArray) *cchar {
	return C.gomlx_vjp_jvp(jvp, f, p, np, v, nv, outs, prods)
}
func gomlxVmap(f cuintptr, a *mlxArray, n csize, inAxes *cint, nin csize, outAxes *cint, nout csize, res *mlxVectorArray) *cchar {
	return C.gomlx_vmap(f, a, n, inAxes, nin, outAxes, nout, res)
}
func gomlxWrapClosure(kind cint, f cuintptr, g cuintptr, id cuintptr, v cuintptr, res *mlxClosure) *cchar {
	return C.gomlx_wrap_closure(kind, f, g, id, v, res)
}
