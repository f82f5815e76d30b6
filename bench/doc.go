// Package bench is the benchmark suite of the Go binding: the workloads of
// the C baseline (bench/c/baseline.c, mlx-c called directly) written with
// the public API, as testing.B benchmarks.
//
//	go test -bench . -run '^$' -count 5 ./bench    # the Go side alone
//	make bench                                     # C and Go side by side, plus bench/memloop
//	make bench-instr                               # instructions per op, C and Go (bench/instr)
//
// BENCH_DEVICE=gpu runs both sides on the GPU's default stream and adds the
// GPU-sized workloads (matmul 4096 in float32 and bfloat16, add of 2^26
// elements); docs/cuda.md says how to run them on a CUDA machine.
//
// Plain go test ./... runs only TestSmoke here, which checks each workload at
// a tiny size in well under a second.
package bench
