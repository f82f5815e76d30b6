package mlx

// Go functions that MLX calls back: the bodies of closures over Go Funcs.
// (A file with //export may only declare C functions in its preamble.)

// #include "capi.h"
import "C"

import (
	"fmt"
	"runtime/cgo"
	"slices"
	"strconv"
	"strings"
	"unsafe"
)

//export gomlxCallFunc
func gomlxCallFunc(handle C.uintptr_t, res *C.mlx_vector_array, input C.mlx_vector_array) C.int {
	f := cgo.Handle(handle).Value().(Func)
	return callBack(res, func() ([]*Array, error) {
		args := arraysFromVectorCopy(input)
		return f(args)
	})
}

//export gomlxCallVJP
func gomlxCallVJP(handle C.uintptr_t, res *C.mlx_vector_array, primals, cotangents, outputs C.mlx_vector_array) C.int {
	f := cgo.Handle(handle).Value().(VJPFunc)
	return callBack(res, func() ([]*Array, error) {
		p := arraysFromVectorCopy(primals)
		vjps, err := f(p, arraysFromVectorCopy(cotangents), arraysFromVectorCopy(outputs))
		if err != nil {
			return nil, err
		}
		return vjps, checkVJPs(p, vjps)
	})
}

//export gomlxCallJVP
func gomlxCallJVP(handle C.uintptr_t, res *C.mlx_vector_array, primals, tangents C.mlx_vector_array, argnums *C.int, n C.size_t) C.int {
	f := cgo.Handle(handle).Value().(JVPFunc)
	nums := make([]int, int(n))
	for i, v := range unsafe.Slice(argnums, int(n)) {
		nums[i] = int(v)
	}
	return callBack(res, func() ([]*Array, error) {
		return f(arraysFromVectorCopy(primals), arraysFromVectorCopy(tangents), nums)
	})
}

//export gomlxCallKwargsFunc
func gomlxCallKwargsFunc(handle C.uintptr_t, res *C.mlx_vector_array, input C.mlx_vector_array, kwargs C.mlx_map_string_to_array) C.int {
	f := cgo.Handle(handle).Value().(KwargsFunc)
	return callBack(res, func() ([]*Array, error) {
		return f(arraysFromVectorCopy(input), arraysFromMapCopy(kwargs))
	})
}

//export gomlxCallVmap
func gomlxCallVmap(handle C.uintptr_t, res *C.mlx_vector_array, outAxes *C.mlx_vector_int, input C.mlx_vector_array, axes *C.int, n C.size_t) C.int {
	r := cgo.Handle(handle).Value().(*vmapRule)
	in := make([]int, int(n))
	for i, v := range unsafe.Slice(axes, int(n)) {
		in[i] = int(v)
	}
	return callBack(res, func() ([]*Array, error) {
		outs, axs, err := r.rule(arraysFromVectorCopy(input), in)
		if err != nil {
			return nil, err
		}
		if err := r.check(outs, axs); err != nil {
			return nil, err
		}
		c := make([]C.int, len(axs)+1)
		for i, a := range axs {
			c[i] = C.int(a)
		}
		C.mlx_vector_int_set_data(outAxes, &c[0], C.size_t(len(axs)))
		return outs, nil
	})
}

// checkVJPs checks that a custom VJP returned one cotangent per primal, of
// the primal's shape. MLX takes what it is given: it reads past the end of a
// short list (a crash) and passes a wrong shape on as the gradient.
func checkVJPs(primals, vjps []*Array) error {
	if len(vjps) != len(primals) {
		return fmt.Errorf("custom VJP returned %d cotangents for %d primals", len(vjps), len(primals))
	}
	for i, v := range vjps {
		if err := v.use("custom VJP"); err != nil {
			return fmt.Errorf("cotangent %d: %w", i, err)
		}
		if vs, ps := v.Shape(), primals[i].Shape(); !slices.Equal(vs, ps) {
			return fmt.Errorf("custom VJP returned cotangent %d of shape %v for primal %d of shape %v", i, vs, i, ps)
		}
	}
	return nil
}

//export gomlxReleaseHandle
func gomlxReleaseHandle(handle C.uintptr_t) { cgo.Handle(handle).Delete() }

// callBack runs a Go function for MLX inside a Scope, so every array made
// while it runs (its arguments, temporaries, and the Go side of its results)
// is released when it returns; MLX holds the results through res. An error
// or a panic becomes the error of the transform that called it.
func callBack(res *C.mlx_vector_array, fn func() ([]*Array, error)) (status C.int) {
	defer func() {
		if p := recover(); p != nil {
			setClosureError(fmt.Errorf("panic in transformed function: %v", p))
			status = 1
		}
	}()
	err := Scope(func() error {
		outs, err := fn()
		if err != nil {
			return err
		}
		handles := make([]C.mlx_array, len(outs)+1)
		for i, a := range outs {
			if err := a.use("transformed function"); err != nil {
				return fmt.Errorf("output %d: %w", i, err)
			}
			handles[i] = a.c
		}
		C.mlx_vector_array_set_data(res, &handles[0], C.size_t(len(outs)))
		return nil
	})
	if err != nil {
		setClosureError(err)
		return 1
	}
	return 0
}

// setClosureError hands err to the shim of the transform that is running.
// Only text crosses C, so the message carries a handle to err itself, which
// mlxError takes back: the transform's error then wraps err (errors.Is/As).
func setClosureError(err error) {
	h := cgo.NewHandle(err)
	msg := closureErrPrefix + strconv.FormatUint(uint64(h), 10) + closureErrSep + err.Error()
	C.gomlx_set_closure_error(C.CString(msg))
}

const closureErrPrefix, closureErrSep = "\x1egomlx-func-error:", "\x1e"

// takeClosureError recovers the error a Go function returned inside a
// transform from a message made by setClosureError.
func takeClosureError(msg string) (text string, ok bool, orig error) {
	rest, ok := strings.CutPrefix(msg, closureErrPrefix)
	if !ok {
		return msg, false, nil
	}
	num, text, ok := strings.Cut(rest, closureErrSep)
	n, err := strconv.ParseUint(num, 10, 64)
	if !ok || err != nil {
		return msg, false, nil
	}
	h := cgo.Handle(uintptr(n))
	orig, _ = h.Value().(error)
	h.Delete()
	return text, true, orig
}

// arraysFromVectorCopy returns new arrays for the elements of v, which stays
// owned by the caller.
func arraysFromVectorCopy(v C.mlx_vector_array) []*Array {
	n := int(C.gomlx_vector_size(v))
	out := make([]*Array, n)
	for i := range out {
		h := C.mlx_array_new()
		C.mlx_vector_array_get(&h, v, C.size_t(i))
		out[i] = newArray(h)
	}
	return out
}
