package mlx_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mlx-go/mlx"
)

// waitRelease waits for FromSliceNoCopy's release callback.
func waitRelease(t *testing.T, released <-chan struct{}) {
	t.Helper()
	select {
	case <-released:
	case <-time.After(10 * time.Second):
		t.Fatal("release callback did not run")
	}
}

func TestFromSliceNoCopyValuesAndRelease(t *testing.T) {
	data := make([]float32, 1<<16)
	for i := range data {
		data[i] = float32(i%8) / 4
	}
	released := make(chan struct{})
	a := mlx.FromSliceNoCopy(data, func() { close(released) }, 256, 256)
	defer a.Free()
	if err := a.Err(); err != nil {
		t.Fatal(err)
	}
	if got := a.Shape(); !slices.Equal(got, []int{256, 256}) {
		t.Fatalf("shape %v", got)
	}
	if !metalBackend() {
		// Only MLX's Metal allocator adopts host memory: elsewhere it
		// copied, and released data at once.
		waitRelease(t, released)
		data[5] = -1 // the caller's again: must not show in a
	}
	s := mlx.Sum(a, false)
	got, err := mlx.Item[float32](s)
	if err != nil {
		t.Fatal(err)
	}
	// 2^13 runs of 0, 0.25, ..., 1.75 (sum 7), before data[5] changed;
	// exact in float32.
	if want := float32(7 << 13); got != want {
		t.Fatalf("sum = %v, want %v", got, want)
	}
	back, err := mlx.Data[float32](a)
	if err != nil {
		t.Fatal(err)
	}
	if back[5] != 1.25 || back[len(back)-1] != 1.75 {
		t.Fatalf("data read back: [5]=%v [last]=%v", back[5], back[len(back)-1])
	}
	a.Free()
	waitRelease(t, released)
}

func TestFromSliceNoCopyEveryDtype(t *testing.T) {
	check := func(name string, a *mlx.Array, want string) {
		t.Helper()
		defer a.Free()
		if got := a.String(); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	check("int64", mlx.FromSliceNoCopy([]int64{-3, 1 << 40}, nil), "array([-3, 1099511627776], dtype=int64)")
	check("uint8", mlx.FromSliceNoCopy([]uint8{1, 2, 3, 4}, nil, 2, 2), "array([[1, 2],\n       [3, 4]], dtype=uint8)")
	check("bool", mlx.FromSliceNoCopy([]bool{true, false}, nil), "array([True, False], dtype=bool)")
	check("float64", mlx.FromSliceNoCopy([]float64{0.5}, nil, []int{}...), "array(0.5, dtype=float64)")
	check("complex64", mlx.FromSliceNoCopy([]complex64{1 + 2i}, nil), "array([1+2j], dtype=complex64)")
}

func TestFromSliceNoCopyBadInput(t *testing.T) {
	cases := []struct {
		name string
		make func(release func()) *mlx.Array
		msg  string
	}{
		{"shape mismatch", func(r func()) *mlx.Array { return mlx.FromSliceNoCopy([]float32{1, 2, 3}, r, 2, 2) }, "shape [2 2] needs 4 elements, data has 3"},
		{"negative dimension", func(r func()) *mlx.Array { return mlx.FromSliceNoCopy([]float32{1}, r, -1) }, "invalid shape [-1]"},
		{"[]int", func(r func()) *mlx.Array { return mlx.FromSliceNoCopy([]int{1}, r) }, "cannot share []int memory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			released := make(chan struct{})
			a := c.make(func() { close(released) })
			err := a.Err()
			var e *mlx.Error
			if !errors.As(err, &e) || !errors.Is(err, mlx.ErrInvalidArgument) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %v, want an *mlx.Error with %q", err, c.msg)
			}
			waitRelease(t, released) // the slice is given back even on error
		})
	}
	// Empty data: a valid empty array, and the slice is given back.
	released := make(chan struct{})
	a := mlx.FromSliceNoCopy([]float32{}, func() { close(released) }, 0, 3)
	defer a.Free()
	if err := a.Err(); err != nil || !slices.Equal(a.Shape(), []int{0, 3}) {
		t.Fatalf("empty: %v %v", a.Shape(), err)
	}
	waitRelease(t, released)
}

// The memory lent to MLX returns to MLX's baseline: no handle, pin or
// buffer outlives the arrays.
func TestFromSliceNoCopyReleasesMemory(t *testing.T) {
	base := settledActiveMemory(t)
	for i := 0; i < 20; i++ {
		data := make([]float32, 1<<18)
		released := make(chan struct{})
		a := mlx.FromSliceNoCopy(data, func() { close(released) })
		b := mlx.Add(a, mlx.Scalar[float32](1))
		if err := mlx.Eval(b); err != nil {
			t.Fatal(err)
		}
		a.Free()
		b.Free()
		waitRelease(t, released)
	}
	if got := settledActiveMemory(t); got != base {
		t.Fatalf("active memory %d after the loop, %d before", got, base)
	}
}

// metalBackend reports whether MLX runs on Metal, the one backend whose
// allocator adopts host memory.
func metalBackend() bool {
	ok, err := mlx.MetalIsAvailable()
	return err == nil && ok
}
