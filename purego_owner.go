//go:build !cgo

package mlx

// The MLX thread of the purego build: a goroutine locked to its OS thread,
// serving the tasks capi.c's C thread serves in the cgo build (owner.go).

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

type ownerJob struct {
	kind, typ, index cint
	ctx              unsafe.Pointer
	arrays           *mlxArray
	n                csize
	fn               func(*frame) bool
	res              gomlxOwnerResult
	done             chan struct{} // capacity 1, reused with the job
}

var ownerJobPool = sync.Pool{New: func() any { return &ownerJob{done: make(chan struct{}, 1)} }}

var (
	ownerJobs      chan *ownerJob
	ownerThreadTID atomic.Int32
)

func gomlxOwnerStart() cint {
	ownerJobs = make(chan *ownerJob, 64)
	started := make(chan cint)
	go func() {
		runtime.LockOSThread() // for good: this goroutine is the MLX thread
		tid := cint(gettid())
		ownerThreadTID.Store(tid) // before any call: it may load the library
		// MLX builds its allocator on the thread of the first allocation,
		// which with CUDA leaves that thread current to the last GPU: build
		// it here, as capi.c's MLX thread does (see docs/cuda.md).
		var unused csize
		if msg := gomlxgGetActiveMemory(&unused); msg != nil {
			cFree(unsafe.Pointer(msg))
		}
		started <- tid
		for j := range ownerJobs {
			runOwnerJob(j)
			j.done <- struct{}{}
		}
	}()
	return <-started
}

// submitOwner hands j to the MLX thread (loading mlx-c first, which starts
// it) and waits for it to be done.
func submitOwner(j *ownerJob) {
	if err := ensureLoaded(); err != nil {
		j.res.err = cString(err.Error())
		return
	}
	ownerJobs <- j
	<-j.done
}

func gomlxOwnerRun(kind, typ, index cint, ctx unsafe.Pointer, arrays *mlxArray, n csize) gomlxOwnerResult {
	if (kind == gomlxTaskAsyncEval || kind == gomlxTaskSyncBegin) && transformDepth() > 0 {
		return gomlxOwnerResult{err: cString(inTransformMsg)}
	}
	j := ownerJobPool.Get().(*ownerJob)
	j.kind, j.typ, j.index, j.ctx, j.arrays, j.n, j.fn, j.res = kind, typ, index, ctx, arrays, n, nil, gomlxOwnerResult{}
	submitOwner(j)
	r := j.res
	j.ctx, j.arrays = nil, nil
	ownerJobPool.Put(j)
	return r
}

// ownerCall runs fn on the MLX thread (gomlx_owner_call) and returns the
// error message taken there, or nil.
func ownerCall(fn func(*frame) bool) *cchar {
	if transformDepth() > 0 {
		return cString(inTransformMsg)
	}
	j := ownerJobPool.Get().(*ownerJob)
	j.kind, j.fn, j.res = -1, fn, gomlxOwnerResult{}
	submitOwner(j)
	msg := j.res.err
	j.fn = nil
	ownerJobPool.Put(j)
	return msg
}

func runOwnerJob(j *ownerJob) {
	r := &j.res
	f := begin()
	defer f.end()
	if f.err != nil {
		r.err = cString(f.err.Error())
		return
	}
	tid := int(ownerThreadTID.Load())
	clearThreadError()
	syncThreadDefaultsOn(tid)
	var d uintptr
	if j.kind == gomlxTaskNewStream || j.kind == gomlxTaskDefaultStream || j.kind == gomlxTaskSetDefaultDevice {
		d = ccall(symDeviceNewType, uintptr(j.typ), uintptr(j.index))
	}
	switch j.kind {
	case -1:
		transformEnterOn(tid) // these calls may evaluate (saving)
		if !j.fn(f) {
			r.err = f.takeError()
		}
		transformExit()
	case gomlxTaskNewStream:
		r.stream.ctx = cptr(ccall(symStreamNewDevice, d))
		if r.stream.ctx == nil {
			r.err = f.takeError()
		}
	case gomlxTaskDefaultStream:
		var s mlxStream
		s.ctx = cptr(ccall(symStreamNew))
		if !ccallOK(symGetDefaultStream, uintptr(unsafe.Pointer(&s)), d) {
			r.err = f.takeError()
		}
		r.stream = s
	case gomlxTaskSetDefaultDevice:
		r.err = ccallStatus(symSetDefaultDevice, d)
	case gomlxTaskSetDefaultStream:
		r.err = ccallStatus(symSetDefaultStream, uintptr(j.ctx))
	case gomlxTaskSyncBegin:
		// A marker op behind everything already enqueued on the stream, as
		// MLX's own synchronize does; the caller waits for the marker.
		x := ccall(symArrayNewBool, 1)
		var m mlxArray
		m.ctx = cptr(ccall(symArrayNew))
		ok := ccallOK(symCopy, uintptr(unsafe.Pointer(&m)), x, uintptr(j.ctx))
		ccall(symArrayFree, x)
		r.marker = m
		if !ok {
			r.err = f.takeError()
		} else {
			transformEnterOn(tid)
			r.err = asyncEval(&r.marker, 1)
			transformExit()
		}
	case gomlxTaskAsyncEval:
		// MLX refuses to evaluate while any thread is inside a transform
		// (its tracing state is global): wait for the transform to finish.
		transformEnterOn(tid)
		evalMu.Lock()
		r.err = asyncEval(j.arrays, j.n)
		evalMu.Unlock()
		transformExit()
	}
	if d != 0 {
		ccall(symDeviceFree, d)
	}
	r.tid = cint(tid)
}

// gomlxSetSpins does nothing: the purego build's MLX thread is a locked
// goroutine, woken through Go's scheduler, which spins on its own.
func gomlxSetSpins(_, _ int64) {}

// gomlxAsyncEvalHere: see gomlx_async_eval_here in capi.h.
func gomlxAsyncEvalHere(a *mlxArray, n csize) *cchar {
	if transformDepth() > 0 {
		return cString(inTransformMsg)
	}
	runtime.LockOSThread() // the transform lock is held per thread
	defer runtime.UnlockOSThread()
	transformEnter()
	evalMu.Lock()
	msg := asyncEval(a, n)
	evalMu.Unlock()
	transformExit()
	return msg
}

func asyncEval(a *mlxArray, n csize) *cchar {
	f := begin()
	defer f.end()
	v := f.vector(a, n)
	f.arg(v)
	msg := f.status(symAsyncEval)
	f.freeVector(v)
	return msg
}

var (
	symDeviceNewType    = newSym("mlx_device_new_type")
	symDeviceFree       = newSym("mlx_device_free")
	symStreamNewDevice  = newSym("mlx_stream_new_device")
	symStreamNew        = newSym("mlx_stream_new")
	symGetDefaultStream = newSym("mlx_get_default_stream")
	symSetDefaultDevice = newSym("mlx_set_default_device")
	symArrayNewBool     = newSym("mlx_array_new_bool")
	symArrayNew         = newSym("mlx_array_new")
	symArrayFree        = newSym("mlx_array_free")
	symAsyncEval        = newSym("mlx_async_eval")
)
