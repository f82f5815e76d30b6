package mlx_test

// Tests of the generated wrappers of mlx-c's memory.h, metal.h, cuda.h and
// compile.h (memory_gen.go, metal_gen.go, cuda_gen.go, compile_gen.go).
//
// These functions change or read process-wide state; each test restores what
// it changes. The MLX here is a CPU build: its allocator keeps no cache
// (cache sizes are 0 and the cache and wired limits are no-ops), and the
// Metal and CUDA queries report no backend.

import (
	"bufio"
	"errors"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mlx-go/mlx"
)

// gtMemTotal reads MemTotal from /proc/meminfo, in bytes (0 if unknown).
func gtMemTotal() int {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.Atoi(fields[1])
			if err != nil {
				return 0
			}
			return kb * 1024
		}
	}
	return 0
}

func gtMem(t *testing.T, name string, f func() (int, error)) int {
	t.Helper()
	n, err := f()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if n < 0 {
		t.Fatalf("%s = %d, negative", name, n)
	}
	return n
}

func TestGenMemory(t *testing.T) {
	const size = 64 << 20 // 16M float32
	// Let arrays of earlier tests that the GC found unreachable go first.
	runtime.GC()

	if err := mlx.ResetPeakMemory(); err != nil {
		t.Fatalf("ResetPeakMemory: %v", err)
	}
	a := mlx.Zeros([]int{size / 4}, mlx.Float32)
	if err := mlx.Eval(a); err != nil {
		t.Fatal(err)
	}
	active := gtMem(t, "ActiveMemory", mlx.ActiveMemory)
	if active < size {
		t.Errorf("ActiveMemory = %d with a live %d-byte array", active, size)
	}
	if peak := gtMem(t, "PeakMemory", mlx.PeakMemory); peak < size || peak < active {
		t.Errorf("PeakMemory = %d after reset and a %d-byte array (active %d)", peak, size, active)
	}
	a.Free()
	after := gtMem(t, "ActiveMemory", mlx.ActiveMemory)
	for i := 0; i < 200 && after > active-size && hasGPU(); i++ {
		// MLX's CUDA backend returns a GPU buffer once the stream's
		// completion handler has dropped its reference, after Free.
		time.Sleep(10 * time.Millisecond)
		after = gtMem(t, "ActiveMemory", mlx.ActiveMemory)
	}
	if after > active-size {
		t.Errorf("ActiveMemory = %d after freeing %d bytes, was %d", after, size, active)
	}
	// The peak stays until reset.
	if peak := gtMem(t, "PeakMemory", mlx.PeakMemory); peak < size {
		t.Errorf("PeakMemory = %d after free, want >= %d", peak, size)
	}

	// The CPU allocator keeps no cache.
	if err := mlx.ClearCache(); err != nil {
		t.Fatalf("ClearCache: %v", err)
	}
	if c := gtMem(t, "CacheMemory", mlx.CacheMemory); c != 0 && !hasGPU() {
		t.Errorf("CacheMemory = %d after ClearCache, want 0", c)
	} else if c >= 4096 {
		// MLX's CUDA allocator keeps its pool of small (scalar) buffers.
		t.Errorf("CacheMemory = %d after ClearCache, want under 4096 bytes", c)
	}

	// The memory limit: 0.8 of the machine's memory by default, as MLX's
	// CPU allocator sets it; Set returns the previous limit.
	limit := gtMem(t, "MemoryLimit", mlx.MemoryLimit)
	if total := gtMemTotal(); total > 0 {
		if r := float64(limit) / float64(total); r < 0.79 || r > 0.81 {
			t.Logf("MemoryLimit %d is %.3f of MemTotal %d (another test may have changed it)", limit, r, total)
		}
	}
	prev, err := mlx.SetMemoryLimit(1 << 30)
	if err != nil {
		t.Fatalf("SetMemoryLimit: %v", err)
	}
	t.Cleanup(func() {
		if _, err := mlx.SetMemoryLimit(prev); err != nil {
			t.Errorf("restoring the memory limit: %v", err)
		}
	})
	if prev != limit {
		t.Errorf("SetMemoryLimit returned %d, MemoryLimit was %d", prev, limit)
	}
	if got := gtMem(t, "MemoryLimit", mlx.MemoryLimit); got != 1<<30 {
		t.Errorf("MemoryLimit = %d after SetMemoryLimit(1 GiB)", got)
	}
	if back, err := mlx.SetMemoryLimit(prev); err != nil || back != 1<<30 {
		t.Errorf("SetMemoryLimit(prev) = %d, %v; want 1 GiB", back, err)
	}

	// Without a cache or wired memory these are no-ops returning 0. The CUDA
	// allocator keeps a cache: there Set returns the previous limit.
	if old, err := mlx.SetCacheLimit(1 << 20); hasGPU() {
		if err != nil {
			t.Errorf("SetCacheLimit: %v", err)
		} else if back, err := mlx.SetCacheLimit(old); err != nil || back != 1<<20 {
			t.Errorf("SetCacheLimit(%d) = %d, %v; want 1 MiB", old, back, err)
		}
	} else if err != nil || old != 0 {
		t.Errorf("SetCacheLimit = %d, %v; want 0 on the CPU allocator", old, err)
	}
	if old, err := mlx.SetWiredLimit(0); err != nil || old != 0 {
		t.Errorf("SetWiredLimit = %d, %v; want 0 on the CPU allocator", old, err)
	}

	// Errors: sizes are size_t, so negative ones are refused before MLX.
	for _, c := range []struct {
		op string
		f  func(int) (int, error)
	}{
		{"set_memory_limit", mlx.SetMemoryLimit},
		{"set_cache_limit", mlx.SetCacheLimit},
		{"set_wired_limit", mlx.SetWiredLimit},
	} {
		_, err := c.f(-1)
		e := gtWantErr(t, err, c.op, "negative")
		if !errors.Is(e, mlx.ErrInvalidArgument) {
			t.Errorf("%s(-1): %v does not wrap ErrInvalidArgument", c.op, e)
		}
	}
	if got := gtMem(t, "MemoryLimit", mlx.MemoryLimit); got != prev {
		t.Errorf("a refused SetMemoryLimit changed the limit to %d", got)
	}
}

func TestGenBackends(t *testing.T) {
	// Metal and CUDA answer for the loaded MLX; on this CPU build neither
	// exists, which must agree with the device count.
	metal, err := mlx.MetalIsAvailable()
	if err != nil {
		t.Fatalf("MetalIsAvailable: %v", err)
	}
	cuda, err := mlx.CUDAIsAvailable()
	if err != nil {
		t.Fatalf("CUDAIsAvailable: %v", err)
	}
	gpus := mlx.DeviceCount(mlx.GPU)
	if (metal || cuda) != (gpus > 0) {
		t.Errorf("Metal %v, CUDA %v, but %d GPU devices", metal, cuda, gpus)
	}
	if metal && cuda {
		t.Errorf("both Metal and CUDA report available")
	}
	if metal {
		t.Skip("Metal is available: capturing needs MTL_CAPTURE_ENABLED, not exercised here")
	}
	// Without Metal, capture start and stop are no-ops that succeed (they
	// have no failure mode to test in this build).
	path := t.TempDir() + "/trace.gputrace"
	if err := mlx.MetalStartCapture(path); err != nil {
		t.Errorf("MetalStartCapture without Metal: %v", err)
	}
	if err := mlx.MetalStopCapture(); err != nil {
		t.Errorf("MetalStopCapture without Metal: %v", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Errorf("MetalStartCapture without Metal wrote %s", path)
	}
}

func TestGenCompileSwitches(t *testing.T) {
	// MLX keeps its compile cache per OS thread: a goroutine that moved
	// between calls would trace again. Stay on one thread.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// Restore MLX's default (compile enabled) whatever happens.
	t.Cleanup(func() {
		if err := mlx.SetCompileMode(mlx.CompileModeEnabled); err != nil {
			t.Errorf("SetCompileMode(enabled): %v", err)
		}
		if err := mlx.EnableCompile(); err != nil {
			t.Errorf("EnableCompile: %v", err)
		}
	})
	// What the switches do is visible through Compile: a compiled function
	// traces the Go function once and then replays the graph, while
	// Compile with compilation disabled returns the function itself, which
	// then runs on every call. MLX reads the switch when Compile is called.
	x := mlx.FromSlice([]float32{1, 2, 3})
	want := []float64{2, 6, 12} // x*x + x
	calls := func(t *testing.T, name string) int {
		t.Helper()
		n := 0
		f, err := mlx.Compile(func(args []*mlx.Array) ([]*mlx.Array, error) {
			n++
			return []*mlx.Array{mlx.Add(mlx.Multiply(args[0], args[0]), args[0])}, nil
		}, false)
		if err != nil {
			t.Fatalf("%s: Compile: %v", name, err)
		}
		for i := 0; i < 3; i++ {
			out, err := f([]*mlx.Array{x})
			if err != nil {
				t.Fatalf("%s: call %d: %v", name, i, err)
			}
			gtCheck(t, name, out[0], mlx.Float32, []int{3}, want, 0)
		}
		return n
	}
	steps := []struct {
		name   string
		set    func() error
		traced bool // the Go function runs once (traced), not per call
	}{
		{"disable_compile", mlx.DisableCompile, false},
		{"enable_compile", mlx.EnableCompile, true},
		{"mode disabled", func() error { return mlx.SetCompileMode(mlx.CompileModeDisabled) }, false},
		{"mode no_simplify", func() error { return mlx.SetCompileMode(mlx.CompileModeNoSimplify) }, true},
		{"mode no_fuse", func() error { return mlx.SetCompileMode(mlx.CompileModeNoFuse) }, true},
		{"mode enabled", func() error { return mlx.SetCompileMode(mlx.CompileModeEnabled) }, true},
	}
	for _, s := range steps {
		if err := s.set(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		n := calls(t, s.name)
		if s.traced && n != 1 || !s.traced && n != 3 {
			t.Errorf("%s: the Go function ran %d times for 3 calls (traced: %v)", s.name, n, s.traced)
		}
	}
	// An invalid mode is refused by the binding.
	e := gtWantErr(t, mlx.SetCompileMode(mlx.CompileMode(42)), "set_compile_mode", "invalid mode")
	if !errors.Is(e, mlx.ErrInvalidArgument) {
		t.Errorf("invalid mode: %v does not wrap ErrInvalidArgument", e)
	}
	if n := calls(t, "after invalid mode"); n != 1 {
		t.Errorf("a refused SetCompileMode changed the mode: the function ran %d times", n)
	}
}
