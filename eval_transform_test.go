package mlx_test

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mlx-go/mlx"
)

// MLX's tracing state is global: its async_eval refuses to run while any
// thread is inside a transform. Evaluations on one goroutine must not fail
// because another goroutine is computing a gradient.
func TestEvalWhileAnotherGoroutineTransforms(t *testing.T) {
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		g := mlx.Grad(func(a []*mlx.Array) ([]*mlx.Array, error) {
			return []*mlx.Array{mlx.Sum(mlx.Multiply(a[0], a[0]), false)}, nil
		})
		for !stop.Load() {
			grads, err := g(mlx.FromSlice([]float32{1, 2}))
			if err != nil {
				t.Error(err)
				return
			}
			if got, err := mlx.Data[float32](grads[0]); err != nil || got[0] != 2 || got[1] != 4 {
				t.Errorf("grad = %v, %v", got, err)
				return
			}
		}
	}()
	for i := 0; i < 500; i++ {
		a := mlx.Add(mlx.FromSlice([]float32{1, 2}), mlx.Scalar[float32](1))
		got, err := mlx.Data[float32](a)
		if err != nil || got[0] != 2 || got[1] != 3 {
			stop.Store(true)
			wg.Wait()
			t.Fatalf("step %d: %v, %v", i, got, err)
		}
	}
	stop.Store(true)
	wg.Wait()
}

// Inside a transformed function the arrays are tracers: evaluating or saving
// them is refused with an error (not a deadlock), and the process goes on.
func TestEvalInsideTransformIsAnError(t *testing.T) {
	x := mlx.FromSlice([]float32{1, 2})
	for name, use := range map[string]func(s *mlx.Array) error{
		"eval": func(s *mlx.Array) error { return mlx.Eval(s) },
		"data": func(s *mlx.Array) error { _, err := mlx.Data[float32](s); return err },
		"save": func(s *mlx.Array) error { return mlx.Save(t.TempDir()+"/s.npy", s) },
	} {
		_, err := mlx.Grad(func(a []*mlx.Array) ([]*mlx.Array, error) {
			s := mlx.Sum(mlx.Multiply(a[0], a[0]), false)
			if err := use(s); err != nil {
				return nil, err
			}
			return []*mlx.Array{s}, nil
		})(x)
		var e *mlx.Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), "cannot evaluate inside a transformed function") {
			t.Errorf("%s inside Grad: %v", name, err)
		}
	}
	g, err := mlx.Grad(func(a []*mlx.Array) ([]*mlx.Array, error) {
		return []*mlx.Array{mlx.Sum(mlx.Multiply(a[0], a[0]), false)}, nil
	})(x)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := mlx.Data[float32](g[0]); err != nil || got[0] != 2 || got[1] != 4 {
		t.Fatalf("grad after the errors = %v, %v", got, err)
	}
}

// The error a Go function returns inside a transform is wrapped, not just
// copied as text: errors.Is finds it.
func TestTransformWrapsTheFunctionsError(t *testing.T) {
	errStep := errors.New("step failed")
	_, err := mlx.Grad(func([]*mlx.Array) ([]*mlx.Array, error) { return nil, errStep })(mlx.FromSlice([]float32{1}))
	var e *mlx.Error
	if !errors.Is(err, errStep) || !errors.As(err, &e) || err.Error() != "mlx: value_and_grad: step failed" {
		t.Fatalf("err = %v (Is: %v)", err, errors.Is(err, errStep))
	}
}

// CustomFunction's JVP replaces differentiation in JVP: here f(x) = x*x with
// a custom JVP of 10*tangent, where differentiation would give 2*x*tangent.
func TestCustomFunctionJVP(t *testing.T) {
	var gotArgnums []int
	f, err := mlx.CustomFunction(
		func(a []*mlx.Array) ([]*mlx.Array, error) { return []*mlx.Array{mlx.Multiply(a[0], a[0])}, nil },
		nil,
		func(_, tangents []*mlx.Array, argnums []int) ([]*mlx.Array, error) {
			gotArgnums = argnums
			return []*mlx.Array{mlx.Multiply(tangents[0], mlx.Scalar[float32](10))}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	outs, jvps, err := mlx.JVP(f, []*mlx.Array{mlx.FromSlice([]float32{3, 4})}, []*mlx.Array{mlx.FromSlice([]float32{1, 2})})
	if err != nil {
		t.Fatal(err)
	}
	o, err1 := mlx.Data[float32](outs[0])
	j, err2 := mlx.Data[float32](jvps[0])
	if err1 != nil || err2 != nil || o[0] != 9 || o[1] != 16 || j[0] != 10 || j[1] != 20 {
		t.Fatalf("outputs %v (%v), jvps %v (%v); want [9 16] and [10 20]", o, err1, j, err2)
	}
	if len(gotArgnums) != 1 || gotArgnums[0] != 0 {
		t.Fatalf("argnums = %v, want [0]", gotArgnums)
	}
	// The VJP still comes from differentiating f: 2*x.
	g, err := mlx.Grad(func(a []*mlx.Array) ([]*mlx.Array, error) {
		out, err := f(a)
		if err != nil {
			return nil, err
		}
		return []*mlx.Array{mlx.Sum(out[0], false)}, nil
	})(mlx.FromSlice([]float32{3, 4}))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := mlx.Data[float32](g[0]); err != nil || got[0] != 6 || got[1] != 8 {
		t.Fatalf("grad = %v, %v; want [6 8]", got, err)
	}
}
