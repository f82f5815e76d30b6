package mlx

// Function transforms over Go functions: gradients, vector-Jacobian and
// Jacobian-vector products, vmap, compile, checkpoint, custom VJPs, and
// export/import of functions.

import (
	"fmt"
	"math"
	"runtime"
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
func handles(op string, arrays []*Array) ([]mlxArray, error) {
	h := make([]mlxArray, len(arrays)+1)
	for i, a := range arrays {
		if err := a.use(op); err != nil {
			return nil, err
		}
		h[i] = a.c()
	}
	return h, nil
}

func vectorResult(op string, msg *cchar, vecs ...*mlxVectorArray) ([][]*Array, error) {
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

func vjpJVP(op string, jvp cint, f Func, primals, vectors []*Array) ([]*Array, []*Array, error) {
	p, err := handles(op, primals)
	if err != nil {
		return nil, nil, err
	}
	v, err := handles(op, vectors)
	if err != nil {
		return nil, nil, err
	}
	h := newHandle(f)
	var outs, prods mlxVectorArray
	msg := gomlxVjpJvp(jvp, cuintptr(h), &p[0], csize(len(primals)), &v[0], csize(len(vectors)), &outs, &prods)
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
	h := newHandle(f)
	vg := &valueAndGrad{}
	if msg := gomlxValueAndGrad(cuintptr(h), nums, n, &vg.c); msg != nil {
		mlxClosureValueAndGradFree(vg.c)
		err := takeError(op, msg)
		return func(...*Array) ([]*Array, []*Array, error) { return nil, nil, err }
	}
	runtime.AddCleanup(vg, func(c mlxClosureValueAndGrad) { mlxClosureValueAndGradFree(c) }, vg.c)
	return vg.apply
}

type valueAndGrad struct{ c mlxClosureValueAndGrad }

func (vg *valueAndGrad) apply(args ...*Array) ([]*Array, []*Array, error) {
	const op = "value_and_grad"
	a, err := handles(op, args)
	if err != nil {
		return nil, nil, err
	}
	var values, grads mlxVectorArray
	msg := gomlxValueAndGradApply(vg.c, &a[0], csize(len(args)), &values, &grads)
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
		h := newHandle(f)
		var res mlxVectorArray
		msg := gomlxVmap(cuintptr(h), &a[0], csize(len(args)), in, nin, out, nout, &res)
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
func closureFunc(op string, c mlxClosure, compileID cuintptr) Func {
	type release struct {
		c  mlxClosure
		id cuintptr
	}
	holder := &struct{ c mlxClosure }{c}
	runtime.AddCleanup(holder, func(r release) { gomlxClosureRelease(r.c, r.id) }, release{c, compileID})
	return func(args []*Array) ([]*Array, error) {
		a, err := handles(op, args)
		if err != nil {
			return nil, err
		}
		var res mlxVectorArray
		msg := gomlxClosureApply(holder.c, &a[0], csize(len(args)), &res)
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
	var v handle
	if vmap != nil {
		r := &vmapRule{rule: vmap}
		r.outputs.Store(-1)
		v = newHandle(r)
		inner := f
		f = func(args []*Array) ([]*Array, error) {
			outs, err := inner(args)
			if err == nil {
				r.outputs.Store(int64(len(outs)))
			}
			return outs, err
		}
	}
	h := newHandle(f)
	var g handle
	if vjp != nil {
		g = newHandle(vjp)
	}
	var id cuintptr
	switch {
	case kind <= 1:
		id = cuintptr(1<<63 | compileIDs.Add(1))
	case jvp != nil:
		id = cuintptr(newHandle(jvp))
	}
	var c mlxClosure
	if msg := gomlxWrapClosure(cint(kind), cuintptr(h), cuintptr(g), id, cuintptr(v), &c); msg != nil {
		mlxClosureFree(c)
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
	cfile := cString(file)
	defer cFree(unsafe.Pointer(cfile))
	h := newHandle(f)
	msg := gomlxExportFunction(cfile, cuintptr(h), &a[0], csize(len(args)), cbool(shapeless))
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
type importedFunction struct{ c mlxImportedFunction }

func importFunction(op, file string) (*importedFunction, error) {
	cfile := cString(file)
	defer cFree(unsafe.Pointer(cfile))
	fn := &importedFunction{}
	if msg := gomlxImportFunction(cfile, &fn.c); msg != nil {
		return nil, takeError(op, msg)
	}
	runtime.AddCleanup(fn, func(c mlxImportedFunction) { mlxImportedFunctionFree(c) }, fn.c)
	return fn, nil
}

func (fn *importedFunction) apply(args []*Array, kwargs map[string]*Array, withKwargs bool) ([]*Array, error) {
	const op = "import_function"
	a, err := handles(op, args)
	if err != nil {
		return nil, err
	}
	var kw mlxMapStringToArray
	if withKwargs {
		kw = mapArraysArg(op, kwargs, &err)
		defer freeMapArraysOut(kw)
		if err != nil {
			return nil, err
		}
	}
	var res mlxVectorArray
	msg := gomlxImportedApply(fn.c, &a[0], csize(len(args)), kw, &res)
	runtime.KeepAlive(args)
	runtime.KeepAlive(kwargs)
	runtime.KeepAlive(fn)
	r, err := vectorResult(op, msg, &res)
	if err != nil {
		return nil, err
	}
	return r[0], nil
}
