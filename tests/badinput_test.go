package tests

// A catalogue of bad input across the API. Every case must give an
// *mlx.Error that names the operation ("mlx: <op>: ..." with MLX's Python op
// name) and the problem; afterwards the process is still alive, the next
// valid op on the same stream is right, and MLX's active memory is back at
// its baseline once the case's arrays are freed (each case runs in a Scope).
//
// Left out on purpose: inputs that MLX 0.31.2 rejects only while evaluating
// on its CPU worker threads, where it does not catch exceptions, so the
// whole process aborts (std::terminate), in Python as in Go:
//   - LinalgInv, LinalgSolve, LinalgLU, LinalgLUFactor, LinalgCholeskyInv,
//     LinalgTriInv of a singular matrix;
//   - LinalgEig, LinalgEigh, LinalgSVD, LinalgPinv of NaN or Inf input;
//   - LinalgEigh / LinalgEigvalsh with an uplo other than "L" or "U" (LAPACK
//     reports error code -2);
//   - MaskedScatter with fewer source elements than true mask entries;
//   - Quantize of float64 weights.
// And inputs that crash the process outright; each is reported, and pinned
// down by TestKnownCrashes (known_crashes_test.go):
//   - Take / Gather with indices out of range (MLX does not check them):
//     reads out of bounds, SIGSEGV;
//   - Zeros / Ones of more than 2^63 bytes, Diag with an offset of 2^30:
//     SIGSEGV while evaluating.
// Arguments that MLX divides by (zero strides, groups, group sizes, bits) or
// takes as sizes without a check (negative sizes and counts) are refused by
// the binding's argument checks; argchecks_test.go tests them.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mlx-go/mlx"
)

// badEnv is what the cases share: the stream they run on and files to load.
type badEnv struct {
	s   mlx.Stream
	dir string
}

func (e *badEnv) path(name string) string { return filepath.Join(e.dir, name) }

type badCase struct {
	cat, name string
	op        string // the op the error must name
	msg       string // what the message must contain: the problem
	sentinel  error  // if set, errors.Is must find it
	noGPU     bool   // only where MLX has no GPU backend
	run       func(t *testing.T, env *badEnv) error
}

func f32(v ...float32) *mlx.Array { return mlx.FromSlice(v) }
func i32(v ...int32) *mlx.Array   { return mlx.FromSlice(v) }
func onesF(shape ...int) *mlx.Array {
	return mlx.Ones(shape, mlx.Float32)
}
func zerosF(shape ...int) *mlx.Array { return mlx.Zeros(shape, mlx.Float32) }

// arr adapts an op that returns an array to a case: its error.
func arr(f func() *mlx.Array) func(*testing.T, *badEnv) error {
	return func(*testing.T, *badEnv) error { return f().Err() }
}

// errOf adapts a function that returns an error.
func errOf(f func() error) func(*testing.T, *badEnv) error {
	return func(*testing.T, *badEnv) error { return f() }
}

func freed(a *mlx.Array) *mlx.Array { a.Free(); return a }

// sumFn is a valid Func: the sum of its first argument.
func sumFn(a []*mlx.Array) ([]*mlx.Array, error) { return []*mlx.Array{mlx.Sum(a[0], false)}, nil }

var errUser = errors.New("user function failed")

func badInputCases() []badCase {
	var cs []badCase
	add := func(cat, name, op, msg string, sentinel error, run func(*testing.T, *badEnv) error) {
		cs = append(cs, badCase{cat: cat, name: name, op: op, msg: msg, sentinel: sentinel, run: run})
	}
	noGPU := func(name, op, msg string, run func(*testing.T, *badEnv) error) {
		cs = append(cs, badCase{cat: "devices and streams", name: name, op: op, msg: msg, sentinel: mlx.ErrInvalidArgument, noGPU: true, run: run})
	}
	const bcast = "[broadcast_shapes] Shapes"

	// Shapes that do not broadcast.
	c := "broadcast"
	add(c, "maximum", "maximum", bcast+" (2) and (3) cannot be broadcast.", nil, arr(func() *mlx.Array { return mlx.Maximum(f32(1, 2), f32(1, 2, 3)) }))
	add(c, "where", "where", bcast+" (3) and (2) cannot be broadcast.", nil, arr(func() *mlx.Array { return mlx.Where(mlx.Ones([]int{3}, mlx.Bool), f32(1, 2), f32(1)) }))
	add(c, "broadcast_to", "broadcast_to", bcast+" (2) and (3) cannot be broadcast.", nil, arr(func() *mlx.Array { return mlx.BroadcastTo(f32(1, 2), 3) }))
	add(c, "broadcast_arrays", "broadcast_arrays", bcast+" (2) and (3) cannot be broadcast.", nil, errOf(func() error {
		_, err := mlx.BroadcastArrays([]*mlx.Array{f32(1, 2), f32(1, 2, 3)})
		return err
	}))
	add(c, "logical_and 2-D", "logical_and", bcast+" (2,3) and (3,2) cannot be broadcast.", nil, arr(func() *mlx.Array { return mlx.LogicalAnd(onesF(2, 3), onesF(3, 2)) }))
	add(c, "clip bounds", "clip", bcast+" (2) and (3) cannot be broadcast.", nil, arr(func() *mlx.Array { return mlx.Clip(f32(1, 2), f32(1, 2, 3), nil) }))
	add(c, "full values", "full", bcast+" (3) and (2) cannot be broadcast.", nil, arr(func() *mlx.Array { return mlx.Full([]int{2}, f32(1, 2, 3), mlx.Float32) }))
	add(c, "slice_update", "slice_update", bcast+" (3,3) and (2,2) cannot be broadcast.", nil, arr(func() *mlx.Array {
		return mlx.SliceUpdate(onesF(4, 4), onesF(3, 3), []int{0, 0}, []int{2, 2}, []int{1, 1})
	}))
	add(c, "random.bernoulli", "random.bernoulli", bcast+" (3) and (2) cannot be broadcast.", nil, arr(func() *mlx.Array { return mlx.RandomBernoulli(f32(0.5, 0.5), []int{3}, mlx.RandomKey(1)) }))

	// Matrix products.
	c = "matmul"
	add(c, "scalar operand", "matmul", "[matmul] Got 0 dimension input. Inputs must have at least one dimension.", nil, arr(func() *mlx.Array { return mlx.Matmul(mlx.Scalar[float32](1), onesF(2, 2)) }))
	add(c, "batch dims", "matmul", bcast+" (2) and (3) cannot be broadcast.", nil, arr(func() *mlx.Array { return mlx.Matmul(onesF(2, 2, 3), onesF(3, 3, 2)) }))
	add(c, "empty vs 2x2", "matmul", "[matmul] Last dimension of first input with shape (1,0) must match second to last dimension of second input with shape (2,2).", nil, arr(func() *mlx.Array { return mlx.Matmul(zerosF(0), onesF(2, 2)) }))
	add(c, "addmm", "addmm", bcast+" (3,3) and (2,2) cannot be broadcast.", nil, arr(func() *mlx.Array { return mlx.AddMM(onesF(3, 3), onesF(2, 3), onesF(3, 2), 1, 1) }))
	add(c, "inner", "inner", "[inner] a and b must have the same last dimension.", nil, arr(func() *mlx.Array { return mlx.Inner(f32(1, 2), f32(1, 2, 3)) }))
	add(c, "tensordot axes", "tensordot", "[tensordot] axes must have the same size.", nil, arr(func() *mlx.Array { return mlx.TensorDot(onesF(2, 3), onesF(2, 3), []int{1}, []int{1, 0}) }))
	add(c, "tensordot contracted", "tensordot", "[tensordot] a and b must have the same shape on the contracted axes.", nil, arr(func() *mlx.Array { return mlx.TensorDotAxis(onesF(2, 3), onesF(2, 3), 1) }))
	add(c, "einsum operand count", "einsum", "[einsum] Number of operands, 1, does not match number of input subscripts, 2", nil, arr(func() *mlx.Array { return mlx.Einsum("ij,jk->ik", []*mlx.Array{onesF(2, 2)}) }))
	add(c, "gather_mm", "gather_mm", "[matmul] Last dimension of first input with shape (2,3) must match second to last dimension of second input with shape (2,3).", nil, arr(func() *mlx.Array { return mlx.GatherMM(onesF(2, 3), onesF(2, 3), nil, nil, false) }))
	add(c, "linalg.solve", "linalg.solve", "[linalg::solve] Last dimension of first input with shape (2,2) must match second to last dimension of second input with shape (3).", nil, arr(func() *mlx.Array { return mlx.LinalgSolve(onesF(2, 2), f32(1, 2, 3)) }))
	add(c, "conv2d channels", "conv2d", "[conv] Expect the input channels in the input and weight array to match", nil, arr(func() *mlx.Array {
		return mlx.Conv2D(onesF(1, 5, 5, 2), onesF(1, 3, 3, 3), 1, 1, 0, 0, 1, 1, 1)
	}))

	// Axes: out of range, repeated, the wrong number.
	c = "axes"
	add(c, "sum repeated", "sum", "Duplicate axes detected in reduction.", nil, arr(func() *mlx.Array { return mlx.Sum(onesF(2, 3), false, 0, 0) }))
	add(c, "mean repeated via negative", "mean", "Duplicate axes detected in reduction.", nil, arr(func() *mlx.Array { return mlx.Mean(onesF(2, 3), false, 1, -1) }))
	add(c, "transpose repeated", "transpose", "[transpose] Repeat axes not allowed.", nil, arr(func() *mlx.Array { return mlx.Transpose(onesF(2, 3), 0, 0) }))
	add(c, "transpose count", "transpose", "1 axes for array with 2 dimensions.", nil, arr(func() *mlx.Array { return mlx.Transpose(onesF(2, 3), 0) }))
	add(c, "transpose range", "transpose", "[transpose] Invalid axis (2) for array with 2 dimensions.", nil, arr(func() *mlx.Array { return mlx.Transpose(onesF(2, 3), 0, 2) }))
	add(c, "squeeze size 3", "squeeze", "[squeeze] Cannot squeeze axis 1 with size 3 which is not equal to 1.", nil, arr(func() *mlx.Array { return mlx.Squeeze(onesF(2, 3), 1) }))
	add(c, "expand_dims range", "expand_dims", "[expand_dims] Invalid axis 4 for output array with 2 dimensions.", nil, arr(func() *mlx.Array { return mlx.ExpandDims(onesF(2, 3), 4) }))
	add(c, "expand_dims repeated", "expand_dims", "[expand_dims] Received duplicate axes.", nil, arr(func() *mlx.Array { return mlx.ExpandDimsAxes(onesF(2, 3), 0, 0) }))
	add(c, "concatenate axis", "concatenate", "[concatenate] Axis 2 is out of bounds for array with 2 dimensions.", nil, arr(func() *mlx.Array { return mlx.ConcatenateAxis([]*mlx.Array{onesF(2, 3), onesF(2, 3)}, 2) }))
	add(c, "concatenate shapes", "concatenate", "All the input array dimensions must match exactly except for the concatenation axis", nil, arr(func() *mlx.Array { return mlx.ConcatenateAxis([]*mlx.Array{onesF(2, 3), onesF(3, 2)}, 0) }))
	add(c, "stack shapes", "stack", "[stack] All arrays must have the same shape", nil, arr(func() *mlx.Array { return mlx.Stack([]*mlx.Array{onesF(2, 3), onesF(3, 2)}) }))
	add(c, "swapaxes", "swapaxes", "[swapaxes] Invalid axis 5 for array with 2 dimensions.", nil, arr(func() *mlx.Array { return mlx.SwapAxes(onesF(2, 3), 0, 5) }))
	add(c, "moveaxis", "moveaxis", "[moveaxis] Invalid axis -3 for array with 2 dimensions.", nil, arr(func() *mlx.Array { return mlx.MoveAxis(onesF(2, 3), -3, 0) }))
	add(c, "argmax", "argmax", "Invalid axis 2 for array with 2 dimensions.", nil, arr(func() *mlx.Array { return mlx.ArgMaxAxis(onesF(2, 3), 2, false) }))
	add(c, "sort", "sort", "[sort] Received invalid axis -3 for array with 2 dimensions.", nil, arr(func() *mlx.Array { return mlx.SortAxis(onesF(2, 3), -3) }))
	add(c, "cumsum", "cumsum", "[cumsum] Axis 2 is out of bounds for array with 2 dimensions.", nil, arr(func() *mlx.Array { return mlx.CumSum(onesF(2, 3), 2, false, true) }))
	add(c, "flatten order", "flatten", "[flatten] start_axis must be less than or equal to end_axis", nil, arr(func() *mlx.Array { return mlx.Flatten(onesF(2, 3), 1, 0) }))
	add(c, "diagonal same axes", "diagonal", "[diagonal] axis1 and axis2 cannot be the same axis", nil, arr(func() *mlx.Array { return mlx.Diagonal(onesF(2, 3), 0, 1, 1) }))
	add(c, "split unequal", "split", "Array split does not result in sub arrays with equal size", nil, errOf(func() error {
		_, err := mlx.Split(f32(1, 2, 3), 2, 0)
		return err
	}))
	add(c, "split zero", "split", "[split] num_splits must be positive and non-zero but got 0.", nil, errOf(func() error {
		_, err := mlx.Split(f32(1, 2), 0, 0)
		return err
	}))
	add(c, "split_sections axis", "split", "Invalid axis (4) passed to split for array with shape (2,2).", nil, errOf(func() error {
		_, err := mlx.SplitSections(onesF(2, 2), []int{1}, 4)
		return err
	}))
	add(c, "roll", "roll", "[roll] Invalid axis 3 for array with 2 dimensions.", nil, arr(func() *mlx.Array { return mlx.Roll(onesF(2, 3), []int{1}, 3) }))
	add(c, "logsumexp", "logsumexp", "Invalid axis 2 for array with 2 dimensions.", nil, arr(func() *mlx.Array { return mlx.LogSumExp(onesF(2, 3), false, 2) }))
	add(c, "var", "var", "axis 7 is out of bounds for array with 2 dimensions.", nil, arr(func() *mlx.Array { return mlx.Var(onesF(2, 3), false, 0, 7) }))
	add(c, "argpartition", "argpartition", "[argpartition] Received invalid axis 4 for array with 1 dimensions.", nil, arr(func() *mlx.Array { return mlx.ArgPartitionAxis(f32(1, 2), 0, 4) }))
	add(c, "fft.ifft2 repeated", "fft.ifft2", "[fftn] Shape and axes have different sizes.", nil, arr(func() *mlx.Array {
		return mlx.IFFT2(mlx.FromSlice([]complex64{1, 2}), nil, []int{0, 0}, mlx.FFTNormBackward)
	}))
	add(c, "random.categorical", "random.categorical", "[categorical] Invalid axis 3 for logits with 1 dimensions.", nil, arr(func() *mlx.Array { return mlx.RandomCategorical(f32(1, 2), 3, mlx.RandomKey(1)) }))
	add(c, "vmap in axis", "vmap", "[vmap] Axis 3 invalid for input with 1 dimensions.", nil, errOf(func() error {
		_, err := mlx.Vmap(func(a []*mlx.Array) ([]*mlx.Array, error) { return a, nil }, []int{3}, []int{0})([]*mlx.Array{f32(1, 2)})
		return err
	}))
	add(c, "axis beyond int32", "sum", "axes [1099511627776]: 1099511627776 does not fit in int32", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.Sum(f32(1), false, 1<<40) }))

	// Indices: the checks MLX makes (it does not check index values).
	c = "indices"
	add(c, "take float indices", "take", "[gather] Got indices with invalid dtype. Indices must be integral.", nil, arr(func() *mlx.Array { return mlx.Take(f32(1, 2), f32(0)) }))
	add(c, "take_along_axis ndim", "take_along", "[take_along_axis] Indices of dimension 1 does not match array of dimension 2.", nil, arr(func() *mlx.Array { return mlx.TakeAlongAxis(onesF(2, 3), i32(0), 0) }))
	add(c, "put_along_axis ndim", "put_along", "[put_along_axis] Indices of dimension 1 does not match array of dimension 2.", nil, arr(func() *mlx.Array { return mlx.PutAlongAxis(onesF(2, 3), i32(0), f32(1), 0) }))
	add(c, "gather too many", "gather", "[gather] Too many index arrays. Got 2 index arrays for input with 1 dimensions.", nil, arr(func() *mlx.Array {
		return mlx.Gather(f32(1, 2), []*mlx.Array{i32(0), i32(0)}, []int{0, 1}, []int{1})
	}))
	add(c, "gather slice sizes", "gather", "[gather] Got slice_sizes with size 1 for array with 2 dimensions.", nil, arr(func() *mlx.Array { return mlx.Gather(onesF(2, 3), []*mlx.Array{i32(0)}, []int{0}, []int{1}) }))
	add(c, "scatter updates", "scatter", "[scatter] Updates with 1 dimensions does not match the sum of the array (1) and indices (1) dimensions.", nil, arr(func() *mlx.Array {
		return mlx.Scatter(f32(1, 2, 3), []*mlx.Array{i32(0)}, f32(1, 2, 3), 0)
	}))
	add(c, "scatter_add axis", "scatter_add", "[scatter_add_axis] Received invalid axis for array with 2 dimensions.", nil, arr(func() *mlx.Array {
		return mlx.ScatterAddAxis(onesF(2, 3), mlx.FromSlice([]int32{0}, 1, 1), onesF(2, 2), 3)
	}))
	add(c, "slice index count", "slice", "[slice] Invalid number of indices or strides for array with dimension 2.", nil, arr(func() *mlx.Array { return mlx.Slice(onesF(2, 3), []int{0}, []int{1, 1}, []int{1, 1}) }))
	add(c, "slice_update index count", "slice_update", "[slice_update] Invalid number of indices or strides for array with dimension 2.", nil, arr(func() *mlx.Array {
		return mlx.SliceUpdate(onesF(2, 2), onesF(1, 1), []int{0}, []int{1}, []int{1})
	}))
	add(c, "partition kth", "partition", "[partition] Received invalid kth 7", nil, arr(func() *mlx.Array { return mlx.Partition(f32(1, 2, 3), 7) }))
	add(c, "topk k", "topk", "[topk] Received invalid k=5 along axis 0 for array with shape: (3)", nil, arr(func() *mlx.Array { return mlx.TopK(f32(1, 2, 3), 5) }))
	add(c, "item of 2 elements", "item", "array of shape [2] has 2 elements, item needs exactly 1", mlx.ErrInvalidArgument, errOf(func() error {
		_, err := mlx.Item[float32](f32(1, 2))
		return err
	}))
	add(c, "copy_to short destination", "copy_to", "destination has room for 1 elements, array has 2", mlx.ErrInvalidArgument, errOf(func() error {
		_, err := mlx.CopyTo(f32(1, 2), make([]float32, 1))
		return err
	}))

	// Dtypes an op or a read does not take.
	c = "dtypes"
	const intOnly = "Only allowed on integer or boolean types but got types float32 and float32."
	add(c, "bitwise_or float", "bitwise_or", "[bitwise_or] "+intOnly, nil, arr(func() *mlx.Array { return mlx.BitwiseOr(f32(1), f32(2)) }))
	add(c, "bitwise_xor float", "bitwise_xor", "[bitwise_xor] "+intOnly, nil, arr(func() *mlx.Array { return mlx.BitwiseXor(f32(1), f32(2)) }))
	add(c, "bitwise_invert float", "bitwise_invert", "[bitwise_invert] Bitwise inverse only allowed on integer types.", nil, arr(func() *mlx.Array { return mlx.BitwiseInvert(f32(1)) }))
	add(c, "left_shift float", "left_shift", "[left_shift] "+intOnly, nil, arr(func() *mlx.Array { return mlx.LeftShift(f32(1), f32(2)) }))
	add(c, "right_shift float", "right_shift", "[right_shift] "+intOnly, nil, arr(func() *mlx.Array { return mlx.RightShift(f32(1), f32(2)) }))
	add(c, "float16 read as float32", "data", "array has dtype float16, cannot read it as float32", mlx.ErrInvalidArgument, errOf(func() error {
		_, err := mlx.Data[float32](mlx.Ones([]int{2}, mlx.Float16))
		return err
	}))
	add(c, "bfloat16 read as F16", "data", "array has dtype bfloat16, cannot read it as mlx.F16 (float16)", mlx.ErrInvalidArgument, errOf(func() error {
		_, err := mlx.Data[mlx.F16](mlx.Ones([]int{2}, mlx.BFloat16))
		return err
	}))
	add(c, "int read of float32", "data", "array has dtype float32, cannot read it as int", mlx.ErrInvalidArgument, errOf(func() error {
		_, err := mlx.Data[int](f32(1))
		return err
	}))
	add(c, "data_view as int", "data_view", "int has no fixed size", mlx.ErrInvalidArgument, errOf(func() error {
		_, err := mlx.DataView[int](i32(1))
		return err
	}))
	add(c, "floor complex", "floor", "[floor] Not supported for complex64.", nil, arr(func() *mlx.Array { return mlx.Floor(mlx.FromSlice([]complex64{1})) }))
	add(c, "linalg.inv int", "linalg.inv", "Arrays must have type float32 or float64. Received array with type int32.", nil, arr(func() *mlx.Array { return mlx.LinalgInv(mlx.FromSlice([]int32{1, 0, 0, 1}, 2, 2)) }))
	add(c, "linalg.qr int", "linalg.qr", "Arrays must have type float32 or float64. Received array with type int32.", nil, func(t *testing.T, _ *badEnv) error {
		q, r := mlx.LinalgQR(mlx.FromSlice([]int32{1, 2, 3, 4}, 2, 2))
		if r.Err() != q.Err() {
			t.Errorf("the two results carry different errors: %v and %v", q.Err(), r.Err())
		}
		return q.Err()
	})
	add(c, "conv1d int", "conv1d", "Convolution currently only supports floating point types", nil, arr(func() *mlx.Array {
		return mlx.Conv1D(mlx.Ones([]int{1, 5, 2}, mlx.Int32), mlx.Ones([]int{1, 3, 2}, mlx.Int32), 1, 0, 1, 1)
	}))
	add(c, "random.uniform int", "random.uniform", "[uniform] Can only generate uniform numbers with real floating point type.", nil, arr(func() *mlx.Array {
		return mlx.RandomUniform(mlx.Scalar[float32](0), mlx.Scalar[float32](1), []int{2}, mlx.Int32, mlx.RandomKey(1))
	}))
	add(c, "random.randint float", "random.randint", "[randint] randint only accepts integer dtypes and bool.", nil, arr(func() *mlx.Array {
		return mlx.RandomInt(mlx.Scalar[int32](0), mlx.Scalar[int32](5), []int{2}, mlx.Float32, mlx.RandomKey(1))
	}))
	add(c, "random key float32", "random.normal", "[bits] Expected key type uint32 but received float32.", nil, arr(func() *mlx.Array { return mlx.RandomNormal([]int{2}, mlx.Float32, 0, 1, f32(1, 2)) }))
	add(c, "view larger dtype", "view", "the size in bytes of the last axis must be a multiple of the requested type size", nil, arr(func() *mlx.Array { return mlx.View(f32(1, 2, 3), mlx.Float64) }))
	add(c, "dequantize to int32", "dequantize", "Only real floating types are supported but output dtype == int32.", nil, arr(func() *mlx.Array {
		return mlx.Dequantize(mlx.Zeros([]int{2, 8}, mlx.Uint32), onesF(2, 1), onesF(2, 1), mlx.Some(64), mlx.Some(4), "affine", nil, mlx.Some(mlx.Int32))
	}))
	add(c, "arange bool", "arange", "bool not supported for arange.", nil, arr(func() *mlx.Array { return mlx.Arange(0, 2, 1, mlx.Bool) }))
	add(c, "zeros Dtype(99)", "zeros", "invalid dtype Dtype(99)", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.Zeros([]int{2}, mlx.Dtype(99)) }))

	// Sizes: negative, overflowing, not matching the data.
	c = "sizes"
	add(c, "ones negative", "ones", "[full] Negative dimensions not allowed.", nil, arr(func() *mlx.Array { return mlx.Ones([]int{-3}, mlx.Float32) }))
	add(c, "full negative after zero", "full", "[full] Negative dimensions not allowed.", nil, arr(func() *mlx.Array { return mlx.Full([]int{0, -1}, f32(1), mlx.Float32) }))
	add(c, "reshape -2", "reshape", "shape[0] is -2: shape must be non-negative or -1 (inferred)", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.Reshape(f32(1, 2), -2) }))
	add(c, "reshape infer beside 0", "reshape", "shape[1] is -1 and shape[0] is 0: a size beside a 0 cannot be inferred", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.Reshape(f32(1, 2), 0, -1) }))
	add(c, "repeat overflow", "repeat", "Cannot reshape array of size 2147483648 into shape (-2147483648).", nil, arr(func() *mlx.Array { return mlx.Repeat(f32(1, 2), 1<<30) }))
	add(c, "repeat negative", "repeat", "[repeat] Number of repeats cannot be negative", nil, arr(func() *mlx.Array { return mlx.Repeat(f32(1, 2), -1) }))
	add(c, "eye negative", "eye", "[eye] N and M must be positive integers.", nil, arr(func() *mlx.Array { return mlx.Eye(-1, -1, 0, mlx.Float32) }))
	add(c, "linspace negative", "linspace", "[linspace] number of samples, -1, must be non-negative.", nil, arr(func() *mlx.Array { return mlx.Linspace(0, 1, -1, mlx.Float32) }))
	add(c, "pad negative", "pad", "Invalid low padding size (-1) passed to pad for axis 0. Padding sizes must be non-negative", nil, arr(func() *mlx.Array {
		return mlx.Pad(f32(1, 2), []int{0}, []int{-1}, []int{0}, mlx.Scalar[float32](0), "constant")
	}))
	add(c, "arange too long", "arange", "[arange] Maximum size exceeded.", nil, arr(func() *mlx.Array { return mlx.Arange(0, 1e20, 1, mlx.Float32) }))
	add(c, "arange zero step", "arange", "[arange] Maximum size exceeded.", nil, arr(func() *mlx.Array { return mlx.Arange(0, 10, 0, mlx.Float32) }))
	add(c, "fft.fft negative n", "fft.fft", "[fftn] Invalid FFT output size requested (-2)", nil, arr(func() *mlx.Array { return mlx.FFT(mlx.FromSlice([]complex64{1, 2}), -2, 0, mlx.FFTNormBackward) }))
	add(c, "from_slice negative dim", "array", "invalid shape [-1]: dimensions must be in [0, 2^31)", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.FromSlice([]float32{}, -1) }))
	add(c, "from_slice dim 2^31", "array", "invalid shape [2147483648]", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.FromSlice([]float32{}, 1<<31) }))
	add(c, "from_slice size overflow", "array", "shape [1073741824 1073741824] is too large", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.FromSlice([]float32{1}, 1<<30, 1<<30) }))
	add(c, "from_slice data short", "array", "shape [2 2] needs 4 elements, data has 3", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.FromSlice([]float32{1, 2, 3}, 2, 2) }))
	add(c, "from_slice data long", "array", "shape [1] needs 1 elements, data has 2", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.FromSlice([]int8{1, 2}, 1) }))
	add(c, "from_slice int overflow", "array", "value 1099511627776 at index 1 does not fit in int32: use []int64", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.FromSlice([]int{1, 1 << 40}) }))
	add(c, "reshape beyond int32", "reshape", "does not fit in int32", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.Reshape(f32(1, 2), 2, 1<<40) }))
	add(c, "quantize group beyond int32", "quantize", "groupSize 1099511627776 does not fit in int32", mlx.ErrInvalidArgument, errOf(func() error {
		_, err := mlx.Quantize(onesF(2, 64), mlx.Some(1<<40), mlx.Some(4), "affine", nil)
		return err
	}))
	add(c, "set_memory_limit negative", "set_memory_limit", "limit -1 is negative", mlx.ErrInvalidArgument, errOf(func() error {
		_, err := mlx.SetMemoryLimit(-1)
		return err
	}))

	// Devices and streams.
	c = "devices and streams"
	noGPU("new_stream on gpu", "new_stream", "Device(gpu, 0): this MLX has no gpu backend", errOf(func() error {
		_, err := mlx.NewStream(mlx.Device{Type: mlx.GPU})
		return err
	}))
	noGPU("add on gpu", "add", "Device(gpu, 0): this MLX has no gpu backend", arr(func() *mlx.Array { return mlx.AddOn(mlx.GPU, f32(1), f32(1)) }))
	noGPU("with_stream gpu", "stream", "Device(gpu, 0): this MLX has no gpu backend", errOf(func() error { return mlx.WithStream(mlx.GPU, func() error { return nil }) }))
	noGPU("default_stream gpu", "default_stream", "Device(gpu, 0): this MLX has no gpu backend", errOf(func() error {
		_, err := mlx.DefaultStream(mlx.Device{Type: mlx.GPU})
		return err
	}))
	noGPU("set_default_device gpu", "set_default_device", "Device(gpu, 0): this MLX has no gpu backend", errOf(func() error { return mlx.SetDefaultDevice(mlx.Device{Type: mlx.GPU}) }))
	noGPU("device_info gpu", "device_info", "Device(gpu, 0): this MLX has no gpu backend", errOf(func() error {
		_, err := mlx.Device{Type: mlx.GPU}.Info()
		return err
	}))
	add(c, "new_stream device type 5", "new_stream", "invalid device type 5", mlx.ErrInvalidArgument, errOf(func() error {
		_, err := mlx.NewStream(mlx.Device{Type: 5})
		return err
	}))
	add(c, "new_stream cpu index 3", "new_stream", "Device(cpu, 3): device index out of range (1 cpu device(s))", mlx.ErrInvalidArgument, errOf(func() error {
		_, err := mlx.NewStream(mlx.Device{Type: mlx.CPU, Index: 3})
		return err
	}))
	add(c, "op on DeviceType(9)", "add", "invalid device type 9", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.AddOn(mlx.DeviceType(9), f32(1), f32(1)) }))
	add(c, "op on cpu index -1", "multiply", "Device(cpu, -1): device index out of range", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.MultiplyOn(mlx.Device{Type: mlx.CPU, Index: -1}, f32(1), f32(1)) }))
	add(c, "op on unknown stream", "sum", "unknown stream Stream(Device(cpu, 0), 99999)", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.SumOn(mlx.Stream{Index: 99999}, f32(1), false) }))
	add(c, "stream with a wrong device", "add", "unknown stream Stream(Device(cpu, 1), ", mlx.ErrInvalidArgument, func(_ *testing.T, env *badEnv) error {
		s := env.s
		s.Device.Index = 1
		return mlx.AddOn(s, f32(1), f32(1)).Err()
	})
	add(c, "synchronize stream -1", "synchronize", "unknown stream Stream(Device(cpu, 0), -1)", mlx.ErrInvalidArgument, errOf(func() error { return mlx.Stream{Index: -1}.Synchronize() }))
	add(c, "set_default_stream unknown", "set_default_stream", "unknown stream Stream(Device(cpu, 0), 12345)", mlx.ErrInvalidArgument, errOf(func() error { return mlx.SetDefaultStream(mlx.Stream{Index: 12345}) }))
	add(c, "with_stream nil", "stream", "nil stream or device", mlx.ErrInvalidArgument, errOf(func() error { return mlx.WithStream(nil, func() error { return nil }) }))
	add(c, "op on nil *Stream", "matmul", "nil stream or device pointer", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.MatmulOn((*mlx.Stream)(nil), onesF(2, 2), onesF(2, 2)) }))
	add(c, "device_info type 7", "device_info", "invalid device type 7", mlx.ErrInvalidArgument, errOf(func() error {
		_, err := mlx.Device{Type: 7}.Info()
		return err
	}))

	// Nil and freed arrays.
	c = "nil and freed arrays"
	add(c, "where nil condition", "where", "nil array", mlx.ErrNilArray, arr(func() *mlx.Array { return mlx.Where(nil, f32(1), f32(2)) }))
	add(c, "concatenate with nil", "concatenate", "nil array", mlx.ErrNilArray, arr(func() *mlx.Array { return mlx.Concatenate([]*mlx.Array{f32(1), nil}) }))
	add(c, "eval with nil", "eval", "nil array", mlx.ErrNilArray, errOf(func() error { return mlx.Eval(f32(1), nil) }))
	add(c, "async_eval with nil", "async_eval", "nil array", mlx.ErrNilArray, errOf(func() error { return mlx.AsyncEval(f32(1), nil) }))
	add(c, "data_view nil", "data_view", "nil array", mlx.ErrNilArray, errOf(func() error {
		_, err := mlx.DataView[float32](nil)
		return err
	}))
	add(c, "save nil", "save", "nil array", mlx.ErrNilArray, func(_ *testing.T, env *badEnv) error { return mlx.Save(env.path("nil.npy"), nil) })
	add(c, "save_safetensors nil", "save_safetensors", "nil array", mlx.ErrNilArray, func(_ *testing.T, env *badEnv) error {
		return mlx.SaveSafetensors(env.path("nil.safetensors"), map[string]*mlx.Array{"w": nil}, nil)
	})
	add(c, "matmul freed", "matmul", "array used after Free", mlx.ErrFreed, arr(func() *mlx.Array { return mlx.Matmul(onesF(2, 2), freed(onesF(2, 2))) }))
	add(c, "transpose freed", "transpose", "array used after Free", mlx.ErrFreed, arr(func() *mlx.Array { return mlx.Transpose(freed(onesF(2, 2))) }))
	add(c, "copy_to freed", "copy_to", "array used after Free", mlx.ErrFreed, errOf(func() error {
		_, err := mlx.CopyTo(freed(f32(1)), make([]float32, 1))
		return err
	}))
	add(c, "Err of freed", "array", "array used after Free", mlx.ErrFreed, errOf(func() error { return freed(f32(1)).Err() }))
	add(c, "grad of freed", "value_and_grad", "array used after Free", mlx.ErrFreed, errOf(func() error {
		_, err := mlx.Grad(sumFn)(freed(f32(1, 2)))
		return err
	}))
	add(c, "vjp nil primal", "vjp", "nil array", mlx.ErrNilArray, errOf(func() error {
		_, _, err := mlx.VJP(func(a []*mlx.Array) ([]*mlx.Array, error) { return a, nil }, []*mlx.Array{nil}, []*mlx.Array{f32(1)})
		return err
	}))

	// Empty arrays.
	c = "empty arrays"
	add(c, "max", "max", "[max] Cannot max reduce zero size array.", nil, arr(func() *mlx.Array { return mlx.Max(zerosF(0), false) }))
	add(c, "min axis", "min", "[min] Cannot min reduce zero size array.", nil, arr(func() *mlx.Array { return mlx.Min(zerosF(0, 3), false, 0) }))
	add(c, "argmax", "argmax", "[argmax] Cannot argmax reduce zero size array.", nil, arr(func() *mlx.Array { return mlx.ArgMax(zerosF(0), false) }))
	add(c, "argmin axis", "argmin", "[argmin] Cannot argmin reduce zero size array.", nil, arr(func() *mlx.Array { return mlx.ArgMinAxis(zerosF(2, 0), 1, false) }))
	add(c, "item", "item", "array of shape [0] has 0 elements, item needs exactly 1", mlx.ErrInvalidArgument, errOf(func() error {
		_, err := mlx.Item[float32](zerosF(0))
		return err
	}))
	add(c, "reshape", "reshape", "[reshape] Cannot reshape array of size 0 into shape (2).", nil, arr(func() *mlx.Array { return mlx.Reshape(zerosF(0), 2) }))
	add(c, "topk", "topk", "[topk] Received invalid k=1 along axis 0 for array with shape: (0)", nil, arr(func() *mlx.Array { return mlx.TopK(zerosF(0), 1) }))
	add(c, "squeeze", "squeeze", "[squeeze] Cannot squeeze axis 0 with size 0 which is not equal to 1.", nil, arr(func() *mlx.Array { return mlx.Squeeze(zerosF(0), 0) }))
	add(c, "save", "save", "[save] cannot serialize an empty array", nil, func(_ *testing.T, env *badEnv) error { return mlx.Save(env.path("empty.npy"), zerosF(0)) })
	add(c, "concatenate nothing", "concatenate", "[concatenate] No arrays provided for concatenation", nil, arr(func() *mlx.Array { return mlx.Concatenate(nil) }))
	add(c, "stack nothing", "stack", "[stack] No arrays provided for stacking", nil, arr(func() *mlx.Array { return mlx.Stack(nil) }))

	// Reading an array whose graph failed.
	c = "failed graph"
	const badReshape = "[reshape] Cannot reshape array of size 2 into shape (3)."
	bad := func() *mlx.Array { return mlx.Reshape(f32(1, 2), 3) }
	add(c, "data downstream", "reshape", badReshape, nil, errOf(func() error {
		_, err := mlx.Data[float32](mlx.Exp(mlx.Add(bad(), f32(1))))
		return err
	}))
	add(c, "item downstream", "add", bcast+" (2) and (3) cannot be broadcast.", nil, errOf(func() error {
		_, err := mlx.Item[float32](mlx.Sum(mlx.Add(f32(1, 2), f32(1, 2, 3)), false))
		return err
	}))
	add(c, "copy_to downstream", "reshape", badReshape, nil, errOf(func() error {
		_, err := mlx.CopyTo(mlx.Negative(bad()), make([]float32, 3))
		return err
	}))
	add(c, "eval second of two", "reshape", badReshape, nil, errOf(func() error { return mlx.Eval(f32(1), bad()) }))
	add(c, "save", "reshape", badReshape, nil, func(_ *testing.T, env *badEnv) error { return mlx.Save(env.path("bad.npy"), bad()) })
	add(c, "string", "reshape", badReshape, nil, func(t *testing.T, _ *badEnv) error {
		a := mlx.Multiply(bad(), bad())
		if got, want := a.String(), "array(error: mlx: reshape: "+badReshape+")"; got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
		return a.Err()
	})
	// Hadamard sizes are checked when MLX schedules the graph, on the MLX
	// thread, where the exception is caught: the read reports it.
	add(c, "scheduling failure", "eval", "[hadamard] Only supports n = m*2^k where m in (1, 12, 20, 28).", nil, errOf(func() error {
		had := mlx.HadamardTransform(f32(1, 2, 3), mlx.Optional[float32]{})
		if had.Err() != nil {
			return fmt.Errorf("hadamard failed while building: %w", had.Err())
		}
		_, err := mlx.Data[float32](mlx.Add(had, f32(1)))
		return err
	}))

	// Files.
	c = "files"
	add(c, "load missing", "load", "[load] Failed to open file", nil, func(_ *testing.T, env *badEnv) error { return mlx.Load(env.path("missing.npy")).Err() })
	add(c, "load empty file", "load", "[read] Unable to read 8 bytes from file.", nil, func(_ *testing.T, env *badEnv) error { return mlx.Load(env.path("empty")).Err() })
	add(c, "load bad magic", "load", "[load] Invalid header in file", nil, func(_ *testing.T, env *badEnv) error { return mlx.Load(env.path("magic.npy")).Err() })
	add(c, "load bad dtype", "load", "[from_str] Unsupported array protocol type-string: <q9", nil, func(_ *testing.T, env *badEnv) error { return mlx.Load(env.path("descr.npy")).Err() })
	add(c, "load_safetensors missing", "load_safetensors", "[load_safetensors] Failed to open file", nil, func(_ *testing.T, env *badEnv) error {
		_, _, err := mlx.LoadSafetensors(env.path("missing.safetensors"))
		return err
	})
	add(c, "load_safetensors header length", "load_safetensors", "The JSON header is 16777215 bytes long but the file is only 9 bytes.", nil, func(_ *testing.T, env *badEnv) error {
		_, _, err := mlx.LoadSafetensors(env.path("long.safetensors"))
		return err
	})
	add(c, "load_safetensors bad JSON", "load_safetensors", "parse error", nil, func(_ *testing.T, env *badEnv) error {
		_, _, err := mlx.LoadSafetensorsOn(mlx.CPU, env.path("json.safetensors"))
		return err
	})
	add(c, "load_safetensors bad dtype", "load_safetensors", "[safetensor] unsupported dtypeQ7", nil, func(_ *testing.T, env *badEnv) error {
		_, _, err := mlx.LoadSafetensors(env.path("dtype.safetensors"))
		return err
	})
	// Where the default device is a GPU, MLX's save makes its ops on the MLX
	// thread's default stream, not the case's CPU stream, and refuses float64.
	f64SaveMsg := "dtype"
	if hasGPU() {
		f64SaveMsg = "float64 is not supported on the GPU"
	}
	add(c, "save_safetensors float64", "save_safetensors", f64SaveMsg, nil, func(_ *testing.T, env *badEnv) error {
		return mlx.SaveSafetensors(env.path("f64.safetensors"), map[string]*mlx.Array{"w": mlx.FromSlice([]float64{1})}, nil)
	})
	add(c, "save into missing directory", "save", "[save] Failed to open file", nil, func(_ *testing.T, env *badEnv) error { return mlx.Save(env.path("no/such/dir/x.npy"), f32(1)) })
	add(c, "import_function missing", "import_function", "[import_function] Failed to open", nil, func(_ *testing.T, env *badEnv) error {
		_, err := mlx.ImportFunction(env.path("missing.mlxfn"))
		return err
	})
	add(c, "imported function, wrong shape", "import_function", "No imported function found which matches the given positional and keyword arguments.", nil, func(_ *testing.T, env *badEnv) error {
		p := env.path("double.mlxfn")
		double := func(a []*mlx.Array) ([]*mlx.Array, error) { return []*mlx.Array{mlx.Add(a[0], a[0])}, nil }
		if err := mlx.ExportFunction(p, double, []*mlx.Array{f32(1, 2)}, false); err != nil {
			return err
		}
		f, err := mlx.ImportFunction(p)
		if err != nil {
			return err
		}
		_, err = f([]*mlx.Array{f32(1, 2, 3)})
		return err
	})

	// Transforms over Go functions that misbehave.
	c = "transforms"
	add(c, "grad: function panics", "value_and_grad", "panic in transformed function: boom", nil, errOf(func() error {
		_, err := mlx.Grad(func([]*mlx.Array) ([]*mlx.Array, error) { panic("boom") })(f32(1))
		return err
	}))
	add(c, "grad: function returns an error", "value_and_grad", errUser.Error(), errUser, errOf(func() error {
		_, err := mlx.Grad(func([]*mlx.Array) ([]*mlx.Array, error) { return nil, errUser })(f32(1))
		return err
	}))
	add(c, "grad: no outputs", "value_and_grad", "the function returned no outputs; its first output must be a scalar", mlx.ErrInvalidArgument, errOf(func() error {
		_, err := mlx.Grad(func([]*mlx.Array) ([]*mlx.Array, error) { return nil, nil })(f32(1))
		return err
	}))
	add(c, "grad: nil output", "value_and_grad", "output 0: mlx: transformed function: nil array", mlx.ErrNilArray, errOf(func() error {
		_, err := mlx.Grad(func([]*mlx.Array) ([]*mlx.Array, error) { return []*mlx.Array{nil}, nil })(f32(1))
		return err
	}))
	add(c, "grad: output not scalar", "value_and_grad", "[vjp] Output shape (2) does not match cotangent shape ().", nil, errOf(func() error {
		_, err := mlx.Grad(func(a []*mlx.Array) ([]*mlx.Array, error) { return []*mlx.Array{mlx.Multiply(a[0], a[0])}, nil })(f32(1, 2))
		return err
	}))
	add(c, "grad: argnum out of range", "value_and_grad", "[grad] Invalid argument number for function with 1 inputs.", nil, errOf(func() error {
		_, err := mlx.Grad(sumFn, 3)(f32(1, 2))
		return err
	}))
	add(c, "grad: repeated argnums", "value_and_grad", "[grad] Repeat argument number not allowed in grad.", nil, errOf(func() error {
		_, err := mlx.Grad(sumFn, 0, 0)(f32(1, 2))
		return err
	}))
	add(c, "grad: Eval inside", "value_and_grad", "cannot evaluate inside a transformed function", mlx.ErrInvalidArgument, errOf(func() error {
		_, err := mlx.Grad(func(a []*mlx.Array) ([]*mlx.Array, error) {
			s := mlx.Sum(a[0], false)
			if err := mlx.Eval(s); err != nil {
				return nil, err
			}
			return []*mlx.Array{s}, nil
		})(f32(1, 2))
		return err
	}))
	add(c, "vjp: function panics", "vjp", "panic in transformed function: inside vjp", nil, errOf(func() error {
		_, _, err := mlx.VJP(func([]*mlx.Array) ([]*mlx.Array, error) { panic(errors.New("inside vjp")) }, []*mlx.Array{f32(1)}, []*mlx.Array{f32(1)})
		return err
	}))
	add(c, "vjp: too few cotangents", "vjp", "[vjp] Number of outputs to compute gradients for (2) does not match number of cotangents (1).", nil, errOf(func() error {
		two := func(a []*mlx.Array) ([]*mlx.Array, error) { return []*mlx.Array{a[0], mlx.Add(a[0], a[0])}, nil }
		_, _, err := mlx.VJP(two, []*mlx.Array{f32(1)}, []*mlx.Array{f32(1)})
		return err
	}))
	add(c, "vjp: cotangent shape", "vjp", "[vjp] Output shape (1) does not match cotangent shape (2).", nil, errOf(func() error {
		_, _, err := mlx.VJP(func(a []*mlx.Array) ([]*mlx.Array, error) { return a, nil }, []*mlx.Array{f32(1)}, []*mlx.Array{f32(1, 2)})
		return err
	}))
	add(c, "jvp: tangent count", "jvp", "[jvp] Number of inputs does not match number of tangents.", nil, errOf(func() error {
		_, _, err := mlx.JVP(func(a []*mlx.Array) ([]*mlx.Array, error) { return a, nil }, []*mlx.Array{f32(1)}, nil)
		return err
	}))
	add(c, "jvp: function returns an error", "jvp", errUser.Error(), errUser, errOf(func() error {
		_, _, err := mlx.JVP(func([]*mlx.Array) ([]*mlx.Array, error) { return nil, errUser }, []*mlx.Array{f32(1)}, []*mlx.Array{f32(1)})
		return err
	}))
	add(c, "vmap: function returns an error", "vmap", errUser.Error(), errUser, errOf(func() error {
		_, err := mlx.Vmap(func([]*mlx.Array) ([]*mlx.Array, error) { return nil, errUser }, []int{0}, []int{0})([]*mlx.Array{f32(1, 2)})
		return err
	}))
	add(c, "vmap: nil dereference", "vmap", "panic in transformed function: runtime error: invalid memory address or nil pointer dereference", nil, errOf(func() error {
		var p *struct{ x int }
		_, err := mlx.Vmap(func([]*mlx.Array) ([]*mlx.Array, error) { p.x++; return nil, nil }, []int{0}, []int{0})([]*mlx.Array{f32(1, 2)})
		return err
	}))
	add(c, "vmap: nil outputs", "vmap", "[vmap] The number of out axes (1) must match the number of outputs (0).", nil, errOf(func() error {
		_, err := mlx.Vmap(func([]*mlx.Array) ([]*mlx.Array, error) { return nil, nil }, []int{0}, []int{0})([]*mlx.Array{f32(1, 2)})
		return err
	}))
	add(c, "vmap: in axes count", "vmap", "[vmap] The number of in axes (2) must match the number of inputs (1).", nil, errOf(func() error {
		_, err := mlx.Vmap(func(a []*mlx.Array) ([]*mlx.Array, error) { return a, nil }, []int{0, 0}, []int{0})([]*mlx.Array{f32(1, 2)})
		return err
	}))
	add(c, "vmap: inconsistent sizes", "vmap", "[vmap] Inconsistent axis sizes: 2 and 3.", nil, errOf(func() error {
		addFn := func(a []*mlx.Array) ([]*mlx.Array, error) { return []*mlx.Array{mlx.Add(a[0], a[1])}, nil }
		_, err := mlx.Vmap(addFn, []int{0, 0}, []int{0})([]*mlx.Array{f32(1, 2), f32(1, 2, 3)})
		return err
	}))
	add(c, "compile: function panics", "compile", "panic in transformed function: compiled", nil, errOf(func() error {
		f, err := mlx.Compile(func([]*mlx.Array) ([]*mlx.Array, error) { panic("compiled") }, false)
		if err != nil {
			return err
		}
		_, err = f([]*mlx.Array{f32(1)})
		return err
	}))
	add(c, "checkpoint: function returns an error", "checkpoint", errUser.Error(), errUser, errOf(func() error {
		f, err := mlx.Checkpoint(func([]*mlx.Array) ([]*mlx.Array, error) { return nil, errUser })
		if err != nil {
			return err
		}
		_, err = f([]*mlx.Array{f32(1)})
		return err
	}))
	add(c, "custom_vjp: vjp returns an error", "value_and_grad", errUser.Error(), errUser, errOf(func() error {
		f, err := mlx.CustomVJP(sumFn, func(_, _, _ []*mlx.Array) ([]*mlx.Array, error) { return nil, errUser })
		if err != nil {
			return err
		}
		_, err = mlx.Grad(f)(f32(1, 2))
		return err
	}))
	add(c, "custom_vjp: too few cotangents", "value_and_grad", "custom VJP returned 0 cotangents for 1 primals", nil, errOf(func() error {
		f, err := mlx.CustomVJP(sumFn, func(_, _, _ []*mlx.Array) ([]*mlx.Array, error) { return nil, nil })
		if err != nil {
			return err
		}
		_, err = mlx.Grad(f)(f32(1, 2))
		return err
	}))
	add(c, "export_function: function returns an error", "export_function", errUser.Error(), errUser, func(_ *testing.T, env *badEnv) error {
		return mlx.ExportFunction(env.path("fail.mlxfn"), func([]*mlx.Array) ([]*mlx.Array, error) { return nil, errUser }, []*mlx.Array{f32(1)}, false)
	})

	// Optional values, enums and strings that select a mode.
	c = "options and enums"
	add(c, "FFTNorm(99)", "fft.fft", "invalid norm 99", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.FFT(mlx.FromSlice([]complex64{1, 2}), 2, 0, mlx.FFTNorm(99)) }))
	add(c, "FFTNorm(-1)", "fft.fftn", "invalid norm -1", mlx.ErrInvalidArgument, arr(func() *mlx.Array { return mlx.FFTN(mlx.FromSlice([]complex64{1, 2}), nil, nil, mlx.FFTNorm(-1)) }))
	add(c, "CompileMode(99)", "set_compile_mode", "invalid mode 99", mlx.ErrInvalidArgument, errOf(func() error { return mlx.SetCompileMode(mlx.CompileMode(99)) }))
	add(c, "Some(Dtype(77))", "dequantize", "invalid dtype Dtype(77)", mlx.ErrInvalidArgument, arr(func() *mlx.Array {
		return mlx.Dequantize(mlx.Zeros([]int{2, 8}, mlx.Uint32), onesF(2, 1), onesF(2, 1), mlx.Some(64), mlx.Some(4), "affine", nil, mlx.Some(mlx.Dtype(77)))
	}))
	add(c, "quantize bits Some(7)", "quantize", "The requested number of bits 7 is not supported.", nil, errOf(func() error {
		_, err := mlx.Quantize(onesF(2, 64), mlx.Some(64), mlx.Some(7), "affine", nil)
		return err
	}))
	add(c, "quantize group Some(-1)", "quantize", "groupSize is -1: groupSize must be positive", mlx.ErrInvalidArgument, errOf(func() error {
		_, err := mlx.Quantize(onesF(2, 64), mlx.Some(-1), mlx.Some(4), "affine", nil)
		return err
	}))
	add(c, "quantize mode", "quantize", "[quantize] Invalid quantization mode 'bogus'.", nil, errOf(func() error {
		_, err := mlx.Quantize(onesF(2, 64), mlx.Some(64), mlx.Some(4), "bogus", nil)
		return err
	}))
	add(c, "dequantize group Some(0)", "dequantize", "[dequantize] Invalid value for group_size: 0", nil, arr(func() *mlx.Array {
		return mlx.Dequantize(mlx.Zeros([]int{2, 8}, mlx.Uint32), onesF(2, 1), onesF(2, 1), mlx.Some(0), mlx.Some(4), "affine", nil, mlx.Optional[mlx.Dtype]{})
	}))
	add(c, "rope: neither base nor freqs", "fast.rope", "Neither base nor freqs", nil, arr(func() *mlx.Array {
		return mlx.FastRoPE(onesF(1, 2, 4), 4, false, mlx.Optional[float32]{}, 1, 0, nil)
	}))
	add(c, "rope: base and freqs", "fast.rope", "[rope] Only one of base or freqs can have a value.", nil, arr(func() *mlx.Array {
		return mlx.FastRoPE(onesF(1, 2, 4), 4, false, mlx.Some[float32](1e4), 1, 0, f32(1, 2))
	}))
	add(c, "pad mode", "pad", "Invalid padding mode (bogus) passed to pad", nil, arr(func() *mlx.Array {
		return mlx.Pad(f32(1, 2), []int{0}, []int{1}, []int{1}, mlx.Scalar[float32](0), "bogus")
	}))
	add(c, "attention mask mode", "fast.scaled_dot_product_attention", "Invalid mask_mode sliding.", nil, arr(func() *mlx.Array {
		q := onesF(1, 1, 2, 4)
		return mlx.FastScaledDotProductAttention(q, q, q, 1, "sliding", nil, nil)
	}))
	add(c, "norm ord", "linalg.norm", "[linalg::norm] Invalid ord value 'bogus' for matrix norm.", nil, arr(func() *mlx.Array { return mlx.LinalgNormMatrix(onesF(2, 2), "bogus", []int{0, 1}, false) }))
	add(c, "meshgrid indexing", "meshgrid", "[meshgrid] Invalid indexing value. Valid values are 'xy' and 'ij'.", nil, errOf(func() error {
		_, err := mlx.Meshgrid([]*mlx.Array{f32(1)}, false, "zz")
		return err
	}))
	add(c, "random.bits width", "random.bits", "[bits] Bit width must be in {1, 2, 4} but got 3.", nil, arr(func() *mlx.Array { return mlx.RandomBits([]int{2}, 3, mlx.RandomKey(1)) }))
	return cs
}

func newBadEnv(t *testing.T) *badEnv {
	t.Helper()
	s, err := mlx.NewStream(mlx.Device{Type: mlx.CPU})
	if err != nil {
		t.Fatal(err)
	}
	env := &badEnv{s: s, dir: t.TempDir()}
	npy := func(header string) []byte {
		for (10+len(header)+1)%16 != 0 {
			header += " "
		}
		header += "\n"
		b := append([]byte("\x93NUMPY\x01\x00"), byte(len(header)), byte(len(header)>>8))
		return append(b, header...)
	}
	safetensors := func(header string, data int) []byte {
		n := len(header)
		b := []byte{byte(n), byte(n >> 8), 0, 0, 0, 0, 0, 0}
		b = append(b, header...)
		return append(b, make([]byte, data)...)
	}
	files := map[string][]byte{
		"empty":             nil,
		"magic.npy":         []byte("NOT A NUMPY FILE, NOT AT ALL........"),
		"descr.npy":         npy("{'descr': '<q9', 'fortran_order': False, 'shape': (1,), }"),
		"long.safetensors":  {0xff, 0xff, 0xff, 0, 0, 0, 0, 0, '{'},
		"json.safetensors":  safetensors("{xy}", 0),
		"dtype.safetensors": safetensors(`{"a":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}}`, 4),
	}
	for name, b := range files {
		if err := os.WriteFile(env.path(name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// One-time allocations that must not count against a case: the global
	// random key, the first evaluation on the stream.
	if err := mlx.Eval(mlx.RandomNormal([]int{1}, mlx.Float32, 0, 1, nil), mlx.AddOn(s, f32(1), f32(1))); err != nil {
		t.Fatal(err)
	}
	return env
}

// settle lets pending finalizers of earlier tests run and returns MLX's
// active memory once it has stopped changing, as memory_test.go does.
func settle(t *testing.T) int {
	t.Helper()
	last := -1
	for i := 0; i < 50; i++ {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
		n, err := mlx.ActiveMemory()
		if err != nil {
			t.Fatal(err)
		}
		if n == last {
			return n
		}
		last = n
	}
	return last
}

func activeMemory(t *testing.T) int {
	t.Helper()
	n, err := mlx.ActiveMemory()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// checkNextOp runs valid ops on env's stream, and on the default stream,
// and checks their results.
func checkNextOp(t *testing.T, env *badEnv) {
	t.Helper()
	err := mlx.Scope(func() error {
		sum, err := mlx.Data[float32](mlx.AddOn(env.s, f32(1, 2, 3), f32(10, 20, 30)))
		if err != nil {
			return err
		}
		if fmt.Sprint(sum) != "[11 22 33]" {
			return fmt.Errorf("AddOn(case stream) = %v, want [11 22 33]", sum)
		}
		m := mlx.Matmul(mlx.FromSlice([]float32{1, 2, 3, 4}, 2, 2), mlx.FromSlice([]float32{1, 0, 0, 1}, 2, 2))
		got, err := mlx.Data[float32](mlx.Sum(m, false, 1))
		if err != nil {
			return err
		}
		if fmt.Sprint(got) != "[3 7]" {
			return fmt.Errorf("Sum(Matmul) on the default stream = %v, want [3 7]", got)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("the next valid op after the case: %v", err)
	}
}

func TestBadInputCatalogue(t *testing.T) {
	env := newBadEnv(t)
	cases := badInputCases()
	if len(cases) < 80 {
		t.Fatalf("catalogue has %d cases, want at least 80", len(cases))
	}
	counts := map[string]int{}
	skipped := 0
	settle(t)
	for _, c := range cases {
		t.Run(c.cat+"/"+c.name, func(t *testing.T) {
			if c.noGPU && hasGPU() {
				skipped++
				t.Skip("this MLX has a GPU backend")
			}
			counts[c.cat]++
			base := activeMemory(t)
			var err error
			// The case runs with its stream as the default, in a Scope
			// that frees every array it makes.
			werr := mlx.WithStream(env.s, func() error {
				return mlx.Scope(func() error {
					err = c.run(t, env)
					return nil
				})
			})
			if werr != nil {
				t.Fatalf("WithStream: %v", werr)
			}
			checkCaseError(t, err, c)
			checkNextOp(t, env)
			if after := activeMemory(t); after > base {
				if after = settle(t); after > base {
					t.Errorf("active memory %d after the case, baseline %d", after, base)
				}
			}
		})
	}
	cats := make([]string, 0, len(counts))
	total := 0
	for cat, n := range counts {
		cats = append(cats, cat)
		total += n
	}
	sort.Strings(cats)
	var b strings.Builder
	fmt.Fprintf(&b, "bad-input catalogue: %d cases run (%d skipped), by category:\n", total, skipped)
	for _, cat := range cats {
		fmt.Fprintf(&b, "  %-22s %3d\n", cat, counts[cat])
	}
	t.Log(b.String())
}

func checkCaseError(t *testing.T, err error, c badCase) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want mlx: %s: ...%s...", c.op, c.msg)
	}
	var e *mlx.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *mlx.Error", err, err)
	}
	if e.Op != c.op {
		t.Errorf("Op = %q, want %q (error: %v)", e.Op, c.op, err)
	}
	if prefix := "mlx: " + c.op + ": "; !strings.HasPrefix(err.Error(), prefix) {
		t.Errorf("error %q does not start with %q", err, prefix)
	}
	if !strings.Contains(e.Msg, c.msg) {
		t.Errorf("message %q does not say %q", e.Msg, c.msg)
	}
	if strings.TrimSpace(e.Msg) == "" {
		t.Errorf("empty message")
	}
	if strings.Contains(e.Msg, " at /") {
		t.Errorf("message keeps mlx-c's source location: %q", e.Msg)
	}
	if c.sentinel != nil && !errors.Is(err, c.sentinel) {
		t.Errorf("error %v does not wrap %v", err, c.sentinel)
	}
}
