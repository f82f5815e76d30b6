package mlx_test

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/mlx-go/mlx"
)

// Expected values in this file are worked out by hand from MLX's documented
// behaviour (Python's mx.array and its printer, numpy-style broadcasting and
// type promotion), never copied from this package's output.

// checkArray fails t unless a carries no error and has the given dtype, shape
// and elements (NaNs compare equal).
func checkArray[T mlx.Element](t *testing.T, a *mlx.Array, dtype mlx.Dtype, shape []int, want []T) {
	t.Helper()
	if err := a.Err(); err != nil {
		t.Fatalf("array carries error: %v", err)
	}
	if got := a.Dtype(); got != dtype {
		t.Errorf("Dtype() = %v, want %v", got, dtype)
	}
	if diff := cmp.Diff(shape, a.Shape()); diff != "" {
		t.Errorf("Shape() mismatch (-want +got):\n%s", diff)
	}
	got, err := mlx.Data[T](a)
	if err != nil {
		t.Fatalf("Data[%T]: %v", *new(T), err)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("Data[%T] mismatch (-want +got):\n%s", *new(T), diff)
	}
}

// checkError fails t unless err is an *mlx.Error for op with message msg,
// reading "mlx: <op>: <msg>", that wraps sentinel (nil: wraps nothing, as
// for errors MLX itself raises).
func checkError(t *testing.T, err error, op, msg string, sentinel error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want mlx: %s: %s", op, msg)
	}
	var e *mlx.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %q is a %T, not an *mlx.Error", err, err)
	}
	if e.Op != op {
		t.Errorf("Op = %q, want %q (error %q)", e.Op, op, err)
	}
	if e.Msg != msg {
		t.Errorf("Msg = %q,\nwant  %q", e.Msg, msg)
	}
	if got, want := err.Error(), "mlx: "+op+": "+msg; got != want {
		t.Errorf("Error() = %q,\nwant      %q", got, want)
	}
	if sentinel == nil {
		if u := errors.Unwrap(err); u != nil {
			t.Errorf("error wraps %v, want nothing", u)
		}
	} else if !errors.Is(err, sentinel) {
		t.Errorf("errors.Is(%q, %v) = false, want true", err, sentinel)
	}
}

// roundTrip returns a test that makes an array from data with FromSlice and
// checks everything that can be read back, including its printed form.
func roundTrip[T mlx.Element](data []T, shape []int, dtype mlx.Dtype, printed string) func(*testing.T) {
	return func(t *testing.T) {
		a := mlx.FromSlice(data, shape...)
		defer a.Free()
		wantShape := shape
		if wantShape == nil {
			wantShape = []int{len(data)}
		}
		checkArray(t, a, dtype, wantShape, data)
		if got := a.Ndim(); got != len(wantShape) {
			t.Errorf("Ndim() = %d, want %d", got, len(wantShape))
		}
		if got := a.Size(); got != len(data) {
			t.Errorf("Size() = %d, want %d", got, len(data))
		}
		if got := a.Dtype().Size(); got != dtypeSizes[dtype] {
			t.Errorf("Dtype().Size() = %d, want %d", got, dtypeSizes[dtype])
		}
		if got := a.String(); got != printed {
			t.Errorf("String() =\n%s\nwant\n%s", got, printed)
		}
	}
}

var dtypeSizes = map[mlx.Dtype]int{
	mlx.Bool: 1, mlx.Uint8: 1, mlx.Uint16: 2, mlx.Uint32: 4, mlx.Uint64: 8,
	mlx.Int8: 1, mlx.Int16: 2, mlx.Int32: 4, mlx.Int64: 8,
	mlx.Float16: 2, mlx.BFloat16: 2, mlx.Float32: 4, mlx.Float64: 8, mlx.Complex64: 8,
}

func TestFromSliceEveryDtype(t *testing.T) {
	f16 := func(fs ...float32) []mlx.F16 {
		out := make([]mlx.F16, len(fs))
		for i, f := range fs {
			out[i] = mlx.NewF16(f)
		}
		return out
	}
	bf16 := func(fs ...float32) []mlx.BF16 {
		out := make([]mlx.BF16, len(fs))
		for i, f := range fs {
			out[i] = mlx.NewBF16(f)
		}
		return out
	}
	tests := []struct {
		name string
		run  func(*testing.T)
	}{
		{"bool", roundTrip([]bool{true, false, true}, nil, mlx.Bool,
			"array([True, False, True], dtype=bool)")},
		{"bool/2x2", roundTrip([]bool{true, false, false, true}, []int{2, 2}, mlx.Bool,
			"array([[True, False],\n       [False, True]], dtype=bool)")},
		{"uint8", roundTrip([]uint8{0, 1, 255}, nil, mlx.Uint8,
			"array([0, 1, 255], dtype=uint8)")},
		{"uint16", roundTrip([]uint16{0, 7, math.MaxUint16}, nil, mlx.Uint16,
			"array([0, 7, 65535], dtype=uint16)")},
		{"uint32", roundTrip([]uint32{0, 7, math.MaxUint32}, nil, mlx.Uint32,
			"array([0, 7, 4294967295], dtype=uint32)")},
		{"uint64", roundTrip([]uint64{0, 7, math.MaxUint64}, nil, mlx.Uint64,
			"array([0, 7, 18446744073709551615], dtype=uint64)")},
		{"int8", roundTrip([]int8{math.MinInt8, -1, 0, math.MaxInt8}, nil, mlx.Int8,
			"array([-128, -1, 0, 127], dtype=int8)")},
		{"int16", roundTrip([]int16{math.MinInt16, -1, math.MaxInt16}, nil, mlx.Int16,
			"array([-32768, -1, 32767], dtype=int16)")},
		{"int32", roundTrip([]int32{math.MinInt32, -1, math.MaxInt32}, nil, mlx.Int32,
			"array([-2147483648, -1, 2147483647], dtype=int32)")},
		{"int64", roundTrip([]int64{math.MinInt64, -1, math.MaxInt64}, nil, mlx.Int64,
			"array([-9223372036854775808, -1, 9223372036854775807], dtype=int64)")},
		// 0.1 is 0x2e66 = 0.0999755859375 in float16 and 0x3dcd =
		// 0.10009765625 in bfloat16; MLX prints 6 significant digits.
		{"float16", roundTrip(f16(1, -2.5, 0.1), nil, mlx.Float16,
			"array([1, -2.5, 0.0999756], dtype=float16)")},
		{"bfloat16", roundTrip(bf16(1, -2.5, 0.1), nil, mlx.BFloat16,
			"array([1, -2.5, 0.100098], dtype=bfloat16)")},
		{"float32", roundTrip([]float32{1, -2.5, 0.1}, nil, mlx.Float32,
			"array([1, -2.5, 0.1], dtype=float32)")},
		{"float64", roundTrip([]float64{1, -2.5, 0.1 + 0.2}, nil, mlx.Float64,
			"array([1, -2.5, 0.3], dtype=float64)")},
		{"complex64", roundTrip([]complex64{1 + 2i, 3 - 4i, -0.5}, nil, mlx.Complex64,
			"array([1+2j, 3-4j, -0.5+0j], dtype=complex64)")},
		{"float32/2x3", roundTrip([]float32{0.5, 1, 1.5, 2, 2.5, 3}, []int{2, 3}, mlx.Float32,
			"array([[0.5, 1, 1.5],\n       [2, 2.5, 3]], dtype=float32)")},
		{"int64/3x1", roundTrip([]int64{1, 2, 3}, []int{3, 1}, mlx.Int64,
			"array([[1],\n       [2],\n       [3]], dtype=int64)")},
		{"float32/empty", roundTrip([]float32{}, nil, mlx.Float32,
			"array([], dtype=float32)")},
		{"int32/0x3", roundTrip([]int32{}, []int{0, 3}, mlx.Int32,
			"array([], dtype=int32)")},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

// scalarCase returns a test that makes a 0-d array from v and reads it back.
func scalarCase[T mlx.Element](v T, dtype mlx.Dtype, printed string) func(*testing.T) {
	return func(t *testing.T) {
		a := mlx.Scalar(v)
		defer a.Free()
		if err := a.Err(); err != nil {
			t.Fatal(err)
		}
		if got := a.Dtype(); got != dtype {
			t.Errorf("Dtype() = %v, want %v", got, dtype)
		}
		if a.Ndim() != 0 || a.Size() != 1 || a.Shape() != nil {
			t.Errorf("Ndim, Size, Shape = %d, %d, %v; want 0, 1, []", a.Ndim(), a.Size(), a.Shape())
		}
		got, err := mlx.Item[T](a)
		if err != nil {
			t.Fatalf("Item: %v", err)
		}
		if got != v {
			t.Errorf("Item() = %v, want %v", got, v)
		}
		if s := a.String(); s != printed {
			t.Errorf("String() = %q, want %q", s, printed)
		}
	}
}

func TestScalar(t *testing.T) {
	tests := []struct {
		name string
		run  func(*testing.T)
	}{
		{"bool/true", scalarCase(true, mlx.Bool, "array(True, dtype=bool)")},
		{"bool/false", scalarCase(false, mlx.Bool, "array(False, dtype=bool)")},
		{"uint8", scalarCase(uint8(200), mlx.Uint8, "array(200, dtype=uint8)")},
		{"uint16", scalarCase(uint16(60000), mlx.Uint16, "array(60000, dtype=uint16)")},
		{"uint32", scalarCase(uint32(4000000000), mlx.Uint32, "array(4000000000, dtype=uint32)")},
		{"uint64", scalarCase(uint64(1)<<63, mlx.Uint64, "array(9223372036854775808, dtype=uint64)")},
		{"int8", scalarCase(int8(-5), mlx.Int8, "array(-5, dtype=int8)")},
		{"int16", scalarCase(int16(-300), mlx.Int16, "array(-300, dtype=int16)")},
		{"int32", scalarCase(int32(-70000), mlx.Int32, "array(-70000, dtype=int32)")},
		{"int64", scalarCase(int64(-1)<<40, mlx.Int64, "array(-1099511627776, dtype=int64)")},
		{"int", scalarCase(7, mlx.Int32, "array(7, dtype=int32)")},
		{"float16", scalarCase(mlx.NewF16(-0.75), mlx.Float16, "array(-0.75, dtype=float16)")},
		{"bfloat16", scalarCase(mlx.NewBF16(256), mlx.BFloat16, "array(256, dtype=bfloat16)")},
		{"float32", scalarCase(float32(3.5), mlx.Float32, "array(3.5, dtype=float32)")},
		{"float32/neg-zero", scalarCase(float32(math.Copysign(0, -1)), mlx.Float32, "array(-0, dtype=float32)")},
		{"float64", scalarCase(-1.25e-3, mlx.Float64, "array(-0.00125, dtype=float64)")},
		{"complex64", scalarCase(complex64(1-1i), mlx.Complex64, "array(1-1j, dtype=complex64)")},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

func TestFromSliceInt(t *testing.T) {
	a := mlx.FromSlice([]int{math.MinInt32, -1, 0, 1, math.MaxInt32}, 5)
	defer a.Free()
	checkArray(t, a, mlx.Int32, []int{5}, []int32{math.MinInt32, -1, 0, 1, math.MaxInt32})
	checkArray(t, a, mlx.Int32, []int{5}, []int{math.MinInt32, -1, 0, 1, math.MaxInt32})
	if got, want := mlx.DtypeOf[int](), mlx.Int32; got != want {
		t.Errorf("DtypeOf[int]() = %v, want %v", got, want)
	}
}

func TestFromSliceIntOutOfRange(t *testing.T) {
	if strconv.IntSize == 32 {
		t.Skip("every int fits in int32 on this platform")
	}
	big := int64(math.MaxInt32) + 1
	small := int64(math.MinInt32) - 1
	tests := []struct {
		name string
		data []int
		msg  string
	}{
		{"above", []int{1, int(big)}, "value 2147483648 at index 1 does not fit in int32: use []int64"},
		{"below", []int{int(small), 0, 0}, "value -2147483649 at index 0 does not fit in int32: use []int64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := mlx.FromSlice(tt.data)
			checkError(t, a.Err(), "array", tt.msg, mlx.ErrInvalidArgument)
			if _, err := mlx.Data[int](a); err != a.Err() {
				t.Errorf("Data returned %v, want the array's error", err)
			}
		})
	}
}

func TestFromSliceShapeErrors(t *testing.T) {
	tests := []struct {
		name  string
		data  []float32
		shape []int
		msg   string
	}{
		{"too few", []float32{1, 2, 3}, []int{2, 2}, "shape [2 2] needs 4 elements, data has 3"},
		{"too many", []float32{1, 2, 3}, []int{2}, "shape [2] needs 2 elements, data has 3"},
		{"scalar from two", []float32{1, 2}, []int{}, "shape [] needs 1 elements, data has 2"},
		{"negative", []float32{1, 2}, []int{-2, -1}, "invalid shape [-2 -1]: dimensions must be in [0, 2^31)"},
		{"too wide", nil, []int{1 << 31}, "invalid shape [2147483648]: dimensions must be in [0, 2^31)"},
		{"too large", nil, []int{1 << 20, 1 << 20, 1 << 20}, "shape [1048576 1048576 1048576] is too large"},
		// 34724 * 247385 * 2147418113 = 2^64 + 4: a product that wraps
		// around int64 to the length of the data must not pass.
		{"wraps to len", []float32{1, 2, 3, 4}, []int{34724, 247385, 2147418113},
			"shape [34724 247385 2147418113] is too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := mlx.FromSlice(tt.data, tt.shape...)
			checkError(t, a.Err(), "array", tt.msg, mlx.ErrInvalidArgument)
		})
	}
}

func TestDataDtypeMismatch(t *testing.T) {
	a := mlx.FromSlice([]int32{1, 2})
	defer a.Free()
	_, err := mlx.Data[float32](a)
	checkError(t, err, "data", "array has dtype int32, cannot read it as float32 (float32): convert it with AsType first", mlx.ErrInvalidArgument)
	_, err = mlx.Item[int64](mlx.Scalar[int32](1))
	checkError(t, err, "data", "array has dtype int32, cannot read it as int64 (int64): convert it with AsType first", mlx.ErrInvalidArgument)
	_, err = mlx.Data[uint16](mlx.FromSlice([]mlx.F16{1}))
	checkError(t, err, "data", "array has dtype float16, cannot read it as uint16 (uint16): convert it with AsType first", mlx.ErrInvalidArgument)
}

func TestDataIntReadsInt64(t *testing.T) {
	a := mlx.FromSlice([]int64{-1 << 40, 5, 1 << 40})
	defer a.Free()
	if strconv.IntSize == 64 {
		checkArray(t, a, mlx.Int64, []int{3}, []int{-1 << 40, 5, 1 << 40})
	}
	v, err := mlx.Item[int](mlx.Scalar(int64(-9)))
	if err != nil || v != -9 {
		t.Errorf("Item[int](int64 -9) = %v, %v; want -9, nil", v, err)
	}
}

func TestItemNeedsOneElement(t *testing.T) {
	tests := []struct {
		name string
		a    *mlx.Array
		msg  string
	}{
		{"three", mlx.FromSlice([]float32{1, 2, 3}), "array of shape [3] has 3 elements, item needs exactly 1"},
		{"empty", mlx.FromSlice([]float32{}), "array of shape [0] has 0 elements, item needs exactly 1"},
		{"2x2", mlx.Zeros([]int{2, 2}, mlx.Float32), "array of shape [2 2] has 4 elements, item needs exactly 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mlx.Item[float32](tt.a)
			checkError(t, err, "item", tt.msg, mlx.ErrInvalidArgument)
		})
	}
	// One element of any shape is an item.
	v, err := mlx.Item[float32](mlx.FromSlice([]float32{2.5}, 1, 1, 1))
	if err != nil || v != 2.5 {
		t.Errorf("Item of a [1 1 1] array = %v, %v; want 2.5, nil", v, err)
	}
}

func TestString(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	tests := []struct {
		name string
		a    *mlx.Array
		want string
	}{
		{"int32", mlx.FromSlice([]int{2, 3, 4}), "array([2, 3, 4], dtype=int32)"},
		{"2-D", mlx.FromSlice([]int{1, 2, 3, 4}, 2, 2), "array([[1, 2],\n       [3, 4]], dtype=int32)"},
		{"3-D", mlx.FromSlice([]int{0, 1, 2, 3, 4, 5, 6, 7}, 2, 2, 2),
			"array([[[0, 1],\n        [2, 3]],\n       [[4, 5],\n        [6, 7]]], dtype=int32)"},
		{"float", mlx.FromSlice([]float32{1, 2.5, -0.125}), "array([1, 2.5, -0.125], dtype=float32)"},
		// C++ stream defaults: 6 significant digits, %g style.
		{"float digits", mlx.FromSlice([]float32{1.0 / 3, 1234567, 1e-7, 100000}),
			"array([0.333333, 1.23457e+06, 1e-07, 100000], dtype=float32)"},
		{"float specials", mlx.FromSlice([]float32{nan, inf, -inf}), "array([nan, inf, -inf], dtype=float32)"},
		{"bool", mlx.FromSlice([]bool{false, true}), "array([False, True], dtype=bool)"},
		{"bool scalar", mlx.Scalar(true), "array(True, dtype=bool)"},
		{"float scalar", mlx.Scalar[float32](3.5), "array(3.5, dtype=float32)"},
		{"complex", mlx.FromSlice([]complex64{1 + 2i, -3 - 0.5i}), "array([1+2j, -3-0.5j], dtype=complex64)"},
		{"long", mlx.Arange(0, 10, 1, mlx.Int32), "array([0, 1, 2, ..., 7, 8, 9], dtype=int32)"},
		{"long rows", mlx.Reshape(mlx.Arange(0, 14, 1, mlx.Int32), 7, 2),
			"array([[0, 1],\n       [2, 3],\n       [4, 5],\n       ...,\n       [8, 9],\n       [10, 11],\n       [12, 13]], dtype=int32)"},
		{"six is not long", mlx.Arange(0, 6, 1, mlx.Int32), "array([0, 1, 2, 3, 4, 5], dtype=int32)"},
		{"sum", mlx.Sum(mlx.FromSlice([]int{1, 2, 3, 4}), false), "array(10, dtype=int32)"},
		{"lazy result", mlx.Add(mlx.FromSlice([]float32{1, 2}), mlx.Scalar[float32](0.5)), "array([1.5, 2.5], dtype=float32)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.String(); got != tt.want {
				t.Errorf("String() =\n%s\nwant\n%s", got, tt.want)
			}
			if got := fmt.Sprint(tt.a); got != tt.want {
				t.Errorf("fmt.Sprint =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestStringOfErrorArrays(t *testing.T) {
	freed := mlx.FromSlice([]int{1})
	freed.Free()
	tests := []struct {
		name string
		a    *mlx.Array
		want string
	}{
		{"nil", nil, "array(error: mlx: eval: nil array)"},
		{"freed", freed, "array(error: mlx: eval: array used after Free)"},
		{"failed op", mlx.Reshape(mlx.FromSlice([]int{1, 2, 3}), 2),
			"array(error: mlx: reshape: [reshape] Cannot reshape array of size 3 into shape (2).)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDataOfViewsAndBroadcasts(t *testing.T) {
	// Results that share or broadcast their inputs' memory must still read
	// back in row-major order.
	t.Run("reshape", func(t *testing.T) {
		x := mlx.FromSlice([]int32{1, 2, 3, 4, 5, 6})
		r := mlx.Reshape(x, 3, 2)
		checkArray(t, r, mlx.Int32, []int{3, 2}, []int32{1, 2, 3, 4, 5, 6})
		if got, want := r.String(), "array([[1, 2],\n       [3, 4],\n       [5, 6]], dtype=int32)"; got != want {
			t.Errorf("String() =\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("scalar times ones", func(t *testing.T) {
		m := mlx.Multiply(mlx.Ones([]int{2, 3}, mlx.Float32), mlx.Scalar[float32](2))
		checkArray(t, m, mlx.Float32, []int{2, 3}, []float32{2, 2, 2, 2, 2, 2})
		checkArray(t, mlx.Reshape(m, 3, 2), mlx.Float32, []int{3, 2}, []float32{2, 2, 2, 2, 2, 2})
	})
	t.Run("column plus row", func(t *testing.T) {
		col := mlx.FromSlice([]int32{10, 20}, 2, 1)
		row := mlx.FromSlice([]int32{1, 2, 3}, 1, 3)
		checkArray(t, mlx.Add(col, row), mlx.Int32, []int{2, 3}, []int32{11, 12, 13, 21, 22, 23})
		checkArray(t, mlx.Multiply(mlx.Reshape(mlx.Add(col, row), 3, 2), mlx.Scalar[int32](-1)),
			mlx.Int32, []int{3, 2}, []int32{-11, -12, -13, -21, -22, -23})
	})
	t.Run("zeros", func(t *testing.T) {
		checkArray(t, mlx.Zeros([]int{2, 2}, mlx.Int16), mlx.Int16, []int{2, 2}, []int16{0, 0, 0, 0})
	})
}

// TestDataNonContiguous reads arrays whose elements are not stored in
// row-major order (transposed and broadcast views, and results computed
// from them), which Data must first copy.
func TestDataNonContiguous(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	x := mlx.FromSlice([]int32{1, 2, 3, 4, 5, 6}, 2, 3)
	defer x.Free()
	t.Run("transpose", func(t *testing.T) {
		tr := mlx.Transpose(x)
		checkArray(t, tr, mlx.Int32, []int{3, 2}, []int32{1, 4, 2, 5, 3, 6})
		if got, want := tr.String(), "array([[1, 4],\n       [2, 5],\n       [3, 6]], dtype=int32)"; got != want {
			t.Errorf("String() =\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("transpose times broadcast scalar", func(t *testing.T) {
		// An elementwise op on a column-major input keeps its layout.
		m := mlx.Multiply(mlx.Transpose(x), mlx.Scalar[int32](10))
		checkArray(t, m, mlx.Int32, []int{3, 2}, []int32{10, 40, 20, 50, 30, 60})
		checkArray(t, mlx.Reshape(m, 6), mlx.Int32, []int{6}, []int32{10, 40, 20, 50, 30, 60})
	})
	t.Run("broadcast", func(t *testing.T) {
		b := mlx.BroadcastTo(mlx.FromSlice([]float32{1, 2, 3}), 2, 3)
		checkArray(t, b, mlx.Float32, []int{2, 3}, []float32{1, 2, 3, 1, 2, 3})
		col := mlx.BroadcastTo(mlx.FromSlice([]float32{7, 8}, 2, 1), 2, 3)
		checkArray(t, col, mlx.Float32, []int{2, 3}, []float32{7, 7, 7, 8, 8, 8})
	})
	t.Run("3-D axes", func(t *testing.T) {
		// a[i][j][k] = 12i + 4j + k; Transpose(a, 1, 0, 2)[j][i][k] = a[i][j][k].
		a := mlx.Reshape(mlx.Arange(0, 24, 1, mlx.Int32), 2, 3, 4)
		want := make([]int32, 0, 24)
		for j := 0; j < 3; j++ {
			for i := 0; i < 2; i++ {
				for k := 0; k < 4; k++ {
					want = append(want, int32(12*i+4*j+k))
				}
			}
		}
		checkArray(t, mlx.Transpose(a, 1, 0, 2), mlx.Int32, []int{3, 2, 4}, want)
	})
	t.Run("every element size", func(t *testing.T) {
		checkArray(t, mlx.Transpose(mlx.FromSlice([]bool{false, true, false, false}, 2, 2)),
			mlx.Bool, []int{2, 2}, []bool{false, false, true, false})
		checkArray(t, mlx.Transpose(mlx.FromSlice([]mlx.F16{0x3c00, 0x4000, 0x4200, 0x4400}, 2, 2)),
			mlx.Float16, []int{2, 2}, []mlx.F16{0x3c00, 0x4200, 0x4000, 0x4400})
		checkArray(t, mlx.Transpose(mlx.FromSlice([]float64{1, 2, 3, 4}, 2, 2)),
			mlx.Float64, []int{2, 2}, []float64{1, 3, 2, 4})
		checkArray(t, mlx.Transpose(mlx.FromSlice([]complex64{1i, 2, 3, 4i}, 2, 2)),
			mlx.Complex64, []int{2, 2}, []complex64{1i, 3, 2, 4i})
		checkArray(t, mlx.Transpose(mlx.FromSlice([]int64{-1, 2, -3, 4}, 2, 2)),
			mlx.Int64, []int{2, 2}, []int64{-1, -3, 2, 4})
	})
}

func TestOps(t *testing.T) {
	i32 := func(v ...int32) *mlx.Array { return mlx.FromSlice(v) }
	f32 := func(v ...float32) *mlx.Array { return mlx.FromSlice(v) }
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	type result struct {
		dtype mlx.Dtype
		shape []int
		f32   []float32
		i32   []int32
	}
	tests := []struct {
		name string
		got  *mlx.Array
		want result
	}{
		{"add", mlx.Add(i32(1, 2, 3), i32(10, 20, 30)), result{mlx.Int32, []int{3}, nil, []int32{11, 22, 33}}},
		{"add broadcast", mlx.Add(mlx.FromSlice([]int32{1, 2}, 2, 1), i32(10, 20, 30)),
			result{mlx.Int32, []int{2, 3}, nil, []int32{11, 21, 31, 12, 22, 32}}},
		{"add promotes", mlx.Add(i32(1, 2), f32(0.5, 0.25)), result{mlx.Float32, []int{2}, []float32{1.5, 2.25}, nil}},
		{"subtract", mlx.Subtract(f32(1.5, 2), f32(0.5, 4)), result{mlx.Float32, []int{2}, []float32{1, -2}, nil}},
		{"multiply", mlx.Multiply(i32(1, 2, 3), mlx.Scalar[int32](2)), result{mlx.Int32, []int{3}, nil, []int32{2, 4, 6}}},
		{"divide ints gives float", mlx.Divide(i32(1, 2, 3), i32(2, 2, 2)), result{mlx.Float32, []int{3}, []float32{0.5, 1, 1.5}, nil}},
		{"divide by zero", mlx.Divide(f32(1, -1, 0), f32(0, 0, 0)), result{mlx.Float32, []int{3}, []float32{inf, -inf, nan}, nil}},
		{"matmul", mlx.Matmul(mlx.FromSlice([]float32{1, 2, 3, 4}, 2, 2), mlx.FromSlice([]float32{5, 6, 7, 8}, 2, 2)),
			result{mlx.Float32, []int{2, 2}, []float32{19, 22, 43, 50}, nil}},
		{"matmul vector", mlx.Matmul(mlx.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3), f32(1, 0, -1)),
			result{mlx.Float32, []int{2}, []float32{-2, -2}, nil}},
		{"reshape", mlx.Reshape(i32(0, 1, 2, 3, 4, 5), 2, 3), result{mlx.Int32, []int{2, 3}, nil, []int32{0, 1, 2, 3, 4, 5}}},
		{"reshape infer", mlx.Reshape(i32(0, 1, 2, 3, 4, 5), 3, -1), result{mlx.Int32, []int{3, 2}, nil, []int32{0, 1, 2, 3, 4, 5}}},
		{"reshape to scalar", mlx.Reshape(i32(7)), result{mlx.Int32, nil, nil, []int32{7}}},
		{"sum", mlx.Sum(mlx.FromSlice([]int32{1, 2, 3, 4}, 2, 2), false), result{mlx.Int32, nil, nil, []int32{10}}},
		{"sum keepdims", mlx.Sum(mlx.FromSlice([]int32{1, 2, 3, 4}, 2, 2), true), result{mlx.Int32, []int{1, 1}, nil, []int32{10}}},
		{"sum float", mlx.Sum(f32(0.5, 0.25, 0.125), false), result{mlx.Float32, nil, []float32{0.875}, nil}},
		{"astype truncates", mlx.AsType(f32(1.7, -1.7, 2.5), mlx.Int32), result{mlx.Int32, []int{3}, nil, []int32{1, -1, 2}}},
		{"astype to float", mlx.AsType(i32(-3, 4), mlx.Float32), result{mlx.Float32, []int{2}, []float32{-3, 4}, nil}},
		{"arange", mlx.Arange(0, 5, 1, mlx.Int32), result{mlx.Int32, []int{5}, nil, []int32{0, 1, 2, 3, 4}}},
		{"arange fractional", mlx.Arange(0, 1, 0.25, mlx.Float32), result{mlx.Float32, []int{4}, []float32{0, 0.25, 0.5, 0.75}, nil}},
		{"arange down", mlx.Arange(5, 0, -2, mlx.Int32), result{mlx.Int32, []int{3}, nil, []int32{5, 3, 1}}},
		{"arange empty", mlx.Arange(3, 3, 1, mlx.Int32), result{mlx.Int32, []int{0}, nil, []int32{}}},
		{"zeros", mlx.Zeros([]int{2, 3}, mlx.Float32), result{mlx.Float32, []int{2, 3}, []float32{0, 0, 0, 0, 0, 0}, nil}},
		{"ones", mlx.Ones([]int{3}, mlx.Int32), result{mlx.Int32, []int{3}, nil, []int32{1, 1, 1}}},
		{"ones scalar", mlx.Ones(nil, mlx.Float32), result{mlx.Float32, nil, []float32{1}, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer tt.got.Free()
			if tt.want.dtype == mlx.Float32 {
				checkArray(t, tt.got, tt.want.dtype, tt.want.shape, tt.want.f32)
			} else {
				checkArray(t, tt.got, tt.want.dtype, tt.want.shape, tt.want.i32)
			}
		})
	}
}

func TestAsTypeEveryDtype(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	// [0, 1, 2] survives a trip through every dtype but bool.
	src := mlx.FromSlice([]float32{0, 1, 2})
	defer src.Free()
	for _, d := range []mlx.Dtype{mlx.Uint8, mlx.Uint16, mlx.Uint32, mlx.Uint64, mlx.Int8, mlx.Int16,
		mlx.Int32, mlx.Int64, mlx.Float16, mlx.BFloat16, mlx.Float32, mlx.Float64, mlx.Complex64} {
		t.Run(d.String(), func(t *testing.T) {
			c := mlx.AsType(src, d)
			if got := c.Dtype(); got != d {
				t.Errorf("Dtype() = %v, want %v", got, d)
			}
			back := mlx.AsType(c, mlx.Float32)
			checkArray(t, back, mlx.Float32, []int{3}, []float32{0, 1, 2})
		})
	}
	t.Run("bool", func(t *testing.T) {
		checkArray(t, mlx.AsType(mlx.FromSlice([]int32{0, 2, -1}), mlx.Bool), mlx.Bool, []int{3}, []bool{false, true, true})
	})
}

func TestDtypeString(t *testing.T) {
	tests := []struct {
		d    mlx.Dtype
		want string
	}{
		{mlx.Bool, "bool"}, {mlx.Uint8, "uint8"}, {mlx.Uint16, "uint16"}, {mlx.Uint32, "uint32"},
		{mlx.Uint64, "uint64"}, {mlx.Int8, "int8"}, {mlx.Int16, "int16"}, {mlx.Int32, "int32"},
		{mlx.Int64, "int64"}, {mlx.Float16, "float16"}, {mlx.Float32, "float32"}, {mlx.Float64, "float64"},
		{mlx.BFloat16, "bfloat16"}, {mlx.Complex64, "complex64"}, {mlx.Dtype(99), "Dtype(99)"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("Dtype(%d).String() = %q, want %q", int(tt.d), got, tt.want)
		}
	}
	if got := mlx.Dtype(99).Size(); got != 0 {
		t.Errorf("Dtype(99).Size() = %d, want 0", got)
	}
}

func TestF16(t *testing.T) {
	// Bit patterns worked out by hand from IEEE 754 binary16.
	tests := []struct {
		name string
		in   float32
		bits mlx.F16
		back float32 // the value the bits stand for
	}{
		{"one", 1, 0x3c00, 1},
		{"half", 0.5, 0x3800, 0.5},
		{"minus two", -2, 0xc000, -2},
		{"zero", 0, 0x0000, 0},
		{"minus zero", float32(math.Copysign(0, -1)), 0x8000, float32(math.Copysign(0, -1))},
		{"tenth", 0.1, 0x2e66, 0.0999755859375},
		{"max", 65504, 0x7bff, 65504},
		{"just below overflow", 65519, 0x7bff, 65504},
		{"tie to even at max rounds to inf", 65520, 0x7c00, float32(math.Inf(1))},
		{"overflow", 1e6, 0x7c00, float32(math.Inf(1))},
		{"inf", float32(math.Inf(1)), 0x7c00, float32(math.Inf(1))},
		{"minus inf", float32(math.Inf(-1)), 0xfc00, float32(math.Inf(-1))},
		{"1+2^-11 ties to even (down)", 1 + 1.0/2048, 0x3c00, 1},
		{"1+3*2^-11 ties to even (up)", 1 + 3.0/2048, 0x3c02, 1 + 2.0/1024},
		{"1+2^-11+2^-20 rounds up", 1 + 1.0/2048 + 1.0/(1<<20), 0x3c01, 1 + 1.0/1024},
		{"smallest normal", 1.0 / (1 << 14), 0x0400, 1.0 / (1 << 14)},
		{"largest subnormal", 1023.0 / (1 << 24), 0x03ff, 1023.0 / (1 << 24)},
		{"smallest subnormal", 1.0 / (1 << 24), 0x0001, 1.0 / (1 << 24)},
		{"half the smallest ties to zero", 1.0 / (1 << 25), 0x0000, 0},
		{"0.75 of smallest rounds up", 0.75 / (1 << 24), 0x0001, 1.0 / (1 << 24)},
		{"1.5 of smallest ties to even (up)", 1.5 / (1 << 24), 0x0002, 2.0 / (1 << 24)},
		{"minus subnormal", -3.0 / (1 << 24), 0x8003, -3.0 / (1 << 24)},
		{"underflow", 1e-10, 0x0000, 0},
		{"subnormal rounds into normal", 1023.75 / (1 << 24), 0x0400, 1.0 / (1 << 14)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := mlx.NewF16(tt.in)
			if h != tt.bits {
				t.Errorf("NewF16(%g) = %#04x, want %#04x", tt.in, uint16(h), uint16(tt.bits))
			}
			if got := h.Float32(); math.Float32bits(got) != math.Float32bits(tt.back) {
				t.Errorf("F16(%#04x).Float32() = %g, want %g", uint16(h), got, tt.back)
			}
		})
	}
	t.Run("nan", func(t *testing.T) {
		h := mlx.NewF16(float32(math.NaN()))
		if h&0x7c00 != 0x7c00 || h&0x3ff == 0 {
			t.Errorf("NewF16(NaN) = %#04x, not a NaN", uint16(h))
		}
		for _, bits := range []mlx.F16{0x7e00, 0x7c01, 0xfe00} {
			if f := bits.Float32(); !math.IsNaN(float64(f)) {
				t.Errorf("F16(%#04x).Float32() = %g, want NaN", uint16(bits), f)
			}
		}
	})
	t.Run("every finite value round trips", func(t *testing.T) {
		for b := 0; b < 1<<16; b++ {
			h := mlx.F16(b)
			if h&0x7c00 == 0x7c00 {
				continue // inf, nan
			}
			if got := mlx.NewF16(h.Float32()); got != h {
				t.Fatalf("NewF16(F16(%#04x).Float32()) = %#04x", b, uint16(got))
			}
		}
	})
}

func TestBF16(t *testing.T) {
	tests := []struct {
		name string
		in   float32
		bits mlx.BF16
		back float32
	}{
		{"one", 1, 0x3f80, 1},
		{"three", 3, 0x4040, 3},
		{"minus two", -2, 0xc000, -2},
		{"tenth", 0.1, 0x3dcd, 0.10009765625},
		{"1+2^-8 ties to even (down)", 1 + 1.0/256, 0x3f80, 1},
		{"1+3*2^-8 ties to even (up)", 1 + 3.0/256, 0x3f82, 1 + 2.0/128},
		{"max float32 rounds to inf", math.MaxFloat32, 0x7f80, float32(math.Inf(1))},
		{"inf", float32(math.Inf(1)), 0x7f80, float32(math.Inf(1))},
		{"minus inf", float32(math.Inf(-1)), 0xff80, float32(math.Inf(-1))},
		{"subnormal", math.Float32frombits(0x00010000), 0x0001, math.Float32frombits(0x00010000)},
		{"tiny subnormal ties to zero", math.Float32frombits(0x00008000), 0x0000, 0},
		{"minus zero", float32(math.Copysign(0, -1)), 0x8000, float32(math.Copysign(0, -1))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mlx.NewBF16(tt.in)
			if b != tt.bits {
				t.Errorf("NewBF16(%g) = %#04x, want %#04x", tt.in, uint16(b), uint16(tt.bits))
			}
			if got := b.Float32(); math.Float32bits(got) != math.Float32bits(tt.back) {
				t.Errorf("BF16(%#04x).Float32() = %g, want %g", uint16(b), got, tt.back)
			}
		})
	}
	t.Run("nan", func(t *testing.T) {
		// A NaN whose payload sits only in the low 16 bits must stay a NaN.
		for _, f := range []float32{float32(math.NaN()), math.Float32frombits(0x7f800001), math.Float32frombits(0xff800001)} {
			b := mlx.NewBF16(f)
			if !math.IsNaN(float64(b.Float32())) {
				t.Errorf("NewBF16(%#08x) = %#04x, not a NaN", math.Float32bits(f), uint16(b))
			}
		}
	})
}

// TestHalfConversionsAgreeWithMLX converts the same float32 values with
// NewF16/NewBF16 and with MLX's astype, in both directions.
func TestHalfConversionsAgreeWithMLX(t *testing.T) {
	in := []float32{0, 1, -2.5, 0.1, 1 + 1.0/2048, 1 + 3.0/2048, 65504, 65519, 65520, 1e6,
		1.0 / (1 << 24), 1.0 / (1 << 25), 1.5 / (1 << 24), 1023.0 / (1 << 24), 1e-10,
		float32(math.Inf(1)), float32(math.Inf(-1)), 1 + 1.0/256, 1 + 3.0/256, 3.14159, -1e-3}
	src := mlx.FromSlice(in)
	defer src.Free()

	wantF16 := make([]mlx.F16, len(in))
	wantBF16 := make([]mlx.BF16, len(in))
	for i, f := range in {
		wantF16[i], wantBF16[i] = mlx.NewF16(f), mlx.NewBF16(f)
	}
	gotF16, err := mlx.Data[mlx.F16](mlx.AsType(src, mlx.Float16))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantF16, gotF16); diff != "" {
		t.Errorf("NewF16 and MLX's astype(float16) disagree (-NewF16 +MLX):\n%s", diff)
	}
	gotBF16, err := mlx.Data[mlx.BF16](mlx.AsType(src, mlx.BFloat16))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantBF16, gotBF16); diff != "" {
		t.Errorf("NewBF16 and MLX's astype(bfloat16) disagree (-NewBF16 +MLX):\n%s", diff)
	}

	// Back to float32: F16.Float32 and BF16.Float32 against MLX.
	wantBack := make([]float32, len(in))
	for i, h := range wantF16 {
		wantBack[i] = h.Float32()
	}
	checkArray(t, mlx.AsType(mlx.FromSlice(wantF16), mlx.Float32), mlx.Float32, []int{len(in)}, wantBack)
	for i, b := range wantBF16 {
		wantBack[i] = b.Float32()
	}
	checkArray(t, mlx.AsType(mlx.FromSlice(wantBF16), mlx.Float32), mlx.Float32, []int{len(in)}, wantBack)

	// NaN stays NaN through MLX both ways.
	nan := mlx.FromSlice([]float32{float32(math.NaN())})
	h, err := mlx.Item[mlx.F16](mlx.AsType(nan, mlx.Float16))
	if err != nil || h&0x7c00 != 0x7c00 || h&0x3ff == 0 {
		t.Errorf("MLX float16 NaN = %#04x, %v; want a NaN", uint16(h), err)
	}
	back, err := mlx.Item[float32](mlx.AsType(mlx.FromSlice([]mlx.F16{0x7e00}), mlx.Float32))
	if err != nil || !math.IsNaN(float64(back)) {
		t.Errorf("F16 NaN as float32 through MLX = %g, %v; want NaN", back, err)
	}
}

func TestEval(t *testing.T) {
	t.Run("nothing", func(t *testing.T) {
		if err := mlx.Eval(); err != nil {
			t.Errorf("Eval() = %v", err)
		}
		if err := mlx.AsyncEval(); err != nil {
			t.Errorf("AsyncEval() = %v", err)
		}
	})
	t.Run("several at once", func(t *testing.T) {
		a := mlx.FromSlice([]float32{1, 2, 3})
		b := mlx.Add(a, a)
		c := mlx.Multiply(b, b)
		d := mlx.Sum(c, false)
		if err := mlx.Eval(b, c, d); err != nil {
			t.Fatal(err)
		}
		checkArray(t, b, mlx.Float32, []int{3}, []float32{2, 4, 6})
		checkArray(t, c, mlx.Float32, []int{3}, []float32{4, 16, 36})
		checkArray(t, d, mlx.Float32, nil, []float32{56})
		// Evaluating again changes nothing.
		if err := mlx.Eval(d, d, a); err != nil {
			t.Fatal(err)
		}
		checkArray(t, d, mlx.Float32, nil, []float32{56})
	})
	t.Run("data read evaluates", func(t *testing.T) {
		x := mlx.Subtract(mlx.Arange(0, 4, 1, mlx.Float32), mlx.Scalar[float32](1))
		checkArray(t, x, mlx.Float32, []int{4}, []float32{-1, 0, 1, 2})
		v, err := mlx.Item[float32](mlx.Sum(x, false))
		if err != nil || v != 2 {
			t.Errorf("Item(Sum) = %v, %v; want 2, nil", v, err)
		}
	})
	t.Run("async then read", func(t *testing.T) {
		x := mlx.Matmul(mlx.Ones([]int{64, 64}, mlx.Float32), mlx.Ones([]int{64, 64}, mlx.Float32))
		s := mlx.Sum(x, false)
		if err := mlx.AsyncEval(s); err != nil {
			t.Fatal(err)
		}
		if err := mlx.AsyncEval(s); err != nil { // twice is fine
			t.Fatal(err)
		}
		v, err := mlx.Item[float32](s)
		if err != nil || v != 64*64*64 {
			t.Errorf("Item = %v, %v; want %d, nil", v, err, 64*64*64)
		}
	})
	t.Run("async then eval", func(t *testing.T) {
		x := mlx.Add(mlx.FromSlice([]int32{1, 2}), mlx.FromSlice([]int32{3, 4}))
		if err := mlx.AsyncEval(x); err != nil {
			t.Fatal(err)
		}
		if err := mlx.Eval(x); err != nil {
			t.Fatal(err)
		}
		checkArray(t, x, mlx.Int32, []int{2}, []int32{4, 6})
	})
	t.Run("inputs freed before evaluation", func(t *testing.T) {
		a := mlx.FromSlice([]int32{1, 2, 3})
		b := mlx.FromSlice([]int32{10, 20, 30})
		c := mlx.Add(a, b)
		a.Free()
		b.Free()
		checkArray(t, c, mlx.Int32, []int{3}, []int32{11, 22, 33})
	})
	t.Run("free after eval", func(t *testing.T) {
		c := mlx.Add(mlx.Scalar(1), mlx.Scalar(2))
		if err := mlx.Eval(c); err != nil {
			t.Fatal(err)
		}
		c.Free()
		c.Free() // safe twice
		checkError(t, mlx.Eval(c), "eval", "array used after Free", mlx.ErrFreed)
	})
	t.Run("errors", func(t *testing.T) {
		ok := mlx.Scalar(1)
		bad := mlx.Add(mlx.FromSlice([]int{1, 2}), mlx.FromSlice([]int{1, 2, 3}))
		checkError(t, mlx.Eval(ok, bad), "add", "[broadcast_shapes] Shapes (2) and (3) cannot be broadcast.", nil)
		checkError(t, mlx.AsyncEval(bad), "add", "[broadcast_shapes] Shapes (2) and (3) cannot be broadcast.", nil)
		checkError(t, mlx.Eval(ok, nil), "eval", "nil array", mlx.ErrNilArray)
		checkError(t, mlx.AsyncEval(nil), "async_eval", "nil array", mlx.ErrNilArray)
	})
}

// TestConcurrentReadsOfOneArray reads one unevaluated array from many
// goroutines at once: each must see the whole, correct result.
func TestConcurrentReadsOfOneArray(t *testing.T) {
	for round := 0; round < 20; round++ {
		x := mlx.Add(mlx.Arange(0, 1000, 1, mlx.Int32), mlx.Scalar[int32](int32(round)))
		total := mlx.Sum(x, false)
		want := int32(999*1000/2 + 1000*round)
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for g := 0; g < 16; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if g%2 == 0 {
					if v, err := mlx.Item[int32](total); err != nil || v != want {
						errs <- fmt.Errorf("goroutine %d: Item = %d, %v; want %d", g, v, err, want)
					}
					return
				}
				d, err := mlx.Data[int32](x)
				if err != nil || len(d) != 1000 || d[0] != int32(round) || d[999] != int32(999+round) {
					errs <- fmt.Errorf("goroutine %d: Data = %d elements, %v; want 1000 from %d", g, len(d), err, round)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
}
