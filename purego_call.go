//go:build !cgo

package mlx

// How the purego build calls mlx-c: a frame holds one call's arguments in the
// layout of purego's trampoline (integer and floating-point registers filled
// separately, so functions mixing both work), lives on the heap (a callback
// into Go may move the goroutine's stack while C holds a pointer into the
// frame) and is reused through a pool, so a call allocates nothing.

import (
	"math"
	"runtime"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

// callArgs has the layout of purego's syscallArgs (amd64 and arm64): the
// function, 32 integer arguments, 8 floating-point ones and arm64's r8. The
// results come back in a[0] (integer) and f[0] (floating point).
type callArgs struct {
	fn uintptr
	a  [32]uintptr
	f  [8]uintptr
	r8 uintptr
}

// syscallXABI0 is purego's trampoline: it loads a callArgs into the
// registers and stack of the C calling convention and calls fn.
//
//go:linkname syscallXABI0 github.com/ebitengine/purego.syscallXABI0
var syscallXABI0 uintptr

// runtimeCgocall runs fn(arg) on the system stack as a C call, as purego
// and cgo do.
//
//go:linkname runtimeCgocall runtime.cgocall
func runtimeCgocall(fn uintptr, arg unsafe.Pointer) int32

var _ = purego.RTLD_NOW // the package links purego's trampoline and fake cgo runtime

// sym is one mlx-c function, resolved when the library is loaded.
type sym struct {
	name string
	addr uintptr
}

var syms []*sym

// newSym registers an mlx-c function to resolve at load time.
func newSym(name string) *sym {
	s := &sym{name: name}
	syms = append(syms, s)
	return s
}

// intRegs is how many integer arguments go in registers; further ones go on
// the stack, in 8-byte slots except on Apple's arm64, which packs them by
// their natural size.
var intRegs = map[string]int{"amd64": 6, "arm64": 8}[runtime.GOARCH]

const packedStack = runtime.GOOS == "darwin" && runtime.GOARCH == "arm64"

// frame is one call in progress. begin locks the goroutine to its OS thread
// until end: MLX's error handler runs on the thread of the failing call and
// files the message under that thread.
type frame struct {
	args  callArgs
	n, nf int
	stack int // bytes of packed stack arguments (packedStack)
	outs  [4]uintptr
	keep  [16]unsafe.Pointer // Go memory the call's pointer arguments point into
	nkeep int
	err   error // the library could not be loaded
}

var framePool = sync.Pool{New: func() any { return new(frame) }}

func begin() *frame {
	runtime.LockOSThread()
	f := framePool.Get().(*frame)
	f.n, f.nf, f.stack, f.outs = 0, 0, 0, [4]uintptr{}
	f.err = nil
	if !libOK.Load() {
		f.err = ensureLoaded()
	}
	return f
}

func (f *frame) end() {
	for i := range f.nkeep {
		f.keep[i] = nil
	}
	f.nkeep = 0
	framePool.Put(f)
	runtime.UnlockOSThread()
}

// arg adds an integer or pointer argument (8 bytes).
func (f *frame) arg(v uintptr) { f.argSized(v, 8) }

// ptr adds a pointer argument. Storing it in the frame (on the heap) makes
// the memory it points to escape to the heap too: a Go callback during the
// call may move the goroutine's stack, but not the heap.
func (f *frame) ptr(p unsafe.Pointer) {
	if f.nkeep < len(f.keep) {
		f.keep[f.nkeep] = p
		f.nkeep++
	}
	f.arg(uintptr(p))
}

// arg32 adds a 4-byte integer argument.
func (f *frame) arg32(v uintptr) { f.argSized(v, 4) }

// argSized adds an integer argument of size bytes.
func (f *frame) argSized(v uintptr, size int) {
	if !packedStack || f.n < intRegs {
		f.args.a[f.n] = v
		f.n++
		return
	}
	off := (f.stack + size - 1) &^ (size - 1)
	base := unsafe.Pointer(&f.args.a[intRegs])
	p := unsafe.Add(base, off)
	switch size {
	case 1:
		*(*uint8)(p) = uint8(v)
	case 4:
		*(*uint32)(p) = uint32(v)
	default:
		*(*uint64)(p) = uint64(v)
	}
	f.stack = off + size
	f.n = intRegs + (f.stack+7)/8
}

func (f *frame) float32(v float32) {
	f.args.f[f.nf] = uintptr(math.Float32bits(v))
	f.nf++
}

func (f *frame) float64(v float64) {
	f.args.f[f.nf] = uintptr(math.Float64bits(v))
	f.nf++
}

// out adds a pointer to the frame's i-th output slot.
func (f *frame) out(i int) { f.arg(uintptr(unsafe.Pointer(&f.outs[i]))) }

// outPtr is output slot i as a C pointer.
func (f *frame) outPtr(i int) unsafe.Pointer { return cptr(f.outs[i]) }

// cptr turns an address C gave us into a pointer (vet-clean).
func cptr(u uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&u)) }

// call calls s with the arguments added so far and reports whether it
// returned 0 (mlx-c's success).
func (f *frame) call(s *sym) bool {
	return int32(f.callRaw(s)) == 0
}

// callRaw calls s and returns its integer result.
func (f *frame) callRaw(s *sym) uintptr {
	if f.err != nil {
		return 1
	}
	f.args.fn = s.addr
	runtimeCgocall(syscallXABI0, unsafe.Pointer(&f.args))
	r := f.args.a[0]
	f.n, f.nf, f.stack = 0, 0, 0
	f.args.a = [32]uintptr{}
	return r
}

// status calls s and returns nil or the error message it raised.
func (f *frame) status(s *sym) *cchar {
	if f.call(s) {
		return nil
	}
	return f.takeError()
}

// takeError returns the message of the call that just failed on this thread.
func (f *frame) takeError() *cchar {
	if f.err != nil {
		return cString(f.err.Error())
	}
	return takeThreadError()
}

// arrayResult calls s, whose first argument is f.out(0), as the C shims
// returning gomlx_array_result do.
func (f *frame) arrayResult(s *sym) gomlxArrayResult {
	var r gomlxArrayResult
	if !f.call(s) {
		r.err = f.takeError()
	}
	r.res.ctx = f.outPtr(0)
	return r
}

// vector makes an mlx_vector_array of n arrays at data.
// It uses the frame's registers: call it before adding the main call's
// arguments.
func (f *frame) vector(data *mlxArray, n csize) uintptr {
	if f.err != nil {
		return 0
	}
	f.ptr(unsafe.Pointer(data))
	f.arg(uintptr(n))
	return f.callRaw(symVectorArrayNewData)
}

// freeVector frees v, made by vector; call it after the main call.
func (f *frame) freeVector(v uintptr) {
	if v != 0 && f.err == nil {
		f.arg(v)
		f.callRaw(symVectorArrayFree)
	}
}

// ccall calls s with integer arguments in a frame of its own and returns its
// integer result. Pointers converted to uintptr in the call's arguments stay
// valid and in place until it returns.
//
//go:uintptrescapes
func ccall(s *sym, args ...uintptr) uintptr {
	f := begin()
	defer f.end()
	if f.err != nil {
		return 1
	}
	for _, a := range args {
		f.arg(a)
	}
	return f.callRaw(s)
}

// ccallOK is ccall for mlx-c functions returning a status: it reports
// success.
//
//go:uintptrescapes
func ccallOK(s *sym, args ...uintptr) bool {
	f := begin()
	defer f.end()
	for _, a := range args {
		f.arg(a)
	}
	return f.call(s)
}

// ccallStatus is ccall returning the error message of a failed status call.
//
//go:uintptrescapes
func ccallStatus(s *sym, args ...uintptr) *cchar {
	f := begin()
	defer f.end()
	for _, a := range args {
		f.arg(a)
	}
	return f.status(s)
}

func boolArg(b cbool) uintptr {
	if b {
		return 1
	}
	return 0
}

// rawCall calls the C function at addr outside any frame: no thread lock,
// no library check (for the thread id on macOS).
//
//go:uintptrescapes
func rawCall(addr uintptr, args ...uintptr) uintptr {
	a := new(callArgs)
	a.fn = addr
	copy(a.a[:], args)
	runtimeCgocall(syscallXABI0, unsafe.Pointer(a))
	return a.a[0]
}
