// Custom MLX readers and writers whose callbacks call into Go; see
// io_stream.h and io_stream.go.
#include "io_stream.h"
#include "_cgo_export.h"

#include <stdio.h>

typedef struct {
  uintptr_t handle;
  char* label;
} gomlx_io_desc;

static bool gomlx_io_is_open(void* d) {
  return gomlxIOGood(((gomlx_io_desc*)d)->handle);
}

static bool gomlx_io_good(void* d) {
  return gomlxIOGood(((gomlx_io_desc*)d)->handle);
}

static size_t gomlx_io_tell(void* d) {
  return gomlxIOTell(((gomlx_io_desc*)d)->handle);
}

static void gomlx_io_seek(void* d, int64_t off, int whence) {
  gomlxIOSeek(((gomlx_io_desc*)d)->handle, off, whence);
}

static void gomlx_io_read(void* d, char* data, size_t n) {
  gomlxIORead(((gomlx_io_desc*)d)->handle, data, n);
}

static void gomlx_io_read_at(void* d, char* data, size_t n, size_t off) {
  gomlxIOReadAt(((gomlx_io_desc*)d)->handle, data, n, off);
}

static void gomlx_io_write(void* d, const char* data, size_t n) {
  gomlxIOWrite(((gomlx_io_desc*)d)->handle, (char*)data, n);
}

static const char* gomlx_io_label(void* d) { return ((gomlx_io_desc*)d)->label; }

static void gomlx_io_free(void* d) {
  gomlx_io_desc* x = (gomlx_io_desc*)d;
  gomlxReleaseHandle(x->handle);
  free(x->label);
  free(x);
}

static const mlx_io_vtable gomlx_io_vtable = {
    gomlx_io_is_open, gomlx_io_good, gomlx_io_tell, gomlx_io_seek,
    gomlx_io_read, gomlx_io_read_at, gomlx_io_write, gomlx_io_label,
    gomlx_io_free,
};

static gomlx_io_desc* gomlx_io_desc_new(uintptr_t handle, const char* label) {
  gomlx_io_desc* d = malloc(sizeof *d);
  if (!d) return NULL;
  d->handle = handle;
  d->label = strdup(label);
  return d;
}

// On failure mlx-c has not taken the descriptor: it is freed here, but not
// the handle, which the caller still owns.
mlx_io_reader gomlx_io_reader_new(uintptr_t handle, const char* label) {
  gomlx_io_desc* d = gomlx_io_desc_new(handle, label);
  if (!d) return (mlx_io_reader){NULL};
  mlx_io_reader r = mlx_io_reader_new(d, gomlx_io_vtable);
  if (!r.ctx) {
    free(gomlx_take_error());
    free(d->label);
    free(d);
  }
  return r;
}

mlx_io_writer gomlx_io_writer_new(uintptr_t handle, const char* label) {
  gomlx_io_desc* d = gomlx_io_desc_new(handle, label);
  if (!d) return (mlx_io_writer){NULL};
  mlx_io_writer w = mlx_io_writer_new(d, gomlx_io_vtable);
  if (!w.ctx) {
    free(gomlx_take_error());
    free(d->label);
    free(d);
  }
  return w;
}

gomlx_array_result gomlx_io_load(mlx_io_reader r, gomlx_target t) {
  gomlx_array_result res = gomlx_array_result_new();
  if (mlx_load_reader(&res.res, r, gomlx_resolve(t))) res.err = gomlx_take_error();
  mlx_io_reader_free(r); // the loaded array keeps what it needs
  return res;
}

char* gomlx_io_load_safetensors(mlx_io_reader r, gomlx_target t,
    mlx_map_string_to_array* arrays, mlx_map_string_to_string* metadata) {
  *arrays = mlx_map_string_to_array_new();
  *metadata = mlx_map_string_to_string_new();
  int rc = mlx_load_safetensors_reader(arrays, metadata, r, gomlx_resolve(t));
  mlx_io_reader_free(r);
  return gomlx_status(rc);
}

typedef struct {
  mlx_io_writer w;
  mlx_array a;
  mlx_map_string_to_array arrays;
  mlx_map_string_to_string metadata;
} gomlx_io_save_args;

static int gomlx_io_save_run(void* p) {
  gomlx_io_save_args* x = (gomlx_io_save_args*)p;
  return mlx_save_writer(x->w, x->a);
}

static int gomlx_io_save_safetensors_run(void* p) {
  gomlx_io_save_args* x = (gomlx_io_save_args*)p;
  return mlx_save_safetensors_writer(x->w, x->arrays, x->metadata);
}

char* gomlx_io_save(mlx_io_writer w, mlx_array a) {
  gomlx_io_save_args x = {w, a, {NULL}, {NULL}};
  char* err = gomlx_owner_call(gomlx_io_save_run, &x);
  mlx_io_writer_free(w);
  return err;
}

char* gomlx_io_save_safetensors(mlx_io_writer w, mlx_map_string_to_array arrays,
    mlx_map_string_to_string metadata) {
  gomlx_io_save_args x = {w, {NULL}, arrays, metadata};
  char* err = gomlx_owner_call(gomlx_io_save_safetensors_run, &x);
  mlx_io_writer_free(w);
  return err;
}
