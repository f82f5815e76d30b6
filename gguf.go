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

/*
#include "capi.h"

static char* gomlx_gguf_new(mlx_io_gguf* res) {
  gomlx_errmsg = NULL;
  *res = mlx_io_gguf_new();
  return res->ctx ? NULL : gomlx_take_error();
}

static char* gomlx_gguf_load(const char* file, gomlx_target t, mlx_io_gguf* res) {
  res->ctx = NULL;
  return gomlx_status(mlx_load_gguf(res, file, gomlx_resolve(t)));
}

typedef struct {
  const char* file;
  mlx_io_gguf g;
} gomlx_gguf_save_args;

static int gomlx_gguf_save_run(void* p) {
  gomlx_gguf_save_args* x = (gomlx_gguf_save_args*)p;
  return mlx_save_gguf(x->file, x->g);
}

// Saving evaluates the arrays: on the MLX thread.
static char* gomlx_gguf_save(const char* file, mlx_io_gguf g) {
  gomlx_gguf_save_args x = {file, g};
  return gomlx_owner_call(gomlx_gguf_save_run, &x);
}

// The array names, as a vector the caller frees.
static char* gomlx_gguf_keys(mlx_io_gguf g, mlx_vector_string* keys) {
  *keys = mlx_vector_string_new();
  return gomlx_status(mlx_io_gguf_get_keys(keys, g));
}

static size_t gomlx_strings_size(mlx_vector_string v) { return mlx_vector_string_size(v); }

static char* gomlx_strings_get(mlx_vector_string v, size_t i) {
  char* s = NULL;
  if (mlx_vector_string_get(&s, v, i)) {
    free(gomlx_take_error());
    return NULL;
  }
  return s;
}

// Lookups: *rc is mlx-c's status, 2 for a missing key, 3 for a value of
// another type; an MLX error (rc 1) comes back as the message.
enum { GOMLX_GGUF_ARRAY, GOMLX_GGUF_META_ARRAY, GOMLX_GGUF_META_STRING, GOMLX_GGUF_META_STRINGS };

static char* gomlx_gguf_get(int kind, mlx_io_gguf g, const char* key, int* rc,
                            mlx_array* arr, char** str, mlx_vector_string* strs) {
  switch (kind) {
    case GOMLX_GGUF_ARRAY:
      *arr = mlx_array_new();
      *rc = mlx_io_gguf_get_array(arr, g, key);
      break;
    case GOMLX_GGUF_META_ARRAY:
      *arr = mlx_array_new();
      *rc = mlx_io_gguf_get_metadata_array(arr, g, key);
      break;
    case GOMLX_GGUF_META_STRING: {
      mlx_string s = mlx_string_new();
      *rc = mlx_io_gguf_get_metadata_string(&s, g, key);
      if (!*rc) *str = strdup(mlx_string_data(s));
      mlx_string_free(s);
      break;
    }
    default:
      *strs = mlx_vector_string_new();
      *rc = mlx_io_gguf_get_metadata_vector_string(strs, g, key);
  }
  return *rc == 1 ? gomlx_take_error() : NULL;
}

static char* gomlx_gguf_has(int kind, mlx_io_gguf g, const char* key, bool* flag) {
  int rc;
  *flag = false;
  switch (kind) {
    case GOMLX_GGUF_META_ARRAY: rc = mlx_io_gguf_has_metadata_array(flag, g, key); break;
    case GOMLX_GGUF_META_STRING: rc = mlx_io_gguf_has_metadata_string(flag, g, key); break;
    default: rc = mlx_io_gguf_has_metadata_vector_string(flag, g, key);
  }
  return rc == 1 ? gomlx_take_error() : NULL; // 2: missing, *flag false
}

static char* gomlx_gguf_set(int kind, mlx_io_gguf g, const char* key, mlx_array arr,
                            const char* str, const char** strs, size_t n) {
  int rc;
  switch (kind) {
    case GOMLX_GGUF_ARRAY: rc = mlx_io_gguf_set_array(g, key, arr); break;
    case GOMLX_GGUF_META_ARRAY: rc = mlx_io_gguf_set_metadata_array(g, key, arr); break;
    case GOMLX_GGUF_META_STRING: rc = mlx_io_gguf_set_metadata_string(g, key, str); break;
    default: {
      mlx_vector_string v = mlx_vector_string_new_data(strs, n);
      rc = mlx_io_gguf_set_metadata_vector_string(g, key, v);
      mlx_vector_string_free(v);
    }
  }
  return gomlx_status(rc);
}
*/
import "C"

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
	c       C.mlx_io_gguf
	freed   bool
	cleanup runtime.Cleanup
}

func newGGUF(c C.mlx_io_gguf) *GGUF {
	g := &GGUF{c: c}
	g.cleanup = runtime.AddCleanup(g, func(c C.mlx_io_gguf) { C.mlx_io_gguf_free(c) }, c)
	return g
}

// NewGGUF returns an empty GGUF, to fill and save with SaveGGUF. It wraps
// mlx_io_gguf_new.
func NewGGUF() (*GGUF, error) {
	var c C.mlx_io_gguf
	if msg := C.gomlx_gguf_new(&c); msg != nil {
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
	if loadErr != nil {
		return nil, loadErr
	}
	var err error
	t := targetArg(op, on, &err)
	if err != nil {
		return nil, err
	}
	cfile := C.CString(file)
	defer C.free(unsafe.Pointer(cfile))
	var c C.mlx_io_gguf
	if msg := C.gomlx_gguf_load(cfile, t, &c); msg != nil {
		if c.ctx != nil {
			C.mlx_io_gguf_free(c)
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
	if loadErr != nil {
		return loadErr
	}
	if err := g.use(op); err != nil {
		return err
	}
	cfile := C.CString(file)
	defer C.free(unsafe.Pointer(cfile))
	msg := C.gomlx_gguf_save(cfile, g.c)
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
	C.mlx_io_gguf_free(g.c)
	g.c.ctx = nil
}

// stringsFromVector copies and frees v.
func stringsFromVector(v C.mlx_vector_string) []string {
	n := int(C.gomlx_strings_size(v))
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		if s := C.gomlx_strings_get(v, C.size_t(i)); s != nil {
			out = append(out, C.GoString(s))
		}
	}
	C.mlx_vector_string_free(v)
	return out
}

// Keys returns the names of g's arrays, sorted (metadata keys are not
// listed: MLX has no way to list them). It wraps mlx_io_gguf_get_keys.
func (g *GGUF) Keys() ([]string, error) {
	const op = "gguf.keys"
	if err := g.use(op); err != nil {
		return nil, err
	}
	var v C.mlx_vector_string
	msg := C.gomlx_gguf_keys(g.c, &v)
	runtime.KeepAlive(g)
	if msg != nil {
		C.mlx_vector_string_free(v)
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

func (g *GGUF) get(op string, kind C.int, key string) (ggufValue, error) {
	if err := g.use(op); err != nil {
		return ggufValue{}, err
	}
	ckey := C.CString(key)
	defer C.free(unsafe.Pointer(ckey))
	var rc C.int
	var arr C.mlx_array
	var str *C.char
	var strs C.mlx_vector_string
	msg := C.gomlx_gguf_get(kind, g.c, ckey, &rc, &arr, &str, &strs)
	runtime.KeepAlive(g)
	if rc != 0 {
		freeArrayOut(arr)
		if strs.ctx != nil {
			C.mlx_vector_string_free(strs)
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
	case C.GOMLX_GGUF_ARRAY, C.GOMLX_GGUF_META_ARRAY:
		return ggufValue{arr: newArray(arr)}, nil
	case C.GOMLX_GGUF_META_STRING:
		defer C.free(unsafe.Pointer(str))
		return ggufValue{str: C.GoString(str)}, nil
	}
	return ggufValue{strs: stringsFromVector(strs)}, nil
}

// Array returns the array named key; ErrKeyNotFound if there is none. It
// wraps mlx_io_gguf_get_array.
func (g *GGUF) Array(key string) (*Array, error) {
	v, err := g.get("gguf.get_array", C.GOMLX_GGUF_ARRAY, key)
	return v.arr, err
}

// MetadataArray returns the metadata array at key: ErrKeyNotFound if key is
// not set, ErrInvalidArgument if its value is not an array. It wraps
// mlx_io_gguf_get_metadata_array.
func (g *GGUF) MetadataArray(key string) (*Array, error) {
	v, err := g.get("gguf.get_metadata_array", C.GOMLX_GGUF_META_ARRAY, key)
	return v.arr, err
}

// MetadataString returns the metadata string at key, with the errors of
// MetadataArray. It wraps mlx_io_gguf_get_metadata_string.
func (g *GGUF) MetadataString(key string) (string, error) {
	v, err := g.get("gguf.get_metadata_string", C.GOMLX_GGUF_META_STRING, key)
	return v.str, err
}

// MetadataStrings returns the metadata string list at key, with the errors
// of MetadataArray. It wraps mlx_io_gguf_get_metadata_vector_string.
func (g *GGUF) MetadataStrings(key string) ([]string, error) {
	v, err := g.get("gguf.get_metadata_vector_string", C.GOMLX_GGUF_META_STRINGS, key)
	return v.strs, err
}

func (g *GGUF) has(op string, kind C.int, key string) (bool, error) {
	if err := g.use(op); err != nil {
		return false, err
	}
	ckey := C.CString(key)
	defer C.free(unsafe.Pointer(ckey))
	var flag C.bool
	msg := C.gomlx_gguf_has(kind, g.c, ckey, &flag)
	runtime.KeepAlive(g)
	if msg != nil {
		return false, takeError(op, msg)
	}
	return bool(flag), nil
}

// HasMetadataArray reports whether the metadata at key is an array. It wraps
// mlx_io_gguf_has_metadata_array.
func (g *GGUF) HasMetadataArray(key string) (bool, error) {
	return g.has("gguf.has_metadata_array", C.GOMLX_GGUF_META_ARRAY, key)
}

// HasMetadataString reports whether the metadata at key is a string. It
// wraps mlx_io_gguf_has_metadata_string.
func (g *GGUF) HasMetadataString(key string) (bool, error) {
	return g.has("gguf.has_metadata_string", C.GOMLX_GGUF_META_STRING, key)
}

// HasMetadataStrings reports whether the metadata at key is a string list.
// It wraps mlx_io_gguf_has_metadata_vector_string.
func (g *GGUF) HasMetadataStrings(key string) (bool, error) {
	return g.has("gguf.has_metadata_vector_string", C.GOMLX_GGUF_META_STRINGS, key)
}

// metadataSet reports whether key holds metadata of any type.
func (g *GGUF) metadataSet(op, key string) (bool, error) {
	for _, kind := range []C.int{C.GOMLX_GGUF_META_ARRAY, C.GOMLX_GGUF_META_STRING, C.GOMLX_GGUF_META_STRINGS} {
		ok, err := g.has(op, kind, key)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

func (g *GGUF) set(op string, kind C.int, key string, a *Array, str string, strs []string) error {
	if err := g.use(op); err != nil {
		return err
	}
	var err error
	var ca C.mlx_array
	if kind == C.GOMLX_GGUF_ARRAY || kind == C.GOMLX_GGUF_META_ARRAY {
		if ca = arrayArg(op, a, &err); err != nil {
			return err
		}
	}
	// MLX inserts into a map, which keeps a key's first value: refuse
	// instead of ignoring the new one.
	var taken bool
	if kind == C.GOMLX_GGUF_ARRAY {
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
		if kind != C.GOMLX_GGUF_ARRAY {
			what = "metadata"
		}
		return newError(op, fmt.Sprintf("%s %q is already set", what, key), ErrInvalidArgument)
	}
	ckey := C.CString(key)
	defer C.free(unsafe.Pointer(ckey))
	cstr := C.CString(str)
	defer C.free(unsafe.Pointer(cstr))
	cstrs := make([]*C.char, len(strs)+1)
	for i, s := range strs {
		cstrs[i] = C.CString(s)
		defer C.free(unsafe.Pointer(cstrs[i]))
	}
	msg := C.gomlx_gguf_set(kind, g.c, ckey, ca, cstr, &cstrs[0], C.size_t(len(strs)))
	runtime.KeepAlive(a)
	runtime.KeepAlive(g)
	if msg != nil {
		return takeError(op, msg)
	}
	return nil
}

// SetArray adds a under the name key. It wraps mlx_io_gguf_set_array.
func (g *GGUF) SetArray(key string, a *Array) error {
	return g.set("gguf.set_array", C.GOMLX_GGUF_ARRAY, key, a, "", nil)
}

// SetMetadataArray sets the metadata at key to the array a. It wraps
// mlx_io_gguf_set_metadata_array.
func (g *GGUF) SetMetadataArray(key string, a *Array) error {
	return g.set("gguf.set_metadata_array", C.GOMLX_GGUF_META_ARRAY, key, a, "", nil)
}

// SetMetadataString sets the metadata at key to the string s. It wraps
// mlx_io_gguf_set_metadata_string.
func (g *GGUF) SetMetadataString(key, s string) error {
	return g.set("gguf.set_metadata_string", C.GOMLX_GGUF_META_STRING, key, nil, s, nil)
}

// SetMetadataStrings sets the metadata at key to the string list s. It
// wraps mlx_io_gguf_set_metadata_vector_string.
func (g *GGUF) SetMetadataStrings(key string, s []string) error {
	return g.set("gguf.set_metadata_vector_string", C.GOMLX_GGUF_META_STRINGS, key, nil, "", s)
}
