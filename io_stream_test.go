package mlx_test

// Tests of LoadFrom/SaveTo and LoadSafetensorsFrom/SaveSafetensorsTo: MLX's
// custom readers and writers over Go io values. Bytes MLX writes are decoded
// here with the formats' specifications (NumPy's .npy header; safetensors'
// 8-byte length and JSON header); .npy input is built here by hand.

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mlx-go/mlx"
)

var errIOSBoom = errors.New("boom")

func iosF32(t *testing.T, a *mlx.Array) []float32 {
	t.Helper()
	v, err := mlx.Data[float32](a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func iosLE32(vals ...float32) []byte {
	b := make([]byte, 4*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return b
}

// iosNpy builds a version 1 .npy stream as NumPy's format describes it.
func iosNpy(descr string, fortran bool, shape string, data []byte) []byte {
	f := "False"
	if fortran {
		f = "True"
	}
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }", descr, f, shape)
	for (10+len(header)+1)%64 != 0 {
		header += " "
	}
	header += "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	_ = binary.Write(&b, binary.LittleEndian, uint16(len(header)))
	b.WriteString(header)
	b.Write(data)
	return b.Bytes()
}

// iosParseNpy decodes a version 1 .npy stream: its header text and data.
func iosParseNpy(t *testing.T, b []byte) (string, []byte) {
	t.Helper()
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" || b[6] != 1 {
		t.Fatalf("not a version 1 .npy stream: %q", b[:min(len(b), 10)])
	}
	n := int(binary.LittleEndian.Uint16(b[8:10]))
	return string(b[10 : 10+n]), b[10+n:]
}

func iosExpectErr(t *testing.T, err error, op, substr string, target error) {
	t.Helper()
	var e *mlx.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want an *mlx.Error", err, err)
	}
	if e.Op != op || !strings.Contains(e.Error(), substr) {
		t.Errorf("error %q (op %q), want op %q and %q in it", e, e.Op, op, substr)
	}
	if target != nil && !errors.Is(err, target) {
		t.Errorf("errors.Is(%q, %v) = false", err, target)
	}
}

func TestSaveToNpy(t *testing.T) {
	vals := []float32{1, -2.5, 3, 4, 5e-3, 6}
	a := mlx.FromSlice(vals, 2, 3)
	var buf bytes.Buffer
	if err := mlx.SaveTo(&buf, a); err != nil {
		t.Fatal(err)
	}
	header, data := iosParseNpy(t, buf.Bytes())
	for _, want := range []string{"'descr': '<f4'", "'fortran_order': False", "'shape': (2, 3"} {
		if !strings.Contains(header, want) {
			t.Errorf("header %q lacks %q", header, want)
		}
	}
	if !bytes.Equal(data, iosLE32(vals...)) {
		t.Errorf("data % x, want % x", data, iosLE32(vals...))
	}

	// The same bytes as Save writes to a file.
	path := filepath.Join(t.TempDir(), "a.npy")
	if err := mlx.Save(path, a); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(file, buf.Bytes()) {
		t.Errorf("SaveTo wrote %d bytes unlike Save's %d", buf.Len(), len(file))
	}

	// A lazy transpose is evaluated and written as it lies in memory, in
	// Fortran order, and loads back as the transpose.
	buf.Reset()
	if err := mlx.SaveTo(&buf, mlx.Transpose(a)); err != nil {
		t.Fatal(err)
	}
	header, data = iosParseNpy(t, buf.Bytes())
	if !strings.Contains(header, "'fortran_order': True") || !strings.Contains(header, "'shape': (3, 2") {
		t.Errorf("transpose's header %q, want Fortran order and shape (3, 2)", header)
	}
	if !bytes.Equal(data, iosLE32(vals...)) {
		t.Errorf("transpose's data % x, want % x", data, iosLE32(vals...))
	}
	back, err := mlx.LoadFrom(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := iosF32(t, mlx.Contiguous(back, false)); fmt.Sprint(back.Shape(), got) != "[3 2] [1 4 -2.5 0.005 3 6]" {
		t.Errorf("transpose loaded back as %v %v", back.Shape(), got)
	}
}

func TestLoadFromNpy(t *testing.T) {
	// Hand-built input: int32 and, in Fortran (column-major) order, float32.
	ints := iosNpy("<i4", false, "(4,)", binary.LittleEndian.AppendUint32(
		binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(
			binary.LittleEndian.AppendUint32(nil, 7), 0xffffffff), 1<<31), 42))
	a, err := mlx.LoadFrom(bytes.NewReader(ints))
	if err != nil {
		t.Fatal(err)
	}
	got, err := mlx.Data[int32](a)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int32{7, -1, math.MinInt32, 42}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("int32 data %v, want %v", got, want)
	}
	// [[1 2 3] [4 5 6]] stored column by column.
	fort := iosNpy("<f4", true, "(2, 3)", iosLE32(1, 4, 2, 5, 3, 6))
	f, err := mlx.LoadFrom(bytes.NewReader(fort))
	if err != nil {
		t.Fatal(err)
	}
	if s := f.Shape(); fmt.Sprint(s) != "[2 3]" {
		t.Errorf("shape %v, want [2 3]", s)
	}
	c := mlx.Contiguous(f, false)
	if got := iosF32(t, c); fmt.Sprint(got) != "[1 2 3 4 5 6]" {
		t.Errorf("Fortran-order data read as %v, want [1 2 3 4 5 6]", got)
	}
}

// Each kind of source LoadFrom accepts, and arrays one after another.
func TestLoadFromSources(t *testing.T) {
	x := mlx.FromSlice([]float32{1, 2, 3})
	y := mlx.FromSlice([]float32{-1, 0.5}, 1, 2)
	var buf bytes.Buffer
	for _, a := range []*mlx.Array{x, y} {
		if err := mlx.SaveTo(&buf, a); err != nil {
			t.Fatal(err)
		}
	}
	stream := buf.Bytes()
	var one bytes.Buffer
	if err := mlx.SaveTo(&one, x); err != nil {
		t.Fatal(err)
	}
	first := one.Len()
	sources := []struct {
		name string
		r    io.Reader
		both bool // positioned after the first array
	}{
		{"bytes.Reader", bytes.NewReader(stream), true},
		{"ReadSeeker only", struct{ io.ReadSeeker }{bytes.NewReader(stream)}, true},
		{"SectionReader", io.NewSectionReader(struct{ io.ReaderAt }{bytes.NewReader(stream)}, 0, int64(len(stream))), true},
		{"plain Reader", struct{ io.Reader }{bytes.NewReader(stream[:first])}, false},
	}
	for _, src := range sources {
		a, err := mlx.LoadFrom(src.r)
		if err != nil {
			t.Errorf("%s: %v", src.name, err)
			continue
		}
		if got := iosF32(t, a); fmt.Sprint(got) != "[1 2 3]" {
			t.Errorf("%s: first array %v", src.name, got)
		}
		if !src.both {
			continue
		}
		b, err := mlx.LoadFrom(src.r)
		if err != nil {
			t.Errorf("%s, second array: %v", src.name, err)
			continue
		}
		if got := iosF32(t, b); fmt.Sprint(b.Shape(), got) != "[1 2] [-1 0.5]" {
			t.Errorf("%s: second array %v %v", src.name, b.Shape(), got)
		}
	}

	// A file: read at offsets from its current position.
	path := filepath.Join(t.TempDir(), "two.npy")
	if err := os.WriteFile(path, stream, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Seek(int64(first), io.SeekStart); err != nil {
		t.Fatal(err)
	}
	b, err := mlx.LoadFrom(f)
	if err != nil {
		t.Fatal(err)
	}
	if got := iosF32(t, b); fmt.Sprint(got) != "[-1 0.5]" {
		t.Errorf("second array from the file: %v", got)
	}
	if pos, _ := f.Seek(0, io.SeekCurrent); pos != int64(len(stream)) {
		t.Errorf("file left at %d, want %d (its end)", pos, len(stream))
	}
}

// threadReader records the OS thread of each read.
type threadReader struct {
	*bytes.Reader
	mu      sync.Mutex
	threads []int
	failAt  int64 // ReadAt at or past this offset fails (0: never)
	panicAt int64
}

func (r *threadReader) ReadAt(p []byte, off int64) (int, error) {
	r.mu.Lock()
	r.threads = append(r.threads, mlx.CurrentThreadID())
	r.mu.Unlock()
	if r.panicAt > 0 && off >= r.panicAt {
		panic("reader exploded")
	}
	if r.failAt > 0 && off >= r.failAt {
		return 0, errIOSBoom
	}
	return r.Reader.ReadAt(p, off)
}

// The header is read in the load call, on the caller's thread; the data
// during evaluation, on one of MLX's I/O threads (not the MLX thread), which
// LoadFrom waits for.
func TestLoadFromThreads(t *testing.T) {
	// CPU loads: a GPU load reads its data on the evaluating thread (MLX 0.31.2).
	onCPU(t)
	var buf bytes.Buffer
	if err := mlx.SaveTo(&buf, mlx.FromSlice([]float32{4, 5, 6, 7})); err != nil {
		t.Fatal(err)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	caller := mlx.CurrentThreadID()
	r := &threadReader{Reader: bytes.NewReader(buf.Bytes())}
	a, err := mlx.LoadFrom(r)
	if err != nil {
		t.Fatal(err)
	}
	if got := iosF32(t, a); fmt.Sprint(got) != "[4 5 6 7]" {
		t.Fatalf("loaded %v", got)
	}
	if len(r.threads) < 2 {
		t.Fatalf("%d reads, want header reads and a data read", len(r.threads))
	}
	for i, tid := range r.threads[:len(r.threads)-1] {
		if tid != caller {
			t.Errorf("header read %d on thread %d, want the caller's %d", i, tid, caller)
		}
	}
	data := r.threads[len(r.threads)-1]
	if data == caller || data == mlx.OwnerThreadID() {
		t.Errorf("data read on thread %d (caller %d, MLX thread %d), want an MLX I/O thread", data, caller, mlx.OwnerThreadID())
	}
}

func TestLoadFromErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := mlx.SaveTo(&buf, mlx.FromSlice([]float32{4, 5, 6, 7})); err != nil {
		t.Fatal(err)
	}
	npy := buf.Bytes()
	dataAt := int64(len(npy) - 16)

	// The reader's error, in the header and during evaluation.
	_, err := mlx.LoadFrom(&threadReader{Reader: bytes.NewReader(npy), failAt: 1})
	iosExpectErr(t, err, "load", "boom", errIOSBoom)
	_, err = mlx.LoadFrom(&threadReader{Reader: bytes.NewReader(npy), failAt: dataAt})
	iosExpectErr(t, err, "load", fmt.Sprintf("reading 16 bytes at offset %d: boom", dataAt), errIOSBoom)
	// A panic in the reader, on MLX's I/O thread.
	_, err = mlx.LoadFrom(&threadReader{Reader: bytes.NewReader(npy), panicAt: dataAt})
	iosExpectErr(t, err, "load", "panic in reader: reader exploded", nil)
	// A plain reader's error.
	_, err = mlx.LoadFrom(io.MultiReader(bytes.NewReader(npy[:5]), iotest{errIOSBoom}))
	iosExpectErr(t, err, "load", "boom", errIOSBoom)

	// Truncated streams.
	_, err = mlx.LoadFrom(bytes.NewReader(npy[:len(npy)-1]))
	iosExpectErr(t, err, "load", "unexpected EOF", io.ErrUnexpectedEOF)
	_, err = mlx.LoadFrom(bytes.NewReader(nil))
	iosExpectErr(t, err, "load", "unexpected EOF", io.ErrUnexpectedEOF)

	// MLX's own message names the reader.
	_, err = mlx.LoadFrom(bytes.NewReader([]byte("not an npy stream at all")))
	iosExpectErr(t, err, "load", "[load] Invalid header in *bytes.Reader", nil)
	path := filepath.Join(t.TempDir(), "bad.npy")
	if err := os.WriteFile(path, []byte("not an npy stream at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = mlx.LoadFrom(f)
	iosExpectErr(t, err, "load", "Invalid header in "+path, nil)

	_, err = mlx.LoadFrom(nil)
	iosExpectErr(t, err, "load", "nil reader", mlx.ErrInvalidArgument)
	_, err = mlx.LoadFromOn(mlx.Device{Type: mlx.CPU, Index: 99}, bytes.NewReader(npy))
	if err == nil {
		t.Error("LoadFromOn a device that does not exist: no error")
	}
}

type iotest struct{ err error }

func (r iotest) Read([]byte) (int, error) { return 0, r.err }

// badWriter fails, panics, writes short or evaluates, as told.
type badWriter struct {
	mode    string
	threads []int
	evalErr error
}

func (w *badWriter) Write(p []byte) (int, error) {
	w.threads = append(w.threads, mlx.CurrentThreadID())
	switch w.mode {
	case "fail":
		return 0, errIOSBoom
	case "panic":
		panic("writer exploded")
	case "short":
		return len(p) / 2, nil
	case "eval":
		x := mlx.Add(mlx.FromSlice([]float32{1}), mlx.FromSlice([]float32{2}))
		w.evalErr = mlx.Eval(x)
		x.Free()
	}
	return len(p), nil
}

func TestSaveToErrors(t *testing.T) {
	a := mlx.FromSlice([]float32{1, 2, 3})
	for _, c := range []struct {
		mode, substr string
		target       error
	}{
		{"fail", "bytes at offset 0: boom", errIOSBoom},
		{"panic", "panic in writer: writer exploded", nil},
		{"short", "short write", io.ErrShortWrite},
	} {
		w := &badWriter{mode: c.mode}
		err := mlx.SaveTo(w, a)
		iosExpectErr(t, err, "save", c.substr, c.target)
		if len(w.threads) != 1 {
			t.Errorf("%s: %d writes after the first failed, want 1", c.mode, len(w.threads))
		}
		err = mlx.SaveSafetensorsTo(&badWriter{mode: c.mode}, map[string]*mlx.Array{"a": a}, nil)
		iosExpectErr(t, err, "save_safetensors", c.substr, c.target)
	}

	// Writes run on the MLX thread; evaluating there is an error, not a
	// deadlock.
	w := &badWriter{mode: "eval"}
	done := make(chan error, 1)
	go func() { done <- mlx.SaveTo(w, a) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("SaveTo with a writer that evaluates did not return")
	}
	for _, tid := range w.threads {
		if tid != mlx.OwnerThreadID() {
			t.Errorf("write on thread %d, want the MLX thread %d", tid, mlx.OwnerThreadID())
		}
	}
	if w.evalErr == nil {
		t.Error("Eval inside the writer: no error")
	}

	var buf bytes.Buffer
	iosExpectErr(t, mlx.SaveTo(nil, a), "save", "nil writer", mlx.ErrInvalidArgument)
	iosExpectErr(t, mlx.SaveTo(&buf, nil), "save", "nil array", mlx.ErrNilArray)
	freed := mlx.FromSlice([]float32{1})
	freed.Free()
	iosExpectErr(t, mlx.SaveTo(&buf, freed), "save", "after Free", mlx.ErrFreed)
	iosExpectErr(t, mlx.SaveTo(&buf, mlx.Zeros([]int{0}, mlx.Float32)), "save", "[save] cannot serialize an empty array", nil)
	bad := mlx.Add(mlx.FromSlice([]float32{1, 2}), mlx.FromSlice([]float32{1, 2, 3}))
	iosExpectErr(t, mlx.SaveTo(&buf, bad), "add", "broadcast", nil)
	iosExpectErr(t, mlx.SaveSafetensorsTo(&buf, map[string]*mlx.Array{"x": freed}, nil), "save_safetensors", "after Free", mlx.ErrFreed)
	if buf.Len() != 0 {
		t.Errorf("failed saves wrote %d bytes", buf.Len())
	}
}

func TestSafetensorsStreams(t *testing.T) {
	arrays := map[string]*mlx.Array{
		"w": mlx.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3),
		"b": mlx.FromSlice([]int32{-7, 8}),
	}
	meta := map[string]string{"format": "mlx", "note": "streamed"}
	var buf bytes.Buffer
	if err := mlx.SaveSafetensorsTo(&buf, arrays, meta); err != nil {
		t.Fatal(err)
	}
	// Decode as the safetensors format describes it.
	b := buf.Bytes()
	n := binary.LittleEndian.Uint64(b[:8])
	var header map[string]json.RawMessage
	if err := json.Unmarshal(b[8:8+n], &header); err != nil {
		t.Fatalf("header %q: %v", b[8:8+n], err)
	}
	data := b[8+n:]
	var gotMeta map[string]string
	if err := json.Unmarshal(header["__metadata__"], &gotMeta); err != nil || fmt.Sprint(gotMeta) != fmt.Sprint(meta) {
		t.Errorf("metadata %s (%v), want %v", header["__metadata__"], err, meta)
	}
	type entry struct {
		Dtype   string `json:"dtype"`
		Shape   []int  `json:"shape"`
		Offsets []int  `json:"data_offsets"`
	}
	for name, want := range map[string]struct {
		dtype, shape string
		bytes        []byte
	}{
		"w": {"F32", "[2 3]", iosLE32(1, 2, 3, 4, 5, 6)},
		"b": {"I32", "[2]", binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, uint32(0xfffffff9)), 8)},
	} {
		var e entry
		if err := json.Unmarshal(header[name], &e); err != nil {
			t.Fatalf("%s: %s: %v", name, header[name], err)
		}
		if e.Dtype != want.dtype || fmt.Sprint(e.Shape) != want.shape || len(e.Offsets) != 2 ||
			!bytes.Equal(data[e.Offsets[0]:e.Offsets[1]], want.bytes) {
			t.Errorf("%s: %+v, want %s %s % x", name, e, want.dtype, want.shape, want.bytes)
		}
	}

	// And back, from a stream in the middle of other bytes (MLX takes the
	// data's end from the stream's size: a SectionReader cuts off the rest).
	r := bytes.NewReader(append(append([]byte("prefix"), b...), "suffix"...))
	got, gotMeta, err := mlx.LoadSafetensorsFrom(io.NewSectionReader(r, 6, int64(len(b))))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(gotMeta) != fmt.Sprint(meta) || len(got) != 2 {
		t.Fatalf("loaded %d arrays, metadata %v", len(got), gotMeta)
	}
	if v := iosF32(t, got["w"]); fmt.Sprint(got["w"].Shape(), v) != "[2 3] [1 2 3 4 5 6]" {
		t.Errorf("w = %v %v", got["w"].Shape(), v)
	}
	if v, err := mlx.Data[int32](got["b"]); err != nil || fmt.Sprint(v) != "[-7 8]" {
		t.Errorf("b = %v (%v)", v, err)
	}

	// A reader failing while MLX reads the arrays' data.
	_, _, err = mlx.LoadSafetensorsFrom(&threadReader{Reader: bytes.NewReader(b), failAt: int64(8 + n)})
	iosExpectErr(t, err, "load_safetensors", "boom", errIOSBoom)
	_, _, err = mlx.LoadSafetensorsFrom(bytes.NewReader(b[:len(b)-3]))
	if err == nil {
		t.Error("truncated safetensors stream: no error")
	}
	_, _, err = mlx.LoadSafetensorsFrom(strings.NewReader("\x05\x00\x00\x00\x00\x00\x00\x00[1,2]"))
	iosExpectErr(t, err, "load_safetensors", "[load_safetensors] Invalid json metadata *strings.Reader", nil)
}
