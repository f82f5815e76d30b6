// Command report runs the C baseline (bench/c/baseline.c), the Go benchmarks
// (go test -bench ./bench) and the memory loop (bench/memloop) and prints one
// table comparing them. make bench builds the baseline and runs this.
//
// The C baseline and the Go benchmarks run in alternating rounds (C, then
// the compiled go test -bench binary of ./bench, -rounds times), so that both
// sides see the same background load; every figure is the median over the
// rounds. Each workload runs in a process of its own, on both sides. Within a round the baseline prints the median of its samples after
// warm-up runs, and each Go benchmark runs after the testing package's own
// b.N=1 warm-up. The raw outputs are kept in -out: c.txt, go.txt (all rounds,
// for benchstat) and mem.txt.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

var (
	baseline  = flag.String("baseline", "bench/out/baseline", "the compiled C baseline")
	outDir    = flag.String("out", "bench/out", "where raw outputs go")
	rounds    = flag.Int("rounds", 5, "rounds of C baseline + Go benchmarks")
	benchtime = flag.String("benchtime", "1s", "go test -benchtime")
	cReps     = flag.Int("creps", 3, "timed samples per C workload in each round (BENCH_REPS)")
	cWarmup   = flag.Int("cwarmup", 1, "untimed warm-up runs per C workload in each round (BENCH_WARMUP)")
	memSteps  = flag.Int("memsteps", 1_000_000, "steps of the memory loop (0 skips it)")
	benchRE   = flag.String("bench", ".", "go test -bench pattern")
	goTest    = flag.String("gotest", "", "a compiled bench test binary (go test -c ./bench) to run instead of go test, where no Go toolchain is")
	copyRate  = flag.Float64("copyrate", 0, "the device's measured copy rate in GB/s (bytes read + written), to compare the add rows with")
	pureRE    = flag.String("purego", "GraphBuild|EvalRoundTrip|MLPStep|CgoCall", "go test -bench pattern also run built with CGO_ENABLED=0 (the purego build), each round; empty skips it")
)

type sample struct {
	value  float64
	spread string // (max-min)/median over the rounds
}

func main() {
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("report: ")
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		log.Fatal(err)
	}
	start := time.Now()
	load0 := loadavg()
	fmt.Printf("machine: %s, %d logical CPUs (GOMAXPROCS %d), %s %s; load average at start %s\n",
		cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, load0)

	// Compile the benchmarks first, so that no round builds.
	goBin := *goTest
	if goBin == "" {
		goBin = filepath.Join(*outDir, "bench.test")
		run(nil, nil, "go", "test", "-c", "-o", goBin, "./bench")
	}
	goRuns := benchRuns(goBin, *benchRE)
	var pureBin string
	var pureRuns []string
	if *pureRE != "" && *goTest == "" {
		pureBin = filepath.Join(*outDir, "bench.purego.test")
		run(nil, []string{"CGO_ENABLED=0"}, "go", "test", "-c", "-o", pureBin, "./bench")
		pureRuns = benchRuns(pureBin, *pureRE)
	}

	// Every workload runs in a process of its own, on both sides, so that
	// none inherits another's state (MLX's buffer cache, the Go heap, the
	// GPU's clocks): on an H100 the Go MLP step took 210 µs run alone and
	// 350-390 µs after the other Go benchmarks, where C ran it early.
	var cAll, goAll, pureAll bytes.Buffer
	var cNoise, goNoise []float64 // how busy other processes kept the machine, per part
	cEnv := []string{"BENCH_REPS=" + strconv.Itoa(*cReps), "BENCH_WARMUP=" + strconv.Itoa(*cWarmup)}
	for r := 1; r <= *rounds; r++ {
		log.Printf("round %d of %d: C baseline (%d samples per workload after %d warm-up)", r, *rounds, *cReps, *cWarmup)
		m := startMeter()
		for _, w := range cWorkloads {
			run(&cAll, append(cEnv, "BENCH_ONLY="+w), *baseline)
		}
		cNoise = append(cNoise, m.others())
		log.Printf("round %d of %d: Go benchmarks (-benchtime %s)", r, *rounds, *benchtime)
		m = startMeter()
		for _, b := range goRuns {
			run(&goAll, nil, goBin, "-test.run", "^$", "-test.bench", b, "-test.count", "1", "-test.benchtime", *benchtime)
		}
		goNoise = append(goNoise, m.others())
		if len(pureRuns) > 0 {
			log.Printf("round %d of %d: Go benchmarks built with CGO_ENABLED=0 (-bench %s)", r, *rounds, *pureRE)
			for _, b := range pureRuns {
				run(&pureAll, nil, pureBin, "-test.run", "^$", "-test.bench", b, "-test.count", "1", "-test.benchtime", *benchtime)
			}
		}
	}
	save("c.txt", cAll.Bytes())
	save("go.txt", goAll.Bytes())
	c := parseC(cAll.Bytes())
	g, allocs := parseGo(goAll.Bytes())
	pg, pallocs := parseGo(pureAll.Bytes())
	if pureAll.Len() > 0 {
		save("purego.txt", pureAll.Bytes())
	}

	var mem []string
	var memNoise []string
	if *memSteps > 0 {
		bin := filepath.Join(*outDir, "memloop")
		run(nil, nil, "go", "build", "-o", bin, "./bench/memloop")
		checkpoints := []string{}
		for _, s := range []int{10_000, 100_000, 1_000_000} {
			if s <= *memSteps {
				checkpoints = append(checkpoints, strconv.Itoa(s))
			}
		}
		if len(checkpoints) == 0 || checkpoints[len(checkpoints)-1] != strconv.Itoa(*memSteps) {
			checkpoints = append(checkpoints, strconv.Itoa(*memSteps))
		}
		var all bytes.Buffer
		for _, mode := range []string{"gc", "scope"} {
			log.Printf("memory loop, mode %s, %d steps", mode, *memSteps)
			m := startMeter()
			var out bytes.Buffer
			run(&out, nil, bin, "-mode", mode, "-steps", strconv.Itoa(*memSteps), "-checkpoints", strings.Join(checkpoints, ","))
			memNoise = append(memNoise, fmt.Sprintf("%s %.0f%%", mode, m.others()))
			all.Write(out.Bytes())
			for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
				if line != "" {
					mem = append(mem, line)
				}
			}
		}
		save("mem.txt", all.Bytes())
	}

	fmt.Println()
	printTable(c, g, allocs, pg, pallocs)
	if *copyRate > 0 {
		fmt.Printf("\ndevice copy rate (given with -copyrate): %s GB/s; add rows as a share of it:", num(*copyRate))
		for _, r := range rows {
			if r.unit != "GB/s" || !strings.HasPrefix(r.c, "add_") {
				continue
			}
			if cs, ok := c[r.c]; ok {
				fmt.Printf(" %s C %.0f%%", r.c, 100*cs.value / *copyRate)
			}
			if gs, ok := g[r.goName+" "+r.goUnit]; ok {
				fmt.Printf(", Go %.0f%%;", 100*gs.value / *copyRate)
			}
		}
		fmt.Println()
	}
	if len(mem) > 0 {
		fmt.Println()
		printMem(mem)
	}
	fmt.Printf("\nload average at start %s, at end %s; wall time %s\n", load0, loadavg(), time.Since(start).Round(time.Second))
	fmt.Printf("CPU used by other processes (share of all %d CPUs) while C ran: %s; while Go ran: %s",
		runtime.NumCPU(), percents(cNoise), percents(goNoise))
	if len(memNoise) > 0 {
		fmt.Printf("; memory loop: %s", strings.Join(memNoise, ", "))
	}
	fmt.Println()
}

// cWorkloads are the baseline's BENCH_ONLY prefixes, one process each:
// graph_build also runs graph_build_inplace, data_in_* also data_out_*; the
// GPU workloads print nothing without BENCH_DEVICE=gpu.
var cWorkloads = []string{"graph_build", "eval_chain", "eval_roundtrip", "mlp_step", "matmul_1024", "matmul_2048",
	"add_2p24", "matmul_4096", "matmul_bf16_4096", "add_2p26", "data_in_64MiB", "data_in_256MiB"}

// benchRuns splits a go test -bench pattern into one pattern per top-level
// benchmark of bin it selects, so that each runs in a process of its own.
// As go test does, the pattern's alternatives (split at |, so no | inside
// parentheses) are split at their first / into the top-level and the
// sub-benchmark part.
func benchRuns(bin, pattern string) []string {
	var list bytes.Buffer
	run(&list, nil, bin, "-test.list", "^Benchmark")
	type alt struct {
		top *regexp.Regexp
		sub string
	}
	var alts []alt
	for _, a := range strings.Split(pattern, "|") {
		top, sub, _ := strings.Cut(a, "/")
		re, err := regexp.Compile(top)
		if err != nil {
			log.Fatalf("-bench %q: %v", pattern, err)
		}
		alts = append(alts, alt{re, sub})
	}
	var runs []string
	for _, name := range strings.Fields(list.String()) {
		var subs []string
		matched, whole := false, false
		for _, a := range alts {
			if a.top.MatchString(name) {
				matched = true
				whole = whole || a.sub == ""
				subs = append(subs, a.sub)
			}
		}
		if !matched {
			continue
		}
		p := "^" + regexp.QuoteMeta(name) + "$"
		if !whole {
			p += "/" + strings.Join(subs, "|")
		}
		runs = append(runs, p)
	}
	if len(runs) == 0 {
		log.Fatalf("-bench %q selects no benchmark of %s", pattern, bin)
	}
	return runs
}

func percents(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%.0f%%", x)
	}
	return strings.Join(s, " ")
}

func save(name string, data []byte) {
	if err := os.WriteFile(filepath.Join(*outDir, name), data, 0o644); err != nil {
		log.Fatal(err)
	}
}

// run runs a command, passes its standard error through, and appends its
// standard output to out (when not nil).
func run(out *bytes.Buffer, env []string, name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	var buf bytes.Buffer
	cmd.Stdout = &buf
	err := cmd.Run()
	if out != nil {
		out.Write(buf.Bytes())
	}
	if err != nil {
		os.Stdout.Write(buf.Bytes())
		log.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
}

// parseC reads the baseline's lines, workload<TAB>value<TAB>unit[<TAB>...],
// of every round: for each workload, the median over the rounds.
func parseC(out []byte) map[string]sample {
	runs := map[string][]float64{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 3 {
			continue
		}
		if v, err := strconv.ParseFloat(f[1], 64); err == nil {
			runs[f[0]] = append(runs[f[0]], v)
		}
	}
	res := map[string]sample{}
	for name, vs := range runs {
		res[name] = summarize(vs)
	}
	return res
}

// summarize returns the median of vs and its spread, (max-min)/median.
func summarize(vs []float64) sample {
	slices.Sort(vs)
	m := vs[len(vs)/2]
	if len(vs)%2 == 0 {
		m = (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
	}
	s := sample{value: m}
	if len(vs) > 1 && m != 0 {
		s.spread = fmt.Sprintf("%.0f%%", 100*(vs[len(vs)-1]-vs[0])/m)
	}
	return s
}

// parseGo reads go test -bench output: for each benchmark (name without the
// -GOMAXPROCS suffix) and unit, the median over the runs; and allocs/op.
func parseGo(out []byte) (map[string]sample, map[string]float64) {
	runs := map[string][]float64{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := strings.TrimPrefix(f[0], "Benchmark")
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			key := name + " " + f[i+1]
			runs[key] = append(runs[key], v)
		}
	}
	res := map[string]sample{}
	allocs := map[string]float64{}
	for key, vs := range runs {
		s := summarize(vs)
		res[key] = s
		if name, ok := strings.CutSuffix(key, " allocs/op"); ok {
			allocs[name] = s.value
		}
	}
	return res, allocs
}

// row is one line of the table: a C workload and the Go benchmark doing the
// same, compared on the unit the C baseline prints.
type row struct {
	label  string
	unit   string // as printed
	c      string // baseline workload, or ""
	goName string // Go benchmark (without "Benchmark"), or ""
	goUnit string
	ref    []string // Go copy references (benchmark names), GB/s
}

var rows = []row{
	{"graph build: 100k-add chain, handle freed at once", "ns/op", "graph_build", "GraphBuild/free", "ns/add", nil},
	{"graph build: mlx.Scope per chain", "ns/op", "graph_build", "GraphBuild/scope", "ns/add", nil},
	{"graph build: no Free (GC finalizer)", "ns/op", "graph_build", "GraphBuild/gc", "ns/add", nil},
	{"graph build: C reusing one handle", "ns/op", "graph_build_inplace", "", "", nil},
	{"eval of the 100k-add chain, per add", "ns/op", "eval_chain", "EvalChain", "ns/add", nil},
	{"eval round trip: add+eval, Free previous", "ns/step", "eval_roundtrip", "EvalRoundTrip/free", "ns/step", nil},
	{"eval round trip: mlx.Scope per 100 steps", "ns/step", "eval_roundtrip", "EvalRoundTrip/scope", "ns/step", nil},
	{"eval round trip: no Free (GC finalizer)", "ns/step", "eval_roundtrip", "EvalRoundTrip/gc", "ns/step", nil},
	{"MLP step: value_and_grad + eval, batch 32", "us/step", "mlp_step", "MLPStep", "us/step", nil},
	{"matmul f32 1024x1024", "GFLOP/s", "matmul_1024", "Matmul/1024", "GFLOP/s", nil},
	{"matmul f32 2048x2048", "GFLOP/s", "matmul_2048", "Matmul/2048", "GFLOP/s", nil},
	{"add f32 2^24 elements (3 arrays)", "GB/s", "add_2p24", "Add/2^24", "GB/s", nil},
	{"GPU matmul f32 (TF32) 4096x4096", "TFLOP/s", "matmul_4096", "MatmulGPU/float32/4096", "TFLOP/s", nil},
	{"GPU matmul bf16 4096x4096", "TFLOP/s", "matmul_bf16_4096", "MatmulGPU/bfloat16/4096", "TFLOP/s", nil},
	{"GPU add f32 2^26 elements (3 arrays)", "GB/s", "add_2p26", "AddGPU/2^26", "GB/s", nil},
	{"floor: cgo call of an empty C function", "ns/op", "", "CgoCall/noop", "ns/op", nil},
	{"floor: cgo call, two handle args (cgocheck)", "ns/op", "", "CgoCall/handles", "ns/op", nil},
	// Built with CGO_ENABLED=0, BenchmarkCgoCall measures purego.SyscallN of libc's labs instead.
	{"data in 64 MiB: FromSlice+Eval+Free", "GB/s", "data_in_64MiB", "DataIn/64MiB", "GB/s", []string{"GoCopy/64MiB/reuse", "GoCopy/64MiB/alloc"}},
	{"data out 64 MiB: CopyTo", "GB/s", "data_out_64MiB", "DataOut/64MiB/CopyTo", "GB/s", []string{"GoCopy/64MiB/reuse"}},
	{"data out 64 MiB: Data (new slice)", "GB/s", "data_out_64MiB", "DataOut/64MiB/Data", "GB/s", []string{"GoCopy/64MiB/alloc"}},
	{"data out 64 MiB: DataView + copy", "GB/s", "data_out_64MiB", "DataOut/64MiB/DataView", "GB/s", []string{"GoCopy/64MiB/reuse"}},
	{"data in 256 MiB: FromSlice+Eval+Free", "GB/s", "data_in_256MiB", "DataIn/256MiB", "GB/s", []string{"GoCopy/256MiB/reuse", "GoCopy/256MiB/alloc"}},
	{"data out 256 MiB: CopyTo", "GB/s", "data_out_256MiB", "DataOut/256MiB/CopyTo", "GB/s", []string{"GoCopy/256MiB/reuse"}},
	{"data out 256 MiB: Data (new slice)", "GB/s", "data_out_256MiB", "DataOut/256MiB/Data", "GB/s", []string{"GoCopy/256MiB/alloc"}},
	{"data out 256 MiB: DataView + copy", "GB/s", "data_out_256MiB", "DataOut/256MiB/DataView", "GB/s", []string{"GoCopy/256MiB/reuse"}},
}

func num(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

func printTable(c, g map[string]sample, allocs map[string]float64, pg map[string]sample, pallocs map[string]float64) {
	fmt.Printf("Medians over %d rounds. Go/C is the ratio of times (above 1: Go slower), whatever the unit.\n", *rounds)
	fmt.Println("Spread: (max-min)/median over the rounds. Go copy: a plain Go copy of the same bytes into a reused")
	fmt.Println("slice (reuse) or a new one (alloc). allocs/op: Go heap allocations per op (per add, per step).")
	fmt.Println("Eval round trips measure thread wake-up latency (MLX's worker thread, and in Go the MLX thread):")
	fmt.Println("on virtual machines it changes several-fold with the load on the other CPUs, for C as for Go.")
	fmt.Println("purego: the same Go benchmark built with CGO_ENABLED=0 (mlx-c loaded at run time through purego).")
	fmt.Println()
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(w, "workload\tunit\tC\tspread\tGo\tspread\tGo/C\tGo copy\tallocs/op\tpurego\tpurego/C\tallocs/op\t")
	for _, r := range rows {
		cs, cok := c[r.c]
		gs, gok := g[r.goName+" "+r.goUnit]
		cv, gv, ratio, gspread, al, ref := "-", "-", "-", "", "", "-"
		if cok {
			cv = num(cs.value)
		}
		if gok {
			gv, gspread = num(gs.value), gs.spread
			if a, ok := allocs[r.goName]; ok {
				al = num(a)
			}
		}
		if cok && gok && cs.value > 0 && gs.value > 0 {
			q := gs.value / cs.value
			if r.unit != "ns/op" && r.unit != "ns/step" && r.unit != "us/step" { // throughput: invert to a time ratio
				q = 1 / q
			}
			ratio = fmt.Sprintf("%.2f", q)
		}
		var refs []string
		for _, name := range r.ref {
			if s, ok := g[name+" GB/s"]; ok {
				refs = append(refs, num(s.value)+" "+name[strings.LastIndexByte(name, '/')+1:])
			}
		}
		if len(refs) > 0 {
			ref = strings.Join(refs, ", ")
		}
		pv, pratio, pal := "-", "-", ""
		if ps, ok := pg[r.goName+" "+r.goUnit]; ok {
			pv = num(ps.value)
			if a, ok := pallocs[r.goName]; ok {
				pal = num(a)
			}
			if cok && cs.value > 0 && ps.value > 0 {
				q := ps.value / cs.value
				if r.unit != "ns/op" && r.unit != "ns/step" && r.unit != "us/step" {
					q = 1 / q
				}
				pratio = fmt.Sprintf("%.2f", q)
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.label, r.unit, cv, cs.spread, gv, gspread, ratio, ref, al, pv, pratio, pal)
	}
	w.Flush()
}

func printMem(lines []string) {
	fmt.Println("Memory loop: x = x*0.5 + 1 on 1,000 float32 (4,000 bytes), Eval every 100 steps, new scalars each step.")
	fmt.Println("gc: no Free at all. scope: mlx.Scope per 100 steps, Keep the new x, Free the previous one.")
	fmt.Println("active/peak: MLX allocator (peak since the loop began); HWM/RSS: process (VmHWM/VmRSS);")
	fmt.Println("mismatches: scopes after which active memory was not exactly its starting value.")
	fmt.Println()
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(w, "mode\tsteps\tMLX active\tMLX peak\tpeak RSS\tRSS\tGo heap\tGCs\tseconds\tmismatches\t")
	type point struct{ active, peak, hwm float64 }
	byMode := map[string]map[int]point{}
	for _, line := range lines {
		f := strings.Split(line, "\t")
		if len(f) < 10 {
			continue
		}
		steps, _ := strconv.Atoi(f[1])
		active, _ := strconv.ParseFloat(f[2], 64)
		peak, _ := strconv.ParseFloat(f[3], 64)
		hwm, _ := strconv.ParseFloat(f[4], 64)
		rss, _ := strconv.ParseFloat(f[5], 64)
		heap, _ := strconv.ParseFloat(f[6], 64)
		if byMode[f[0]] == nil {
			byMode[f[0]] = map[int]point{}
		}
		byMode[f[0]][steps] = point{active, peak, hwm * 1024}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", f[0], f[1], mib(active), mib(peak), mib(hwm*1024), mib(rss*1024), mib(heap), f[7], f[8], f[9])
	}
	w.Flush()
	for _, mode := range []string{"gc", "scope"} {
		p, q := byMode[mode][100_000], byMode[mode][1_000_000]
		if p.hwm > 0 && q.hwm > 0 {
			fmt.Printf("%s, from 100k to 1M steps: MLX active %s -> %s (a snapshot), MLX peak %+.2f MiB, peak RSS %+.2f MiB\n",
				mode, mib(p.active), mib(q.active), (q.peak-p.peak)/(1<<20), (q.hwm-p.hwm)/(1<<20))
		}
	}
}

func mib(b float64) string {
	if b < 1<<20 {
		return fmt.Sprintf("%.0f B", b)
	}
	return fmt.Sprintf("%.2f MiB", b/(1<<20))
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// meter tells how busy other processes kept the machine while our child
// processes ran: all CPU time the kernel counts as busy (/proc/stat), less
// the CPU time of our waited-for children.
type meter struct {
	t0          time.Time
	busy0, ours time.Duration
}

func startMeter() meter { return meter{time.Now(), machineBusy(), childrenCPU()} }

// others returns the percentage of all CPUs that other processes used since
// the meter started, or -1 where /proc/stat cannot be read.
func (m meter) others() float64 {
	wall := time.Since(m.t0)
	busy := machineBusy() - m.busy0
	ours := childrenCPU() - m.ours
	if m.busy0 < 0 || wall <= 0 {
		return -1
	}
	return max(0, 100*float64(busy-ours)/float64(wall)/float64(runtime.NumCPU()))
}

// machineBusy sums the busy time of all CPUs from /proc/stat.
func machineBusy() time.Duration {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return -1
	}
	line, _, _ := strings.Cut(string(data), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	if len(f) < 9 || f[0] != "cpu" {
		return -1
	}
	var ticks int64
	for i, v := range f[1:9] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		n, _ := strconv.ParseInt(v, 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ
}

func childrenCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
