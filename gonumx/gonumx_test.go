package gonumx_test

import (
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/mlx-go/mlx"
	"github.com/mlx-go/mlx/gonumx"
	"gonum.org/v1/gonum/mat"
)

// checkArray checks that a is a float64 array of the given shape and data.
func checkArray(t *testing.T, a *mlx.Array, shape []int, want []float64) {
	t.Helper()
	if got := a.Dtype(); got != mlx.Float64 {
		t.Errorf("dtype %v, want float64", got)
	}
	if got := a.Shape(); !slices.Equal(got, shape) {
		t.Errorf("shape %v, want %v", got, shape)
	}
	got, err := mlx.Data[float64](a)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("data %v, want %v", got, want)
	}
}

func TestToDense(t *testing.T) {
	tests := []struct {
		name string
		a    *mlx.Array
		want *mat.Dense
	}{
		{"float64", mlx.FromSlice([]float64{1, 2, 3, 4, 5, 6}, 2, 3), mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})},
		{"1x1", mlx.FromSlice([]float64{-7}, 1, 1), mat.NewDense(1, 1, []float64{-7})},
		// float32 widens exactly: 0.1f is not 0.1.
		{"float32", mlx.FromSlice([]float32{0.1, 2.5}, 2, 1), mat.NewDense(2, 1, []float64{float64(float32(0.1)), 2.5})},
		{"lazy", mlx.Matmul(mlx.FromSlice([]float64{1, 2, 3, 4}, 2, 2), mlx.FromSlice([]float64{1, 0, 0, 2}, 2, 2)),
			mat.NewDense(2, 2, []float64{1, 4, 3, 8})},
		{"transposed view", mlx.Transpose(mlx.FromSlice([]float64{1, 2, 3, 4, 5, 6}, 2, 3)), mat.NewDense(3, 2, []float64{1, 4, 2, 5, 3, 6})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := gonumx.ToDense(tt.a)
			if err != nil {
				t.Fatal(err)
			}
			if !mat.Equal(m, tt.want) {
				t.Errorf("ToDense =\n%v\nwant\n%v", mat.Formatted(m), mat.Formatted(tt.want))
			}
		})
	}
}

func TestToVecDense(t *testing.T) {
	tests := []struct {
		name string
		a    *mlx.Array
		want *mat.VecDense
	}{
		{"float64", mlx.FromSlice([]float64{1, -2, 3}), mat.NewVecDense(3, []float64{1, -2, 3})},
		{"float32", mlx.FromSlice([]float32{0.5}), mat.NewVecDense(1, []float64{0.5})},
		{"strided view", mlx.Slice(mlx.FromSlice([]float64{0, 1, 2, 3, 4, 5}), []int{1}, []int{6}, []int{2}), mat.NewVecDense(3, []float64{1, 3, 5})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := gonumx.ToVecDense(tt.a)
			if err != nil {
				t.Fatal(err)
			}
			if !mat.Equal(v, tt.want) {
				t.Errorf("ToVecDense = %v, want %v", mat.Formatted(v.T()), mat.Formatted(tt.want.T()))
			}
		})
	}
}

func TestToErrors(t *testing.T) {
	freed := mlx.FromSlice([]float64{1, 2}, 1, 2)
	freed.Free()
	bad := mlx.Reshape(mlx.FromSlice([]float64{1, 2, 3}), 2, 2)
	tests := []struct {
		name     string
		to       func(*mlx.Array) error
		a        *mlx.Array
		want     string
		sentinel error // what errors.Is matches, if any
		mlxErr   bool  // wraps an *mlx.Error
	}{
		{"dense of a vector", toDense, mlx.FromSlice([]float64{1, 2}), "gonumx: ToDense: array has shape [2], want a matrix shape [rows cols] with rows, cols > 0", mlx.ErrInvalidArgument, false},
		{"dense of 3-D", toDense, mlx.Zeros([]int{1, 2, 3}, mlx.Float64), "gonumx: ToDense: array has shape [1 2 3], want a matrix shape [rows cols] with rows, cols > 0", mlx.ErrInvalidArgument, false},
		{"dense of a scalar", toDense, mlx.Scalar(1.0), "gonumx: ToDense: array has shape [], want a matrix shape [rows cols] with rows, cols > 0", mlx.ErrInvalidArgument, false},
		{"dense with no rows", toDense, mlx.FromSlice([]float64{}, 0, 3), "gonumx: ToDense: array has shape [0 3], want a matrix shape [rows cols] with rows, cols > 0", mlx.ErrInvalidArgument, false},
		{"dense of int32", toDense, mlx.FromSlice([]int{1, 2}, 1, 2), "gonumx: ToDense: array has dtype int32, want float64 or float32: convert it with mlx.AsType first", mlx.ErrInvalidArgument, false},
		{"dense of nil", toDense, nil, "gonumx: ToDense: mlx: array: nil array", mlx.ErrNilArray, true},
		{"dense of freed", toDense, freed, "gonumx: ToDense: mlx: array: array used after Free", mlx.ErrFreed, true},
		{"dense of a failed op", toDense, bad, "gonumx: ToDense: mlx: reshape: [reshape] Cannot reshape array of size 3 into shape (2,2).", nil, true},
		{"vector of a matrix", toVec, mlx.FromSlice([]float64{1, 2}, 1, 2), "gonumx: ToVecDense: array has shape [1 2], want a vector shape [n] with n > 0", mlx.ErrInvalidArgument, false},
		{"empty vector", toVec, mlx.FromSlice([]float64{}), "gonumx: ToVecDense: array has shape [0], want a vector shape [n] with n > 0", mlx.ErrInvalidArgument, false},
		{"vector of complex", toVec, mlx.FromSlice([]complex64{1}), "gonumx: ToVecDense: array has dtype complex64, want float64 or float32: convert it with mlx.AsType first", mlx.ErrInvalidArgument, false},
		{"vector of a failed op", toVec, bad, "gonumx: ToVecDense: mlx: reshape: [reshape] Cannot reshape array of size 3 into shape (2,2).", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.to(tt.a)
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Errorf("error %q, want %q", err, tt.want)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(err, %v) = false, want true", tt.sentinel)
			}
			var me *mlx.Error
			if got := errors.As(err, &me); got != tt.mlxErr {
				t.Errorf("errors.As(err, *mlx.Error) = %v, want %v", got, tt.mlxErr)
			}
		})
	}
}

func toDense(a *mlx.Array) error {
	m, err := gonumx.ToDense(a)
	if err == nil && m == nil {
		return errors.New("nil matrix and nil error")
	}
	return err
}

func toVec(a *mlx.Array) error {
	v, err := gonumx.ToVecDense(a)
	if err == nil && v == nil {
		return errors.New("nil vector and nil error")
	}
	return err
}

func TestFromMatrix(t *testing.T) {
	d := mat.NewDense(3, 4, []float64{
		1, 2, 3, 4,
		5, 6, 7, 8,
		9, 10, 11, 12,
	})
	tests := []struct {
		name  string
		m     mat.Matrix
		shape []int
		want  []float64
	}{
		{"dense", d, []int{3, 4}, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
		// A slice of a Dense shares its storage: stride 4, 2 columns.
		{"dense view", d.Slice(1, 3, 1, 3), []int{2, 2}, []float64{6, 7, 10, 11}},
		{"transpose", d.T(), []int{4, 3}, []float64{1, 5, 9, 2, 6, 10, 3, 7, 11, 4, 8, 12}},
		{"vector as a column", mat.NewVecDense(2, []float64{1, 2}), []int{2, 1}, []float64{1, 2}},
		{"symmetric", mat.NewSymDense(2, []float64{1, 2, 2, 3}), []int{2, 2}, []float64{1, 2, 2, 3}},
		{"triangular", mat.NewTriDense(2, mat.Upper, []float64{1, 2, 0, 3}), []int{2, 2}, []float64{1, 2, 0, 3}},
		{"diagonal", mat.NewDiagDense(2, []float64{4, 5}), []int{2, 2}, []float64{4, 0, 0, 5}},
		{"empty", &mat.Dense{}, []int{0, 0}, []float64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := gonumx.FromMatrix(tt.m)
			if err != nil {
				t.Fatal(err)
			}
			checkArray(t, a, tt.shape, tt.want)
		})
	}
}

func TestFromVector(t *testing.T) {
	d := mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})
	tests := []struct {
		name string
		v    mat.Vector
		want []float64
	}{
		{"vecdense", mat.NewVecDense(3, []float64{1, -2, 3.5}), []float64{1, -2, 3.5}},
		{"column view (stride 3)", d.ColView(1), []float64{2, 5}},
		{"row view", d.RowView(1), []float64{4, 5, 6}},
		{"vector slice", mat.NewVecDense(4, []float64{1, 2, 3, 4}).SliceVec(1, 3), []float64{2, 3}},
		{"empty", &mat.VecDense{}, []float64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := gonumx.FromVector(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			checkArray(t, a, []int{len(tt.want)}, tt.want)
		})
	}
}

func TestFromNil(t *testing.T) {
	for _, tt := range []struct {
		name string
		from func() (*mlx.Array, error)
		want string
	}{
		{"nil matrix", func() (*mlx.Array, error) { return gonumx.FromMatrix(nil) }, "gonumx: FromMatrix: nil matrix"},
		{"nil *Dense", func() (*mlx.Array, error) { return gonumx.FromMatrix((*mat.Dense)(nil)) }, "gonumx: FromMatrix: nil matrix"},
		{"nil *SymDense", func() (*mlx.Array, error) { return gonumx.FromMatrix((*mat.SymDense)(nil)) }, "gonumx: FromMatrix: nil matrix"},
		{"nil vector", func() (*mlx.Array, error) { return gonumx.FromVector(nil) }, "gonumx: FromVector: nil vector"},
		{"nil *VecDense", func() (*mlx.Array, error) { return gonumx.FromVector((*mat.VecDense)(nil)) }, "gonumx: FromVector: nil vector"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, err := tt.from()
			if a != nil || err == nil || err.Error() != tt.want || !errors.Is(err, mlx.ErrInvalidArgument) {
				t.Errorf("got %v, %v; want nil, %q matching mlx.ErrInvalidArgument", a, err, tt.want)
			}
		})
	}
}

// Conversions copy: changing one side afterwards leaves the other alone.
func TestRoundTripCopies(t *testing.T) {
	d := mat.NewDense(2, 2, []float64{1, 2, 3, 4})
	a, err := gonumx.FromMatrix(d)
	if err != nil {
		t.Fatal(err)
	}
	d.Set(0, 0, 100)
	back, err := gonumx.ToDense(a)
	if err != nil {
		t.Fatal(err)
	}
	if want := mat.NewDense(2, 2, []float64{1, 2, 3, 4}); !mat.Equal(back, want) {
		t.Errorf("round trip = %v, want %v", mat.Formatted(back), mat.Formatted(want))
	}
	back.Set(1, 1, -1)
	checkArray(t, a, []int{2, 2}, []float64{1, 2, 3, 4})

	v := mat.NewVecDense(3, []float64{7, 8, 9})
	va, err := gonumx.FromVector(v)
	if err != nil {
		t.Fatal(err)
	}
	vb, err := gonumx.ToVecDense(mlx.Multiply(va, mlx.Scalar(2.0)))
	if err != nil {
		t.Fatal(err)
	}
	if want := mat.NewVecDense(3, []float64{14, 16, 18}); !mat.Equal(vb, want) {
		t.Errorf("2*v = %v, want %v", mat.Formatted(vb.T()), mat.Formatted(want.T()))
	}
}

// The core package must not depend on gonum; only this one does.
func TestCoreDoesNotImportGonum(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool:", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "github.com/mlx-go/mlx").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "gonum.org/") {
			t.Errorf("package mlx depends on %s", pkg)
		}
	}
}

func Example() {
	a := mlx.FromSlice([]float64{1, 2, 3, 4}, 2, 2)
	m, err := gonumx.ToDense(mlx.Matmul(a, a))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v\n\n", mat.Formatted(m))

	var half mat.Dense
	half.Scale(0.5, m)
	b, err := gonumx.FromMatrix(&half)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(b)
	// Output:
	// ⎡ 7  10⎤
	// ⎣15  22⎦
	//
	// array([[3.5, 5],
	//        [7.5, 11]], dtype=float64)
}
