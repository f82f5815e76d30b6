package mlx

// The ops the core needs, written by hand until the generator covers mlx-c.

/*
#include "capi.h"

#define GOMLX_ARRAY_SHIM(call)                                   \
  gomlx_array_result r = {{NULL}, NULL};                         \
  if (call) r.err = gomlx_take_error();                          \
  return r;

static gomlx_array_result gomlx_add(mlx_array a, mlx_array b, gomlx_target t) {
  GOMLX_ARRAY_SHIM(mlx_add(&r.res, a, b, gomlx_resolve(t)))
}
static gomlx_array_result gomlx_subtract(mlx_array a, mlx_array b, gomlx_target t) {
  GOMLX_ARRAY_SHIM(mlx_subtract(&r.res, a, b, gomlx_resolve(t)))
}
static gomlx_array_result gomlx_multiply(mlx_array a, mlx_array b, gomlx_target t) {
  GOMLX_ARRAY_SHIM(mlx_multiply(&r.res, a, b, gomlx_resolve(t)))
}
static gomlx_array_result gomlx_divide(mlx_array a, mlx_array b, gomlx_target t) {
  GOMLX_ARRAY_SHIM(mlx_divide(&r.res, a, b, gomlx_resolve(t)))
}
static gomlx_array_result gomlx_matmul(mlx_array a, mlx_array b, gomlx_target t) {
  GOMLX_ARRAY_SHIM(mlx_matmul(&r.res, a, b, gomlx_resolve(t)))
}
static gomlx_array_result gomlx_reshape(mlx_array a, const int* shape, size_t n, gomlx_target t) {
  GOMLX_ARRAY_SHIM(mlx_reshape(&r.res, a, shape, n, gomlx_resolve(t)))
}
static gomlx_array_result gomlx_sum(mlx_array a, bool keepdims, gomlx_target t) {
  GOMLX_ARRAY_SHIM(mlx_sum(&r.res, a, keepdims, gomlx_resolve(t)))
}
static gomlx_array_result gomlx_astype(mlx_array a, int dtype, gomlx_target t) {
  GOMLX_ARRAY_SHIM(mlx_astype(&r.res, a, (mlx_dtype)dtype, gomlx_resolve(t)))
}
static gomlx_array_result gomlx_arange(double start, double stop, double step, int dtype, gomlx_target t) {
  GOMLX_ARRAY_SHIM(mlx_arange(&r.res, start, stop, step, (mlx_dtype)dtype, gomlx_resolve(t)))
}
static gomlx_array_result gomlx_zeros(const int* shape, size_t n, int dtype, gomlx_target t) {
  GOMLX_ARRAY_SHIM(mlx_zeros(&r.res, shape, n, (mlx_dtype)dtype, gomlx_resolve(t)))
}
static gomlx_array_result gomlx_ones(const int* shape, size_t n, int dtype, gomlx_target t) {
  GOMLX_ARRAY_SHIM(mlx_ones(&r.res, shape, n, (mlx_dtype)dtype, gomlx_resolve(t)))
}
static gomlx_array_result gomlx_full(const int* shape, size_t n, mlx_array v, int dtype, gomlx_target t) {
  GOMLX_ARRAY_SHIM(mlx_full(&r.res, shape, n, v, (mlx_dtype)dtype, gomlx_resolve(t)))
}
*/
import "C"

import (
	"fmt"
	"math"
	"runtime"
)

// binary runs a two-input op through its shim.
func binary(op string, on StreamOrDevice, a, b *Array, shim func(a, b C.mlx_array, t C.gomlx_target) C.gomlx_array_result) *Array {
	t, err := targetOf(op, on)
	if err == nil {
		err = a.use(op)
	}
	if err == nil {
		err = b.use(op)
	}
	if err != nil {
		return errArray(err)
	}
	r := arrayResult(op, shim(a.c, b.c, t))
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
	return r
}

// cInts converts a shape or axis list for C, checking that every value fits.
func cInts(op, what string, v []int) ([]C.int, error) {
	out := make([]C.int, len(v)+1) // +1: &out[0] is valid for empty lists
	for i, x := range v {
		if x < math.MinInt32 || x > math.MaxInt32 {
			return nil, newError(op, fmt.Sprintf("%s %v: %d does not fit in int32", what, v, x), ErrInvalidArgument)
		}
		out[i] = C.int(x)
	}
	return out[:len(v)], nil
}

func cIntsPtr(v []C.int) *C.int { return &v[:cap(v)][0] }

// Add returns a + b elementwise with broadcasting (mlx_add).
func Add(a, b *Array) *Array { return AddOn(nil, a, b) }

// AddOn is Add on the given stream or device.
func AddOn(on StreamOrDevice, a, b *Array) *Array {
	return binary("add", on, a, b, func(a, b C.mlx_array, t C.gomlx_target) C.gomlx_array_result { return C.gomlx_add(a, b, t) })
}

// Subtract returns a - b elementwise with broadcasting (mlx_subtract).
func Subtract(a, b *Array) *Array { return SubtractOn(nil, a, b) }

// SubtractOn is Subtract on the given stream or device.
func SubtractOn(on StreamOrDevice, a, b *Array) *Array {
	return binary("subtract", on, a, b, func(a, b C.mlx_array, t C.gomlx_target) C.gomlx_array_result { return C.gomlx_subtract(a, b, t) })
}

// Multiply returns a * b elementwise with broadcasting (mlx_multiply).
func Multiply(a, b *Array) *Array { return MultiplyOn(nil, a, b) }

// MultiplyOn is Multiply on the given stream or device.
func MultiplyOn(on StreamOrDevice, a, b *Array) *Array {
	return binary("multiply", on, a, b, func(a, b C.mlx_array, t C.gomlx_target) C.gomlx_array_result { return C.gomlx_multiply(a, b, t) })
}

// Divide returns a / b elementwise with broadcasting (mlx_divide).
func Divide(a, b *Array) *Array { return DivideOn(nil, a, b) }

// DivideOn is Divide on the given stream or device.
func DivideOn(on StreamOrDevice, a, b *Array) *Array {
	return binary("divide", on, a, b, func(a, b C.mlx_array, t C.gomlx_target) C.gomlx_array_result { return C.gomlx_divide(a, b, t) })
}

// Matmul returns the matrix product of a and b (mlx_matmul).
func Matmul(a, b *Array) *Array { return MatmulOn(nil, a, b) }

// MatmulOn is Matmul on the given stream or device.
func MatmulOn(on StreamOrDevice, a, b *Array) *Array {
	return binary("matmul", on, a, b, func(a, b C.mlx_array, t C.gomlx_target) C.gomlx_array_result { return C.gomlx_matmul(a, b, t) })
}

// Reshape returns a with a new shape of the same size; one dimension may be
// -1 (mlx_reshape).
func Reshape(a *Array, shape ...int) *Array { return ReshapeOn(nil, a, shape...) }

// ReshapeOn is Reshape on the given stream or device.
func ReshapeOn(on StreamOrDevice, a *Array, shape ...int) *Array {
	const op = "reshape"
	t, err := targetOf(op, on)
	if err == nil {
		err = a.use(op)
	}
	cshape, err2 := cInts(op, "shape", shape)
	if err == nil {
		err = err2
	}
	if err != nil {
		return errArray(err)
	}
	r := arrayResult(op, C.gomlx_reshape(a.c, cIntsPtr(cshape), C.size_t(len(shape)), t))
	runtime.KeepAlive(a)
	return r
}

// Sum returns the sum of all elements of a (mlx_sum); the seed form takes
// no axes yet.
func Sum(a *Array, keepdims bool) *Array { return SumOn(nil, a, keepdims) }

// SumOn is Sum on the given stream or device.
func SumOn(on StreamOrDevice, a *Array, keepdims bool) *Array {
	const op = "sum"
	t, err := targetOf(op, on)
	if err == nil {
		err = a.use(op)
	}
	if err != nil {
		return errArray(err)
	}
	r := arrayResult(op, C.gomlx_sum(a.c, C.bool(keepdims), t))
	runtime.KeepAlive(a)
	return r
}

// AsType returns a converted to dtype (mlx_astype).
func AsType(a *Array, dtype Dtype) *Array { return AsTypeOn(nil, a, dtype) }

// AsTypeOn is AsType on the given stream or device.
func AsTypeOn(on StreamOrDevice, a *Array, dtype Dtype) *Array {
	const op = "astype"
	t, err := targetOf(op, on)
	if err == nil {
		err = a.use(op)
	}
	if err == nil && !dtype.valid() {
		err = newError(op, fmt.Sprintf("invalid dtype %v", dtype), ErrInvalidArgument)
	}
	if err != nil {
		return errArray(err)
	}
	r := arrayResult(op, C.gomlx_astype(a.c, C.int(dtype), t))
	runtime.KeepAlive(a)
	return r
}

// Arange returns the values start, start+step, ... below stop, of the given
// dtype, like Python's mx.arange(start, stop, step, dtype) (mlx_arange).
func Arange(start, stop, step float64, dtype Dtype) *Array {
	return ArangeOn(nil, start, stop, step, dtype)
}

// ArangeOn is Arange on the given stream or device.
func ArangeOn(on StreamOrDevice, start, stop, step float64, dtype Dtype) *Array {
	const op = "arange"
	t, err := targetOf(op, on)
	if err == nil && !dtype.valid() {
		err = newError(op, fmt.Sprintf("invalid dtype %v", dtype), ErrInvalidArgument)
	}
	if err != nil {
		return errArray(err)
	}
	return arrayResult(op, C.gomlx_arange(C.double(start), C.double(stop), C.double(step), C.int(dtype), t))
}

func filled(op string, on StreamOrDevice, shape []int, dtype Dtype, shim func(shape *C.int, n C.size_t, t C.gomlx_target) C.gomlx_array_result) *Array {
	t, err := targetOf(op, on)
	cshape, err2 := cInts(op, "shape", shape)
	if err == nil {
		err = err2
	}
	if err == nil && !dtype.valid() {
		err = newError(op, fmt.Sprintf("invalid dtype %v", dtype), ErrInvalidArgument)
	}
	if err != nil {
		return errArray(err)
	}
	return arrayResult(op, shim(cIntsPtr(cshape), C.size_t(len(shape)), t))
}

// Zeros returns an array of the given shape and dtype filled with 0 (mlx_zeros).
func Zeros(shape []int, dtype Dtype) *Array { return ZerosOn(nil, shape, dtype) }

// ZerosOn is Zeros on the given stream or device.
func ZerosOn(on StreamOrDevice, shape []int, dtype Dtype) *Array {
	return filled("zeros", on, shape, dtype, func(s *C.int, n C.size_t, t C.gomlx_target) C.gomlx_array_result {
		return C.gomlx_zeros(s, n, C.int(dtype), t)
	})
}

// Ones returns an array of the given shape and dtype filled with 1 (mlx_ones).
func Ones(shape []int, dtype Dtype) *Array { return OnesOn(nil, shape, dtype) }

// OnesOn is Ones on the given stream or device.
func OnesOn(on StreamOrDevice, shape []int, dtype Dtype) *Array {
	return filled("ones", on, shape, dtype, func(s *C.int, n C.size_t, t C.gomlx_target) C.gomlx_array_result {
		return C.gomlx_ones(s, n, C.int(dtype), t)
	})
}
