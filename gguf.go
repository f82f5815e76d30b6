package mlx

// GGUF files (llama.cpp's format): a GGUF value holds the arrays and the
// metadata of one file (mlx_io_gguf).
//
// MLX reads and writes GGUF only when built with MLX_BUILD_GGUF=ON (the
// default of its CMake build, which fetches the gguflib sources). An MLX
// built without it, like the one these bindings are tested with, raises
// "[load_gguf] Compile with MLX_BUILD_GGUF=ON to enable GGUF support." from
// LoadGGUF and the same for SaveGGUF, which then return that as an *Error;
// a GGUF value can still be built and read in memory.

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"unsafe"
)

// ErrKeyNotFound is wrapped by the *Error of a lookup whose key is missing
// (GGUF.Array, GGUF.MetadataString, ...).
var ErrKeyNotFound = errors.New("key not found")

// GGUF holds the arrays, by name, and the metadata, by key, of a GGUF file.
// Metadata values are arrays, strings or lists of strings. A key keeps its
// first value: setting a key that is set is an error. GGUF is not safe for
// concurrent use; Free releases it (twice is fine).
type GGUF struct {
	c       mlxIoGguf
	freed   bool
	cleanup runtime.Cleanup
}

func newGGUF(c mlxIoGguf) *GGUF {
	g := &GGUF{c: c}
	g.cleanup = runtime.AddCleanup(g, func(c mlxIoGguf) { mlxIoGgufFree(c) }, c)
	return g
}

// NewGGUF returns an empty GGUF, to fill and save with SaveGGUF. It wraps
// mlx_io_gguf_new.
func NewGGUF() (*GGUF, error) {
	var c mlxIoGguf
	if msg := gomlxGgufNew(&c); msg != nil {
		return nil, takeError("gguf", msg)
	}
	return newGGUF(c), nil
}

// LoadGGUF reads the GGUF file file; its arrays load lazily. It needs an
// MLX built with GGUF support (see the package's GGUF notes). It wraps
// mlx_load_gguf.
func LoadGGUF(file string) (*GGUF, error) { return LoadGGUFOn(nil, file) }

// LoadGGUFOn is LoadGGUF on the given stream or device; nil means the default.
func LoadGGUFOn(on StreamOrDevice, file string) (*GGUF, error) {
	const op = "load_gguf"
	if loadErr := libError(); loadErr != nil {
		return nil, loadErr
	}
	var err error
	t := targetArg(op, on, &err)
	if err != nil {
		return nil, err
	}
	cfile := cString(file)
	defer cFree(unsafe.Pointer(cfile))
	var c mlxIoGguf
	if msg := gomlxGgufLoad(cfile, t, &c); msg != nil {
		if c.ctx != nil {
			mlxIoGgufFree(c)
		}
		return nil, takeError(op, msg)
	}
	return newGGUF(c), nil
}

// SaveGGUF writes g's arrays and metadata to file in GGUF format, evaluating
// the arrays. It needs an MLX built with GGUF support. It wraps
// mlx_save_gguf.
func SaveGGUF(file string, g *GGUF) error {
	const op = "save_gguf"
	if loadErr := libError(); loadErr != nil {
		return loadErr
	}
	if err := g.use(op); err != nil {
		return err
	}
	cfile := cString(file)
	defer cFree(unsafe.Pointer(cfile))
	msg := gomlxGgufSave(cfile, g.c)
	runtime.KeepAlive(g)
	if msg != nil {
		return takeError(op, msg)
	}
	return nil
}

func (g *GGUF) use(op string) error {
	switch {
	case g == nil:
		return newError(op, "nil GGUF", ErrInvalidArgument)
	case g.freed:
		return newError(op, "GGUF used after Free", ErrFreed)
	}
	return nil
}

// Free releases g; the arrays taken from it stay valid. Calling it twice is
// fine. It wraps mlx_io_gguf_free.
func (g *GGUF) Free() {
	if g == nil || g.freed {
		return
	}
	g.freed = true
	g.cleanup.Stop()
	mlxIoGgufFree(g.c)
	g.c.ctx = nil
}

// stringsFromVector copies and frees v.
func stringsFromVector(v mlxVectorString) []string {
	n := int(gomlxStringsSize(v))
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		if s := gomlxStringsGet(v, csize(i)); s != nil {
			out = append(out, goString(s))
		}
	}
	mlxVectorStringFree(v)
	return out
}

// Keys returns the names of g's arrays, sorted (metadata keys are not
// listed: MLX has no way to list them). It wraps mlx_io_gguf_get_keys.
func (g *GGUF) Keys() ([]string, error) {
	const op = "gguf.keys"
	if err := g.use(op); err != nil {
		return nil, err
	}
	var v mlxVectorString
	msg := gomlxGgufKeys(g.c, &v)
	runtime.KeepAlive(g)
	if msg != nil {
		mlxVectorStringFree(v)
		return nil, takeError(op, msg)
	}
	keys := stringsFromVector(v)
	slices.Sort(keys)
	return keys, nil
}

var ggufKinds = [...]string{"array", "metadata array", "metadata string", "metadata string list"}

type ggufValue struct {
	arr  *Array
	str  string
	strs []string
}

func (g *GGUF) get(op string, kind cint, key string) (ggufValue, error) {
	if err := g.use(op); err != nil {
		return ggufValue{}, err
	}
	ckey := cString(key)
	defer cFree(unsafe.Pointer(ckey))
	var rc cint
	var arr mlxArray
	var str *cchar
	var strs mlxVectorString
	msg := gomlxGgufGet(kind, g.c, ckey, &rc, &arr, &str, &strs)
	runtime.KeepAlive(g)
	if rc != 0 {
		freeArrayOut(arr)
		if strs.ctx != nil {
			mlxVectorStringFree(strs)
		}
	}
	switch {
	case msg != nil:
		return ggufValue{}, takeError(op, msg)
	case rc == 2:
		return ggufValue{}, newError(op, fmt.Sprintf("no %s %q", ggufKinds[kind], key), ErrKeyNotFound)
	case rc == 3:
		return ggufValue{}, newError(op, fmt.Sprintf("metadata %q is not %s", key, [...]string{"", "an array", "a string", "a string list"}[kind]), ErrInvalidArgument)
	case rc != 0:
		return ggufValue{}, newError(op, fmt.Sprintf("mlx-c returned status %d", int(rc)), nil)
	}
	switch kind {
	case gomlxGgufArray, gomlxGgufMetaArray:
		return ggufValue{arr: newArray(arr)}, nil
	case gomlxGgufMetaString:
		defer cFree(unsafe.Pointer(str))
		return ggufValue{str: goString(str)}, nil
	}
	return ggufValue{strs: stringsFromVector(strs)}, nil
}

// Array returns the array named key; ErrKeyNotFound if there is none. It
// wraps mlx_io_gguf_get_array.
func (g *GGUF) Array(key string) (*Array, error) {
	v, err := g.get("gguf.get_array", gomlxGgufArray, key)
	return v.arr, err
}

// MetadataArray returns the metadata array at key: ErrKeyNotFound if key is
// not set, ErrInvalidArgument if its value is not an array. It wraps
// mlx_io_gguf_get_metadata_array.
func (g *GGUF) MetadataArray(key string) (*Array, error) {
	v, err := g.get("gguf.get_metadata_array", gomlxGgufMetaArray, key)
	return v.arr, err
}

// MetadataString returns the metadata string at key, with the errors of
// MetadataArray. It wraps mlx_io_gguf_get_metadata_string.
func (g *GGUF) MetadataString(key string) (string, error) {
	v, err := g.get("gguf.get_metadata_string", gomlxGgufMetaString, key)
	return v.str, err
}

// MetadataStrings returns the metadata string list at key, with the errors
// of MetadataArray. It wraps mlx_io_gguf_get_metadata_vector_string.
func (g *GGUF) MetadataStrings(key string) ([]string, error) {
	v, err := g.get("gguf.get_metadata_vector_string", gomlxGgufMetaStrings, key)
	return v.strs, err
}

func (g *GGUF) has(op string, kind cint, key string) (bool, error) {
	if err := g.use(op); err != nil {
		return false, err
	}
	ckey := cString(key)
	defer cFree(unsafe.Pointer(ckey))
	var flag cbool
	msg := gomlxGgufHas(kind, g.c, ckey, &flag)
	runtime.KeepAlive(g)
	if msg != nil {
		return false, takeError(op, msg)
	}
	return bool(flag), nil
}

// HasMetadataArray reports whether the metadata at key is an array. It wraps
// mlx_io_gguf_has_metadata_array.
func (g *GGUF) HasMetadataArray(key string) (bool, error) {
	return g.has("gguf.has_metadata_array", gomlxGgufMetaArray, key)
}

// HasMetadataString reports whether the metadata at key is a string. It
// wraps mlx_io_gguf_has_metadata_string.
func (g *GGUF) HasMetadataString(key string) (bool, error) {
	return g.has("gguf.has_metadata_string", gomlxGgufMetaString, key)
}

// HasMetadataStrings reports whether the metadata at key is a string list.
// It wraps mlx_io_gguf_has_metadata_vector_string.
func (g *GGUF) HasMetadataStrings(key string) (bool, error) {
	return g.has("gguf.has_metadata_vector_string", gomlxGgufMetaStrings, key)
}

// metadataSet reports whether key holds metadata of any type.
func (g *GGUF) metadataSet(op, key string) (bool, error) {
	for _, kind := range []cint{gomlxGgufMetaArray, gomlxGgufMetaString, gomlxGgufMetaStrings} {
		ok, err := g.has(op, kind, key)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

func (g *GGUF) set(op string, kind cint, key string, a *Array, str string, strs []string) error {
	if err := g.use(op); err != nil {
		return err
	}
	var err error
	var ca mlxArray
	if kind == gomlxGgufArray || kind == gomlxGgufMetaArray {
		if ca = arrayArg(op, a, &err); err != nil {
			return err
		}
	}
	// MLX inserts into a map, which keeps a key's first value: refuse
	// instead of ignoring the new one.
	var taken bool
	if kind == gomlxGgufArray {
		v, e := g.get(op, kind, key)
		if e == nil {
			v.arr.Free()
			taken = true
		} else if !errors.Is(e, ErrKeyNotFound) {
			return e
		}
	} else if taken, err = g.metadataSet(op, key); err != nil {
		return err
	}
	if taken {
		what := "array"
		if kind != gomlxGgufArray {
			what = "metadata"
		}
		return newError(op, fmt.Sprintf("%s %q is already set", what, key), ErrInvalidArgument)
	}
	ckey := cString(key)
	defer cFree(unsafe.Pointer(ckey))
	cstr := cString(str)
	defer cFree(unsafe.Pointer(cstr))
	cstrs := make([]*cchar, len(strs)+1)
	for i, s := range strs {
		cstrs[i] = cString(s)
		defer cFree(unsafe.Pointer(cstrs[i]))
	}
	msg := gomlxGgufSet(kind, g.c, ckey, ca, cstr, &cstrs[0], csize(len(strs)))
	runtime.KeepAlive(a)
	runtime.KeepAlive(g)
	if msg != nil {
		return takeError(op, msg)
	}
	return nil
}

// SetArray adds a under the name key. It wraps mlx_io_gguf_set_array.
func (g *GGUF) SetArray(key string, a *Array) error {
	return g.set("gguf.set_array", gomlxGgufArray, key, a, "", nil)
}

// SetMetadataArray sets the metadata at key to the array a. It wraps
// mlx_io_gguf_set_metadata_array.
func (g *GGUF) SetMetadataArray(key string, a *Array) error {
	return g.set("gguf.set_metadata_array", gomlxGgufMetaArray, key, a, "", nil)
}

// SetMetadataString sets the metadata at key to the string s. It wraps
// mlx_io_gguf_set_metadata_string.
func (g *GGUF) SetMetadataString(key, s string) error {
	return g.set("gguf.set_metadata_string", gomlxGgufMetaString, key, nil, s, nil)
}

// SetMetadataStrings sets the metadata at key to the string list s. It
// wraps mlx_io_gguf_set_metadata_vector_string.
func (g *GGUF) SetMetadataStrings(key string, s []string) error {
	return g.set("gguf.set_metadata_vector_string", gomlxGgufMetaStrings, key, nil, "", s)
}
