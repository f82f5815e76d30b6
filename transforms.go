package mlx

// Function transforms over Go functions: gradients, vector-Jacobian and
// Jacobian-vector products, vmap, compile, checkpoint, custom VJPs, and
// export/import of functions.

/*
#include "capi.h"
#include "closure_extra.h"

static mlx_vector_array gomlx_vec(const mlx_array* data, size_t n) {
  return mlx_vector_array_new_data(data, n);
}

// Each transform shim holds the transform lock and clears any stale error of
// a Go function before it starts.
// VJP (jvp == 0) or JVP (jvp == 1) of f at p with the vectors v.
static char* gomlx_vjp_jvp(int jvp, uintptr_t f, const mlx_array* p, size_t np, const mlx_array* v, size_t nv,
                           mlx_vector_array* outs, mlx_vector_array* prods) {
  mlx_closure cl = gomlx_closure_new(f);
  mlx_vector_array pv = gomlx_vec(p, np), vv = gomlx_vec(v, nv);
  gomlx_transform_lock();
  gomlx_sync_thread_defaults();
  gomlx_set_closure_error(NULL);
  int rc = jvp ? mlx_jvp(outs, prods, cl, pv, vv) : mlx_vjp(outs, prods, cl, pv, vv);
  gomlx_transform_unlock();
  mlx_vector_array_free(pv);
  mlx_vector_array_free(vv);
  mlx_closure_free(cl);
  return gomlx_status(rc);
}

static char* gomlx_value_and_grad(uintptr_t f, const int* argnums, size_t n, mlx_closure_value_and_grad* res) {
  mlx_closure cl = gomlx_closure_new(f);
  *res = mlx_closure_value_and_grad_new();
  int rc = mlx_value_and_grad(res, cl, argnums, n);
  mlx_closure_free(cl);
  return gomlx_status(rc);
}

static char* gomlx_value_and_grad_apply(mlx_closure_value_and_grad vg, const mlx_array* a, size_t n,
                                        mlx_vector_array* values, mlx_vector_array* grads) {
  mlx_vector_array av = gomlx_vec(a, n);
  gomlx_transform_lock();
  gomlx_sync_thread_defaults();
  gomlx_set_closure_error(NULL);
  int rc = mlx_closure_value_and_grad_apply(values, grads, vg, av);
  gomlx_transform_unlock();
  mlx_vector_array_free(av);
  return gomlx_status(rc);
}

static char* gomlx_closure_apply(mlx_closure cl, const mlx_array* a, size_t n, mlx_vector_array* res) {
  mlx_vector_array av = gomlx_vec(a, n);
  gomlx_transform_lock();
  gomlx_sync_thread_defaults();
  gomlx_set_closure_error(NULL);
  int rc = mlx_closure_apply(res, cl, av);
  gomlx_transform_unlock();
  mlx_vector_array_free(av);
  return gomlx_status(rc);
}

static char* gomlx_vmap(uintptr_t f, const mlx_array* a, size_t n, const int* in_axes, size_t nin,
                        const int* out_axes, size_t nout, mlx_vector_array* res) {
  mlx_closure cl = gomlx_closure_new(f);
  mlx_vector_array av = gomlx_vec(a, n);
  mlx_vector_array s_in = mlx_vector_array_new(), s_out = mlx_vector_array_new();
  gomlx_transform_lock();
  gomlx_sync_thread_defaults();
  gomlx_set_closure_error(NULL);
  int rc = mlx_detail_vmap_trace(&s_in, &s_out, cl, av, in_axes, nin);
  if (!rc) rc = mlx_detail_vmap_replace(res, av, s_in, s_out, in_axes, nin, out_axes, nout);
  gomlx_transform_unlock();
  mlx_vector_array_free(s_in);
  mlx_vector_array_free(s_out);
  mlx_vector_array_free(av);
  mlx_closure_free(cl);
  return gomlx_status(rc);
}

// kind: 0 compile, 1 compile shapeless (id = compile id), 2 checkpoint,
// 3 custom function (g = vjp handle, id = jvp handle, v = vmap handle; 0 for
// none, which mlx-c's empty closures stand for)
static char* gomlx_wrap_closure(int kind, uintptr_t f, uintptr_t g, uintptr_t id, uintptr_t v, mlx_closure* res) {
  mlx_closure cl = gomlx_closure_new(f);
  *res = mlx_closure_new();
  int rc;
  switch (kind) {
    case 0: case 1: rc = mlx_detail_compile(res, cl, id, kind == 1, NULL, 0); break;
    case 2: rc = mlx_checkpoint(res, cl); break;
    default: {
      mlx_closure_custom vjp = g ? gomlx_closure_custom_new(g) : mlx_closure_custom_new();
      mlx_closure_custom_jvp jvp = id ? gomlx_closure_custom_jvp_new(id) : mlx_closure_custom_jvp_new();
      mlx_closure_custom_vmap vmap = v ? gomlx_closure_custom_vmap_new(v) : mlx_closure_custom_vmap_new();
      rc = mlx_custom_function(res, cl, vjp, jvp, vmap);
      if (vjp.ctx) mlx_closure_custom_free(vjp);
      if (jvp.ctx) mlx_closure_custom_jvp_free(jvp);
      if (vmap.ctx) mlx_closure_custom_vmap_free(vmap);
    }
  }
  mlx_closure_free(cl);
  return gomlx_status(rc);
}

// Frees a closure made by gomlx_wrap_closure and, for a compiled one (id != 0),
// its compile cache entries on the calling thread.
static void gomlx_closure_release(mlx_closure c, uintptr_t id) {
  mlx_closure_free(c);
  if (id && mlx_detail_compile_erase(id)) free(gomlx_take_error());
}

static char* gomlx_export_function(const char* file, uintptr_t f, const mlx_array* a, size_t n, bool shapeless) {
  mlx_closure cl = gomlx_closure_new(f);
  mlx_vector_array av = gomlx_vec(a, n);
  gomlx_transform_lock();
  gomlx_sync_thread_defaults();
  gomlx_set_closure_error(NULL);
  int rc = mlx_export_function(file, cl, av, shapeless);
  gomlx_transform_unlock();
  mlx_vector_array_free(av);
  mlx_closure_free(cl);
  return gomlx_status(rc);
}

static char* gomlx_import_function(const char* file, mlx_imported_function* res) {
  gomlx_errmsg = NULL;
  *res = mlx_imported_function_new(file);
  return res->ctx ? NULL : gomlx_take_error();
}

// kw.ctx == NULL: no keyword arguments.
static char* gomlx_imported_apply(mlx_imported_function fn, const mlx_array* a, size_t n,
                                  mlx_map_string_to_array kw, mlx_vector_array* res) {
  mlx_vector_array av = gomlx_vec(a, n);
  gomlx_transform_lock();
  gomlx_sync_thread_defaults();
  int rc = kw.ctx ? mlx_imported_function_apply_kwargs(res, fn, av, kw) : mlx_imported_function_apply(res, fn, av);
  gomlx_transform_unlock();
  mlx_vector_array_free(av);
  return gomlx_status(rc);
}
*/
import "C"

import (
	"fmt"
	"math"
	"runtime"
	"runtime/cgo"
	"sync/atomic"
	"unsafe"
)

// Func is a Go function over arrays that MLX can transform: it takes the
// arguments and returns the outputs. Inside a transform its arguments are
// tracers: build the outputs from them with ops, and keep nothing: every
// array made while it runs is released when it returns. Do not call Eval
// inside it. An error it returns, or a panic, becomes the error of the
// transform that ran it.
type Func func(args []*Array) ([]*Array, error)

// VJPFunc computes a custom vector-Jacobian product (CustomVJP): the
// cotangents of the primals, given the primals, the cotangents of the
// outputs, and the outputs.
type VJPFunc func(primals, cotangents, outputs []*Array) ([]*Array, error)

// handles converts arrays for C, checking each; the slice keeps one spare
// element so that &h[0] is valid when arrays is empty.
func handles(op string, arrays []*Array) ([]C.mlx_array, error) {
	h := make([]C.mlx_array, len(arrays)+1)
	for i, a := range arrays {
		if err := a.use(op); err != nil {
			return nil, err
		}
		h[i] = a.c
	}
	return h, nil
}

func vectorResult(op string, msg *C.char, vecs ...*C.mlx_vector_array) ([][]*Array, error) {
	if msg != nil {
		for _, v := range vecs {
			freeVectorOut(*v)
		}
		return nil, takeError(op, msg)
	}
	out := make([][]*Array, len(vecs))
	for i, v := range vecs {
		out[i] = arraysFromVector(*v)
	}
	return out, nil
}

// VJP computes f(primals) and the vector-Jacobian product of f at primals
// with cotangents (one per output), like Python's mx.vjp.
func VJP(f Func, primals, cotangents []*Array) (outputs, vjps []*Array, err error) {
	return vjpJVP("vjp", 0, f, primals, cotangents)
}

// JVP computes f(primals) and the Jacobian-vector product of f at primals
// with tangents (one per primal), like Python's mx.jvp.
func JVP(f Func, primals, tangents []*Array) (outputs, jvps []*Array, err error) {
	return vjpJVP("jvp", 1, f, primals, tangents)
}

func vjpJVP(op string, jvp C.int, f Func, primals, vectors []*Array) ([]*Array, []*Array, error) {
	p, err := handles(op, primals)
	if err != nil {
		return nil, nil, err
	}
	v, err := handles(op, vectors)
	if err != nil {
		return nil, nil, err
	}
	h := cgo.NewHandle(f)
	var outs, prods C.mlx_vector_array
	msg := C.gomlx_vjp_jvp(jvp, C.uintptr_t(h), &p[0], C.size_t(len(primals)), &v[0], C.size_t(len(vectors)), &outs, &prods)
	runtime.KeepAlive(primals)
	runtime.KeepAlive(vectors)
	r, err := vectorResult(op, msg, &outs, &prods)
	if err != nil {
		return nil, nil, err
	}
	return r[0], r[1], nil
}

// ValueAndGradFunc returns the outputs of a function and the gradients of
// its first output with respect to the chosen arguments.
type ValueAndGradFunc func(args ...*Array) (values, grads []*Array, err error)

// ValueAndGrad returns a function that computes f and the gradient of f's
// first output, which must be a scalar, with respect to the arguments
// numbered argnums (default: argument 0), like Python's mx.value_and_grad.
func ValueAndGrad(f Func, argnums ...int) ValueAndGradFunc {
	const op = "value_and_grad"
	if len(argnums) == 0 {
		argnums = []int{0}
	}
	var err error
	nums, n := intsArg(op, "argnums", argnums, false, &err)
	if err != nil {
		return func(...*Array) ([]*Array, []*Array, error) { return nil, nil, err }
	}
	h := cgo.NewHandle(f)
	vg := &valueAndGrad{}
	if msg := C.gomlx_value_and_grad(C.uintptr_t(h), nums, n, &vg.c); msg != nil {
		C.mlx_closure_value_and_grad_free(vg.c)
		err := takeError(op, msg)
		return func(...*Array) ([]*Array, []*Array, error) { return nil, nil, err }
	}
	runtime.AddCleanup(vg, func(c C.mlx_closure_value_and_grad) { C.mlx_closure_value_and_grad_free(c) }, vg.c)
	return vg.apply
}

type valueAndGrad struct{ c C.mlx_closure_value_and_grad }

func (vg *valueAndGrad) apply(args ...*Array) ([]*Array, []*Array, error) {
	const op = "value_and_grad"
	a, err := handles(op, args)
	if err != nil {
		return nil, nil, err
	}
	var values, grads C.mlx_vector_array
	msg := C.gomlx_value_and_grad_apply(vg.c, &a[0], C.size_t(len(args)), &values, &grads)
	runtime.KeepAlive(args)
	runtime.KeepAlive(vg)
	r, err := vectorResult(op, msg, &values, &grads)
	if err != nil {
		return nil, nil, err
	}
	if len(r[0]) == 0 {
		return nil, nil, newError(op, "the function returned no outputs; its first output must be a scalar", ErrInvalidArgument)
	}
	return r[0], r[1], nil
}

// Grad returns a function that computes the gradient of f's first output,
// which must be a scalar, with respect to the arguments numbered argnums
// (default: argument 0), like Python's mx.grad.
func Grad(f Func, argnums ...int) func(args ...*Array) ([]*Array, error) {
	vg := ValueAndGrad(f, argnums...)
	return func(args ...*Array) ([]*Array, error) {
		values, grads, err := vg(args...)
		for _, v := range values {
			v.Free()
		}
		return grads, err
	}
}

// Vmap returns f vectorized over the axes inAxes of its arguments (one per
// argument; -1 leaves that argument unmapped), with the mapped axis of each
// output at outAxes (one per output), like Python's mx.vmap.
func Vmap(f Func, inAxes, outAxes []int) Func {
	return func(args []*Array) ([]*Array, error) {
		const op = "vmap"
		a, err := handles(op, args)
		if err != nil {
			return nil, err
		}
		var e error
		in, nin := intsArg(op, "inAxes", inAxes, false, &e)
		out, nout := intsArg(op, "outAxes", outAxes, false, &e)
		if e != nil {
			return nil, e
		}
		h := cgo.NewHandle(f)
		var res C.mlx_vector_array
		msg := C.gomlx_vmap(C.uintptr_t(h), &a[0], C.size_t(len(args)), in, nin, out, nout, &res)
		runtime.KeepAlive(args)
		r, err := vectorResult(op, msg, &res)
		if err != nil {
			return nil, err
		}
		return r[0], nil
	}
}

// closureFunc makes a Func of an MLX closure, which it frees when the Func
// is garbage, with its compile cache entries if compileID is not 0.
func closureFunc(op string, c C.mlx_closure, compileID C.uintptr_t) Func {
	type release struct {
		c  C.mlx_closure
		id C.uintptr_t
	}
	holder := &struct{ c C.mlx_closure }{c}
	runtime.AddCleanup(holder, func(r release) { C.gomlx_closure_release(r.c, r.id) }, release{c, compileID})
	return func(args []*Array) ([]*Array, error) {
		a, err := handles(op, args)
		if err != nil {
			return nil, err
		}
		var res C.mlx_vector_array
		msg := C.gomlx_closure_apply(holder.c, &a[0], C.size_t(len(args)), &res)
		runtime.KeepAlive(args)
		runtime.KeepAlive(holder)
		r, err := vectorResult(op, msg, &res)
		if err != nil {
			return nil, err
		}
		return r[0], nil
	}
}

// compileIDs numbers compiled functions. MLX keys its compile cache by a
// function id and keeps one cache per OS thread. mlx_compile's id is the
// address of a heap object that erases the id's entries when it is freed,
// but only from the cache of the thread that frees it, here the garbage
// collector's cleanup goroutine: the entries on the threads that called the
// function stayed, and a function compiled later at the same address ran
// their graph. Ids that are never reused (bit 63 set, which no user-space
// address has, so no clash with MLX's own function-address ids) rule that
// out; entries on threads other than the one releasing the function are
// still never freed.
var compileIDs atomic.Uint64

func wrapClosure(op string, kind int, f Func, vjp VJPFunc, jvp JVPFunc, vmap VmapFunc) (Func, error) {
	var v cgo.Handle
	if vmap != nil {
		r := &vmapRule{rule: vmap}
		r.outputs.Store(-1)
		v = cgo.NewHandle(r)
		inner := f
		f = func(args []*Array) ([]*Array, error) {
			outs, err := inner(args)
			if err == nil {
				r.outputs.Store(int64(len(outs)))
			}
			return outs, err
		}
	}
	h := cgo.NewHandle(f)
	var g cgo.Handle
	if vjp != nil {
		g = cgo.NewHandle(vjp)
	}
	var id C.uintptr_t
	switch {
	case kind <= 1:
		id = C.uintptr_t(1<<63 | compileIDs.Add(1))
	case jvp != nil:
		id = C.uintptr_t(cgo.NewHandle(jvp))
	}
	var c C.mlx_closure
	if msg := C.gomlx_wrap_closure(C.int(kind), C.uintptr_t(h), C.uintptr_t(g), id, C.uintptr_t(v), &c); msg != nil {
		C.mlx_closure_free(c)
		return nil, takeError(op, msg)
	}
	if kind > 1 {
		id = 0 // not a compile id
	}
	return closureFunc(op, c, id), nil
}

// Compile returns a compiled version of f, like Python's mx.compile: the
// first call traces f and later calls with the same shapes (any shapes, if
// shapeless) reuse the fused graph. Compilation can be switched off globally
// with DisableCompile or SetCompileMode.
func Compile(f Func, shapeless bool) (Func, error) {
	kind := 0
	if shapeless {
		kind = 1
	}
	return wrapClosure("compile", kind, f, nil, nil, nil)
}

// Checkpoint returns f with gradient checkpointing, like Python's
// mx.checkpoint: under a gradient its intermediate values are recomputed in
// the backward pass instead of kept.
func Checkpoint(f Func) (Func, error) { return wrapClosure("checkpoint", 2, f, nil, nil, nil) }

// JVPFunc computes a custom Jacobian-vector product (CustomFunction): the
// tangents of the outputs, one per output, given the primals, the tangents
// of the primals numbered argnums (in that order), and argnums.
type JVPFunc func(primals, tangents []*Array, argnums []int) ([]*Array, error)

// VmapFunc is a custom vmap rule (CustomFunction): given the arguments,
// batched, and for each argument the axis that is mapped (-1: the argument
// is not mapped), it returns f's outputs for the whole batch and for each
// output the axis the batch is on (Python: the .vmap of mx.custom_function).
// It must return as many outputs as f, and one axis per output.
type VmapFunc func(args []*Array, axes []int) (outputs []*Array, outAxes []int, err error)

// vmapRule is the payload of a custom vmap closure. outputs is the number of
// outputs f returned on its latest call (-1 before the first): MLX reads as
// many outputs and axes from the rule as the custom function has outputs,
// past the end of shorter lists, so the rule's lists are checked against it.
type vmapRule struct {
	rule    VmapFunc
	outputs atomic.Int64
}

func (r *vmapRule) check(outs []*Array, axes []int) error {
	if n := r.outputs.Load(); n >= 0 && int64(len(outs)) != n {
		return fmt.Errorf("custom vmap returned %d outputs for a function with %d", len(outs), n)
	}
	if len(axes) != len(outs) {
		return fmt.Errorf("custom vmap returned %d output axes for %d outputs", len(axes), len(outs))
	}
	for i, a := range axes {
		if a < math.MinInt32 || a > math.MaxInt32 {
			return fmt.Errorf("custom vmap returned output axis %d = %d, which does not fit in int32", i, a)
		}
	}
	return nil
}

// CustomFunction returns f with its vector-Jacobian product computed by vjp
// and its Jacobian-vector product by jvp instead of by differentiating f,
// like Python's mx.custom_function; either may be nil. An optional vmap rule
// (at most one) replaces vectorizing f under Vmap, like the .vmap of
// mx.custom_function; without it Vmap vectorizes f itself.
func CustomFunction(f Func, vjp VJPFunc, jvp JVPFunc, vmap ...VmapFunc) (Func, error) {
	const op = "custom_function"
	if len(vmap) > 1 {
		return nil, newError(op, fmt.Sprintf("%d vmap rules given; at most one", len(vmap)), ErrInvalidArgument)
	}
	var rule VmapFunc
	if len(vmap) == 1 {
		rule = vmap[0]
	}
	return wrapClosure(op, 3, f, vjp, jvp, rule)
}

// CustomVJP is CustomFunction(f, vjp, nil).
func CustomVJP(f Func, vjp VJPFunc) (Func, error) {
	return wrapClosure("custom_vjp", 3, f, vjp, nil, nil)
}

// ExportFunction traces f on example args and saves the graph to file, like
// Python's mx.export_function; ImportFunction loads it back. With shapeless,
// the imported function accepts other shapes.
func ExportFunction(file string, f Func, args []*Array, shapeless bool) error {
	const op = "export_function"
	a, err := handles(op, args)
	if err != nil {
		return err
	}
	cfile := C.CString(file)
	defer C.free(unsafe.Pointer(cfile))
	h := cgo.NewHandle(f)
	msg := C.gomlx_export_function(cfile, C.uintptr_t(h), &a[0], C.size_t(len(args)), C.bool(shapeless))
	runtime.KeepAlive(args)
	if msg != nil {
		return takeError(op, msg)
	}
	return nil
}

// ImportFunction loads a function saved by ExportFunction, an Exporter (or
// Python's mx.export_function and mx.exporter). Calling it picks the traced
// version that matches the arguments' shapes and dtypes; a function traced
// with keyword arguments needs ImportFunctionKwargs.
func ImportFunction(file string) (Func, error) {
	fn, err := importFunction("import_function", file)
	if err != nil {
		return nil, err
	}
	return func(args []*Array) ([]*Array, error) { return fn.apply(args, nil, false) }, nil
}

// ImportFunctionKwargs is ImportFunction for functions exported with keyword
// arguments (ExportFunctionKwargs, Exporter.ExportKwargs): the returned
// function takes them by name. A nil or empty kwargs calls the version
// traced without keyword arguments.
func ImportFunctionKwargs(file string) (KwargsFunc, error) {
	fn, err := importFunction("import_function", file)
	if err != nil {
		return nil, err
	}
	return func(args []*Array, kwargs map[string]*Array) ([]*Array, error) {
		return fn.apply(args, kwargs, true)
	}, nil
}

// importedFunction holds an imported function, freed when it is garbage.
type importedFunction struct{ c C.mlx_imported_function }

func importFunction(op, file string) (*importedFunction, error) {
	cfile := C.CString(file)
	defer C.free(unsafe.Pointer(cfile))
	fn := &importedFunction{}
	if msg := C.gomlx_import_function(cfile, &fn.c); msg != nil {
		return nil, takeError(op, msg)
	}
	runtime.AddCleanup(fn, func(c C.mlx_imported_function) { C.mlx_imported_function_free(c) }, fn.c)
	return fn, nil
}

func (fn *importedFunction) apply(args []*Array, kwargs map[string]*Array, withKwargs bool) ([]*Array, error) {
	const op = "import_function"
	a, err := handles(op, args)
	if err != nil {
		return nil, err
	}
	var kw C.mlx_map_string_to_array
	if withKwargs {
		kw = mapArraysArg(op, kwargs, &err)
		defer freeMapArraysOut(kw)
		if err != nil {
			return nil, err
		}
	}
	var res C.mlx_vector_array
	msg := C.gomlx_imported_apply(fn.c, &a[0], C.size_t(len(args)), kw, &res)
	runtime.KeepAlive(args)
	runtime.KeepAlive(kwargs)
	runtime.KeepAlive(fn)
	r, err := vectorResult(op, msg, &res)
	if err != nil {
		return nil, err
	}
	return r[0], nil
}
