// MLX keeps one compile cache per OS thread (a thread_local in MLX's
// compile.cpp), filled on whichever thread runs a compiled function.
// ClearCompileCache (compile_cache.go) clears the calling thread's cache and
// bumps a generation; every other thread clears its own the next time it
// enters its outermost transform (gomlx_compile_cache_sync, called by
// gomlx_transform_lock in capi.c), compiled calls nested in Grad or Vmap
// included.
#ifndef GOMLX_COMPILE_CACHE_H
#define GOMLX_COMPILE_CACHE_H

#include "capi.h"

// Clears this thread's cache if ClearCompileCache ran since it last did.
// Only outside any transform on this thread (depth 1: the caller's own
// lock), where no compiled function is using an entry.
void gomlx_compile_cache_sync(void);

// Clears every thread's cache (this one now, the others lazily).
char* gomlx_compile_cache_clear(void);

#endif
