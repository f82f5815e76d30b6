package mlx_test

// Tests of keyword closures: functions exported with keyword arguments
// (ExportFunctionKwargs) and imported back (ImportFunctionKwargs) give the
// numbers computed here in Go.

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlx-go/mlx"
)

// affine is out = x*scale + shift, with x positional and scale (a row) and
// shift keyword arguments; a second output is x - shift.
func affine(args []*mlx.Array, kw map[string]*mlx.Array) ([]*mlx.Array, error) {
	scale, shift := kw["scale"], kw["shift"]
	if scale == nil || shift == nil {
		return nil, errors.New("affine needs scale and shift")
	}
	return []*mlx.Array{
		mlx.Add(mlx.Multiply(args[0], scale), shift),
		mlx.Subtract(args[0], shift),
	}, nil
}

// affineWant computes affine in Go for x (r×c, row-major), scale (c), shift.
func affineWant(x []float64, c int, scale []float64, shift float64) (out, diff []float64) {
	for i, v := range x {
		out = append(out, v*scale[i%c]+shift)
		diff = append(diff, v-shift)
	}
	return out, diff
}

func TestExportImportKwargs(t *testing.T) {
	onCPU(t) // float64 (gpu_helpers_test.go)
	dir := t.TempDir()
	file := filepath.Join(dir, "affine.mlxfn")
	zeros := func(shape ...int) *mlx.Array { return mlx.Zeros(shape, mlx.Float64) }
	if err := mlx.ExportFunctionKwargs(file, affine, []*mlx.Array{zeros(2, 3)},
		map[string]*mlx.Array{"scale": zeros(3), "shift": zeros()}, false); err != nil {
		t.Fatal(err)
	}
	f, err := mlx.ImportFunctionKwargs(file)
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{1, 2, 3, 4, 5, 6}
	scale := []float64{0.5, -2, 10}
	outs, err := f([]*mlx.Array{mlx.FromSlice(x, 2, 3)},
		map[string]*mlx.Array{"scale": mlx.FromSlice(scale, 3), "shift": mlx.Scalar(0.25)})
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 2 {
		t.Fatalf("%d outputs, want 2", len(outs))
	}
	wantOut, wantDiff := affineWant(x, 3, scale, 0.25)
	trShape(t, "out", outs[0], 2, 3)
	trExact(t, "out", trRead(t, outs[0]), wantOut)
	trExact(t, "diff", trRead(t, outs[1]), wantDiff)

	// The same values through the Go function itself.
	direct, err := affine([]*mlx.Array{mlx.FromSlice(x, 2, 3)},
		map[string]*mlx.Array{"scale": mlx.FromSlice(scale, 3), "shift": mlx.Scalar(0.25)})
	if err != nil {
		t.Fatal(err)
	}
	trExact(t, "direct", trRead(t, direct[0]), trRead(t, outs[0]))

	// Missing keywords, or another shape, match no trace.
	for name, kw := range map[string]map[string]*mlx.Array{
		"missing shift": {"scale": mlx.FromSlice(scale, 3)},
		"other shape":   {"scale": mlx.FromSlice([]float64{1, 2}, 2), "shift": mlx.Scalar(0.0)},
		"none":          nil,
	} {
		_, err := f([]*mlx.Array{mlx.FromSlice(x, 2, 3)}, kw)
		trWantErr(t, err, "import_function", "[import_function::call] No imported function found which matches the given positional and keyword arguments.")
		if t.Failed() {
			t.Logf("case %s", name)
		}
	}
	// The plain form cannot pass keywords.
	g, err := mlx.ImportFunction(file)
	if err != nil {
		t.Fatal(err)
	}
	_, err = g([]*mlx.Array{mlx.FromSlice(x, 2, 3)})
	trWantErr(t, err, "import_function", "Called with 1 positional inputs and 0 keyword inputs")

	// Nil keyword arrays are refused before MLX sees them.
	_, err = f([]*mlx.Array{mlx.FromSlice(x, 2, 3)}, map[string]*mlx.Array{"scale": nil, "shift": mlx.Scalar(0.0)})
	if !errors.Is(err, mlx.ErrNilArray) {
		t.Errorf("nil kwarg: %v", err)
	}
}

func TestExportKwargsShapeless(t *testing.T) {
	file := filepath.Join(t.TempDir(), "affine.mlxfn")
	if err := mlx.ExportFunctionKwargs(file, affine, []*mlx.Array{mlx.Zeros([]int{1, 2}, mlx.Float32)},
		map[string]*mlx.Array{"scale": mlx.Zeros([]int{2}, mlx.Float32), "shift": mlx.Scalar[float32](0)}, true); err != nil {
		t.Fatal(err)
	}
	f, err := mlx.ImportFunctionKwargs(file)
	if err != nil {
		t.Fatal(err)
	}
	x := []float32{1, 2, 3, 4, 5, 6, 7, 8}
	outs, err := f([]*mlx.Array{mlx.FromSlice(x, 2, 4)},
		map[string]*mlx.Array{"scale": mlx.FromSlice([]float32{1, 2, 3, 4}, 4), "shift": mlx.Scalar[float32](-1)})
	if err != nil {
		t.Fatal(err)
	}
	xd := make([]float64, len(x))
	for i, v := range x {
		xd[i] = float64(v)
	}
	want, _ := affineWant(xd, 4, []float64{1, 2, 3, 4}, -1)
	trShape(t, "out", outs[0], 2, 4)
	trExact(t, "out", trRead(t, outs[0]), want)
}

func TestExportKwargsErrors(t *testing.T) {
	dir := t.TempDir()
	x := mlx.Zeros([]int{2}, mlx.Float32)
	my := errors.New("my kwargs failure")
	err := mlx.ExportFunctionKwargs(filepath.Join(dir, "e.mlxfn"), func([]*mlx.Array, map[string]*mlx.Array) ([]*mlx.Array, error) {
		return nil, my
	}, []*mlx.Array{x}, map[string]*mlx.Array{"y": x}, false)
	trWantErr(t, err, "export_function", "my kwargs failure")
	if !errors.Is(err, my) {
		t.Errorf("%v does not wrap the function's error", err)
	}
	err = mlx.ExportFunctionKwargs(filepath.Join(dir, "p.mlxfn"), func([]*mlx.Array, map[string]*mlx.Array) ([]*mlx.Array, error) {
		panic("kaboom")
	}, nil, map[string]*mlx.Array{"y": x}, false)
	trWantErr(t, err, "export_function", "panic in transformed function: kaboom")

	err = mlx.ExportFunctionKwargs(filepath.Join(dir, "n.mlxfn"), affine, []*mlx.Array{x}, map[string]*mlx.Array{"scale": nil}, false)
	if !errors.Is(err, mlx.ErrNilArray) || !strings.HasPrefix(err.Error(), "mlx: export_function: ") {
		t.Errorf("nil kwarg: %v", err)
	}
	err = mlx.ExportFunctionKwargs(filepath.Join(dir, "no-such-dir", "f.mlxfn"), affine, []*mlx.Array{x},
		map[string]*mlx.Array{"scale": x, "shift": x}, false)
	trWantErr(t, err, "export_function", "[export_function] Failed to open")

	// The function sees keyword arguments only: a keyword-only export.
	file := filepath.Join(dir, "kwonly.mlxfn")
	if err := mlx.ExportFunctionKwargs(file, func(args []*mlx.Array, kw map[string]*mlx.Array) ([]*mlx.Array, error) {
		if len(args) != 0 {
			return nil, errors.New("unexpected positional arguments")
		}
		return []*mlx.Array{mlx.Multiply(kw["a"], kw["b"])}, nil
	}, nil, map[string]*mlx.Array{"a": x, "b": x}, false); err != nil {
		t.Fatal(err)
	}
	f, err := mlx.ImportFunctionKwargs(file)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := f(nil, map[string]*mlx.Array{"a": mlx.FromSlice([]float32{2, 3}, 2), "b": mlx.FromSlice([]float32{5, 7}, 2)})
	if err != nil {
		t.Fatal(err)
	}
	trExact(t, "a*b", trRead(t, outs[0]), []float64{10, 21})
}
