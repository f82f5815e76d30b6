// allsum: bench/allsum (MLX's AllSum bandwidth through the Go binding)
// written directly against mlx-c, to tell MLX's own cost from the binding's.
// Same measurement: a float32 array of MIB MiB, rank r contributing r+1,
// WARMUP untimed rounds, then ITERS rounds of a tiny all_sum (a barrier) and
// the timed all_sum with its evaluation; rank 0 prints the median time,
// algbw = bytes / time and busbw = algbw * 2(n-1)/n.
//
// Run it as a distributed job (cmd/mlxlaunch sets the environment MLX reads):
//   mlxlaunch -n 2 -backend nccl ./allsum-c [MIB [ITERS [WARMUP [BACKEND]]]]
//
// Build: cc -O2 -std=c11 -I/usr/local/include allsum.c -L/usr/local/lib
//        -Wl,-rpath,/usr/local/lib -lmlxc -lmlx -o allsum-c
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mlx/c/mlx.h"

static void check(int rc, const char* what) {
  if (rc) {
    fprintf(stderr, "allsum-c: %s failed\n", what);
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

static void eval1(mlx_array a) {
  mlx_vector_array v = mlx_vector_array_new_data(&a, 1);
  check(mlx_eval(v), "eval");
  mlx_vector_array_free(v);
}

int main(int argc, char** argv) {
  int mib = argc > 1 ? atoi(argv[1]) : 1024;
  int iters = argc > 2 ? atoi(argv[2]) : 10;
  int warmup = argc > 3 ? atoi(argv[3]) : 3;
  const char* backend = argc > 4 ? argv[4] : "nccl";
  if (mib < 1 || iters < 1 || warmup < 0) {
    fprintf(stderr, "usage: allsum-c [MIB [ITERS [WARMUP [BACKEND]]]]\n");
    return 2;
  }
  mlx_distributed_group g = mlx_distributed_group_new();
  check(mlx_distributed_init(&g, true, backend), "distributed init");
  int rank = mlx_distributed_group_rank(g), n = mlx_distributed_group_size(g);
  mlx_stream s = mlx_stream_new();
  mlx_device dev = mlx_device_new();
  check(mlx_get_default_device(&dev), "default device");
  check(mlx_get_default_stream(&s, dev), "default stream");

  int elems = (int)((size_t)mib << 20 >> 2);
  mlx_array v = mlx_array_new_float32((float)(rank + 1));
  mlx_array x = mlx_array_new(), tick = mlx_array_new_float32(1);
  check(mlx_full(&x, &elems, 1, v, MLX_FLOAT32, s), "full");
  eval1(x);
  double* t = malloc(sizeof(double) * (size_t)iters);
  float want = (float)(n * (n + 1) / 2), lo = 0, hi = 0;
  for (int i = 0; i < warmup + iters; i++) {
    mlx_array b = mlx_array_new(), y = mlx_array_new();
    check(mlx_distributed_all_sum(&b, tick, g, s), "barrier");
    eval1(b);
    double t0 = now();
    check(mlx_distributed_all_sum(&y, x, g, s), "all_sum");
    eval1(y);
    double d = now() - t0;
    if (i >= warmup) t[i - warmup] = d;
    if (i == warmup + iters - 1) {
      mlx_array m = mlx_array_new();
      check(mlx_min(&m, y, false, s), "min");
      eval1(m);
      check(mlx_array_item_float32(&lo, m), "item");
      check(mlx_max(&m, y, false, s), "max");
      eval1(m);
      check(mlx_array_item_float32(&hi, m), "item");
      mlx_array_free(m);
    }
    mlx_array_free(b);
    mlx_array_free(y);
  }
  if (lo != want || hi != want) {
    fprintf(stderr, "allsum-c: sum is in [%g, %g], want %g everywhere\n", lo, hi, want);
    return 1;
  }
  qsort(t, (size_t)iters, sizeof *t, cmp_double);
  double med = iters % 2 ? t[iters / 2] : (t[iters / 2 - 1] + t[iters / 2]) / 2;
  double bytes = (double)elems * 4, alg = bytes / med / 1e9;
  if (rank == 0) {
    printf("C: all_sum of %d MiB float32 on %d processes (%s): median %.3f ms (min %.3f, max %.3f) of %d; algbw %.1f GB/s, busbw %.1f GB/s\n",
           mib, n, backend, med * 1e3, t[0] * 1e3, t[iters - 1] * 1e3, iters, alg, alg * 2 * (n - 1) / n);
  }
  free(t);
  mlx_array_free(x);
  mlx_array_free(v);
  mlx_array_free(tick);
  mlx_stream_free(s);
  mlx_device_free(dev);
  mlx_distributed_group_free(g);
  return 0;
}
