package mlx_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/mlx-go/mlx"
)

// The expected strings below follow MLX's printer (print_subarray in
// mlx/utils.cpp, which Python MLX's repr also uses): rows after the first are
// indented by 7 spaces plus the depth, and a dimension longer than 6 shows
// its first 3 and last 3 entries around "...".

func TestFormatVerbs(t *testing.T) {
	m := mlx.FromSlice([]int{1, 2, 3, 4}, 2, 2)
	const printed = "array([[1, 2],\n       [3, 4]], dtype=int32)"
	s := mlx.Scalar[int32](7)
	tests := []struct {
		format string
		a      *mlx.Array
		want   string
	}{
		{"%v", m, printed},
		{"%+v", m, printed},
		{"%s", m, printed},
		{"%q", m, `"array([[1, 2],\n       [3, 4]], dtype=int32)"`},
		{"%#v", m, "mlx.Array{dtype: int32, shape: [2 2], data: [1 2 3 4]}"},
		{"%d", s, "%!d(*mlx.Array=array(7, dtype=int32))"},
		{"%x", s, "%!x(*mlx.Array=array(7, dtype=int32))"},
		{"%#q", s, "`array(7, dtype=int32)`"},
		{"%+q", mlx.FromSlice([]bool{true}), `"array([True], dtype=bool)"`},
		{"[%25v]", s, "[    array(7, dtype=int32)]"},
		{"[%-25s]", s, "[array(7, dtype=int32)    ]"},
		{"[%.8s]", s, "[array(7,]"},
		{"%#v", s, "mlx.Array{dtype: int32, shape: [], data: [7]}"},
		{"[%#50v]", s, "[     mlx.Array{dtype: int32, shape: [], data: [7]}]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprintf(tt.format, tt.a); got != tt.want {
			t.Errorf("Sprintf(%q) =\n%s\nwant\n%s", tt.format, got, tt.want)
		}
	}
	if got, want := fmt.Sprintf("%v and %v", s, mlx.Scalar(true)), "array(7, dtype=int32) and array(True, dtype=bool)"; got != want {
		t.Errorf("Sprintf = %q, want %q", got, want)
	}
	// Inside composite values fmt formats each element with the same verb.
	if got, want := fmt.Sprintf("%v", []*mlx.Array{s, s}), "[array(7, dtype=int32) array(7, dtype=int32)]"; got != want {
		t.Errorf("Sprintf of a slice = %q, want %q", got, want)
	}
	if got, want := fmt.Sprint(s), "array(7, dtype=int32)"; got != want {
		t.Errorf("Sprint = %q, want %q", got, want)
	}
}

func TestFormatErrorArrays(t *testing.T) {
	freed := mlx.FromSlice([]int{1})
	freed.Free()
	bad := mlx.Reshape(mlx.FromSlice([]int{1, 2, 3}), 2)
	const reshapeErr = "mlx: reshape: [reshape] Cannot reshape array of size 3 into shape (2)."
	tests := []struct {
		name   string
		a      *mlx.Array
		format string
		want   string
	}{
		{"nil v", nil, "%v", "array(error: mlx: eval: nil array)"},
		{"nil s", nil, "%s", "array(error: mlx: eval: nil array)"},
		{"nil q", nil, "%q", `"array(error: mlx: eval: nil array)"`},
		{"nil #v", nil, "%#v", "(*mlx.Array)(nil)"},
		{"freed v", freed, "%v", "array(error: mlx: eval: array used after Free)"},
		{"freed #v", freed, "%#v", `mlx.Array{err: "mlx: eval: array used after Free"}`},
		{"failed op v", bad, "%v", "array(error: " + reshapeErr + ")"},
		{"failed op q", bad, "%q", `"array(error: ` + reshapeErr + `)"`},
		{"failed op #v", bad, "%#v", `mlx.Array{err: "` + reshapeErr + `"}`},
		{"failed op d", bad, "%d", "%!d(*mlx.Array=array(error: " + reshapeErr + "))"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fmt.Sprintf(tt.format, tt.a); got != tt.want {
				t.Errorf("Sprintf(%q) = %q, want %q", tt.format, got, tt.want)
			}
		})
	}
}

func TestGoString(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	var full strings.Builder // 1000 elements: all of them
	full.WriteString("mlx.Array{dtype: int32, shape: [1000], data: [0")
	for i := 1; i < 1000; i++ {
		fmt.Fprintf(&full, " %d", i)
	}
	full.WriteString("]}")
	tests := []struct {
		name string
		a    *mlx.Array
		want string
	}{
		{"float32", mlx.FromSlice([]float32{1, 2.5, 3, 4}, 2, 2), "mlx.Array{dtype: float32, shape: [2 2], data: [1 2.5 3 4]}"},
		{"float32 digits", mlx.FromSlice([]float32{0.1, 1.0 / 3, 1e7}), "mlx.Array{dtype: float32, shape: [3], data: [0.1 0.33333334 1e+07]}"},
		{"float32 specials", mlx.FromSlice([]float32{nan, inf, -inf}), "mlx.Array{dtype: float32, shape: [3], data: [NaN +Inf -Inf]}"},
		{"float64", mlx.FromSlice([]float64{0.1, -2}), "mlx.Array{dtype: float64, shape: [2], data: [0.1 -2]}"},
		{"float16", mlx.FromSlice([]mlx.F16{mlx.NewF16(1.5), mlx.NewF16(-2)}), "mlx.Array{dtype: float16, shape: [2], data: [1.5 -2]}"},
		{"bfloat16", mlx.FromSlice([]mlx.BF16{mlx.NewBF16(0.5), mlx.NewBF16(3)}), "mlx.Array{dtype: bfloat16, shape: [2], data: [0.5 3]}"},
		{"bool", mlx.FromSlice([]bool{true, false}), "mlx.Array{dtype: bool, shape: [2], data: [true false]}"},
		{"uint8", mlx.FromSlice([]uint8{0, 255}), "mlx.Array{dtype: uint8, shape: [2], data: [0 255]}"},
		{"uint16", mlx.FromSlice([]uint16{65535}), "mlx.Array{dtype: uint16, shape: [1], data: [65535]}"},
		{"uint32", mlx.FromSlice([]uint32{1 << 31}), "mlx.Array{dtype: uint32, shape: [1], data: [2147483648]}"},
		{"uint64", mlx.FromSlice([]uint64{1 << 63}), "mlx.Array{dtype: uint64, shape: [1], data: [9223372036854775808]}"},
		{"int8", mlx.FromSlice([]int8{-128}), "mlx.Array{dtype: int8, shape: [1], data: [-128]}"},
		{"int16", mlx.FromSlice([]int16{-300}), "mlx.Array{dtype: int16, shape: [1], data: [-300]}"},
		{"int64", mlx.FromSlice([]int64{-1 << 40}), "mlx.Array{dtype: int64, shape: [1], data: [-1099511627776]}"},
		{"complex64", mlx.FromSlice([]complex64{1 + 2i, -0.5i}), "mlx.Array{dtype: complex64, shape: [2], data: [(1+2i) (0-0.5i)]}"},
		{"scalar", mlx.Scalar[int32](7), "mlx.Array{dtype: int32, shape: [], data: [7]}"},
		{"empty", mlx.FromSlice([]float32{}), "mlx.Array{dtype: float32, shape: [0], data: []}"},
		{"empty 2-D", mlx.FromSlice([]int32{}, 2, 0), "mlx.Array{dtype: int32, shape: [2 0], data: []}"},
		{"3-D", mlx.FromSlice([]int{0, 1, 2, 3, 4, 5, 6, 7}, 2, 2, 2), "mlx.Array{dtype: int32, shape: [2 2 2], data: [0 1 2 3 4 5 6 7]}"},
		// Not row-contiguous: the data still reads in row-major order.
		{"transposed", mlx.Transpose(mlx.FromSlice([]int{1, 2, 3, 4, 5, 6}, 2, 3)), "mlx.Array{dtype: int32, shape: [3 2], data: [1 4 2 5 3 6]}"},
		{"lazy", mlx.Add(mlx.FromSlice([]float32{1, 2}), mlx.Scalar[float32](0.5)), "mlx.Array{dtype: float32, shape: [2], data: [1.5 2.5]}"},
		{"1000 elements print in full", mlx.Arange(0, 1000, 1, mlx.Int32), full.String()},
		{"1001 elements are shortened", mlx.Arange(0, 1001, 1, mlx.Int32), "mlx.Array{dtype: int32, shape: [1001], data: [0 1 2 ... 998 999 1000]}"},
		{"large 2-D", mlx.Reshape(mlx.Arange(0, 1e6, 1, mlx.Float32), 1000, 1000), "mlx.Array{dtype: float32, shape: [1000 1000], data: [0 1 2 ... 999997 999998 999999]}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.a.GoString()
			if got != tt.want {
				t.Errorf("GoString() =\n%s\nwant\n%s", got, tt.want)
			}
			if viaFmt := fmt.Sprintf("%#v", tt.a); viaFmt != got {
				t.Errorf("%%#v = %q, GoString() = %q", viaFmt, got)
			}
		})
	}
}

// MLX's printer shortens long dimensions itself, so %v of a large array
// prints Python MLX's summary, without the Go side reading all the data.
func TestFormatLargeArrays(t *testing.T) {
	tests := []struct {
		name string
		a    *mlx.Array
		want string
	}{
		{"7 elements", mlx.Arange(0, 7, 1, mlx.Int32), "array([0, 1, 2, ..., 4, 5, 6], dtype=int32)"},
		{"float", mlx.Arange(0, 50, 0.5, mlx.Float32), "array([0, 0.5, 1, ..., 48.5, 49, 49.5], dtype=float32)"},
		{"1000x1000", mlx.Reshape(mlx.Arange(0, 1e6, 1, mlx.Int32), 1000, 1000), "array([[0, 1, 2, ..., 997, 998, 999],\n" +
			"       [1000, 1001, 1002, ..., 1997, 1998, 1999],\n" +
			"       [2000, 2001, 2002, ..., 2997, 2998, 2999],\n" +
			"       ...,\n" +
			"       [997000, 997001, 997002, ..., 997997, 997998, 997999],\n" +
			"       [998000, 998001, 998002, ..., 998997, 998998, 998999],\n" +
			"       [999000, 999001, 999002, ..., 999997, 999998, 999999]], dtype=int32)"},
		{"8x2x8", mlx.Reshape(mlx.Arange(0, 128, 1, mlx.Int32), 8, 2, 8), "array([[[0, 1, 2, ..., 5, 6, 7],\n" +
			"        [8, 9, 10, ..., 13, 14, 15]],\n" +
			"       [[16, 17, 18, ..., 21, 22, 23],\n" +
			"        [24, 25, 26, ..., 29, 30, 31]],\n" +
			"       [[32, 33, 34, ..., 37, 38, 39],\n" +
			"        [40, 41, 42, ..., 45, 46, 47]],\n" +
			"       ...,\n" +
			"       [[80, 81, 82, ..., 85, 86, 87],\n" +
			"        [88, 89, 90, ..., 93, 94, 95]],\n" +
			"       [[96, 97, 98, ..., 101, 102, 103],\n" +
			"        [104, 105, 106, ..., 109, 110, 111]],\n" +
			"       [[112, 113, 114, ..., 117, 118, 119],\n" +
			"        [120, 121, 122, ..., 125, 126, 127]]], dtype=int32)"},
		// A transposed view: MLX walks its strides, so rows are columns.
		{"transposed", mlx.Transpose(mlx.Reshape(mlx.Arange(0, 64, 1, mlx.Int32), 8, 8)), "array([[0, 8, 16, ..., 40, 48, 56],\n" +
			"       [1, 9, 17, ..., 41, 49, 57],\n" +
			"       [2, 10, 18, ..., 42, 50, 58],\n" +
			"       ...,\n" +
			"       [5, 13, 21, ..., 45, 53, 61],\n" +
			"       [6, 14, 22, ..., 46, 54, 62],\n" +
			"       [7, 15, 23, ..., 47, 55, 63]], dtype=int32)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, verb := range []string{"%v", "%s"} {
				if got := fmt.Sprintf(verb, tt.a); got != tt.want {
					t.Errorf("Sprintf(%q) =\n%s\nwant\n%s", verb, got, tt.want)
				}
			}
		})
	}
}

func ExampleArray_Format() {
	a := mlx.FromSlice([]float32{1, 2.5, 3, 4}, 2, 2)
	fmt.Printf("%v\n", a)
	fmt.Printf("%q\n", a)
	fmt.Printf("%#v\n", a)
	fmt.Println(mlx.Arange(0, 10, 1, mlx.Int32))
	// Output:
	// array([[1, 2.5],
	//        [3, 4]], dtype=float32)
	// "array([[1, 2.5],\n       [3, 4]], dtype=float32)"
	// mlx.Array{dtype: float32, shape: [2 2], data: [1 2.5 3 4]}
	// array([0, 1, 2, ..., 7, 8, 9], dtype=int32)
}
