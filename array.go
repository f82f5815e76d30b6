package mlx

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Array is an MLX array: a lazy node of a computation graph until evaluated.
//
// Ops never fail: an op given bad input returns an array that carries the
// error, every op fed such an array passes the first error on, and the error
// surfaces at Eval, at a data read or from Err. Free releases the array's MLX
// memory, by the next op, Eval or garbage collection at the latest; arrays
// nobody frees are released after the garbage collector finds them
// unreachable. Go's GC cannot see MLX's memory, so the package starts a
// collection when MLX's memory has doubled since the last one (see
// pressure.go); that still lets it grow to about twice what is live.
type Array struct {
	// No Go pointers (the handle is an integer, the rare record and the
	// Scope are indices), so that the garbage collector allocates arrays in
	// memory it never scans: a Scope keeps every array it made reachable
	// until it closes, and scanning them cost a graph-building loop about
	// 10% of its instructions. 32 bytes: every op allocates one, and the
	// collector runs once per so many bytes allocated.
	waitMu sync.Mutex  // MLX's array::wait is not safe from two threads at once
	h      uintptr     // the mlx_array's handle (see c), 0 once released
	rare   uint32      // the array's entry in rares, or 0
	scope  cint        // the id of the Scope that frees it, or 0
	young  atomic.Bool // in the nursery, finalizer not set yet
	freed  bool
	kept   bool // Keep: survives scope
}

// c returns the array's handle as mlx-c's type.
func (a *Array) c() mlxArray { return mlxArray{ctx: *(*unsafe.Pointer)(unsafe.Pointer(&a.h))} }

// arrayRare holds what few arrays have: an error, or where the array was
// made while TrackLeaks is on.
type arrayRare struct {
	err   error
	stack []uintptr
}

// rares holds the arrayRare records, which arrays name by index. An entry is
// dropped by a cleanup once its array is unreachable.
var rares struct {
	sync.Mutex
	records []*arrayRare // by index; 0 is none
	free    []uint32     // unused indices
}

// setRare gives a its rare record; a has none yet.
func setRare(a *Array, r *arrayRare) {
	rares.Lock()
	if len(rares.records) == 0 {
		rares.records = append(rares.records, nil)
	}
	var i uint32
	if n := len(rares.free); n > 0 {
		i, rares.free = rares.free[n-1], rares.free[:n-1]
		rares.records[i] = r
	} else {
		i = uint32(len(rares.records))
		rares.records = append(rares.records, r)
	}
	rares.Unlock()
	a.rare = i
	runtime.AddCleanup(a, dropRare, i)
}

func dropRare(i uint32) {
	rares.Lock()
	rares.records[i] = nil
	rares.free = append(rares.free, i)
	rares.Unlock()
}

// rareOf returns a's rare record, or nil.
func (a *Array) rareOf() *arrayRare {
	if a.rare == 0 {
		return nil
	}
	rares.Lock()
	defer rares.Unlock()
	return rares.records[a.rare]
}

// errOf returns the error the array carries, or nil.
func (a *Array) errOf() error {
	if a.rare == 0 {
		return nil
	}
	return a.rareOf().err
}

// finalizeArray releases an array nobody freed. It is the backstop, set only
// on arrays outside any Scope (scopes free theirs): a finalizer with a
// top-level function costs no allocation, unlike runtime.AddCleanup, and
// this runs for every array an op makes.
func finalizeArray(a *Array) {
	if a.freed || a.h == 0 {
		return
	}
	if r := a.rareOf(); r != nil && r.stack != nil {
		if report := leakReport.Load(); report != nil {
			(*report)(formatStack(r.stack))
		}
	}
	h := cuintptr(a.h)
	a.h = 0
	finalized.Lock()
	finalized.handles[finalized.n] = h
	finalized.some.Store(true)
	if finalized.n++; finalized.n == len(finalized.handles) {
		freeFinalizedLocked()
	}
	finalized.Unlock()
}

// finalized batches the handles of finalized arrays: the finalizers of a
// collection run in a burst, and one cgo call per array would cost more than
// the rest of the backstop. A partial batch is freed by the next collection
// or by releasePending (Eval, Synchronize, the memory functions).
var finalized struct {
	sync.Mutex
	handles [256]cuintptr
	n       int
	some    atomic.Bool // n > 0, read without the lock
}

func freeFinalizedLocked() {
	if finalized.n > 0 {
		gomlxFreeArrays(&finalized.handles[0], csize(finalized.n))
		finalized.n = 0
	}
	finalized.some.Store(false)
}

func freeFinalized() {
	if finalized.some.Load() {
		finalized.Lock()
		freeFinalizedLocked()
		finalized.Unlock()
	}
}

// newArray wraps a handle returned by MLX, made on the calling goroutine.
func newArray(c mlxArray) *Array { return newScopedArray(c, currentScopeID()) }

// newScopedArray wraps a handle made in the memory scope with the given id.
func newScopedArray(c mlxArray, scope cint) *Array {
	a := &Array{h: uintptr(c.ctx), scope: scope}
	if leakReport.Load() != nil {
		setRare(a, &arrayRare{stack: callers()})
	}
	if scope != 0 {
		scopeByID(scope).add(a)
	} else {
		enterNursery(a)
	}
	return a
}

// The nursery holds arrays made outside any Scope whose finalizer is not set
// yet. Setting a finalizer costs more than a small op, and most arrays of a
// program that frees them die young: an array freed while in the nursery
// never gets one. The rest get theirs when the nursery is full or when a
// garbage collection ends, whichever comes first, so the backstop is late by
// at most nurserySize arrays or one collection.
const nurserySize = 256

var nursery struct {
	sync.Mutex
	arrays []*Array
}

func enterNursery(a *Array) {
	a.young.Store(true)
	nursery.Lock()
	if len(nursery.arrays) == nurserySize {
		flushNurseryLocked()
	}
	nursery.arrays = append(nursery.arrays, a)
	nursery.Unlock()
}

// flushNurseryLocked gives the nursery's arrays their finalizers, except
// those freed meanwhile: Free clears young without the nursery's lock, and
// whichever of the two comes second loses (a finalizer on a freed array
// does nothing).
//
// Newest first: the runtime keeps a span's finalizers in a list sorted by
// address and scans it to insert one, and arrays made one after another lie
// at rising addresses, so this order inserts each at the list's head.
func flushNurseryLocked() {
	for i := len(nursery.arrays) - 1; i >= 0; i-- {
		if a := nursery.arrays[i]; a.young.CompareAndSwap(true, false) {
			runtime.SetFinalizer(a, finalizeArray)
		}
		nursery.arrays[i] = nil
	}
	nursery.arrays = nursery.arrays[:0]
}

// gcHook's finalizer runs once per garbage collection (it re-arms itself)
// and gives the arrays in the nursery their finalizers.
type gcHook struct{ _ [64]byte } // not a tiny object: those are finalized late

func armGCHook() {
	runtime.SetFinalizer(new(gcHook), func(*gcHook) {
		nursery.Lock()
		flushNurseryLocked()
		nursery.Unlock()
		releasePending()
		armGCHook()
	})
}

func init() { armGCHook() }

func errArray(err error) *Array {
	a := &Array{}
	setRare(a, &arrayRare{err: err})
	return a
}

// arrayResult turns a shim's result into an Array carrying the op's error.
func arrayResult(op string, r gomlxArrayResult) *Array {
	if r.err != nil {
		if r.res.ctx != nil {
			mlxArrayFree(r.res)
		}
		return errArray(takeError(op, r.err))
	}
	return newArray(r.res)
}

// use returns the error that prevents a from being an input of op.
func (a *Array) use(op string) error {
	if a == nil {
		return newError(op, "nil array", ErrNilArray)
	}
	if err := a.errOf(); err != nil {
		return err
	}
	if a.freed {
		return newError(op, "array used after Free", ErrFreed)
	}
	return nil
}

// Err returns the error the array carries: that of the first op in its graph
// that failed, ErrFreed after Free, or nil. Errors raised while evaluating surface from Eval.
func (a *Array) Err() error {
	if a == nil {
		return newError("array", "nil array", ErrNilArray)
	}
	err := a.errOf()
	if a.freed && err == nil {
		return newError("array", "array used after Free", ErrFreed)
	}
	return err
}

// Free releases the array's MLX memory. The handle goes with the next op,
// which frees it (saving a cgo call per op in programs that free as they
// go); the next Free, Eval, Synchronize, memory function or garbage
// collection frees it if that comes first. Free is safe to call twice; using
// the array afterwards is an error (ErrFreed), never a crash. Arrays computed
// from a freed array stay valid: MLX keeps what they need.
func (a *Array) Free() {
	if a == nil || a.freed {
		return
	}
	a.freed = true
	if a.young.Load() {
		a.young.Store(false)
	}
	if h := a.h; h != 0 {
		a.h = 0
		if old := pendingFree.Swap(h); old != 0 {
			gomlxFreeArray(cuintptr(old))
		}
	}
}

// pendingFree is the handle of the array freed last, released with the next
// op: every op that makes one array takes it along (a cgo call costs as much
// as a small op, and programs free one array per op), and the other
// generated calls, FromSlice, Eval, Synchronize, the memory functions and
// each garbage collection release it first. So MLX gets the memory back no
// later than any of those.
var pendingFree atomic.Uintptr

// takePending returns the pending handle, for a shim to free after its call.
func takePending() cuintptr {
	if pendingFree.Load() == 0 {
		return 0
	}
	return cuintptr(pendingFree.Swap(0))
}

// releasePending frees the pending handle, and finalized ones, now.
func releasePending() {
	if h := takePending(); h != 0 {
		gomlxFreeArray(h)
	}
	freeFinalized()
}

// Dtype returns the element type; 0 (Bool) for an array carrying an error.
func (a *Array) Dtype() Dtype {
	if a.use("dtype") != nil {
		return 0
	}
	return Dtype(mlxArrayDtype(a.c()))
}

// Ndim returns the number of dimensions.
func (a *Array) Ndim() int {
	if a.use("ndim") != nil {
		return 0
	}
	return int(mlxArrayNdim(a.c()))
}

// Size returns the number of elements.
func (a *Array) Size() int {
	if a.use("size") != nil {
		return 0
	}
	return int(mlxArraySize(a.c()))
}

// Shape returns the size of each dimension; nil for a scalar or an array
// carrying an error.
func (a *Array) Shape() []int {
	if a.use("shape") != nil {
		return nil
	}
	n := int(mlxArrayNdim(a.c()))
	if n == 0 {
		return nil
	}
	dims := unsafe.Slice(mlxArrayShape(a.c()), n)
	shape := make([]int, n)
	for i, d := range dims {
		shape[i] = int(d)
	}
	return shape
}

// Element is a Go type that maps one to one onto an MLX dtype, plus int,
// which maps to int32 as Python integers do in MLX.
type Element interface {
	bool | uint8 | uint16 | uint32 | uint64 | int8 | int16 | int32 | int64 | int |
		float32 | float64 | complex64 | F16 | BF16
}

// DtypeOf returns the dtype that holds Go values of type T.
func DtypeOf[T Element]() Dtype {
	var zero T
	switch any(zero).(type) {
	case bool:
		return Bool
	case uint8:
		return Uint8
	case uint16:
		return Uint16
	case uint32:
		return Uint32
	case uint64:
		return Uint64
	case int8:
		return Int8
	case int16:
		return Int16
	case int32, int:
		return Int32
	case int64:
		return Int64
	case float32:
		return Float32
	case float64:
		return Float64
	case complex64:
		return Complex64
	case F16:
		return Float16
	case BF16:
		return BFloat16
	}
	panic("unreachable")
}

// FromSlice makes an array holding a copy of data with the given shape; no
// shape means one dimension of len(data). The dtype follows T (DtypeOf);
// []int becomes int32 and every value must fit.
func FromSlice[T Element](data []T, shape ...int) *Array {
	const op = "array"
	shape, err := checkDataShape(op, len(data), shape)
	if err != nil {
		return errArray(err)
	}
	var ptr unsafe.Pointer
	if ints, ok := any(data).([]int); ok {
		data32 := make([]int32, len(ints))
		for i, v := range ints {
			if v < math.MinInt32 || v > math.MaxInt32 {
				return errArray(newError(op, fmt.Sprintf("value %d at index %d does not fit in int32: use []int64", v, i), ErrInvalidArgument))
			}
			data32[i] = int32(v)
		}
		if len(data32) > 0 {
			ptr = unsafe.Pointer(&data32[0])
		}
		defer runtime.KeepAlive(data32)
	} else if len(data) > 0 {
		ptr = unsafe.Pointer(&data[0])
	}
	if ptr == nil {
		ptr = unsafe.Pointer(&zeroByte) // MLX copies zero bytes, but wants a pointer
	}
	cshape := cShape(shape)
	r := gomlxArrayFromData(ptr, &cshape[0], cint(len(shape)), cint(DtypeOf[T]()), takePending())
	runtime.KeepAlive(data)
	if len(data)*int(unsafe.Sizeof(data[0])) >= pressureMinBytes {
		checkPressure()
	}
	return arrayResult(op, r)
}

// zeroByte is the data pointer of empty arrays (a package variable, so
// taking its address allocates nothing).
var zeroByte cchar

// cShape converts a checked shape, with one spare element so that &c[0]
// exists for scalars.
func cShape(shape []int) []cint {
	c := make([]cint, len(shape)+1)
	for i, d := range shape {
		c[i] = cint(d)
	}
	return c
}

// checkDataShape returns the shape of an array made from n elements: shape,
// or [n] when shape is nil, with an error when the sizes disagree or
// overflow.
func checkDataShape(op string, n int, shape []int) ([]int, error) {
	if shape == nil {
		shape = []int{n}
	}
	size := 1
	for _, d := range shape {
		if d < 0 || d > math.MaxInt32 {
			return nil, newError(op, fmt.Sprintf("invalid shape %v: dimensions must be in [0, 2^31)", shape), ErrInvalidArgument)
		}
		if d > 0 && size > math.MaxInt32*8/d { // size*d would pass the limit (or wrap around)
			return nil, newError(op, fmt.Sprintf("shape %v is too large", shape), ErrInvalidArgument)
		}
		size *= d
	}
	if size != n {
		return nil, newError(op, fmt.Sprintf("shape %v needs %d elements, data has %d", shape, size, n), ErrInvalidArgument)
	}
	return shape, nil
}

// FromSliceNoCopy makes an array over data's own memory where MLX's backend
// can adopt host memory (Metal, for page-aligned data), and copies data once
// where it cannot (the CPU and CUDA backends of MLX 0.31 always copy). The
// shape and dtype rules are FromSlice's, except that []int is refused (its
// elements must be converted, which is a copy: use FromSlice).
//
// While MLX uses data, data stays pinned (runtime.Pinner) and must not be
// changed. release, if not nil, runs on a goroutine of its own once MLX no
// longer needs data: right after the copy where MLX copied, otherwise when
// the last array sharing the memory is freed (by Free, a Scope, or the
// garbage collector's backstop). From then on data is the caller's again.
func FromSliceNoCopy[T Element](data []T, release func(), shape ...int) *Array {
	const op = "array"
	if _, ok := any(data).([]int); ok {
		a := errArray(newError(op, "FromSliceNoCopy cannot share []int memory (MLX has no Go int dtype): use []int32 or FromSlice", ErrInvalidArgument))
		if release != nil {
			go release()
		}
		return a
	}
	shape, err := checkDataShape(op, len(data), shape)
	if err != nil || len(data) == 0 {
		if release != nil {
			go release()
		}
		if err != nil {
			return errArray(err)
		}
		return FromSlice(data, shape...)
	}
	ad := &adoptedSlice{release: release}
	ad.pinner.Pin(&data[0])
	ad.handle = newHandle(ad) // keeps ad reachable until MLX releases it
	cshape := cShape(shape)
	r := gomlxArrayFromDataManaged(unsafe.Pointer(&data[0]), &cshape[0], cint(len(shape)), cint(DtypeOf[T]()), cuintptr(ad.handle), takePending())
	if r.err != nil {
		ad.done() // MLX may not have called the release (done runs once)
	}
	return arrayResult(op, r)
}

// adoptedSlice is the Go side of memory lent to MLX by FromSliceNoCopy.
type adoptedSlice struct {
	once    sync.Once
	pinner  runtime.Pinner
	handle  handle
	release func()
}

// done unpins the memory and runs the caller's release. MLX calls it on
// whichever thread frees the buffer, possibly the MLX thread in the middle
// of an evaluation, so the caller's function runs on its own goroutine.
func (ad *adoptedSlice) done() {
	ad.once.Do(func() {
		ad.handle.Delete()
		ad.pinner.Unpin()
		if ad.release != nil {
			go ad.release()
		}
	})
}

// Scalar makes a 0-dimensional array holding v; int becomes int32.
func Scalar[T Element](v T) *Array {
	return FromSlice([]T{v}, []int{}...)
}

// Eval evaluates the arrays, like Python's mx.eval: it computes everything
// they depend on that is not computed yet and waits for the results. It
// returns the first error an array carries or evaluation raises.
func Eval(arrays ...*Array) error {
	return eval("eval", arrays, true)
}

// AsyncEval schedules the evaluation of the arrays and returns without
// waiting, like Python's mx.async_eval; Eval or a data read waits later.
func AsyncEval(arrays ...*Array) error {
	return eval("async_eval", arrays, false)
}

// pollGPU: where MLX has a GPU (set when the package starts), Eval and
// Synchronize poll for up to gpuPollNs before MLX's own wait, which sleeps
// in the CUDA driver: on an H100 an add+eval round trip took 21 µs polling
// and 45 µs sleeping (as MLX's C API does). Without a GPU the poll would
// take a core from MLX's CPU worker.
var pollGPU bool

const gpuPollNs = 200_000

// evalOnCaller: where MLX has no GPU and binds CPU streams to no thread
// (MLX before 0.32; set when the package starts), Eval schedules on the
// calling thread, under the MLX thread's locks, instead of handing the graph
// to the MLX thread. Every stream of such a graph is a CPU stream, and the
// hand-off costs a thread wake-up per evaluation: an add+eval round trip
// took about 1.3x as long as in C.
var evalOnCaller bool

func eval(op string, arrays []*Array, wait bool) error {
	if loadErr := libError(); loadErr != nil {
		return loadErr
	}
	releasePending()
	if len(arrays) == 0 {
		return nil
	}
	checkPressure()
	var one [1]mlxArray
	handles := one[:0]
	if len(arrays) > 1 {
		handles = make([]mlxArray, 0, len(arrays))
	}
	for _, a := range arrays {
		if err := a.use(op); err != nil {
			return err
		}
		handles = append(handles, a.c())
	}
	ptr := &handles[0]
	// MLX's array::is_available detaches a computed array's event: it must
	// not run beside a wait (or another check) of the same array on another
	// thread. The waitMu of every array, taken in address order.
	locked := lockWaits(arrays)
	avail := gomlxAllAvailable(ptr, csize(len(handles)))
	for _, a := range locked {
		a.waitMu.Unlock()
	}
	switch avail {
	case -1:
		return newError(op, "cannot evaluate inside a transformed function (Grad, VJP, Vmap, Compile...): return the arrays instead", ErrInvalidArgument)
	case 0:
		var msg *cchar
		if evalOnCaller {
			msg = gomlxAsyncEvalHere(ptr, csize(len(handles)))
			if threadHook.Load() != nil {
				noteThread(op, Stream{Index: -1}, gomlxGettid())
			}
		} else {
			r := ownerTask(gomlxTaskAsyncEval, Device{}, nil, ptr, len(handles))
			noteThread(op, Stream{Index: -1}, r.tid)
			msg = r.err
		}
		if msg != nil {
			runtime.KeepAlive(arrays)
			return takeError(op, msg)
		}
	}
	if wait {
		if avail == 0 && pollGPU {
			locked := lockWaits(arrays)
			gomlxPoll(ptr, csize(len(handles)), gpuPollNs)
			for _, a := range locked {
				a.waitMu.Unlock()
			}
		}
		for i, a := range arrays {
			a.waitMu.Lock()
			msg := gomlxWait(&handles[i], 1)
			a.waitMu.Unlock()
			if msg != nil {
				runtime.KeepAlive(arrays)
				return takeError(op, msg)
			}
		}
	}
	runtime.KeepAlive(arrays)
	return nil
}

// contiguous returns a (evaluated) row-contiguous array with a's elements:
// a itself, or a copy the caller must free (second result true).
func (a *Array) contiguous() (*Array, bool, error) {
	if err := Eval(a); err != nil {
		return nil, false, err
	}
	if gomlxRowContiguous(a.c()) != 0 {
		return a, false, nil
	}
	c := Contiguous(a, false)
	if err := Eval(c); err != nil {
		c.Free()
		return nil, false, err
	}
	return c, true, nil
}

// Data evaluates a and returns a copy of its elements in row-major order.
// T must match the array's dtype (DtypeOf), except that int reads int32
// and int64 arrays; convert other dtypes first with AsType.
func Data[T Element](a *Array) ([]T, error) {
	if err := a.use("data"); err != nil {
		return nil, err
	}
	n, err := a.checkedSize("data")
	if err != nil {
		return nil, err
	}
	out := make([]T, n)
	if _, err := copyOut("data", a, out); err != nil {
		return nil, err
	}
	return out, nil
}

// CopyTo evaluates a and copies its elements, in row-major order, into dst,
// which must have room for a.Size() elements; it returns how many it copied.
// T follows the same rule as in Data. Reusing dst avoids an allocation per
// read.
func CopyTo[T Element](a *Array, dst []T) (int, error) {
	return copyOut("copy_to", a, dst)
}

func checkReadType[T Element](op string, a *Array) (isInt bool, err error) {
	want, have := DtypeOf[T](), a.Dtype()
	_, isInt = any(*new(T)).(int)
	if want != have && !(isInt && have == Int64) {
		return false, newError(op, fmt.Sprintf("array has dtype %v, cannot read it as %T (%v): convert it with AsType first", have, *new(T), want), ErrInvalidArgument)
	}
	return isInt, nil
}

func copyOut[T Element](op string, a *Array, dst []T) (int, error) {
	if err := a.use(op); err != nil {
		return 0, err
	}
	isInt, err := checkReadType[T](op, a)
	if err != nil {
		return 0, err
	}
	n, err := a.checkedSize(op)
	if err != nil {
		return 0, err
	}
	if len(dst) < n {
		return 0, newError(op, fmt.Sprintf("destination has room for %d elements, array has %d", len(dst), n), ErrInvalidArgument)
	}
	c, copied, err := a.contiguous()
	if err != nil {
		return 0, err
	}
	if copied {
		defer c.Free()
	}
	if n == 0 {
		return 0, nil
	}
	r := gomlxArrayData(c.c())
	src := r.data
	if src == nil {
		return 0, takeError(op, r.err)
	}
	if isInt {
		ints := any(dst).([]int)
		if c.Dtype() == Int64 {
			for i, v := range unsafe.Slice((*int64)(src), n) {
				ints[i] = int(v)
			}
		} else {
			for i, v := range unsafe.Slice((*int32)(src), n) {
				ints[i] = int(v)
			}
		}
	} else {
		copy(dst, unsafe.Slice((*T)(src), n))
	}
	runtime.KeepAlive(c)
	return n, nil
}

// checkedSize returns the number of elements, refusing shapes MLX accepted
// but no buffer can have (negative dimensions from BroadcastTo or Tile).
func (a *Array) checkedSize(op string) (int, error) {
	n := 1
	for _, d := range a.Shape() {
		if d < 0 {
			return 0, newError(op, fmt.Sprintf("array has an invalid shape %v", a.Shape()), ErrInvalidArgument)
		}
		n *= d
	}
	return n, nil
}

// DataView evaluates a and returns its elements as a slice over MLX's own memory,
// without copying. The slice is valid only while a is reachable and not
// freed: keep a alive (runtime.KeepAlive) for as long as you use the slice,
// and never write to it. T must match the dtype exactly (int is not
// allowed), and a must be row-contiguous (see Contiguous).
func DataView[T Element](a *Array) ([]T, error) {
	const op = "data_view"
	if err := a.use(op); err != nil {
		return nil, err
	}
	if isInt, err := checkReadType[T](op, a); err != nil || isInt {
		if err == nil {
			err = newError(op, "int has no fixed size: view int32 or int64 arrays as []int32 or []int64", ErrInvalidArgument)
		}
		return nil, err
	}
	if _, err := a.checkedSize(op); err != nil {
		return nil, err
	}
	if err := Eval(a); err != nil {
		return nil, err
	}
	if gomlxRowContiguous(a.c()) == 0 {
		return nil, newError(op, "array is not row-contiguous: view Contiguous(a, false) instead", ErrInvalidArgument)
	}
	n := a.Size()
	if n == 0 {
		return []T{}, nil
	}
	r := gomlxArrayData(a.c())
	src := r.data
	if src == nil {
		return nil, takeError(op, r.err)
	}
	return unsafe.Slice((*T)(src), n), nil
}

// Item evaluates a, which must hold exactly one element, and returns it, like
// Python's a.item(). T follows the same rule as in Data.
func Item[T Element](a *Array) (T, error) {
	var zero T
	if err := a.use("item"); err != nil {
		return zero, err
	}
	if n := a.Size(); n != 1 {
		return zero, newError("item", fmt.Sprintf("array of shape %v has %d elements, item needs exactly 1", a.Shape(), n), ErrInvalidArgument)
	}
	v, err := Data[T](a)
	if err != nil {
		return zero, err
	}
	return v[0], nil
}

// String evaluates a and prints it as Python MLX does, for example
// "array([2, 3, 4], dtype=int32)". An array that carries an error, or whose
// evaluation fails, prints as "array(error: <message>)".
func (a *Array) String() string {
	if err := Eval(a); err != nil {
		return "array(error: " + err.Error() + ")"
	}
	var out *cchar
	msg := gomlxArrayTostring(a.c(), &out)
	runtime.KeepAlive(a)
	if msg != nil {
		return "array(error: " + takeError("print", msg).Error() + ")"
	}
	s := goString(out)
	cFree(unsafe.Pointer(out))
	if a.Dtype() == Bool {
		// Python MLX switches MLX's printer to Python's spelling of booleans;
		// mlx-c cannot, so do it here (bool arrays print no other words).
		s = strings.NewReplacer("true", "True", "false", "False").Replace(s)
	}
	return s
}

// lockWaits locks the waitMu of each distinct array in address order and
// returns the arrays it locked.
func lockWaits(arrays []*Array) []*Array {
	if len(arrays) == 1 {
		arrays[0].waitMu.Lock()
		return arrays
	}
	s := slices.Clone(arrays)
	slices.SortFunc(s, func(a, b *Array) int {
		return cmp.Compare(uintptr(unsafe.Pointer(a)), uintptr(unsafe.Pointer(b)))
	})
	s = slices.Compact(s)
	for _, a := range s {
		a.waitMu.Lock()
	}
	return s
}
