package mlx_test

import (
	"fmt"
	"math"

	"github.com/mlx-go/mlx"
)

// Fit y = w*x + b to points of y = 2x + 1 (with a small deterministic wobble)
// by plain gradient descent: ValueAndGrad gives the loss and its gradients
// with respect to w and b, and each step runs in a Scope, which frees the
// step's temporaries when it returns.
func ExampleValueAndGrad_linearRegression() {
	const n = 32
	xs, ys := make([]float32, n), make([]float32, n)
	for i := range xs {
		x := -1 + 2*float64(i)/(n-1)
		xs[i] = float32(x)
		ys[i] = float32(2*x + 1 + 0.01*math.Sin(7*x))
	}
	x, y := mlx.FromSlice(xs), mlx.FromSlice(ys)

	// The mean squared error of the line (args[0], args[1]) on the data.
	loss := func(args []*mlx.Array) ([]*mlx.Array, error) {
		w, b := args[0], args[1]
		residual := mlx.Subtract(mlx.Add(mlx.Multiply(w, x), b), y)
		return []*mlx.Array{mlx.Mean(mlx.Square(residual), false)}, nil
	}
	lossAndGrads := mlx.ValueAndGrad(loss, 0, 1) // gradients for w and b

	w, b := mlx.Scalar[float32](0), mlx.Scalar[float32](0)
	lr := mlx.Scalar[float32](0.3)
	var last float32
	for step := 0; step < 200; step++ {
		err := mlx.Scope(func() error {
			values, grads, err := lossAndGrads(w, b)
			if err != nil {
				return err
			}
			// Keep the new parameters past the Scope; free the old ones.
			nw := mlx.Keep(mlx.Subtract(w, mlx.Multiply(lr, grads[0])))
			nb := mlx.Keep(mlx.Subtract(b, mlx.Multiply(lr, grads[1])))
			if err := mlx.Eval(nw, nb, values[0]); err != nil {
				return err
			}
			if last, err = mlx.Item[float32](values[0]); err != nil {
				return err
			}
			w.Free()
			b.Free()
			w, b = nw, nb
			return nil
		})
		if err != nil {
			fmt.Println("step", step, "failed:", err)
			return
		}
	}
	wv, err := mlx.Item[float32](w)
	if err != nil {
		fmt.Println(err)
		return
	}
	bv, err := mlx.Item[float32](b)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("y = %.2f x + %.2f\n", wv, bv)
	fmt.Println("loss below 1e-4:", last < 1e-4)
	// Output:
	// y = 2.00 x + 1.00
	// loss below 1e-4: true
}
