// C plumbing shared by every cgo file of package mlx: error capture, stream
// resolution and the result types that shims return by value.
//
// Every mlx-c function is called through a small shim (hand-written in the
// package, generated in *_gen.go) so that, in ONE cgo call, the shim
//   1. resolves where the op runs (explicit stream, device default, scoped or
//      global default) without a round trip to Go, and
//   2. moves MLX's error message out of this OS thread's slot before the
//      goroutine can migrate to another thread.
#ifndef GOMLX_CAPI_H
#define GOMLX_CAPI_H

#if defined(__has_include)
#if !__has_include("mlx/c/mlx.h")
#error "mlx-c headers (mlx/c/mlx.h) not found: install mlx-c (macOS: brew install mlx-c; Linux: build MLX and mlx-c into /usr/local) or set MLX_PREFIX / CGO_CFLAGS and CGO_LDFLAGS to your install"
#endif
#endif

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mlx/c/mlx.h"

// Where an op runs. kind GOMLX_STREAM carries the stream handle in ctx;
// GOMLX_DEVICE names a device whose default stream is used; GOMLX_DEFAULT
// means the calling goroutine's scoped default, else the global default.
enum { GOMLX_DEFAULT = 0, GOMLX_STREAM = 1, GOMLX_DEVICE = 2 };
// ctx is a handle as an integer: cgo checks every pointer argument of a
// call, which costs more than some ops, and handles are C memory anyway.
typedef struct {
  uintptr_t ctx;
  int kind;
  int type;
  int index;
} gomlx_target;

#define GOMLX_MAX_DEVICES 64

// Global defaults, written by Go under a mutex and read lock-free here.
// Handles stored here are interned by Go and never freed.
extern void* _Atomic gomlx_default_streams[2][GOMLX_MAX_DEVICES];
extern _Atomic int gomlx_default_device; // type<<16 | index
// The default stream of the default device: what most ops run on, read in
// one load. Kept by the two setters in capi.c.
extern void* _Atomic gomlx_global_stream;

// A scoped default ("with mx.stream(s)") lives in the OS thread the scope's
// goroutine is locked to, so it never leaks into other goroutines.
typedef struct {
  int active;
  int type;
  int index;
  void* stream; // NULL: the device's global default stream
} gomlx_scope;
extern __thread gomlx_scope gomlx_current_scope;

// The last MLX error message raised on this OS thread (malloc'ed), or NULL.
extern __thread char* gomlx_errmsg;

// The error of a Go function that failed inside a transform on this thread:
// mlx-c replaces it with "mlx_closure returned a non-zero value", so the shim
// of the transform reports this one instead.
extern __thread char* gomlx_closure_errmsg;

static inline char* gomlx_take_error(void) {
  char* e = gomlx_errmsg;
  gomlx_errmsg = NULL;
  if (gomlx_closure_errmsg) {
    free(e);
    e = gomlx_closure_errmsg;
    gomlx_closure_errmsg = NULL;
  }
  if (!e) {
    e = strdup("unknown error (mlx-c reported a failure without a message)");
  }
  return e;
}

static inline void* gomlx_default_stream_of(int type, int index) {
  if (type < 0 || type > 1 || index < 0 || index >= GOMLX_MAX_DEVICES) {
    return NULL;
  }
  return atomic_load_explicit(
      &gomlx_default_streams[type][index], memory_order_acquire);
}

// MLX itself falls back on the calling thread's default stream in a few
// places (tracer copies in transforms, depends, saving); left alone it would
// make a new stream per OS thread. Each thread's MLX defaults are therefore
// kept equal to the package's: the version changes with every global default
// and every scope change, and a thread re-syncs when it sees a new one.
extern _Atomic int gomlx_defaults_version;
extern __thread int gomlx_thread_defaults_version;
void gomlx_sync_thread_defaults_slow(int version);

static inline void gomlx_sync_thread_defaults(void) {
  int v = atomic_load_explicit(&gomlx_defaults_version, memory_order_acquire);
  if (gomlx_thread_defaults_version != v) gomlx_sync_thread_defaults_slow(v);
}

// Where an op runs on a device target, or by default inside a WithStream
// scope (capi.c).
mlx_stream gomlx_resolve_slow(gomlx_target t);

// Inlined into every shim: most ops run on the default stream of the
// default device, and a few name a stream.
static inline mlx_stream gomlx_resolve(gomlx_target t) {
  gomlx_sync_thread_defaults();
  if (t.kind == GOMLX_DEFAULT && !gomlx_current_scope.active) {
    return (mlx_stream){atomic_load_explicit(&gomlx_global_stream, memory_order_acquire)};
  }
  if (t.kind == GOMLX_STREAM) {
    return (mlx_stream){(void*)t.ctx};
  }
  return gomlx_resolve_slow(t);
}

// Results returned by value: no Go pointer crosses into C, nothing escapes.
typedef struct {
  mlx_array res;
  char* err;
} gomlx_array_result;

static inline gomlx_array_result gomlx_array_result_new(void) {
  gomlx_array_result r = {{NULL}, NULL};
  return r;
}

// Frees a handle, given as an integer (cgo checks pointer arguments, at a
// cost close to the call's own); 0 is none.
static inline void gomlx_release(uintptr_t h) {
  if (h) mlx_array_free((mlx_array){(void*)h});
}

// Frees a batch of handles in one cgo call (scopes, finalizers).
static inline void gomlx_free_arrays(const uintptr_t* handles, size_t n) {
  for (size_t i = 0; i < n; i++) mlx_array_free((mlx_array){(void*)handles[i]});
}

// Frees what FromSliceNoCopy handed to MLX (capi.c).
void gomlx_adopted_release(void* payload);

typedef struct {
  mlx_vector_array res;
  char* err;
} gomlx_vector_result;


// Status-only calls: err is NULL on success.
static inline char* gomlx_status(int rc) {
  return rc ? gomlx_take_error() : NULL;
}

// Evaluation helpers: scheduling runs on the MLX thread, waiting on the caller's.
// How many transforms this thread is inside (a Go function being traced).
extern __thread int gomlx_transform_depth;

// 1 if every array is computed, 0 if not, -1 if the calling thread is inside
// a transform, where MLX cannot evaluate.
static inline int gomlx_all_available(const mlx_array* a, size_t n) {
  if (gomlx_transform_depth > 0) return -1;
  for (size_t i = 0; i < n; i++) {
    bool ok = false;
    if (_mlx_array_is_available(&ok, a[i]) || !ok) return 0;
  }
  return 1;
}

static inline char* gomlx_async_eval(const mlx_array* a, size_t n) {
  mlx_vector_array v = mlx_vector_array_new_data(a, n);
  int rc = mlx_async_eval(v);
  mlx_vector_array_free(v);
  return gomlx_status(rc);
}

// Held by the MLX thread while it schedules an evaluation, and by gomlx_poll
// around each check: MLX's is_available detaches a computed array's event,
// and scheduling a graph that uses the array as an input does the same, with
// no lock in MLX (two goroutines reading one array and a sum of it crashed
// the CUDA build).
extern pthread_mutex_t gomlx_eval_mu;

// Polls until every array is computed or max_ns pass; returns 1 if they
// all are. MLX's own wait on a CUDA event sleeps in the driver, and its
// wake-up costs more than a short evaluation on the GPU.
static inline int gomlx_poll(const mlx_array* a, size_t n, long long max_ns) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  long long until = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec + max_ns;
  for (size_t i = 0; i < n;) {
    bool ok = false;
    pthread_mutex_lock(&gomlx_eval_mu);
    int rc = _mlx_array_is_available(&ok, a[i]);
    pthread_mutex_unlock(&gomlx_eval_mu);
    if (rc) return 0;
    if (ok) {
      i++;
      continue;
    }
    clock_gettime(CLOCK_MONOTONIC, &ts);
    if ((long long)ts.tv_sec * 1000000000LL + ts.tv_nsec > until) return 0;
  }
  return 1;
}

// MLX's active memory in bytes, 0 where it cannot be read (pressure.go): a
// value, so that no Go pointer escapes to the heap on every Eval.
static inline size_t gomlx_active_memory(void) {
  size_t n = 0;
  if (mlx_get_active_memory(&n)) {
    free(gomlx_take_error());
    return 0;
  }
  return n;
}

static inline char* gomlx_wait(const mlx_array* a, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (_mlx_array_wait(a[i])) return gomlx_take_error();
  }
  return NULL;
}

// Container conversions, one cgo call each.
static inline size_t gomlx_vector_size(mlx_vector_array v) {
  return v.ctx ? mlx_vector_array_size(v) : 0;
}

// Moves the arrays of v into out (n = gomlx_vector_size(v)) and frees v.
static inline char* gomlx_vector_take(mlx_vector_array v, mlx_array* out, size_t n) {
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    out[i] = mlx_array_new();
    rc = mlx_vector_array_get(&out[i], v, i);
  }
  mlx_vector_array_free(v);
  return gomlx_status(rc);
}

// The MLX thread (see owner.go): one C thread creates every stream and
// schedules every evaluation. gomlx_owner_run hands it one task and returns
// when the task is done; kinds below.
enum {
  GOMLX_TASK_NOP = 0,
  GOMLX_TASK_NEW_STREAM,         // type, index -> stream
  GOMLX_TASK_DEFAULT_STREAM,     // type, index -> stream (MLX's default there)
  GOMLX_TASK_SET_DEFAULT_DEVICE, // type, index
  GOMLX_TASK_SET_DEFAULT_STREAM, // ctx
  GOMLX_TASK_SYNC_BEGIN,         // ctx -> marker scheduled behind the stream's work
  GOMLX_TASK_ASYNC_EVAL,         // arrays, n
  GOMLX_TASK_CALL,               // fn(arg)
};
typedef struct {
  mlx_stream stream;
  mlx_array marker;
  char* err;
  int tid; // OS thread the task ran on
} gomlx_owner_result;
int gomlx_owner_start(void);
// gomlx_set_spins sets how long the MLX thread spins for its next task, and
// a caller for its task's end, before sleeping.
void gomlx_set_spins(long long owner_ns, long long caller_ns);
// gomlx_async_eval_here schedules an evaluation on the calling thread, under
// the same locks as the MLX thread's (for graphs whose streams are bound to
// no thread: see evalOnCaller in array.go); it returns the error message or
// NULL.
char* gomlx_async_eval_here(const mlx_array* arrays, size_t n);
// gomlx_owner_call runs fn(arg) on the MLX thread, for mlx-c functions that
// take no stream but evaluate (saving) or use the thread's default stream;
// it returns the error message taken there, or NULL.
typedef int (*gomlx_owner_fn)(void* arg);
char* gomlx_owner_call(gomlx_owner_fn fn, void* arg);
gomlx_owner_result gomlx_owner_run(int kind, int type, int index, void* ctx, const mlx_array* arrays, size_t n);

// Closures over Go functions (transforms.go). The payload is a
// runtime/cgo.Handle of the Go function, released when MLX drops the closure.
mlx_closure gomlx_closure_new(uintptr_t handle);
mlx_closure_custom gomlx_closure_custom_new(uintptr_t handle);
mlx_closure_custom_jvp gomlx_closure_custom_jvp_new(uintptr_t handle);
void gomlx_set_closure_error(char* msg);

// MLX keeps transform state (the trace stack, grad counters) in globals
// without locks; every transform holds this recursive lock, so nested
// transforms on one thread work and transforms on different threads take
// turns.
void gomlx_transform_lock(void);
void gomlx_transform_unlock(void);

void gomlx_install_error_handler(void);
int gomlx_gettid(void);
gomlx_scope gomlx_scope_swap(gomlx_scope next);
void gomlx_set_default_stream(int type, int index, void* ctx);
void gomlx_set_default_device(int type, int index);

#endif
