package bench

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/mlx-go/mlx"
	"github.com/mlx-go/mlx/bench/internal/cgocall"
)

// The sizes of bench/c/baseline.c.
const (
	chainLen = 100_000 // graph building and evaluation: adds per chain
	addLen   = 1 << 24 // elementwise add: float32 elements
)

// How a loop disposes of the arrays it makes.
const (
	modeGC    = "gc"    // nothing: the garbage collector's backstop releases them
	modeScope = "scope" // mlx.Scope around each chain (or each 100 steps)
	modeFree  = "free"  // Free of the previous array at once, as the C baseline does
)

var modes = []string{modeGC, modeScope, modeFree}

func scalar(v float32) *mlx.Array { return mlx.Scalar(v) }

// settle lets the garbage collector release what a benchmark left behind,
// so that its finalizers do not run inside the next benchmark's timing; it
// returns once they have run, so that every run of a benchmark does the same
// work (bench/instr counts it). Synchronize releases the handle a last Free
// left pending, and the handles finalizers left in a partial batch.
func settle() {
	if err := mlx.Synchronize(); err != nil {
		panic(err)
	}
	for i := 0; i < 3; i++ {
		// Finalizers run one batch per collection, in one goroutine: the
		// sentinel's runs after the previous collection's batch.
		done := make(chan struct{})
		runtime.SetFinalizer(new(sentinel), func(*sentinel) { close(done) })
		runtime.GC()
		select {
		case <-done:
		case <-time.After(time.Minute):
		}
	}
	if err := mlx.Synchronize(); err != nil {
		panic(err)
	}
}

type sentinel struct{ _ [64]byte } // not a tiny object: those are finalized late

// chain builds zero + 1 + 1 + ... (n adds) without evaluating it and returns
// the last array; in modeFree every intermediate handle is freed on the way.
func chain(n int, mode string, zero, one *mlx.Array) *mlx.Array {
	x := zero
	free := mode == modeFree // not a string comparison per add: C's loop has none
	for i := 0; i < n; i++ {
		y := mlx.Add(x, one)
		if free && x != zero {
			x.Free()
		}
		x = y
	}
	return x
}

// buildChains builds total adds in chains of at most chainLen, disposing of
// each chain as mode says before the next.
func buildChains(total, chainLen int, mode string, zero, one *mlx.Array) error {
	for done := 0; done < total; {
		n := min(chainLen, total-done)
		var err error
		if mode == modeScope {
			err = mlx.Scope(func() error { return chain(n, mode, zero, one).Err() })
		} else {
			x := chain(n, mode, zero, one)
			err = x.Err()
			if mode == modeFree {
				x.Free()
			}
		}
		if err != nil {
			return err
		}
		done += n
	}
	return nil
}

// BenchmarkGraphBuild: one op is one scalar float32 Add appended to a chain,
// never evaluated; a new chain starts every chainLen adds.
func BenchmarkGraphBuild(b *testing.B) {
	zero, one := scalar(0), scalar(1)
	for _, mode := range modes {
		b.Run(mode, func(b *testing.B) {
			settle()
			b.ReportAllocs()
			b.ResetTimer()
			if err := buildChains(b.N, chainLen, mode, zero, one); err != nil {
				b.Fatal(err)
			}
			if mode == modeFree {
				// The last Free left its handle pending (the next op would
				// release it): release the last chain now, inside the
				// timing, as the C baseline's final free is.
				if err := mlx.Eval(); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/add")
			settle()
		})
	}
}

// evalChain builds a chain of n adds (untimed) and times its evaluation.
// The intermediate handles are freed as the chain grows, as the C baseline
// does: a live handle would keep its node's result, which MLX otherwise
// drops during evaluation.
func evalChain(b *testing.B, n int, zero, one *mlx.Array) error {
	return mlx.Scope(func() error {
		x := chain(n, modeFree, zero, one)
		if b != nil {
			b.StartTimer()
		}
		err := mlx.Eval(x)
		if b != nil {
			b.StopTimer()
		}
		if err != nil {
			return err
		}
		if v, err := mlx.Item[float32](x); err != nil || v != float32(n) {
			return fmt.Errorf("chain of %d adds evaluated to %v (%v)", n, v, err)
		}
		return nil
	})
}

// BenchmarkEvalChain: one op is the evaluation of a chain of chainLen adds,
// built untimed; ns/add is the evaluation time per add.
func BenchmarkEvalChain(b *testing.B) {
	zero, one := scalar(0), scalar(1)
	settle()
	b.ReportAllocs()
	b.ResetTimer()
	b.StopTimer()
	for i := 0; i < b.N; i++ {
		if err := evalChain(b, chainLen, zero, one); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/chainLen, "ns/add")
	settle()
}

// roundTrips runs n steps of x = x + 1; Eval(x) and returns x's final value.
func roundTrips(n int, mode string, zero, one *mlx.Array) (float32, error) {
	x := zero
	step := func() error {
		y := mlx.Add(x, one)
		if err := mlx.Eval(y); err != nil {
			return err
		}
		if mode == modeFree && x != zero {
			x.Free()
		}
		x = y
		return nil
	}
	for done := 0; done < n; {
		k := min(100, n-done)
		var err error
		if mode == modeScope {
			err = mlx.Scope(func() error {
				for i := 0; i < k; i++ {
					if err := step(); err != nil {
						return err
					}
				}
				mlx.Keep(x)
				return nil
			})
		} else {
			for i := 0; i < k && err == nil; i++ {
				err = step()
			}
		}
		if err != nil {
			return 0, err
		}
		done += k
	}
	return mlx.Item[float32](x)
}

// BenchmarkEvalRoundTrip: one op is one step of x = x + 1; Eval(x).
func BenchmarkEvalRoundTrip(b *testing.B) {
	zero, one := scalar(0), scalar(1)
	for _, mode := range modes {
		b.Run(mode, func(b *testing.B) {
			settle()
			b.ReportAllocs()
			b.ResetTimer()
			if _, err := roundTrips(b.N, mode, zero, one); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/step")
			settle()
		})
	}
}

func randn(shape ...int) *mlx.Array {
	a := mlx.RandomNormal(shape, mlx.Float32, 0, 1, nil)
	if err := mlx.Eval(a); err != nil {
		panic(err)
	}
	return a
}

// binop evaluates op(a, b) and frees the result.
func binop(op func(a, b *mlx.Array) *mlx.Array, a, b *mlx.Array) error {
	c := op(a, b)
	err := mlx.Eval(c)
	c.Free()
	return err
}

// timeBinop times f(x, y) with its evaluation, frees x and y, and reports
// work units per op (flops, bytes) as a rate in unit, scaled by 1/scale.
func timeBinop(b *testing.B, f func(a, b *mlx.Array) *mlx.Array, x, y *mlx.Array, work, scale float64, unit string) {
	defer x.Free()
	defer y.Free()
	settle()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := binop(f, x, y); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(work*float64(b.N)/b.Elapsed().Seconds()/scale, unit)
}

// BenchmarkMatmul: one op is one float32 n x n matmul, evaluated.
func BenchmarkMatmul(b *testing.B) {
	for _, n := range []int{1024, 2048} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			timeBinop(b, mlx.Matmul, randn(n, n), randn(n, n), 2*float64(n)*float64(n)*float64(n), 1e9, "GFLOP/s")
		})
	}
}

// BenchmarkAdd: one op is one elementwise add of two 2^24-element float32
// arrays, evaluated; GB/s counts three arrays of traffic.
func BenchmarkAdd(b *testing.B) {
	b.Run("2^24", func(b *testing.B) {
		timeBinop(b, mlx.Add, randn(addLen), randn(addLen), 3*4*addLen, 1e9, "GB/s")
	})
}

var sizesMiB = []int{64, 256}

func buffer(mib int) []float32 {
	buf := make([]float32, mib<<18)
	for i := range buf {
		buf[i] = float32(i)
	}
	return buf
}

func reportGBs(b *testing.B, bytes int) {
	b.ReportMetric(float64(bytes)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
}

// BenchmarkDataIn: one op is FromSlice of the whole buffer (MLX copies it),
// Eval and Free, as baseline.c's mlx_array_new_data + eval + free.
func BenchmarkDataIn(b *testing.B) {
	for _, mib := range sizesMiB {
		b.Run(fmt.Sprintf("%dMiB", mib), func(b *testing.B) {
			buf := buffer(mib)
			settle()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				a := mlx.FromSlice(buf)
				if err := mlx.Eval(a); err != nil {
					b.Fatal(err)
				}
				a.Free()
			}
			b.StopTimer()
			reportGBs(b, 4*len(buf))
		})
	}
}

// BenchmarkDataOut: one op reads an evaluated array of the buffer's size
// back into Go memory: CopyTo into a reused slice, Data into a new slice,
// or copy from DataView's zero-copy view into a reused slice.
func BenchmarkDataOut(b *testing.B) {
	for _, mib := range sizesMiB {
		for _, how := range []string{"CopyTo", "Data", "DataView"} {
			b.Run(fmt.Sprintf("%dMiB/%s", mib, how), func(b *testing.B) {
				buf := buffer(mib)
				a := mlx.FromSlice(buf)
				defer a.Free()
				if err := mlx.Eval(a); err != nil {
					b.Fatal(err)
				}
				dst := make([]float32, len(buf))
				copy(dst, buf) // touch every page
				settle()
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					var err error
					switch how {
					case "CopyTo":
						_, err = mlx.CopyTo(a, dst)
					case "Data":
						var out []float32
						out, err = mlx.Data[float32](a)
						if err == nil && len(out) == len(buf) {
							dst[0] = out[len(out)-1]
						}
					case "DataView":
						var view []float32
						if view, err = mlx.DataView[float32](a); err == nil {
							copy(dst, view)
						}
						runtime.KeepAlive(a)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				reportGBs(b, 4*len(buf))
				settle()
			})
		}
	}
}

// BenchmarkGoCopy: the reference for data in and out, a plain Go copy of the
// same bytes: into a reused slice, and into a newly allocated one (what Data
// does, and what MLX does on the way in: fresh memory).
func BenchmarkGoCopy(b *testing.B) {
	for _, mib := range sizesMiB {
		for _, how := range []string{"reuse", "alloc"} {
			b.Run(fmt.Sprintf("%dMiB/%s", mib, how), func(b *testing.B) {
				src := buffer(mib)
				dst := make([]float32, len(src))
				copy(dst, src)
				settle()
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if how == "alloc" {
						dst = make([]float32, len(src))
					}
					copy(dst, src)
				}
				b.StopTimer()
				reportGBs(b, 4*len(src))
				runtime.KeepAlive(dst)
				settle()
			})
		}
	}
}

// TestSmoke runs every workload at a tiny size and checks its result, so
// that plain go test ./... proves the benchmarks work without running them.
func TestSmoke(t *testing.T) {
	zero, one := scalar(0), scalar(1)
	for _, mode := range modes {
		if err := buildChains(250, 100, mode, zero, one); err != nil {
			t.Fatalf("graph build (%s): %v", mode, err)
		}
		if v, err := roundTrips(150, mode, zero, one); err != nil || v != 150 {
			t.Fatalf("round trip (%s): %v, %v; want 150", mode, v, err)
		}
	}
	if err := evalChain(nil, 1000, zero, one); err != nil {
		t.Fatal(err)
	}
	x := mlx.FromSlice([]float32{1, 2, 3, 4}, 2, 2)
	if err := binop(mlx.Matmul, x, x); err != nil {
		t.Fatal(err)
	}
	if err := binop(mlx.Add, x, x); err != nil {
		t.Fatal(err)
	}
	buf := buffer(1)
	a := mlx.FromSlice(buf)
	defer a.Free()
	dst := make([]float32, len(buf))
	if n, err := mlx.CopyTo(a, dst); err != nil || n != len(buf) || dst[len(dst)-1] != buf[len(buf)-1] {
		t.Fatalf("CopyTo: %d, %v", n, err)
	}
	view, err := mlx.DataView[float32](a)
	if err != nil || len(view) != len(buf) || view[12345] != buf[12345] {
		t.Fatalf("DataView: %v", err)
	}
	runtime.KeepAlive(a)
}

// BenchmarkCgoCall: the floor under each op, one cgo call of an empty C
// function; and one passing two handle structs, whose pointers cgo checks.
func BenchmarkCgoCall(b *testing.B) {
	b.Run("noop", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			cgocall.Noop()
		}
	})
	b.Run("handles", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if !cgocall.Pass() {
				b.Fatal("nil")
			}
		}
	})
}
