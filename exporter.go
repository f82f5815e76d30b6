package mlx

// The multi-trace exporter: several traces of one function in one file.

import (
	"runtime"
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
	c       mlxFunctionExporter
	freed   bool
	cleanup runtime.Cleanup // the backstop for an Exporter nobody frees
}

// NewExporter creates (or truncates) file and returns an Exporter of f. With
// shapeless, each trace also accepts other shapes of the same number of
// dimensions.
func NewExporter(file string, f Func, shapeless bool) (*Exporter, error) {
	const op = "exporter"
	cfile := cString(file)
	defer cFree(unsafe.Pointer(cfile))
	h := newHandle(f) // released with the closure
	e := &Exporter{}
	if msg := gomlxExporterNew(cfile, cuintptr(h), cbool(shapeless), &e.c); msg != nil {
		return nil, takeError(op, msg)
	}
	e.cleanup = runtime.AddCleanup(e, func(c mlxFunctionExporter) { gomlxExporterFree(c) }, e.c)
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
	var kw mlxMapStringToArray
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
	msg := gomlxExporterApply(e.c, &a[0], csize(len(args)), kw)
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
	gomlxExporterFree(e.c)
	e.c.ctx = nil
}
