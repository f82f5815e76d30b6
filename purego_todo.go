//go:build !cgo

package mlx

import "unsafe"

// Shims the purego build does not port yet: they fail with this message.
const notPorted = "not available in builds without cgo yet (build with CGO_ENABLED=1)"

func gomlxKernelApply(backend cint, k unsafe.Pointer, in *mlxArray, nin csize, shapes *cint, ndims *cint, dtypes *cint, nout csize, dims *cint, tnames **cchar, targs *cint, nt csize, hasInit cbool, init cfloat, verbose cbool, t gomlxTarget, res *mlxVectorArray) *cchar {
	return cString(notPorted)
}
func gomlxKernelFree(backend cint, k unsafe.Pointer) {}
func gomlxKernelNew(backend cint, name *cchar, in **cchar, nin csize, out **cchar, nout csize, source *cchar, header *cchar, contiguous cbool, flag cint, res *unsafe.Pointer) *cchar {
	return cString(notPorted)
}

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
