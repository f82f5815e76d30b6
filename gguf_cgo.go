//go:build cgo

package mlx

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

func gomlxGgufGet(kind cint, g mlxIoGguf, key *cchar, rc *cint, arr *mlxArray, str **cchar, strs *mlxVectorString) *cchar {
	return C.gomlx_gguf_get(kind, g, key, rc, arr, str, strs)
}
func gomlxGgufHas(kind cint, g mlxIoGguf, key *cchar, flag *cbool) *cchar {
	return C.gomlx_gguf_has(kind, g, key, flag)
}
func gomlxGgufKeys(g mlxIoGguf, keys *mlxVectorString) *cchar { return C.gomlx_gguf_keys(g, keys) }
func gomlxGgufLoad(file *cchar, t gomlxTarget, res *mlxIoGguf) *cchar {
	return C.gomlx_gguf_load(file, t, res)
}
func gomlxGgufNew(res *mlxIoGguf) *cchar            { return C.gomlx_gguf_new(res) }
func gomlxGgufSave(file *cchar, g mlxIoGguf) *cchar { return C.gomlx_gguf_save(file, g) }
func gomlxGgufSet(kind cint, g mlxIoGguf, key *cchar, arr mlxArray, str *cchar, strs **cchar, n csize) *cchar {
	return C.gomlx_gguf_set(kind, g, key, arr, str, strs, n)
}
func gomlxStatus(rc cint) *cchar                        { return C.gomlx_status(rc) }
func gomlxStringsGet(v mlxVectorString, i csize) *cchar { return C.gomlx_strings_get(v, i) }
func gomlxStringsSize(v mlxVectorString) csize          { return C.gomlx_strings_size(v) }

const (
	gomlxGgufArray       = C.GOMLX_GGUF_ARRAY
	gomlxGgufMetaArray   = C.GOMLX_GGUF_META_ARRAY
	gomlxGgufMetaString  = C.GOMLX_GGUF_META_STRING
	gomlxGgufMetaStrings = C.GOMLX_GGUF_META_STRINGS
)
