package mlx

import (
	"runtime"
	"testing"
	"unsafe"
)

// Free leaves the handle for the next call into MLX; these are the calls
// that must take it.
func TestFreedHandleGoesWithTheNextCall(t *testing.T) {
	one := FromSlice([]float32{1})
	defer one.Free()
	pending := func() uintptr { return pendingFree.Load() }
	var kept []*Array
	defer func() {
		for _, a := range kept {
			a.Free()
		}
	}()
	fresh := func() *Array {
		a := Add(one, one)
		if err := a.Err(); err != nil {
			t.Fatal(err)
		}
		return a
	}
	steps := []struct {
		name string
		call func()
	}{
		{"an op", func() { kept = append(kept, fresh()) }},
		{"Eval", func() { _ = Eval() }},
		{"Synchronize", func() { _ = Synchronize() }},
		{"a memory function", func() { _, _ = ActiveMemory() }},
		{"a garbage collection", func() {
			for i := 0; i < 10 && pending() != 0; i++ {
				runtime.GC()
				runtime.Gosched()
			}
		}},
	}
	for _, s := range steps {
		a := fresh()
		h := uintptr(a.c.ctx)
		a.Free()
		if got := pending(); got != h {
			t.Fatalf("before %s: pending %#x, want the freed handle %#x", s.name, got, h)
		}
		s.call()
		if got := pending(); got != 0 {
			t.Fatalf("%s left the freed handle pending", s.name)
		}
	}
	// A second Free frees the first handle at once.
	a, b := fresh(), fresh()
	hb := uintptr(b.c.ctx)
	a.Free()
	b.Free()
	if got := pending(); got != hb {
		t.Fatalf("after two Frees: pending %#x, want the second handle %#x", got, hb)
	}
	releasePending()
	if got := pending(); got != 0 {
		t.Fatalf("pending %#x after releasePending", got)
	}
}

// TestArraySize guards the size of Array: every op allocates one, and the
// garbage collector's frequency follows the bytes allocated.
func TestArraySize(t *testing.T) {
	if n := unsafe.Sizeof(Array{}); n > 48 {
		t.Errorf("Array is %d bytes, want at most 48 (a size class of Go's allocator)", n)
	}
}
