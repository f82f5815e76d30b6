// Command allsum measures the bandwidth of MLX's AllSum through the Go
// binding: every process of a distributed job sums a float32 array of -mib
// MiB on its default device, -iters times after -warmup untimed rounds, and
// rank 0 prints the median time with the algorithm and bus bandwidths that
// NCCL's own tests report (algbw = bytes / time; busbw = algbw * 2(n-1)/n
// for n processes, what each link carries in a ring all-reduce).
//
// Each round is a tiny AllSum (a barrier, so that the processes start
// together), then the timed AllSum and its evaluation, waited for on the
// host: the time includes the package's scheduling of the evaluation, as a Go
// program sees it. The sum is checked: rank r contributes r+1 everywhere.
//
//	go build -o /tmp/allsum ./bench/allsum
//	go run ./cmd/mlxlaunch -n 2 -backend nccl /tmp/allsum -mib 1024   # one GPU per process
//	go run ./cmd/mlxlaunch -n 2 /tmp/allsum -mib 16                   # ring backend, CPU
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/mlx-go/mlx"
)

func main() {
	mib := flag.Int("mib", 1024, "size of the summed array in MiB (float32)")
	iters := flag.Int("iters", 10, "timed rounds")
	warmup := flag.Int("warmup", 3, "untimed rounds first")
	backend := flag.String("backend", mlx.BackendAny, "distributed backend (any, ring, nccl, mpi)")
	flag.Parse()
	if err := run(*backend, *mib, *iters, *warmup); err != nil {
		fmt.Fprintln(os.Stderr, "allsum:", err)
		os.Exit(1)
	}
}

func run(backend string, mib, iters, warmup int) error {
	if mib < 1 || iters < 1 || warmup < 0 {
		return fmt.Errorf("-mib and -iters must be at least 1, -warmup not negative")
	}
	g, err := mlx.DistributedInit(backend, true)
	if err != nil {
		return err
	}
	r, n := g.Rank(), g.Size()
	elems := mib << 20 / 4
	x := mlx.Full([]int{elems}, mlx.Scalar(float32(r+1)), mlx.Float32)
	if err := mlx.Eval(x); err != nil {
		return err
	}
	want := float32(n * (n + 1) / 2)
	tick := mlx.Scalar(float32(1))
	times := make([]time.Duration, 0, iters)
	for i := range warmup + iters {
		if err := g.Eval(time.Minute, mlx.AllSum(tick, g)); err != nil {
			return fmt.Errorf("barrier: %w", err)
		}
		start := time.Now()
		s := mlx.AllSum(x, g)
		if err := mlx.Eval(s); err != nil {
			return err
		}
		d := time.Since(start)
		if i >= warmup {
			times = append(times, d)
		}
		if i == warmup+iters-1 {
			lo, err1 := mlx.Item[float32](mlx.Min(s, false))
			hi, err2 := mlx.Item[float32](mlx.Max(s, false))
			if err1 != nil || err2 != nil || lo != want || hi != want {
				return fmt.Errorf("sum is in [%v, %v] (%v, %v), want %v everywhere", lo, hi, err1, err2, want)
			}
		}
		s.Free()
	}
	slices.Sort(times)
	med := times[len(times)/2]
	if len(times)%2 == 0 {
		med = (times[len(times)/2-1] + times[len(times)/2]) / 2
	}
	bytes := float64(elems) * 4
	alg := bytes / med.Seconds() / 1e9
	bus := alg * 2 * float64(n-1) / float64(n)
	if r == 0 {
		fmt.Printf("all_sum of %d MiB float32 on %d processes (%s, %v): median %.3f ms (min %.3f, max %.3f) of %d; algbw %.1f GB/s, busbw %.1f GB/s\n",
			mib, n, backend, mlx.DefaultDevice(), ms(med), ms(times[0]), ms(times[len(times)-1]), len(times), alg, bus)
	}
	return nil
}

func ms(d time.Duration) float64 { return d.Seconds() * 1e3 }
