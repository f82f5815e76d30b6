// See compile_cache.h.
#include "compile_cache.h"

static _Atomic unsigned gomlx_compile_generation;
static __thread unsigned gomlx_thread_compile_generation;

void gomlx_compile_cache_sync(void) {
  unsigned g = atomic_load_explicit(&gomlx_compile_generation, memory_order_acquire);
  if (g == gomlx_thread_compile_generation || gomlx_transform_depth != 1) return;
  gomlx_thread_compile_generation = g;
  if (mlx_detail_compile_clear_cache()) free(gomlx_take_error());
}

static const char* gomlx_compile_clear_in_transform =
    "cannot clear the compile cache inside a transformed function";

char* gomlx_compile_cache_clear(void) {
  if (gomlx_transform_depth > 0) return strdup(gomlx_compile_clear_in_transform);
  gomlx_transform_lock();
  unsigned g = atomic_fetch_add_explicit(&gomlx_compile_generation, 1, memory_order_acq_rel) + 1;
  gomlx_thread_compile_generation = g;
  int rc = mlx_detail_compile_clear_cache();
  gomlx_transform_unlock();
  return gomlx_status(rc);
}
