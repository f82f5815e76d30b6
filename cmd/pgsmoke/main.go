package main

import (
	"fmt"

	"github.com/mlx-go/mlx"
)

func main() {
	f := func(args []*mlx.Array) ([]*mlx.Array, error) {
		x := args[0]
		e := mlx.Log1p(mlx.Exp(x))
		fmt.Println("e err", e.Err())
		return []*mlx.Array{mlx.Sum(e, false)}, nil
	}
	x := mlx.FromSlice([]float64{1, 2, 3})
	v, g, err := mlx.ValueAndGrad(f)(x)
	fmt.Println(v, g, err)
	x32 := mlx.FromSlice([]float32{1, 2, 3})
	v, g, err = mlx.ValueAndGrad(f)(x32)
	fmt.Println(v, g, err)
}
