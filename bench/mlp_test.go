package bench

import (
	"math"
	"testing"

	"github.com/mlx-go/mlx"
)

// The small-model step of the C baseline (mlp_step in c/baseline.c): a
// 2-layer MLP x[32,64] -> relu(x W1 + b1)[32,128] -> W2 + b2 [32,10], mean
// squared error against y, value_and_grad with respect to W1, b1, W2, b2,
// and the evaluation of the loss and the four gradients.
const (
	mlpBatch, mlpIn, mlpHidden, mlpOut = 32, 64, 128, 10
)

// mlpValues is the C baseline's pseudo-random sequence in [-0.5, 0.5)*scale.
func mlpValues(n int, scale float32, state *uint32) []float32 {
	v := make([]float32, n)
	for i := range v {
		*state = *state*1664525 + 1013904223
		v[i] = (float32(*state>>8)/16777216 - 0.5) * scale
	}
	return v
}

// mlpInputs returns W1, b1, W2, b2, x, y as Go slices (the same values as
// the C baseline) and as evaluated arrays.
func mlpInputs() ([][]float32, []*mlx.Array) {
	state := uint32(1)
	dims := [][2]int{{mlpIn, mlpHidden}, {1, mlpHidden}, {mlpHidden, mlpOut}, {1, mlpOut}, {mlpBatch, mlpIn}, {mlpBatch, mlpOut}}
	scales := []float32{0.2, 0.2, 0.2, 0.2, 2, 2}
	var vals [][]float32
	var arrays []*mlx.Array
	for i, d := range dims {
		v := mlpValues(d[0]*d[1], scales[i], &state)
		vals = append(vals, v)
		if d[0] == 1 {
			arrays = append(arrays, mlx.FromSlice(v))
		} else {
			arrays = append(arrays, mlx.FromSlice(v, d[0], d[1]))
		}
	}
	return vals, arrays
}

var mlpZero = mlx.Scalar[float32](0)

func mlpLoss(args []*mlx.Array) ([]*mlx.Array, error) {
	w1, b1, w2, b2, x, y := args[0], args[1], args[2], args[3], args[4], args[5]
	h := mlx.Maximum(mlx.Add(mlx.Matmul(x, w1), b1), mlpZero)
	o := mlx.Add(mlx.Matmul(h, w2), b2)
	return []*mlx.Array{mlx.Mean(mlx.Square(mlx.Subtract(o, y)), false)}, nil
}

// mlpStep runs one step and returns the loss and the gradients' arrays,
// all evaluated.
func mlpStep(vg mlx.ValueAndGradFunc, in []*mlx.Array) (values, grads []*mlx.Array, err error) {
	values, grads, err = vg(in...)
	if err != nil {
		return nil, nil, err
	}
	return values, grads, mlx.Eval(append(values, grads...)...)
}

// BenchmarkMLPStep: one op is one training step's value_and_grad and eval,
// in a Scope, as the C baseline frees every handle of a step.
func BenchmarkMLPStep(b *testing.B) {
	_, in := mlpInputs()
	if err := mlx.Eval(in...); err != nil {
		b.Fatal(err)
	}
	vg := mlx.ValueAndGrad(mlpLoss, 0, 1, 2, 3)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := mlx.Scope(func() error { _, _, err := mlpStep(vg, in); return err }); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "us/step")
}

// TestMLPStep checks the benchmark's loss and one gradient against the same
// model computed in float64 in Go.
func TestMLPStep(t *testing.T) {
	vals, in := mlpInputs()
	vg := mlx.ValueAndGrad(mlpLoss, 0, 1, 2, 3)
	values, grads, err := mlpStep(vg, in)
	if err != nil {
		t.Fatal(err)
	}
	w1, b1, w2, b2, x, y := vals[0], vals[1], vals[2], vals[3], vals[4], vals[5]
	var loss float64
	gb2 := make([]float64, mlpOut) // d loss / d b2
	for r := 0; r < mlpBatch; r++ {
		h := make([]float64, mlpHidden)
		for j := range h {
			s := float64(b1[j])
			for k := 0; k < mlpIn; k++ {
				s += float64(x[r*mlpIn+k]) * float64(w1[k*mlpHidden+j])
			}
			h[j] = math.Max(s, 0)
		}
		for j := 0; j < mlpOut; j++ {
			o := float64(b2[j])
			for k := range h {
				o += h[k] * float64(w2[k*mlpOut+j])
			}
			d := o - float64(y[r*mlpOut+j])
			loss += d * d
			gb2[j] += 2 * d / (mlpBatch * mlpOut)
		}
	}
	loss /= mlpBatch * mlpOut
	got, err := mlx.Item[float32](values[0])
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(got)-loss) > 1e-5*loss {
		t.Errorf("loss %v, want %v", got, loss)
	}
	g, err := mlx.Data[float32](grads[3])
	if err != nil {
		t.Fatal(err)
	}
	for j := range gb2 {
		if math.Abs(float64(g[j])-gb2[j]) > 1e-5 {
			t.Errorf("d loss / d b2[%d] = %v, want %v", j, g[j], gb2[j])
		}
	}
}
