//go:build !cgo

package mlx

// The purego build's versions of the shims of gguf_cgo.go,
// distributed_cgo.go, io_stream.c and graph_cgo.go.

import (
	"runtime"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

// hasThreadError reports whether MLX raised an error on this thread since
// the last clearThreadError (mlx-c functions that cannot return a status).
func hasThreadError() bool {
	_, ok := errSlots.Load(getg())
	return ok
}

// ---- GGUF ----

var (
	symIoGgufNew                     = newSym("mlx_io_gguf_new")
	symIoGgufFree                    = newSym("mlx_io_gguf_free")
	symLoadGguf                      = newSym("mlx_load_gguf")
	symSaveGguf                      = newSym("mlx_save_gguf")
	symIoGgufGetKeys                 = newSym("mlx_io_gguf_get_keys")
	symIoGgufGetArray                = newSym("mlx_io_gguf_get_array")
	symIoGgufGetMetadataArray        = newSym("mlx_io_gguf_get_metadata_array")
	symIoGgufGetMetadataString       = newSym("mlx_io_gguf_get_metadata_string")
	symIoGgufGetMetadataVectorString = newSym("mlx_io_gguf_get_metadata_vector_string")
	symIoGgufHasMetadataArray        = newSym("mlx_io_gguf_has_metadata_array")
	symIoGgufHasMetadataString       = newSym("mlx_io_gguf_has_metadata_string")
	symIoGgufHasMetadataVectorString = newSym("mlx_io_gguf_has_metadata_vector_string")
	symIoGgufSetArray                = newSym("mlx_io_gguf_set_array")
	symIoGgufSetMetadataArray        = newSym("mlx_io_gguf_set_metadata_array")
	symIoGgufSetMetadataString       = newSym("mlx_io_gguf_set_metadata_string")
	symIoGgufSetMetadataVectorString = newSym("mlx_io_gguf_set_metadata_vector_string")
	symVectorStringNewData           = newSym("mlx_vector_string_new_data")
)

func gomlxGgufNew(res *mlxIoGguf) *cchar {
	f := begin()
	defer f.end()
	clearThreadError()
	res.ctx = cptr(f.callRaw(symIoGgufNew))
	if res.ctx == nil {
		return f.takeError()
	}
	return nil
}

func mlxIoGgufFree(g mlxIoGguf) cint { return cint(ccall(symIoGgufFree, uintptr(g.ctx))) }

func gomlxGgufLoad(file *cchar, t gomlxTarget, res *mlxIoGguf) *cchar {
	res.ctx = nil
	f := begin()
	defer f.end()
	f.ptr(unsafe.Pointer(res))
	f.ptr(unsafe.Pointer(file))
	f.arg(f.resolve(t))
	return f.status(symLoadGguf)
}

// Saving evaluates the arrays: on the MLX thread.
func gomlxGgufSave(file *cchar, g mlxIoGguf) *cchar {
	return ownerCall(func(f *frame) bool {
		f.ptr(unsafe.Pointer(file))
		f.arg(uintptr(g.ctx))
		return f.call(symSaveGguf)
	})
}

func gomlxGgufKeys(g mlxIoGguf, keys *mlxVectorString) *cchar {
	keys.ctx = cptr(ccall(symVectorStringNew))
	return ccallStatus(symIoGgufGetKeys, uintptr(unsafe.Pointer(keys)), uintptr(g.ctx))
}

func gomlxStringsSize(v mlxVectorString) csize { return mlxVectorStringSize(v) }

func gomlxStringsGet(v mlxVectorString, i csize) *cchar {
	var s *cchar
	if mlxVectorStringGet(&s, v, i) != 0 {
		takeThreadError()
		return nil
	}
	return cString(goString(s))
}

// gguf lookups: *rc is mlx-c's status, 2 for a missing key, 3 for a value of
// another type; an MLX error (rc 1) comes back as the message.
func gomlxGgufGet(kind cint, g mlxIoGguf, key *cchar, rc *cint, arr *mlxArray, str **cchar, strs *mlxVectorString) *cchar {
	f := begin()
	defer f.end()
	switch kind {
	case gomlxGgufArray, gomlxGgufMetaArray:
		*arr = mlxArrayNew()
		s := symIoGgufGetArray
		if kind == gomlxGgufMetaArray {
			s = symIoGgufGetMetadataArray
		}
		*rc = cint(ccall(s, uintptr(unsafe.Pointer(arr)), uintptr(g.ctx), uintptr(unsafe.Pointer(key))))
	case gomlxGgufMetaString:
		ms := ccall(symStringNew)
		*rc = cint(ccall(symIoGgufGetMetadataString, uintptr(unsafe.Pointer(&ms)), uintptr(g.ctx), uintptr(unsafe.Pointer(key))))
		if *rc == 0 {
			*str = cString(goString((*cchar)(cptr(ccall(symStringData, ms)))))
		}
		ccall(symStringFree, ms)
	default:
		strs.ctx = cptr(ccall(symVectorStringNew))
		*rc = cint(ccall(symIoGgufGetMetadataVectorString, uintptr(unsafe.Pointer(strs)), uintptr(g.ctx), uintptr(unsafe.Pointer(key))))
	}
	if *rc == 1 {
		return takeThreadError()
	}
	return nil
}

func gomlxGgufHas(kind cint, g mlxIoGguf, key *cchar, flag *cbool) *cchar {
	f := begin()
	defer f.end()
	var s *sym
	switch kind {
	case gomlxGgufMetaArray:
		s = symIoGgufHasMetadataArray
	case gomlxGgufMetaString:
		s = symIoGgufHasMetadataString
	default:
		s = symIoGgufHasMetadataVectorString
	}
	var b uint64
	rc := cint(ccall(s, uintptr(unsafe.Pointer(&b)), uintptr(g.ctx), uintptr(unsafe.Pointer(key))))
	*flag = b&0xff != 0
	if rc == 1 {
		return takeThreadError()
	}
	return nil // 2: missing, *flag false
}

func gomlxGgufSet(kind cint, g mlxIoGguf, key *cchar, arr mlxArray, str *cchar, strs **cchar, n csize) *cchar {
	f := begin()
	defer f.end()
	var ok bool
	switch kind {
	case gomlxGgufArray:
		ok = ccallOK(symIoGgufSetArray, uintptr(g.ctx), uintptr(unsafe.Pointer(key)), uintptr(arr.ctx))
	case gomlxGgufMetaArray:
		ok = ccallOK(symIoGgufSetMetadataArray, uintptr(g.ctx), uintptr(unsafe.Pointer(key)), uintptr(arr.ctx))
	case gomlxGgufMetaString:
		ok = ccallOK(symIoGgufSetMetadataString, uintptr(g.ctx), uintptr(unsafe.Pointer(key)), uintptr(unsafe.Pointer(str)))
	default:
		v := ccall(symVectorStringNewData, uintptr(unsafe.Pointer(strs)), uintptr(n))
		ok = ccallOK(symIoGgufSetMetadataVectorString, uintptr(g.ctx), uintptr(unsafe.Pointer(key)), v)
		ccall(symVectorStringFree, v)
	}
	if ok {
		return nil
	}
	return takeThreadError()
}

// ---- Distributed ----

var (
	symDistributedGroupNew   = newSym("mlx_distributed_group_new")
	symDistributedGroupFree  = newSym("mlx_distributed_group_free")
	symDistributedInit       = newSym("mlx_distributed_init")
	symDistributedGroupRank  = newSym("mlx_distributed_group_rank")
	symDistributedGroupSize  = newSym("mlx_distributed_group_size")
	symDistributedGroupSplit = newSym("mlx_distributed_group_split")
	symDistributedIsAvail    = newSym("mlx_distributed_is_available")
)

func mlxDistributedGroupFree(g mlxDistributedGroup) cint {
	return cint(ccall(symDistributedGroupFree, uintptr(g.ctx)))
}

func gomlxDistributedInit(strict cbool, backend *cchar, res *mlxDistributedGroup) *cchar {
	var out mlxDistributedGroup
	run := func(*frame) bool {
		out.ctx = cptr(ccall(symDistributedGroupNew))
		ok := ccallOK(symDistributedInit, uintptr(unsafe.Pointer(&out)), boolArg(strict), uintptr(unsafe.Pointer(backend)))
		if !ok && out.ctx != nil {
			// keep the error: freeing may not raise one
			ccall(symDistributedGroupFree, uintptr(out.ctx))
			out.ctx = nil
		}
		return ok
	}
	var msg *cchar
	if transformDepth() > 0 {
		// See gomlx_distributed_init: this thread holds the transform lock.
		f := begin()
		clearThreadError()
		if !run(f) {
			msg = f.takeError()
		}
		f.end()
	} else {
		msg = ownerCall(run)
	}
	*res = out
	runtime.KeepAlive(backend)
	return msg
}

func gomlxDistributedGroupInfo(g mlxDistributedGroup, rank, size *cint) *cchar {
	f := begin()
	defer f.end()
	clearThreadError()
	*rank = cint(ccall(symDistributedGroupRank, uintptr(g.ctx)))
	if hasThreadError() {
		return takeThreadError()
	}
	*size = cint(ccall(symDistributedGroupSize, uintptr(g.ctx)))
	if hasThreadError() {
		return takeThreadError()
	}
	return nil
}

func gomlxDistributedGroupSplit(g mlxDistributedGroup, color, key cint, res *mlxDistributedGroup) *cchar {
	f := begin()
	defer f.end()
	res.ctx = cptr(ccall(symDistributedGroupNew))
	if !ccallOK(symDistributedGroupSplit, uintptr(unsafe.Pointer(res)), uintptr(g.ctx), uintptr(color), uintptr(key)) {
		if res.ctx != nil {
			ccall(symDistributedGroupFree, uintptr(res.ctx))
		}
		res.ctx = nil
		return takeThreadError()
	}
	return nil
}

func gomlxDistributedIsAvailable(backend *cchar) cint {
	f := begin()
	defer f.end()
	clearThreadError()
	ok := ccall(symDistributedIsAvail, uintptr(unsafe.Pointer(backend)))&0xff != 0
	if hasThreadError() {
		clearThreadError()
		return 0
	}
	if ok {
		return 1
	}
	return 0
}

// ---- Readers and writers over Go (io_stream.c) ----
//
// The descriptor MLX hands back to the callbacks is the Go handle itself;
// labels live in Go memory until MLX frees the descriptor.

var (
	symIoReaderNew           = newSym("mlx_io_reader_new")
	symIoReaderFree          = newSym("mlx_io_reader_free")
	symIoWriterNew           = newSym("mlx_io_writer_new")
	symIoWriterFree          = newSym("mlx_io_writer_free")
	symLoadReader            = newSym("mlx_load_reader")
	symLoadSafetensorsReader = newSym("mlx_load_safetensors_reader")
	symSaveWriter            = newSym("mlx_save_writer")
	symSaveSafetensorsWriter = newSym("mlx_save_safetensors_writer")
	ioVtableOnce             sync.Once
	ioVtable                 [9]uintptr // mlx_io_vtable: nine function pointers
	ioLabels                 sync.Map   // handle -> label (*cchar)
)

func makeIOVtable() {
	ioVtableOnce.Do(func() {
		b := func(v bool) uintptr {
			if v {
				return 1
			}
			return 0
		}
		good := purego.NewCallback(func(d uintptr) uintptr { return b(bool(ioGood(cuintptr(d)))) })
		ioVtable = [9]uintptr{
			good, // is_open
			good,
			purego.NewCallback(func(d uintptr) uintptr { return uintptr(ioTell(cuintptr(d))) }),
			purego.NewCallback(func(d uintptr, off int64, whence int32) { ioSeek(cuintptr(d), off, whence) }),
			purego.NewCallback(func(d, data, n uintptr) { ioRead(cuintptr(d), (*cchar)(cptr(data)), csize(n)) }),
			purego.NewCallback(func(d, data, n, off uintptr) {
				ioReadAt(cuintptr(d), (*cchar)(cptr(data)), csize(n), csize(off))
			}),
			purego.NewCallback(func(d, data, n uintptr) { ioWrite(cuintptr(d), (*cchar)(cptr(data)), csize(n)) }),
			purego.NewCallback(func(d uintptr) uintptr {
				if l, ok := ioLabels.Load(d); ok {
					return uintptr(unsafe.Pointer(l.(*cchar)))
				}
				return 0
			}),
			purego.NewCallback(func(d uintptr) {
				ioLabels.Delete(d)
				releaseHandle(cuintptr(d))
			}),
		}
	})
}

// ioNew calls mlx_io_reader_new or mlx_io_writer_new(desc, vtable). The
// vtable is a 72-byte struct passed by value: on amd64 in memory (the stack,
// after the register arguments), on arm64 as a pointer to a copy.
func ioNew(s *sym, h cuintptr, label *cchar) unsafe.Pointer {
	makeIOVtable()
	ioLabels.Store(uintptr(h), cString(goString(label)))
	f := begin()
	defer f.end()
	clearThreadError()
	f.arg(uintptr(h))
	vt := new([9]uintptr)
	*vt = ioVtable
	switch runtime.GOARCH {
	case "amd64":
		f.n = intRegs
		for _, fn := range vt {
			f.arg(fn)
		}
	default:
		f.ptr(unsafe.Pointer(vt))
	}
	r := cptr(f.callRaw(s))
	runtime.KeepAlive(vt)
	if r == nil {
		takeThreadError()
		ioLabels.Delete(uintptr(h))
	}
	return r
}

func gomlxIoReaderNew(h cuintptr, label *cchar) mlxIoReader {
	return mlxIoReader{ioNew(symIoReaderNew, h, label)}
}

func gomlxIoWriterNew(h cuintptr, label *cchar) mlxIoWriter {
	return mlxIoWriter{ioNew(symIoWriterNew, h, label)}
}

func gomlxIoLoad(r mlxIoReader, t gomlxTarget) gomlxArrayResult {
	f := begin()
	f.out(0)
	f.arg(uintptr(r.ctx))
	f.arg(f.resolve(t))
	res := f.arrayResult(symLoadReader)
	f.end()
	ccall(symIoReaderFree, uintptr(r.ctx)) // the loaded array keeps what it needs
	return res
}

func gomlxIoLoadSafetensors(r mlxIoReader, t gomlxTarget, arrays *mlxMapStringToArray, metadata *mlxMapStringToString) *cchar {
	*arrays = mlxMapStringToArrayNew()
	*metadata = mlxMapStringToStringNew()
	f := begin()
	f.ptr(unsafe.Pointer(arrays))
	f.ptr(unsafe.Pointer(metadata))
	f.arg(uintptr(r.ctx))
	f.arg(f.resolve(t))
	msg := f.status(symLoadSafetensorsReader)
	f.end()
	ccall(symIoReaderFree, uintptr(r.ctx))
	return msg
}

func gomlxIoSave(w mlxIoWriter, a mlxArray) *cchar {
	msg := ownerCall(func(f *frame) bool {
		f.arg(uintptr(w.ctx))
		f.arg(uintptr(a.ctx))
		return f.call(symSaveWriter)
	})
	ccall(symIoWriterFree, uintptr(w.ctx))
	return msg
}

func gomlxIoSaveSafetensors(w mlxIoWriter, arrays mlxMapStringToArray, metadata mlxMapStringToString) *cchar {
	msg := ownerCall(func(f *frame) bool {
		f.arg(uintptr(w.ctx))
		f.arg(uintptr(arrays.ctx))
		f.arg(uintptr(metadata.ctx))
		return f.call(symSaveSafetensorsWriter)
	})
	ccall(symIoWriterFree, uintptr(w.ctx))
	return msg
}
