// Command instr prints the instructions per op of the C baseline
// (bench/c/baseline.c) and of the Go benchmarks (bench/*_test.go), counted by
// valgrind's callgrind; make bench-instr builds both and runs it. Unlike the
// times of make bench, instruction counts do not move with the machine's
// load, so that ratios of a few percent show.
//
// Each side of a workload runs twice under callgrind, at two lengths (C:
// BENCH_REPS 1 and 2; Go: -test.benchtime Nx, which runs b.N = 1 and then,
// for N > 1, b.N = N): the difference of the two totals divided by the
// difference in ops is the cost of one op, with start-up and once-per-run
// work cancelled. Callgrind counts every thread of the process. Progress goes
// to standard error, the table (Markdown) to standard output.
//
// Valgrind runs one thread at a time, so that whatever depends on timing
// changes the counts; three settings keep two identical runs within a fraction
// of a percent for most rows (without them they differed by 5% to several
// times): both sides use one glibc
// malloc arena (MALLOC_ARENA_MAX=1: otherwise the cost of a malloc depends on
// the thread a goroutine happens to run on), and the Go side runs with
// GOMAXPROCS=1 (no idle P spinning for work) and a stop-the-world collector
// (GODEBUG=gcstoptheworld=1: the same marking whenever it runs, without the
// write barriers and assists of a concurrent one). GODEBUG=asyncpreemptoff=1
// keeps Go's preemption signals away from valgrind. What still runs by the
// clock moves some rows: Go's sysmon takes the P back from long cgo calls,
// and under valgrind every call is long (about 2% on the round trip); and
// when finalizers run, so how many collections the GC backstop needs,
// depends on it (10-15% on that row).
//
//	go run ./bench/instr -baseline bench/out/baseline -test bench/out/bench.test
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A workload is one row of the table: the C baseline's workload and the Go
// benchmark that does the same work.
type workload struct {
	name   string
	cName  string // the baseline's workload name (BENCH_ONLY, matched exactly)
	cOps   int    // ops per C rep (baseline.c's CHAIN, ROUND_TRIPS, MLP_STEPS)
	goName string // the -test.bench pattern
	goLo   int    // -test.benchtime of the shorter Go run, in iterations
	goHi   int    // the same for the longer Go run
	goOps  int    // ops per iteration
}

var workloads = []workload{
	{"graph build, `Free` each array (per add)", "graph_build", 100_000, "^BenchmarkGraphBuild$/^free$", 100_000, 200_000, 1},
	{"graph build, `mlx.Scope` per chain (per add)", "graph_build", 100_000, "^BenchmarkGraphBuild$/^scope$", 100_000, 200_000, 1},
	{"graph build, no `Free` (GC backstop, per add)", "graph_build", 100_000, "^BenchmarkGraphBuild$/^gc$", 100_000, 200_000, 1},
	{"eval chain: build + eval of 100k adds (per add)", "eval_chain", 100_000, "^BenchmarkEvalChain$", 1, 2, 100_000},
	{"eval round trip (add + eval)", "eval_roundtrip", 20_000, "^BenchmarkEvalRoundTrip$/^free$", 10_000, 20_000, 1},
	{"MLP step (value_and_grad + eval)", "mlp_step", 200, "^BenchmarkMLPStep$", 200, 400, 1},
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("instr: ")
	baseline := flag.String("baseline", "bench/out/baseline", "the compiled C baseline")
	test := flag.String("test", "bench/out/bench.test", "the test binary of ./bench (go test -c)")
	only := flag.String("only", "", "run only the workloads whose name contains this")
	flag.Parse()

	version, err := exec.Command("valgrind", "--version").Output()
	if err != nil {
		log.Fatalf("valgrind not found (%v); install it, e.g. apt-get install valgrind", err)
	}

	cPerOp := map[string]float64{} // by C workload: the graph build rows share one
	var table []string
	for _, w := range workloads {
		if !strings.Contains(w.name, *only) {
			continue
		}
		c, ok := cPerOp[w.cName]
		if !ok {
			c = perOp(1, 2, func(reps int) int { return reps * w.cOps }, func(reps int) (uint64, error) {
				env := []string{"MALLOC_ARENA_MAX=1", "BENCH_DEVICE=cpu", "BENCH_ONLY=" + w.cName + "$", "BENCH_WARMUP=0", "BENCH_REPS=" + strconv.Itoa(reps)}
				return count(env, "(?m)^"+w.cName+"\t", *baseline)
			})
			cPerOp[w.cName] = c
		}
		g := perOp(w.goLo, w.goHi, func(n int) int { return goIterations(n) * w.goOps }, func(n int) (uint64, error) {
			env := []string{"MALLOC_ARENA_MAX=1", "BENCH_DEVICE=cpu", "GOMAXPROCS=1", "GODEBUG=asyncpreemptoff=1,gcstoptheworld=1"}
			return count(env, `(?m)^Benchmark\S*\s+`+strconv.Itoa(n)+`\s`, *test,
				"-test.run", "^$", "-test.bench", w.goName, "-test.benchtime", strconv.Itoa(n)+"x")
		})
		table = append(table, fmt.Sprintf("| %s | %.0f | %.0f | %.3f |", w.name, c, g, g/c))
	}

	fmt.Printf("Instructions per op, %s callgrind, difference of two run lengths.\n", strings.TrimSpace(string(version)))
	fmt.Println("Counts include every thread (MLX's CPU worker, Go's runtime) and leave out what costs cycles,")
	fmt.Println("not instructions: the cycles of cgo transitions and atomics, cache misses, waking threads.")
	fmt.Println("Go ran with GOMAXPROCS=1 and GODEBUG=gcstoptheworld=1, both sides with MALLOC_ARENA_MAX=1 (go doc ./bench/instr).")
	fmt.Println("What Go's runtime does by the clock still moves a few rows between runs, the GC backstop most.")
	fmt.Println()
	fmt.Println("| workload | C instr/op | Go instr/op | Go/C |")
	fmt.Println("|---|---|---|---|")
	for _, line := range table {
		fmt.Println(line)
	}
}

// goIterations is how many iterations -test.benchtime Nx runs in all.
func goIterations(n int) int {
	if n > 1 {
		return 1 + n
	}
	return 1
}

// perOp runs a program at two lengths with run and returns the difference
// of the instruction counts per op; ops(n) is the number of ops at length n.
func perOp(lo, hi int, ops func(n int) int, run func(n int) (uint64, error)) float64 {
	var counts [2]uint64
	for i, n := range []int{lo, hi} {
		var err error
		if counts[i], err = run(n); err != nil {
			log.Fatal(err)
		}
	}
	if counts[1] <= counts[0] {
		log.Fatalf("the longer run counted %d instructions, the shorter %d", counts[1], counts[0])
	}
	return float64(counts[1]-counts[0]) / float64(ops(hi)-ops(lo))
}

// count runs the command args under callgrind with env added to the
// environment and returns the instructions of all its threads. The
// command's output must match want, the proof that the workload ran.
func count(env []string, want string, args ...string) (uint64, error) {
	f, err := os.CreateTemp("", "instr-callgrind-*.out")
	if err != nil {
		return 0, err
	}
	f.Close()
	defer os.Remove(f.Name())

	start := time.Now()
	cmd := exec.Command("valgrind", append([]string{"--tool=callgrind", "--callgrind-out-file=" + f.Name()}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	desc := strings.Join(env, " ") + " " + strings.Join(args, " ")
	if err != nil {
		return 0, fmt.Errorf("%s: %v\n%s%s", desc, err, stdout.Bytes(), stderr.Bytes())
	}
	if !regexp.MustCompile(want).Match(stdout.Bytes()) {
		return 0, fmt.Errorf("%s: the workload did not run (no match for %q):\n%s", desc, want, stdout.Bytes())
	}
	data, err := os.ReadFile(f.Name())
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "summary:"); ok {
			n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
			fmt.Fprintf(os.Stderr, "instr: %s: %d instructions (%.0f s)\n", desc, n, time.Since(start).Seconds())
			return n, err
		}
	}
	return 0, fmt.Errorf("%s: no summary line in callgrind's output file", desc)
}
