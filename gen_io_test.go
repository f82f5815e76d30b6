package mlx_test

// Tests of the generated wrappers of mlx-c's io.h (io_gen.go): .npy files
// (Save/Load) and safetensors (SaveSafetensors/LoadSafetensors), written to
// t.TempDir(). Besides round trips, the files MLX writes are decoded here
// with the formats' specifications (NumPy's .npy header; safetensors' JSON
// header) and compared byte for byte with the values encoded in Go.
//
// GGUF is tested in gguf_test.go (hand-written: LoadGGUF, SaveGGUF and the
// GGUF handle); this MLX is built without GGUF, so there the error is checked.

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/mlx-go/mlx"
)

// gtNpy decodes a version 1 or 2 .npy file: the header dictionary's fields
// and the data bytes.
func gtNpy(t *testing.T, path string) (descr string, fortran bool, shape string, data []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" {
		t.Fatalf("%s: not a .npy file (starts %q)", path, b[:min(len(b), 10)])
	}
	var hlen, start int
	switch b[6] {
	case 1:
		hlen, start = int(binary.LittleEndian.Uint16(b[8:10])), 10
	case 2:
		hlen, start = int(binary.LittleEndian.Uint32(b[8:12])), 12
	default:
		t.Fatalf("%s: .npy version %d", path, b[6])
	}
	// (NumPy pads the header so that the data is 16- or 64-byte aligned;
	// MLX 0.31.2 computes the padding as (prefix+header+1) % 16 instead of
	// the complement, so its data is not aligned. Readers do not need it.)
	header := string(b[start : start+hlen])
	field := func(name string) string {
		i := strings.Index(header, "'"+name+"':")
		if i < 0 {
			t.Fatalf("%s: header %q has no %s", path, header, name)
		}
		rest := strings.TrimSpace(header[i+len(name)+3:])
		if strings.HasPrefix(rest, "(") {
			return rest[:strings.Index(rest, ")")+1]
		}
		end := strings.IndexAny(rest, ",}")
		return strings.Trim(strings.TrimSpace(rest[:end]), "'")
	}
	return field("descr"), field("fortran_order") == "True", field("shape"), b[start+hlen:]
}

func gtLE32(vals ...float32) []byte {
	out := make([]byte, 4*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint32(out[4*i:], math.Float32bits(v))
	}
	return out
}

func TestGenIONpy(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	dir := t.TempDir()
	type npyCase struct {
		name  string
		a     *mlx.Array
		dtype mlx.Dtype
		shape []int
		want  []float64
		descr string
	}
	cases := []npyCase{
		{"float32", gtF32([]float64{1.5, -2, 3.25, 0, 1e-3, 7}, 2, 3), mlx.Float32, []int{2, 3}, gtRound32([]float64{1.5, -2, 3.25, 0, 1e-3, 7}), "<f4"},
		{"float64", mlx.FromSlice([]float64{math.Pi, -math.E}), mlx.Float64, []int{2}, []float64{math.Pi, -math.E}, "<f8"},
		{"int8", mlx.FromSlice([]int8{-128, 0, 127}), mlx.Int8, []int{3}, gtInts(-128, 0, 127), "|i1"},
		{"int16", mlx.FromSlice([]int16{-300, 300}), mlx.Int16, []int{2}, gtInts(-300, 300), "<i2"},
		{"int32", mlx.FromSlice([]int32{-1, 2, 3, 4}, 2, 2), mlx.Int32, []int{2, 2}, gtInts(-1, 2, 3, 4), "<i4"},
		{"int64", mlx.FromSlice([]int64{-1 << 40, 1 << 40}), mlx.Int64, []int{2}, []float64{-(1 << 40), 1 << 40}, "<i8"},
		{"uint8", mlx.FromSlice([]uint8{0, 255}), mlx.Uint8, []int{2}, gtInts(0, 255), "|u1"},
		{"uint16", mlx.FromSlice([]uint16{65535}), mlx.Uint16, []int{1}, gtInts(65535), "<u2"},
		{"uint32", mlx.FromSlice([]uint32{1 << 31}), mlx.Uint32, []int{1}, []float64{1 << 31}, "<u4"},
		{"uint64", mlx.FromSlice([]uint64{1 << 50}), mlx.Uint64, []int{1}, []float64{1 << 50}, "<u8"},
		{"bool", mlx.FromSlice([]bool{true, false, true}), mlx.Bool, []int{3}, gtBools(true, false, true), "|b1"},
		{"float16", mlx.FromSlice([]mlx.F16{mlx.NewF16(0.5), mlx.NewF16(-2)}), mlx.Float16, []int{2}, []float64{0.5, -2}, "<f2"},
		{"scalar", mlx.Scalar[float32](42), mlx.Float32, nil, []float64{42}, "<f4"},
		{"3d", gtF32(gtInts(0, 1, 2, 3, 4, 5, 6, 7), 2, 2, 2), mlx.Float32, []int{2, 2, 2}, gtInts(0, 1, 2, 3, 4, 5, 6, 7), "<f4"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.name+".npy")
			if err := mlx.Save(path, c.a); err != nil {
				t.Fatalf("Save: %v", err)
			}
			descr, fortran, _, _ := gtNpy(t, path)
			// MLX writes fortran_order True whenever the data is
			// column-contiguous, which 0-D and 1-D arrays also are.
			if descr != c.descr || fortran && len(c.shape) > 1 {
				t.Errorf("header: descr %q fortran %v, want %q False", descr, fortran, c.descr)
			}
			on := gtPick(t, i)
			gtCheck(t, "load", mlx.LoadOn(on, path), c.dtype, c.shape, c.want, 0)
		})
	}

	// The bytes on disk: header fields and little-endian data.
	path := filepath.Join(dir, "bytes.npy")
	if err := mlx.Save(path, gtF32([]float64{1, -2.5, 3, 0.125, 5, 6}, 3, 2)); err != nil {
		t.Fatalf("Save: %v", err)
	}
	descr, fortran, shape, data := gtNpy(t, path)
	if descr != "<f4" || fortran || strings.ReplaceAll(shape, " ", "") != "(3,2,)" {
		t.Errorf("header: descr %q fortran %v shape %q, want <f4 False (3, 2, )", descr, fortran, shape)
	}
	if want := gtLE32(1, -2.5, 3, 0.125, 5, 6); string(data) != string(want) {
		t.Errorf("data bytes % x, want % x", data, want)
	}

	// MLX appends ".npy" to a name without it.
	bare := filepath.Join(dir, "bare")
	if err := mlx.Save(bare, mlx.FromSlice([]int32{9})); err != nil {
		t.Fatalf("Save: %v", err)
	}
	gtCheck(t, "load appended .npy", mlx.Load(bare+".npy"), mlx.Int32, []int{1}, gtInts(9), 0)

	// Lazy and non-contiguous arrays: a computed transpose and a strided
	// slice are evaluated and written in logical order.
	m := gtF32(gtInts(1, 2, 3, 4, 5, 6), 2, 3)
	tp := filepath.Join(dir, "transposed.npy")
	if err := mlx.Save(tp, mlx.Transpose(mlx.Add(m, mlx.Scalar[float32](1)))); err != nil {
		t.Fatalf("Save transposed: %v", err)
	}
	gtCheck(t, "load transposed", mlx.Load(tp), mlx.Float32, []int{3, 2}, gtInts(2, 5, 3, 6, 4, 7), 0)
	sp := filepath.Join(dir, "strided.npy")
	if err := mlx.Save(sp, mlx.Slice(gtF32(gtInts(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 3, 4), []int{0, 1}, []int{3, 4}, []int{2, 2})); err != nil {
		t.Fatalf("Save strided: %v", err)
	}
	gtCheck(t, "load strided", mlx.LoadOn(gtStream(t), sp), mlx.Float32, []int{2, 2}, gtInts(1, 3, 9, 11), 0)

	// A file written here by hand in NumPy's format loads.
	hand := filepath.Join(dir, "hand.npy")
	hdr := "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }"
	for (10+len(hdr)+1)%16 != 0 {
		hdr += " "
	}
	hdr += "\n"
	file := append([]byte("\x93NUMPY\x01\x00"), byte(len(hdr)), byte(len(hdr)>>8))
	file = append(file, hdr...)
	file = binary.LittleEndian.AppendUint32(file, uint32(0xfffffff9)) // -7
	file = binary.LittleEndian.AppendUint32(file, 123)
	if err := os.WriteFile(hand, file, 0o644); err != nil {
		t.Fatal(err)
	}
	gtCheck(t, "load hand-written", mlx.Load(hand), mlx.Int32, []int{2}, gtInts(-7, 123), 0)
	// Fortran order is honoured: [[1, 2], [3, 4]] stored column by column.
	fh := "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }"
	for (10+len(fh)+1)%16 != 0 {
		fh += " "
	}
	fh += "\n"
	ff := append([]byte("\x93NUMPY\x01\x00"), byte(len(fh)), byte(len(fh)>>8))
	ff = append(append(ff, fh...), gtLE32(1, 3, 2, 4)...)
	fpath := filepath.Join(dir, "fortran.npy")
	if err := os.WriteFile(fpath, ff, 0o644); err != nil {
		t.Fatal(err)
	}
	gtCheck(t, "load fortran order", mlx.Load(fpath), mlx.Float32, []int{2, 2}, gtInts(1, 2, 3, 4), 0)
}

// gtSafetensorsHeader decodes a safetensors file's JSON header and returns it
// with the data section.
func gtSafetensorsHeader(t *testing.T, path string) (map[string]json.RawMessage, []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	if len(b) < 8 {
		t.Fatalf("%s: %d bytes", path, len(b))
	}
	n := binary.LittleEndian.Uint64(b[:8])
	if 8+n > uint64(len(b)) {
		t.Fatalf("%s: header length %d past the end (%d bytes)", path, n, len(b))
	}
	var h map[string]json.RawMessage
	if err := json.Unmarshal(b[8:8+n], &h); err != nil {
		t.Fatalf("%s: header %q: %v", path, b[8:8+n], err)
	}
	return h, b[8+n:]
}

func TestGenIOSafetensors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "weights.safetensors")
	tensors := map[string]*mlx.Array{
		"w.f32":  gtF32([]float64{1, -2.5, 3, 4.75}, 2, 2),
		"i16":    mlx.FromSlice([]int16{-3}),
		"u32":    mlx.FromSlice([]uint32{1 << 31, 5}),
		"b.i32":  mlx.FromSlice([]int32{-5, 6, 7}),
		"b.i64":  mlx.FromSlice([]int64{1 << 40}),
		"mask":   mlx.FromSlice([]bool{true, false}),
		"h.f16":  mlx.FromSlice([]mlx.F16{mlx.NewF16(1.5), mlx.NewF16(-0.25)}),
		"h.bf16": mlx.FromSlice([]mlx.BF16{mlx.NewBF16(3), mlx.NewBF16(-96)}, 1, 2),
		"u8":     mlx.FromSlice([]uint8{0, 200, 255}),
		"lazy":   mlx.Multiply(gtF32([]float64{1, 2, 3}), mlx.Scalar[float32](2)),
		"scalar": mlx.Scalar[int32](11),
		"c64":    mlx.FromSlice([]complex64{1 + 2i, -3.5i}),
	}
	want := map[string]struct {
		dtype mlx.Dtype
		shape []int
		vals  []float64
		st    string // safetensors dtype name
	}{
		"w.f32":  {mlx.Float32, []int{2, 2}, []float64{1, -2.5, 3, 4.75}, "F32"},
		"i16":    {mlx.Int16, []int{1}, gtInts(-3), "I16"},
		"u32":    {mlx.Uint32, []int{2}, []float64{1 << 31, 5}, "U32"},
		"b.i32":  {mlx.Int32, []int{3}, gtInts(-5, 6, 7), "I32"},
		"b.i64":  {mlx.Int64, []int{1}, []float64{1 << 40}, "I64"},
		"mask":   {mlx.Bool, []int{2}, gtBools(true, false), "BOOL"},
		"h.f16":  {mlx.Float16, []int{2}, []float64{1.5, -0.25}, "F16"},
		"h.bf16": {mlx.BFloat16, []int{1, 2}, []float64{3, -96}, "BF16"},
		"u8":     {mlx.Uint8, []int{3}, gtInts(0, 200, 255), "U8"},
		"lazy":   {mlx.Float32, []int{3}, gtInts(2, 4, 6), "F32"},
		"scalar": {mlx.Int32, nil, gtInts(11), "I32"},
	}
	meta := map[string]string{"format": "mlx", "note": "gen io test", "empty": ""}
	if err := mlx.SaveSafetensors(path, tensors, meta); err != nil {
		t.Fatalf("SaveSafetensors: %v", err)
	}

	// The file itself: every tensor's dtype, shape and byte range, and the
	// metadata, as the safetensors specification lays them out.
	h, data := gtSafetensorsHeader(t, path)
	var gotMeta map[string]string
	if err := json.Unmarshal(h["__metadata__"], &gotMeta); err != nil {
		t.Fatalf("__metadata__ %s: %v", h["__metadata__"], err)
	}
	for k, v := range meta {
		if gotMeta[k] != v {
			t.Errorf("file metadata %q = %q, want %q", k, gotMeta[k], v)
		}
	}
	type entry struct {
		Dtype   string   `json:"dtype"`
		Shape   []int    `json:"shape"`
		Offsets [2]int64 `json:"data_offsets"`
	}
	var ranges [][2]int64
	for name, w := range want {
		var e entry
		if err := json.Unmarshal(h[name], &e); err != nil {
			t.Fatalf("header entry %q (%s): %v", name, h[name], err)
		}
		if e.Dtype != w.st || !gtSameShape(e.Shape, w.shape) {
			t.Errorf("header %q: dtype %s shape %v, want %s %v", name, e.Dtype, e.Shape, w.st, w.shape)
		}
	}
	if len(h) != len(tensors)+1 {
		t.Errorf("header has %d entries, want %d tensors and __metadata__", len(h), len(tensors))
	}
	for name, raw := range h {
		if name == "__metadata__" {
			continue
		}
		var e entry
		if err := json.Unmarshal(raw, &e); err != nil {
			t.Fatalf("header entry %q (%s): %v", name, raw, err)
		}
		ranges = append(ranges, e.Offsets)
	}
	// The byte ranges tile the data section exactly.
	sort.Slice(ranges, func(i, j int) bool { return ranges[i][0] < ranges[j][0] })
	var next int64
	for _, r := range ranges {
		if r[0] != next || r[1] < r[0] {
			t.Fatalf("data ranges %v do not tile the data section", ranges)
		}
		next = r[1]
	}
	if next != int64(len(data)) {
		t.Errorf("data ranges end at %d, data section has %d bytes", next, len(data))
	}
	var f32 entry
	if err := json.Unmarshal(h["w.f32"], &f32); err != nil {
		t.Fatalf("header entry w.f32: %v", err)
	}
	if got, w := string(data[f32.Offsets[0]:f32.Offsets[1]]), string(gtLE32(1, -2.5, 3, 4.75)); got != w {
		t.Errorf("w.f32 bytes % x, want % x", got, w)
	}

	// Round trip, on the default and on an explicit stream.
	for i, on := range []mlx.StreamOrDevice{nil, gtStream(t), mlx.CPU} {
		arrays, gotMeta, err := mlx.LoadSafetensorsOn(on, path)
		if err != nil {
			t.Fatalf("LoadSafetensors: %v", err)
		}
		if len(arrays) != len(want)+1 {
			t.Errorf("%d: loaded %d arrays, want %d", i, len(arrays), len(want))
		}
		for name, w := range want {
			a, ok := arrays[name]
			if !ok {
				t.Errorf("%d: %q missing", i, name)
				continue
			}
			gtCheck(t, name, a, w.dtype, w.shape, w.vals, 0)
		}
		gtCheckComplex(t, "c64", arrays["c64"], []int{2}, []complex128{1 + 2i, -3.5i}, 0)
		if len(gotMeta) != len(meta) {
			t.Errorf("%d: metadata %v, want %v", i, gotMeta, meta)
		}
		for k, v := range meta {
			if gotMeta[k] != v {
				t.Errorf("%d: metadata %q = %q, want %q", i, k, gotMeta[k], v)
			}
		}
	}

	// No metadata, and ".safetensors" appended to a bare name.
	bare := filepath.Join(dir, "bare")
	if err := mlx.SaveSafetensors(bare, map[string]*mlx.Array{"x": mlx.FromSlice([]int32{1, 2})}, nil); err != nil {
		t.Fatalf("SaveSafetensors without metadata: %v", err)
	}
	arrays, gotMeta2, err := mlx.LoadSafetensors(bare + ".safetensors")
	if err != nil {
		t.Fatalf("LoadSafetensors: %v", err)
	}
	if len(gotMeta2) != 0 || len(arrays) != 1 {
		t.Errorf("loaded %d arrays and metadata %v, want 1 and none", len(arrays), gotMeta2)
	}
	gtCheck(t, "x", arrays["x"], mlx.Int32, []int{2}, gtInts(1, 2), 0)

	// A file written here by hand in the safetensors format loads.
	hdr := `{"__metadata__":{"by":"hand"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I16","shape":[1,1],"data_offsets":[8,10]}}`
	file := binary.LittleEndian.AppendUint64(nil, uint64(len(hdr)))
	file = append(append(file, hdr...), gtLE32(0.5, -8)...)
	file = binary.LittleEndian.AppendUint16(file, uint16(0xfffe)) // -2
	hand := filepath.Join(dir, "hand.safetensors")
	if err := os.WriteFile(hand, file, 0o644); err != nil {
		t.Fatal(err)
	}
	arrays, gotMeta3, err := mlx.LoadSafetensorsOn(gtStream(t), hand)
	if err != nil {
		t.Fatalf("LoadSafetensors hand-written: %v", err)
	}
	if gotMeta3["by"] != "hand" {
		t.Errorf("metadata %v, want by=hand", gotMeta3)
	}
	gtCheck(t, "hand a", arrays["a"], mlx.Float32, []int{2}, []float64{0.5, -8}, 0)
	gtCheck(t, "hand b", arrays["b"], mlx.Int16, []int{1, 1}, gtInts(-2), 0)
}

func TestGenIOErrors(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.npy")
	gtWantErr(t, mlx.Load(missing).Err(), "load", "")
	gtWantErr(t, mlx.LoadOn(gtStream(t), missing).Err(), "load", "")
	_, _, err := mlx.LoadSafetensors(filepath.Join(dir, "missing.safetensors"))
	gtWantErr(t, err, "load_safetensors", "")
	// Garbage that is not the format.
	junk := filepath.Join(dir, "junk.npy")
	if err := os.WriteFile(junk, []byte("this is not a numpy file at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	gtWantErr(t, mlx.Load(junk).Err(), "load", "")
	junkST := filepath.Join(dir, "junk.safetensors")
	if err := os.WriteFile(junkST, []byte{4, 0, 0, 0, 0, 0, 0, 0, '{', 'x', 'y', '}'}, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = mlx.LoadSafetensorsOn(mlx.CPU, junkST)
	gtWantErr(t, err, "load_safetensors", "")
	// Saving into a directory that does not exist, an empty array, nil
	// arrays.
	gtWantErr(t, mlx.Save(filepath.Join(dir, "no", "such", "dir", "x.npy"), mlx.FromSlice([]int32{1})), "save", "")
	gtWantErr(t, mlx.Save(filepath.Join(dir, "empty.npy"), mlx.Zeros([]int{0}, mlx.Float32)), "save", "empty")
	gtWantErr(t, mlx.Save(filepath.Join(dir, "nil.npy"), nil), "save", "nil array")
	gtWantErr(t, mlx.SaveSafetensors(filepath.Join(dir, "nil.safetensors"), map[string]*mlx.Array{"a": nil}, nil), "save_safetensors", "nil array")
	gtWantErr(t, mlx.SaveSafetensors(filepath.Join(dir, "no", "dir", "x.safetensors"), map[string]*mlx.Array{"a": mlx.FromSlice([]int32{1})}, nil), "save_safetensors", "")
	// safetensors has no float64 in MLX's mapping: MLX refuses it.
	gtWantErr(t, mlx.SaveSafetensors(filepath.Join(dir, "f64.safetensors"), map[string]*mlx.Array{"a": mlx.FromSlice([]float64{1})}, nil), "save_safetensors", "dtype")
	// An array that carries an error passes that error on.
	bad := mlx.Reshape(mlx.FromSlice([]int32{1, 2, 3}), 2)
	gtWantErr(t, mlx.Save(filepath.Join(dir, "bad.npy"), bad), "reshape", "")
}
