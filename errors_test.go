package mlx_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mlx-go/mlx"
)

// MLX's messages below are those its C++ ops raise (mlx/ops.cpp,
// mlx/primitives.cpp, mlx/utils.cpp of MLX 0.31.2), shapes printed as
// "(2,3)"; mlx-c's " at <file>:<line>" suffix is not part of them.

func TestOpErrors(t *testing.T) {
	freed := mlx.FromSlice([]float32{1, 2})
	freed.Free()
	v2 := func() *mlx.Array { return mlx.FromSlice([]float32{1, 2}) }
	tests := []struct {
		name     string
		got      *mlx.Array
		op, msg  string
		sentinel error
	}{
		{"add shape mismatch", mlx.Add(v2(), mlx.FromSlice([]float32{1, 2, 3})),
			"add", "[broadcast_shapes] Shapes (2) and (3) cannot be broadcast.", nil},
		{"add 2-D mismatch", mlx.Add(mlx.Zeros([]int{2, 3}, mlx.Float32), mlx.Zeros([]int{3, 2}, mlx.Float32)),
			"add", "[broadcast_shapes] Shapes (2,3) and (3,2) cannot be broadcast.", nil},
		{"subtract shape mismatch", mlx.Subtract(mlx.Zeros([]int{4}, mlx.Int32), mlx.Zeros([]int{2, 3}, mlx.Int32)),
			"subtract", "[broadcast_shapes] Shapes (4) and (2,3) cannot be broadcast.", nil},
		{"matmul inner dimensions", mlx.Matmul(mlx.Ones([]int{2, 3}, mlx.Float32), mlx.Ones([]int{2, 3}, mlx.Float32)),
			"matmul", "[matmul] Last dimension of first input with shape (2,3) must match second to last dimension of second input with shape (2,3).", nil},
		{"matmul integers", mlx.Matmul(mlx.Ones([]int{2, 2}, mlx.Int32), mlx.Ones([]int{2, 2}, mlx.Int32)),
			"matmul", "[matmul] Only inexact types are supported but int32 and int32 were provided which results in int32, which is not a floating point type.", nil},
		{"reshape size", mlx.Reshape(mlx.Arange(0, 6, 1, mlx.Float32), 4),
			"reshape", "[reshape] Cannot reshape array of size 6 into shape (4).", nil},
		{"reshape two unknowns", mlx.Reshape(mlx.Arange(0, 6, 1, mlx.Float32), -1, -1),
			"reshape", "[reshape] Reshape can only infer one dimension.", nil},
		{"reshape out of int32", mlx.Reshape(v2(), 1<<31),
			"reshape", "shape [2147483648]: 2147483648 does not fit in int32", mlx.ErrInvalidArgument},
		{"arange bool", mlx.Arange(0, 3, 1, mlx.Bool), "arange", "bool not supported for arange.", nil},
		{"zeros negative", mlx.Zeros([]int{2, -1}, mlx.Float32), "zeros", "[full] Negative dimensions not allowed.", nil},
		{"astype invalid dtype", mlx.AsType(v2(), mlx.Dtype(99)), "astype", "invalid dtype Dtype(99)", mlx.ErrInvalidArgument},
		{"ones invalid dtype", mlx.Ones([]int{1}, mlx.Dtype(-1)), "ones", "invalid dtype Dtype(-1)", mlx.ErrInvalidArgument},
		{"add nil first", mlx.Add(nil, v2()), "add", "nil array", mlx.ErrNilArray},
		{"multiply nil second", mlx.Multiply(v2(), nil), "multiply", "nil array", mlx.ErrNilArray},
		{"sum nil", mlx.Sum(nil, false), "sum", "nil array", mlx.ErrNilArray},
		{"reshape nil", mlx.Reshape(nil, 1), "reshape", "nil array", mlx.ErrNilArray},
		{"astype nil", mlx.AsType(nil, mlx.Float32), "astype", "nil array", mlx.ErrNilArray},
		{"add freed", mlx.Add(freed, v2()), "add", "array used after Free", mlx.ErrFreed},
		{"divide freed", mlx.Divide(v2(), freed), "divide", "array used after Free", mlx.ErrFreed},
		{"matmul freed", mlx.Matmul(freed, freed), "matmul", "array used after Free", mlx.ErrFreed},
		{"sum freed", mlx.Sum(freed, true), "sum", "array used after Free", mlx.ErrFreed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkError(t, tt.got.Err(), tt.op, tt.msg, tt.sentinel)
			if strings.Contains(tt.got.Err().Error(), " at /") {
				t.Errorf("message keeps mlx-c's source location: %q", tt.got.Err())
			}
			// The error surfaces, unchanged, from Eval and every read.
			if err := mlx.Eval(tt.got); err != tt.got.Err() {
				t.Errorf("Eval = %v, want the array's error", err)
			}
			if _, err := mlx.Data[float32](tt.got); err != tt.got.Err() {
				t.Errorf("Data = %v, want the array's error", err)
			}
			if _, err := mlx.Item[float32](tt.got); err != tt.got.Err() {
				t.Errorf("Item = %v, want the array's error", err)
			}
			if tt.got.Shape() != nil || tt.got.Ndim() != 0 || tt.got.Size() != 0 {
				t.Errorf("Shape, Ndim, Size = %v, %d, %d; want nil, 0, 0", tt.got.Shape(), tt.got.Ndim(), tt.got.Size())
			}
			tt.got.Free() // freeing an array that carries an error is fine
			// The process keeps working: the next valid op is right.
			checkArray(t, mlx.Add(v2(), v2()), mlx.Float32, []int{2}, []float32{2, 4})
		})
	}
}

func TestNilArray(t *testing.T) {
	var a *mlx.Array
	checkError(t, a.Err(), "array", "nil array", mlx.ErrNilArray)
	checkError(t, mlx.Eval(a), "eval", "nil array", mlx.ErrNilArray)
	_, err := mlx.Data[int32](a)
	checkError(t, err, "data", "nil array", mlx.ErrNilArray)
	_, err = mlx.Item[int32](a)
	checkError(t, err, "item", "nil array", mlx.ErrNilArray)
	if a.Shape() != nil || a.Ndim() != 0 || a.Size() != 0 || a.Dtype() != 0 {
		t.Errorf("Shape, Ndim, Size, Dtype = %v, %d, %d, %v; want nil, 0, 0, bool", a.Shape(), a.Ndim(), a.Size(), a.Dtype())
	}
	a.Free() // no panic
}

func TestUseAfterFree(t *testing.T) {
	a := mlx.FromSlice([]int32{1, 2, 3})
	kept := mlx.Multiply(a, a) // computed from a before Free: stays valid
	a.Free()
	a.Free() // safe twice

	checkError(t, mlx.Eval(a), "eval", "array used after Free", mlx.ErrFreed)
	checkError(t, mlx.AsyncEval(a), "async_eval", "array used after Free", mlx.ErrFreed)
	_, err := mlx.Data[int32](a)
	checkError(t, err, "data", "array used after Free", mlx.ErrFreed)
	_, err = mlx.Item[int32](a)
	checkError(t, err, "item", "array used after Free", mlx.ErrFreed)
	checkError(t, mlx.Reshape(a, 3, 1).Err(), "reshape", "array used after Free", mlx.ErrFreed)
	if a.Shape() != nil || a.Ndim() != 0 || a.Size() != 0 {
		t.Errorf("Shape, Ndim, Size = %v, %d, %d; want nil, 0, 0", a.Shape(), a.Ndim(), a.Size())
	}
	checkArray(t, kept, mlx.Int32, []int{3}, []int32{1, 4, 9})
}

func TestErrorPropagation(t *testing.T) {
	x := mlx.Arange(0, 6, 1, mlx.Float32)
	ones := mlx.Ones([]int{2, 3}, mlx.Float32)

	t.Run("first failing op wins", func(t *testing.T) {
		bad := mlx.Reshape(x, 4)                  // fails
		y := mlx.Add(bad, mlx.Scalar[float32](1)) // fed an error
		z := mlx.Matmul(y, ones)                  // would fail too, on shapes
		w := mlx.Sum(mlx.AsType(z, mlx.Int32), false)
		for name, a := range map[string]*mlx.Array{"bad": bad, "y": y, "z": z, "w": w} {
			var e *mlx.Error
			if !errors.As(a.Err(), &e) {
				t.Fatalf("%s.Err() = %v, want an *mlx.Error", name, a.Err())
			}
			if e.Op != "reshape" {
				t.Errorf("%s: Op = %q, want reshape (the first failing op)", name, e.Op)
			}
		}
		checkError(t, mlx.Eval(w), "reshape", "[reshape] Cannot reshape array of size 6 into shape (4).", nil)
		if got, want := w.String(), "array(error: mlx: reshape: [reshape] Cannot reshape array of size 6 into shape (4).)"; got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	})
	t.Run("failure late in a chain", func(t *testing.T) {
		y := mlx.Multiply(mlx.Reshape(x, 2, 3), mlx.Scalar[float32](2)) // fine: [2 3]
		z := mlx.Add(y, mlx.Ones([]int{2}, mlx.Float32))                // (2,3) + (2) fails
		w := mlx.Subtract(z, y)
		if y.Err() != nil {
			t.Fatalf("valid prefix carries %v", y.Err())
		}
		checkError(t, w.Err(), "add", "[broadcast_shapes] Shapes (2,3) and (2) cannot be broadcast.", nil)
	})
	t.Run("first operand's error", func(t *testing.T) {
		e1 := mlx.Reshape(x, 5)
		e2 := mlx.Add(nil, x)
		checkError(t, mlx.Add(e1, e2).Err(), "reshape", "[reshape] Cannot reshape array of size 6 into shape (5).", nil)
		checkError(t, mlx.Add(e2, e1).Err(), "add", "nil array", mlx.ErrNilArray)
	})
	t.Run("messages are not stale", func(t *testing.T) {
		// Each failure reports its own message, never a previous one.
		for i := 0; i < 3; i++ {
			checkError(t, mlx.Reshape(x, 7).Err(), "reshape", "[reshape] Cannot reshape array of size 6 into shape (7).", nil)
			if ok := mlx.Reshape(x, 3, 2); ok.Err() != nil {
				t.Fatalf("valid reshape after a failure: %v", ok.Err())
			}
			checkError(t, mlx.Matmul(x, ones).Err(), "matmul",
				"[matmul] Last dimension of first input with shape (1,6) must match second to last dimension of second input with shape (2,3).", nil)
		}
	})
	// The process keeps working.
	checkArray(t, mlx.Add(x, x), mlx.Float32, []int{6}, []float32{0, 2, 4, 6, 8, 10})
}

func TestErrorType(t *testing.T) {
	e := &mlx.Error{Op: "add", Msg: "boom"}
	if got, want := e.Error(), "mlx: add: boom"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if e.Unwrap() != nil {
		t.Errorf("Unwrap() = %v, want nil", e.Unwrap())
	}
	wrapped := &mlx.Error{Op: "eval", Msg: "x", Err: mlx.ErrFreed}
	if !errors.Is(wrapped, mlx.ErrFreed) || errors.Is(wrapped, mlx.ErrNilArray) {
		t.Errorf("errors.Is does not follow Err")
	}
	// Sentinels are distinct.
	sentinels := []error{mlx.ErrNilArray, mlx.ErrFreed, mlx.ErrInvalidArgument, mlx.ErrVersion}
	for i, a := range sentinels {
		for j, b := range sentinels {
			if (i == j) != errors.Is(a, b) {
				t.Errorf("errors.Is(%v, %v) = %v", a, b, errors.Is(a, b))
			}
		}
	}
}

func TestVersion(t *testing.T) {
	if err := mlx.Check(); err != nil {
		t.Fatalf("Check() = %v", err)
	}
	if v := mlx.Version(); v != mlx.BindingsVersion && !strings.HasPrefix(v, mlx.BindingsVersion+".") && !strings.HasPrefix(v, mlx.BindingsVersion+"+") {
		t.Errorf("Version() = %q, want %s", v, mlx.BindingsVersion)
	}
}

// A nil *Stream, *Device or *DeviceType satisfies StreamOrDevice through the
// value methods; ops and scopes must reject it with an error, not panic.
func TestNilStreamPointerIsAnError(t *testing.T) {
	x := mlx.FromSlice([]float32{1, 2})
	for name, on := range map[string]mlx.StreamOrDevice{
		"*Stream": (*mlx.Stream)(nil), "*Device": (*mlx.Device)(nil), "*DeviceType": (*mlx.DeviceType)(nil),
	} {
		err := mlx.AddOn(on, x, x).Err()
		if err == nil || err.Error() != "mlx: add: nil stream or device pointer" || !errors.Is(err, mlx.ErrInvalidArgument) {
			t.Errorf("AddOn(nil %s) error = %v", name, err)
		}
		if err := mlx.WithStream(on, func() error { return nil }); err == nil {
			t.Errorf("WithStream(nil %s) succeeded", name)
		}
	}
	// The process keeps working.
	if got, err := mlx.Data[float32](mlx.Add(x, x)); err != nil || got[1] != 4 {
		t.Fatalf("Add after the errors = %v, %v", got, err)
	}
}
