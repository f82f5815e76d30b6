package mlx

// Keyword closures: Go functions of positional and named arrays, for
// exporting functions with keyword arguments.

/*
#include "capi.h"
#include "closure_extra.h"

static char* gomlx_export_function_kwargs(const char* file, uintptr_t f, const mlx_array* a, size_t n,
                                          mlx_map_string_to_array kw, bool shapeless) {
  mlx_closure_kwargs cl = gomlx_closure_kwargs_new(f);
  mlx_vector_array av = mlx_vector_array_new_data(a, n);
  gomlx_transform_lock();
  gomlx_sync_thread_defaults();
  gomlx_set_closure_error(NULL);
  int rc = mlx_export_function_kwargs(file, cl, av, kw, shapeless);
  gomlx_transform_unlock();
  mlx_vector_array_free(av);
  mlx_closure_kwargs_free(cl);
  return gomlx_status(rc);
}
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
	"unsafe"
)

// KwargsFunc is a Go function of positional arguments and keyword (named)
// arguments, like a Python function called as f(*args, **kwargs). The rules
// of Func apply: inside a transform its arguments are tracers, every array
// made while it runs is released when it returns, and an error it returns,
// or a panic, becomes the error of the transform that ran it.
type KwargsFunc func(args []*Array, kwargs map[string]*Array) ([]*Array, error)

// ExportFunctionKwargs traces f on example positional args and keyword
// kwargs and saves the graph to file, like Python's
// mx.export_function(file, f, *args, **kwargs). ImportFunctionKwargs loads
// it back; the imported function must be given the same keyword names. With
// shapeless, it accepts other shapes.
func ExportFunctionKwargs(file string, f KwargsFunc, args []*Array, kwargs map[string]*Array, shapeless bool) error {
	const op = "export_function"
	a, err := handles(op, args)
	if err != nil {
		return err
	}
	kw := mapArraysArg(op, kwargs, &err)
	defer freeMapArraysOut(kw)
	if err != nil {
		return err
	}
	cfile := C.CString(file)
	defer C.free(unsafe.Pointer(cfile))
	h := cgo.NewHandle(f)
	msg := C.gomlx_export_function_kwargs(cfile, C.uintptr_t(h), &a[0], C.size_t(len(args)), kw, C.bool(shapeless))
	runtime.KeepAlive(args)
	runtime.KeepAlive(kwargs)
	if msg != nil {
		return takeError(op, msg)
	}
	return nil
}
