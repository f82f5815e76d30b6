package mlx

// Conversions between Go values and mlx-c arguments and results, used by the
// generated wrappers. Argument converters take the wrapper's error variable
// and do nothing once it is set, so a wrapper converts every argument in a
// row and checks once; the first problem wins.

// #include "capi.h"
import "C"

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

func targetArg(op string, on StreamOrDevice, err *error) C.gomlx_target {
	if *err != nil || on == nil {
		return C.gomlx_target{}
	}
	t, e := targetOf(op, on)
	*err = e
	return t
}

func arrayArg(op string, a *Array, err *error) C.mlx_array {
	if *err != nil {
		return C.mlx_array{}
	}
	if e := a.use(op); e != nil {
		*err = e
		return C.mlx_array{}
	}
	return a.c
}

// handleArg is arrayArg for generated shims, which take handles as
// integers.
func handleArg(op string, a *Array, err *error) C.uintptr_t {
	return C.uintptr_t(uintptr(arrayArg(op, a, err).ctx))
}

// optionalHandleArg is optionalArrayArg for generated shims.
func optionalHandleArg(op string, a *Array, err *error) C.uintptr_t {
	return C.uintptr_t(uintptr(optionalArrayArg(op, a, err).ctx))
}

// optionalArrayArg accepts nil for mlx-c's "may be null" arrays.
func optionalArrayArg(op string, a *Array, err *error) C.mlx_array {
	if a == nil {
		return C.mlx_array{}
	}
	return arrayArg(op, a, err)
}

func arraysArg(op string, arrays []*Array, err *error) (*C.mlx_array, C.size_t) {
	if *err != nil {
		return nil, 0
	}
	handles := make([]C.mlx_array, len(arrays)+1) // +1: a valid pointer when empty
	for i, a := range arrays {
		if e := a.use(op); e != nil {
			*err = e
			return nil, 0
		}
		handles[i] = a.c
	}
	return &handles[0], C.size_t(len(arrays))
}

func intsArg(op, name string, v []int, nullable bool, err *error) (*C.int, C.size_t) {
	if *err != nil || v == nil && nullable {
		return nil, 0
	}
	out := make([]C.int, len(v)+1)
	for i, x := range v {
		if x < math.MinInt32 || x > math.MaxInt32 {
			*err = newError(op, fmt.Sprintf("%s %v: %d does not fit in int32", name, v, x), ErrInvalidArgument)
			return nil, 0
		}
		out[i] = C.int(x)
	}
	return &out[0], C.size_t(len(v))
}

func int64sArg(v []int64) (*C.int64_t, C.size_t) {
	out := make([]C.int64_t, len(v)+1)
	for i, x := range v {
		out[i] = C.int64_t(x)
	}
	return &out[0], C.size_t(len(v))
}

func intArg(op, name string, v int, err *error) C.int {
	if *err == nil && (v < math.MinInt32 || v > math.MaxInt32) {
		*err = newError(op, fmt.Sprintf("%s %d does not fit in int32", name, v), ErrInvalidArgument)
	}
	return C.int(v)
}

func sizeArg(op, name string, v int, err *error) C.size_t {
	if *err == nil && v < 0 {
		*err = newError(op, fmt.Sprintf("%s %d is negative", name, v), ErrInvalidArgument)
		return 0
	}
	return C.size_t(v)
}

func dtypeArg(op string, d Dtype, err *error) C.mlx_dtype {
	if *err == nil && !d.valid() {
		*err = newError(op, fmt.Sprintf("invalid dtype %v", d), ErrInvalidArgument)
	}
	return C.mlx_dtype(d)
}

func optionalIntArg(op, name string, v Optional[int], err *error) C.mlx_optional_int {
	return C.mlx_optional_int{value: intArg(op, name, v.Value, err), has_value: C.bool(v.Set)}
}

func optionalDtypeArg(op string, v Optional[Dtype], err *error) C.mlx_optional_dtype {
	if !v.Set {
		return C.mlx_optional_dtype{}
	}
	return C.mlx_optional_dtype{value: dtypeArg(op, v.Value, err), has_value: true}
}

func enumArg(op, name string, v int, valid bool, err *error) int {
	if *err == nil && !valid {
		*err = newError(op, fmt.Sprintf("invalid %s %d", name, v), ErrInvalidArgument)
	}
	return v
}

func mapArraysArg(op string, m map[string]*Array, err *error) C.mlx_map_string_to_array {
	out := C.mlx_map_string_to_array_new()
	for k, a := range m {
		h := arrayArg(op, a, err)
		if *err != nil {
			break
		}
		ck := C.CString(k)
		C.mlx_map_string_to_array_insert(out, ck, h)
		C.free(unsafe.Pointer(ck))
	}
	return out
}

func mapStringsArg(m map[string]string) C.mlx_map_string_to_string {
	out := C.mlx_map_string_to_string_new()
	for k, v := range m {
		ck, cv := C.CString(k), C.CString(v)
		C.mlx_map_string_to_string_insert(out, ck, cv)
		C.free(unsafe.Pointer(ck))
		C.free(unsafe.Pointer(cv))
	}
	return out
}

func freeArrayOut(a C.mlx_array) {
	if a.ctx != nil {
		C.mlx_array_free(a)
	}
}

func freeVectorOut(v C.mlx_vector_array) {
	if v.ctx != nil {
		C.mlx_vector_array_free(v)
	}
}

func freeMapArraysOut(m C.mlx_map_string_to_array) {
	if m.ctx != nil {
		C.mlx_map_string_to_array_free(m)
	}
}

func freeMapStringsOut(m C.mlx_map_string_to_string) {
	if m.ctx != nil {
		C.mlx_map_string_to_string_free(m)
	}
}

// arraysFromVector takes ownership of v.
func arraysFromVector(v C.mlx_vector_array) []*Array {
	n := C.gomlx_vector_size(v)
	handles := make([]C.mlx_array, n+1)
	if msg := C.gomlx_vector_take(v, &handles[0], n); msg != nil {
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
func arraysFromMap(m C.mlx_map_string_to_array) map[string]*Array {
	out := arraysFromMapCopy(m)
	if m.ctx != nil {
		C.mlx_map_string_to_array_free(m)
	}
	return out
}

// arraysFromMapCopy returns new arrays for the values of m, which stays
// owned by the caller.
func arraysFromMapCopy(m C.mlx_map_string_to_array) map[string]*Array {
	out := map[string]*Array{}
	if m.ctx == nil {
		return out
	}
	it := C.mlx_map_string_to_array_iterator_new(m)
	for {
		var key *C.char
		v := C.mlx_array_new()
		if C.mlx_map_string_to_array_iterator_next(&key, &v, it) != 0 {
			freeArrayOut(v)
			break
		}
		out[C.GoString(key)] = newArray(v)
	}
	C.mlx_map_string_to_array_iterator_free(it)
	return out
}

// stringsFromMap takes ownership of m.
func stringsFromMap(m C.mlx_map_string_to_string) map[string]string {
	out := map[string]string{}
	if m.ctx == nil {
		return out
	}
	it := C.mlx_map_string_to_string_iterator_new(m)
	for {
		var key, val *C.char
		if C.mlx_map_string_to_string_iterator_next(&key, &val, it) != 0 {
			break
		}
		out[C.GoString(key)] = C.GoString(val)
	}
	C.mlx_map_string_to_string_iterator_free(it)
	C.mlx_map_string_to_string_free(m)
	return out
}
