package mlx_test

// Tests of GGUF. The MLX these bindings are tested with is built without
// GGUF support: LoadGGUF and SaveGGUF must then return MLX's error (and the
// process go on); where MLX has GGUF, the test checks a round trip instead.
// The GGUF value itself (arrays, metadata) works in memory either way.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlx-go/mlx"
)

func TestGGUFInMemory(t *testing.T) {
	g, err := mlx.NewGGUF()
	if err != nil {
		t.Fatal(err)
	}
	defer g.Free()
	w := mlx.FromSlice([]float32{1, 2, 3, 4}, 2, 2)
	for _, err := range []error{
		g.SetArray("w", w),
		g.SetArray("b", mlx.FromSlice([]int32{5})),
		g.SetMetadataString("general.name", "tiny"),
		g.SetMetadataStrings("tokenizer.ggml.tokens", []string{"<s>", "hello", ""}),
		g.SetMetadataStrings("empty", nil),
		g.SetMetadataArray("rope.theta", mlx.Scalar(float32(10000))),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if keys, err := g.Keys(); err != nil || fmt.Sprint(keys) != "[b w]" {
		t.Errorf("Keys() = %v, %v; want [b w] (arrays only)", keys, err)
	}
	a, err := g.Array("w")
	if err != nil {
		t.Fatal(err)
	}
	if v := iosF32(t, a); fmt.Sprint(a.Shape(), v) != "[2 2] [1 2 3 4]" {
		t.Errorf("Array(w) = %v %v", a.Shape(), v)
	}
	if s, err := g.MetadataString("general.name"); err != nil || s != "tiny" {
		t.Errorf("MetadataString = %q, %v", s, err)
	}
	if s, err := g.MetadataStrings("tokenizer.ggml.tokens"); err != nil || fmt.Sprintf("%q", s) != `["<s>" "hello" ""]` {
		t.Errorf("MetadataStrings = %q, %v", s, err)
	}
	if s, err := g.MetadataStrings("empty"); err != nil || len(s) != 0 {
		t.Errorf("MetadataStrings(empty) = %q, %v", s, err)
	}
	if m, err := g.MetadataArray("rope.theta"); err != nil || fmt.Sprint(iosF32(t, m)) != "[10000]" {
		t.Errorf("MetadataArray = %v, %v", m, err)
	}
	for _, c := range []struct {
		key                  string
		array, str, strslist bool
	}{
		{"general.name", false, true, false},
		{"tokenizer.ggml.tokens", false, false, true},
		{"rope.theta", true, false, false},
		{"w", false, false, false}, // an array, not metadata
		{"missing", false, false, false},
	} {
		a, e1 := g.HasMetadataArray(c.key)
		s, e2 := g.HasMetadataString(c.key)
		l, e3 := g.HasMetadataStrings(c.key)
		if err := errors.Join(e1, e2, e3); err != nil || a != c.array || s != c.str || l != c.strslist {
			t.Errorf("%s: has array/string/strings = %v/%v/%v (%v), want %v/%v/%v", c.key, a, s, l, err, c.array, c.str, c.strslist)
		}
	}

	// Lookups that fail.
	_, err = g.Array("missing")
	iosExpectErr(t, err, "gguf.get_array", `no array "missing"`, mlx.ErrKeyNotFound)
	_, err = g.MetadataString("missing")
	iosExpectErr(t, err, "gguf.get_metadata_string", `no metadata string "missing"`, mlx.ErrKeyNotFound)
	_, err = g.MetadataString("tokenizer.ggml.tokens")
	iosExpectErr(t, err, "gguf.get_metadata_string", `metadata "tokenizer.ggml.tokens" is not a string`, mlx.ErrInvalidArgument)
	_, err = g.MetadataArray("general.name")
	iosExpectErr(t, err, "gguf.get_metadata_array", `metadata "general.name" is not an array`, mlx.ErrInvalidArgument)
	_, err = g.MetadataStrings("rope.theta")
	iosExpectErr(t, err, "gguf.get_metadata_vector_string", "is not a string list", mlx.ErrInvalidArgument)

	// A key keeps its first value.
	iosExpectErr(t, g.SetArray("w", mlx.Scalar(float32(0))), "gguf.set_array", `array "w" is already set`, mlx.ErrInvalidArgument)
	iosExpectErr(t, g.SetMetadataArray("general.name", mlx.Scalar(float32(0))), "gguf.set_metadata_array",
		`metadata "general.name" is already set`, mlx.ErrInvalidArgument)
	if s, _ := g.MetadataString("general.name"); s != "tiny" {
		t.Errorf("general.name became %q", s)
	}
	iosExpectErr(t, g.SetArray("x", nil), "gguf.set_array", "nil array", mlx.ErrNilArray)

	// Free: twice is fine; arrays taken out stay valid; use after Free is an error.
	g.Free()
	g.Free()
	if v := iosF32(t, a); fmt.Sprint(v) != "[1 2 3 4]" {
		t.Errorf("array taken before Free reads %v", v)
	}
	_, err = g.Keys()
	iosExpectErr(t, err, "gguf.keys", "GGUF used after Free", mlx.ErrFreed)
	iosExpectErr(t, g.SetMetadataString("k", "v"), "gguf.set_metadata_string", "after Free", mlx.ErrFreed)
	_, err = g.HasMetadataString("k")
	iosExpectErr(t, err, "gguf.has_metadata_string", "after Free", mlx.ErrFreed)
	var none *mlx.GGUF
	_, err = none.Array("w")
	iosExpectErr(t, err, "gguf.get_array", "nil GGUF", mlx.ErrInvalidArgument)
	none.Free()
}

func TestGGUFFiles(t *testing.T) {
	g, err := mlx.NewGGUF()
	if err != nil {
		t.Fatal(err)
	}
	defer g.Free()
	if err := g.SetArray("w", mlx.FromSlice([]float32{1.5, -2})); err != nil {
		t.Fatal(err)
	}
	if err := g.SetMetadataString("general.name", "tiny"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "tiny.gguf")
	err = mlx.SaveGGUF(path, g)
	if err != nil {
		// MLX without GGUF: its own message, as an *mlx.Error.
		iosExpectErr(t, err, "save_gguf", "[save_gguf] Compile with MLX_BUILD_GGUF=ON to enable GGUF support.", nil)
		if e := (*mlx.Error)(nil); errors.As(err, &e) && strings.Contains(e.Msg, " at /") {
			t.Errorf("message keeps mlx-c's source location: %q", e.Msg)
		}
		if _, statErr := os.Stat(path); !os.IsNotExist(statErr) {
			t.Errorf("failed SaveGGUF left a file (%v)", statErr)
		}
		_, err = mlx.LoadGGUF(path)
		iosExpectErr(t, err, "load_gguf", "[load_gguf] Compile with MLX_BUILD_GGUF=ON to enable GGUF support.", nil)
		_, err = mlx.LoadGGUFOn(mlx.CPU, path)
		iosExpectErr(t, err, "load_gguf", "MLX_BUILD_GGUF=ON", nil)
		// The process goes on, and so does MLX.
		if v := iosF32(t, mlx.Add(mlx.FromSlice([]float32{1}), mlx.FromSlice([]float32{2}))); v[0] != 3 {
			t.Errorf("1 + 2 = %v after the GGUF errors", v)
		}
	} else {
		back, err := mlx.LoadGGUF(path)
		if err != nil {
			t.Fatal(err)
		}
		defer back.Free()
		a, err := back.Array("w")
		if err != nil {
			t.Fatal(err)
		}
		if v := iosF32(t, a); fmt.Sprint(v) != "[1.5 -2]" {
			t.Errorf("w read back as %v", v)
		}
		if s, err := back.MetadataString("general.name"); err != nil || s != "tiny" {
			t.Errorf("general.name read back as %q, %v", s, err)
		}
	}
	iosExpectErr(t, mlx.SaveGGUF(path, nil), "save_gguf", "nil GGUF", mlx.ErrInvalidArgument)
}
