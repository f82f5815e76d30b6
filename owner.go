package mlx

import (
	"sync/atomic"
	"unsafe"
)

// The MLX thread.
//
// MLX binds a GPU stream to the OS thread that created it ("There is no
// Stream(gpu, N) in current thread"), and MLX 0.32 does the same for CPU
// streams; evaluating a graph touches every stream in it. Goroutines move
// between OS threads, so the package creates every stream, and schedules the
// evaluation and synchronization of every graph, on one dedicated OS thread:
// the MLX thread (a C thread, see capi.c). Graphs mixing any streams and
// devices therefore always evaluate where their streams live.
//
// Only scheduling runs there: mlx_async_eval encodes the graph and returns;
// the goroutine that asked waits for the results on its own thread, so work
// on different streams overlaps and a long wait never blocks other callers.
// Building graphs (every op) runs on the caller's thread with an explicit
// stream, which MLX allows from any thread. So does scheduling, where MLX
// has no GPU and binds CPU streams to no thread (evalOnCaller in array.go).

// ownerTID is the OS thread id of the MLX thread.
var ownerTID int

func startOwnerThread() {
	ownerTID = int(gomlxOwnerStart())
	if ownerTID < 0 {
		panic("mlx: cannot start the MLX thread")
	}
}

// ownerTask runs one task on the MLX thread and returns its result.
func ownerTask(kind cint, d Device, ctx unsafe.Pointer, arrays *mlxArray, n int) gomlxOwnerResult {
	return gomlxOwnerRun(kind, cint(d.Type), cint(d.Index), ctx, arrays, csize(n))
}

// threadHook, when set (by the package's tests), is called after every
// stream creation, evaluation and synchronization with the OS thread it ran
// on, as recorded on that thread, so tests can check the invariant above on
// machines whose MLX does not enforce it.
var threadHook atomic.Pointer[func(event string, s Stream, tid int)]

func noteThread(event string, s Stream, tid cint) {
	if h := threadHook.Load(); h != nil {
		(*h)(event, s, int(tid))
	}
}

func currentThreadID() int { return int(gomlxGettid()) }
