package mlx

// Keyword closures: Go functions of positional and named arrays, for
// exporting functions with keyword arguments.

import (
	"runtime"
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
	cfile := cString(file)
	defer cFree(unsafe.Pointer(cfile))
	h := newHandle(f)
	msg := gomlxExportFunctionKwargs(cfile, cuintptr(h), &a[0], csize(len(args)), kw, cbool(shapeless))
	runtime.KeepAlive(args)
	runtime.KeepAlive(kwargs)
	if msg != nil {
		return takeError(op, msg)
	}
	return nil
}
