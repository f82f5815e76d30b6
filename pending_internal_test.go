package mlx

import (
	"errors"
	"reflect"
	"runtime"
	"testing"
	"time"
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
		h := a.h
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
	hb := b.h
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
	if n := unsafe.Sizeof(Array{}); n > 32 {
		t.Errorf("Array is %d bytes, want at most 32 (a size class of Go's allocator)", n)
	}
	if f := pointerField(reflect.TypeOf(Array{}), "Array"); f != "" {
		t.Errorf("%s holds a pointer: the garbage collector would scan every Array", f)
	}
}

// pointerField names the first field of t that the garbage collector scans,
// or returns "".
func pointerField(t reflect.Type, path string) string {
	switch t.Kind() {
	case reflect.Pointer, reflect.UnsafePointer, reflect.Interface, reflect.Slice,
		reflect.Map, reflect.Chan, reflect.Func, reflect.String:
		return path
	case reflect.Array:
		if t.Len() > 0 {
			return pointerField(t.Elem(), path+"[0]")
		}
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if p := pointerField(f.Type, path+"."+f.Name); p != "" {
				return p
			}
		}
	}
	return ""
}

// Arrays carrying errors keep their error in rares, by index; an entry must
// go once its array is unreachable, or a loop that makes errors would grow
// the table without end.
func TestRareRecordsAreDropped(t *testing.T) {
	live := func() int {
		rares.Lock()
		defer rares.Unlock()
		n := 0
		for _, r := range rares.records {
			if r != nil {
				n++
			}
		}
		return n
	}
	before := live()
	for i := range 1000 {
		if a := Reshape(FromSlice([]float32{1, 2}), 3); a.Err() == nil {
			t.Fatalf("reshape %d: no error", i)
		}
	}
	if got := live(); got < before+1000 {
		t.Fatalf("%d rare records after 1000 errors, want at least %d", got, before+1000)
	}
	deadline := time.Now().Add(10 * time.Second)
	for live() > before+100 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got := live(); got > before+100 {
		t.Errorf("%d rare records left after collections, want about %d", got, before)
	}
}

// A scope keeps its arrays in chunks of 512: arrays kept or freed on either
// side of a chunk's end must end up as Keep and Free say.
func TestScopeAcrossChunks(t *testing.T) {
	one := Scalar[float32](1)
	defer one.Free()
	const n = 1300
	var all []*Array
	isKept := func(i int) bool { return i%511 == 0 }
	err := Scope(func() error {
		err := Scope(func() error {
			for i := range n {
				a := Add(one, one)
				all = append(all, a)
				switch {
				case isKept(i):
					Keep(a)
				case i%7 == 0:
					a.Free()
				}
			}
			return nil
		})
		for i, a := range all {
			if kept, err := isKept(i), a.Err(); kept && err != nil || !kept && !errors.Is(err, ErrFreed) {
				t.Errorf("array %d (kept %v): Err() = %v after the inner scope", i, kept, err)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range all {
		if !errors.Is(a.Err(), ErrFreed) {
			t.Fatalf("array %d: Err() = %v after both scopes closed, want ErrFreed", i, a.Err())
		}
	}
	var out *Array
	err = Scope(func() error {
		var inner []*Array
		err := Scope(func() error {
			for range n {
				inner = append(inner, Keep(Add(one, one)))
			}
			return nil
		})
		for i, a := range inner {
			if a.Err() != nil {
				t.Errorf("kept array %d: %v in the enclosing scope", i, a.Err())
			}
		}
		out = Keep(inner[n-1])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := Item[float32](out); err != nil || v != 2 {
		t.Fatalf("array kept through two scopes = %v, %v; want 2", v, err)
	}
	out.Free()
}

// scopeOwners under churn: entries added, changed and removed in any order
// stay findable, through tombstones and table growth.
func TestScopeOwnersTable(t *testing.T) {
	saved := scopeOwners.Load()
	scopeOwners.Store(nil)
	defer scopeOwners.Store(saved)
	scopesMu.Lock()
	defer scopesMu.Unlock()
	want := map[uintptr]cint{}
	key := func(i int) uintptr { return uintptr(0xc000010000 + 416*i) } // g-like addresses
	for round := range 3 {
		for i := range 1000 {
			setScopeOfLocked(key(i), cint(i+1+round))
			want[key(i)] = cint(i + 1 + round)
		}
		for i := 0; i < 1000; i += 2 {
			setScopeOfLocked(key(i), 0)
			delete(want, key(i))
		}
		for i := 1000; i < 1200; i++ {
			setScopeOfLocked(key(i), 7)
			want[key(i)] = 7
		}
		for i := range 1300 {
			if got := scopeOf(key(i)); got != want[key(i)] {
				t.Fatalf("round %d: scope of goroutine %d = %d, want %d", round, i, got, want[key(i)])
			}
		}
		if tb := scopeOwners.Load(); 2*tb.used > len(tb.slots) {
			t.Fatalf("round %d: %d of %d slots used, want at most half", round, tb.used, len(tb.slots))
		}
	}
}
