//go:build !cgo

package mlx

import "unsafe"

// Shims the purego build does not port yet: they fail with this message.
const notPorted = "not available in builds without cgo yet (build with CGO_ENABLED=1)"

func gomlxIoLoad(r mlxIoReader, t gomlxTarget) gomlxArrayResult {
	return gomlxArrayResult{err: cString(notPorted)}
}
func gomlxIoLoadSafetensors(r mlxIoReader, t gomlxTarget, arrays *mlxMapStringToArray, metadata *mlxMapStringToString) *cchar {
	return cString(notPorted)
}
func gomlxIoReaderNew(h cuintptr, label *cchar) mlxIoReader { return mlxIoReader{} }
func gomlxIoWriterNew(h cuintptr, label *cchar) mlxIoWriter { return mlxIoWriter{} }
func gomlxIoSave(w mlxIoWriter, a mlxArray) *cchar          { return cString(notPorted) }
func gomlxIoSaveSafetensors(w mlxIoWriter, arrays mlxMapStringToArray, metadata mlxMapStringToString) *cchar {
	return cString(notPorted)
}

func gomlxKernelApply(backend cint, k unsafe.Pointer, in *mlxArray, nin csize, shapes *cint, ndims *cint, dtypes *cint, nout csize, dims *cint, tnames **cchar, targs *cint, nt csize, hasInit cbool, init cfloat, verbose cbool, t gomlxTarget, res *mlxVectorArray) *cchar {
	return cString(notPorted)
}
func gomlxKernelFree(backend cint, k unsafe.Pointer) {}
func gomlxKernelNew(backend cint, name *cchar, in **cchar, nin csize, out **cchar, nout csize, source *cchar, header *cchar, contiguous cbool, flag cint, res *unsafe.Pointer) *cchar {
	return cString(notPorted)
}

func gomlxGgufGet(kind cint, g mlxIoGguf, key *cchar, rc *cint, arr *mlxArray, str **cchar, strs *mlxVectorString) *cchar {
	return cString(notPorted)
}
func gomlxGgufHas(kind cint, g mlxIoGguf, key *cchar, flag *cbool) *cchar { return cString(notPorted) }
func gomlxGgufKeys(g mlxIoGguf, keys *mlxVectorString) *cchar             { return cString(notPorted) }
func gomlxGgufLoad(file *cchar, t gomlxTarget, res *mlxIoGguf) *cchar     { return cString(notPorted) }
func gomlxGgufNew(res *mlxIoGguf) *cchar                                  { return cString(notPorted) }
func gomlxGgufSave(file *cchar, g mlxIoGguf) *cchar                       { return cString(notPorted) }
func gomlxGgufSet(kind cint, g mlxIoGguf, key *cchar, arr mlxArray, str *cchar, strs **cchar, n csize) *cchar {
	return cString(notPorted)
}
func gomlxStringsGet(v mlxVectorString, i csize) *cchar { return nil }
func gomlxStringsSize(v mlxVectorString) csize          { return 0 }
func mlxIoGgufFree(io mlxIoGguf) cint                   { return 0 }

func gomlxGraphText(dot cint, namer mlxNodeNamer, a *mlxArray, n csize, text **cchar, size *csize) *cchar {
	return cString(notPorted)
}
func gomlxNodeNamerGetName(namer mlxNodeNamer, a mlxArray, name **cchar) *cchar {
	return cString(notPorted)
}
func gomlxNodeNamerNew(res *mlxNodeNamer) *cchar { return cString(notPorted) }
func gomlxNodeNamerSetName(namer mlxNodeNamer, a mlxArray, name *cchar) *cchar {
	return cString(notPorted)
}
func mlxNodeNamerFree(namer mlxNodeNamer) cint { return 0 }

func gomlxDistributedGroupInfo(g mlxDistributedGroup, rank *cint, size *cint) *cchar {
	return cString(notPorted)
}
func gomlxDistributedGroupSplit(g mlxDistributedGroup, color cint, key cint, res *mlxDistributedGroup) *cchar {
	return cString(notPorted)
}
func gomlxDistributedInit(strict cbool, backend *cchar, res *mlxDistributedGroup) *cchar {
	return cString(notPorted)
}
func gomlxDistributedIsAvailable(backend *cchar) cint        { return 0 }
func mlxDistributedGroupFree(group mlxDistributedGroup) cint { return 0 }
