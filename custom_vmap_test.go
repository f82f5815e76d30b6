package mlx_test

// Tests of custom vmap rules (CustomFunction's vmap argument) against the
// real MLX: Vmap must call the rule, with the mapped axis of each argument,
// and place the batch where the rule says it is. Expected values are
// computed here in Go.

import (
	"errors"
	"slices"
	"testing"

	"github.com/mlx-go/mlx"
)

// vmRule records the axes it was given and returns scale*x (times y, if
// given) with the batch axis where x has it.
type vmRule struct {
	calls [][]int
	scale float64
}

func (r *vmRule) rule(args []*mlx.Array, axes []int) ([]*mlx.Array, []int, error) {
	r.calls = append(r.calls, slices.Clone(axes))
	out := mlx.Multiply(args[0], mlx.Scalar(r.scale))
	if len(args) == 2 {
		out = mlx.Multiply(out, args[1])
	}
	return []*mlx.Array{out}, []int{axes[0]}, nil
}

func TestCustomVmapRuleIsUsed(t *testing.T) {
	onCPU(t) // float64 (gpu_helpers_test.go)
	double := trScalarFunc(func(a []*mlx.Array) *mlx.Array { return mlx.Multiply(a[0], mlx.Scalar(2.0)) })
	r := &vmRule{scale: 10}
	g, err := mlx.CustomFunction(double, nil, nil, r.rule)
	if err != nil {
		t.Fatal(err)
	}
	// x is 4×3 with x[i][j] = 3i+j.
	data := make([]float64, 12)
	for i := range data {
		data[i] = float64(i)
	}
	x := mlx.FromSlice(data, 4, 3)

	// Unbatched, g is f.
	outs, err := g([]*mlx.Array{x})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float64, 12)
	for i, v := range data {
		want[i] = 2 * v
	}
	trExact(t, "g(x)", trRead(t, outs[0]), want)
	if len(r.calls) != 0 {
		t.Errorf("rule called %d times without vmap", len(r.calls))
	}

	// Mapped over axis 0: the rule's 10x, not f's 2x.
	outs, err = mlx.Vmap(g, []int{0}, []int{0})([]*mlx.Array{x})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range data {
		want[i] = 10 * v
	}
	trShape(t, "vmap axis 0", outs[0], 4, 3)
	trExact(t, "vmap axis 0", trRead(t, outs[0]), want)
	if !slices.EqualFunc(r.calls, [][]int{{0}}, slices.Equal[[]int]) {
		t.Errorf("rule called with axes %v; want [[0]]", r.calls)
	}

	// Mapped over axis 1, output batch on axis 0: the rule leaves the batch
	// on axis 1, and MLX moves it, so the result is 10 xᵀ.
	r.calls = nil
	outs, err = mlx.Vmap(g, []int{1}, []int{0})([]*mlx.Array{x})
	if err != nil {
		t.Fatal(err)
	}
	trShape(t, "vmap axis 1", outs[0], 3, 4)
	for j := range 3 {
		for i := range 4 {
			want[4*j+i] = 10 * data[3*i+j]
		}
	}
	trExact(t, "vmap axis 1", trRead(t, outs[0]), want)
	if !slices.EqualFunc(r.calls, [][]int{{1}}, slices.Equal[[]int]) {
		t.Errorf("rule called with axes %v; want [[1]]", r.calls)
	}

	// Gradients are still MLX's own (d/dx sum 2x = 2).
	grads, err := mlx.Grad(trScalarFunc(func(a []*mlx.Array) *mlx.Array {
		o, _ := g(a)
		return mlx.Sum(o[0], false)
	}))(x)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		want[i] = 2
	}
	trExact(t, "grad", trRead(t, grads[0]), want)
}

// An argument that is not mapped reaches the rule with axis -1.
func TestCustomVmapUnmappedArgument(t *testing.T) {
	onCPU(t) // float64 (gpu_helpers_test.go)
	mul := trScalarFunc(func(a []*mlx.Array) *mlx.Array { return mlx.Multiply(a[0], a[1]) })
	r := &vmRule{scale: 3}
	g, err := mlx.CustomFunction(mul, nil, nil, r.rule)
	if err != nil {
		t.Fatal(err)
	}
	x := mlx.FromSlice([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	y := mlx.FromSlice([]float64{10, 20, 30}, 3)
	outs, err := mlx.Vmap(g, []int{0, -1}, []int{0})([]*mlx.Array{x, y})
	if err != nil {
		t.Fatal(err)
	}
	trShape(t, "vmap", outs[0], 2, 3)
	trExact(t, "vmap", trRead(t, outs[0]), []float64{30, 120, 270, 120, 300, 540})
	if !slices.EqualFunc(r.calls, [][]int{{0, -1}}, slices.Equal[[]int]) {
		t.Errorf("rule called with axes %v; want [[0 -1]]", r.calls)
	}
}

// Without a rule, Vmap vectorizes f itself.
func TestCustomFunctionWithoutVmapRule(t *testing.T) {
	onCPU(t) // float64 (gpu_helpers_test.go)
	double := trScalarFunc(func(a []*mlx.Array) *mlx.Array { return mlx.Multiply(a[0], mlx.Scalar(2.0)) })
	g, err := mlx.CustomFunction(double, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	x := mlx.FromSlice([]float64{1, 2, 3, 4}, 2, 2)
	outs, err := mlx.Vmap(g, []int{1}, []int{0})([]*mlx.Array{x})
	if err != nil {
		t.Fatal(err)
	}
	trExact(t, "vmap", trRead(t, outs[0]), []float64{2, 6, 4, 8})
}

func TestCustomVmapErrors(t *testing.T) {
	onCPU(t) // float64 (gpu_helpers_test.go)
	double := trScalarFunc(func(a []*mlx.Array) *mlx.Array { return mlx.Multiply(a[0], mlx.Scalar(2.0)) })
	x := mlx.FromSlice([]float64{1, 2, 3, 4}, 2, 2)
	errRule := errors.New("my rule failed")
	for _, c := range []struct {
		name string
		rule mlx.VmapFunc
		want string
	}{
		{"error", func(_ []*mlx.Array, _ []int) ([]*mlx.Array, []int, error) { return nil, nil, errRule }, "mlx: vmap: my rule failed"},
		{"too many outputs", func(args []*mlx.Array, _ []int) ([]*mlx.Array, []int, error) {
			return []*mlx.Array{args[0], args[0]}, []int{0, 0}, nil
		}, "mlx: vmap: custom vmap returned 2 outputs for a function with 1"},
		{"no axes", func(args []*mlx.Array, _ []int) ([]*mlx.Array, []int, error) {
			return []*mlx.Array{args[0]}, nil, nil
		}, "mlx: vmap: custom vmap returned 0 output axes for 1 outputs"},
		{"panic", func(_ []*mlx.Array, _ []int) ([]*mlx.Array, []int, error) { panic("boom") }, "mlx: vmap: panic in transformed function: boom"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, err := mlx.CustomFunction(double, nil, nil, c.rule)
			if err != nil {
				t.Fatal(err)
			}
			_, err = mlx.Vmap(g, []int{0}, []int{0})([]*mlx.Array{x})
			if err == nil || err.Error() != c.want {
				t.Fatalf("error %v; want %q", err, c.want)
			}
			trWantErr(t, err, "vmap")
			if c.name == "error" && !errors.Is(err, errRule) {
				t.Errorf("error %v does not wrap the rule's error", err)
			}
		})
	}
	r := &vmRule{}
	_, err := mlx.CustomFunction(double, nil, nil, r.rule, r.rule)
	if err == nil || err.Error() != "mlx: custom_function: 2 vmap rules given; at most one" || !errors.Is(err, mlx.ErrInvalidArgument) {
		t.Errorf("two rules: %v", err)
	}
}
