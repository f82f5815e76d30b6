//go:build !cgo

package mlx

// The purego build's versions of graph_cgo.go's shims. MLX writes graphs to
// a C FILE*: an in-memory stream from the C library (open_memstream).

import (
	"runtime"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

var (
	symPrintGraph       = newSym("mlx_print_graph")
	symExportToDot      = newSym("mlx_export_to_dot")
	symNodeNamerNew     = newSym("mlx_node_namer_new")
	symNodeNamerFree    = newSym("mlx_node_namer_free")
	symNodeNamerSetName = newSym("mlx_node_namer_set_name")
	symNodeNamerGetName = newSym("mlx_node_namer_get_name")

	libcOnce                                sync.Once
	libcOpenMemstream, libcFclose, libcFree uintptr
)

func loadLibc() bool {
	libcOnce.Do(func() {
		name := "libc.so.6"
		if runtime.GOOS == "darwin" {
			name = "/usr/lib/libSystem.B.dylib"
		}
		h, err := purego.Dlopen(name, purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			return
		}
		libcOpenMemstream, _ = purego.Dlsym(h, "open_memstream")
		libcFclose, _ = purego.Dlsym(h, "fclose")
		libcFree, _ = purego.Dlsym(h, "free")
	})
	return libcOpenMemstream != 0 && libcFclose != 0 && libcFree != 0
}

func gomlxGraphText(dot cint, namer mlxNodeNamer, a *mlxArray, n csize, text **cchar, size *csize) *cchar {
	*text, *size = nil, 0
	if !loadLibc() {
		return cString("cannot find open_memstream in the C library")
	}
	f := begin()
	defer f.end()
	if f.err != nil {
		return cString(f.err.Error())
	}
	buf := new([2]uintptr) // char* and size_t, written by the C library
	file := rawCall(libcOpenMemstream, uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&buf[1])))
	if file == 0 {
		return cString("cannot open an in-memory stream")
	}
	var fresh uintptr
	if namer.ctx == nil {
		fresh = ccall(symNodeNamerNew)
		namer.ctx = cptr(fresh)
	}
	v := f.vector(a, n)
	clearThreadError()
	ok := false
	if namer.ctx != nil {
		s := symPrintGraph
		if dot != 0 {
			s = symExportToDot
		}
		ok = ccallOK(s, file, uintptr(namer.ctx), v)
	}
	f.freeVector(v)
	if fresh != 0 {
		ccall(symNodeNamerFree, fresh)
	}
	closed := int32(rawCall(libcFclose, file)) == 0
	data := buf[0]
	defer rawCall(libcFree, data)
	if !ok {
		return takeThreadError()
	}
	if !closed {
		return cString("cannot write to an in-memory stream")
	}
	s := unsafe.String((*byte)(cptr(data)), int(buf[1]))
	*text = cString(s)
	*size = csize(len(s))
	return nil
}

func gomlxNodeNamerNew(res *mlxNodeNamer) *cchar {
	f := begin()
	defer f.end()
	clearThreadError()
	res.ctx = cptr(f.callRaw(symNodeNamerNew))
	if res.ctx == nil {
		return f.takeError()
	}
	return nil
}

func mlxNodeNamerFree(namer mlxNodeNamer) cint {
	return cint(ccall(symNodeNamerFree, uintptr(namer.ctx)))
}

func gomlxNodeNamerSetName(namer mlxNodeNamer, a mlxArray, name *cchar) *cchar {
	return ccallStatus(symNodeNamerSetName, uintptr(namer.ctx), uintptr(a.ctx), uintptr(unsafe.Pointer(name)))
}

// The name lives in the namer and changes with it: copied here.
func gomlxNodeNamerGetName(namer mlxNodeNamer, a mlxArray, name **cchar) *cchar {
	var s *cchar
	msg := ccallStatus(symNodeNamerGetName, uintptr(unsafe.Pointer(&s)), uintptr(namer.ctx), uintptr(a.ctx))
	if msg == nil {
		*name = cString(goString(s))
	}
	return msg
}
