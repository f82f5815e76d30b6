package mlx

// #include "capi.h"
import "C"

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// The MLX thread.
//
// MLX binds a GPU stream to the OS thread that created it ("There is no
// Stream(gpu, N) in current thread"), and MLX 0.32 does the same for CPU
// streams; evaluating a graph touches every stream in it. Goroutines move
// between OS threads, so the package creates every stream, and evaluates and
// synchronizes every graph, on one dedicated goroutine locked to one OS thread:
// the MLX thread. Graphs mixing any streams and devices therefore always
// evaluate where their streams live.
//
// Only scheduling runs there: mlx_async_eval encodes the graph and returns;
// the goroutine that asked waits for the results on its own thread, so work
// on different streams overlaps and a long wait never blocks other callers.
// Building graphs (every op) runs on the caller's thread with an explicit
// stream, which MLX allows from any thread.

type ownerCall struct {
	fn    func()
	panic any
	done  chan struct{}
}

var (
	ownerCalls = make(chan *ownerCall)
	ownerTID   int // OS thread id of the MLX thread
	callPool   = sync.Pool{New: func() any { return &ownerCall{done: make(chan struct{}, 1)} }}
)

func startOwnerThread() {
	ready := make(chan int)
	go func() {
		runtime.LockOSThread() // never unlocked: this goroutine owns the thread for the life of the process
		ready <- int(C.gomlx_gettid())
		for c := range ownerCalls {
			c.run()
			c.done <- struct{}{}
		}
	}()
	ownerTID = <-ready
}

func (c *ownerCall) run() {
	defer func() { c.panic = recover() }()
	c.fn()
}

// onOwnerThread runs fn on the MLX thread and returns when it is done. A panic
// in fn is re-raised in the caller's goroutine, not on the MLX thread.
func onOwnerThread(fn func()) {
	c := callPool.Get().(*ownerCall)
	c.fn = fn
	ownerCalls <- c
	<-c.done
	p := c.panic
	c.fn, c.panic = nil, nil
	callPool.Put(c)
	if p != nil {
		panic(p)
	}
}

// threadHook, when set (by the package's tests), is called on the MLX thread
// after every stream creation, evaluation and synchronization with the OS
// thread it ran on, so tests can check the invariant above on machines whose
// MLX does not enforce it.
var threadHook atomic.Pointer[func(event string, s Stream, tid int)]

func noteThread(event string, s Stream) {
	if h := threadHook.Load(); h != nil {
		(*h)(event, s, int(C.gomlx_gettid()))
	}
}

func currentThreadID() int { return int(C.gomlx_gettid()) }
