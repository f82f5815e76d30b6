package tests

// Fuzz targets (go test -fuzz=FuzzName ./tests; make fuzz runs them all):
//
//   - FuzzFromSlice: arrays of every element type made from arbitrary bytes
//     with arbitrary shapes, valid or not. Bad shapes must give an
//     *mlx.Error, good ones must read back bit for bit.
//   - FuzzOps: a small interpreter runs a program of ~25 ops with shapes,
//     axes and dtypes decoded from the input. Every failure must be a
//     well-formed *mlx.Error naming its op; every success must have a sane
//     shape and read back.
//   - FuzzString: the printer on arrays of every dtype and shape, empty and
//     0-d included, and on views.
//
// Without -fuzz, go test runs each target on its seeds (f.Add and
// testdata/fuzz/<FuzzName>/). FuzzOps stays clear of the inputs that crash or
// hang MLX 0.31.2 (see badinput_test.go and known_crashes_test.go): zero
// slice strides, take indices out of range, negative sizes, errors raised
// only while evaluating (linalg, masked_scatter, quantize), and, found by
// this fuzzer, scans (cumsum) of empty arrays or along a broadcast axis of
// size 1, sorting empty arrays, and reducing empty arrays. The hex-named
// files in testdata/fuzz/FuzzOps are the inputs that found those.

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"unsafe"

	"github.com/mlx-go/mlx"
)

// wellFormed checks that err is an *mlx.Error reading "mlx: <op>: <msg>",
// with op as given (any op if op is "").
func wellFormed(t *testing.T, err error, op string) {
	t.Helper()
	var e *mlx.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *mlx.Error", err, err)
	}
	if e.Op == "" || strings.TrimSpace(e.Msg) == "" {
		t.Fatalf("error with an empty op or message: %q", err)
	}
	if op != "" && e.Op != op {
		t.Fatalf("error %q names op %q, want %q", err, e.Op, op)
	}
	if !strings.HasPrefix(err.Error(), "mlx: "+e.Op+": ") {
		t.Fatalf("error %q does not read mlx: <op>: ...", err)
	}
	if strings.Contains(e.Msg, " at /") {
		t.Fatalf("error keeps mlx-c's source location: %q", err)
	}
}

// ---- FuzzFromSlice ------------------------------------------------------

// fuzzDim maps a byte to a dimension: mostly small, sometimes one of the
// values that must be rejected (negative, 2^31 and beyond) or that are
// valid but large.
func fuzzDim(b byte) int {
	special := [...]int{-1, -2, math.MinInt32, 1<<31 - 1, 1 << 31, 1 << 32, 1 << 40, 1 << 62,
		math.MaxInt, math.MinInt, 1 << 30, 1 << 16, 1 << 20, 3 << 29, -(1 << 31) - 1}
	if int(b) >= 256-len(special) {
		return special[255-int(b)]
	}
	return int(b % 6)
}

func fuzzShape(b []byte) []int {
	if len(b) > 8 {
		b = b[:8]
	}
	shape := make([]int, len(b))
	for i, c := range b {
		shape[i] = fuzzDim(c)
	}
	return shape
}

// shapeVerdict says whether FromSlice must accept shape for n elements
// (mustOK), and whether it may (mayOK).
func shapeVerdict(shape []int, n int) (mustOK, mayOK bool) {
	total := 1
	for _, d := range shape {
		if d < 0 || d > math.MaxInt32 {
			return false, false
		}
		if d != 0 && total > math.MaxInt/d {
			total = math.MaxInt // saturate: certainly != n
			continue
		}
		total *= d
	}
	if total != n {
		return false, false
	}
	// The binding refuses shapes whose running product (left to right)
	// passes 2^31*8 elements even when a later 0 makes the array empty;
	// such shapes may fail.
	run := 1
	for _, d := range shape {
		if d > 0 && run > math.MaxInt32*8/d {
			return false, true
		}
		run *= d
	}
	return true, true
}

// decode reinterprets raw as elements of T (bool and int made valid).
func decode[T mlx.Element](raw []byte) []T {
	var zero T
	switch any(zero).(type) {
	case bool:
		out := make([]T, len(raw))
		for i, b := range raw {
			out[i] = any(b&1 != 0).(T)
		}
		return out
	case int:
		// 5 bytes an element: an int32, scaled past int32 when the fifth
		// byte is 0xff (which FromSlice must reject unless it is 0).
		out := make([]T, len(raw)/5)
		for i := range out {
			c := raw[5*i : 5*i+5]
			v := int(int32(uint32(c[0]) | uint32(c[1])<<8 | uint32(c[2])<<16 | uint32(c[3])<<24))
			if c[4] == 0xff {
				v <<= 31
			}
			out[i] = any(v).(T)
		}
		return out
	}
	size := int(unsafe.Sizeof(zero))
	out := make([]T, len(raw)/size)
	if len(out) > 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&out[0])), len(out)*size), raw)
	}
	return out
}

// fitData cycles data to exactly n elements (n small).
func fitData[T any](data []T, n int) []T {
	out := make([]T, n)
	if len(data) == 0 {
		return out
	}
	for i := range out {
		out[i] = data[i%len(data)]
	}
	return out
}

func sameBits[T any](a, b T) bool {
	size := unsafe.Sizeof(a)
	return string(unsafe.Slice((*byte)(unsafe.Pointer(&a)), size)) == string(unsafe.Slice((*byte)(unsafe.Pointer(&b)), size))
}

func fromSliceCase[T mlx.Element](t *testing.T, raw, shapeBytes []byte, mode uint8) {
	data := decode[T](raw)
	var shape []int
	if mode&1 == 0 {
		shape = fuzzShape(shapeBytes)
		if mode&2 != 0 { // make the data fit the shape when it is small
			if ok, _ := shapeVerdict(shape, productSmall(shape)); ok && productSmall(shape) <= 4096 {
				data = fitData(data, productSmall(shape))
			}
		}
	}
	wantShape := shape
	if shape == nil {
		wantShape = []int{len(data)}
	}
	mustOK, mayOK := shapeVerdict(wantShape, len(data))
	if ints, ok := any(data).([]int); ok {
		for _, v := range ints {
			if v < math.MinInt32 || v > math.MaxInt32 {
				mustOK, mayOK = false, false
			}
		}
	}
	a := mlx.FromSlice(data, shape...)
	if err := a.Err(); err != nil {
		wellFormed(t, err, "array")
		if !errors.Is(err, mlx.ErrInvalidArgument) {
			t.Fatalf("FromSlice error %v does not wrap ErrInvalidArgument", err)
		}
		if mustOK {
			t.Fatalf("FromSlice(%d elements, %v) failed: %v", len(data), shape, err)
		}
		return
	}
	if !mayOK {
		t.Fatalf("FromSlice(%d elements of %T, shape %v) succeeded, shape %v", len(data), *new(T), shape, a.Shape())
	}
	if a.Dtype() != mlx.DtypeOf[T]() || a.Size() != len(data) || a.Ndim() != len(wantShape) {
		t.Fatalf("FromSlice(%v): dtype %v size %d ndim %d", wantShape, a.Dtype(), a.Size(), a.Ndim())
	}
	if got := a.Shape(); fmt.Sprint(got) != fmt.Sprint(wantShape) && !(len(wantShape) == 0 && got == nil) {
		t.Fatalf("Shape() = %v, want %v", got, wantShape)
	}
	back, err := mlx.Data[T](a)
	if err != nil {
		t.Fatalf("Data: %v", err)
	}
	if len(back) != len(data) {
		t.Fatalf("Data returned %d elements, want %d", len(back), len(data))
	}
	for i := range data {
		if !sameBits(back[i], data[i]) {
			t.Fatalf("element %d: read %v, wrote %v", i, back[i], data[i])
		}
	}
	buf := make([]T, len(data)+1)
	if n, err := mlx.CopyTo(a, buf); err != nil || n != len(data) {
		t.Fatalf("CopyTo = %d, %v", n, err)
	}
	if len(data) == 1 {
		if v, err := mlx.Item[T](a); err != nil || !sameBits(v, data[0]) {
			t.Fatalf("Item = %v, %v; want %v", v, err, data[0])
		}
	}
	// Reading as another type is an error, never a crash.
	if _, isBool := any(*new(T)).(bool); !isBool {
		_, err := mlx.Data[bool](a)
		wellFormed(t, err, "data")
	}
}

// productSmall is the number of elements of a shape of small nonnegative
// dimensions (anything else gives -1).
func productSmall(shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 || d > 1<<20 {
			return -1
		}
		n *= d
		if n > 1<<20 {
			return -1
		}
	}
	return n
}

func FuzzFromSlice(f *testing.F) {
	f.Add(uint8(10), []byte{2, 3}, []byte("abcdefghijklmnopqrstuvwx"), uint8(2))
	f.Add(uint8(0), []byte{}, []byte{1, 0, 1}, uint8(1))
	f.Add(uint8(9), []byte{255}, []byte{}, uint8(0))
	f.Add(uint8(13), []byte{4, 0, 250}, []byte{}, uint8(0))
	f.Fuzz(func(t *testing.T, dt uint8, shape, raw []byte, mode uint8) {
		if len(raw) > 1<<16 {
			raw = raw[:1<<16]
		}
		err := mlx.Scope(func() error {
			switch dt % 15 {
			case 0:
				fromSliceCase[bool](t, raw, shape, mode)
			case 1:
				fromSliceCase[uint8](t, raw, shape, mode)
			case 2:
				fromSliceCase[uint16](t, raw, shape, mode)
			case 3:
				fromSliceCase[uint32](t, raw, shape, mode)
			case 4:
				fromSliceCase[uint64](t, raw, shape, mode)
			case 5:
				fromSliceCase[int8](t, raw, shape, mode)
			case 6:
				fromSliceCase[int16](t, raw, shape, mode)
			case 7:
				fromSliceCase[int32](t, raw, shape, mode)
			case 8:
				fromSliceCase[int64](t, raw, shape, mode)
			case 9:
				fromSliceCase[int](t, raw, shape, mode)
			case 10:
				fromSliceCase[float32](t, raw, shape, mode)
			case 11:
				fromSliceCase[float64](t, raw, shape, mode)
			case 12:
				fromSliceCase[complex64](t, raw, shape, mode)
			case 13:
				fromSliceCase[mlx.F16](t, raw, shape, mode)
			case 14:
				fromSliceCase[mlx.BF16](t, raw, shape, mode)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// ---- FuzzOps --------------------------------------------------------------

// prog reads the fuzz input a byte at a time; past its end it reads zeros.
type prog struct {
	b []byte
	i int
}

func (p *prog) done() bool { return p.i >= len(p.b) }

func (p *prog) byte() byte {
	if p.i >= len(p.b) {
		return 0
	}
	p.i++
	return p.b[p.i-1]
}

// axis is an axis in [-5, 5]: valid for small arrays, or not.
func (p *prog) axis() int { return int(p.byte()%11) - 5 }

func (p *prog) axes() []int {
	n := int(p.byte() % 4)
	axes := make([]int, n)
	for i := range axes {
		axes[i] = p.axis()
	}
	return axes
}

// dim is a dimension in [0, 4], or -1 where allowed (Reshape infers it).
func (p *prog) dim(inferOK bool) int {
	b := p.byte()
	if inferOK && b%16 == 15 {
		return -1
	}
	return int(b % 5)
}

func (p *prog) shape(inferOK bool) []int {
	n := int(p.byte() % 5)
	s := make([]int, n)
	for i := range s {
		s[i] = p.dim(inferOK)
	}
	return s
}

var fuzzDtypes = []mlx.Dtype{mlx.Float32, mlx.Int32, mlx.Bool, mlx.Float16, mlx.Int8, mlx.Uint32, mlx.Int64, mlx.BFloat16, mlx.Complex64, mlx.Float64, mlx.Uint8}

// fuzzTrace (MLX_FUZZ_TRACE=1) prints each instruction of FuzzOps before it
// runs, to find the op a crashing input dies in.
var fuzzTrace = os.Getenv("MLX_FUZZ_TRACE") == "1"

// maxFuzzElems bounds every array the interpreter keeps.
const maxFuzzElems = 1 << 12

// newOperand makes an integer-valued float32 array of a small shape.
func (p *prog) newOperand() *mlx.Array {
	shape := p.shape(false)
	n := 1
	for _, d := range shape {
		n *= d
	}
	data := make([]float32, n)
	seed := p.byte()
	for i := range data {
		data[i] = float32((int(seed)+i*7)%17 - 8)
	}
	return mlx.FromSlice(data, shape...)
}

// inRange fills idx with indices in [0, size), or empties it if size is 0.
func inRange(p *prog, idx []int32, size int) []int32 {
	if size == 0 {
		return idx[:0]
	}
	for i := range idx {
		idx[i] = int32(int(p.byte()) % size)
	}
	return idx
}

// reduce runs a reduction with keepdims and axes from p, except on an empty
// array: reducing an empty array that is not row-contiguous (a transposed
// one, say) makes MLX's CPU kernel loop forever.
func reduce(p *prog, x *mlx.Array, op string, f func(*mlx.Array, bool, ...int) *mlx.Array) (string, *mlx.Array) {
	keepdims, axes := p.byte()&1 == 0, p.axes()
	if x.Size() == 0 {
		return op, nil
	}
	return op, f(x, keepdims, axes...)
}

// fuzzOp is one instruction: it takes operands from the stack and returns
// the op's name (as MLX's error names it) and its result, or nil where the
// input is one that crashes MLX.
type fuzzOp func(p *prog, x, y *mlx.Array) (string, *mlx.Array)

var fuzzOps = []fuzzOp{
	func(_ *prog, x, y *mlx.Array) (string, *mlx.Array) { return "add", mlx.Add(x, y) },
	func(_ *prog, x, y *mlx.Array) (string, *mlx.Array) { return "multiply", mlx.Multiply(x, y) },
	func(_ *prog, x, y *mlx.Array) (string, *mlx.Array) { return "subtract", mlx.Subtract(x, y) },
	func(_ *prog, x, y *mlx.Array) (string, *mlx.Array) { return "maximum", mlx.Maximum(x, y) },
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) { return reduce(p, x, "sum", mlx.Sum) },
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) { return reduce(p, x, "max", mlx.Max) },
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) { return reduce(p, x, "mean", mlx.Mean) },
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) {
		return "reshape", mlx.Reshape(x, p.shape(true)...)
	},
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) {
		if p.byte()&1 == 0 {
			return "transpose", mlx.Transpose(x)
		}
		n := int(p.byte() % 5)
		perm := make([]int, n)
		for i := range perm {
			perm[i] = p.axis()
		}
		return "transpose", mlx.Transpose(x, perm...)
	},
	func(_ *prog, x, y *mlx.Array) (string, *mlx.Array) { return "matmul", mlx.Matmul(x, y) },
	func(p *prog, x, y *mlx.Array) (string, *mlx.Array) {
		return "concatenate", mlx.ConcatenateAxis([]*mlx.Array{x, y}, p.axis())
	},
	func(p *prog, x, y *mlx.Array) (string, *mlx.Array) {
		return "stack", mlx.StackAxis([]*mlx.Array{x, y}, p.axis())
	},
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) {
		// Indices within range: MLX does not check them, and out of range
		// it reads out of bounds. The axis itself may be invalid.
		idx := make([]int32, p.byte()%4)
		if p.byte()&1 == 0 {
			ax, shape := p.axis(), x.Shape()
			size := 1
			if ax >= -len(shape) && ax < len(shape) {
				size = shape[(ax+len(shape))%len(shape)]
			}
			return "take", mlx.TakeAxis(x, mlx.FromSlice(inRange(p, idx, size)), ax)
		}
		return "take", mlx.Take(x, mlx.FromSlice(inRange(p, idx, x.Size())))
	},
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) {
		// Nonzero strides only: a zero stride crashes MLX (SIGFPE).
		n := x.Ndim()
		if p.byte()%8 == 0 {
			n = int(p.byte() % 5) // maybe the wrong number of indices
		}
		start, stop, strides := make([]int, n), make([]int, n), make([]int, n)
		for i := range start {
			start[i] = int(p.byte()%9) - 4
			stop[i] = int(p.byte()%9) - 4
			strides[i] = int(p.byte()%3) + 1
			if p.byte()&1 == 0 {
				strides[i] = -strides[i]
			}
		}
		return "slice", mlx.Slice(x, start, stop, strides)
	},
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) { return "squeeze", mlx.Squeeze(x, p.axes()...) },
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) { return "expand_dims", mlx.ExpandDims(x, p.axis()) },
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) {
		return "softmax", mlx.Softmax(x, true, p.axes()...)
	},
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) {
		return "broadcast_to", mlx.BroadcastTo(x, p.shape(false)...) // negative sizes are refused by the binding's checks (tests/argchecks_test.go)
	},
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) {
		return "astype", mlx.AsType(x, fuzzDtypes[int(p.byte())%len(fuzzDtypes)])
	},
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) {
		ax, reverse, inclusive := p.axis(), p.byte()&1 == 0, p.byte()&1 == 0
		if shape := x.Shape(); x.Size() == 0 || ax >= -len(shape) && ax < len(shape) && shape[(ax+len(shape))%len(shape)] == 1 {
			// Evaluating a scan crashes MLX (SIGFPE) on an empty array, and
			// along an axis of size 1 that came from broadcasting (stride 0).
			return "cumsum", nil
		}
		return "cumsum", mlx.CumSum(x, ax, reverse, inclusive)
	},
	func(_ *prog, x, y *mlx.Array) (string, *mlx.Array) {
		return "where", mlx.Where(mlx.Greater(x, mlx.Scalar[float32](0)), x, y)
	},
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) {
		return "flatten", mlx.Flatten(x, p.axis(), p.axis())
	},
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) {
		return "swapaxes", mlx.SwapAxes(x, p.axis(), p.axis())
	},
	func(_ *prog, x, _ *mlx.Array) (string, *mlx.Array) { return "negative", mlx.Negative(x) },
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) {
		return "argmax", mlx.ArgMaxAxis(x, p.axis(), false)
	},
	func(p *prog, x, _ *mlx.Array) (string, *mlx.Array) {
		ax := p.axis()
		if x.Size() == 0 {
			return "sort", nil // sorting an empty axis crashes MLX (SIGFPE)
		}
		return "sort", mlx.SortAxis(x, ax)
	},
}

func FuzzOps(f *testing.F) {
	onCPU(f) // the fuzzed dtypes include float64, which the GPU backend refuses
	f.Add([]byte{2, 3, 1, 2, 3, 5, 0, 1, 0, 2, 9, 0, 1, 4, 1, 7})
	f.Add([]byte{3, 2, 2, 2, 9, 9, 1, 2, 6, 1, 4, 2, 3})
	f.Add([]byte{1, 4, 7, 12, 0, 1, 3, 2, 14, 5, 5})
	f.Add([]byte{0, 0, 9, 0, 1, 10, 0, 1, 11, 1, 13, 0, 1, 3, 4, 4})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 256 {
			b = b[:256]
		}
		p := &prog{b: b}
		err := mlx.Scope(func() error {
			runProg(t, p)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// runProg interprets p.
func runProg(t *testing.T, p *prog) {
	stack := []*mlx.Array{p.newOperand(), p.newOperand()}
	for steps := 0; !p.done() && steps < 32; steps++ {
		code := int(p.byte())
		if code%8 == 7 && len(stack) < 8 {
			stack = append(stack, p.newOperand())
			continue
		}
		opIndex := (code / 8) % (len(fuzzOps) + 1)
		x := stack[int(p.byte())%len(stack)]
		y := stack[int(p.byte())%len(stack)]
		if opIndex == len(fuzzOps) { // split returns ([]*Array, error)
			parts, err := mlx.Split(x, int(p.byte()%4), p.axis())
			if err != nil {
				wellFormed(t, err, "split")
				continue
			}
			for _, part := range parts {
				checkFuzzResult(t, "split", part)
			}
			stack = pushBounded(stack, parts[int(p.byte())%len(parts)])
			continue
		}
		if fuzzTrace {
			fmt.Fprintf(os.Stderr, "op %d at byte %d: x %v %v, y %v %v\n", opIndex, p.i, x.Dtype(), x.Shape(), y.Dtype(), y.Shape())
		}
		op, r := fuzzOps[opIndex](p, x, y)
		if r == nil { // an input the op must not get
			continue
		}
		if fuzzTrace && r.Err() == nil {
			fmt.Fprintf(os.Stderr, "  %s -> %v %v; evaluating\n", op, r.Dtype(), r.Shape())
			if err := mlx.Eval(r); err != nil {
				fmt.Fprintf(os.Stderr, "  eval: %v\n", err)
			}
		}
		if err := r.Err(); err != nil {
			wellFormed(t, err, op)
			continue
		}
		checkFuzzResult(t, op, r)
		if r.Size() <= maxFuzzElems {
			stack = pushBounded(stack, r)
		}
	}
	// Everything left evaluates together and reads back.
	if err := mlx.Eval(stack...); err != nil {
		t.Fatalf("Eval of valid results: %v", err)
	}
	for _, a := range stack {
		readBack(t, a)
	}
}

func pushBounded(stack []*mlx.Array, a *mlx.Array) []*mlx.Array {
	if len(stack) >= 8 {
		copy(stack, stack[1:])
		stack = stack[:7]
	}
	return append(stack, a)
}

// checkFuzzResult checks an op's successful result: a dtype, a shape of
// nonnegative dimensions whose product is the size, and data that reads.
func checkFuzzResult(t *testing.T, op string, a *mlx.Array) {
	t.Helper()
	if a.Dtype().String() == "" || strings.HasPrefix(a.Dtype().String(), "Dtype(") {
		t.Fatalf("%s: invalid dtype %v", op, a.Dtype())
	}
	shape := a.Shape()
	if len(shape) != a.Ndim() {
		t.Fatalf("%s: Shape() %v for ndim %d", op, shape, a.Ndim())
	}
	n := 1
	for _, d := range shape {
		if d < 0 {
			t.Fatalf("%s: negative dimension in %v", op, shape)
		}
		n *= d
	}
	if n != a.Size() {
		t.Fatalf("%s: shape %v has %d elements, Size() = %d", op, shape, n, a.Size())
	}
	if a.Size() <= maxFuzzElems {
		readBack(t, a)
	}
}

func readBack(t *testing.T, a *mlx.Array) {
	t.Helper()
	var err error
	var n int
	switch a.Dtype() {
	case mlx.Complex64:
		var v []complex64
		v, err = mlx.Data[complex64](a)
		n = len(v)
	case mlx.Bool:
		var v []bool
		v, err = mlx.Data[bool](a)
		n = len(v)
	default:
		var v []float64
		v, err = mlx.Data[float64](mlx.AsType(a, mlx.Float64))
		n = len(v)
	}
	if err != nil {
		t.Fatalf("reading a %v array of shape %v: %v", a.Dtype(), a.Shape(), err)
	}
	if n != a.Size() {
		t.Fatalf("read %d elements of an array of size %d", n, a.Size())
	}
}

// ---- FuzzString -------------------------------------------------------------

func stringCase[T mlx.Element](t *testing.T, raw []byte, shape []int, view uint8) {
	n := 1
	for _, d := range shape {
		n *= d
	}
	data := fitData(decode[T](raw), n)
	if ints, ok := any(data).([]int); ok {
		for i := range ints {
			ints[i] = int(int32(ints[i]))
		}
	}
	a := mlx.FromSlice(data, shape...)
	if a.Err() != nil {
		t.Fatalf("FromSlice(%v): %v", shape, a.Err())
	}
	switch view % 6 {
	case 1:
		a = mlx.Transpose(a)
	case 2:
		a = mlx.BroadcastTo(a, append([]int{2}, shape...)...)
	case 3:
		if len(shape) > 0 {
			start, stop, strides := make([]int, len(shape)), append([]int(nil), shape...), make([]int, len(shape))
			for i := range strides {
				strides[i] = 2
			}
			a = mlx.Slice(a, start, stop, strides)
		}
	case 4:
		a = mlx.Reshape(a, -1)
	case 5: // an array carrying an error prints the error
		bad := mlx.Reshape(a, n+1)
		s := bad.String()
		if !strings.HasPrefix(s, "array(error: mlx: reshape: ") || !strings.HasSuffix(s, ")") {
			t.Fatalf("String() of an error array = %q", s)
		}
	}
	s := a.String()
	want := "dtype=" + a.Dtype().String() + ")"
	if !strings.HasPrefix(s, "array(") || !strings.HasSuffix(s, want) || strings.Contains(s, "error") {
		t.Fatalf("String() of a %v array of shape %v (view %d) = %q", a.Dtype(), a.Shape(), view%6, s)
	}
	if a.Size() == 0 && a.Ndim() > 0 && !strings.HasPrefix(s, "array([") {
		t.Fatalf("String() of an empty array = %q", s)
	}
}

func FuzzString(f *testing.F) {
	onCPU(f) // the fuzzed dtypes include float64, which the GPU backend refuses
	f.Add(uint8(10), []byte{2, 3}, []byte("0123456789abcdefghijklmnop"), uint8(0))
	f.Add(uint8(0), []byte{}, []byte{1}, uint8(0))
	f.Add(uint8(12), []byte{0, 2}, []byte{}, uint8(1))
	f.Add(uint8(13), []byte{3, 1, 2}, []byte{0xff, 0x7c, 0x00, 0x7e, 0x01, 0x80}, uint8(3))
	f.Fuzz(func(t *testing.T, dt uint8, shapeBytes, raw []byte, view uint8) {
		if len(shapeBytes) > 4 {
			shapeBytes = shapeBytes[:4]
		}
		shape := make([]int, len(shapeBytes))
		for i, b := range shapeBytes {
			shape[i] = int(b % 6) // up to 5^4 elements
		}
		if len(raw) > 1<<12 {
			raw = raw[:1<<12]
		}
		err := mlx.Scope(func() error {
			switch dt % 15 {
			case 0:
				stringCase[bool](t, raw, shape, view)
			case 1:
				stringCase[uint8](t, raw, shape, view)
			case 2:
				stringCase[uint16](t, raw, shape, view)
			case 3:
				stringCase[uint32](t, raw, shape, view)
			case 4:
				stringCase[uint64](t, raw, shape, view)
			case 5:
				stringCase[int8](t, raw, shape, view)
			case 6:
				stringCase[int16](t, raw, shape, view)
			case 7:
				stringCase[int32](t, raw, shape, view)
			case 8:
				stringCase[int64](t, raw, shape, view)
			case 9:
				stringCase[int](t, raw, shape, view)
			case 10:
				stringCase[float32](t, raw, shape, view)
			case 11:
				stringCase[float64](t, raw, shape, view)
			case 12:
				stringCase[complex64](t, raw, shape, view)
			case 13:
				stringCase[mlx.F16](t, raw, shape, view)
			case 14:
				stringCase[mlx.BF16](t, raw, shape, view)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
