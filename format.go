package mlx

import (
	"fmt"
	"strconv"
	"strings"
)

// goDataLimit is the most elements GoString prints in full; larger arrays
// print their first and last goDataEdge elements around "...". These are
// NumPy's default print threshold and edge items.
const (
	goDataLimit = 1000
	goDataEdge  = 3
)

// Format implements fmt.Formatter:
//
//   - %v, %+v and %s print String(): the array as Python MLX prints it, for
//     example "array([1, 2], dtype=int32)". MLX's printer shortens every
//     dimension longer than 6 to its first 3 and last 3 entries around
//     "...", as Python MLX does.
//   - %q prints String() as a double-quoted Go string literal (%#q
//     back-quoted where it can, %+q in ASCII).
//   - %#v prints GoString().
//
// Width and the '-' flag pad these as they pad strings. An array that
// carries an error, was freed, or fails to evaluate prints the error:
// "array(error: mlx: ...)" for %v, %s and %q, mlx.Array{err: "mlx: ..."} for
// %#v. Other verbs print fmt's bad-verb form, %!d(*mlx.Array=array(...)).
func (a *Array) Format(f fmt.State, verb rune) {
	switch verb {
	case 'v':
		if f.Flag('#') {
			fmt.Fprintf(f, fmt.FormatString(f, 's'), a.GoString())
			return
		}
		fallthrough
	case 's', 'q':
		fmt.Fprintf(f, fmt.FormatString(f, verb), a.String())
	default:
		fmt.Fprintf(f, "%%!%c(*mlx.Array=%s)", verb, a.String())
	}
}

// GoString returns a Go-syntax-like form of the array for debugging, as
// printed by %#v: its dtype, shape and elements in row-major order, each
// element as Go's %v prints its Go type (Float16 and BFloat16 as float32):
//
//	mlx.Array{dtype: float32, shape: [2 2], data: [1 2.5 3 4]}
//	mlx.Array{dtype: int32, shape: [], data: [7]}
//	mlx.Array{dtype: bool, shape: [2], data: [true false]}
//	mlx.Array{dtype: complex64, shape: [1], data: [(1+2i)]}
//
// An array of more than 1000 elements (NumPy's print threshold) shows its
// first 3 and last 3 elements around "...". A nil array is
// (*mlx.Array)(nil); an array that carries an error, was freed, or fails to
// evaluate shows the error: mlx.Array{err: "mlx: eval: array used after Free"}.
// GoString evaluates the array.
func (a *Array) GoString() string {
	if a == nil {
		return "(*mlx.Array)(nil)"
	}
	if err := Eval(a); err != nil {
		return "mlx.Array{err: " + strconv.Quote(err.Error()) + "}"
	}
	var data []string
	var err error
	switch a.Dtype() {
	case Bool:
		data, err = goElements[bool](a, nil)
	case Uint8:
		data, err = goElements[uint8](a, nil)
	case Uint16:
		data, err = goElements[uint16](a, nil)
	case Uint32:
		data, err = goElements[uint32](a, nil)
	case Uint64:
		data, err = goElements[uint64](a, nil)
	case Int8:
		data, err = goElements[int8](a, nil)
	case Int16:
		data, err = goElements[int16](a, nil)
	case Int32:
		data, err = goElements[int32](a, nil)
	case Int64:
		data, err = goElements[int64](a, nil)
	case Float16:
		data, err = goElements(a, func(v F16) any { return v.Float32() })
	case BFloat16:
		data, err = goElements(a, func(v BF16) any { return v.Float32() })
	case Float32:
		data, err = goElements[float32](a, nil)
	case Float64:
		data, err = goElements[float64](a, nil)
	case Complex64:
		data, err = goElements[complex64](a, nil)
	default:
		err = newError("print", fmt.Sprintf("unknown dtype %v", a.Dtype()), nil)
	}
	if err != nil {
		return "mlx.Array{err: " + strconv.Quote(err.Error()) + "}"
	}
	shape := a.Shape()
	if shape == nil {
		shape = []int{}
	}
	return fmt.Sprintf("mlx.Array{dtype: %v, shape: %v, data: [%s]}", a.Dtype(), shape, strings.Join(data, " "))
}

// goElements reads a's elements and formats each with %v, after conv when
// conv is not nil; past goDataLimit elements it keeps the edges only.
func goElements[T Element](a *Array, conv func(T) any) ([]string, error) {
	vals, err := Data[T](a)
	if err != nil {
		return nil, err
	}
	str := func(v T) string {
		if conv != nil {
			return fmt.Sprint(conv(v))
		}
		return fmt.Sprint(v)
	}
	if len(vals) > goDataLimit {
		out := make([]string, 0, 2*goDataEdge+1)
		for _, v := range vals[:goDataEdge] {
			out = append(out, str(v))
		}
		out = append(out, "...")
		for _, v := range vals[len(vals)-goDataEdge:] {
			out = append(out, str(v))
		}
		return out, nil
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = str(v)
	}
	return out, nil
}
