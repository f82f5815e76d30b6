package mlx_test

import (
	"errors"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mlx-go/mlx"
)

// settledActiveMemory lets pending cleanups of earlier tests run, then
// returns MLX's active memory once it has stopped changing.
func settledActiveMemory(t *testing.T) int {
	t.Helper()
	last := -1
	for i := 0; i < 50; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		n, err := mlx.ActiveMemory()
		if err != nil {
			t.Fatal(err)
		}
		if n == last {
			return n
		}
		last = n
	}
	return last
}

// activeMemoryBackTo waits up to five seconds for MLX's active memory to
// come down to base, with the garbage collector off so that no finalizer
// can free a leaked array meanwhile: on a GPU, a freed array's buffer goes
// back to the allocator only once the stream's completion handler has run.
// It returns the last reading.
func activeMemoryBackTo(t *testing.T, base int) int {
	t.Helper()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	deadline := time.Now().Add(5 * time.Second)
	for {
		if err := mlx.Synchronize(); err != nil {
			t.Fatal(err)
		}
		n := activeMemory(t)
		if n <= base || time.Now().After(deadline) {
			return n
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func activeMemory(t *testing.T) int {
	t.Helper()
	n, err := mlx.ActiveMemory()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

const mib = 1 << 20

// bigArray makes an evaluated float32 array of n MiB.
func bigArray(t *testing.T, n int) *mlx.Array {
	t.Helper()
	a := mlx.Ones([]int{n * mib / 4}, mlx.Float32)
	if err := mlx.Eval(a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestFreeReturnsMemory(t *testing.T) {
	// CPU arrays: a GPU buffer goes back to the allocator only once the
	// stream's completion handler has run, after Free returns.
	onCPU(t)
	base := settledActiveMemory(t)
	a := bigArray(t, 8)
	if got := activeMemory(t); got < base+8*mib {
		t.Fatalf("active memory %d after an 8 MiB array, baseline %d", got, base)
	}
	a.Free()
	a.Free() // idempotent
	if got := activeMemory(t); got != base {
		t.Fatalf("active memory %d after Free, want the baseline %d", got, base)
	}
	if err := a.Err(); !errors.Is(err, mlx.ErrFreed) {
		t.Fatalf("Err after Free = %v, want ErrFreed", err)
	}
	if _, err := mlx.Data[float32](a); !errors.Is(err, mlx.ErrFreed) || !strings.Contains(err.Error(), "mlx: data: array used after Free") {
		t.Fatalf("Data after Free = %v", err)
	}
}

func TestScopeFreesTemporariesAndKeepsResults(t *testing.T) {
	// On the CPU, as TestFreeReturnsMemory: on a GPU the last temporary's
	// buffer can come back after the scope has closed (seen once on an H100).
	onCPU(t)
	base := settledActiveMemory(t)
	x := mlx.FromSlice([]float32{1, 2, 3})
	var level1, level2, level3, tmp3 *mlx.Array
	err := mlx.Scope(func() error {
		big := bigArray(t, 4)
		level1 = mlx.Keep(mlx.Add(x, x)) // kept by the outermost scope: survives it
		return mlx.Scope(func() error {
			level2 = mlx.Keep(mlx.Multiply(level1, x))
			return mlx.Scope(func() error {
				tmp3 = mlx.Add(level2, mlx.Sum(big, false))
				level3 = mlx.Keep(mlx.Add(level2, x))
				if err := mlx.Eval(tmp3, level3); err != nil {
					return err
				}
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	// tmp3 was made in the innermost scope and not kept.
	if !errors.Is(tmp3.Err(), mlx.ErrFreed) {
		t.Errorf("tmp3.Err() = %v, want ErrFreed", tmp3.Err())
	}
	// Kept arrays moved to the enclosing scope, which freed them unless
	// they were kept there too: level3 was kept only in scope 3, so scope 2
	// freed it; level2 was kept in scope 2, so scope 1 freed it; level1 was
	// kept in scope 1 and is outside every scope now.
	if !errors.Is(level3.Err(), mlx.ErrFreed) || !errors.Is(level2.Err(), mlx.ErrFreed) {
		t.Errorf("level3 %v, level2 %v: want both freed by the enclosing scopes", level3.Err(), level2.Err())
	}
	got, err := mlx.Data[float32](level1)
	if err != nil || got[0] != 2 || got[1] != 4 || got[2] != 6 {
		t.Fatalf("kept result = %v, %v; want [2 4 6]", got, err)
	}
	level1.Free()
	x.Free()
	if after := activeMemory(t); after != base {
		t.Fatalf("active memory %d after the scopes and frees, want the baseline %d", after, base)
	}
}

func TestScopeFreesOnPanicAndReturnsError(t *testing.T) {
	var inside *mlx.Array
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("panic did not propagate")
			}
		}()
		_ = mlx.Scope(func() error {
			inside = mlx.Ones([]int{3}, mlx.Float32)
			panic("boom")
		})
	}()
	if !errors.Is(inside.Err(), mlx.ErrFreed) {
		t.Fatalf("array made before the panic: %v, want freed", inside.Err())
	}
	want := errors.New("step failed")
	if err := mlx.Scope(func() error { return want }); err != want {
		t.Fatalf("Scope returned %v, want fn's error", err)
	}
	// Outside any scope, Keep does nothing and arrays stay alive.
	a := mlx.Keep(mlx.Ones([]int{2}, mlx.Float32))
	if _, err := mlx.Data[float32](a); err != nil {
		t.Fatal(err)
	}
}

// A scope belongs to its goroutine: concurrent scopes on many goroutines
// free exactly their own temporaries.
func TestScopesFromManyGoroutines(t *testing.T) {
	base := settledActiveMemory(t)
	shared := mlx.FromSlice([]float32{1, 2, 3, 4})
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for g := 0; g < 32; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for step := 0; step < 20; step++ {
				var kept *mlx.Array
				err := mlx.Scope(func() error {
					y := shared
					for i := 0; i < 10; i++ {
						y = mlx.Add(y, shared) // 10 temporaries
					}
					kept = mlx.Keep(mlx.Multiply(y, mlx.Scalar(float32(g))))
					return mlx.Eval(kept)
				})
				if err != nil {
					errs <- err
					return
				}
				got, err := mlx.Data[float32](kept)
				if err != nil {
					errs <- err
					return
				}
				for i, v := range got {
					if want := float32(11 * (i + 1) * g); v != want {
						t.Errorf("goroutine %d: element %d = %v, want %v", g, i, v, want)
					}
				}
				kept.Free()
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	shared.Free()
	if after := activeMemoryBackTo(t, base); after > base {
		t.Fatalf("active memory %d after every scope ended, baseline %d", after, base)
	}
}

func TestDataViewAndCopyTo(t *testing.T) {
	a := mlx.Arange(0, 6, 1, mlx.Float32)
	view, err := mlx.DataView[float32](a)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range view {
		if v != float32(i) {
			t.Fatalf("view[%d] = %v", i, v)
		}
	}
	// The view aliases MLX's memory: an op reading a sees the same values.
	if s, err := mlx.Item[float32](mlx.Sum(a, false)); err != nil || s != 15 {
		t.Fatalf("sum = %v, %v", s, err)
	}
	runtime.KeepAlive(a)

	dst := make([]float32, 8)
	n, err := mlx.CopyTo(a, dst)
	if err != nil || n != 6 || dst[5] != 5 || dst[6] != 0 {
		t.Fatalf("CopyTo = %d, %v, %v", n, err, dst)
	}
	if _, err := mlx.CopyTo(a, make([]float32, 5)); err == nil || !strings.Contains(err.Error(), "mlx: copy_to: destination has room for 5 elements, array has 6") {
		t.Fatalf("short CopyTo error = %v", err)
	}
	if _, err := mlx.DataView[int32](a); err == nil || !strings.Contains(err.Error(), "dtype float32") {
		t.Fatalf("DataView with the wrong type: %v", err)
	}
	tr := mlx.Transpose(mlx.Reshape(a, 2, 3))
	if _, err := mlx.DataView[float32](tr); err == nil || !strings.Contains(err.Error(), "not row-contiguous") {
		t.Fatalf("DataView of a transpose: %v", err)
	}
	a.Free()
	if _, err := mlx.DataView[float32](a); !errors.Is(err, mlx.ErrFreed) {
		t.Fatalf("DataView after Free: %v", err)
	}
}

func TestTrackLeaksReportsWhereUnfreedArraysWereMade(t *testing.T) {
	var mu sync.Mutex
	var reports []string
	mlx.TrackLeaks(func(stack string) {
		mu.Lock()
		reports = append(reports, stack)
		mu.Unlock()
	})
	defer mlx.TrackLeaks(nil)
	func() {
		leaked := mlx.Ones([]int{4}, mlx.Float32) // never freed
		freed := mlx.Ones([]int{4}, mlx.Float32)
		freed.Free()
		runtime.KeepAlive(leaked)
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
		mu.Lock()
		n := len(reports)
		mu.Unlock()
		if n > 0 || time.Now().After(deadline) {
			break
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reports) != 1 {
		t.Fatalf("%d leak reports, want 1: %q", len(reports), reports)
	}
	if !strings.Contains(reports[0], "TestTrackLeaksReportsWhereUnfreedArraysWereMade") || !strings.Contains(reports[0], "memory_test.go") {
		t.Fatalf("report does not say where the array was made:\n%s", reports[0])
	}
}

// Arrays nobody frees go back to MLX after a collection: their finalizers
// batch the handles, and the memory functions free a partial batch.
func TestUnfreedArraysAreReleasedAfterCollection(t *testing.T) {
	onCPU(t)
	base := settledActiveMemory(t)
	func() {
		var held []*mlx.Array // held until checked, then dropped
		for i := 0; i < 3; i++ {
			held = append(held, bigArray(t, 8))
		}
		if got := activeMemory(t); got < base+24*mib {
			t.Fatalf("active memory %d after three 8 MiB arrays, baseline %d", got, base)
		}
		runtime.KeepAlive(held)
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		got := activeMemory(t)
		if got == base {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("active memory %d five seconds after the arrays were dropped, want the baseline %d", got, base)
		}
	}
}

// TestUnfreedArraysDoNotPileUp: Go's collector sees 48 bytes per Array, so
// without help a loop that never frees its results would keep every one of
// them (100 results of 16 MiB left 1.6 GiB in MLX before). MLX's own memory
// growth starts collections: the peak stays near what is live.
func TestUnfreedArraysDoNotPileUp(t *testing.T) {
	onCPU(t)
	settledActiveMemory(t)
	if err := mlx.ResetPeakMemory(); err != nil {
		t.Fatal(err)
	}
	x := mlx.Zeros([]int{4 << 20}, mlx.Float32) // 16 MiB
	one := mlx.Scalar[float32](1)
	for i := 0; i < 100; i++ {
		y := mlx.Add(x, one) // never freed
		if err := mlx.Eval(y); err != nil {
			t.Fatal(err)
		}
	}
	peak, err := mlx.PeakMemory()
	if err != nil {
		t.Fatal(err)
	}
	if peak > 512*mib {
		t.Errorf("MLX peak memory %d MiB for 100 unfreed 16 MiB results, want under 512 MiB", peak/mib)
	}
	t.Logf("MLX peak %d MiB", peak/mib)
	x.Free()
	one.Free()
}
