// baseline: the workloads of bench/bench_test.go written directly against
// mlx-c, with no Go in the way. bench/report runs it next to the Go
// benchmarks and prints the ratio Go/C for each workload.
//
// Each workload runs WARMUP times untimed, then REPS timed samples; the
// median sample is printed as one line: workload<TAB>value<TAB>unit<TAB>
// spread=P%, where P is (max - min) / median of the samples' times.
// Environment: BENCH_REPS (default 7), BENCH_WARMUP (default 2), BENCH_ONLY
// (run only the workloads whose names start with it, e.g. graph_build, or,
// ending in $, only the one so named: graph_build$),
// BENCH_DEVICE (gpu: every workload on the GPU's default stream, plus the
// GPU-sized ones: matmul 4096 in float32 and bfloat16, add of 2^26 elements;
// default cpu).
//
// Build: cc -O2 -I/usr/local/include baseline.c -L/usr/local/lib
//        -Wl,-rpath,/usr/local/lib -lmlxc -lmlx -o baseline   (make bench does it)
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "mlx/c/mlx.h"

enum { CHAIN = 100000, ROUND_TRIPS = 20000 };

static int reps = 7, warmup = 2, gpu = 0;
static const char* only = "";
static double last_spread; // (max - min) / median of the last sample() call
static mlx_stream s;

static void check(int rc, const char* what) {
  if (rc) {
    fprintf(stderr, "baseline: %s failed\n", what);
    exit(1);
  }
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static double median(double* v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void eval1(mlx_array a) {
  mlx_vector_array v = mlx_vector_array_new_data(&a, 1);
  check(mlx_eval(v), "eval");
  mlx_vector_array_free(v);
}

// Runs fn(arg) warmup+reps times; fn returns the seconds of its timed part.
// Returns the median of the timed samples.
static double sample(double (*fn)(void*), void* arg) {
  double* t = malloc(sizeof(double) * (size_t)reps);
  for (int i = 0; i < warmup; i++) fn(arg);
  for (int i = 0; i < reps; i++) t[i] = fn(arg);
  double m = median(t, reps); // sorts t
  last_spread = m > 0 ? (t[reps - 1] - t[0]) / m : 0;
  free(t);
  return m;
}

static void report(const char* name, double value, const char* unit) {
  printf("%s\t%.6g\t%s\tspread=%.0f%%\n", name, value, unit, 100 * last_spread);
  fflush(stdout);
}

// ---- graph building --------------------------------------------------------

// A chain of CHAIN adds, each into a new handle, the previous handle freed at
// once (what Go's Array does, one handle per op); the final free, which
// releases the whole graph, is timed too.
static double build_chain(void* arg) {
  (void)arg;
  mlx_array one = mlx_array_new_float32(1.0f);
  mlx_array x = mlx_array_new_float32(0.0f);
  double t0 = now();
  for (int i = 0; i < CHAIN; i++) {
    mlx_array y = mlx_array_new();
    check(mlx_add(&y, x, one, s), "add");
    mlx_array_free(x);
    x = y;
  }
  mlx_array_free(x);
  double t = now() - t0;
  mlx_array_free(one);
  return t;
}

// The same chain written the mlx-c way, reusing one handle: mlx_add(&x, x, ...).
static double build_chain_inplace(void* arg) {
  (void)arg;
  mlx_array one = mlx_array_new_float32(1.0f);
  mlx_array x = mlx_array_new_float32(0.0f);
  double t0 = now();
  for (int i = 0; i < CHAIN; i++) {
    check(mlx_add(&x, x, one, s), "add");
  }
  mlx_array_free(x);
  double t = now() - t0;
  mlx_array_free(one);
  return t;
}

// Builds the chain untimed, then times its evaluation.
static double eval_chain(void* arg) {
  (void)arg;
  mlx_array one = mlx_array_new_float32(1.0f);
  mlx_array x = mlx_array_new_float32(0.0f);
  for (int i = 0; i < CHAIN; i++) {
    check(mlx_add(&x, x, one, s), "add");
  }
  double t0 = now();
  eval1(x);
  double t = now() - t0;
  float v = *mlx_array_data_float32(x);
  if (v != (float)CHAIN) {
    fprintf(stderr, "baseline: chain evaluated to %g, want %d\n", v, CHAIN);
    exit(1);
  }
  mlx_array_free(x);
  mlx_array_free(one);
  return t;
}

// ROUND_TRIPS steps of x = x + 1; eval(x), a new handle per step.
static double round_trip(void* arg) {
  (void)arg;
  mlx_array one = mlx_array_new_float32(1.0f);
  mlx_array x = mlx_array_new_float32(0.0f);
  double t0 = now();
  for (int i = 0; i < ROUND_TRIPS; i++) {
    mlx_array y = mlx_array_new();
    check(mlx_add(&y, x, one, s), "add");
    eval1(y);
    mlx_array_free(x);
    x = y;
  }
  double t = now() - t0;
  mlx_array_free(x);
  mlx_array_free(one);
  return t;
}

// ---- compute ----------------------------------------------------------------

static mlx_array randn_dtype(int rows, int cols, mlx_dtype dt) {
  int shape[2] = {rows, cols};
  mlx_array a = mlx_array_new();
  mlx_array nokey = {NULL};
  check(mlx_random_normal(&a, shape, 2, MLX_FLOAT32, 0.0f, 1.0f, nokey, s), "random_normal");
  if (dt != MLX_FLOAT32) check(mlx_astype(&a, a, dt, s), "astype");
  eval1(a);
  return a;
}

static mlx_array randn(int rows, int cols) { return randn_dtype(rows, cols, MLX_FLOAT32); }

typedef struct {
  mlx_array a, b;
  int add;   // 1: add, 0: matmul
  int iters; // ops per sample (0: 1)
} binop;

// Returns the seconds per op. The GPU rows time many ops back to back, as
// go test -bench does: one op alone runs at the card's burst clock, which a
// sustained matmul does not keep.
static double run_binop(void* arg) {
  binop* op = arg;
  int iters = op->iters > 0 ? op->iters : 1;
  double t0 = now();
  for (int i = 0; i < iters; i++) {
    mlx_array c = mlx_array_new();
    if (op->add) {
      check(mlx_add(&c, op->a, op->b, s), "add");
    } else {
      check(mlx_matmul(&c, op->a, op->b, s), "matmul");
    }
    eval1(c);
    mlx_array_free(c);
  }
  return (now() - t0) / iters;
}

enum { GPU_ITERS = 500 };

static void matmul(int n) {
  binop op = {randn(n, n), randn(n, n), 0, 1};
  double t = sample(run_binop, &op);
  char name[64];
  snprintf(name, sizeof name, "matmul_%d", n);
  report(name, 2.0 * n * n * (double)n / t / 1e9, "GFLOP/s");
  mlx_array_free(op.a);
  mlx_array_free(op.b);
}

// A GPU-sized matmul in TFLOP/s: float32 (TF32 on NVIDIA GPUs, MLX's
// default) or bfloat16.
static void matmul_big(int n, mlx_dtype dt, const char* name) {
  binop op = {randn_dtype(n, n, dt), randn_dtype(n, n, dt), 0, GPU_ITERS};
  double t = sample(run_binop, &op);
  report(name, 2.0 * n * n * (double)n / t / 1e12, "TFLOP/s");
  mlx_array_free(op.a);
  mlx_array_free(op.b);
}

static void add_large(int log2n, const char* name) {
  int n = 1 << log2n;
  binop op = {randn(1, n), randn(1, n), 1, gpu ? GPU_ITERS : 1};
  double t = sample(run_binop, &op);
  report(name, 3.0 * 4.0 * n / t / 1e9, "GB/s");
  mlx_array_free(op.a);
  mlx_array_free(op.b);
}

// ---- data in and out --------------------------------------------------------

typedef struct {
  float* buf;
  float* dst;
  int n;
  mlx_array a;
} xfer;

// mlx_array_new_data copies the buffer into MLX memory; the free is timed too.
static double data_in(void* arg) {
  xfer* x = arg;
  int shape[1] = {x->n};
  double t0 = now();
  mlx_array a = mlx_array_new_data(x->buf, shape, 1, MLX_FLOAT32);
  if (!a.ctx) check(1, "new_data");
  eval1(a);
  mlx_array_free(a);
  return now() - t0;
}

static double data_out(void* arg) {
  xfer* x = arg;
  double t0 = now();
  eval1(x->a);
  const float* p = mlx_array_data_float32(x->a);
  if (!p) check(1, "data_float32");
  memcpy(x->dst, p, sizeof(float) * (size_t)x->n);
  return now() - t0;
}

static void data_io(int mib) {
  xfer x;
  x.n = mib << 18; // MiB / 4 bytes
  size_t bytes = sizeof(float) * (size_t)x.n;
  x.buf = malloc(bytes);
  x.dst = malloc(bytes);
  for (int i = 0; i < x.n; i++) x.buf[i] = (float)i;
  memset(x.dst, 0, bytes);
  int shape[1] = {x.n};
  x.a = mlx_array_new_data(x.buf, shape, 1, MLX_FLOAT32);
  eval1(x.a);
  char name[64];
  snprintf(name, sizeof name, "data_in_%dMiB", mib);
  report(name, (double)bytes / sample(data_in, &x) / 1e9, "GB/s");
  snprintf(name, sizeof name, "data_out_%dMiB", mib);
  report(name, (double)bytes / sample(data_out, &x) / 1e9, "GB/s");
  if (memcmp(x.buf, x.dst, bytes) != 0) {
    fprintf(stderr, "baseline: data out differs from data in\n");
    exit(1);
  }
  mlx_array_free(x.a);
  free(x.buf);
  free(x.dst);
}

// ---- small model step ---------------------------------------------------------

// A 2-layer MLP, x[32,64] -> relu(x W1 + b1)[32,128] -> W2 + b2 [32,10], with a
// mean squared error against y; one step is value_and_grad with respect to
// W1, b1, W2, b2 and the evaluation of the loss and the four gradients.
enum { MLP_STEPS = 200, MLP_BATCH = 32, MLP_IN = 64, MLP_HIDDEN = 128, MLP_OUT = 10 };

static mlx_array mlp_zero;

static int mlp_loss(mlx_vector_array* res, const mlx_vector_array args) {
  mlx_array in[6];
  for (int i = 0; i < 6; i++) {
    in[i] = mlx_array_new();
    check(mlx_vector_array_get(&in[i], args, (size_t)i), "vector get");
  }
  mlx_array t1 = mlx_array_new(), t2 = mlx_array_new(), h = mlx_array_new();
  mlx_array t3 = mlx_array_new(), o = mlx_array_new(), d = mlx_array_new();
  mlx_array sq = mlx_array_new(), loss = mlx_array_new();
  check(mlx_matmul(&t1, in[4], in[0], s), "matmul");
  check(mlx_add(&t2, t1, in[1], s), "add");
  check(mlx_maximum(&h, t2, mlp_zero, s), "maximum");
  check(mlx_matmul(&t3, h, in[2], s), "matmul");
  check(mlx_add(&o, t3, in[3], s), "add");
  check(mlx_subtract(&d, o, in[5], s), "subtract");
  check(mlx_square(&sq, d, s), "square");
  check(mlx_mean(&loss, sq, false, s), "mean");
  check(mlx_vector_array_set_data(res, &loss, 1), "vector set");
  mlx_array tmp[] = {t1, t2, h, t3, o, d, sq, loss};
  for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++) mlx_array_free(tmp[i]);
  for (int i = 0; i < 6; i++) mlx_array_free(in[i]);
  return 0;
}

// mlp_data fills an array with a fixed pseudo-random sequence in [-0.5, 0.5)
// scaled by scale; the Go benchmark uses the same generator.
static mlx_array mlp_data(int rows, int cols, float scale, unsigned* state) {
  int n = rows * cols;
  float* v = malloc(sizeof(float) * (size_t)n);
  for (int i = 0; i < n; i++) {
    *state = *state * 1664525u + 1013904223u;
    v[i] = ((float)(*state >> 8) / 16777216.0f - 0.5f) * scale;
  }
  int shape[2] = {rows, cols};
  mlx_array a = rows == 1 ? mlx_array_new_data(v, shape + 1, 1, MLX_FLOAT32) : mlx_array_new_data(v, shape, 2, MLX_FLOAT32);
  free(v);
  return a;
}

static double mlp_step(void* arg) {
  (void)arg;
  unsigned state = 1;
  mlx_array in[6];
  in[0] = mlp_data(MLP_IN, MLP_HIDDEN, 0.2f, &state);
  in[1] = mlp_data(1, MLP_HIDDEN, 0.2f, &state);
  in[2] = mlp_data(MLP_HIDDEN, MLP_OUT, 0.2f, &state);
  in[3] = mlp_data(1, MLP_OUT, 0.2f, &state);
  in[4] = mlp_data(MLP_BATCH, MLP_IN, 2.0f, &state);
  in[5] = mlp_data(MLP_BATCH, MLP_OUT, 2.0f, &state);
  mlp_zero = mlx_array_new_float32(0.0f);
  mlx_vector_array args = mlx_vector_array_new_data(in, 6);
  for (int i = 0; i < 6; i++) eval1(in[i]);
  mlx_closure loss = mlx_closure_new_func(mlp_loss);
  int argnums[] = {0, 1, 2, 3};
  mlx_closure_value_and_grad vg = mlx_closure_value_and_grad_new();
  check(mlx_value_and_grad(&vg, loss, argnums, 4), "value_and_grad");
  double t0 = now();
  for (int i = 0; i < MLP_STEPS; i++) {
    mlx_vector_array values = mlx_vector_array_new(), grads = mlx_vector_array_new();
    check(mlx_closure_value_and_grad_apply(&values, &grads, vg, args), "value_and_grad apply");
    mlx_vector_array all = mlx_vector_array_new();
    check(mlx_vector_array_set(&all, values), "vector set");
    mlx_array g = mlx_array_new();
    for (size_t j = 0; j < mlx_vector_array_size(grads); j++) {
      check(mlx_vector_array_get(&g, grads, j), "vector get");
      check(mlx_vector_array_append_value(all, g), "vector append");
    }
    mlx_array_free(g);
    check(mlx_eval(all), "eval");
    mlx_vector_array_free(all);
    mlx_vector_array_free(values);
    mlx_vector_array_free(grads);
  }
  double t = now() - t0;
  mlx_closure_value_and_grad_free(vg);
  mlx_closure_free(loss);
  mlx_vector_array_free(args);
  for (int i = 0; i < 6; i++) mlx_array_free(in[i]);
  mlx_array_free(mlp_zero);
  return t;
}

static int want(const char* name) {
  size_t n = strlen(only);
  if (n > 0 && only[n - 1] == '$') return strlen(name) == n - 1 && strncmp(name, only, n - 1) == 0;
  return strncmp(name, only, n) == 0;
}

int main(void) {
  const char* e;
  if ((e = getenv("BENCH_ONLY"))) only = e;
  if ((e = getenv("BENCH_REPS")) && atoi(e) > 0) reps = atoi(e);
  if ((e = getenv("BENCH_WARMUP")) && atoi(e) >= 0) warmup = atoi(e);
  if ((e = getenv("BENCH_DEVICE")) && strcmp(e, "gpu") == 0) gpu = 1;
  s = gpu ? mlx_default_gpu_stream_new() : mlx_default_cpu_stream_new();
  mlx_string v = mlx_string_new();
  mlx_version(&v);
  fprintf(stderr, "baseline: MLX %s, %s, %d samples after %d warm-up runs\n", mlx_string_data(v), gpu ? "gpu" : "cpu", reps, warmup);
  mlx_string_free(v);

  if (want("graph_build")) report("graph_build", sample(build_chain, NULL) / CHAIN * 1e9, "ns/op");
  if (want("graph_build_inplace")) report("graph_build_inplace", sample(build_chain_inplace, NULL) / CHAIN * 1e9, "ns/op");
  if (want("eval_chain")) report("eval_chain", sample(eval_chain, NULL) / CHAIN * 1e9, "ns/op");
  if (want("eval_roundtrip")) report("eval_roundtrip", sample(round_trip, NULL) / ROUND_TRIPS * 1e9, "ns/op");
  if (want("mlp_step")) report("mlp_step", sample(mlp_step, NULL) / MLP_STEPS * 1e6, "us/step");
  if (want("matmul_1024")) matmul(1024);
  if (want("matmul_2048")) matmul(2048);
  if (want("add_2p24")) add_large(24, "add_2p24");
  if (gpu && want("matmul_4096")) matmul_big(4096, MLX_FLOAT32, "matmul_4096");
  if (gpu && want("matmul_bf16_4096")) matmul_big(4096, MLX_BFLOAT16, "matmul_bf16_4096");
  if (gpu && want("add_2p26")) add_large(26, "add_2p26");
  if (want("data_in_64MiB") || want("data_out_64MiB")) data_io(64);
  if (want("data_in_256MiB") || want("data_out_256MiB")) data_io(256);

  size_t active = 0, peak = 0;
  mlx_get_active_memory(&active);
  mlx_get_peak_memory(&peak);
  fprintf(stderr, "baseline: active memory at exit %zu bytes, peak %zu bytes\n", active, peak);
  mlx_stream_free(s);
  // Skip static destructors: MLX 0.31's CUDA backend sometimes aborts in
  // them ("Destroy(handle_) failed: driver shutting down") after a run that
  // only built graphs.
  fflush(stdout);
  fflush(stderr);
  _exit(0);
}
