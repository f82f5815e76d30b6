// Custom MLX readers and writers over Go io.Reader / io.Writer values
// (io_stream.go). The descriptor MLX hands to each callback carries a
// runtime/cgo.Handle of the Go side's state and the label MLX puts in its
// messages; MLX frees it (and the handle) when it drops the reader or writer,
// which may be after the call that made it, on any thread.
#ifndef GOMLX_IO_STREAM_H
#define GOMLX_IO_STREAM_H

#include "capi.h"

mlx_io_reader gomlx_io_reader_new(uintptr_t handle, const char* label);
mlx_io_writer gomlx_io_writer_new(uintptr_t handle, const char* label);

// Loading parses headers on the calling thread, with an explicit stream; the
// data is read later, during evaluation, on MLX's I/O threads.
gomlx_array_result gomlx_io_load(mlx_io_reader r, gomlx_target t);
char* gomlx_io_load_safetensors(mlx_io_reader r, gomlx_target t,
    mlx_map_string_to_array* arrays, mlx_map_string_to_string* metadata);

// Saving evaluates, so it runs on the MLX thread, and so do the writes.
char* gomlx_io_save(mlx_io_writer w, mlx_array a);
char* gomlx_io_save_safetensors(mlx_io_writer w, mlx_map_string_to_array arrays,
    mlx_map_string_to_string metadata);

#endif
