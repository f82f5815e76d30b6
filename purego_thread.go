//go:build !cgo

package mlx

// The purego build's per-thread state: what capi.c keeps in C thread-local
// variables (the last error, a scoped default stream, the transform depth),
// kept here in Go. It is keyed by goroutine (getg, the runtime's goroutine
// pointer, read in assembly: a system call for the OS thread id costs more
// than a small op), which is as good as the thread: WithStream locks its
// goroutine to its thread as in the cgo build, and a C
// callback into Go (the error handler, closures) runs on the goroutine that
// made the call. State MLX itself keeps per OS thread (its compile cache,
// its default streams) is tracked by OS thread id (threadMarks). The common
// case costs no lookup: while no goroutine has any state, threadCount is 0.

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/ebitengine/purego"
)

type threadState struct {
	scope          gomlxScope
	transformDepth int
	closureErr     *cchar
}

// threadMarks are what a thread has caught up with (compile cache clears,
// default streams); they outlive the thread's idle state.
type threadMarks struct {
	compileGen  uint32
	defaultsVer int32
}

var marks sync.Map // tid -> *threadMarks (read and written by that thread only)

func marksOf(tid int) *threadMarks {
	if m, ok := marks.Load(tid); ok {
		return m.(*threadMarks)
	}
	m := &threadMarks{}
	marks.Store(tid, m)
	return m
}

func (s *threadState) idle() bool {
	return s.scope.active == 0 && s.transformDepth == 0 && s.closureErr == nil
}

var (
	threadMu    sync.Mutex
	threads     = map[uintptr]*threadState{}
	threadCount atomic.Int32
	errSlots    sync.Map // goroutine -> *cchar: the last MLX error raised in its call
)

// withThread runs fn with the calling thread's state (made if missing) and
// drops the state when fn leaves it idle. The caller holds its OS thread.
func withThread(fn func(*threadState)) {
	tid := getg()
	threadMu.Lock()
	s := threads[tid]
	if s == nil {
		s = &threadState{}
		threads[tid] = s
		threadCount.Add(1)
	}
	fn(s)
	if s.idle() {
		delete(threads, tid)
		threadCount.Add(-1)
	}
	threadMu.Unlock()
}

// peekThread returns a copy of the calling thread's state (zero if none).
func peekThread() threadState {
	if threadCount.Load() == 0 {
		return threadState{}
	}
	tid := getg()
	threadMu.Lock()
	defer threadMu.Unlock()
	if s := threads[tid]; s != nil {
		return *s
	}
	return threadState{}
}

// errorHandler is mlx-c's error handler: it runs on the thread of the call
// that failed, inside that call, and files the message for the caller.
func errorHandler(msg, _ uintptr) {
	s := "unknown error"
	if msg != 0 {
		s = goString((*cchar)(cptr(msg)))
	}
	errSlots.Store(getg(), cString(s))
}

// takeThreadError returns the message of the call that just failed on this
// thread (or the error of a Go function inside a transform that did), as
// gomlx_take_error does.
func takeThreadError() *cchar {
	tid := getg()
	var e *cchar
	if v, ok := errSlots.LoadAndDelete(tid); ok {
		e = v.(*cchar)
	}
	if threadCount.Load() != 0 {
		withThread(func(s *threadState) {
			if s.closureErr != nil {
				e, s.closureErr = s.closureErr, nil
			}
		})
	}
	if e == nil {
		e = cString("unknown error (mlx-c reported a failure without a message)")
	}
	return e
}

func clearThreadError() { errSlots.Delete(getg()) }

var errorHandlerCallback uintptr

func installErrorHandler() {
	errorHandlerCallback = purego.NewCallback(errorHandler)
	ccall(symSetErrorHandler, errorHandlerCallback, 0, 0)
}

func gomlxInstallErrorHandler() {} // done by the loader

func gomlxSetClosureError(msg *cchar) {
	withThread(func(s *threadState) { s.closureErr = msg })
}

// ---- Defaults and where ops run (gomlx_resolve) ----

var (
	defaultStreams  [2][gomlxMaxDevices]atomic.Pointer[byte]
	defaultDevice   atomic.Int32 // type<<16 | index
	defaultsVersion atomic.Int32
)

func init() { defaultsVersion.Store(1) }

func gomlxDefaultStreamOf(typ, index cint) unsafe.Pointer {
	if typ < 0 || typ > 1 || index < 0 || index >= gomlxMaxDevices {
		return nil
	}
	return unsafe.Pointer(defaultStreams[typ][index].Load())
}

func gomlxSetDefaultStream(typ, index cint, ctx unsafe.Pointer) {
	defaultStreams[typ][index].Store((*byte)(ctx))
	defaultsVersion.Add(1)
}

func gomlxSetDefaultDevice(typ, index cint) { defaultDevice.Store(typ<<16 | index) }

// resolve is gomlx_resolve: the stream an op given t runs on.
func (f *frame) resolve(t gomlxTarget) uintptr {
	if pollGPU {
		// A GPU backend binds streams to threads, and some ops (random
		// keys, FFTs, fast norms) make arrays on the calling thread's default
		// stream: keep it the package's, as the C shims do on every op. Not
		// on CPU-only machines, where a thread id costs more than an op.
		syncThreadDefaults()
	}
	if t.kind == gomlxStream {
		return uintptr(t.ctx)
	}
	return uintptr(resolveStream(t))
}

func resolveStream(t gomlxTarget) unsafe.Pointer {
	var sc gomlxScope
	if threadCount.Load() != 0 {
		sc = peekThread().scope
	}
	var typ, index cint
	switch {
	case t.kind == gomlxDevice:
		typ, index = t._type, t.index
	case sc.active != 0:
		typ, index = sc._type, sc.index
	default:
		d := defaultDevice.Load()
		typ, index = d>>16, d&0xffff
	}
	if sc.active != 0 && sc.stream != nil && sc._type == typ && sc.index == index {
		return sc.stream
	}
	return gomlxDefaultStreamOf(typ, index)
}

// syncThreadDefaults keeps this thread's MLX default streams equal to the
// package's (gomlx_sync_thread_defaults). The purego build does it in
// transforms, on the MLX thread, and where MLX has a GPU on every op.
func syncThreadDefaults() { syncThreadDefaultsOn(gettid()) }

// syncThreadDefaultsOn is syncThreadDefaults for a caller that knows its
// thread id (the MLX thread: a system call saved per task).
func syncThreadDefaultsOn(tid int) {
	v := defaultsVersion.Load()
	m := marksOf(tid)
	if m.defaultsVer == v {
		return
	}
	m.defaultsVer = v
	sc := peekThread().scope
	for typ := cint(0); typ < 2; typ++ {
		for index := cint(0); index < gomlxMaxDevices; index++ {
			ctx := gomlxDefaultStreamOf(typ, index)
			if sc.active != 0 && sc.stream != nil && sc._type == typ && sc.index == index {
				ctx = sc.stream
			}
			if ctx != nil && !ccallOK(symSetDefaultStream, uintptr(ctx)) {
				clearThreadError()
			}
		}
	}
}

func gomlxScopeSwap(next gomlxScope) gomlxScope {
	var prev gomlxScope
	withThread(func(s *threadState) { prev, s.scope = s.scope, next })
	marksOf(gettid()).defaultsVer = 0 // re-sync this thread's MLX defaults
	return prev
}

func gomlxEffectiveDefaultDevice() cint {
	if sc := peekThread().scope; sc.active != 0 {
		return sc._type<<16 | sc.index
	}
	return defaultDevice.Load()
}

func gomlxEffectiveStream(typ, index cint) unsafe.Pointer {
	return resolveStream(gomlxTarget{kind: gomlxDevice, _type: typ, index: index})
}

func gomlxGettid() cint { return cint(gettid()) }

// ---- The transform lock (capi.c's recursive mutex) ----

var transformLock struct {
	mu    sync.Mutex
	cond  *sync.Cond
	owner uintptr // goroutine, 0 when free
	depth int
}

var compileGeneration atomic.Uint32

func init() { transformLock.cond = sync.NewCond(&transformLock.mu) }

// transformEnter takes the recursive transform lock for the calling thread,
// which the caller holds (runtime.LockOSThread).
func transformEnter() { transformEnterOn(0) }

// transformEnterOn is transformEnter for a caller that knows its OS thread
// id (0: look it up if needed).
func transformEnterOn(osTID int) {
	tid := getg()
	l := &transformLock
	l.mu.Lock()
	for l.owner != 0 && l.owner != tid {
		l.cond.Wait()
	}
	l.owner = tid
	l.depth++
	l.mu.Unlock()
	var depth int
	withThread(func(s *threadState) {
		s.transformDepth++
		depth = s.transformDepth
	})
	if depth != 1 {
		return
	}
	if osTID == 0 {
		osTID = gettid()
	}
	m := marksOf(osTID)
	if g := compileGeneration.Load(); g != m.compileGen {
		// Outermost transform on this thread: catch up with ClearCompileCache.
		m.compileGen = g
		if !ccallOK(symDetailCompileClearCache) {
			clearThreadError()
		}
	}
}

func transformExit() {
	withThread(func(s *threadState) { s.transformDepth-- })
	l := &transformLock
	l.mu.Lock()
	l.depth--
	if l.depth == 0 {
		l.owner = 0
		l.cond.Broadcast()
	}
	l.mu.Unlock()
}

func transformDepth() int { return peekThread().transformDepth }

const inTransformMsg = "cannot evaluate inside a transformed function (Grad, VJP, Vmap, Compile...): return the arrays instead"

func gomlxCompileCacheClear() *cchar {
	f := begin()
	defer f.end()
	if f.err != nil {
		return cString(f.err.Error())
	}
	if transformDepth() > 0 {
		return cString("cannot clear the compile cache inside a transformed function")
	}
	transformEnter()
	marksOf(gettid()).compileGen = compileGeneration.Add(1)
	msg := ccallStatus(symDetailCompileClearCache)
	transformExit()
	return msg
}
