// Closures over Go functions beyond the plain ones of capi.h: keyword
// closures (KwargsFunc) and custom vmap rules (VmapFunc). As there, the
// payload is a runtime/cgo.Handle of the Go function, released when MLX
// drops the closure.
#ifndef GOMLX_CLOSURE_EXTRA_H
#define GOMLX_CLOSURE_EXTRA_H

#include "capi.h"

mlx_closure_kwargs gomlx_closure_kwargs_new(uintptr_t handle);
mlx_closure_custom_vmap gomlx_closure_custom_vmap_new(uintptr_t handle);

#endif
