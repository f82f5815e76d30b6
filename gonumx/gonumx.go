// Package gonumx converts between MLX arrays and gonum's matrices and
// vectors (gonum.org/v1/gonum/mat), so that results computed with MLX can be
// handed to gonum's linear algebra, statistics or plotting, and back.
//
// Every conversion copies: an MLX array and a gonum matrix never share
// memory. MLX arrays are row-major, as gonum's Dense is.
//
//	a := mlx.FromSlice([]float64{1, 2, 3, 4}, 2, 2)
//	m, err := gonumx.ToDense(a) // 2×2 *mat.Dense
//	...
//	b, err := gonumx.FromMatrix(m.T()) // float64 array of shape [2 2]
//
// Arrays made from gonum values are float64, gonum's element type. Arrays
// read into gonum values must be float64 or float32 (widened exactly);
// convert other dtypes first with mlx.AsType. MLX's Metal backend has no
// float64: on Apple GPUs compute in float32 and convert at the boundary.
//
// Bad shapes, dtypes and nil arguments are errors that match
// mlx.ErrInvalidArgument with errors.Is; errors of the array itself (an
// error it carries, use after Free, a failed evaluation) come back wrapped,
// so errors.As still finds the *mlx.Error.
package gonumx

import (
	"fmt"

	"github.com/mlx-go/mlx"
	"gonum.org/v1/gonum/mat"
)

// argError is a bad argument detected here; it matches mlx.ErrInvalidArgument.
type argError struct{ msg string }

func (e *argError) Error() string { return e.msg }

func (e *argError) Unwrap() error { return mlx.ErrInvalidArgument }

func errorf(fn, format string, args ...any) error {
	return &argError{msg: "gonumx: " + fn + ": " + fmt.Sprintf(format, args...)}
}

// ToDense evaluates a, which must be 2-D with no zero dimension (gonum has no
// such matrices), and returns a new r×c *mat.Dense holding its elements.
// a must be float64 or float32.
func ToDense(a *mlx.Array) (*mat.Dense, error) {
	const fn = "ToDense"
	data, shape, err := read(fn, a)
	if err != nil {
		return nil, err
	}
	if len(shape) != 2 || shape[0] == 0 || shape[1] == 0 {
		return nil, errorf(fn, "array has shape %v, want a matrix shape [rows cols] with rows, cols > 0", shapeOf(shape))
	}
	return mat.NewDense(shape[0], shape[1], data), nil
}

// ToVecDense evaluates a, which must be 1-D and not empty (gonum has no
// empty vectors), and returns a new *mat.VecDense holding its elements. a
// must be float64 or float32.
func ToVecDense(a *mlx.Array) (*mat.VecDense, error) {
	const fn = "ToVecDense"
	data, shape, err := read(fn, a)
	if err != nil {
		return nil, err
	}
	if len(shape) != 1 || shape[0] == 0 {
		return nil, errorf(fn, "array has shape %v, want a vector shape [n] with n > 0", shapeOf(shape))
	}
	return mat.NewVecDense(shape[0], data), nil
}

// read checks a's dtype and returns a copy of its elements as float64, and
// its shape.
func read(fn string, a *mlx.Array) ([]float64, []int, error) {
	if err := a.Err(); err != nil {
		return nil, nil, fmt.Errorf("gonumx: %s: %w", fn, err)
	}
	var data []float64
	var err error
	switch dt := a.Dtype(); dt {
	case mlx.Float64:
		data, err = mlx.Data[float64](a)
	case mlx.Float32:
		var f32 []float32
		if f32, err = mlx.Data[float32](a); err == nil {
			data = make([]float64, len(f32))
			for i, v := range f32 {
				data[i] = float64(v)
			}
		}
	default:
		return nil, nil, errorf(fn, "array has dtype %v, want float64 or float32: convert it with mlx.AsType first", dt)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("gonumx: %s: %w", fn, err)
	}
	return data, a.Shape(), nil
}

// shapeOf prints a scalar's nil shape as [].
func shapeOf(shape []int) []int {
	if shape == nil {
		return []int{}
	}
	return shape
}

// FromMatrix returns a new float64 array of shape [rows cols] holding m's
// elements. m may be any gonum matrix: a *mat.Dense (copied directly), a
// transpose, a view, a *mat.VecDense (a column), a symmetric or triangular
// matrix, ... An empty matrix (such as a zero mat.Dense) gives an array of
// shape [0 0].
func FromMatrix(m mat.Matrix) (*mlx.Array, error) {
	const fn = "FromMatrix"
	if isNil(m) {
		return nil, errorf(fn, "nil matrix")
	}
	r, c := m.Dims()
	data := make([]float64, r*c)
	if rm, ok := m.(mat.RawMatrixer); ok {
		raw := rm.RawMatrix()
		for i := range r {
			copy(data[i*c:(i+1)*c], raw.Data[i*raw.Stride:i*raw.Stride+c])
		}
	} else {
		for i := range r {
			for j := range c {
				data[i*c+j] = m.At(i, j)
			}
		}
	}
	return array(fn, data, r, c)
}

// FromVector returns a new 1-D float64 array holding v's elements: a
// *mat.VecDense (strided views included), a row or column view, any
// mat.Vector. An empty vector gives an array of shape [0].
func FromVector(v mat.Vector) (*mlx.Array, error) {
	const fn = "FromVector"
	if isNil(v) {
		return nil, errorf(fn, "nil vector")
	}
	n := v.Len()
	data := make([]float64, n)
	if rv, ok := v.(mat.RawVectorer); ok {
		raw := rv.RawVector()
		for i := range n {
			data[i] = raw.Data[i*raw.Inc]
		}
	} else {
		for i := range n {
			data[i] = v.AtVec(i)
		}
	}
	return array(fn, data, n)
}

func array(fn string, data []float64, shape ...int) (*mlx.Array, error) {
	a := mlx.FromSlice(data, shape...)
	if err := a.Err(); err != nil {
		return nil, fmt.Errorf("gonumx: %s: %w", fn, err)
	}
	return a, nil
}

// isNil reports whether m is nil or a nil pointer of one of gonum's concrete
// types, whose methods would panic.
func isNil(m any) bool {
	switch p := m.(type) {
	case nil:
		return true
	case *mat.Dense:
		return p == nil
	case *mat.VecDense:
		return p == nil
	case *mat.SymDense:
		return p == nil
	case *mat.TriDense:
		return p == nil
	case *mat.DiagDense:
		return p == nil
	}
	return false
}
