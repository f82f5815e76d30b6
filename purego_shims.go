//go:build !cgo

package mlx

// The purego build's versions of the hand-written C shims (capi.h and the
// preambles of the *_cgo.go files): the same steps, as calls into mlx-c.

import (
	"fmt"
	"sync"
	"time"
	"unsafe"

	"github.com/ebitengine/purego"
)

func p(x unsafe.Pointer) uintptr { return uintptr(x) }

// ---- Arrays (array_cgo.go) ----

var (
	symArrayNewData               = newSym("mlx_array_new_data")
	symArrayNewDataManagedPayload = newSym("mlx_array_new_data_managed_payload")
	symArrayIsRowContiguous       = newSym("_mlx_array_is_row_contiguous")
	symArrayIsAvailable           = newSym("_mlx_array_is_available")
	symArrayWait                  = newSym("_mlx_array_wait")
	symArrayDtype                 = newSym("mlx_array_dtype")
	symArrayNdim                  = newSym("mlx_array_ndim")
	symArrayShape                 = newSym("mlx_array_shape")
	symArraySize                  = newSym("mlx_array_size")
	symArrayTostring              = newSym("mlx_array_tostring")
	symStringNew                  = newSym("mlx_string_new")
	symStringData                 = newSym("mlx_string_data")
	symStringFree                 = newSym("mlx_string_free")
	symDtypeSize                  = newSym("mlx_dtype_size")
	symVersion                    = newSym("mlx_version")
)

var symArrayData = map[cint]*sym{
	mlxBool: newSym("mlx_array_data_bool"), mlxUint8: newSym("mlx_array_data_uint8"),
	mlxUint16: newSym("mlx_array_data_uint16"), mlxUint32: newSym("mlx_array_data_uint32"),
	mlxUint64: newSym("mlx_array_data_uint64"), mlxInt8: newSym("mlx_array_data_int8"),
	mlxInt16: newSym("mlx_array_data_int16"), mlxInt32: newSym("mlx_array_data_int32"),
	mlxInt64: newSym("mlx_array_data_int64"), mlxFloat32: newSym("mlx_array_data_float32"),
	mlxFloat64: newSym("mlx_array_data_float64"), mlxComplex64: newSym("mlx_array_data_complex64"),
}

func gomlxArrayFromData(data unsafe.Pointer, shape *cint, ndim, dtype cint, pending cuintptr) gomlxArrayResult {
	if pending != 0 {
		gomlxFreeArray(pending) // first: its memory may serve the new array
	}
	var r gomlxArrayResult
	f := begin()
	defer f.end()
	clearThreadError()
	f.arg(p(data))
	f.ptr(unsafe.Pointer(shape))
	f.arg32(uintptr(ndim))
	f.arg32(uintptr(dtype))
	r.res.ctx = cptr(f.callRaw(symArrayNewData))
	if r.res.ctx == nil {
		r.err = f.takeError()
	}
	return r
}

var (
	adoptedReleaseOnce sync.Once
	adoptedReleaseCB   uintptr
)

func gomlxArrayFromDataManaged(data unsafe.Pointer, shape *cint, ndim, dtype cint, payload, pending cuintptr) gomlxArrayResult {
	adoptedReleaseOnce.Do(func() {
		adoptedReleaseCB = purego.NewCallback(func(payload uintptr) { releaseAdopted(cuintptr(payload)) })
	})
	if pending != 0 {
		gomlxFreeArray(pending)
	}
	var r gomlxArrayResult
	f := begin()
	defer f.end()
	clearThreadError()
	f.arg(p(data))
	f.ptr(unsafe.Pointer(shape))
	f.arg32(uintptr(ndim))
	f.arg32(uintptr(dtype))
	f.arg(uintptr(payload))
	f.arg(adoptedReleaseCB)
	r.res.ctx = cptr(f.callRaw(symArrayNewDataManagedPayload))
	if r.res.ctx == nil {
		r.err = f.takeError()
	}
	return r
}

// Freeing is on every array's path: a frame of its own, not ccall, whose
// variadic arguments would cost an allocation.
func gomlxFreeArray(h cuintptr) {
	f := begin()
	f.arg(uintptr(h))
	f.callRaw(symArrayFree)
	f.end()
}

func gomlxFreeArrays(handles *cuintptr, n csize) {
	f := begin()
	for _, h := range unsafe.Slice(handles, int(n)) {
		f.arg(uintptr(h))
		f.callRaw(symArrayFree)
	}
	f.end()
}

func gomlxRowContiguous(a mlxArray) cint {
	var ok uint64
	ccall(symArrayIsRowContiguous, uintptr(unsafe.Pointer(&ok)), p(a.ctx))
	if ok&0xff != 0 {
		return 1
	}
	return 0
}

// dataMu: see gomlx_data_mu in array_cgo.go.
var dataMu sync.Mutex

func gomlxArrayData(a mlxArray) gomlxDataResult {
	dataMu.Lock()
	defer dataMu.Unlock()
	dt := cint(ccall(symArrayDtype, p(a.ctx)))
	s := symArrayData[dt]
	if dt == mlxFloat16 || dt == mlxBfloat16 {
		s = symArrayData[mlxUint16] // the bits are what we copy
	}
	if s == nil {
		return gomlxDataResult{err: cString(fmt.Sprintf("no data accessor for dtype %d", dt))}
	}
	clearThreadError()
	r := gomlxDataResult{data: cptr(ccall(s, p(a.ctx)))}
	if r.data == nil {
		r.err = takeThreadError()
	}
	return r
}

// evalMu: see gomlx_eval_mu in capi.h.
var evalMu sync.Mutex

// gomlxPoll: see gomlx_poll in capi.h.
func gomlxPoll(a *mlxArray, n csize, maxNs int64) cint {
	until := time.Now().Add(time.Duration(maxNs))
	for {
		evalMu.Lock()
		ok := gomlxAllAvailable(a, n)
		evalMu.Unlock()
		if ok == 1 {
			return 1
		}
		if ok < 0 || time.Now().After(until) {
			return 0
		}
	}
}

func gomlxArrayTostring(a mlxArray, out **cchar) *cchar {
	s := ccall(symStringNew)
	msg := ccallStatus(symArrayTostring, uintptr(unsafe.Pointer(&s)), p(a.ctx))
	if msg == nil {
		*out = cString(goString((*cchar)(cptr(ccall(symStringData, s)))))
	}
	ccall(symStringFree, s)
	return msg
}

func gomlxVersion(out **cchar) *cchar {
	s := ccall(symStringNew)
	msg := ccallStatus(symVersion, uintptr(unsafe.Pointer(&s)))
	if msg == nil {
		*out = cString(goString((*cchar)(cptr(ccall(symStringData, s)))))
	}
	ccall(symStringFree, s)
	return msg
}

// gomlxActiveMemory: see gomlx_active_memory in capi.h (symGetActiveMemory
// is the generated layer's).
func gomlxActiveMemory() csize {
	f := begin()
	defer f.end()
	f.outs[0] = 0
	f.out(0)
	if !f.call(symGetActiveMemory) {
		clearThreadError()
		return 0
	}
	return csize(f.outs[0])
}

func gomlxAllAvailable(a *mlxArray, n csize) cint {
	if transformDepth() > 0 {
		return -1
	}
	f := begin()
	defer f.end()
	for _, x := range unsafe.Slice(a, int(n)) {
		f.outs[0] = 0
		f.out(0)
		f.arg(uintptr(x.ctx))
		if !f.call(symArrayIsAvailable) {
			clearThreadError()
			return 0
		}
		if f.outs[0]&0xff == 0 {
			return 0
		}
	}
	return 1
}

func gomlxWait(a *mlxArray, n csize) *cchar {
	f := begin()
	defer f.end()
	for _, x := range unsafe.Slice(a, int(n)) {
		f.arg(uintptr(x.ctx))
		if msg := f.status(symArrayWait); msg != nil {
			return msg
		}
	}
	return nil
}

func gomlxStatus(rc cint) *cchar {
	if rc == 0 {
		return nil
	}
	return takeThreadError()
}

func mlxArrayDtype(a mlxArray) mlxDtype { return mlxDtype(ccall(symArrayDtype, p(a.ctx))) }
func mlxArrayFree(a mlxArray) cint      { return cint(ccall(symArrayFree, p(a.ctx))) }
func mlxArrayNdim(a mlxArray) csize     { return csize(ccall(symArrayNdim, p(a.ctx))) }
func mlxArrayNew() mlxArray             { return mlxArray{cptr(ccall(symArrayNew))} }
func mlxArrayShape(a mlxArray) *cint    { return (*cint)(cptr(ccall(symArrayShape, p(a.ctx)))) }
func mlxArraySize(a mlxArray) csize     { return csize(ccall(symArraySize, p(a.ctx))) }
func mlxDtypeSize(d mlxDtype) csize     { return csize(ccall(symDtypeSize, uintptr(d))) }

// ---- Vectors, maps, strings ----

var (
	symVectorArraySize           = newSym("mlx_vector_array_size")
	symVectorArrayGet            = newSym("mlx_vector_array_get")
	symVectorArraySetData        = newSym("mlx_vector_array_set_data")
	symVectorIntSetData          = newSym("mlx_vector_int_set_data")
	symVectorStringFree          = newSym("mlx_vector_string_free")
	symVectorStringGet           = newSym("mlx_vector_string_get")
	symVectorStringSize          = newSym("mlx_vector_string_size")
	symMapStringToArrayNew       = newSym("mlx_map_string_to_array_new")
	symMapStringToArrayFree      = newSym("mlx_map_string_to_array_free")
	symMapStringToArrayInsert    = newSym("mlx_map_string_to_array_insert")
	symMapStringToArrayIterNew   = newSym("mlx_map_string_to_array_iterator_new")
	symMapStringToArrayIterNext  = newSym("mlx_map_string_to_array_iterator_next")
	symMapStringToArrayIterFree  = newSym("mlx_map_string_to_array_iterator_free")
	symMapStringToStringNew      = newSym("mlx_map_string_to_string_new")
	symMapStringToStringFree     = newSym("mlx_map_string_to_string_free")
	symMapStringToStringInsert   = newSym("mlx_map_string_to_string_insert")
	symMapStringToStringIterNew  = newSym("mlx_map_string_to_string_iterator_new")
	symMapStringToStringIterNext = newSym("mlx_map_string_to_string_iterator_next")
	symMapStringToStringIterFree = newSym("mlx_map_string_to_string_iterator_free")
)

func gomlxVectorSize(v mlxVectorArray) csize {
	if v.ctx == nil {
		return 0
	}
	return csize(ccall(symVectorArraySize, p(v.ctx)))
}

func gomlxVectorTake(v mlxVectorArray, out *mlxArray, n csize) *cchar {
	outs := unsafe.Slice(out, int(n))
	var msg *cchar
	for i := range outs {
		outs[i] = mlxArrayNew()
		if msg = ccallStatus(symVectorArrayGet, uintptr(unsafe.Pointer(&outs[i])), p(v.ctx), uintptr(i)); msg != nil {
			break
		}
	}
	ccall(symVectorArrayFree, p(v.ctx))
	return msg
}

func mlxVectorArrayFree(v mlxVectorArray) cint {
	return cint(ccall(symVectorArrayFree, p(v.ctx)))
}

func mlxVectorArrayGet(res *mlxArray, v mlxVectorArray, i csize) cint {
	if ccallOK(symVectorArrayGet, uintptr(unsafe.Pointer(res)), p(v.ctx), uintptr(i)) {
		return 0
	}
	return 1
}

func mlxVectorArraySetData(v *mlxVectorArray, data *mlxArray, n csize) cint {
	if ccallOK(symVectorArraySetData, uintptr(unsafe.Pointer(v)), uintptr(unsafe.Pointer(data)), uintptr(n)) {
		return 0
	}
	return 1
}

func mlxVectorIntSetData(v *mlxVectorInt, data *cint, n csize) cint {
	if ccallOK(symVectorIntSetData, uintptr(unsafe.Pointer(v)), uintptr(unsafe.Pointer(data)), uintptr(n)) {
		return 0
	}
	return 1
}

func mlxVectorStringFree(v mlxVectorString) cint { return cint(ccall(symVectorStringFree, p(v.ctx))) }
func mlxVectorStringSize(v mlxVectorString) csize {
	return csize(ccall(symVectorStringSize, p(v.ctx)))
}

func mlxVectorStringGet(res **cchar, v mlxVectorString, i csize) cint {
	if ccallOK(symVectorStringGet, uintptr(unsafe.Pointer(res)), p(v.ctx), uintptr(i)) {
		return 0
	}
	return 1
}

func mlxMapStringToArrayNew() mlxMapStringToArray {
	return mlxMapStringToArray{cptr(ccall(symMapStringToArrayNew))}
}

func mlxMapStringToArrayFree(m mlxMapStringToArray) cint {
	return cint(ccall(symMapStringToArrayFree, p(m.ctx)))
}

func mlxMapStringToArrayInsert(m mlxMapStringToArray, key *cchar, v mlxArray) cint {
	if ccallOK(symMapStringToArrayInsert, p(m.ctx), uintptr(unsafe.Pointer(key)), p(v.ctx)) {
		return 0
	}
	return 1
}

// Iterators are two pointers: returned in two registers, passed in two.
func mlxMapStringToArrayIteratorNew(m mlxMapStringToArray) mlxMapStringToArrayIterator {
	f := begin()
	defer f.end()
	f.arg(p(m.ctx))
	r1 := f.callRaw(symMapStringToArrayIterNew)
	return mlxMapStringToArrayIterator{cptr(r1), cptr(f.args.a[1])}
}

func mlxMapStringToArrayIteratorNext(key **cchar, v *mlxArray, it mlxMapStringToArrayIterator) cint {
	return cint(ccall(symMapStringToArrayIterNext, uintptr(unsafe.Pointer(key)), uintptr(unsafe.Pointer(v)), p(it.ctx), p(it.mapCtx)))
}

func mlxMapStringToArrayIteratorFree(it mlxMapStringToArrayIterator) cint {
	return cint(ccall(symMapStringToArrayIterFree, p(it.ctx), p(it.mapCtx)))
}

func mlxMapStringToStringNew() mlxMapStringToString {
	return mlxMapStringToString{cptr(ccall(symMapStringToStringNew))}
}

func mlxMapStringToStringFree(m mlxMapStringToString) cint {
	return cint(ccall(symMapStringToStringFree, p(m.ctx)))
}

func mlxMapStringToStringInsert(m mlxMapStringToString, key, v *cchar) cint {
	if ccallOK(symMapStringToStringInsert, p(m.ctx), uintptr(unsafe.Pointer(key)), uintptr(unsafe.Pointer(v))) {
		return 0
	}
	return 1
}

func mlxMapStringToStringIteratorNew(m mlxMapStringToString) mlxMapStringToStringIterator {
	f := begin()
	defer f.end()
	f.arg(p(m.ctx))
	r1 := f.callRaw(symMapStringToStringIterNew)
	return mlxMapStringToStringIterator{cptr(r1), cptr(f.args.a[1])}
}

func mlxMapStringToStringIteratorNext(key, v **cchar, it mlxMapStringToStringIterator) cint {
	return cint(ccall(symMapStringToStringIterNext, uintptr(unsafe.Pointer(key)), uintptr(unsafe.Pointer(v)), p(it.ctx), p(it.mapCtx)))
}

func mlxMapStringToStringIteratorFree(it mlxMapStringToStringIterator) cint {
	return cint(ccall(symMapStringToStringIterFree, p(it.ctx), p(it.mapCtx)))
}

// ---- Devices and streams (device_cgo.go, stream_cgo.go) ----

var (
	symDeviceNew           = newSym("mlx_device_new")
	symDeviceGetType       = newSym("mlx_device_get_type")
	symDeviceGetIndex      = newSym("mlx_device_get_index")
	symGetDefaultDevice    = newSym("mlx_get_default_device")
	symDeviceCount         = newSym("mlx_device_count")
	symDeviceIsAvailable   = newSym("mlx_device_is_available")
	symDeviceInfoNew       = newSym("mlx_device_info_new")
	symDeviceInfoGet       = newSym("mlx_device_info_get")
	symDeviceInfoGetKeys   = newSym("mlx_device_info_get_keys")
	symDeviceInfoIsString  = newSym("mlx_device_info_is_string")
	symDeviceInfoGetString = newSym("mlx_device_info_get_string")
	symDeviceInfoGetSize   = newSym("mlx_device_info_get_size")
	symDeviceInfoFree      = newSym("mlx_device_info_free")
	symVectorStringNew     = newSym("mlx_vector_string_new")
	symStreamFree          = newSym("mlx_stream_free")
	symStreamGetDevice     = newSym("mlx_stream_get_device")
	symStreamGetIndex      = newSym("mlx_stream_get_index")
)

func mlxDeviceNew() mlxDevice        { return mlxDevice{cptr(ccall(symDeviceNew))} }
func mlxDeviceFree(d mlxDevice) cint { return cint(ccall(symDeviceFree, p(d.ctx))) }
func mlxStreamFree(s mlxStream) cint { return cint(ccall(symStreamFree, p(s.ctx))) }
func mlxDeviceInfoFree(i mlxDeviceInfo) cint {
	return cint(ccall(symDeviceInfoFree, p(i.ctx)))
}

func mlxGetDefaultDevice(d *mlxDevice) cint {
	return cint(ccall(symGetDefaultDevice, uintptr(unsafe.Pointer(d))))
}

func mlxDeviceGetType(t *mlxDeviceType, d mlxDevice) cint {
	return cint(ccall(symDeviceGetType, uintptr(unsafe.Pointer(t)), p(d.ctx)))
}

func mlxDeviceGetIndex(i *cint, d mlxDevice) cint {
	return cint(ccall(symDeviceGetIndex, uintptr(unsafe.Pointer(i)), p(d.ctx)))
}

func gomlxDeviceCount(typ cint, count *cint) *cchar {
	return ccallStatus(symDeviceCount, uintptr(unsafe.Pointer(count)), uintptr(typ))
}

func gomlxDeviceIsAvailable(typ, index cint, avail *cbool) *cchar {
	d := ccall(symDeviceNewType, uintptr(typ), uintptr(index))
	var ok uint64
	msg := ccallStatus(symDeviceIsAvailable, uintptr(unsafe.Pointer(&ok)), d)
	ccall(symDeviceFree, d)
	*avail = ok&0xff != 0
	return msg
}

func gomlxDeviceInfo(typ, index cint, info *mlxDeviceInfo, keys *mlxVectorString) *cchar {
	d := ccall(symDeviceNewType, uintptr(typ), uintptr(index))
	info.ctx = cptr(ccall(symDeviceInfoNew))
	keys.ctx = cptr(ccall(symVectorStringNew))
	msg := ccallStatus(symDeviceInfoGet, uintptr(unsafe.Pointer(info)), d)
	if msg == nil {
		msg = ccallStatus(symDeviceInfoGetKeys, uintptr(unsafe.Pointer(keys)), p(info.ctx))
	}
	ccall(symDeviceFree, d)
	return msg
}

func gomlxDeviceInfoValue(info mlxDeviceInfo, key *cchar, isString *cbool, s **cchar, n *csize) *cchar {
	var flag uint64
	msg := ccallStatus(symDeviceInfoIsString, uintptr(unsafe.Pointer(&flag)), p(info.ctx), uintptr(unsafe.Pointer(key)))
	if msg != nil {
		return msg
	}
	*isString = flag&0xff != 0
	if *isString {
		return ccallStatus(symDeviceInfoGetString, uintptr(unsafe.Pointer(s)), p(info.ctx), uintptr(unsafe.Pointer(key)))
	}
	return ccallStatus(symDeviceInfoGetSize, uintptr(unsafe.Pointer(n)), p(info.ctx), uintptr(unsafe.Pointer(key)))
}

func gomlxStreamInfo(s mlxStream, typ, devIndex, index *cint) {
	d := ccall(symDeviceNew)
	var t uint32
	ccall(symStreamGetDevice, uintptr(unsafe.Pointer(&d)), p(s.ctx))
	ccall(symDeviceGetType, uintptr(unsafe.Pointer(&t)), d)
	ccall(symDeviceGetIndex, uintptr(unsafe.Pointer(devIndex)), d)
	ccall(symStreamGetIndex, uintptr(unsafe.Pointer(index)), p(s.ctx))
	ccall(symDeviceFree, d)
	*typ = cint(t)
}

// loadPlatformSyms resolves what the purego build needs beyond mlx-c.
func loadPlatformSyms() error { return nil }
