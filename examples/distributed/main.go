// Command distributed trains a linear regression data-parallel: every
// process of an MLX distributed job takes its share of the data, computes the
// gradient of its share, and AllSum adds the shares' gradients, so every
// process takes the same step as one process with all the data would.
//
// Run it alone, or on N processes with the ring backend over loopback:
//
//	go run ./examples/distributed
//	go build -o /tmp/dist ./examples/distributed && go run ./cmd/mlxlaunch -n 4 /tmp/dist
//
// Each process prints its final loss; they agree with the single-process
// run to float32 rounding.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/mlx-go/mlx"
)

const (
	samples  = 512 // in the whole data set
	features = 4
)

func main() {
	steps := flag.Int("steps", 40, "training steps")
	lr := flag.Float64("lr", 0.2, "learning rate")
	flag.Parse()
	if err := train(*steps, float32(*lr)); err != nil {
		fmt.Fprintln(os.Stderr, "distributed:", err)
		os.Exit(1)
	}
}

// data returns rows [from, to) of the data set: x[i][j] = sin(i*(j+1)/7),
// y = x·trueW + 0.25, the same in every process.
func data(from, to int) (x, y *mlx.Array) {
	trueW := []float32{2, -3, 0.5, 1}
	xs := make([]float32, 0, (to-from)*features)
	ys := make([]float32, 0, to-from)
	for i := from; i < to; i++ {
		t := float32(0.25)
		for j := range features {
			v := float32(sinApprox(float64(i*(j+1)) / 7))
			xs = append(xs, v)
			t += v * trueW[j]
		}
		ys = append(ys, t)
	}
	return mlx.FromSlice(xs, to-from, features), mlx.FromSlice(ys, to-from, 1)
}

// sinApprox is math.Sin; spelled out so that every process computes the same
// data without depending on MLX.
func sinApprox(v float64) float64 {
	const twoPi = 6.283185307179586
	for v > twoPi/2 {
		v -= twoPi
	}
	term, sum := v, v
	for k := 1; k < 20; k++ {
		term *= -v * v / float64((2*k)*(2*k+1))
		sum += term
	}
	return sum
}

func train(steps int, lr float32) error {
	// Without MLX_RANK and MLX_HOSTFILE (run alone) this is a group of one.
	g, err := mlx.DistributedInit(mlx.BackendAny, false)
	if err != nil {
		return err
	}
	defer g.Free()
	rank, size := g.Rank(), g.Size()
	from, to := rank*samples/size, (rank+1)*samples/size
	x, y := data(from, to)
	// The loss of this share, scaled by the whole data set's size: the sum
	// over processes is the mean squared error of all the data, and the sum
	// of the shares' gradients is its gradient.
	loss := func(args []*mlx.Array) ([]*mlx.Array, error) {
		d := mlx.Subtract(mlx.Add(mlx.Matmul(args[0], args[1]), args[2]), args[3])
		return []*mlx.Array{mlx.Divide(mlx.Sum(mlx.Square(d), false), mlx.Scalar[float32](samples))}, nil
	}
	step := mlx.ValueAndGrad(loss, 1, 2)
	w, b := mlx.Zeros([]int{features, 1}, mlx.Float32), mlx.Zeros([]int{1}, mlx.Float32)
	var final float32
	for i := range steps + 1 {
		err := mlx.Scope(func() error {
			values, grads, err := step(x, w, b, y)
			if err != nil {
				return err
			}
			l := mlx.AllSum(values[0], g)
			gw, gb := mlx.AllSum(grads[0], g), mlx.AllSum(grads[1], g)
			nw := mlx.Subtract(w, mlx.Multiply(mlx.Scalar(lr), gw))
			nb := mlx.Subtract(b, mlx.Multiply(mlx.Scalar(lr), gb))
			// Group.Eval: a process of the job that dies is an error here,
			// not a wait without end.
			if err := g.Eval(time.Minute, l, nw, nb); err != nil {
				return err
			}
			if final, err = mlx.Item[float32](l); err != nil {
				return err
			}
			if i == steps {
				return nil // the loss of the final weights; no step
			}
			w.Free()
			b.Free()
			w, b = mlx.Keep(nw), mlx.Keep(nb)
			if rank == 0 && i%10 == 0 {
				fmt.Printf("step %d: loss %.6g\n", i, final)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	fmt.Printf("rank %d of %d (rows %d to %d): final loss %.9g\n", rank, size, from, to, final)
	return nil
}
