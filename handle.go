package mlx

import (
	"sync"
	"sync/atomic"
)

// handle is an integer standing for a Go value that C holds (a closure's Go
// function, a reader, a pinned slice): runtime/handle, which needs cgo,
// in a form both builds share. Zero is never a valid handle.
type handle uintptr

var (
	handleTable sync.Map // handle -> value
	handleNext  atomic.Uintptr
)

// newHandle returns a handle for v, valid until Delete.
func newHandle(v any) handle {
	h := handle(handleNext.Add(1))
	handleTable.Store(h, v)
	return h
}

// Value returns the value of h; it panics if h was deleted.
func (h handle) Value() any {
	v, ok := handleTable.Load(h)
	if !ok {
		panic("mlx: invalid handle")
	}
	return v
}

// Delete releases h.
func (h handle) Delete() { handleTable.Delete(h) }
