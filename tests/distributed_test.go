package tests

// Distributed tests: real processes on MLX's ring backend over loopback
// (and on its NCCL backend where MLX has it and the machine two GPUs),
// started by internal/launch. The worker (tests/distworker) prints JSON; the
// expected values are computed here from the same input formula.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mlx-go/mlx"
	"github.com/mlx-go/mlx/internal/launch"
)

// workerEnv names a prebuilt tests/distworker to use instead of building
// one, for machines without a Go toolchain (docs/cuda.md).
const workerEnv = "MLX_GO_DISTWORKER"

// buildWorker builds tests/distworker into dir, or returns the prebuilt
// worker that MLX_GO_DISTWORKER names.
func buildWorker(t *testing.T, dir string) string {
	t.Helper()
	if p := os.Getenv(workerEnv); p != "" {
		return p
	}
	needGo(t)
	path := filepath.Join(dir, "distworker")
	if out, err := exec.Command("go", "build", "-o", path, "./distworker").CombinedOutput(); err != nil {
		t.Fatalf("go build ./distworker: %v\n%s", err, out)
	}
	return path
}

// needGo skips a test that builds a program where no go command is found:
// test binaries built elsewhere and copied to a machine without Go (a GPU
// machine). MLX_GO_DISTWORKER gives them a prebuilt worker instead.
func needGo(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skipf("needs the go command to build a program (%v)", err)
	}
}

// TestDistributed builds the worker once and runs every multi-process test
// with it.
func TestDistributed(t *testing.T) {
	w := buildWorker(t, t.TempDir())
	t.Run("Collectives", func(t *testing.T) { testCollectives(t, w, launch.Ring, []int{2, 4}) })
	t.Run("SendRecvRing", func(t *testing.T) { testSendRecvRing(t, w) })
	t.Run("Errors", func(t *testing.T) { testErrors(t, w) })
	t.Run("PeerDies", func(t *testing.T) { testPeerDies(t, w) })
	t.Run("Example", testExample)
}

// testExample runs examples/distributed on 1, 2 and 4 processes: every
// process of every run must end with the single-process run's loss, to
// float32 rounding (the shares' sums are added in another order).
func testExample(t *testing.T) {
	needGo(t)
	bin := filepath.Join(t.TempDir(), "example")
	if out, err := exec.Command("go", "build", "-o", bin, "../examples/distributed").CombinedOutput(); err != nil {
		t.Fatalf("go build ../examples/distributed: %v\n%s", err, out)
	}
	re := regexp.MustCompile(`rank (\d+) of (\d+) \(rows \d+ to \d+\): final loss (\S+)`)
	var single float64
	for _, n := range []int{1, 2, 4} {
		var stderr bytes.Buffer
		res, err := launch.Run(context.Background(), launch.Options{N: n, Timeout: 60 * time.Second, Stderr: &stderr}, bin, "-steps", "8")
		if err != nil {
			t.Fatalf("%d processes: %v\n%s", n, err, stderr.String())
		}
		for _, p := range res.Procs {
			m := re.FindStringSubmatch(string(p.Stdout))
			if m == nil || m[1] != strconv.Itoa(p.Rank) || m[2] != strconv.Itoa(n) {
				t.Fatalf("%d processes, rank %d printed %q", n, p.Rank, p.Stdout)
			}
			loss, _ := strconv.ParseFloat(m[3], 64)
			if n == 1 {
				single = loss
				if loss <= 0 || loss > 1 {
					t.Fatalf("single-process loss %g", loss)
				}
				continue
			}
			if math.Abs(loss-single) > 1e-5*single {
				t.Errorf("%d processes, rank %d: final loss %.9g, single process %.9g", n, p.Rank, loss, single)
			}
		}
	}
}

// runJob runs the worker on n processes of the ring backend and returns
// each rank's JSON lines.
func runJob(t *testing.T, worker string, n int, timeout time.Duration, args ...string) ([][]map[string]any, *launch.Result, error) {
	t.Helper()
	return runBackendJob(t, worker, launch.Ring, n, timeout, args...)
}

// runBackendJob runs the worker on n processes of backend (launch.Ring or
// launch.NCCL) and returns each rank's JSON lines.
func runBackendJob(t *testing.T, worker, backend string, n int, timeout time.Duration, args ...string) ([][]map[string]any, *launch.Result, error) {
	t.Helper()
	var stderr bytes.Buffer
	args = append([]string{"-backend", backend}, args...)
	res, err := launch.Run(context.Background(), launch.Options{N: n, Backend: backend, Timeout: timeout, Grace: 10 * time.Second, Stderr: &stderr},
		worker, args...)
	if res == nil {
		t.Fatalf("launch: %v", err)
	}
	out := make([][]map[string]any, n)
	for _, p := range res.Procs {
		for _, line := range strings.Split(strings.TrimSpace(string(p.Stdout)), "\n") {
			if line == "" {
				continue
			}
			var v map[string]any
			if e := json.Unmarshal([]byte(line), &v); e != nil {
				t.Fatalf("rank %d printed %q: %v", p.Rank, line, e)
			}
			out[p.Rank] = append(out[p.Rank], v)
		}
	}
	if err != nil {
		t.Logf("stderr:\n%s", stderr.String())
	}
	return out, res, err
}

// input mirrors distworker's: rank r's x[i] = (r+1)(i+1)(-1)^(r+i).
func distInput(r, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = float64((r + 1) * (i + 1))
		if (r+i)%2 == 1 {
			x[i] = -x[i]
		}
	}
	return x
}

func distFloats(t *testing.T, v any) []float64 {
	t.Helper()
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("not a list: %v", v)
	}
	out := make([]float64, len(list))
	for i, x := range list {
		out[i] = x.(float64)
	}
	return out
}

func testCollectives(t *testing.T, w, backend string, sizes []int) {
	for _, n := range sizes {
		t.Run(strconv.Itoa(n)+"procs", func(t *testing.T) {
			out, _, err := runBackendJob(t, w, backend, n, 60*time.Second, "collectives")
			if err != nil {
				t.Fatal(err)
			}
			const m = 6
			sum, mx, mn := make([]float64, m), make([]float64, m), make([]float64, m)
			var gather []float64
			for r := range n {
				x := distInput(r, m)
				gather = append(gather, x...)
				for i, v := range x {
					sum[i] += v
					if r == 0 || v > mx[i] {
						mx[i] = v
					}
					if r == 0 || v < mn[i] {
						mn[i] = v
					}
				}
			}
			var ranks []float64
			for r := range n {
				ranks = append(ranks, float64(r))
			}
			for r := range n {
				if len(out[r]) != 1 {
					t.Fatalf("rank %d printed %d lines", r, len(out[r]))
				}
				o := out[r][0]
				if o["rank"].(float64) != float64(r) || o["size"].(float64) != float64(n) {
					t.Errorf("rank %d: reports rank %v of %v", r, o["rank"], o["size"])
				}
				for _, c := range []struct {
					key  string
					want []float64
				}{
					{"sum", sum}, {"sum_int", sum}, {"global_sum", sum}, {"max", mx}, {"min", mn},
					{"gather", gather}, {"gather_int", gather},
					{"gather_shape", []float64{float64(2 * n), 3}}, {"sum_shape", []float64{2, 3}},
					{"scalar_gather", ranks}, {"scalar_gather_shape", []float64{float64(n)}},
				} {
					if got := distFloats(t, o[c.key]); !slices.Equal(got, c.want) {
						t.Errorf("rank %d: %s = %v, want %v", r, c.key, got, c.want)
					}
				}
				if o["sum_dtype"] != "float32" {
					t.Errorf("rank %d: sum dtype %v", r, o["sum_dtype"])
				}
			}
		})
	}
}

func testSendRecvRing(t *testing.T, w string) {
	const n = 3
	out, _, err := runJob(t, w, n, 60*time.Second, "ring")
	if err != nil {
		t.Fatal(err)
	}
	for r := range n {
		left := (r + n - 1) % n
		o := out[r][0]
		want := distInput(left, 5)
		if got := distFloats(t, o["recv"]); !slices.Equal(got, want) {
			t.Errorf("rank %d received %v from rank %d, want %v", r, got, left, want)
		}
		for i := range want {
			want[i] *= 2
		}
		if got := distFloats(t, o["recv_like"]); !slices.Equal(got, want) {
			t.Errorf("rank %d received (RecvLike) %v, want %v", r, got, want)
		}
	}
}

func testErrors(t *testing.T, w string) {
	out, _, err := runJob(t, w, 2, 60*time.Second, "errors")
	if err != nil {
		t.Fatal(err)
	}
	for r := range 2 {
		o := out[r][0]
		for key, want := range map[string]string{
			"split":             "mlx: distributed.group.split: [ring] Group split not supported.",
			"send_bad_dst":      "mlx: distributed.send: Invalid destination=2 for a group of size 2",
			"recv_bad_src":      "mlx: distributed.recv: Invalid source=-1 for a group of size 2",
			"sum_scatter":       "mlx: eval: [ReduceScatter] Not implemented yet.",
			"sum_scatter_shape": "mlx: distributed.sum_scatter: [sum_scatter] Invalid shape=(5) for a group of size 2. The first dimension (axis 0) must be divisible by the group size.",
		} {
			if o[key] != want {
				t.Errorf("rank %d: %s: %v, want %q", r, key, o[key], want)
			}
		}
	}
}

// testPeerDies: rank 1 of 4 exits after the first AllSum; the
// others' next AllSum must end in Group.Eval's ErrPeerLost error, within a
// bound, and the launcher must report rank 1 first.
func testPeerDies(t *testing.T, w string) {
	const n, dead = 4, 1
	start := time.Now()
	out, res, err := runJob(t, w, n, 60*time.Second, "die", "1")
	elapsed := time.Since(start)
	var lerr *launch.Error
	if !errors.As(err, &lerr) {
		t.Fatalf("launch error %v, want a *launch.Error", err)
	}
	if !strings.HasPrefix(lerr.Error(), "launch: rank 1 exited with status 3") {
		t.Errorf("launch error %q does not name rank 1 first", lerr)
	}
	if res.TimedOut || res.First != dead {
		t.Errorf("timed out %v, first failure rank %d", res.TimedOut, res.First)
	}
	for r := range n {
		p := res.Procs[r]
		if r == dead {
			if p.ExitCode != 3 {
				t.Errorf("rank %d: exit %d, want 3", r, p.ExitCode)
			}
			continue
		}
		if p.Killed || p.ExitCode != 1 || len(out[r]) != 2 {
			t.Errorf("rank %d: killed %v, exit %d, %d lines; want its own error exit", r, p.Killed, p.ExitCode, len(out[r]))
			continue
		}
		o := out[r][1]
		msg, _ := o["error"].(string)
		if !strings.HasPrefix(msg, "mlx: distributed.eval: rank ") || !strings.HasSuffix(msg, " closed its connection (it exited or crashed)") ||
			o["peer_lost"] != true {
			t.Errorf("rank %d: error %q (ErrPeerLost %v)", r, msg, o["peer_lost"])
		}
		if s := o["seconds"].(float64); s > 10 {
			t.Errorf("rank %d noticed after %.1fs", r, s)
		}
	}
	if elapsed > 45*time.Second {
		t.Errorf("job took %v", elapsed)
	}
}

// distSum is the element-wise sum of distInput over n ranks.
func distSum(n, m int) []float64 {
	sum := make([]float64, m)
	for r := range n {
		for i, v := range distInput(r, m) {
			sum[i] += v
		}
	}
	return sum
}

// TestDistributedNCCL runs the collectives on MLX's NCCL backend, one GPU per
// process (2 processes, and 4 where there are 4 GPUs), and what NCCL does
// beyond the ring: SumScatter, Split, half-precision sums. Send and Recv
// are not in MLX's NCCL backend nor in its CUDA backend: they fail with
// MLX's message. It needs a
// CUDA build of MLX with NCCL and two GPUs; elsewhere it skips.
func TestDistributedNCCL(t *testing.T) {
	if !mlx.DistributedIsAvailable(mlx.BackendNCCL) {
		t.Skip("this MLX has no NCCL backend (it needs a CUDA build with NCCL)")
	}
	gpus := len(launch.DetectGPUs())
	if gpus < 2 {
		t.Skipf("the NCCL backend needs a GPU per process: %d GPU(s) here, 2 needed", gpus)
	}
	w := buildWorker(t, t.TempDir())
	sizes := []int{2}
	if gpus >= 4 {
		sizes = append(sizes, 4)
	}
	t.Run("Collectives", func(t *testing.T) { testCollectives(t, w, launch.NCCL, sizes) })
	t.Run("Beyond", func(t *testing.T) {
		const n = 2
		out, _, err := runBackendJob(t, w, launch.NCCL, n, 120*time.Second, "nccl")
		if err != nil {
			t.Fatal(err)
		}
		sum6 := distSum(n, 6)
		for r := range n {
			if len(out[r]) != 1 {
				t.Fatalf("rank %d printed %d lines", r, len(out[r]))
			}
			o := out[r][0]
			t.Logf("rank %d on %v", r, o["device"])
			for _, c := range []struct {
				key  string
				want []float64
			}{
				{"sum_scatter", distSum(n, 2*n)[2*r : 2*r+2]}, {"sum_scatter_shape", []float64{2}},
				{"sum_float16", sum6}, {"sum_bfloat16", sum6}, {"sum_int64", sum6},
				{"split_sum", sum6}, {"split_gather", []float64{1, 0}}, {"alone_sum", distInput(r, 6)},
			} {
				if got := distFloats(t, o[c.key]); !slices.Equal(got, c.want) {
					t.Errorf("rank %d: %s = %v, want %v", r, c.key, got, c.want)
				}
			}
			if o["split_rank"] != float64(n-1-r) || o["split_size"] != float64(n) || o["alone_size"] != float64(1) {
				t.Errorf("rank %d: split rank %v of %v, alone size %v", r, o["split_rank"], o["split_size"], o["alone_size"])
			}
			for key, want := range map[string]string{
				// On the GPU stream the CUDA backend refuses them before NCCL
				// would ("[nccl] Send not supported in NCCL backend.").
				"send": "mlx: eval: Send has no CUDA implementation.",
				"recv": "mlx: eval: Recv has no CUDA implementation.",
			} {
				if o[key] != want {
					t.Errorf("rank %d: %s: %v, want %q", r, key, o[key], want)
				}
			}
		}
	})
}

// TestLaunchTimeout: a job that cannot finish (a 2-process ring whose ranks
// both wait to receive first) is killed at the launcher's timeout.
func TestLaunchTimeout(t *testing.T) {
	start := time.Now()
	res, err := launch.Run(context.Background(), launch.Options{N: 2, Timeout: 2 * time.Second}, "sleep", "30")
	if time.Since(start) > 10*time.Second {
		t.Errorf("timeout took %v", time.Since(start))
	}
	var lerr *launch.Error
	if !errors.As(err, &lerr) || lerr.Error() != "launch: timed out after 2s; killed ranks 0, 1" {
		t.Fatalf("error %v", err)
	}
	if !res.TimedOut || !res.Procs[0].Killed || !res.Procs[1].Killed {
		t.Errorf("result %+v", res)
	}
}
