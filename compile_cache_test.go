package mlx_test

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/mlx-go/mlx"
)

// ccCounting returns a compiled x*k whose Go function counts its traces
// and reads k when traced.
func ccCounting(t *testing.T, k *atomic.Int32, traces *atomic.Int32) mlx.Func {
	t.Helper()
	c, err := mlx.Compile(func(a []*mlx.Array) ([]*mlx.Array, error) {
		traces.Add(1)
		return []*mlx.Array{mlx.Multiply(a[0], mlx.Scalar(float32(k.Load())))}, nil
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ccCall(t *testing.T, f mlx.Func, x *mlx.Array) string {
	t.Helper()
	out, err := f([]*mlx.Array{x})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(iosF32(t, out[0]))
}

func TestClearCompileCache(t *testing.T) {
	runtime.LockOSThread() // MLX's compile cache is per OS thread
	defer runtime.UnlockOSThread()
	var k, traces atomic.Int32
	k.Store(2)
	f := ccCounting(t, &k, &traces)
	x := mlx.FromSlice([]float32{1, 2})
	if got := ccCall(t, f, x); got != "[2 4]" {
		t.Fatalf("f(x) = %s, want [2 4]", got)
	}
	k.Store(3)
	// Cached: the graph traced with k = 2 runs again.
	if got := ccCall(t, f, x); got != "[2 4]" || traces.Load() != 1 {
		t.Fatalf("second call: %s after %d traces, want the cached [2 4] after 1", got, traces.Load())
	}
	if err := mlx.ClearCompileCache(); err != nil {
		t.Fatal(err)
	}
	if got := ccCall(t, f, x); got != "[3 6]" || traces.Load() != 2 {
		t.Errorf("after ClearCompileCache: %s after %d traces, want [3 6] after 2", got, traces.Load())
	}
}

// A cache filled on another thread is cleared there before its next use.
func TestClearCompileCacheOtherThread(t *testing.T) {
	var k, traces atomic.Int32
	k.Store(2)
	f := ccCounting(t, &k, &traces)
	x := mlx.FromSlice([]float32{1, 2})
	calls := make(chan chan string)
	go func() { // one goroutine, locked to one thread, runs f
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		for reply := range calls {
			out, err := f([]*mlx.Array{x})
			if err != nil {
				reply <- err.Error()
				continue
			}
			v, err := mlx.Data[float32](out[0])
			reply <- fmt.Sprint(v, err)
		}
	}()
	defer close(calls)
	call := func() string {
		reply := make(chan string)
		calls <- reply
		return <-reply
	}
	if got := call(); got != "[2 4] <nil>" {
		t.Fatalf("f(x) = %s", got)
	}
	k.Store(5)
	if got := call(); got != "[2 4] <nil>" || traces.Load() != 1 {
		t.Fatalf("second call: %s after %d traces, want the cached [2 4] after 1", got, traces.Load())
	}
	if err := mlx.ClearCompileCache(); err != nil { // from this test's thread
		t.Fatal(err)
	}
	if got := call(); got != "[5 10] <nil>" || traces.Load() != 2 {
		t.Errorf("after ClearCompileCache elsewhere: %s after %d traces, want [5 10] after 2", got, traces.Load())
	}
}

func TestClearCompileCacheInsideTransform(t *testing.T) {
	var inner error
	f := func(a []*mlx.Array) ([]*mlx.Array, error) {
		inner = mlx.ClearCompileCache()
		return []*mlx.Array{mlx.Multiply(a[0], a[0])}, nil
	}
	c, err := mlx.Compile(f, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c([]*mlx.Array{mlx.FromSlice([]float32{3})}); err != nil {
		t.Fatal(err)
	}
	var e *mlx.Error
	if !errors.As(inner, &e) || e.Op != "compile_clear_cache" || e.Msg != "cannot clear the compile cache inside a transformed function" {
		t.Errorf("ClearCompileCache inside a compiled function: %v", inner)
	}
}
