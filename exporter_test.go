package mlx_test

// Tests of the multi-trace Exporter: traces of one function for several
// shapes, dtypes and argument counts in one file, imported back and checked
// against values computed here in Go.

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/mlx-go/mlx"
)

// exPoly is x*x + 1 for one argument and x*y + x for two.
func exPoly(args []*mlx.Array) ([]*mlx.Array, error) {
	switch len(args) {
	case 1:
		return []*mlx.Array{mlx.Add(mlx.Multiply(args[0], args[0]), mlx.Scalar[float32](1))}, nil
	case 2:
		return []*mlx.Array{mlx.Add(mlx.Multiply(args[0], args[1]), args[0])}, nil
	}
	return nil, fmt.Errorf("exPoly: %d arguments", len(args))
}

func exSeq(n int, scale float32) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = scale * float32(i-n/2)
	}
	return v
}

func exF64(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

func TestExporterSeveralTraces(t *testing.T) {
	file := filepath.Join(t.TempDir(), "poly.mlxfn")
	ex, err := mlx.NewExporter(file, exPoly, false)
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Free()
	z := func(shape ...int) *mlx.Array { return mlx.Zeros(shape, mlx.Float32) }
	if err := ex.Export(z(3)); err != nil {
		t.Fatal(err)
	}
	// Each trace is in the file as soon as Export returns.
	early, err := mlx.ImportFunction(file)
	if err != nil {
		t.Fatal(err)
	}
	x3 := exSeq(3, 0.5)
	outs, err := early([]*mlx.Array{mlx.FromSlice(x3, 3)})
	if err != nil {
		t.Fatal(err)
	}
	trExact(t, "first trace", trRead(t, outs[0]), []float64{1.25, 1, 1.25})

	for _, args := range [][]*mlx.Array{{z(2, 4)}, {z(5), z(5)}, {z(2, 2), z(2, 2)}} {
		if err := ex.Export(args...); err != nil {
			t.Fatal(err)
		}
	}
	// A trace with the same signature again is MLX's error.
	err = ex.Export(z(5), z(5))
	trWantErr(t, err, "exporter", "[export_function] Attempting to export a function twice with the same signature is not allowed.")
	ex.Free()

	f, err := mlx.ImportFunction(file)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, want []float64, shape []int, args ...[]float32) {
		t.Helper()
		in := make([]*mlx.Array, len(args))
		for i, a := range args {
			in[i] = mlx.FromSlice(a, shape...)
		}
		outs, err := f(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		trShape(t, name, outs[0], shape...)
		trExact(t, name, trRead(t, outs[0]), want)
	}
	sq := func(x []float32) []float64 {
		out := make([]float64, len(x))
		for i, v := range x {
			out[i] = float64(v)*float64(v) + 1
		}
		return out
	}
	mulAdd := func(x, y []float32) []float64 {
		out := make([]float64, len(x))
		for i := range x {
			out[i] = float64(x[i])*float64(y[i]) + float64(x[i])
		}
		return out
	}
	x8 := exSeq(8, 0.25)
	check("3", sq(x3), []int{3}, x3)
	check("2x4", sq(x8), []int{2, 4}, x8)
	a5, b5 := exSeq(5, 1), exSeq(5, -0.5)
	check("5,5", mulAdd(a5, b5), []int{5}, a5, b5)
	a4, b4 := exSeq(4, 2), exSeq(4, 0.125)
	check("2x2,2x2", mulAdd(a4, b4), []int{2, 2}, a4, b4)

	// A shape never traced matches nothing.
	_, err = f([]*mlx.Array{mlx.FromSlice(exSeq(4, 1), 4)})
	trWantErr(t, err, "import_function", "[import_function::call] No imported function found", "Called with 1 positional inputs and 0 keyword inputs:\n  1: (4) float32")

	// After Free: an error, not a crash; Free again is fine.
	err = ex.Export(z(7))
	trWantErr(t, err, "exporter", "Exporter used after Free")
	if !errors.Is(err, mlx.ErrFreed) {
		t.Errorf("%v does not wrap ErrFreed", err)
	}
	ex.Free()
}

func TestExporterShapelessAndKwargs(t *testing.T) {
	file := filepath.Join(t.TempDir(), "poly.mlxfn")
	ex, err := mlx.NewExporter(file, exPoly, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := ex.Export(mlx.Zeros([]int{2}, mlx.Float32)); err != nil {
		t.Fatal(err)
	}
	// A trace with a keyword input: the function sees only x; "tag" is an
	// input of the trace, required by name.
	if err := ex.ExportKwargs([]*mlx.Array{mlx.Zeros([]int{2}, mlx.Float32), mlx.Zeros([]int{2}, mlx.Float32)},
		map[string]*mlx.Array{"tag": mlx.Zeros([]int{1}, mlx.Int32)}); err != nil {
		t.Fatal(err)
	}
	ex.Free()

	f, err := mlx.ImportFunctionKwargs(file)
	if err != nil {
		t.Fatal(err)
	}
	x := exSeq(6, 0.75)
	outs, err := f([]*mlx.Array{mlx.FromSlice(x, 6)}, nil) // shapeless: 6 for 2
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float64, len(x))
	for i, v := range x {
		want[i] = float64(v)*float64(v) + 1
	}
	trExact(t, "shapeless", trRead(t, outs[0]), want)

	a, b := exSeq(3, 1), exSeq(3, 0.5)
	outs, err = f([]*mlx.Array{mlx.FromSlice(a, 3), mlx.FromSlice(b, 3)}, map[string]*mlx.Array{"tag": mlx.FromSlice([]int32{9}, 1)})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		want[i] = float64(a[i])*float64(b[i]) + float64(a[i])
	}
	trExact(t, "kwargs trace", trRead(t, outs[0]), want[:3])

	// Without the keyword, the two-argument trace is not found.
	_, err = f([]*mlx.Array{mlx.FromSlice(a, 3), mlx.FromSlice(b, 3)}, nil)
	trWantErr(t, err, "import_function", "No imported function found", "\"tag\"")
}

func TestExporterErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := mlx.NewExporter(filepath.Join(dir, "missing", "f.mlxfn"), exPoly, false)
	trWantErr(t, err, "exporter", "[export_function] Failed to open")

	ex, err := mlx.NewExporter(filepath.Join(dir, "f.mlxfn"), exPoly, false)
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Free()
	z := mlx.Zeros([]int{2}, mlx.Float32)
	err = ex.Export(z, z, z)
	trWantErr(t, err, "exporter", "exPoly: 3 arguments")
	err = ex.Export(z, nil)
	if !errors.Is(err, mlx.ErrNilArray) {
		t.Errorf("nil argument: %v", err)
	}
	err = ex.ExportKwargs([]*mlx.Array{z}, map[string]*mlx.Array{"k": nil})
	if !errors.Is(err, mlx.ErrNilArray) {
		t.Errorf("nil keyword argument: %v", err)
	}
	var nilEx *mlx.Exporter
	if err := nilEx.Export(z); !errors.Is(err, mlx.ErrInvalidArgument) {
		t.Errorf("nil Exporter: %v", err)
	}
	nilEx.Free()
}

// Goroutines may share an Exporter; each trace lands in the file.
func TestExporterFromGoroutines(t *testing.T) {
	file := filepath.Join(t.TempDir(), "poly.mlxfn")
	ex, err := mlx.NewExporter(file, exPoly, false)
	if err != nil {
		t.Fatal(err)
	}
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = ex.Export(mlx.Zeros([]int{i + 1}, mlx.Float32))
		}()
	}
	wg.Wait()
	ex.Free()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("trace %d: %v", i, err)
		}
	}
	f, err := mlx.ImportFunction(file)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		x := exSeq(i+1, 1.5)
		outs, err := f([]*mlx.Array{mlx.FromSlice(x, i+1)})
		if err != nil {
			t.Fatal(err)
		}
		want := make([]float64, len(x))
		for j, v := range exF64(x) {
			want[j] = v*v + 1
		}
		trExact(t, fmt.Sprint("size ", i+1), trRead(t, outs[0]), want)
	}
}
