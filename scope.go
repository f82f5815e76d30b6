package mlx

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
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

// currentScopeID returns the calling goroutine's scope, with a cgo call only
// while some goroutine is in a scope. Hot paths get it from their shim.
func currentScopeID() cint {
	if activeScopes.Load() == 0 {
		return 0
	}
	return gomlxScopeIDGet()
}

func openScope() *memScope {
	scopesMu.Lock()
	defer scopesMu.Unlock()
	activeScopes.Add(1)
	if n := len(freeScopeIDs); n > 0 {
		var id cint
		id, freeScopeIDs = freeScopeIDs[n-1], freeScopeIDs[:n-1]
		return scopeByID(id)
	}
	table := []*memScope{nil}
	if p := scopeTable.Load(); p != nil {
		table = *p
	}
	s := &memScope{id: cint(len(table))}
	grown := append(table[:len(table):len(table)], s) // a new array: readers keep theirs
	scopeTable.Store(&grown)
	return s
}

func (s *memScope) close() {
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
	s.parent = nil
	scopesMu.Lock()
	defer scopesMu.Unlock()
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
// goroutine running the scope. The goroutine is locked to its OS thread while
// fn runs, where the scope is kept, so tracking costs the hot path one branch.
//
// Use Scope around each step of a loop so temporaries are released at once
// instead of whenever the garbage collector gets to them.
func Scope(fn func() error) error {
	runtime.LockOSThread()
	s := openScope()
	prev := gomlxScopeIDSwap(s.id)
	if prev != 0 {
		s.parent = scopeByID(prev)
	}
	defer func() {
		gomlxScopeIDSwap(prev)
		s.close()
		runtime.UnlockOSThread()
	}()
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
