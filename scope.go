package mlx

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mlx-go/mlx/internal/gptr"
)

// memScope is one running Scope: the arrays its goroutine created. Each id
// keeps its memScope for the life of the process, reused by the scopes that
// get the id, so that opening and closing a scope allocates nothing.
type memScope struct {
	id     cint
	parent *memScope
	chunks []*scopeChunk // the arrays, in chunks; all but the last are full
	batch  [256]cuintptr // handles freed in one cgo call by close
}

// scopeChunk holds a scope's arrays in pieces of fixed size, shared by all
// scopes through chunkPool: a scope of 100,000 arrays grew one slice to
// 800 KB, copying it as it grew (44 bytes allocated per array besides the
// Array), and a closed scope could keep only so much of it for the next.
type scopeChunk struct {
	arrays [512]*Array
	n      int
}

var chunkPool = sync.Pool{New: func() any { return new(scopeChunk) }}

// add records a as one of the scope's arrays.
func (s *memScope) add(a *Array) {
	n := len(s.chunks)
	if n == 0 || s.chunks[n-1].n == len(s.chunks[n-1].arrays) {
		s.chunks = append(s.chunks, chunkPool.Get().(*scopeChunk))
		n++
	}
	c := s.chunks[n-1]
	c.arrays[c.n] = a
	c.n++
}

// maxKeptChunks bounds the chunk list a closed scope keeps for the next.
const maxKeptChunks = 64

var (
	scopesMu     sync.Mutex
	scopeTable   atomic.Pointer[[]*memScope] // by id; id 0 is "no scope"; entries never change
	freeScopeIDs []cint
	activeScopes atomic.Int32
)

func scopeByID(id cint) *memScope { return (*scopeTable.Load())[id] }

// currentScopeID returns the calling goroutine's scope: one atomic load
// while no goroutine is in a scope, a probe of scopeOwners otherwise.
func currentScopeID() cint {
	if activeScopes.Load() == 0 {
		return 0
	}
	return scopeOf(getg())
}

// getg returns the calling goroutine's runtime address: the key of
// scopeOwners. A Scope used to keep its id in C's thread-local storage,
// which locked its goroutine to an OS thread; a locked goroutine whose cgo
// call blocks for long gets its processor back from Go's scheduler through
// one more thread wake-up (add+eval steps in a Scope took 61-177 µs against
// 47-105 µs on the 2-core VM).
func getg() uintptr { return gptr.Get() }

// scopeOwners maps each goroutine running a Scope to the id of its innermost
// one: an open-addressing table that readers probe without a lock, and that
// scopesMu's holders change (in place, or by publishing a new table). A
// goroutine only ever finds its own entry, which only it changes.
var scopeOwners atomic.Pointer[ownerTable]

type ownerTable struct {
	slots []ownerSlot // a power of two in length; at most half used
	used  int         // slots holding a goroutine or a tombstone
}

type ownerSlot struct {
	g  atomic.Uintptr // 0: empty; tombstone: a goroutine left
	id atomic.Int32
}

const tombstone = 1 // never a goroutine's address

func ownerHash(g uintptr, mask int) int { return int((g>>3)*0x9E3779B97F4A7C15>>32) & mask }

// scopeOf returns the scope goroutine g is running, or 0.
func scopeOf(g uintptr) cint {
	t := scopeOwners.Load()
	if t == nil {
		return 0
	}
	mask := len(t.slots) - 1
	for i := ownerHash(g, mask); ; i = (i + 1) & mask {
		switch t.slots[i].g.Load() {
		case g:
			return cint(t.slots[i].id.Load())
		case 0:
			return 0
		}
	}
}

// setScopeOfLocked makes id (0: none) the scope goroutine g is running.
// scopesMu is held.
func setScopeOfLocked(g uintptr, id cint) {
	t := scopeOwners.Load()
	if t != nil {
		mask := len(t.slots) - 1
		free := -1 // the first tombstone on g's probe path
		i := ownerHash(g, mask)
		for ; ; i = (i + 1) & mask {
			k := t.slots[i].g.Load()
			if k == g {
				if id == 0 {
					t.slots[i].g.Store(tombstone)
				} else {
					t.slots[i].id.Store(int32(id))
				}
				return
			}
			if k == tombstone && free < 0 {
				free = i
			}
			if k == 0 {
				break // g has no entry; i is empty
			}
		}
		if id == 0 {
			return
		}
		switch {
		case free >= 0: // reuse a tombstone: used stays
		case 2*(t.used+1) <= len(t.slots):
			free = i
			t.used++
		default:
			free = -1 // full: a new table below
		}
		if free >= 0 {
			t.slots[free].id.Store(int32(id))
			t.slots[free].g.Store(g)
			return
		}
	}
	// A new table, twice the live entries' need: tombstones go.
	live := 1
	if t != nil {
		for i := range t.slots {
			if k := t.slots[i].g.Load(); k != 0 && k != tombstone {
				live++
			}
		}
	}
	n := 16
	for n < 4*live {
		n *= 2
	}
	next := &ownerTable{slots: make([]ownerSlot, n)}
	put := func(k uintptr, id int32) {
		for i := ownerHash(k, n-1); ; i = (i + 1) & (n - 1) {
			if next.slots[i].g.Load() == 0 {
				next.slots[i].id.Store(id)
				next.slots[i].g.Store(k)
				next.used++
				return
			}
		}
	}
	if t != nil {
		for i := range t.slots {
			if k := t.slots[i].g.Load(); k != 0 && k != tombstone {
				put(k, t.slots[i].id.Load())
			}
		}
	}
	put(g, int32(id))
	scopeOwners.Store(next)
}

// openScope starts a scope for goroutine g, inside the one g is running.
func openScope(g uintptr) *memScope {
	scopesMu.Lock()
	defer scopesMu.Unlock()
	activeScopes.Add(1)
	var s *memScope
	if n := len(freeScopeIDs); n > 0 {
		var id cint
		id, freeScopeIDs = freeScopeIDs[n-1], freeScopeIDs[:n-1]
		s = scopeByID(id)
	} else {
		table := []*memScope{nil}
		if p := scopeTable.Load(); p != nil {
			table = *p
		}
		s = &memScope{id: cint(len(table))}
		grown := append(table[:len(table):len(table)], s) // a new array: readers keep theirs
		scopeTable.Store(&grown)
	}
	if prev := scopeOf(g); prev != 0 {
		s.parent = scopeByID(prev)
	}
	setScopeOfLocked(g, s.id)
	return s
}

// close frees the scope's arrays and makes its parent g's scope again.
func (s *memScope) close(g uintptr) {
	// Free in batches: one cgo call per batch instead of one per array.
	batch := &s.batch
	n := 0
	for ci, c := range s.chunks {
		for i, a := range c.arrays[:c.n] {
			c.arrays[i] = nil
			switch {
			case a.freed:
			case a.kept:
				a.kept = false
				a.scope = 0
				if s.parent != nil {
					a.scope = s.parent.id
					s.parent.add(a)
				} else {
					// Out of every scope: the garbage collector's backstop again.
					enterNursery(a)
				}
			default:
				a.freed = true
				if a.h != 0 {
					batch[n] = cuintptr(a.h)
					a.h = 0
					if n++; n == len(batch) {
						gomlxFreeArrays(&batch[0], csize(n))
						n = 0
					}
				}
			}
		}
		c.n = 0
		chunkPool.Put(c)
		s.chunks[ci] = nil
	}
	if n > 0 {
		gomlxFreeArrays(&batch[0], csize(n))
	}
	s.chunks = s.chunks[:0]
	if cap(s.chunks) > maxKeptChunks {
		s.chunks = nil
	}
	scopesMu.Lock()
	defer scopesMu.Unlock()
	parent := cint(0)
	if s.parent != nil {
		parent = s.parent.id
	}
	setScopeOfLocked(g, parent)
	s.parent = nil
	freeScopeIDs = append(freeScopeIDs, s.id)
	activeScopes.Add(-1)
}

// Scope runs fn and then frees every array that the calling goroutine created
// while fn ran, except those passed to Keep, which move to the enclosing
// scope (or to no scope). It returns fn's error. Scopes nest, and free on
// return and on panic.
//
// A scope belongs to its goroutine: arrays that other goroutines create, even
// ones started inside fn, are not in it, and Keep must be called on the
// goroutine running the scope. While any goroutine is in a scope, every new
// array costs a lookup of its goroutine's scope (a few nanoseconds).
//
// Use Scope around each step of a loop so temporaries are released at once
// instead of whenever the garbage collector gets to them.
func Scope(fn func() error) error {
	g := getg()
	s := openScope(g)
	defer s.close(g)
	return fn()
}

// Keep marks a to survive the Scope it was created in, and returns it. A kept
// array moves to the enclosing scope, which frees it in turn unless it is
// kept there too. Keep on an array outside any scope does nothing.
func Keep(a *Array) *Array {
	if a != nil && a.scope != 0 {
		a.kept = true
	}
	return a
}

// leakReport, when set, receives where each array that was never freed was
// created, when the garbage collector releases it.
var leakReport atomic.Pointer[func(stack string)]

// TrackLeaks records where each array is created from now on and calls
// report with that stack when the garbage collector releases an array that
// nobody freed (directly or through a Scope). report runs on a runtime
// goroutine and must not block. nil stops tracking. Tracking costs a stack
// walk per array: for debugging only. Setting MLX_GO_TRACK_LEAKS=1 in the
// environment turns it on at start-up, reporting to standard error.
func TrackLeaks(report func(stack string)) {
	if report == nil {
		leakReport.Store(nil)
		return
	}
	leakReport.Store(&report)
}

func init() {
	if os.Getenv("MLX_GO_TRACK_LEAKS") == "1" {
		TrackLeaks(func(stack string) {
			fmt.Fprintf(os.Stderr, "mlx: array never freed, created at:\n%s\n", stack)
		})
	}
}

func callers() []uintptr {
	pcs := make([]uintptr, 32)
	return pcs[:runtime.Callers(3, pcs)]
}

func formatStack(pcs []uintptr) string {
	var b strings.Builder
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "github.com/mlx-go/mlx.") || strings.HasPrefix(f.Function, "github.com/mlx-go/mlx.Test") {
			fmt.Fprintf(&b, "\t%s\n\t\t%s:%d\n", f.Function, f.File, f.Line)
		}
		if !more {
			break
		}
	}
	return b.String()
}
