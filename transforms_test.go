package mlx_test

// Tests of the function transforms (transforms.go, closure_export.go) against
// the real MLX: gradients checked against central finite differences computed
// here in Go, higher derivatives, VJP/JVP against analytic Jacobians, vmap
// against a loop over the batch, compile, checkpoint, custom VJPs,
// export/import, errors raised inside transformed functions, and transforms
// from many goroutines at once.
//
// Expected values are computed in Go from the inputs, never taken from the
// binding's output.
//
// The CPU backend runs every op used here in float64, but MLX 0.31 computes
// float64 exp, sin and cos (and so sigmoid, softmax, logsumexp) only to about
// float32 accuracy: errors of 1e-7 to 2e-7 (relative for exp, absolute for
// sin and cos), in steps between neighbouring inputs. Arithmetic, matmul, reductions, log, log1p, sqrt, tan,
// tanh, atan and power are accurate to double rounding. Functions built from
// the accurate ops are therefore checked in float64 with tight tolerances;
// those using exp, sin or cos with tolerances set by that float32-level
// noise (and a larger finite-difference step to average it out). Every
// function is also checked in float32 against the float64 differences.

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mlx-go/mlx"
)

// ---- helpers ---------------------------------------------------------------

// trArr makes an array of dtype dt (Float32 or Float64) holding data.
func trArr(dt mlx.Dtype, data []float64, shape ...int) *mlx.Array {
	if dt == mlx.Float64 {
		return mlx.FromSlice(slices.Clone(data), shape...)
	}
	f := make([]float32, len(data))
	for i, v := range data {
		f[i] = float32(v)
	}
	return mlx.FromSlice(f, shape...)
}

// trS makes a 0-dimensional array of dtype dt.
func trS(dt mlx.Dtype, v float64) *mlx.Array { return trArr(dt, []float64{v}, []int{}...) }

// trSeq returns n deterministic values spread over (-scale, scale).
func trSeq(n int, seed, scale float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = scale * math.Sin(seed+1.37*float64(i)+0.11*float64(i*i))
	}
	return v
}

// trRead evaluates a float32 or float64 array and returns its elements.
func trRead(t testing.TB, a *mlx.Array) []float64 {
	t.Helper()
	switch a.Dtype() {
	case mlx.Float32:
		d, err := mlx.Data[float32](a)
		if err != nil {
			t.Fatalf("reading array: %v", err)
		}
		out := make([]float64, len(d))
		for i, v := range d {
			out[i] = float64(v)
		}
		return out
	case mlx.Float64:
		d, err := mlx.Data[float64](a)
		if err != nil {
			t.Fatalf("reading array: %v", err)
		}
		return d
	}
	if err := a.Err(); err != nil {
		t.Fatalf("array carries an error: %v", err)
	}
	t.Fatalf("array has dtype %v, want float32 or float64", a.Dtype())
	return nil
}

// trFunc makes an mlx.Func of a function that cannot fail.
func trFunc(f func(a []*mlx.Array) []*mlx.Array) mlx.Func {
	return func(a []*mlx.Array) ([]*mlx.Array, error) { return f(a), nil }
}

// trScalarFunc makes an mlx.Func of a function with one output.
func trScalarFunc(f func(a []*mlx.Array) *mlx.Array) mlx.Func {
	return func(a []*mlx.Array) ([]*mlx.Array, error) { return []*mlx.Array{f(a)}, nil }
}

// trNear checks |got-want| <= atol + rtol*|want| elementwise and returns the
// largest absolute error.
func trNear(t testing.TB, what string, got, want []float64, atol, rtol float64) float64 {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d values, want %d", what, len(got), len(want))
		return math.Inf(1)
	}
	worst, bad := 0.0, 0
	for i := range got {
		d := math.Abs(got[i] - want[i])
		if !(d <= atol+rtol*math.Abs(want[i])) { // also catches NaN
			if bad < 4 {
				t.Errorf("%s[%d] = %.12g, want %.12g (error %.3g, tolerance %.3g)", what, i, got[i], want[i], d, atol+rtol*math.Abs(want[i]))
			}
			bad++
		}
		if d > worst || math.IsNaN(d) {
			worst = d
		}
	}
	if bad > 4 {
		t.Errorf("%s: %d of %d values out of tolerance", what, bad, len(got))
	}
	return worst
}

// trExact checks that got equals want exactly.
func trExact(t testing.TB, what string, got, want []float64) {
	t.Helper()
	trNear(t, what, got, want, 0, 0)
}

func trShape(t testing.TB, what string, a *mlx.Array, want ...int) {
	t.Helper()
	if got := a.Shape(); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Errorf("%s: shape %v, want %v", what, got, want)
	}
}

// trCubeGrad is a small known-good transform: the gradient of sum(x*x*x) at
// (1, 2, 3) is (3, 12, 27) exactly. Tests run it after a failure to show the
// process still works.
func trCubeGrad(t testing.TB) {
	t.Helper()
	g, err := mlx.Grad(trScalarFunc(func(a []*mlx.Array) *mlx.Array {
		return mlx.Sum(mlx.Multiply(mlx.Multiply(a[0], a[0]), a[0]), false)
	}))(mlx.FromSlice([]float32{1, 2, 3}))
	if err != nil {
		t.Fatalf("a valid Grad after the failure: %v", err)
	}
	trExact(t, "grad of sum(x^3) after the failure", trRead(t, g[0]), []float64{3, 12, 27})
}

// ---- gradients against finite differences ----------------------------------

type trTensor struct {
	data  []float64
	shape []int
}

func trT(data []float64, shape ...int) trTensor { return trTensor{data, shape} }

// trGradCase is a scalar function of some arrays, written once for any float
// dtype (constants it uses must be made in dt so that float32 stays float32).
type trGradCase struct {
	name    string
	in      []trTensor
	argnums []int // arguments to differentiate; nil means all
	f       func(dt mlx.Dtype, a []*mlx.Array) *mlx.Array
	// exact, if set, is the analytic gradient for each argnum.
	exact func(in [][]float64) [][]float64
	// approx marks functions using exp, sin or cos, which MLX computes to
	// float32 accuracy even in float64.
	approx bool
}

func (c trGradCase) args(dt mlx.Dtype, in [][]float64) []*mlx.Array {
	a := make([]*mlx.Array, len(c.in))
	for i := range c.in {
		a[i] = trArr(dt, in[i], c.in[i].shape...)
	}
	return a
}

func (c trGradCase) data() [][]float64 {
	d := make([][]float64, len(c.in))
	for i, in := range c.in {
		d[i] = in.data
	}
	return d
}

func (c trGradCase) nums() []int {
	if c.argnums != nil {
		return c.argnums
	}
	n := make([]int, len(c.in))
	for i := range n {
		n[i] = i
	}
	return n
}

// eval64 evaluates the function in float64 with element j of argument i
// moved by delta.
func (c trGradCase) eval64(t testing.TB, i, j int, delta float64) float64 {
	t.Helper()
	in := c.data()
	in[i] = slices.Clone(in[i])
	in[i][j] += delta
	var v float64
	err := mlx.Scope(func() error {
		var err error
		v, err = mlx.Item[float64](c.f(mlx.Float64, c.args(mlx.Float64, in)))
		return err
	})
	if err != nil {
		t.Fatalf("%s: evaluating at a perturbed input: %v", c.name, err)
	}
	return v
}

// finiteDiff returns the finite differences of the function with respect to
// every element of every argnum, in float64, by the five-point central
// stencil (f(x-2h) - 8f(x-h) + 8f(x+h) - f(x+2h)) / 12h, whose truncation
// error is O(h^4).
func (c trGradCase) finiteDiff(t testing.TB) [][]float64 {
	h := c.tol().step
	var fd [][]float64
	for _, i := range c.nums() {
		d := make([]float64, len(c.in[i].data))
		for j := range d {
			d[j] = (c.eval64(t, i, j, -2*h) - 8*c.eval64(t, i, j, -h) + 8*c.eval64(t, i, j, h) - c.eval64(t, i, j, 2*h)) / (12 * h)
		}
		fd = append(fd, d)
	}
	return fd
}

// trTolerances are the step of the finite differences and the tolerances
// (each used as both atol and rtol: |got-want| <= tol*(1+|want|)) of one
// class of functions.
type trTolerances struct {
	step     float64 // finite-difference step
	fd64     float64 // float64 gradient against the finite differences
	analytic float64 // float64 gradient against the analytic gradient
	fd32     float64 // float32 gradient against the float64 finite differences
}

var (
	// Accurate float64 ops: the five-point differences with h = 1e-3 are
	// good to about 1e-12 (h^4 truncation, 1e-16/h rounding). Measured:
	// 5.3e-12 at most in float64, 2.2e-6 in float32.
	trTolAccurate = trTolerances{step: 1e-3, fd64: 1e-9, analytic: 1e-12, fd32: 2e-5}
	// exp, sin, cos: evaluations carry float32-level noise ε of about 2e-7,
	// so the differences carry about 1.5ε/h; h = 2e-2 keeps that near 1.5e-5
	// while the h^4 truncation stays below 1e-6. Measured: 2.2e-5 at most.
	trTolApprox = trTolerances{step: 2e-2, fd64: 2e-4, analytic: 2e-6, fd32: 2e-4}
)

func (c trGradCase) tol() trTolerances {
	if c.approx {
		return trTolApprox
	}
	return trTolAccurate
}

// check computes the value and gradients with ValueAndGrad in dtype dt and
// compares them with want (one slice per argnum). It returns the largest
// absolute and relative errors.
func (c trGradCase) check(t *testing.T, dt mlx.Dtype, want [][]float64, atol, rtol float64) (maxAbs, maxRel float64) {
	t.Helper()
	args := c.args(dt, c.data())
	vg := mlx.ValueAndGrad(trScalarFunc(func(a []*mlx.Array) *mlx.Array { return c.f(dt, a) }), c.nums()...)
	values, grads, err := vg(args...)
	if err != nil {
		t.Fatalf("%v: ValueAndGrad: %v", dt, err)
	}
	if len(values) != 1 || len(grads) != len(c.nums()) {
		t.Fatalf("%v: ValueAndGrad gave %d values and %d gradients, want 1 and %d", dt, len(values), len(grads), len(c.nums()))
	}
	// The value is the function's own output.
	trExact(t, fmt.Sprintf("%v value", dt), trRead(t, values[0]), trRead(t, c.f(dt, args)))
	for k, i := range c.nums() {
		g := grads[k]
		what := fmt.Sprintf("%v gradient of argument %d", dt, i)
		if g.Dtype() != dt {
			t.Errorf("%s: dtype %v, want %v", what, g.Dtype(), dt)
		}
		trShape(t, what, g, c.in[i].shape...)
		got := trRead(t, g)
		trNear(t, what, got, want[k], atol, rtol)
		for j := range got {
			d := math.Abs(got[j] - want[k][j])
			maxAbs = max(maxAbs, d)
			maxRel = max(maxRel, d/max(math.Abs(want[k][j]), 1e-3))
		}
	}
	return maxAbs, maxRel
}

func trGradCases() []trGradCase {
	sumOf := func(a *mlx.Array) *mlx.Array { return mlx.Sum(a, false) }
	return []trGradCase{{
		name: "polynomial 3x^3-2x^2+0.5x-1",
		in:   []trTensor{trT(trSeq(6, 0.3, 1.5), 6)},
		f: func(dt mlx.Dtype, a []*mlx.Array) *mlx.Array {
			x := a[0]
			p := mlx.Multiply(trS(dt, 3), mlx.Power(x, trS(dt, 3)))
			p = mlx.Subtract(p, mlx.Multiply(trS(dt, 2), mlx.Square(x)))
			p = mlx.Add(p, mlx.Multiply(trS(dt, 0.5), x))
			return sumOf(mlx.Subtract(p, trS(dt, 1)))
		},
		exact: func(in [][]float64) [][]float64 {
			g := make([]float64, len(in[0]))
			for i, x := range in[0] {
				g[i] = 9*x*x - 4*x + 0.5
			}
			return [][]float64{g}
		},
	}, {
		name:   "exp and log: exp(x/2)*log(y) + log1p(exp(x))",
		approx: true,
		in:     []trTensor{trT(trSeq(6, 1.1, 1.2), 2, 3), trT([]float64{0.4, 1.3, 2.2, 0.9, 3.1, 1.7}, 2, 3)},
		f: func(dt mlx.Dtype, a []*mlx.Array) *mlx.Array {
			x, y := a[0], a[1]
			e := mlx.Multiply(mlx.Exp(mlx.Multiply(x, trS(dt, 0.5))), mlx.Log(y))
			return sumOf(mlx.Add(e, mlx.Log1p(mlx.Exp(x))))
		},
		exact: func(in [][]float64) [][]float64 {
			gx, gy := make([]float64, 6), make([]float64, 6)
			for i := range gx {
				x, y := in[0][i], in[1][i]
				gx[i] = 0.5*math.Exp(x/2)*math.Log(y) + 1/(1+math.Exp(-x))
				gy[i] = math.Exp(x/2) / y
			}
			return [][]float64{gx, gy}
		},
	}, {
		name:   "trig: sin(x)cos(2x) + tan(x/3) + atan(x)",
		approx: true,
		in:     []trTensor{trT(trSeq(8, 0.7, 2), 8)},
		f: func(dt mlx.Dtype, a []*mlx.Array) *mlx.Array {
			x := a[0]
			s := mlx.Multiply(mlx.Sin(x), mlx.Cos(mlx.Multiply(x, trS(dt, 2))))
			return sumOf(mlx.Add(mlx.Add(s, mlx.Tan(mlx.Divide(x, trS(dt, 3)))), mlx.Atan(x)))
		},
		exact: func(in [][]float64) [][]float64 {
			g := make([]float64, len(in[0]))
			for i, x := range in[0] {
				sec := 1 / math.Cos(x/3)
				g[i] = math.Cos(x)*math.Cos(2*x) - 2*math.Sin(x)*math.Sin(2*x) + sec*sec/3 + 1/(1+x*x)
			}
			return [][]float64{g}
		},
	}, {
		name: "matmul: sum(tanh(A@B) * W)",
		in:   []trTensor{trT(trSeq(12, 0.2, 1), 3, 4), trT(trSeq(8, 2.5, 1), 4, 2)},
		f: func(dt mlx.Dtype, a []*mlx.Array) *mlx.Array {
			w := trArr(dt, trSeq(6, 4.0, 2), 3, 2)
			return sumOf(mlx.Multiply(mlx.Tanh(mlx.Matmul(a[0], a[1])), w))
		},
	}, {
		name:   "softmax: sum(softmax(x, -1) * W)",
		approx: true,
		in:     []trTensor{trT(trSeq(10, 0.9, 2), 2, 5)},
		f: func(dt mlx.Dtype, a []*mlx.Array) *mlx.Array {
			w := trArr(dt, trSeq(10, 3.3, 3), 2, 5)
			return sumOf(mlx.Multiply(mlx.Softmax(a[0], false, -1), w))
		},
	}, {
		name:   "cross entropy: logsumexp and take_along_axis",
		approx: true,
		in:     []trTensor{trT(trSeq(12, 1.9, 2), 3, 4)},
		f: func(_ mlx.Dtype, a []*mlx.Array) *mlx.Array {
			x := a[0]
			logp := mlx.Subtract(x, mlx.LogSumExp(x, true, -1))
			labels := mlx.FromSlice([]int32{2, 0, 3}, 3, 1)
			return mlx.Negative(mlx.Mean(mlx.TakeAlongAxis(logp, labels, 1), false))
		},
	}, {
		name: "sum reductions over axes",
		in:   []trTensor{trT(trSeq(12, 0.4, 1.5), 3, 4)},
		f: func(dt mlx.Dtype, a []*mlx.Array) *mlx.Array {
			x := a[0]
			rows := mlx.Square(mlx.Sum(x, false, 1))                                   // (3)
			cols := mlx.Multiply(mlx.Sum(x, true, 0), trArr(dt, trSeq(4, 1, 2), 1, 4)) // (1,4)
			return mlx.Add(sumOf(rows), sumOf(cols))
		},
		exact: func(in [][]float64) [][]float64 {
			w := trSeq(4, 1, 2)
			g := make([]float64, 12)
			for r := 0; r < 3; r++ {
				s := 0.0
				for c := 0; c < 4; c++ {
					s += in[0][r*4+c]
				}
				for c := 0; c < 4; c++ {
					g[r*4+c] = 2*s + w[c]
				}
			}
			return [][]float64{g}
		},
	}, {
		name: "mean reductions: mean of x^3 over axes (0, 2) and mean(x)^2",
		in:   []trTensor{trT(trSeq(12, 2.2, 1.5), 2, 3, 2)},
		f: func(dt mlx.Dtype, a []*mlx.Array) *mlx.Array {
			x := a[0]
			m := mlx.Mean(mlx.Multiply(mlx.Square(x), x), false, 0, 2) // (3)
			s := sumOf(mlx.Multiply(m, trArr(dt, []float64{1, -2, 3}, 3)))
			return mlx.Add(s, mlx.Square(mlx.Mean(x, false)))
		},
		exact: func(in [][]float64) [][]float64 {
			w := []float64{1, -2, 3}
			mean := 0.0
			for _, v := range in[0] {
				mean += v / 12
			}
			g := make([]float64, 12)
			for i, v := range in[0] {
				j := (i / 2) % 3 // index along axis 1 of (2, 3, 2)
				g[i] = w[j]*3*v*v/4 + 2*mean/12
			}
			return [][]float64{g}
		},
	}, {
		name: "broadcasting: sum(tanh(x*y + z) * x), x (3,1), y (1,4), z (4)",
		in:   []trTensor{trT(trSeq(3, 0.1, 1.2), 3, 1), trT(trSeq(4, 1.7, 1.2), 1, 4), trT(trSeq(4, 2.9, 1), 4)},
		f: func(_ mlx.Dtype, a []*mlx.Array) *mlx.Array {
			x, y, z := a[0], a[1], a[2]
			return sumOf(mlx.Multiply(mlx.Tanh(mlx.Add(mlx.Multiply(x, y), z)), x))
		},
		exact: func(in [][]float64) [][]float64 {
			x, y, z := in[0], in[1], in[2]
			gx, gy, gz := make([]float64, 3), make([]float64, 4), make([]float64, 4)
			for i := range x {
				for j := range y {
					th := math.Tanh(x[i]*y[j] + z[j])
					d := 1 - th*th
					gx[i] += th + x[i]*d*y[j]
					gy[j] += x[i] * d * x[i]
					gz[j] += x[i] * d
				}
			}
			return [][]float64{gx, gy, gz}
		},
	}, {
		name: "take with repeated indices",
		in:   []trTensor{trT(trSeq(6, 0.5, 2), 6)},
		f: func(dt mlx.Dtype, a []*mlx.Array) *mlx.Array {
			t := mlx.Take(a[0], mlx.FromSlice([]int32{0, 3, 3, 5, 1, 3}))
			return sumOf(mlx.Multiply(mlx.Square(t), trArr(dt, []float64{1, 2, 3, 4, 5, 6}, 6)))
		},
		exact: func(in [][]float64) [][]float64 {
			g := make([]float64, 6)
			for k, idx := range []int{0, 3, 3, 5, 1, 3} {
				g[idx] += 2 * in[0][idx] * float64(k+1)
			}
			return [][]float64{g}
		},
	}, {
		name: "take_along_axis",
		in:   []trTensor{trT(trSeq(12, 3.1, 2), 3, 4)},
		f: func(dt mlx.Dtype, a []*mlx.Array) *mlx.Array {
			idx := mlx.FromSlice([]int32{3, 0, 1, 1, 2, 0}, 3, 2)
			t := mlx.TakeAlongAxis(a[0], idx, 1)
			return sumOf(mlx.Multiply(mlx.Log1p(mlx.Square(t)), trArr(dt, trSeq(6, 0.8, 1), 3, 2)))
		},
	}, {
		name: "strided slice",
		in:   []trTensor{trT(trSeq(20, 1.3, 1.5), 4, 5)},
		f: func(dt mlx.Dtype, a []*mlx.Array) *mlx.Array {
			s := mlx.Slice(a[0], []int{1, 0}, []int{4, 5}, []int{2, 2}) // rows 1, 3; columns 0, 2, 4
			return sumOf(mlx.Multiply(mlx.Atan(s), trArr(dt, trSeq(6, 0.6, 2), 2, 3)))
		},
		exact: func(in [][]float64) [][]float64 {
			w := trSeq(6, 0.6, 2)
			g := make([]float64, 20)
			for r, row := range []int{1, 3} {
				for c, col := range []int{0, 2, 4} {
					x := in[0][row*5+col]
					g[row*5+col] = w[r*3+c] / (1 + x*x)
				}
			}
			return [][]float64{g}
		},
	}, {
		name: "reshape and transpose",
		in:   []trTensor{trT(trSeq(12, 0.35, 1.5), 2, 6)},
		f: func(dt mlx.Dtype, a []*mlx.Array) *mlx.Array {
			y := mlx.Transpose(mlx.Reshape(a[0], 2, 3, 2), 2, 0, 1) // (2, 2, 3)
			lin := sumOf(mlx.Multiply(y, trArr(dt, trSeq(12, 5, 1), 2, 2, 3)))
			quad := sumOf(mlx.Square(mlx.Matmul(mlx.Reshape(y, 4, 3), trArr(dt, []float64{1, -1, 0.5}, 3))))
			return mlx.Add(lin, quad)
		},
	}, {
		name: "two-layer MLP loss (W1, b1, W2, b2)",
		in: []trTensor{
			trT(trSeq(12, 0.1, 1), 4, 3), // inputs, not differentiated
			trT(trSeq(15, 1.2, 0.8), 3, 5),
			trT(trSeq(5, 2.3, 0.3), 5),
			trT(trSeq(10, 3.4, 0.8), 5, 2),
			trT(trSeq(2, 4.5, 0.3), 2),
		},
		argnums: []int{1, 2, 3, 4},
		f: func(dt mlx.Dtype, a []*mlx.Array) *mlx.Array {
			x, w1, b1, w2, b2 := a[0], a[1], a[2], a[3], a[4]
			target := trArr(dt, trSeq(8, 6, 1), 4, 2)
			h := mlx.Tanh(mlx.Add(mlx.Matmul(x, w1), b1))
			out := mlx.Add(mlx.Matmul(h, w2), b2)
			return mlx.Mean(mlx.Square(mlx.Subtract(out, target)), false)
		},
	}, {
		name:   "division, sqrt, sigmoid and maximum",
		approx: true,
		in:     []trTensor{trT([]float64{-1.5, -0.4, 0.3, 1.1, 2.0}, 5), trT([]float64{0.2, -1.3, 1.4, 0.5, -0.7}, 5)},
		f: func(dt mlx.Dtype, a []*mlx.Array) *mlx.Array {
			x, y := a[0], a[1]
			q := mlx.Divide(mlx.Sqrt(mlx.Add(mlx.Square(x), trS(dt, 1))), mlx.Add(trS(dt, 2), mlx.Sin(y)))
			return sumOf(mlx.Add(mlx.Add(q, mlx.Sigmoid(mlx.Multiply(x, y))), mlx.Maximum(x, y)))
		},
		exact: func(in [][]float64) [][]float64 {
			gx, gy := make([]float64, 5), make([]float64, 5)
			for i := range gx {
				x, y := in[0][i], in[1][i]
				r, d := math.Sqrt(x*x+1), 2+math.Sin(y)
				s := 1 / (1 + math.Exp(-x*y))
				gx[i] = x/r/d + s*(1-s)*y
				gy[i] = -r*math.Cos(y)/(d*d) + s*(1-s)*x
				if x > y {
					gx[i]++
				} else {
					gy[i]++
				}
			}
			return [][]float64{gx, gy}
		},
	}}
}

// trTolExact is the tolerance of float64 results of accurate ops against
// the same formula in Go; trTolF32Ops that of results using exp, sin or cos.
const (
	trTolExact  = 1e-12
	trTolF32Ops = 2e-6
)

func TestGradFiniteDifferences(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	cases := trGradCases()
	if len(cases) < 12 {
		t.Fatalf("only %d functions", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tol := c.tol()
			fd := c.finiteDiff(t)
			if c.exact != nil {
				// The finite differences themselves agree with the analytic gradient.
				exact := c.exact(c.data())
				for k := range fd {
					trNear(t, fmt.Sprintf("finite differences of argument %d against the analytic gradient", c.nums()[k]), fd[k], exact[k], tol.fd64, tol.fd64)
				}
				a, r := c.check(t, mlx.Float64, exact, tol.analytic, tol.analytic)
				t.Logf("float64 against analytic: max abs error %.2g (rel %.2g)", a, r)
			}
			a64, r64 := c.check(t, mlx.Float64, fd, tol.fd64, tol.fd64)
			a32, r32 := c.check(t, mlx.Float32, fd, tol.fd32, tol.fd32)
			t.Logf("against finite differences: float64 max abs error %.2g (rel %.2g); float32 %.2g (rel %.2g)", a64, r64, a32, r32)
		})
	}
}

// ---- higher derivatives ----------------------------------------------------

// trSumGrad returns a Func computing sum(grad(f)(args)[0]): for an elementwise
// f summed, differentiating it again gives the next derivative elementwise.
func trSumGrad(f mlx.Func, argnum int) mlx.Func {
	g := mlx.Grad(f, argnum)
	return func(a []*mlx.Array) ([]*mlx.Array, error) {
		gr, err := g(a...)
		if err != nil {
			return nil, err
		}
		return []*mlx.Array{mlx.Sum(gr[0], false)}, nil
	}
}

func TestSecondDerivatives(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	x := []float64{-1.3, -0.2, 0.45, 0.9, 1.7}
	pos := []float64{0.3, 0.8, 1.5, 2.4, 4.0}
	// tol: trTolF32Ops where MLX's float64 exp, sin or cos are involved.
	elementwise := []struct {
		name   string
		at     []float64
		f      func(x *mlx.Array) *mlx.Array
		second func(x float64) float64
		tol    float64
	}{
		{"x^3 + 2x^2", x, func(x *mlx.Array) *mlx.Array {
			x2 := mlx.Multiply(x, x)
			return mlx.Add(mlx.Multiply(x2, x), mlx.Multiply(trS(mlx.Float64, 2), x2))
		}, func(x float64) float64 { return 6*x + 4 }, trTolExact},
		{"x sin(x)", x, func(x *mlx.Array) *mlx.Array { return mlx.Multiply(x, mlx.Sin(x)) },
			func(x float64) float64 { return 2*math.Cos(x) - x*math.Sin(x) }, trTolF32Ops},
		{"exp(2x) + log(x)", pos, func(x *mlx.Array) *mlx.Array {
			return mlx.Add(mlx.Exp(mlx.Multiply(trS(mlx.Float64, 2), x)), mlx.Log(x))
		}, func(x float64) float64 { return 4*math.Exp(2*x) - 1/(x*x) }, trTolF32Ops},
		{"tanh(x)", x, mlx.Tanh, func(x float64) float64 {
			th := math.Tanh(x)
			return -2 * th * (1 - th*th)
		}, trTolExact},
		{"log(x) / x", pos, func(x *mlx.Array) *mlx.Array { return mlx.Divide(mlx.Log(x), x) },
			func(x float64) float64 { return (2*math.Log(x) - 3) / (x * x * x) }, trTolExact},
	}
	for _, c := range elementwise {
		t.Run(c.name, func(t *testing.T) {
			f := trScalarFunc(func(a []*mlx.Array) *mlx.Array { return mlx.Sum(c.f(a[0]), false) })
			g2, err := mlx.Grad(trSumGrad(f, 0))(mlx.FromSlice(c.at))
			if err != nil {
				t.Fatal(err)
			}
			want := make([]float64, len(c.at))
			for i, v := range c.at {
				want[i] = c.second(v)
			}
			trNear(t, "second derivative", trRead(t, g2[0]), want, c.tol, c.tol)
		})
	}

	t.Run("third derivative of tanh", func(t *testing.T) {
		f := trScalarFunc(func(a []*mlx.Array) *mlx.Array { return mlx.Sum(mlx.Tanh(a[0]), false) })
		g3, err := mlx.Grad(trSumGrad(trSumGrad(f, 0), 0))(mlx.FromSlice(x))
		if err != nil {
			t.Fatal(err)
		}
		want := make([]float64, len(x))
		for i, v := range x {
			th := math.Tanh(v)
			want[i] = -2 * (1 - th*th) * (1 - 3*th*th)
		}
		trNear(t, "third derivative", trRead(t, g3[0]), want, trTolExact, trTolExact)
	})

	t.Run("third derivative of sin", func(t *testing.T) {
		f := trScalarFunc(func(a []*mlx.Array) *mlx.Array { return mlx.Sum(mlx.Sin(a[0]), false) })
		g3, err := mlx.Grad(trSumGrad(trSumGrad(f, 0), 0))(mlx.FromSlice(x))
		if err != nil {
			t.Fatal(err)
		}
		want := make([]float64, len(x))
		for i, v := range x {
			want[i] = -math.Cos(v)
		}
		trNear(t, "third derivative", trRead(t, g3[0]), want, trTolF32Ops, trTolF32Ops)
	})

	t.Run("mixed partial of x^2 y^3", func(t *testing.T) {
		xs, ys := []float64{0.5, -1.2, 2.0}, []float64{1.5, 0.7, -0.9}
		f := trScalarFunc(func(a []*mlx.Array) *mlx.Array {
			y3 := mlx.Multiply(mlx.Square(a[1]), a[1])
			return mlx.Sum(mlx.Multiply(mlx.Square(a[0]), y3), false)
		})
		// d/dy of sum(df/dx) = d/dy sum(2 x y^3) = 6 x y^2.
		g, err := mlx.Grad(trSumGrad(f, 0), 1)(mlx.FromSlice(xs), mlx.FromSlice(ys))
		if err != nil {
			t.Fatal(err)
		}
		want := make([]float64, 3)
		for i := range want {
			want[i] = 6 * xs[i] * ys[i] * ys[i]
		}
		trNear(t, "d2f/dxdy", trRead(t, g[0]), want, trTolExact, trTolExact)
	})

	t.Run("Hessian-vector product of (x.x)^2 by JVP of Grad", func(t *testing.T) {
		xs, vs := []float64{0.3, -1.1, 0.7, 2.0}, []float64{1, 0.5, -2, 0.25}
		f := trScalarFunc(func(a []*mlx.Array) *mlx.Array { return mlx.Square(mlx.Sum(mlx.Square(a[0]), false)) })
		grad := mlx.Grad(f)
		gradF := func(a []*mlx.Array) ([]*mlx.Array, error) { return grad(a...) }
		_, hv, err := mlx.JVP(gradF, []*mlx.Array{mlx.FromSlice(xs)}, []*mlx.Array{mlx.FromSlice(vs)})
		if err != nil {
			t.Fatal(err)
		}
		// H = 8 x x^T + 4 (x.x) I.
		xx, xv := 0.0, 0.0
		for i := range xs {
			xx += xs[i] * xs[i]
			xv += xs[i] * vs[i]
		}
		want := make([]float64, len(xs))
		for i := range want {
			want[i] = 8*xs[i]*xv + 4*xx*vs[i]
		}
		trNear(t, "H v", trRead(t, hv[0]), want, trTolExact, trTolExact)
	})
}

// ---- VJP and JVP -----------------------------------------------------------

func TestVJPAndJVPAgainstAnalyticJacobian(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	// f(x, z) = (W tanh(x) + z, atan(x) * sum(z)), x in R^3, z in R^2:
	// outputs R^2 and R^3, so the full Jacobian is 5x5.
	xs, zs := []float64{0.4, -0.9, 1.3}, []float64{0.7, -0.2}
	w := []float64{1, -2, 0.5, 0.3, 1.5, -1} // 2x3
	f := trFunc(func(a []*mlx.Array) []*mlx.Array {
		x, z := a[0], a[1]
		y1 := mlx.Add(mlx.Matmul(mlx.FromSlice(w, 2, 3), mlx.Tanh(x)), z)
		y2 := mlx.Multiply(mlx.Atan(x), mlx.Sum(z, false))
		return []*mlx.Array{y1, y2}
	})
	// jac[r][c]: output element r (y1 then y2), input element c (x then z).
	var jac [5][5]float64
	sz := zs[0] + zs[1]
	for i := 0; i < 2; i++ {
		for j := 0; j < 3; j++ {
			th := math.Tanh(xs[j])
			jac[i][j] = w[i*3+j] * (1 - th*th)
		}
		jac[i][3+i] = 1
	}
	for i := 0; i < 3; i++ {
		jac[2+i][i] = sz / (1 + xs[i]*xs[i])
		jac[2+i][3] = math.Atan(xs[i])
		jac[2+i][4] = math.Atan(xs[i])
	}
	values := func() []float64 {
		v := make([]float64, 5)
		for i := 0; i < 2; i++ {
			v[i] = zs[i]
			for j := 0; j < 3; j++ {
				v[i] += w[i*3+j] * math.Tanh(xs[j])
			}
		}
		for i := 0; i < 3; i++ {
			v[2+i] = math.Atan(xs[i]) * sz
		}
		return v
	}()
	primals := []*mlx.Array{mlx.FromSlice(xs), mlx.FromSlice(zs)}
	split := func(v []float64, n int) []*mlx.Array {
		return []*mlx.Array{mlx.FromSlice(v[:n]), mlx.FromSlice(v[n:])}
	}
	join := func(a []*mlx.Array) []float64 {
		var out []float64
		for _, x := range a {
			out = append(out, trRead(t, x)...)
		}
		return out
	}
	vectors := [][]float64{{1, 0, 0, 0, 0}, {0, 1, 0, 0, 0}, {0, 0, 1, 0, 0}, {0, 0, 0, 1, 0}, {0, 0, 0, 0, 1}, {0.3, -1.2, 2.5, 0.7, -0.4}}

	for _, v := range vectors {
		// VJP: v (over outputs) times J.
		outs, vjps, err := mlx.VJP(f, primals, split(v, 2))
		if err != nil {
			t.Fatalf("VJP: %v", err)
		}
		trNear(t, "VJP outputs", join(outs), values, trTolExact, trTolExact)
		want := make([]float64, 5)
		for c := 0; c < 5; c++ {
			for r := 0; r < 5; r++ {
				want[c] += v[r] * jac[r][c]
			}
		}
		trShape(t, "vjp of x", vjps[0], 3)
		trShape(t, "vjp of z", vjps[1], 2)
		trNear(t, fmt.Sprintf("VJP with %v", v), join(vjps), want, trTolExact, trTolExact)

		// JVP: J times v (over inputs).
		outs, jvps, err := mlx.JVP(f, primals, split(v, 3))
		if err != nil {
			t.Fatalf("JVP: %v", err)
		}
		trNear(t, "JVP outputs", join(outs), values, trTolExact, trTolExact)
		want = make([]float64, 5)
		for r := 0; r < 5; r++ {
			for c := 0; c < 5; c++ {
				want[r] += jac[r][c] * v[c]
			}
		}
		trShape(t, "jvp of y1", jvps[0], 2)
		trShape(t, "jvp of y2", jvps[1], 3)
		trNear(t, fmt.Sprintf("JVP with %v", v), join(jvps), want, trTolExact, trTolExact)
	}
}

// ---- vmap ------------------------------------------------------------------

// trRow returns row b of a row-major (rows, n) matrix.
func trRow(data []float64, n, b int) []float64 { return data[b*n : (b+1)*n] }

func TestVmapMatchesLoop(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	t.Run("mapped axis 0 with an unmapped argument", func(t *testing.T) {
		const B = 4
		xs := trSeq(B*3, 0.5, 1.5) // (B, 3)
		ws := trSeq(6, 2.5, 1)     // (3, 2), unmapped
		f := trFunc(func(a []*mlx.Array) []*mlx.Array {
			x, w := a[0], a[1]
			return []*mlx.Array{mlx.Add(mlx.Tanh(mlx.Matmul(x, w)), mlx.Sum(x, false))}
		})
		got, err := mlx.Vmap(f, []int{0, -1}, []int{0})([]*mlx.Array{mlx.FromSlice(xs, B, 3), mlx.FromSlice(ws, 3, 2)})
		if err != nil {
			t.Fatal(err)
		}
		trShape(t, "vmap output", got[0], B, 2)
		gv := trRead(t, got[0])
		for b := 0; b < B; b++ {
			x := trRow(xs, 3, b)
			out, err := f([]*mlx.Array{mlx.FromSlice(x), mlx.FromSlice(ws, 3, 2)})
			if err != nil {
				t.Fatal(err)
			}
			loop := trRead(t, out[0])
			trNear(t, fmt.Sprintf("vmap row %d against the loop", b), trRow(gv, 2, b), loop, trTolExact, trTolExact)
			want := make([]float64, 2)
			for j := range want {
				dot, sum := 0.0, 0.0
				for k := 0; k < 3; k++ {
					dot += x[k] * ws[k*2+j]
					sum += x[k]
				}
				want[j] = math.Tanh(dot) + sum
			}
			trNear(t, fmt.Sprintf("loop row %d", b), loop, want, trTolExact, trTolExact)
		}
	})

	t.Run("nonzero in and out axes, three outputs", func(t *testing.T) {
		const B = 5
		xs := trSeq(3*B, 1.1, 2)   // x: (3, B), mapped on axis 1
		ys := trSeq(B*3, 2.2, 2)   // y: (B, 3), mapped on axis 0
		zs := []float64{0.5, -1.5} // z: (2), unmapped
		f := trFunc(func(a []*mlx.Array) []*mlx.Array {
			x, y, z := a[0], a[1], a[2] // per example: (3), (3), (2)
			xy := mlx.Multiply(x, y)
			outer := mlx.Multiply(mlx.ExpandDims(z, 1), x) // (2, 3)
			return []*mlx.Array{mlx.Add(xy, trS(mlx.Float64, 1)), mlx.Sum(xy, false), outer}
		})
		outAxes := []int{1, 0, 2}
		got, err := mlx.Vmap(f, []int{1, 0, -1}, outAxes)([]*mlx.Array{mlx.FromSlice(xs, 3, B), mlx.FromSlice(ys, B, 3), mlx.FromSlice(zs)})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 {
			t.Fatalf("%d outputs, want 3", len(got))
		}
		trShape(t, "output 0 (out axis 1)", got[0], 3, B)
		trShape(t, "output 1 (out axis 0)", got[1], B)
		trShape(t, "output 2 (out axis 2)", got[2], 2, 3, B)
		g0, g1, g2 := trRead(t, got[0]), trRead(t, got[1]), trRead(t, got[2])
		for b := 0; b < B; b++ {
			x := make([]float64, 3)
			for k := range x {
				x[k] = xs[k*B+b] // column b of (3, B)
			}
			y := trRow(ys, 3, b)
			out, err := f([]*mlx.Array{mlx.FromSlice(x), mlx.FromSlice(y), mlx.FromSlice(zs)})
			if err != nil {
				t.Fatal(err)
			}
			l0, l1, l2 := trRead(t, out[0]), trRead(t, out[1]), trRead(t, out[2])
			// Independent check of the loop.
			dot := 0.0
			for k := range x {
				dot += x[k] * y[k]
				trNear(t, "loop output 0", l0[k:k+1], []float64{x[k]*y[k] + 1}, trTolExact, trTolExact)
			}
			trNear(t, "loop output 1", l1, []float64{dot}, trTolExact, trTolExact)
			// The vmapped outputs, read along their out axes.
			for k := 0; k < 3; k++ {
				trNear(t, fmt.Sprintf("output 0 [%d, %d]", k, b), []float64{g0[k*B+b]}, l0[k:k+1], trTolExact, trTolExact)
			}
			trNear(t, fmt.Sprintf("output 1 [%d]", b), []float64{g1[b]}, l1, trTolExact, trTolExact)
			for i := 0; i < 2; i++ {
				for k := 0; k < 3; k++ {
					trNear(t, fmt.Sprintf("output 2 [%d, %d, %d]", i, k, b), []float64{g2[(i*3+k)*B+b]}, []float64{l2[i*3+k]}, trTolExact, trTolExact)
					trNear(t, "loop output 2", []float64{l2[i*3+k]}, []float64{zs[i] * x[k]}, trTolExact, trTolExact)
				}
			}
		}
	})

	t.Run("per-example gradients: vmap of grad", func(t *testing.T) {
		const B = 3
		xs := trSeq(B*4, 0.9, 2)
		ws := []float64{1, -2, 0.5, 3}
		grad := mlx.Grad(trScalarFunc(func(a []*mlx.Array) *mlx.Array {
			return mlx.Sum(mlx.Multiply(mlx.Tanh(a[0]), a[1]), false)
		}))
		gradF := func(a []*mlx.Array) ([]*mlx.Array, error) { return grad(a...) }
		got, err := mlx.Vmap(gradF, []int{0, -1}, []int{0})([]*mlx.Array{mlx.FromSlice(xs, B, 4), mlx.FromSlice(ws)})
		if err != nil {
			t.Fatal(err)
		}
		trShape(t, "per-example gradients", got[0], B, 4)
		gv := trRead(t, got[0])
		for b := 0; b < B; b++ {
			x := trRow(xs, 4, b)
			out, err := gradF([]*mlx.Array{mlx.FromSlice(x), mlx.FromSlice(ws)})
			if err != nil {
				t.Fatal(err)
			}
			trNear(t, fmt.Sprintf("row %d against the loop", b), trRow(gv, 4, b), trRead(t, out[0]), trTolExact, trTolExact)
			want := make([]float64, 4)
			for k := range want {
				th := math.Tanh(x[k])
				want[k] = (1 - th*th) * ws[k]
			}
			trNear(t, fmt.Sprintf("row %d", b), trRow(gv, 4, b), want, trTolExact, trTolExact)
		}
	})
}

// ---- custom VJP, checkpoint, stop_gradient ---------------------------------

func TestCustomVJP(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	xs := []float64{-1.7, -0.2, 0.4, 1.3, 2.6}
	ws := []float64{0.5, -1, 2, 3, -0.25}
	var calls atomic.Int32
	// round has a zero gradient; the custom VJP replaces it with
	// cotangent * (output + primal), which checks that the VJP receives the
	// primals, the cotangents and the outputs.
	rounded, err := mlx.CustomVJP(
		trFunc(func(a []*mlx.Array) []*mlx.Array { return []*mlx.Array{mlx.Round(a[0], 0)} }),
		func(primals, cotangents, outputs []*mlx.Array) ([]*mlx.Array, error) {
			calls.Add(1)
			if len(primals) != 1 || len(cotangents) != 1 || len(outputs) != 1 {
				return nil, fmt.Errorf("VJP called with %d primals, %d cotangents, %d outputs", len(primals), len(cotangents), len(outputs))
			}
			return []*mlx.Array{mlx.Multiply(cotangents[0], mlx.Add(outputs[0], primals[0]))}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	out, err := rounded([]*mlx.Array{mlx.FromSlice(xs)})
	if err != nil {
		t.Fatal(err)
	}
	wantOut := make([]float64, len(xs))
	wantGrad := make([]float64, len(xs))
	for i, x := range xs {
		wantOut[i] = math.Round(x)
		wantGrad[i] = ws[i] * (math.Round(x) + x)
	}
	trExact(t, "custom function's output", trRead(t, out[0]), wantOut)
	if calls.Load() != 0 {
		t.Errorf("the VJP ran %d times without a gradient", calls.Load())
	}
	g, err := mlx.Grad(func(a []*mlx.Array) ([]*mlx.Array, error) {
		r, err := rounded(a)
		if err != nil {
			return nil, err
		}
		return []*mlx.Array{mlx.Sum(mlx.Multiply(r[0], mlx.FromSlice(ws)), false)}, nil
	})(mlx.FromSlice(xs))
	if err != nil {
		t.Fatal(err)
	}
	trNear(t, "gradient through the custom VJP", trRead(t, g[0]), wantGrad, trTolExact, trTolExact)
	if calls.Load() != 1 {
		t.Errorf("the VJP ran %d times for one gradient, want 1", calls.Load())
	}

	// Two primals: the VJP's cotangents go to the right arguments.
	mul, err := mlx.CustomVJP(
		trFunc(func(a []*mlx.Array) []*mlx.Array { return []*mlx.Array{mlx.Multiply(a[0], a[1])} }),
		func(_, ct, _ []*mlx.Array) ([]*mlx.Array, error) {
			return []*mlx.Array{mlx.Multiply(ct[0], trS(mlx.Float64, 2)), mlx.Multiply(ct[0], trS(mlx.Float64, 3))}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	gs, err := mlx.Grad(func(a []*mlx.Array) ([]*mlx.Array, error) {
		r, err := mul(a)
		if err != nil {
			return nil, err
		}
		return []*mlx.Array{mlx.Sum(mlx.Multiply(r[0], mlx.FromSlice(ws)), false)}, nil
	}, 0, 1)(mlx.FromSlice(xs), mlx.FromSlice(ws))
	if err != nil {
		t.Fatal(err)
	}
	w2, w3 := make([]float64, len(ws)), make([]float64, len(ws))
	for i, w := range ws {
		w2[i], w3[i] = 2*w, 3*w
	}
	trExact(t, "custom gradient of argument 0", trRead(t, gs[0]), w2)
	trExact(t, "custom gradient of argument 1", trRead(t, gs[1]), w3)

	// Per-example custom gradients: vmap of grad calls the VJP with the
	// examples' shapes.
	calls.Store(0)
	perExample := mlx.Grad(func(a []*mlx.Array) ([]*mlx.Array, error) {
		r, err := rounded(a)
		if err != nil {
			return nil, err
		}
		return []*mlx.Array{mlx.Sum(mlx.Multiply(r[0], mlx.FromSlice(ws[:3])), false)}, nil
	})
	batch := []float64{0.2, 1.7, -0.6, 2.4, 3.3, -1.2}
	pg, err := mlx.Vmap(func(a []*mlx.Array) ([]*mlx.Array, error) { return perExample(a...) }, []int{0}, []int{0})([]*mlx.Array{mlx.FromSlice(batch, 2, 3)})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float64, len(batch))
	for i, x := range batch {
		want[i] = ws[i%3] * (math.Round(x) + x)
	}
	trShape(t, "per-example custom gradients", pg[0], 2, 3)
	trNear(t, "per-example custom gradients", trRead(t, pg[0]), want, trTolExact, trTolExact)
	if calls.Load() == 0 {
		t.Error("vmap of grad did not use the custom VJP")
	}
}

func TestCheckpointGivesTheSameGradients(t *testing.T) {
	onCPU(t)               // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	c := trGradCases()[13] // the MLP
	if !strings.HasPrefix(c.name, "two-layer MLP") {
		t.Fatalf("case 13 is %q", c.name)
	}
	var calls atomic.Int32
	layer := func(a []*mlx.Array) ([]*mlx.Array, error) {
		calls.Add(1)
		return []*mlx.Array{mlx.Tanh(mlx.Add(mlx.Matmul(a[0], a[1]), a[2]))}, nil
	}
	ckpt, err := mlx.Checkpoint(layer)
	if err != nil {
		t.Fatal(err)
	}
	loss := func(hidden mlx.Func) mlx.Func {
		return func(a []*mlx.Array) ([]*mlx.Array, error) {
			h, err := hidden(a[:3])
			if err != nil {
				return nil, err
			}
			out := mlx.Add(mlx.Matmul(h[0], a[3]), a[4])
			target := trArr(mlx.Float64, trSeq(8, 6, 1), 4, 2)
			return []*mlx.Array{mlx.Mean(mlx.Square(mlx.Subtract(out, target)), false)}, nil
		}
	}
	args := c.args(mlx.Float64, c.data())
	calls.Store(0)
	v1, g1, err := mlx.ValueAndGrad(loss(layer), 1, 2, 3, 4)(args...)
	if err != nil {
		t.Fatal(err)
	}
	plainCalls := calls.Load()
	calls.Store(0)
	v2, g2, err := mlx.ValueAndGrad(loss(ckpt), 1, 2, 3, 4)(args...)
	if err != nil {
		t.Fatal(err)
	}
	ckptCalls := calls.Load()
	trExact(t, "loss with checkpoint", trRead(t, v2[0]), trRead(t, v1[0]))
	for i := range g1 {
		trExact(t, fmt.Sprintf("gradient %d with checkpoint", i), trRead(t, g2[i]), trRead(t, g1[i]))
	}
	// And both are right.
	c.check(t, mlx.Float64, c.finiteDiff(t), c.tol().fd64, c.tol().fd64)
	// The checkpointed layer is recomputed in the backward pass.
	if plainCalls != 1 || ckptCalls < 2 {
		t.Errorf("the layer ran %d times without checkpoint and %d with, want 1 and at least 2", plainCalls, ckptCalls)
	}
	// Called directly, the checkpointed function is the function.
	out, err := ckpt(args[:3])
	if err != nil {
		t.Fatal(err)
	}
	direct, _ := layer(args[:3])
	trExact(t, "checkpointed layer called directly", trRead(t, out[0]), trRead(t, direct[0]))
}

func TestStopGradient(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	xs, ys := []float64{0.5, -1.5, 2}, []float64{3, 0.25, -1}
	// sum(x * stop_gradient(x)): the gradient is x, not 2x.
	vals, g, err := mlx.ValueAndGrad(trScalarFunc(func(a []*mlx.Array) *mlx.Array {
		return mlx.Sum(mlx.Multiply(a[0], mlx.StopGradient(a[0])), false)
	}))(mlx.FromSlice(xs))
	if err != nil {
		t.Fatal(err)
	}
	trExact(t, "value", trRead(t, vals[0]), []float64{0.25 + 2.25 + 4})
	trExact(t, "gradient of sum(x * stop_gradient(x))", trRead(t, g[0]), xs)

	// sum(stop_gradient(x*y) + x*y^2): no gradient flows through the first term.
	g, err = mlx.Grad(trScalarFunc(func(a []*mlx.Array) *mlx.Array {
		x, y := a[0], a[1]
		return mlx.Sum(mlx.Add(mlx.StopGradient(mlx.Multiply(x, y)), mlx.Multiply(x, mlx.Square(y))), false)
	}), 0, 1)(mlx.FromSlice(xs), mlx.FromSlice(ys))
	if err != nil {
		t.Fatal(err)
	}
	wx, wy := make([]float64, 3), make([]float64, 3)
	for i := range xs {
		wx[i], wy[i] = ys[i]*ys[i], 2*xs[i]*ys[i]
	}
	trExact(t, "gradient of x", trRead(t, g[0]), wx)
	trExact(t, "gradient of y", trRead(t, g[1]), wy)

	// Fully stopped: the gradient is zero.
	g, err = mlx.Grad(trScalarFunc(func(a []*mlx.Array) *mlx.Array {
		return mlx.Sum(mlx.StopGradient(mlx.Exp(a[0])), false)
	}))(mlx.FromSlice(xs))
	if err != nil {
		t.Fatal(err)
	}
	trExact(t, "gradient through stop_gradient alone", trRead(t, g[0]), []float64{0, 0, 0})
}

// ---- compile ---------------------------------------------------------------

// trChain is an elementwise chain of n steps over float32, with a reduction
// as a second output.
func trChain(n int) mlx.Func {
	return trFunc(func(a []*mlx.Array) []*mlx.Array {
		x := a[0]
		half, one := mlx.Scalar[float32](0.5), mlx.Scalar[float32](1)
		y := x
		for i := 0; i < n; i++ {
			y = mlx.Add(mlx.Multiply(mlx.Sin(y), mlx.Exp(mlx.Negative(mlx.Square(y)))), mlx.Multiply(x, half))
			y = mlx.Tanh(mlx.Subtract(y, mlx.Divide(x, mlx.Add(mlx.Abs(y), one))))
		}
		return []*mlx.Array{y, mlx.Sum(y, false)}
	})
}

func trF32(n int, seed float64) []float32 {
	v := trSeq(n, seed, 2)
	out := make([]float32, n)
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

func TestCompileMatchesUncompiled(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	f := trChain(2)
	run := func(g mlx.Func, x *mlx.Array) [][]float64 {
		t.Helper()
		out, err := g([]*mlx.Array{x})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 2 {
			t.Fatalf("%d outputs, want 2", len(out))
		}
		return [][]float64{trRead(t, out[0]), trRead(t, out[1])}
	}
	same := func(what string, got, want [][]float64) {
		t.Helper()
		trExact(t, what+", output 0", got[0], want[0])
		trNear(t, what+", output 1 (sum)", got[1], want[1], 0, 1e-6)
	}
	inputs := []*mlx.Array{
		mlx.FromSlice(trF32(64, 0.1), 8, 8),
		mlx.FromSlice(trF32(64, 0.7), 8, 8), // same shape, other values: the cached graph
		mlx.FromSlice(trF32(30, 1.3), 5, 6), // another shape
		mlx.FromSlice(trF32(7, 2.1)),        // another rank
	}
	for _, shapeless := range []bool{false, true} {
		c, err := mlx.Compile(f, shapeless)
		if err != nil {
			t.Fatal(err)
		}
		for i, x := range inputs {
			same(fmt.Sprintf("shapeless=%v, input %d %v", shapeless, i, x.Shape()), run(c, x), run(f, x))
		}
	}

	// The values themselves, computed in Go for one input.
	x := inputs[3]
	xv := trRead(t, x)
	got := run(f, x)[0]
	want := make([]float64, len(xv))
	for i, xf := range xv {
		y := xf
		for k := 0; k < 2; k++ {
			y = math.Sin(y)*math.Exp(-y*y) + xf*0.5
			y = math.Tanh(y - xf/(math.Abs(y)+1))
		}
		want[i] = y
	}
	trNear(t, "chain against Go", got, want, 1e-5, 1e-5)

	// A compiled gradient is the gradient.
	grad := mlx.Grad(trScalarFunc(func(a []*mlx.Array) *mlx.Array {
		return mlx.Sum(mlx.Multiply(mlx.Sin(a[0]), mlx.Square(a[0])), false)
	}))
	gradF := func(a []*mlx.Array) ([]*mlx.Array, error) { return grad(a...) }
	cg, err := mlx.Compile(gradF, false)
	if err != nil {
		t.Fatal(err)
	}
	gc, err := cg(inputs[:1])
	if err != nil {
		t.Fatal(err)
	}
	gu, err := gradF(inputs[:1])
	if err != nil {
		t.Fatal(err)
	}
	trNear(t, "compiled gradient", trRead(t, gc[0]), trRead(t, gu[0]), 0, 1e-6)
}

// TestCompileFreshFunctionsAreNotConfused compiles many short-lived functions
// that differ only in a constant, letting the garbage collector free each: a
// new function must never run another's cached graph (MLX keys its cache by
// an id, and keeps one cache per OS thread).
func TestCompileFreshFunctionsAreNotConfused(t *testing.T) {
	// Without fusion nothing is compiled to machine code, so this stays fast.
	if err := mlx.SetCompileMode(mlx.CompileModeNoFuse); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := mlx.SetCompileMode(mlx.CompileModeEnabled); err != nil {
			t.Error(err)
		}
	}()
	x := mlx.FromSlice([]float32{1, 2})
	wrong := 0
	for i := 0; i < 150; i++ {
		k := float32(i)
		f, err := mlx.Compile(trScalarFunc(func(a []*mlx.Array) *mlx.Array { return mlx.Multiply(a[0], mlx.Scalar(k)) }), i%2 == 1)
		if err != nil {
			t.Fatal(err)
		}
		out, err := f([]*mlx.Array{x})
		if err != nil {
			t.Fatal(err)
		}
		got := trRead(t, out[0])
		if got[0] != float64(k) || got[1] != float64(2*k) {
			if wrong < 3 {
				t.Errorf("compiled function %d (x*%v) returned %v for x = [1 2]", i, k, got)
			}
			wrong++
		}
		runtime.GC()
	}
	if wrong > 0 {
		t.Errorf("%d of 150 fresh compiled functions returned another function's result", wrong)
	}
}

func BenchmarkCompileElementwiseChain(b *testing.B) {
	f := trChain(8) // 8 steps of 11 elementwise ops and a reduction
	c, err := mlx.Compile(f, false)
	if err != nil {
		b.Fatal(err)
	}
	x := mlx.FromSlice(trF32(1<<16, 0.3))
	for _, bc := range []struct {
		name string
		f    mlx.Func
	}{{"uncompiled", f}, {"compiled", c}} {
		b.Run(bc.name, func(b *testing.B) {
			step := func() error {
				return mlx.Scope(func() error {
					out, err := bc.f([]*mlx.Array{x})
					if err != nil {
						return err
					}
					return mlx.Eval(out...)
				})
			}
			if err := step(); err != nil { // compiles (traces and builds kernels) once
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if err := step(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// ---- export / import -------------------------------------------------------

func TestExportImportRoundTrip(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	dir := t.TempDir()
	f := trFunc(func(a []*mlx.Array) []*mlx.Array {
		x, y := a[0], a[1]
		return []*mlx.Array{mlx.Add(mlx.Matmul(x, y), trS(mlx.Float64, 1)), mlx.Sum(mlx.Tanh(x), false)}
	})
	file := filepath.Join(dir, "matmul.mlxfn")
	if err := mlx.ExportFunction(file, f, []*mlx.Array{mlx.Zeros([]int{2, 3}, mlx.Float64), mlx.Zeros([]int{3, 2}, mlx.Float64)}, false); err != nil {
		t.Fatal(err)
	}
	g, err := mlx.ImportFunction(file)
	if err != nil {
		t.Fatal(err)
	}
	// Other values than the example's.
	xs, ys := trSeq(6, 0.2, 2), trSeq(6, 1.4, 2)
	out, err := g([]*mlx.Array{mlx.FromSlice(xs, 2, 3), mlx.FromSlice(ys, 3, 2)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 {
		t.Fatalf("imported function returned %d outputs, want 2", len(out))
	}
	want0 := make([]float64, 4)
	want1 := 0.0
	for i := 0; i < 2; i++ {
		for j := 0; j < 2; j++ {
			want0[i*2+j] = 1
			for k := 0; k < 3; k++ {
				want0[i*2+j] += xs[i*3+k] * ys[k*2+j]
			}
		}
	}
	for _, x := range xs {
		want1 += math.Tanh(x)
	}
	trShape(t, "imported output 0", out[0], 2, 2)
	trNear(t, "imported output 0", trRead(t, out[0]), want0, trTolExact, trTolExact)
	trNear(t, "imported output 1", trRead(t, out[1]), []float64{want1}, trTolExact, trTolExact)

	// Exported with fixed shapes: another shape is refused, clearly.
	_, err = g([]*mlx.Array{mlx.FromSlice(trSeq(4, 0, 1), 2, 2), mlx.FromSlice(trSeq(4, 0, 1), 2, 2)})
	trWantErr(t, err, "import_function", "No imported function found which matches")
	_, err = g([]*mlx.Array{mlx.FromSlice(xs, 2, 3)})
	trWantErr(t, err, "import_function", "No imported function found which matches")

	// Shapeless: the imported function takes other shapes of the same rank.
	sf := trScalarFunc(func(a []*mlx.Array) *mlx.Array {
		x := a[0]
		return mlx.Add(mlx.Multiply(mlx.Exp(mlx.Negative(mlx.Square(x))), trS(mlx.Float32, 2)), x)
	})
	sfile := filepath.Join(dir, "shapeless.mlxfn")
	if err := mlx.ExportFunction(sfile, sf, []*mlx.Array{mlx.Zeros([]int{3}, mlx.Float32)}, true); err != nil {
		t.Fatal(err)
	}
	sg, err := mlx.ImportFunction(sfile)
	if err != nil {
		t.Fatal(err)
	}
	for _, shape := range [][]int{{3}, {5}, {1}, {11}} {
		n := 1
		for _, d := range shape {
			n *= d
		}
		data := trF32(n, float64(n))
		out, err := sg([]*mlx.Array{mlx.FromSlice(data, shape...)})
		if err != nil {
			t.Fatalf("shapeless import called with shape %v: %v", shape, err)
		}
		trShape(t, fmt.Sprintf("shapeless output for %v", shape), out[0], shape...)
		want := make([]float64, n)
		for i, x := range data {
			xf := float64(x)
			want[i] = 2*math.Exp(-xf*xf) + xf
		}
		trNear(t, fmt.Sprintf("shapeless output for %v", shape), trRead(t, out[0]), want, 1e-6, 1e-6)
	}

	// MLX matches imported functions by rank even when shapeless.
	_, err = sg([]*mlx.Array{mlx.Zeros([]int{2, 4}, mlx.Float32)})
	trWantErr(t, err, "import_function", "No imported function found which matches", "(2,4) float32")

	_, err = mlx.ImportFunction(filepath.Join(dir, "missing.mlxfn"))
	trWantErr(t, err, "import_function", "missing.mlxfn")
	trCubeGrad(t)
}

// ---- errors inside transformed functions -----------------------------------

// trWantErr checks that err is an *mlx.Error of op whose message has every
// one of parts.
func trWantErr(t testing.TB, err error, op string, parts ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("no error, want one from %s containing %q", op, parts)
		return
	}
	var me *mlx.Error
	if !errors.As(err, &me) {
		t.Errorf("error %v (%T) is not an *mlx.Error", err, err)
		return
	}
	if me.Op != op {
		t.Errorf("error %q has op %q, want %q", err, me.Op, op)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

func TestErrorsInsideTransforms(t *testing.T) {
	x := mlx.FromSlice([]float32{1, 2, 3})
	x2 := mlx.FromSlice([]float32{1, 2})
	panics := func([]*mlx.Array) ([]*mlx.Array, error) { panic("boom") }
	errMine := errors.New("my failure")
	fails := func([]*mlx.Array) ([]*mlx.Array, error) { return nil, errMine }
	square := trScalarFunc(func(a []*mlx.Array) *mlx.Array { return mlx.Square(a[0]) })
	sumSq := trScalarFunc(func(a []*mlx.Array) *mlx.Array { return mlx.Sum(mlx.Square(a[0]), false) })
	two := trFunc(func(a []*mlx.Array) []*mlx.Array { return []*mlx.Array{mlx.Square(a[0]), a[0]} })
	grad := func(f mlx.Func, args ...*mlx.Array) error { _, err := mlx.Grad(f)(args...); return err }
	compiled := func(f mlx.Func, shapeless bool) error {
		c, err := mlx.Compile(f, shapeless)
		if err != nil {
			return err
		}
		_, err = c([]*mlx.Array{x})
		return err
	}
	// customGrad differentiates sum(custom(x, y)) where custom multiplies
	// and its VJP is vjp.
	customGrad := func(vjp mlx.VJPFunc) error {
		custom, err := mlx.CustomVJP(trScalarFunc(func(a []*mlx.Array) *mlx.Array { return mlx.Multiply(a[0], a[1]) }), vjp)
		if err != nil {
			return err
		}
		_, err = mlx.Grad(func(a []*mlx.Array) ([]*mlx.Array, error) {
			r, err := custom(a)
			if err != nil {
				return nil, err
			}
			return []*mlx.Array{mlx.Sum(r[0], false)}, nil
		}, 0, 1)(x, x)
		return err
	}
	dir := t.TempDir()

	cases := []struct {
		name  string
		run   func() error
		op    string
		parts []string
	}{
		{"grad: panic", func() error { return grad(panics, x) }, "value_and_grad", []string{"panic in transformed function: boom"}},
		{"grad: returned error", func() error { return grad(fails, x) }, "value_and_grad", []string{"my failure"}},
		{"grad: no outputs", func() error { return grad(trFunc(func([]*mlx.Array) []*mlx.Array { return nil }), x) }, "value_and_grad", []string{"returned no outputs", "must be a scalar"}},
		{"grad: output not a scalar", func() error { return grad(square, x) }, "value_and_grad", []string{"Output shape (3) does not match cotangent shape ()"}},
		{"grad: nil output", func() error {
			return grad(trFunc(func([]*mlx.Array) []*mlx.Array { return []*mlx.Array{nil} }), x)
		}, "value_and_grad", []string{"output 0", "nil array"}},
		{"grad: freed output", func() error {
			return grad(trScalarFunc(func(a []*mlx.Array) *mlx.Array { s := mlx.Sum(a[0], false); s.Free(); return s }), x)
		}, "value_and_grad", []string{"output 0", "array used after Free"}},
		{"grad: output of a failed op", func() error {
			return grad(trScalarFunc(func(a []*mlx.Array) *mlx.Array { return mlx.Reshape(a[0], 7) }), x)
		}, "value_and_grad", []string{"output 0", "reshape"}},
		{"grad: bad argnum", func() error { _, err := mlx.Grad(sumSq, 3)(x); return err }, "value_and_grad", []string{"Invalid argument number"}},
		{"grad: panic in a nested vmap", func() error {
			return grad(func(a []*mlx.Array) ([]*mlx.Array, error) {
				r, err := mlx.Vmap(panics, []int{0}, []int{0})(a)
				if err != nil {
					return nil, err
				}
				return []*mlx.Array{mlx.Sum(r[0], false)}, nil
			}, x)
		}, "value_and_grad", []string{"vmap: panic in transformed function: boom"}},
		{"vjp: panic", func() error { _, _, err := mlx.VJP(panics, []*mlx.Array{x}, []*mlx.Array{x}); return err }, "vjp", []string{"panic in transformed function: boom"}},
		{"vjp: fewer cotangents than outputs", func() error { _, _, err := mlx.VJP(two, []*mlx.Array{x}, []*mlx.Array{x}); return err }, "vjp", []string{"does not match number of cotangents"}},
		{"vjp: cotangent of the wrong shape", func() error { _, _, err := mlx.VJP(square, []*mlx.Array{x}, []*mlx.Array{x2}); return err }, "vjp", []string{"Output shape (3) does not match cotangent shape (2)"}},
		{"jvp: returned error", func() error { _, _, err := mlx.JVP(fails, []*mlx.Array{x}, []*mlx.Array{x}); return err }, "jvp", []string{"my failure"}},
		{"jvp: tangent of the wrong shape", func() error { _, _, err := mlx.JVP(square, []*mlx.Array{x}, []*mlx.Array{x2}); return err }, "jvp", []string{"Input shape does not match shape of tangent"}},
		{"jvp: no tangents", func() error { _, _, err := mlx.JVP(square, []*mlx.Array{x}, nil); return err }, "jvp", []string{"Number of inputs does not match number of tangents"}},
		{"vmap: panic", func() error { _, err := mlx.Vmap(panics, []int{0}, []int{0})([]*mlx.Array{x}); return err }, "vmap", []string{"panic in transformed function: boom"}},
		{"vmap: more outputs than out axes", func() error { _, err := mlx.Vmap(two, []int{0}, []int{0})([]*mlx.Array{x}); return err }, "vmap", []string{"number of out axes (1) must match the number of outputs (2)"}},
		{"vmap: more in axes than inputs", func() error { _, err := mlx.Vmap(square, []int{0, 0}, []int{0})([]*mlx.Array{x}); return err }, "vmap", []string{"number of in axes (2) must match the number of inputs (1)"}},
		{"vmap: inconsistent batch sizes", func() error {
			_, err := mlx.Vmap(trScalarFunc(func(a []*mlx.Array) *mlx.Array { return mlx.Add(a[0], a[1]) }), []int{0, 0}, []int{0})([]*mlx.Array{x, x2})
			return err
		}, "vmap", []string{"Inconsistent axis sizes: 3 and 2"}},
		{"compile: panic", func() error { return compiled(panics, false) }, "compile", []string{"panic in transformed function: boom"}},
		{"compile shapeless: returned error", func() error { return compiled(fails, true) }, "compile", []string{"my failure"}},
		{"checkpoint: returned error", func() error {
			c, err := mlx.Checkpoint(fails)
			if err != nil {
				return err
			}
			_, err = c([]*mlx.Array{x})
			return err
		}, "checkpoint", []string{"my failure"}},
		{"custom vjp: panic in the function", func() error {
			c, err := mlx.CustomVJP(panics, func(_, ct, _ []*mlx.Array) ([]*mlx.Array, error) { return ct, nil })
			if err != nil {
				return err
			}
			_, err = c([]*mlx.Array{x})
			return err
		}, "custom_vjp", []string{"panic in transformed function: boom"}},
		{"custom vjp: panic in the VJP", func() error {
			return customGrad(func(_, _, _ []*mlx.Array) ([]*mlx.Array, error) { panic("vjp boom") })
		}, "value_and_grad", []string{"panic in transformed function: vjp boom"}},
		{"custom vjp: error from the VJP", func() error {
			return customGrad(func(_, _, _ []*mlx.Array) ([]*mlx.Array, error) { return nil, errMine })
		}, "value_and_grad", []string{"my failure"}},
		{"custom vjp: no cotangents", func() error {
			return customGrad(func(_, _, _ []*mlx.Array) ([]*mlx.Array, error) { return nil, nil })
		}, "value_and_grad", []string{"custom VJP returned 0 cotangents for 2 primals"}},
		{"custom vjp: too few cotangents", func() error {
			return customGrad(func(_, ct, _ []*mlx.Array) ([]*mlx.Array, error) { return ct, nil })
		}, "value_and_grad", []string{"custom VJP returned 1 cotangents for 2 primals"}},
		{"custom vjp: cotangent of the wrong shape", func() error {
			return customGrad(func(_, ct, _ []*mlx.Array) ([]*mlx.Array, error) {
				return []*mlx.Array{ct[0], mlx.Sum(ct[0], false)}, nil
			})
		}, "value_and_grad", []string{"custom VJP returned cotangent 1 of shape [] for primal 1 of shape [3]"}},
		{"export: panic", func() error { return mlx.ExportFunction(filepath.Join(dir, "p.mlxfn"), panics, []*mlx.Array{x}, false) }, "export_function", []string{"panic in transformed function: boom"}},
		{"export: returned error", func() error { return mlx.ExportFunction(filepath.Join(dir, "e.mlxfn"), fails, []*mlx.Array{x}, true) }, "export_function", []string{"my failure"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			trWantErr(t, c.run(), c.op, c.parts...)
			// The process keeps working.
			trCubeGrad(t)
		})
	}
	// Every kind of transform still works after all that.
	g, err := mlx.Grad(sumSq)(x)
	if err != nil {
		t.Fatal(err)
	}
	trExact(t, "grad", trRead(t, g[0]), []float64{2, 4, 6})
	v, err := mlx.Vmap(square, []int{0}, []int{0})([]*mlx.Array{x})
	if err != nil {
		t.Fatal(err)
	}
	trExact(t, "vmap", trRead(t, v[0]), []float64{1, 4, 9})
	_, j, err := mlx.JVP(square, []*mlx.Array{x}, []*mlx.Array{mlx.OnesLike(x)})
	if err != nil {
		t.Fatal(err)
	}
	trExact(t, "jvp", trRead(t, j[0]), []float64{2, 4, 6})
}

// ---- concurrency ---------------------------------------------------------

// TestTransformsFromManyGoroutines runs Grad, ValueAndGrad, Vmap, JVP, a
// compiled function shared by all, and a compiled gradient from 16
// goroutines at once, each with its own constant, and checks every result
// exactly (small integers: float32 arithmetic on them is exact). Each
// goroutine reads its results at once, so evaluations overlap other
// goroutines' transforms.
func TestTransformsFromManyGoroutines(t *testing.T) {
	const goroutines, iters = 16, 3
	shared, err := mlx.Compile(trScalarFunc(func(a []*mlx.Array) *mlx.Array {
		return mlx.Add(mlx.Multiply(a[0], a[1]), mlx.Scalar[float32](1))
	}), false)
	if err != nil {
		t.Fatal(err)
	}
	var checked atomic.Int32
	errs := make(chan error, goroutines*iters)
	var wg sync.WaitGroup
	for gi := 0; gi < goroutines; gi++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := float32(gi + 1)
			k := mlx.Scalar(c)
			// sum(k * x^2): gradient 2 k x. k is an argument, so every
			// goroutine's compiled gradient has the same graph.
			f := trScalarFunc(func(a []*mlx.Array) *mlx.Array {
				return mlx.Sum(mlx.Multiply(a[1], mlx.Multiply(a[0], a[0])), false)
			})
			grad := mlx.Grad(f)
			vg := mlx.ValueAndGrad(f, 0, 1)
			vmapped := mlx.Vmap(trScalarFunc(func(a []*mlx.Array) *mlx.Array {
				return mlx.Add(mlx.Multiply(a[0], a[1]), mlx.Scalar(c))
			}), []int{0, -1}, []int{0})
			compiledGrad, err := mlx.Compile(func(a []*mlx.Array) ([]*mlx.Array, error) { return grad(a...) }, false)
			if err != nil {
				errs <- err
				return
			}
			for it := 0; it < iters; it++ {
				err := mlx.Scope(func() error {
					check := func(what string, err error, got []*mlx.Array, i int, want []float32) error {
						if err != nil {
							return fmt.Errorf("%s: %w", what, err)
						}
						v, err := mlx.Data[float32](got[i])
						if err != nil {
							return fmt.Errorf("%s: reading the result: %w", what, err)
						}
						if !slices.Equal(v, want) {
							return fmt.Errorf("%s = %v, want %v", what, v, want)
						}
						checked.Add(1)
						return nil
					}
					xv := []float32{1 + float32(it), 2, -3}
					x := mlx.FromSlice(xv)
					each := func(f func(x float32) float32) []float32 {
						out := make([]float32, len(xv))
						for i, v := range xv {
							out[i] = f(v)
						}
						return out
					}
					twoCX := each(func(v float32) float32 { return 2 * c * v })
					sq := xv[0]*xv[0] + xv[1]*xv[1] + xv[2]*xv[2]

					g, err := grad(x, k)
					if err := check("grad", err, g, 0, twoCX); err != nil {
						return err
					}
					vals, gs, err := vg(x, k)
					if err := errors.Join(
						check("value", err, vals, 0, []float32{c * sq}),
						check("value_and_grad of x", err, gs, 0, twoCX),
						check("value_and_grad of k", err, gs, 1, []float32{sq}),
					); err != nil {
						return err
					}
					v, err := vmapped([]*mlx.Array{mlx.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3), x})
					if err := check("vmap", err, v, 0, []float32{xv[0] + c, 2*xv[1] + c, 3*xv[2] + c, 4*xv[0] + c, 5*xv[1] + c, 6*xv[2] + c}); err != nil {
						return err
					}
					_, j, err := mlx.JVP(f, []*mlx.Array{x, k}, []*mlx.Array{mlx.OnesLike(x), mlx.Scalar[float32](0)})
					if err := check("jvp", err, j, 0, []float32{2 * c * (xv[0] + xv[1] + xv[2])}); err != nil {
						return err
					}
					s, err := shared([]*mlx.Array{x, k})
					if err := check("shared compiled function", err, s, 0, each(func(v float32) float32 { return v*c + 1 })); err != nil {
						return err
					}
					cg, err := compiledGrad([]*mlx.Array{x, k})
					return check("compiled grad", err, cg, 0, twoCX)
				})
				if err != nil {
					errs <- fmt.Errorf("goroutine %d, iteration %d: %w", gi, it, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, want := checked.Load(), int32(goroutines*iters*8); n != want && !t.Failed() {
		t.Errorf("checked %d results, want %d", n, want)
	}
}
