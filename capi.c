// C plumbing of package mlx; see capi.h.
#define _GNU_SOURCE
#include "capi.h"
#include "_cgo_export.h"
#include "compile_cache.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#elif defined(__APPLE__)
#include <pthread.h>
#endif

void* _Atomic gomlx_default_streams[2][GOMLX_MAX_DEVICES];
_Atomic int gomlx_default_device;
void* _Atomic gomlx_global_stream;
__thread gomlx_scope gomlx_current_scope;
__thread char* gomlx_errmsg;
__thread char* gomlx_closure_errmsg;
_Atomic int gomlx_defaults_version = 1;
__thread int gomlx_thread_defaults_version;

// mlx-c calls the handler on the thread whose call failed; the shim that made
// the call takes the message before returning to Go.
static void gomlx_error_handler(const char* msg, void* data) {
  (void)data;
  free(gomlx_errmsg);
  gomlx_errmsg = strdup(msg ? msg : "unknown error");
}

void gomlx_install_error_handler(void) {
  mlx_set_error_handler(gomlx_error_handler, NULL, NULL);
}

int gomlx_gettid(void) {
#if defined(__linux__)
  return (int)syscall(SYS_gettid);
#elif defined(__APPLE__)
  uint64_t tid = 0;
  pthread_threadid_np(NULL, &tid);
  return (int)tid;
#else
  return 0;
#endif
}

gomlx_scope gomlx_scope_swap(gomlx_scope next) {
  gomlx_scope prev = gomlx_current_scope;
  gomlx_current_scope = next;
  gomlx_thread_defaults_version = 0; // re-sync this thread's MLX defaults
  return prev;
}

void gomlx_sync_thread_defaults_slow(int version) {
  gomlx_thread_defaults_version = version;
  for (int type = 0; type < 2; type++) {
    for (int index = 0; index < GOMLX_MAX_DEVICES; index++) {
      void* ctx = gomlx_default_stream_of(type, index);
      if (gomlx_current_scope.active && gomlx_current_scope.stream &&
          gomlx_current_scope.type == type && gomlx_current_scope.index == index) {
        ctx = gomlx_current_scope.stream;
      }
      if (ctx) {
        mlx_stream s = {ctx};
        if (mlx_set_default_stream(s)) free(gomlx_take_error());
      }
    }
  }
}

// A device target, or the default inside a WithStream scope: gomlx_resolve
// handles the rest.
mlx_stream gomlx_resolve_slow(gomlx_target t) {
  const gomlx_scope* sc = &gomlx_current_scope;
  int type = sc->type, index = sc->index;
  if (t.kind == GOMLX_DEVICE) {
    type = t.type;
    index = t.index;
  }
  if (sc->active && sc->stream && sc->type == type && sc->index == index) {
    return (mlx_stream){sc->stream};
  }
  return (mlx_stream){gomlx_default_stream_of(type, index)};
}

void gomlx_set_default_stream(int type, int index, void* ctx) {
  atomic_store_explicit(
      &gomlx_default_streams[type][index], ctx, memory_order_release);
  if (atomic_load(&gomlx_default_device) == ((type << 16) | index)) {
    atomic_store_explicit(&gomlx_global_stream, ctx, memory_order_release);
  }
  atomic_fetch_add(&gomlx_defaults_version, 1);
}

void gomlx_set_default_device(int type, int index) {
  atomic_store_explicit(
      &gomlx_default_device, (type << 16) | index, memory_order_release);
  atomic_store_explicit(
      &gomlx_global_stream, gomlx_default_stream_of(type, index), memory_order_release);
}

// ---- The MLX thread -------------------------------------------------------
//
// A plain C thread rather than a locked goroutine: handing work to a locked
// goroutine costs two trips through Go's scheduler. Both sides spin briefly
// before sleeping, because on virtual machines a futex wake-up costs several
// microseconds and an evaluation's scheduling takes only a few.

typedef struct gomlx_task {
  int kind, type, index;
  gomlx_owner_fn fn;
  void* arg;
  void* ctx;
  const mlx_array* arrays;
  size_t n;
  gomlx_owner_result res;
  _Atomic int done;
  struct gomlx_task* next;
} gomlx_task;

static pthread_mutex_t owner_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t owner_work = PTHREAD_COND_INITIALIZER;
static pthread_cond_t owner_done = PTHREAD_COND_INITIALIZER;
static gomlx_task *owner_head, *owner_tail;
static _Atomic int owner_pending;  // tasks queued
static _Atomic int owner_sleeping; // the MLX thread waits on owner_work
static _Atomic int done_sleepers;  // callers waiting on owner_done

// Short by default: MLX's CPU worker needs a core too, and on a 2-core
// machine longer spins (50 and 100 µs) made a training step 1.7x slower than
// in C and collapsed under load (an add+eval round trip 5x slower). GPU
// machines with cores to spare get long ones (gomlx_set_spins).
static _Atomic long long gomlx_owner_spin_ns = 2000, gomlx_caller_spin_ns = 10000;

void gomlx_set_spins(long long owner_ns, long long caller_ns) {
  atomic_store(&gomlx_owner_spin_ns, owner_ns);
  atomic_store(&gomlx_caller_spin_ns, caller_ns);
}

static inline long long gomlx_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void gomlx_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

static void gomlx_run_task(gomlx_task* t) {
  gomlx_owner_result* r = &t->res;
  mlx_device d = {NULL};
  if (t->kind == GOMLX_TASK_NEW_STREAM || t->kind == GOMLX_TASK_DEFAULT_STREAM ||
      t->kind == GOMLX_TASK_SET_DEFAULT_DEVICE) {
    d = mlx_device_new_type((mlx_device_type)t->type, t->index);
  }
  gomlx_errmsg = NULL;
  gomlx_sync_thread_defaults();
  switch (t->kind) {
    case GOMLX_TASK_CALL:
      gomlx_transform_lock(); // these calls may evaluate (saving)
      r->err = gomlx_status(t->fn(t->arg));
      gomlx_transform_unlock();
      break;
    case GOMLX_TASK_NEW_STREAM:
      r->stream = mlx_stream_new_device(d);
      if (!r->stream.ctx) r->err = gomlx_take_error();
      break;
    case GOMLX_TASK_DEFAULT_STREAM:
      r->stream = mlx_stream_new();
      if (mlx_get_default_stream(&r->stream, d)) r->err = gomlx_take_error();
      break;
    case GOMLX_TASK_SET_DEFAULT_DEVICE:
      r->err = gomlx_status(mlx_set_default_device(d));
      break;
    case GOMLX_TASK_SET_DEFAULT_STREAM: {
      mlx_stream s = {t->ctx};
      r->err = gomlx_status(mlx_set_default_stream(s));
      break;
    }
    case GOMLX_TASK_SYNC_BEGIN: {
      // A marker op behind everything already enqueued on the stream, as
      // MLX's own synchronize does; the caller waits for the marker.
      mlx_stream s = {t->ctx};
      mlx_array x = mlx_array_new_bool(true);
      r->marker = mlx_array_new();
      int rc = mlx_copy(&r->marker, x, s);
      mlx_array_free(x);
      if (rc) {
        r->err = gomlx_take_error();
      } else {
        gomlx_transform_lock();
        r->err = gomlx_async_eval(&r->marker, 1);
        gomlx_transform_unlock();
      }
      break;
    }
    case GOMLX_TASK_ASYNC_EVAL:
      // MLX refuses to evaluate while any thread is inside a transform
      // (its tracing state is global): wait for the transform to finish.
      gomlx_transform_lock();
      pthread_mutex_lock(&gomlx_eval_mu);
      r->err = gomlx_async_eval(t->arrays, t->n);
      pthread_mutex_unlock(&gomlx_eval_mu);
      gomlx_transform_unlock();
      break;
  }
  if (d.ctx) mlx_device_free(d);
  r->tid = gomlx_gettid();
}

static gomlx_task* gomlx_owner_next(void) {
  long long until = gomlx_now_ns() + atomic_load_explicit(&gomlx_owner_spin_ns, memory_order_relaxed);
  while (atomic_load(&owner_pending) == 0 && gomlx_now_ns() < until) {
    gomlx_cpu_relax();
  }
  pthread_mutex_lock(&owner_mu);
  while (!owner_head) {
    atomic_store(&owner_sleeping, 1);
    pthread_cond_wait(&owner_work, &owner_mu);
    atomic_store(&owner_sleeping, 0);
  }
  gomlx_task* t = owner_head;
  owner_head = t->next;
  if (!owner_head) owner_tail = NULL;
  atomic_fetch_sub(&owner_pending, 1);
  pthread_mutex_unlock(&owner_mu);
  return t;
}

static void* gomlx_owner_main(void* arg) {
  (void)arg;
  // MLX builds its allocator on the thread of the first allocation; with
  // CUDA that leaves the thread's current device set to the last GPU. Build
  // it here, on the MLX thread, which makes every device current itself
  // before it uses it, not on a caller's thread (see docs/cuda.md).
  size_t unused;
  if (mlx_get_active_memory(&unused)) free(gomlx_take_error());
  for (;;) {
    gomlx_task* t = gomlx_owner_next();
    gomlx_run_task(t);
    atomic_store(&t->done, 1);
    if (atomic_load(&done_sleepers) > 0) {
      pthread_mutex_lock(&owner_mu);
      pthread_cond_broadcast(&owner_done);
      pthread_mutex_unlock(&owner_mu);
    }
  }
  return NULL;
}

static void gomlx_owner_submit(gomlx_task* t) {
  pthread_mutex_lock(&owner_mu);
  if (owner_tail) owner_tail->next = t; else owner_head = t;
  owner_tail = t;
  atomic_fetch_add(&owner_pending, 1);
  if (atomic_load(&owner_sleeping)) pthread_cond_signal(&owner_work);
  pthread_mutex_unlock(&owner_mu);

  long long until = gomlx_now_ns() + atomic_load_explicit(&gomlx_caller_spin_ns, memory_order_relaxed);
  while (!atomic_load(&t->done) && gomlx_now_ns() < until) {
    gomlx_cpu_relax();
  }
  if (!atomic_load(&t->done)) {
    pthread_mutex_lock(&owner_mu);
    atomic_fetch_add(&done_sleepers, 1);
    while (!atomic_load(&t->done)) pthread_cond_wait(&owner_done, &owner_mu);
    atomic_fetch_sub(&done_sleepers, 1);
    pthread_mutex_unlock(&owner_mu);
  }
}

// Work that evaluates waits on the MLX thread for the transform lock; asked
// for from inside a transform, it would wait for itself.
static const char* gomlx_in_transform_msg =
    "cannot evaluate inside a transformed function (Grad, VJP, Vmap, Compile...): return the arrays instead";

gomlx_owner_result gomlx_owner_run(int kind, int type, int index, void* ctx, const mlx_array* arrays, size_t n) {
  gomlx_task t;
  memset(&t, 0, sizeof t);
  if (gomlx_transform_depth > 0 && (kind == GOMLX_TASK_ASYNC_EVAL || kind == GOMLX_TASK_SYNC_BEGIN)) {
    t.res.err = strdup(gomlx_in_transform_msg);
    return t.res;
  }
  t.kind = kind;
  t.type = type;
  t.index = index;
  t.ctx = ctx;
  t.arrays = arrays;
  t.n = n;
  gomlx_owner_submit(&t);
  return t.res;
}

char* gomlx_async_eval_here(const mlx_array* arrays, size_t n) {
  if (gomlx_transform_depth > 0) return strdup(gomlx_in_transform_msg);
  gomlx_sync_thread_defaults();
  gomlx_transform_lock();
  pthread_mutex_lock(&gomlx_eval_mu);
  char* err = gomlx_async_eval(arrays, n);
  pthread_mutex_unlock(&gomlx_eval_mu);
  gomlx_transform_unlock();
  return err;
}

char* gomlx_owner_call(gomlx_owner_fn fn, void* arg) {
  gomlx_task t;
  memset(&t, 0, sizeof t);
  if (gomlx_transform_depth > 0) return strdup(gomlx_in_transform_msg);
  t.kind = GOMLX_TASK_CALL;
  t.fn = fn;
  t.arg = arg;
  gomlx_owner_submit(&t);
  return t.res.err;
}

int gomlx_owner_start(void) {
  pthread_t th;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, 8 << 20);
  int rc = pthread_create(&th, &attr, gomlx_owner_main, NULL);
  pthread_attr_destroy(&attr);
  if (rc) return -1;
  return gomlx_owner_run(GOMLX_TASK_NOP, 0, 0, NULL, NULL, 0).tid;
}

// ---- Closures over Go functions --------------------------------------------

static int gomlx_closure_tramp(mlx_vector_array* res, const mlx_vector_array input, void* payload) {
  return gomlxCallFunc((uintptr_t)payload, res, input);
}

static int gomlx_closure_custom_tramp(mlx_vector_array* res, const mlx_vector_array primals,
    const mlx_vector_array cotangents, const mlx_vector_array outputs, void* payload) {
  return gomlxCallVJP((uintptr_t)payload, res, primals, cotangents, outputs);
}

static int gomlx_closure_custom_jvp_tramp(mlx_vector_array* res, const mlx_vector_array primals,
    const mlx_vector_array tangents, const int* argnums, size_t n, void* payload) {
  return gomlxCallJVP((uintptr_t)payload, res, primals, tangents, (int*)argnums, n);
}

static void gomlx_handle_dtor(void* payload) { gomlxReleaseHandle((uintptr_t)payload); }

mlx_closure_custom_jvp gomlx_closure_custom_jvp_new(uintptr_t handle) {
  return mlx_closure_custom_jvp_new_func_payload(gomlx_closure_custom_jvp_tramp, (void*)handle, gomlx_handle_dtor);
}

mlx_closure gomlx_closure_new(uintptr_t handle) {
  return mlx_closure_new_func_payload(gomlx_closure_tramp, (void*)handle, gomlx_handle_dtor);
}

mlx_closure_custom gomlx_closure_custom_new(uintptr_t handle) {
  return mlx_closure_custom_new_func_payload(gomlx_closure_custom_tramp, (void*)handle, gomlx_handle_dtor);
}

void gomlx_set_closure_error(char* msg) {
  free(gomlx_closure_errmsg);
  gomlx_closure_errmsg = msg;
}

static pthread_mutex_t gomlx_transform_mu;
static pthread_once_t gomlx_transform_once = PTHREAD_ONCE_INIT;

static void gomlx_transform_init(void) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&gomlx_transform_mu, &a);
  pthread_mutexattr_destroy(&a);
}

__thread int gomlx_transform_depth;

pthread_mutex_t gomlx_eval_mu = PTHREAD_MUTEX_INITIALIZER;

void gomlx_transform_lock(void) {
  pthread_once(&gomlx_transform_once, gomlx_transform_init);
  pthread_mutex_lock(&gomlx_transform_mu);
  if (++gomlx_transform_depth == 1) {
    // Entering this thread's outermost transform, where no compiled
    // function is in use: catch up with ClearCompileCache.
    gomlx_compile_cache_sync();
  }
}

void gomlx_transform_unlock(void) {
  gomlx_transform_depth--;
  pthread_mutex_unlock(&gomlx_transform_mu);
}

// MLX calls this when it no longer needs memory it was given by
// FromSliceNoCopy: at once after copying it, or when the last array sharing
// it is freed. payload is the cgo.Handle of the Go side's record.
void gomlx_adopted_release(void* payload) {
  gomlxReleaseAdopted((uintptr_t)payload);
}
