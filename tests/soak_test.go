//go:build soak

package tests

// The soak test (make soak, or go test -race -tags soak -run Soak ./tests):
// 64 goroutines run a mix of ops over 8 streams for SOAK_DURATION (default
// 60s). Every result is integer-valued float32 arithmetic, checked exactly
// against Go. MLX's active memory is sampled throughout and must stay
// bounded and return to its baseline at the end. The closing log gives the
// op count, the peak RSS (VmHWM) and MLX's PeakMemory.
//
// Transforms (Grad, Vmap, ...) are left out: they take turns process-wide,
// which would serialize the goroutines; transforms_test.go runs them
// concurrently.

import (
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mlx-go/mlx"
)

const (
	soakGoroutines = 64
	soakStreams    = 8
	// soakMemoryBound is the most active MLX memory the soak may hold at
	// once: each goroutine's arrays are a few KiB.
	soakMemoryBound = 32 << 20
	// soakRSSGrowth bounds how much the resident set may grow from a quarter
	// of the way through the run to its end, once the working set is there.
	soakRSSGrowth = 64 << 20
)

func soakDuration(t *testing.T) time.Duration {
	v := os.Getenv("SOAK_DURATION")
	if v == "" {
		return 60 * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		t.Fatalf("SOAK_DURATION=%q: %v", v, err)
	}
	return d
}

// procStatus returns a field of /proc/self/status in bytes (0 if absent).
func procStatus(field string) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n << 10
		}
	}
	return 0
}

// soakMatrix is a small matrix of integers in [-8, 8], kept in Go.
type soakMatrix struct {
	r, c int
	v    []float32
}

func randMatrix(rng *rand.Rand, r, c int) soakMatrix {
	m := soakMatrix{r, c, make([]float32, r*c)}
	for i := range m.v {
		m.v[i] = float32(rng.Intn(17) - 8)
	}
	return m
}

func (m soakMatrix) at(i, j int) float32 { return m.v[i*m.c+j] }

func (m soakMatrix) array(on mlx.StreamOrDevice) *mlx.Array {
	a := mlx.FromSlice(m.v, m.r, m.c)
	if on != nil {
		a = mlx.CopyOn(on, a)
	}
	return a
}

func sameFloats(got, want []float32) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d elements, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			return fmt.Errorf("element %d = %v, want %v", i, got[i], want[i])
		}
	}
	return nil
}

func checkSoak(a *mlx.Array, shape []int, want []float32) error {
	got, err := mlx.Data[float32](a)
	if err != nil {
		return err
	}
	if fmt.Sprint(a.Shape()) != fmt.Sprint(shape) {
		return fmt.Errorf("shape %v, want %v", a.Shape(), shape)
	}
	return sameFloats(got, want)
}

// soakStep runs one randomly chosen piece of work on stream s (other is a
// second stream) and checks its result exactly.
func soakStep(rng *rand.Rand, s, other mlx.Stream, shared *mlx.Array, sharedSum float32) (string, error) {
	r, c := 1+rng.Intn(6), 1+rng.Intn(6)
	a, b := randMatrix(rng, r, c), randMatrix(rng, r, c)
	switch kind := rng.Intn(10); kind {
	case 0: // elementwise
		x, y := a.array(nil), b.array(nil)
		got := mlx.SubtractOn(s, mlx.MultiplyOn(s, mlx.AddOn(s, x, y), x), y) // (a+b)*a - b
		want := make([]float32, r*c)
		for i := range want {
			want[i] = (a.v[i]+b.v[i])*a.v[i] - b.v[i]
		}
		return "elementwise", checkSoak(got, []int{r, c}, want)
	case 1: // matmul
		k := randMatrix(rng, c, 1+rng.Intn(6))
		got := mlx.MatmulOn(s, a.array(nil), k.array(nil))
		want := make([]float32, r*k.c)
		for i := 0; i < r; i++ {
			for j := 0; j < k.c; j++ {
				for l := 0; l < c; l++ {
					want[i*k.c+j] += a.at(i, l) * k.at(l, j)
				}
			}
		}
		return "matmul", checkSoak(got, []int{r, k.c}, want)
	case 2: // reductions over each axis
		x := a.array(s)
		rows, cols := make([]float32, r), make([]float32, c)
		maxes := make([]float32, c)
		for j := range maxes {
			maxes[j] = -100
		}
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				rows[i] += a.at(i, j)
				cols[j] += a.at(i, j)
				maxes[j] = max(maxes[j], a.at(i, j))
			}
		}
		if err := checkSoak(mlx.SumOn(s, x, false, 1), []int{r}, rows); err != nil {
			return "sum", err
		}
		if err := checkSoak(mlx.SumOn(s, x, true, 0), []int{1, c}, cols); err != nil {
			return "sum", err
		}
		return "max", checkSoak(mlx.MaxOn(s, x, false, 0), []int{c}, maxes)
	case 3: // views: transpose of a reshape, a strided slice
		x := a.array(nil)
		tr := mlx.TransposeOn(s, mlx.ReshapeOn(s, x, c, r))
		want := make([]float32, r*c)
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				want[i*c+j] = a.v[j*r+i] // t[i][j] = reshaped[j][i]
			}
		}
		if err := checkSoak(tr, []int{r, c}, want); err != nil {
			return "transpose", err
		}
		sl := mlx.SliceOn(s, x, []int{0, c - 1}, []int{r, -c - 1}, []int{1, -1}) // columns reversed
		rev := make([]float32, 0, r*c)
		for i := 0; i < r; i++ {
			for j := c - 1; j >= 0; j-- {
				rev = append(rev, a.at(i, j))
			}
		}
		return "slice", checkSoak(sl, []int{r, c}, rev)
	case 4: // concatenate, then take rows
		cat := mlx.ConcatenateAxisOn(s, []*mlx.Array{a.array(nil), b.array(nil)}, 0)
		idx := []int32{int32(rng.Intn(2 * r)), int32(rng.Intn(2 * r))}
		got := mlx.TakeAxisOn(s, cat, mlx.FromSlice(idx), 0)
		want := make([]float32, 0, 2*c)
		for _, i := range idx {
			src := a
			if int(i) >= r {
				src, i = b, i-int32(r)
			}
			want = append(want, src.v[int(i)*c:int(i)*c+c]...)
		}
		return "take", checkSoak(got, []int{2, c}, want)
	case 5: // a graph across two streams
		x := mlx.AddOn(s, a.array(nil), b.array(nil))
		y := mlx.MultiplyOn(other, x, x)
		want := make([]float32, r*c)
		for i := range want {
			want[i] = (a.v[i] + b.v[i]) * (a.v[i] + b.v[i])
		}
		return "two streams", checkSoak(y, []int{r, c}, want)
	case 6: // schedule, synchronize, then read
		x := mlx.NegativeOn(s, a.array(nil))
		y := mlx.MaximumOn(s, x, b.array(nil))
		if err := mlx.AsyncEval(x, y); err != nil {
			return "async_eval", err
		}
		if err := s.Synchronize(); err != nil {
			return "synchronize", err
		}
		want := make([]float32, r*c)
		for i := range want {
			want[i] = max(-a.v[i], b.v[i])
		}
		return "async", checkSoak(y, []int{r, c}, want)
	case 7: // s as the goroutine's default stream
		var err error
		werr := mlx.WithStream(s, func() error {
			got := mlx.CumSum(mlx.Add(a.array(nil), mlx.Scalar[float32](1)), 1, false, true)
			want := make([]float32, r*c)
			for i := 0; i < r; i++ {
				acc := float32(0)
				for j := 0; j < c; j++ {
					acc += a.at(i, j) + 1
					want[i*c+j] = acc
				}
			}
			err = checkSoak(got, []int{r, c}, want)
			return nil
		})
		if werr != nil {
			return "with_stream", werr
		}
		return "cumsum", err
	case 8: // the array every goroutine reads at once
		got, err := mlx.Item[float32](mlx.SumOn(s, shared, false))
		if err != nil {
			return "shared", err
		}
		if got != sharedSum {
			return "shared", fmt.Errorf("sum of the shared array = %v, want %v", got, sharedSum)
		}
		return "shared", nil
	default: // integer dtypes and back
		x := mlx.AsTypeOn(s, a.array(nil), mlx.Int32)
		q := mlx.FloorDivideOn(s, x, mlx.Scalar[int32](3))
		got := mlx.AsTypeOn(s, mlx.AddOn(s, q, x), mlx.Float32)
		want := make([]float32, r*c)
		for i, v := range a.v {
			// MLX's floor_divide of integers truncates, like Go's /
			// (gen_ops_test.go pins this down).
			want[i] = float32(int(v)/3) + v
		}
		return "int32", checkSoak(got, []int{r, c}, want)
	}
}

func TestSoak(t *testing.T) {
	dur := soakDuration(t)
	streams := make([]mlx.Stream, soakStreams)
	for i := range streams {
		s, err := mlx.NewStream(mlx.Device{Type: mlx.CPU})
		if err != nil {
			t.Fatal(err)
		}
		streams[i] = s
	}
	base := settle(t)
	sharedData := make([]float32, 1024)
	var sharedSum float32
	for i := range sharedData {
		sharedData[i] = float32(i%13 - 6)
		sharedSum += sharedData[i]
	}
	shared := mlx.FromSlice(sharedData, 32, 32)
	if err := mlx.Eval(shared); err != nil {
		t.Fatal(err)
	}
	if err := mlx.ResetPeakMemory(); err != nil {
		t.Fatal(err)
	}

	deadline := time.Now().Add(dur)
	var steps atomic.Int64
	var failures atomic.Int32
	var maxActive atomic.Int64
	var rssQuarter atomic.Int64
	counts := make([]map[string]int, soakGoroutines)

	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() { // sample the active memory, and the RSS a quarter in
		defer close(sampled)
		quarter := time.Now().Add(dur / 4)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stopSampling:
				return
			case <-tick.C:
				if n, err := mlx.ActiveMemory(); err == nil && int64(n) > maxActive.Load() {
					maxActive.Store(int64(n))
				}
				if rssQuarter.Load() == 0 && time.Now().After(quarter) {
					rssQuarter.Store(int64(procStatus("VmRSS")))
				}
			}
		}
	}()

	var wg sync.WaitGroup
	for g := 0; g < soakGoroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(g)))
			counts[g] = map[string]int{}
			for i := 0; time.Now().Before(deadline); i++ {
				s, other := streams[(g+i)%soakStreams], streams[(g+i+1+i%3)%soakStreams]
				var what string
				err := mlx.Scope(func() error {
					var err error
					what, err = soakStep(rng, s, other, shared, sharedSum)
					return err
				})
				counts[g][what]++
				steps.Add(1)
				if err != nil {
					if failures.Add(1) <= 10 {
						t.Errorf("goroutine %d, step %d (%s on %v): %v", g, i, what, s, err)
					}
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(stopSampling)
	<-sampled

	shared.Free()
	after := settle(t)
	peak, err := mlx.PeakMemory()
	if err != nil {
		t.Fatal(err)
	}
	if after > base {
		t.Errorf("active memory %d after the soak, baseline %d", after, base)
	}
	if q := rssQuarter.Load(); q > 0 && int64(procStatus("VmRSS")) > q+soakRSSGrowth {
		t.Errorf("RSS grew from %d bytes a quarter through the run to %d at the end", q, procStatus("VmRSS"))
	}
	if maxActive.Load() > soakMemoryBound {
		t.Errorf("active memory reached %d bytes, bound %d", maxActive.Load(), soakMemoryBound)
	}
	total := map[string]int{}
	for _, m := range counts {
		for k, v := range m {
			total[k] += v
		}
	}
	t.Logf("soak: %d goroutines x %d streams for %v: %d steps (%.0f/s), %d failures; by kind %v",
		soakGoroutines, soakStreams, dur, steps.Load(), float64(steps.Load())/dur.Seconds(), failures.Load(), total)
	t.Logf("soak memory: peak RSS (VmHWM) %.1f MiB, RSS %.1f MiB a quarter in and %.1f MiB at the end; MLX PeakMemory %.1f KiB, max sampled ActiveMemory %.1f KiB, ActiveMemory %d bytes at the end (baseline %d)",
		float64(procStatus("VmHWM"))/(1<<20), float64(rssQuarter.Load())/(1<<20), float64(procStatus("VmRSS"))/(1<<20),
		float64(peak)/(1<<10), float64(maxActive.Load())/(1<<10), after, base)
}
