//go:build !cgo

package mlx

import "unsafe"

// The C types the shared code names (cgo's own types in the cgo build,
// capi_cgo.go), as Go types of the same size and layout.
type (
	cbool    = bool
	cchar    = int8
	cfloat   = float32
	cdouble  = float64
	cint     = int32
	cint64   = int64
	cuint64  = uint64
	csize    = uint64
	cuintptr = uint64

	mlxDtype       = uint32
	mlxDeviceType  = uint32
	mlxCompileMode = uint32
	mlxFftNorm     = uint32

	// mlx-c's handles: structs of one pointer, passed like a pointer.
	mlxArray                     struct{ ctx unsafe.Pointer }
	mlxClosure                   struct{ ctx unsafe.Pointer }
	mlxClosureValueAndGrad       struct{ ctx unsafe.Pointer }
	mlxDevice                    struct{ ctx unsafe.Pointer }
	mlxDeviceInfo                struct{ ctx unsafe.Pointer }
	mlxDistributedGroup          struct{ ctx unsafe.Pointer }
	mlxFunctionExporter          struct{ ctx unsafe.Pointer }
	mlxImportedFunction          struct{ ctx unsafe.Pointer }
	mlxIoGguf                    struct{ ctx unsafe.Pointer }
	mlxIoReader                  struct{ ctx unsafe.Pointer }
	mlxIoWriter                  struct{ ctx unsafe.Pointer }
	mlxMapStringToArray          struct{ ctx unsafe.Pointer }
	mlxMapStringToString         struct{ ctx unsafe.Pointer }
	mlxMapStringToArrayIterator  struct{ ctx, mapCtx unsafe.Pointer }
	mlxMapStringToStringIterator struct{ ctx, mapCtx unsafe.Pointer }
	mlxNodeNamer                 struct{ ctx unsafe.Pointer }
	mlxStream                    struct{ ctx unsafe.Pointer }
	mlxVectorArray               struct{ ctx unsafe.Pointer }
	mlxVectorInt                 struct{ ctx unsafe.Pointer }
	mlxVectorString              struct{ ctx unsafe.Pointer }
)

// mlx-c's optional scalars: 8 bytes, passed packed in one register.
type (
	mlxOptionalInt struct {
		value     cint
		has_value cbool //nolint:revive // mlx-c's field name, as cgo spells it
	}
	mlxOptionalFloat struct {
		value     cfloat
		has_value cbool //nolint:revive // mlx-c's field name, as cgo spells it
	}
	mlxOptionalDtype struct {
		value     mlxDtype
		has_value cbool //nolint:revive // mlx-c's field name, as cgo spells it
	}
)

func packOptional(bits uint32, set bool) uintptr {
	if set {
		return uintptr(bits) | 1<<32
	}
	return uintptr(bits)
}

func (o mlxOptionalInt) packed() uintptr   { return packOptional(uint32(o.value), o.has_value) }
func (o mlxOptionalDtype) packed() uintptr { return packOptional(o.value, o.has_value) }
func (o mlxOptionalFloat) packed() uintptr {
	return packOptional(*(*uint32)(unsafe.Pointer(&o.value)), o.has_value)
}

// capi.h's structs.
type (
	gomlxTarget struct {
		ctx   cuintptr
		kind  cint
		_type cint
		index cint
	}
	gomlxScope struct {
		active cint
		_type  cint
		index  cint
		stream unsafe.Pointer
	}
	gomlxDataResult struct {
		data unsafe.Pointer
		err  *cchar // MLX's message where data is nil
	}
	gomlxArrayResult struct {
		res mlxArray
		err *cchar
	}
	gomlxOwnerResult struct {
		stream mlxStream
		marker mlxArray
		err    *cchar
		tid    cint
	}
)

// capi.h's and mlx-c's constants.
const (
	gomlxDefault    = 0
	gomlxStream     = 1
	gomlxDevice     = 2
	gomlxMaxDevices = 64

	gomlxTaskNop              = 0
	gomlxTaskNewStream        = 1
	gomlxTaskDefaultStream    = 2
	gomlxTaskSetDefaultDevice = 3
	gomlxTaskSetDefaultStream = 4
	gomlxTaskSyncBegin        = 5
	gomlxTaskAsyncEval        = 6

	mlxBool      = 0
	mlxUint8     = 1
	mlxUint16    = 2
	mlxUint32    = 3
	mlxUint64    = 4
	mlxInt8      = 5
	mlxInt16     = 6
	mlxInt32     = 7
	mlxInt64     = 8
	mlxFloat16   = 9
	mlxFloat32   = 10
	mlxFloat64   = 11
	mlxBfloat16  = 12
	mlxComplex64 = 13

	mlxCPU = 0
	mlxGPU = 1

	gomlxGgufArray       = 0
	gomlxGgufMetaArray   = 1
	gomlxGgufMetaString  = 2
	gomlxGgufMetaStrings = 3
)

// C strings of the purego build live in Go memory: NUL-terminated byte
// slices that the GC frees. cFree does nothing; every pointer the shared
// code frees came from cString or a purego shim.
func cString(s string) *cchar {
	b := make([]byte, len(s)+1)
	copy(b, s)
	return (*cchar)(unsafe.Pointer(&b[0]))
}

// goString copies the NUL-terminated string at p (Go or C memory).
func goString(p *cchar) string {
	if p == nil {
		return ""
	}
	n := 0
	for *(*byte)(unsafe.Add(unsafe.Pointer(p), n)) != 0 {
		n++
	}
	return string(unsafe.Slice((*byte)(unsafe.Pointer(p)), n))
}

func cFree(unsafe.Pointer) {}
