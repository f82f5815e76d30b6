package mlx

// The multi-trace exporter: several traces of one function in one file.

/*
#include "capi.h"

static char* gomlx_exporter_new(const char* file, uintptr_t f, bool shapeless, mlx_function_exporter* res) {
  mlx_closure cl = gomlx_closure_new(f);
  free(gomlx_errmsg);
  gomlx_errmsg = NULL;
  *res = mlx_function_exporter_new(file, cl, shapeless);
  mlx_closure_free(cl);
  return res->ctx ? NULL : gomlx_take_error();
}

// kw.ctx == NULL: no keyword arguments.
static char* gomlx_exporter_apply(mlx_function_exporter x, const mlx_array* a, size_t n, mlx_map_string_to_array kw) {
  mlx_vector_array av = mlx_vector_array_new_data(a, n);
  gomlx_transform_lock();
  gomlx_sync_thread_defaults();
  gomlx_set_closure_error(NULL);
  int rc = kw.ctx ? mlx_function_exporter_apply_kwargs(x, av, kw) : mlx_function_exporter_apply(x, av);
  gomlx_transform_unlock();
  mlx_vector_array_free(av);
  return gomlx_status(rc);
}

static void gomlx_exporter_free(mlx_function_exporter x) {
  if (mlx_function_exporter_free(x)) free(gomlx_take_error());
}
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
	"sync"
	"unsafe"
)

// Exporter saves several traces of one function to one file, like Python's
// mx.exporter: each call of Export traces the function on arguments of
// other shapes or dtypes (or another number of arguments), and
// ImportFunction loads them all back as one function that picks the trace
// matching its arguments. Each trace is complete in the file when Export
// returns; Free closes the file. An Exporter is safe for use by several
// goroutines, one Export at a time; the traced function itself must not call
// Export or Free on its own Exporter (it would wait for itself).
type Exporter struct {
	mu      sync.Mutex
	c       C.mlx_function_exporter
	freed   bool
	cleanup runtime.Cleanup // the backstop for an Exporter nobody frees
}

// NewExporter creates (or truncates) file and returns an Exporter of f. With
// shapeless, each trace also accepts other shapes of the same number of
// dimensions.
func NewExporter(file string, f Func, shapeless bool) (*Exporter, error) {
	const op = "exporter"
	cfile := C.CString(file)
	defer C.free(unsafe.Pointer(cfile))
	h := cgo.NewHandle(f) // released with the closure
	e := &Exporter{}
	if msg := C.gomlx_exporter_new(cfile, C.uintptr_t(h), C.bool(shapeless), &e.c); msg != nil {
		return nil, takeError(op, msg)
	}
	e.cleanup = runtime.AddCleanup(e, func(c C.mlx_function_exporter) { C.gomlx_exporter_free(c) }, e.c)
	return e, nil
}

// Export traces the function on args and appends the trace to the file. A
// second trace with the same signature (shapes, dtypes and keyword names)
// is an error.
func (e *Exporter) Export(args ...*Array) error { return e.export(args, nil, false) }

// ExportKwargs is Export with keyword arguments, like calling Python's
// exporter(*args, **kwargs): the trace takes the kwargs by name, and the
// imported function (ImportFunctionKwargs) must be given them. mlx-c's
// exporter wraps a function of positional arguments only, so the function
// does not see kwargs: they are inputs of the trace that its outputs do not
// depend on. To export a function that uses keyword arguments, use
// ExportFunctionKwargs (one trace per file).
func (e *Exporter) ExportKwargs(args []*Array, kwargs map[string]*Array) error {
	return e.export(args, kwargs, true)
}

func (e *Exporter) export(args []*Array, kwargs map[string]*Array, withKwargs bool) error {
	const op = "exporter"
	if e == nil {
		return newError(op, "nil Exporter", ErrInvalidArgument)
	}
	a, err := handles(op, args)
	if err != nil {
		return err
	}
	var kw C.mlx_map_string_to_array
	if withKwargs {
		kw = mapArraysArg(op, kwargs, &err)
		defer freeMapArraysOut(kw)
		if err != nil {
			return err
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.freed {
		return newError(op, "Exporter used after Free", ErrFreed)
	}
	msg := C.gomlx_exporter_apply(e.c, &a[0], C.size_t(len(args)), kw)
	runtime.KeepAlive(args)
	runtime.KeepAlive(kwargs)
	if msg != nil {
		return takeError(op, msg)
	}
	return nil
}

// Free closes the file and releases the exporter and its function. It is
// safe to call more than once; Export after Free returns an error wrapping
// ErrFreed.
func (e *Exporter) Free() {
	if e == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.freed {
		return
	}
	e.freed = true
	e.cleanup.Stop()
	C.gomlx_exporter_free(e.c)
	e.c.ctx = nil
}
