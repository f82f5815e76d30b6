//go:build !cgo

package mlx

// Closures over Go functions and the transforms that take them (the purego
// build's versions of capi.c's trampolines, closure_extra.c and the
// preambles of transforms_cgo.go, closure_kwargs_cgo.go and
// exporter_cgo.go). The trampolines are purego callbacks, made once; each
// closure's payload is a handle of its Go function.

import (
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

var (
	callbacksOnce sync.Once
	cbClosure     uintptr
	cbCustom      uintptr
	cbCustomJVP   uintptr
	cbKwargs      uintptr
	cbVmap        uintptr
	cbRelease     uintptr
)

func vecArg(u uintptr) mlxVectorArray { return mlxVectorArray{cptr(u)} }

func makeCallbacks() {
	callbacksOnce.Do(func() {
		cbClosure = purego.NewCallback(func(res, input, payload uintptr) uintptr {
			return uintptr(uint32(callFunc(cuintptr(payload), (*mlxVectorArray)(cptr(res)), vecArg(input))))
		})
		cbCustom = purego.NewCallback(func(res, primals, cotangents, outputs, payload uintptr) uintptr {
			return uintptr(uint32(callVJP(cuintptr(payload), (*mlxVectorArray)(cptr(res)), vecArg(primals), vecArg(cotangents), vecArg(outputs))))
		})
		cbCustomJVP = purego.NewCallback(func(res, primals, tangents, argnums, n, payload uintptr) uintptr {
			return uintptr(uint32(callJVP(cuintptr(payload), (*mlxVectorArray)(cptr(res)), vecArg(primals), vecArg(tangents), (*cint)(cptr(argnums)), csize(n))))
		})
		cbKwargs = purego.NewCallback(func(res, input, kwargs, payload uintptr) uintptr {
			return uintptr(uint32(callKwargsFunc(cuintptr(payload), (*mlxVectorArray)(cptr(res)), vecArg(input), mlxMapStringToArray{cptr(kwargs)})))
		})
		cbVmap = purego.NewCallback(func(res, outAxes, input, axes, n, payload uintptr) uintptr {
			return uintptr(uint32(callVmap(cuintptr(payload), (*mlxVectorArray)(cptr(res)), (*mlxVectorInt)(cptr(outAxes)), vecArg(input), (*cint)(cptr(axes)), csize(n))))
		})
		cbRelease = purego.NewCallback(func(payload uintptr) { releaseHandle(cuintptr(payload)) })
	})
}

var (
	symClosureNewFuncPayload           = newSym("mlx_closure_new_func_payload")
	symClosureCustomNewFuncPayload     = newSym("mlx_closure_custom_new_func_payload")
	symClosureCustomJvpNewFuncPayload  = newSym("mlx_closure_custom_jvp_new_func_payload")
	symClosureKwargsNewFuncPayload     = newSym("mlx_closure_kwargs_new_func_payload")
	symClosureCustomVmapNewFuncPayload = newSym("mlx_closure_custom_vmap_new_func_payload")
	symClosureNew                      = newSym("mlx_closure_new")
	symClosureFree                     = newSym("mlx_closure_free")
	symClosureCustomNew                = newSym("mlx_closure_custom_new")
	symClosureCustomFree               = newSym("mlx_closure_custom_free")
	symClosureCustomJvpNew             = newSym("mlx_closure_custom_jvp_new")
	symClosureCustomJvpFree            = newSym("mlx_closure_custom_jvp_free")
	symClosureCustomVmapNew            = newSym("mlx_closure_custom_vmap_new")
	symClosureCustomVmapFree           = newSym("mlx_closure_custom_vmap_free")
	symClosureKwargsFree               = newSym("mlx_closure_kwargs_free")
	symClosureApply                    = newSym("mlx_closure_apply")
	symClosureValueAndGradNew          = newSym("mlx_closure_value_and_grad_new")
	symClosureValueAndGradFree         = newSym("mlx_closure_value_and_grad_free")
	symClosureValueAndGradApply        = newSym("mlx_closure_value_and_grad_apply")
	symValueAndGrad                    = newSym("mlx_value_and_grad")
	symVjp                             = newSym("mlx_vjp")
	symJvp                             = newSym("mlx_jvp")
	symVectorArrayNew                  = newSym("mlx_vector_array_new")
	symDetailVmapTrace                 = newSym("mlx_detail_vmap_trace")
	symDetailVmapReplace               = newSym("mlx_detail_vmap_replace")
	symDetailCompile                   = newSym("mlx_detail_compile")
	symDetailCompileErase              = newSym("mlx_detail_compile_erase")
	symCheckpoint                      = newSym("mlx_checkpoint")
	symCustomFunction                  = newSym("mlx_custom_function")
	symExportFunction                  = newSym("mlx_export_function")
	symExportFunctionKwargs            = newSym("mlx_export_function_kwargs")
	symImportedFunctionNew             = newSym("mlx_imported_function_new")
	symImportedFunctionFree            = newSym("mlx_imported_function_free")
	symImportedFunctionApply           = newSym("mlx_imported_function_apply")
	symImportedFunctionApplyKwargs     = newSym("mlx_imported_function_apply_kwargs")
	symFunctionExporterNew             = newSym("mlx_function_exporter_new")
	symFunctionExporterFree            = newSym("mlx_function_exporter_free")
	symFunctionExporterApply           = newSym("mlx_function_exporter_apply")
	symFunctionExporterApplyKwargs     = newSym("mlx_function_exporter_apply_kwargs")
)

func closureNew(h cuintptr) uintptr {
	makeCallbacks()
	return ccall(symClosureNewFuncPayload, cbClosure, uintptr(h), cbRelease)
}

func vec(a *mlxArray, n csize) uintptr {
	return ccall(symVectorArrayNewData, uintptr(unsafe.Pointer(a)), uintptr(n))
}

// inTransform runs call holding the transform lock, with this thread's
// defaults in sync and no stale error of a Go function, on one OS thread.
func inTransform(call func() bool) *cchar {
	f := begin()
	defer f.end()
	if f.err != nil {
		return cString(f.err.Error())
	}
	tid := gettid()
	transformEnterOn(tid)
	syncThreadDefaultsOn(tid)
	gomlxSetClosureError(nil)
	ok := call()
	transformExit()
	if ok {
		return nil
	}
	return takeThreadError()
}

func gomlxVjpJvp(jvp cint, fn cuintptr, pr *mlxArray, np csize, v *mlxArray, nv csize, outs, prods *mlxVectorArray) *cchar {
	cl := closureNew(fn)
	pv, vv := vec(pr, np), vec(v, nv)
	s := symVjp
	if jvp != 0 {
		s = symJvp
	}
	msg := inTransform(func() bool {
		return ccallOK(s, uintptr(unsafe.Pointer(outs)), uintptr(unsafe.Pointer(prods)), cl, pv, vv)
	})
	ccall(symVectorArrayFree, pv)
	ccall(symVectorArrayFree, vv)
	ccall(symClosureFree, cl)
	return msg
}

func gomlxValueAndGrad(fn cuintptr, argnums *cint, n csize, res *mlxClosureValueAndGrad) *cchar {
	cl := closureNew(fn)
	res.ctx = cptr(ccall(symClosureValueAndGradNew))
	msg := ccallStatus(symValueAndGrad, uintptr(unsafe.Pointer(res)), cl, uintptr(unsafe.Pointer(argnums)), uintptr(n))
	ccall(symClosureFree, cl)
	return msg
}

func gomlxValueAndGradApply(vg mlxClosureValueAndGrad, a *mlxArray, n csize, values, grads *mlxVectorArray) *cchar {
	av := vec(a, n)
	msg := inTransform(func() bool {
		return ccallOK(symClosureValueAndGradApply, uintptr(unsafe.Pointer(values)), uintptr(unsafe.Pointer(grads)), p(vg.ctx), av)
	})
	ccall(symVectorArrayFree, av)
	return msg
}

func gomlxClosureApply(cl mlxClosure, a *mlxArray, n csize, res *mlxVectorArray) *cchar {
	av := vec(a, n)
	msg := inTransform(func() bool {
		return ccallOK(symClosureApply, uintptr(unsafe.Pointer(res)), p(cl.ctx), av)
	})
	ccall(symVectorArrayFree, av)
	return msg
}

func gomlxVmap(fn cuintptr, a *mlxArray, n csize, inAxes *cint, nin csize, outAxes *cint, nout csize, res *mlxVectorArray) *cchar {
	cl := closureNew(fn)
	av := vec(a, n)
	var sIn, sOut mlxVectorArray
	sIn.ctx = cptr(ccall(symVectorArrayNew))
	sOut.ctx = cptr(ccall(symVectorArrayNew))
	msg := inTransform(func() bool {
		if !ccallOK(symDetailVmapTrace, uintptr(unsafe.Pointer(&sIn)), uintptr(unsafe.Pointer(&sOut)), cl, av, uintptr(unsafe.Pointer(inAxes)), uintptr(nin)) {
			return false
		}
		return ccallOK(symDetailVmapReplace, uintptr(unsafe.Pointer(res)), av, p(sIn.ctx), p(sOut.ctx),
			uintptr(unsafe.Pointer(inAxes)), uintptr(nin), uintptr(unsafe.Pointer(outAxes)), uintptr(nout))
	})
	ccall(symVectorArrayFree, p(sIn.ctx))
	ccall(symVectorArrayFree, p(sOut.ctx))
	ccall(symVectorArrayFree, av)
	ccall(symClosureFree, cl)
	return msg
}

// gomlxWrapClosure: see gomlx_wrap_closure in transforms_cgo.go.
func gomlxWrapClosure(kind cint, fn, g, id, v cuintptr, res *mlxClosure) *cchar {
	makeCallbacks()
	cl := closureNew(fn)
	res.ctx = cptr(ccall(symClosureNew))
	var msg *cchar
	switch kind {
	case 0, 1:
		f := begin()
		f.ptr(unsafe.Pointer(res))
		f.arg(cl)
		f.arg(uintptr(id))
		f.argSized(boolArg(kind == 1), 1)
		f.arg(0)
		f.arg(0)
		msg = f.status(symDetailCompile)
		f.end()
	case 2:
		msg = ccallStatus(symCheckpoint, uintptr(unsafe.Pointer(res)), cl)
	default:
		vjp := ccall(symClosureCustomNew)
		if g != 0 {
			vjp = ccall(symClosureCustomNewFuncPayload, cbCustom, uintptr(g), cbRelease)
		}
		jvp := ccall(symClosureCustomJvpNew)
		if id != 0 {
			jvp = ccall(symClosureCustomJvpNewFuncPayload, cbCustomJVP, uintptr(id), cbRelease)
		}
		vm := ccall(symClosureCustomVmapNew)
		if v != 0 {
			vm = ccall(symClosureCustomVmapNewFuncPayload, cbVmap, uintptr(v), cbRelease)
		}
		msg = ccallStatus(symCustomFunction, uintptr(unsafe.Pointer(res)), cl, vjp, jvp, vm)
		if vjp != 0 {
			ccall(symClosureCustomFree, vjp)
		}
		if jvp != 0 {
			ccall(symClosureCustomJvpFree, jvp)
		}
		if vm != 0 {
			ccall(symClosureCustomVmapFree, vm)
		}
	}
	ccall(symClosureFree, cl)
	return msg
}

func gomlxClosureRelease(c mlxClosure, id cuintptr) {
	ccall(symClosureFree, p(c.ctx))
	if id != 0 && !ccallOK(symDetailCompileErase, uintptr(id)) {
		clearThreadError()
	}
}

func mlxClosureFree(c mlxClosure) cint { return cint(ccall(symClosureFree, p(c.ctx))) }
func mlxClosureValueAndGradFree(c mlxClosureValueAndGrad) cint {
	return cint(ccall(symClosureValueAndGradFree, p(c.ctx)))
}
func mlxImportedFunctionFree(fn mlxImportedFunction) cint {
	return cint(ccall(symImportedFunctionFree, p(fn.ctx)))
}

func gomlxExportFunction(file *cchar, fn cuintptr, a *mlxArray, n csize, shapeless cbool) *cchar {
	cl := closureNew(fn)
	av := vec(a, n)
	msg := inTransform(func() bool {
		f := begin()
		defer f.end()
		f.ptr(unsafe.Pointer(file))
		f.arg(cl)
		f.arg(av)
		f.argSized(boolArg(shapeless), 1)
		return f.call(symExportFunction)
	})
	ccall(symVectorArrayFree, av)
	ccall(symClosureFree, cl)
	return msg
}

func gomlxExportFunctionKwargs(file *cchar, fn cuintptr, a *mlxArray, n csize, kw mlxMapStringToArray, shapeless cbool) *cchar {
	makeCallbacks()
	cl := ccall(symClosureKwargsNewFuncPayload, cbKwargs, uintptr(fn), cbRelease)
	av := vec(a, n)
	msg := inTransform(func() bool {
		f := begin()
		defer f.end()
		f.ptr(unsafe.Pointer(file))
		f.arg(cl)
		f.arg(av)
		f.arg(p(kw.ctx))
		f.argSized(boolArg(shapeless), 1)
		return f.call(symExportFunctionKwargs)
	})
	ccall(symVectorArrayFree, av)
	ccall(symClosureKwargsFree, cl)
	return msg
}

func gomlxImportFunction(file *cchar, res *mlxImportedFunction) *cchar {
	f := begin()
	defer f.end()
	clearThreadError()
	f.ptr(unsafe.Pointer(file))
	res.ctx = cptr(f.callRaw(symImportedFunctionNew))
	if res.ctx == nil {
		return f.takeError()
	}
	return nil
}

func gomlxImportedApply(fn mlxImportedFunction, a *mlxArray, n csize, kw mlxMapStringToArray, res *mlxVectorArray) *cchar {
	av := vec(a, n)
	msg := inTransform(func() bool {
		if kw.ctx != nil {
			return ccallOK(symImportedFunctionApplyKwargs, uintptr(unsafe.Pointer(res)), p(fn.ctx), av, p(kw.ctx))
		}
		return ccallOK(symImportedFunctionApply, uintptr(unsafe.Pointer(res)), p(fn.ctx), av)
	})
	ccall(symVectorArrayFree, av)
	return msg
}

func gomlxExporterNew(file *cchar, fn cuintptr, shapeless cbool, res *mlxFunctionExporter) *cchar {
	cl := closureNew(fn)
	f := begin()
	defer f.end()
	clearThreadError()
	f.ptr(unsafe.Pointer(file))
	f.arg(cl)
	f.argSized(boolArg(shapeless), 1)
	res.ctx = cptr(f.callRaw(symFunctionExporterNew))
	ccall(symClosureFree, cl)
	if res.ctx == nil {
		return f.takeError()
	}
	return nil
}

func gomlxExporterApply(x mlxFunctionExporter, a *mlxArray, n csize, kw mlxMapStringToArray) *cchar {
	av := vec(a, n)
	msg := inTransform(func() bool {
		if kw.ctx != nil {
			return ccallOK(symFunctionExporterApplyKwargs, p(x.ctx), av, p(kw.ctx))
		}
		return ccallOK(symFunctionExporterApply, p(x.ctx), av)
	})
	ccall(symVectorArrayFree, av)
	return msg
}

func gomlxExporterFree(x mlxFunctionExporter) {
	if !ccallOK(symFunctionExporterFree, p(x.ctx)) {
		clearThreadError()
	}
}
