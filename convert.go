package mlx

// Conversions between Go values and mlx-c arguments and results, used by the
// generated wrappers. Argument converters take the wrapper's error variable
// and do nothing once it is set, so a wrapper converts every argument in a
// row and checks once; the first problem wins.

import (
	"fmt"
	"math"
	"sync"
	"unsafe"
)

// randomKeyMu serializes the random functions that use MLX's implicit global
// key (those given no key, and RandomSeed): MLX updates it without a lock.
var randomKeyMu sync.Mutex

// Optional is a value that may be unset, for mlx-c's optional arguments
// (Python's None). The zero Optional is unset; Some makes a set one.
type Optional[T any] struct {
	Value T
	Set   bool
}

// Some returns an Optional holding v.
func Some[T any](v T) Optional[T] { return Optional[T]{Value: v, Set: true} }

// targetArg is small enough to inline: most calls pass nil.
func targetArg(op string, on StreamOrDevice, err *error) (t gomlxTarget) {
	if on != nil {
		t = explicitTargetArg(op, on, err)
	}
	return t
}

func explicitTargetArg(op string, on StreamOrDevice, err *error) gomlxTarget {
	if *err != nil {
		return gomlxTarget{}
	}
	t, e := targetOf(op, on)
	*err = e
	return t
}

func arrayArg(op string, a *Array, err *error) mlxArray {
	if *err != nil {
		return mlxArray{}
	}
	if e := a.use(op); e != nil {
		*err = e
		return mlxArray{}
	}
	return a.c()
}

// handleArg is arrayArg for generated shims, which take handles as
// integers. Its first line, the common case, is inlined into every wrapper;
// it may return a handle after an earlier argument failed, which the wrapper
// then does not use.
func handleArg(op string, a *Array, err *error) cuintptr {
	if a != nil && a.rare == 0 && !a.freed {
		return cuintptr(a.h)
	}
	return checkedHandleArg(op, a, err)
}

// checkedHandleArg is handleArg's uncommon case, kept out of line so that
// handleArg stays within the inliner's budget.
//
//go:noinline
func checkedHandleArg(op string, a *Array, err *error) cuintptr {
	return cuintptr(uintptr(arrayArg(op, a, err).ctx))
}

// optionalHandleArg is optionalArrayArg for generated shims.
func optionalHandleArg(op string, a *Array, err *error) cuintptr {
	return cuintptr(uintptr(optionalArrayArg(op, a, err).ctx))
}

// optionalArrayArg accepts nil for mlx-c's "may be null" arrays.
func optionalArrayArg(op string, a *Array, err *error) mlxArray {
	if a == nil {
		return mlxArray{}
	}
	return arrayArg(op, a, err)
}

func arraysArg(op string, arrays []*Array, err *error) (*mlxArray, csize) {
	if *err != nil {
		return nil, 0
	}
	handles := make([]mlxArray, len(arrays)+1) // +1: a valid pointer when empty
	for i, a := range arrays {
		if e := a.use(op); e != nil {
			*err = e
			return nil, 0
		}
		handles[i] = a.c()
	}
	return &handles[0], csize(len(arrays))
}

func intsArg(op, name string, v []int, nullable bool, err *error) (*cint, csize) {
	if *err != nil || v == nil && nullable {
		return nil, 0
	}
	out := make([]cint, len(v)+1)
	for i, x := range v {
		if x < math.MinInt32 || x > math.MaxInt32 {
			*err = newError(op, fmt.Sprintf("%s %v: %d does not fit in int32", name, v, x), ErrInvalidArgument)
			return nil, 0
		}
		out[i] = cint(x)
	}
	return &out[0], csize(len(v))
}

func int64sArg(v []int64) (*cint64, csize) {
	out := make([]cint64, len(v)+1)
	for i, x := range v {
		out[i] = cint64(x)
	}
	return &out[0], csize(len(v))
}

func intArg(op, name string, v int, err *error) cint {
	if *err == nil && (v < math.MinInt32 || v > math.MaxInt32) {
		*err = newError(op, fmt.Sprintf("%s %d does not fit in int32", name, v), ErrInvalidArgument)
	}
	return cint(v)
}

func sizeArg(op, name string, v int, err *error) csize {
	if *err == nil && v < 0 {
		*err = newError(op, fmt.Sprintf("%s %d is negative", name, v), ErrInvalidArgument)
		return 0
	}
	return csize(v)
}

func dtypeArg(op string, d Dtype, err *error) mlxDtype {
	if *err == nil && !d.valid() {
		*err = newError(op, fmt.Sprintf("invalid dtype %v", d), ErrInvalidArgument)
	}
	return mlxDtype(d)
}

func optionalIntArg(op, name string, v Optional[int], err *error) mlxOptionalInt {
	return mlxOptionalInt{value: intArg(op, name, v.Value, err), has_value: cbool(v.Set)}
}

func optionalDtypeArg(op string, v Optional[Dtype], err *error) mlxOptionalDtype {
	if !v.Set {
		return mlxOptionalDtype{}
	}
	return mlxOptionalDtype{value: dtypeArg(op, v.Value, err), has_value: true}
}

func enumArg(op, name string, v int, valid bool, err *error) int {
	if *err == nil && !valid {
		*err = newError(op, fmt.Sprintf("invalid %s %d", name, v), ErrInvalidArgument)
	}
	return v
}

func mapArraysArg(op string, m map[string]*Array, err *error) mlxMapStringToArray {
	out := mlxMapStringToArrayNew()
	for k, a := range m {
		h := arrayArg(op, a, err)
		if *err != nil {
			break
		}
		ck := cString(k)
		mlxMapStringToArrayInsert(out, ck, h)
		cFree(unsafe.Pointer(ck))
	}
	return out
}

func mapStringsArg(m map[string]string) mlxMapStringToString {
	out := mlxMapStringToStringNew()
	for k, v := range m {
		ck, cv := cString(k), cString(v)
		mlxMapStringToStringInsert(out, ck, cv)
		cFree(unsafe.Pointer(ck))
		cFree(unsafe.Pointer(cv))
	}
	return out
}

func freeArrayOut(a mlxArray) {
	if a.ctx != nil {
		mlxArrayFree(a)
	}
}

func freeVectorOut(v mlxVectorArray) {
	if v.ctx != nil {
		mlxVectorArrayFree(v)
	}
}

func freeMapArraysOut(m mlxMapStringToArray) {
	if m.ctx != nil {
		mlxMapStringToArrayFree(m)
	}
}

func freeMapStringsOut(m mlxMapStringToString) {
	if m.ctx != nil {
		mlxMapStringToStringFree(m)
	}
}

// arraysFromVector takes ownership of v.
func arraysFromVector(v mlxVectorArray) []*Array {
	n := gomlxVectorSize(v)
	handles := make([]mlxArray, n+1)
	if msg := gomlxVectorTake(v, &handles[0], n); msg != nil {
		// Only an out-of-range index fails here, which the size rules out.
		panic(takeError("vector", msg))
	}
	out := make([]*Array, n)
	for i := range out {
		out[i] = newArray(handles[i])
	}
	return out
}

// arraysFromMap takes ownership of m.
func arraysFromMap(m mlxMapStringToArray) map[string]*Array {
	out := arraysFromMapCopy(m)
	if m.ctx != nil {
		mlxMapStringToArrayFree(m)
	}
	return out
}

// arraysFromMapCopy returns new arrays for the values of m, which stays
// owned by the caller.
func arraysFromMapCopy(m mlxMapStringToArray) map[string]*Array {
	out := map[string]*Array{}
	if m.ctx == nil {
		return out
	}
	it := mlxMapStringToArrayIteratorNew(m)
	for {
		var key *cchar
		v := mlxArrayNew()
		if mlxMapStringToArrayIteratorNext(&key, &v, it) != 0 {
			freeArrayOut(v)
			break
		}
		out[goString(key)] = newArray(v)
	}
	mlxMapStringToArrayIteratorFree(it)
	return out
}

// stringsFromMap takes ownership of m.
func stringsFromMap(m mlxMapStringToString) map[string]string {
	out := map[string]string{}
	if m.ctx == nil {
		return out
	}
	it := mlxMapStringToStringIteratorNew(m)
	for {
		var key, val *cchar
		if mlxMapStringToStringIteratorNext(&key, &val, it) != 0 {
			break
		}
		out[goString(key)] = goString(val)
	}
	mlxMapStringToStringIteratorFree(it)
	mlxMapStringToStringFree(m)
	return out
}
