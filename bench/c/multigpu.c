// multigpu: what MLX 0.31.2's CUDA backend does when a process sees two
// GPUs and touches MLX from more than one thread, through mlx-c alone (no
// Go). Each scenario runs in its own process (argv[1]) and prints one line
// per step: the step, the CUDA device current on the calling thread (read
// through the driver API, libcuda.so.1), and MLX's result or error.
//
//   first        main thread: an array from host data (MLX's first
//                allocation), then a read of it
//   goroutines   the Go binding's threading: a worker thread (the "MLX
//                thread") creates the GPU stream and schedules evaluations;
//                the main thread makes arrays from host data, builds the
//                graph, waits for the result and reads it
//   owner-first  the same, but the worker thread makes MLX's first
//                allocation (MLX's allocator is built on it)
//   reader       as goroutines, but another thread waits for each result
//                and the main thread then reads it without waiting (a
//                goroutine reading an array another one evaluated)
//   waited       the worker thread builds the allocator and creates streams
//                on GPU 0 and GPU 1 and schedules work on both (GPU 1's
//                long: matmuls); another thread waits for GPU 0's result; the
//                main thread waits for GPU 1's (really waiting, which makes
//                GPU 1 its current device), reads it, then reads GPU 0's
//   fresh        the same, but the main thread waits for nothing: it reads
//                GPU 1's result, then GPU 0's, on its default device
//   cross        one thread: work on GPU 0, then on GPU 1, each evaluated;
//                then reads of both results (GPU 0's first)
//   cross10      the other way round: GPU 1's work evaluated first, GPU 0's
//                last, then GPU 1's result read first
//
// Build: cc -O1 -std=c11 -I/usr/local/include multigpu.c -L/usr/local/lib
//        -Wl,-rpath,/usr/local/lib -lmlxc -lmlx -ldl -lpthread -o multigpu
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlx/c/mlx.h"

// mlx-c's private helpers that the Go binding uses to wait for one array.
int _mlx_array_wait(const mlx_array arr);

static __thread char errmsg[1024];

static void on_error(const char* msg, void* data) {
  (void)data;
  snprintf(errmsg, sizeof errmsg, "%s", msg);
}

// The CUDA device current on this thread, or -1 (no context, no driver).
static int current_device(void) {
  static int (*ctx_get_device)(int*);
  static int loaded;
  if (!loaded) {
    loaded = 1;
    void* h = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
    if (h) ctx_get_device = (int (*)(int*))dlsym(h, "cuCtxGetDevice");
  }
  int d = -1;
  if (!ctx_get_device || ctx_get_device(&d) != 0) return -1;
  return d;
}

static void report(const char* who, const char* step, int rc) {
  printf("%-6s %-44s device %2d  %s%s\n", who, step, current_device(), rc ? "ERROR " : "ok", rc ? errmsg : "");
  fflush(stdout);
  errmsg[0] = 0;
}

// ---- a worker thread that runs tasks one at a time, as the Go binding's
// MLX thread does ------------------------------------------------------------

typedef void (*task_fn)(void*);
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static task_fn pending;
static void* pending_arg;
static int busy;

static void* owner_main(void* arg) {
  (void)arg;
  for (;;) {
    pthread_mutex_lock(&mu);
    while (!pending) pthread_cond_wait(&cv, &mu);
    task_fn f = pending;
    void* a = pending_arg;
    pthread_mutex_unlock(&mu);
    f(a);
    pthread_mutex_lock(&mu);
    pending = NULL;
    busy = 0;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
  }
  return NULL;
}

static void on_owner(task_fn f, void* a) {
  pthread_mutex_lock(&mu);
  pending = f;
  pending_arg = a;
  busy = 1;
  pthread_cond_broadcast(&cv);
  while (busy) pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
}

static mlx_stream gpu_stream, gpu1_stream;
static void task_first_alloc(void* a) {
  (void)a;
  size_t n;
  report("owner", "get_active_memory (builds the allocator)", mlx_get_active_memory(&n));
}
static void task_new_stream(void* a) {
  (void)a;
  gpu_stream = mlx_stream_new_device(mlx_device_new_type(MLX_GPU, 0));
  report("owner", "new GPU 0 stream", gpu_stream.ctx == NULL);
}
static void task_new_streams(void* a) {
  (void)a;
  gpu_stream = mlx_stream_new_device(mlx_device_new_type(MLX_GPU, 0));
  gpu1_stream = mlx_stream_new_device(mlx_device_new_type(MLX_GPU, 1));
  report("owner", "new GPU 0 and GPU 1 streams", gpu_stream.ctx == NULL || gpu1_stream.ctx == NULL);
}
static void task_async_eval2(void* a) {
  mlx_vector_array v = mlx_vector_array_new_data((mlx_array*)a, 2);
  report("owner", "async_eval of both", mlx_async_eval(v));
  mlx_vector_array_free(v);
}
static void task_async_eval(void* a) {
  mlx_vector_array v = mlx_vector_array_new_data((mlx_array*)a, 1);
  report("owner", "async_eval", mlx_async_eval(v));
  mlx_vector_array_free(v);
}

// ---- helpers -----------------------------------------------------------------

enum { N = 1 << 20 };

static mlx_array host_array(float v) {
  float* data = malloc(sizeof(float) * N);
  for (int i = 0; i < N; i++) data[i] = v;
  int shape[1] = {N};
  mlx_array a = mlx_array_new_data(data, shape, 1, MLX_FLOAT32);
  free(data);
  return a;
}

static int read_check(mlx_array a, float want) {
  const float* p = mlx_array_data_float32(a);
  if (!p) {
    if (!errmsg[0]) snprintf(errmsg, sizeof errmsg, "no data (no message)");
    return 1;
  }
  if (p[0] != want || p[N - 1] != want) {
    snprintf(errmsg, sizeof errmsg, "read %g, %g; want %g", p[0], p[N - 1], want);
    return 1;
  }
  return 0;
}

// b = a + a on stream s
static mlx_array doubled(mlx_array a, mlx_stream s) {
  mlx_array b = mlx_array_new();
  report("main", "build a + a", mlx_add(&b, a, a, s));
  return b;
}

static int eval1(mlx_array a) {
  mlx_vector_array v = mlx_vector_array_new_data(&a, 1);
  int rc = mlx_eval(v);
  mlx_vector_array_free(v);
  return rc;
}

// ---- scenarios -----------------------------------------------------------------

static void first(void) {
  mlx_array a = host_array(3);
  report("main", "array from host data", a.ctx == NULL);
  report("main", "read it", read_check(a, 3));
}

static void* waiter(void* b) {
  report("waiter", "wait for a + a", _mlx_array_wait(*(mlx_array*)b));
  return NULL;
}

static void goroutines(int owner_allocates_first, int other_waits) {
  pthread_t th;
  pthread_create(&th, NULL, owner_main, NULL);
  if (owner_allocates_first) on_owner(task_first_alloc, NULL);
  on_owner(task_new_stream, NULL);
  mlx_array a = host_array(1);
  report("main", "array from host data", a.ctx == NULL);
  report("main", "read it", read_check(a, 1));
  for (int round = 0; round < 3; round++) {
    mlx_array b = doubled(a, gpu_stream);
    on_owner(task_async_eval, &b);
    if (other_waits) {
      pthread_t w;
      pthread_create(&w, NULL, waiter, &b);
      pthread_join(w, NULL);
    } else {
      report("main", "wait for a + a", _mlx_array_wait(b));
    }
    report("main", "read a + a (GPU 0's buffer)", read_check(b, 2));
    mlx_array_free(b);
  }
}

// ones(N) + 1 on s after a chain of 20 matmuls of 4096x4096 (about 10 ms
// of GPU work) whose result is all ones again: 2 everywhere.
static mlx_array long_work(mlx_stream s) {
  int shape[2] = {4096, 4096}, flat[1] = {N};
  mlx_array q = mlx_array_new_float32(1.0f / 4096), one = mlx_array_new_float32(1);
  mlx_array w = mlx_array_new(), m = mlx_array_new(), t = mlx_array_new();
  mlx_full(&w, shape, 2, q, MLX_FLOAT32, s);
  mlx_full(&m, shape, 2, one, MLX_FLOAT32, s);
  for (int k = 0; k < 20; k++) {
    mlx_matmul(&t, m, w, s);
    mlx_array_set(&m, t);
  }
  mlx_array r = mlx_array_new(), f = mlx_array_new();
  int start[2] = {0, 0}, stop[2] = {256, 4096}, strides[2] = {1, 1};
  mlx_slice(&f, m, start, 2, stop, 2, strides, 2, s); // N = 256 * 4096
  mlx_reshape(&t, f, flat, 1, s);
  report("main", "build long GPU 1 work", mlx_add(&r, t, one, s));
  mlx_array_free(q), mlx_array_free(one), mlx_array_free(w), mlx_array_free(m), mlx_array_free(t), mlx_array_free(f);
  return r;
}

typedef struct {
  const char* what;
  mlx_array a;
} wait_job;

static void* waiter_job(void* p) {
  wait_job* j = p;
  report("waiter", j->what, _mlx_array_wait(j->a));
  return NULL;
}

static void wait_on_other_thread(const char* what, mlx_array a) {
  pthread_t w;
  wait_job j = {what, a};
  pthread_create(&w, NULL, waiter_job, &j);
  pthread_join(w, NULL);
}

static void two_gpus(int main_waits) {
  pthread_t th;
  pthread_create(&th, NULL, owner_main, NULL);
  on_owner(task_first_alloc, NULL);
  on_owner(task_new_streams, NULL);
  mlx_array a = host_array(1);
  mlx_array b[2] = {doubled(a, gpu_stream), long_work(gpu1_stream)};
  on_owner(task_async_eval2, b);
  wait_on_other_thread("wait for GPU 0's result", b[0]);
  if (main_waits) {
    report("main", "wait for GPU 1's result", _mlx_array_wait(b[1]));
  } else {
    wait_on_other_thread("wait for GPU 1's result", b[1]);
  }
  report("main", "read GPU 1's result", read_check(b[1], 2));
  report("main", "read GPU 0's result", read_check(b[0], 2));
}

static void cross(int first) {
  mlx_stream s[2] = {mlx_stream_new_device(mlx_device_new_type(MLX_GPU, 0)),
                     mlx_stream_new_device(mlx_device_new_type(MLX_GPU, 1))};
  report("main", "streams on GPU 0 and GPU 1", s[0].ctx == NULL || s[1].ctx == NULL);
  mlx_array a = host_array(1);
  mlx_array b[2] = {doubled(a, s[0]), doubled(a, s[1])};
  int second = 1 - first;
  char what[64];
  snprintf(what, sizeof what, "eval on GPU %d", first);
  report("main", what, eval1(b[first]));
  snprintf(what, sizeof what, "eval on GPU %d", second);
  report("main", what, eval1(b[second]));
  snprintf(what, sizeof what, "read GPU %d's result", first);
  report("main", what, read_check(b[first], 2));
  snprintf(what, sizeof what, "read GPU %d's result", second);
  report("main", what, read_check(b[second], 2));
  mlx_stream s0 = s[0];
  mlx_array b0 = b[0];
  mlx_array c0 = doubled(b0, s0);
  report("main", "eval more on GPU 0", eval1(c0));
  report("main", "read it", read_check(c0, 4));
}

int main(int argc, char** argv) {
  mlx_set_error_handler(on_error, NULL, NULL);
  const char* which = argc > 1 ? argv[1] : "";
  printf("== %s (CUDA_VISIBLE_DEVICES=%s)\n", which, getenv("CUDA_VISIBLE_DEVICES") ? getenv("CUDA_VISIBLE_DEVICES") : "unset");
  if (!strcmp(which, "first")) {
    first();
  } else if (!strcmp(which, "goroutines")) {
    goroutines(0, 0);
  } else if (!strcmp(which, "owner-first")) {
    goroutines(1, 0);
  } else if (!strcmp(which, "reader")) {
    goroutines(0, 1);
  } else if (!strcmp(which, "waited")) {
    two_gpus(1);
  } else if (!strcmp(which, "fresh")) {
    two_gpus(0);
  } else if (!strcmp(which, "cross")) {
    cross(0);
  } else if (!strcmp(which, "cross10")) {
    cross(1);
  } else {
    fprintf(stderr, "usage: multigpu first|goroutines|owner-first|reader|waited|fresh|cross|cross10\n");
    return 2;
  }
  return 0;
}
