//go:build !cgo

package mlx

// The purego build's versions of kernels_cgo.go's shims; backend 0 is
// Metal, 1 CUDA, with the same mlx-c functions under each prefix.

import (
	"runtime"
	"unsafe"
)

type kernelSyms struct {
	new, free, apply, configNew, configFree, addOutput, setGrid, setThreadGroup,
	tmplInt, tmplBool, tmplDtype, setInit, setVerbose *sym
}

func newKernelSyms(b string) kernelSyms {
	n := func(s string) *sym { return newSym("mlx_fast_" + b + "_kernel_" + s) }
	return kernelSyms{
		new: n("new"), free: n("free"), apply: n("apply"), configNew: n("config_new"), configFree: n("config_free"),
		addOutput: n("config_add_output_arg"), setGrid: n("config_set_grid"), setThreadGroup: n("config_set_thread_group"),
		tmplInt: n("config_add_template_arg_int"), tmplBool: n("config_add_template_arg_bool"),
		tmplDtype: n("config_add_template_arg_dtype"), setInit: n("config_set_init_value"), setVerbose: n("config_set_verbose"),
	}
}

var kernelBackends = [2]kernelSyms{newKernelSyms("metal"), newKernelSyms("cuda")}

func gomlxKernelNew(backend cint, name *cchar, in **cchar, nin csize, out **cchar, nout csize, source, header *cchar, contiguous cbool, flag cint, res *unsafe.Pointer) *cchar {
	ks := kernelBackends[backend]
	vin := ccall(symVectorStringNewData, uintptr(unsafe.Pointer(in)), uintptr(nin))
	vout := ccall(symVectorStringNewData, uintptr(unsafe.Pointer(out)), uintptr(nout))
	f := begin()
	defer f.end()
	clearThreadError()
	f.ptr(unsafe.Pointer(name))
	f.arg(vin)
	f.arg(vout)
	f.ptr(unsafe.Pointer(source))
	f.ptr(unsafe.Pointer(header))
	f.argSized(boolArg(contiguous), 1)
	if backend == 0 {
		f.argSized(boolArg(flag != 0), 1)
	} else {
		f.arg32(uintptr(flag))
	}
	*res = cptr(f.callRaw(ks.new))
	ccall(symVectorStringFree, vin)
	ccall(symVectorStringFree, vout)
	if *res == nil {
		return f.takeError()
	}
	return nil
}

func gomlxKernelFree(backend cint, k unsafe.Pointer) { ccall(kernelBackends[backend].free, uintptr(k)) }

func gomlxKernelApply(backend cint, k unsafe.Pointer, in *mlxArray, nin csize, shapes, ndims, dtypes *cint, nout csize,
	dims *cint, tnames **cchar, targs *cint, nt csize, hasInit cbool, init cfloat, verbose cbool, t gomlxTarget, res *mlxVectorArray) *cchar {
	ks := kernelBackends[backend]
	f := begin()
	defer f.end()
	s := f.resolve(t)
	iv := f.vector(in, nin)
	c := ccall(ks.configNew)
	ok := c != 0
	nd := unsafe.Slice(ndims, int(nout))
	dt := unsafe.Slice(dtypes, int(nout))
	off := 0
	for i := 0; i < int(nout) && ok; i++ {
		ok = ccallOK(ks.addOutput, c, uintptr(unsafe.Pointer(unsafe.Add(unsafe.Pointer(shapes), 4*off))), uintptr(nd[i]), uintptr(dt[i]))
		off += int(nd[i])
	}
	d := unsafe.Slice(dims, 6)
	ok = ok && ccallOK(ks.setGrid, c, uintptr(d[0]), uintptr(d[1]), uintptr(d[2]))
	ok = ok && ccallOK(ks.setThreadGroup, c, uintptr(d[3]), uintptr(d[4]), uintptr(d[5]))
	names := unsafe.Slice(tnames, int(nt))
	ta := unsafe.Slice(targs, 2*int(nt))
	for i := 0; i < int(nt) && ok; i++ {
		v := ta[2*i+1]
		switch ta[2*i] {
		case 0:
			ok = ccallOK(ks.tmplInt, c, uintptr(unsafe.Pointer(names[i])), uintptr(v))
		case 1:
			ok = ccallOK(ks.tmplBool, c, uintptr(unsafe.Pointer(names[i])), boolArg(v != 0))
		default:
			ok = ccallOK(ks.tmplDtype, c, uintptr(unsafe.Pointer(names[i])), uintptr(v))
		}
	}
	if ok && hasInit {
		g := begin()
		g.arg(c)
		g.float32(init)
		ok = g.call(ks.setInit)
		g.end()
	}
	ok = ok && ccallOK(ks.setVerbose, c, boolArg(verbose))
	if ok {
		ok = ccallOK(ks.apply, uintptr(unsafe.Pointer(res)), uintptr(k), iv, c, s)
	}
	if c != 0 {
		ccall(ks.configFree, c)
	}
	f.freeVector(iv)
	runtime.KeepAlive(in)
	if ok {
		return nil
	}
	return takeThreadError()
}
