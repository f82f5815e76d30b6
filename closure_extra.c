// Trampolines from mlx-c's keyword closures and custom vmap closures into Go;
// see closure_extra.h.
#include "closure_extra.h"
#include "_cgo_export.h"

static void gomlx_extra_handle_dtor(void* payload) { gomlxReleaseHandle((uintptr_t)payload); }

static int gomlx_closure_kwargs_tramp(mlx_vector_array* res, const mlx_vector_array input,
    const mlx_map_string_to_array kwargs, void* payload) {
  return gomlxCallKwargsFunc((uintptr_t)payload, res, input, kwargs);
}

mlx_closure_kwargs gomlx_closure_kwargs_new(uintptr_t handle) {
  return mlx_closure_kwargs_new_func_payload(gomlx_closure_kwargs_tramp, (void*)handle, gomlx_extra_handle_dtor);
}

static int gomlx_closure_custom_vmap_tramp(mlx_vector_array* res, mlx_vector_int* out_axes,
    const mlx_vector_array input, const int* axes, size_t n, void* payload) {
  return gomlxCallVmap((uintptr_t)payload, res, out_axes, input, (int*)axes, n);
}

mlx_closure_custom_vmap gomlx_closure_custom_vmap_new(uintptr_t handle) {
  return mlx_closure_custom_vmap_new_func_payload(gomlx_closure_custom_vmap_tramp, (void*)handle, gomlx_extra_handle_dtor);
}
