package mlx

// Go functions that MLX calls back: the bodies of closures over Go Funcs.
// The cgo build exports them (closure_export_cgo.go: a file with //export
// may only declare C functions in its preamble); the purego build registers
// them as purego callbacks (purego_closures.go).

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unsafe"
)

func callFunc(h cuintptr, res *mlxVectorArray, input mlxVectorArray) cint {
	f := handle(h).Value().(Func)
	return callBack(res, func() ([]*Array, error) {
		args := arraysFromVectorCopy(input)
		return f(args)
	})
}

func callVJP(h cuintptr, res *mlxVectorArray, primals, cotangents, outputs mlxVectorArray) cint {
	f := handle(h).Value().(VJPFunc)
	return callBack(res, func() ([]*Array, error) {
		p := arraysFromVectorCopy(primals)
		vjps, err := f(p, arraysFromVectorCopy(cotangents), arraysFromVectorCopy(outputs))
		if err != nil {
			return nil, err
		}
		return vjps, checkVJPs(p, vjps)
	})
}

func callJVP(h cuintptr, res *mlxVectorArray, primals, tangents mlxVectorArray, argnums *cint, n csize) cint {
	f := handle(h).Value().(JVPFunc)
	nums := make([]int, int(n))
	for i, v := range unsafe.Slice(argnums, int(n)) {
		nums[i] = int(v)
	}
	return callBack(res, func() ([]*Array, error) {
		return f(arraysFromVectorCopy(primals), arraysFromVectorCopy(tangents), nums)
	})
}

func callKwargsFunc(h cuintptr, res *mlxVectorArray, input mlxVectorArray, kwargs mlxMapStringToArray) cint {
	f := handle(h).Value().(KwargsFunc)
	return callBack(res, func() ([]*Array, error) {
		return f(arraysFromVectorCopy(input), arraysFromMapCopy(kwargs))
	})
}

func callVmap(h cuintptr, res *mlxVectorArray, outAxes *mlxVectorInt, input mlxVectorArray, axes *cint, n csize) cint {
	r := handle(h).Value().(*vmapRule)
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
		c := make([]cint, len(axs)+1)
		for i, a := range axs {
			c[i] = cint(a)
		}
		mlxVectorIntSetData(outAxes, &c[0], csize(len(axs)))
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

func releaseHandle(h cuintptr) { handle(h).Delete() }

// callBack runs a Go function for MLX inside a Scope, so every array made
// while it runs (its arguments, temporaries, and the Go side of its results)
// is released when it returns; MLX holds the results through res. An error
// or a panic becomes the error of the transform that called it.
func callBack(res *mlxVectorArray, fn func() ([]*Array, error)) (status cint) {
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
		handles := make([]mlxArray, len(outs)+1)
		for i, a := range outs {
			if err := a.use("transformed function"); err != nil {
				return fmt.Errorf("output %d: %w", i, err)
			}
			handles[i] = a.c()
		}
		mlxVectorArraySetData(res, &handles[0], csize(len(outs)))
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
	h := newHandle(err)
	msg := closureErrPrefix + strconv.FormatUint(uint64(h), 10) + closureErrSep + err.Error()
	gomlxSetClosureError(cString(msg))
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
	h := handle(uintptr(n))
	orig, _ = h.Value().(error)
	h.Delete()
	return text, true, orig
}

// arraysFromVectorCopy returns new arrays for the elements of v, which stays
// owned by the caller.
func arraysFromVectorCopy(v mlxVectorArray) []*Array {
	n := int(gomlxVectorSize(v))
	out := make([]*Array, n)
	for i := range out {
		h := mlxArrayNew()
		mlxVectorArrayGet(&h, v, csize(i))
		out[i] = newArray(h)
	}
	return out
}
