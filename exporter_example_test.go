package mlx_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/mlx-go/mlx"
)

// One file holds traces of a function for two shapes; the imported function
// picks the trace that matches its argument.
func ExampleExporter() {
	dir, _ := os.MkdirTemp("", "mlx-example")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "square.mlxfn")

	square := func(args []*mlx.Array) ([]*mlx.Array, error) {
		return []*mlx.Array{mlx.Multiply(args[0], args[0])}, nil
	}
	ex, err := mlx.NewExporter(file, square, false)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range []int{2, 3} {
		if err := ex.Export(mlx.Zeros([]int{n}, mlx.Float32)); err != nil {
			fmt.Println(err)
		}
	}
	ex.Free()

	f, err := mlx.ImportFunction(file)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, x := range [][]float32{{1, 2}, {3, 4, 5}} {
		out, err := f([]*mlx.Array{mlx.FromSlice(x)})
		if err != nil {
			fmt.Println(err)
			return
		}
		v, _ := mlx.Data[float32](out[0])
		fmt.Println(v)
	}
	// Output:
	// [1 4]
	// [9 16 25]
}

// A function with a keyword argument, exported and called by name.
func ExampleExportFunctionKwargs() {
	dir, _ := os.MkdirTemp("", "mlx-example")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "scale.mlxfn")

	scale := func(args []*mlx.Array, kwargs map[string]*mlx.Array) ([]*mlx.Array, error) {
		return []*mlx.Array{mlx.Multiply(args[0], kwargs["factor"])}, nil
	}
	x := mlx.FromSlice([]float32{1, 2, 3})
	err := mlx.ExportFunctionKwargs(file, scale, []*mlx.Array{x}, map[string]*mlx.Array{"factor": mlx.Scalar[float32](1)}, false)
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := mlx.ImportFunctionKwargs(file)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := f([]*mlx.Array{x}, map[string]*mlx.Array{"factor": mlx.Scalar[float32](10)})
	if err != nil {
		fmt.Println(err)
		return
	}
	v, _ := mlx.Data[float32](out[0])
	fmt.Println(v)
	// Output: [10 20 30]
}

// A custom vmap rule: under Vmap, MLX calls the rule once for the whole
// batch instead of vectorizing the function. Here the rule is told the
// batch is on axis 0 and sums each row in one op.
func ExampleCustomFunction_vmap() {
	total := func(args []*mlx.Array) ([]*mlx.Array, error) {
		return []*mlx.Array{mlx.Sum(args[0], false)}, nil
	}
	rule := func(args []*mlx.Array, axes []int) ([]*mlx.Array, []int, error) {
		fmt.Println("rule called with axes", axes)
		// Sum every axis but the batch axis; the batch ends up on axis 0.
		var others []int
		for ax := 0; ax < args[0].Ndim(); ax++ {
			if ax != axes[0] {
				others = append(others, ax)
			}
		}
		return []*mlx.Array{mlx.Sum(args[0], false, others...)}, []int{0}, nil
	}
	f, err := mlx.CustomFunction(total, nil, nil, rule)
	if err != nil {
		fmt.Println(err)
		return
	}
	x := mlx.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	out, err := mlx.Vmap(f, []int{0}, []int{0})([]*mlx.Array{x})
	if err != nil {
		fmt.Println(err)
		return
	}
	v, _ := mlx.Data[float32](out[0])
	fmt.Println(v)
	// Output:
	// rule called with axes [0]
	// [6 15]
}
