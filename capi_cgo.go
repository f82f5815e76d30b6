//go:build cgo

package mlx

// The platform layer of the cgo build. The shared Go code never names C:
// it names the C types through the aliases below and calls the C shims
// (capi.h, capi.c, and the preambles of the other *_cgo.go files) through
// the one-line Go functions beside them, small enough to be inlined, so a
// call costs what it cost before the purego build existed. The purego build
// declares the same names (purego_types.go and the other purego_*.go
// files).

// #include "capi.h"
// #include "io_stream.h"
// #include "compile_cache.h"
// #include "closure_extra.h"
import "C"

import "unsafe"

// The C types the shared code names, as aliases of cgo's.
type (
	cbool                        = C.bool
	cchar                        = C.char
	cfloat                       = C.float
	gomlxArrayResult             = C.gomlx_array_result
	gomlxOwnerResult             = C.gomlx_owner_result
	gomlxScope                   = C.gomlx_scope
	gomlxTarget                  = C.gomlx_target
	cint                         = C.int
	cint64                       = C.int64_t
	mlxArray                     = C.mlx_array
	mlxClosure                   = C.mlx_closure
	mlxClosureValueAndGrad       = C.mlx_closure_value_and_grad
	mlxDevice                    = C.mlx_device
	mlxDeviceInfo                = C.mlx_device_info
	mlxDeviceType                = C.mlx_device_type
	mlxDistributedGroup          = C.mlx_distributed_group
	mlxDtype                     = C.mlx_dtype
	mlxFunctionExporter          = C.mlx_function_exporter
	mlxImportedFunction          = C.mlx_imported_function
	mlxIoGguf                    = C.mlx_io_gguf
	mlxIoReader                  = C.mlx_io_reader
	mlxIoWriter                  = C.mlx_io_writer
	mlxMapStringToArray          = C.mlx_map_string_to_array
	mlxMapStringToString         = C.mlx_map_string_to_string
	mlxMapStringToArrayIterator  = C.mlx_map_string_to_array_iterator
	mlxMapStringToStringIterator = C.mlx_map_string_to_string_iterator
	mlxVectorInt                 = C.mlx_vector_int
	cdouble                      = C.double
	cuint64                      = C.uint64_t
	mlxCompileMode               = C.mlx_compile_mode
	mlxFftNorm                   = C.mlx_fft_norm
	mlxOptionalFloat             = C.mlx_optional_float
	mlxNodeNamer                 = C.mlx_node_namer
	mlxOptionalDtype             = C.mlx_optional_dtype
	mlxOptionalInt               = C.mlx_optional_int
	mlxStream                    = C.mlx_stream
	mlxVectorArray               = C.mlx_vector_array
	mlxVectorString              = C.mlx_vector_string
	csize                        = C.size_t
	cuintptr                     = C.uintptr_t
)

// The C constants the shared code names.
const (
	gomlxDevice               = C.GOMLX_DEVICE
	gomlxMaxDevices           = C.GOMLX_MAX_DEVICES
	gomlxStream               = C.GOMLX_STREAM
	gomlxTaskAsyncEval        = C.GOMLX_TASK_ASYNC_EVAL
	gomlxTaskDefaultStream    = C.GOMLX_TASK_DEFAULT_STREAM
	gomlxTaskNewStream        = C.GOMLX_TASK_NEW_STREAM
	gomlxTaskSetDefaultDevice = C.GOMLX_TASK_SET_DEFAULT_DEVICE
	gomlxTaskSetDefaultStream = C.GOMLX_TASK_SET_DEFAULT_STREAM
	gomlxTaskSyncBegin        = C.GOMLX_TASK_SYNC_BEGIN
	mlxBfloat16               = C.MLX_BFLOAT16
	mlxBool                   = C.MLX_BOOL
	mlxComplex64              = C.MLX_COMPLEX64
	mlxCPU                    = C.MLX_CPU
	mlxFloat16                = C.MLX_FLOAT16
	mlxFloat32                = C.MLX_FLOAT32
	mlxFloat64                = C.MLX_FLOAT64
	mlxGPU                    = C.MLX_GPU
	mlxInt16                  = C.MLX_INT16
	mlxInt32                  = C.MLX_INT32
	mlxInt64                  = C.MLX_INT64
	mlxInt8                   = C.MLX_INT8
	mlxUint16                 = C.MLX_UINT16
	mlxUint32                 = C.MLX_UINT32
	mlxUint64                 = C.MLX_UINT64
	mlxUint8                  = C.MLX_UINT8
)

func cString(s string) *cchar  { return C.CString(s) }
func goString(p *cchar) string { return C.GoString(p) }
func cFree(p unsafe.Pointer)   { C.free(p) }

func gomlxAllAvailable(a *mlxArray, n csize) cint    { return C.gomlx_all_available(a, n) }
func gomlxActiveMemory() csize                       { return C.gomlx_active_memory() }
func gomlxCompileCacheClear() *cchar                 { return C.gomlx_compile_cache_clear() }
func gomlxAsyncEvalHere(a *mlxArray, n csize) *cchar { return C.gomlx_async_eval_here(a, n) }
func gomlxDefaultStreamOf(typ cint, index cint) unsafe.Pointer {
	return C.gomlx_default_stream_of(typ, index)
}
func gomlxGettid() cint                                         { return C.gomlx_gettid() }
func gomlxInstallErrorHandler()                                 { C.gomlx_install_error_handler() }
func gomlxIoLoad(r mlxIoReader, t gomlxTarget) gomlxArrayResult { return C.gomlx_io_load(r, t) }
func gomlxIoLoadSafetensors(r mlxIoReader, t gomlxTarget, arrays *mlxMapStringToArray, metadata *mlxMapStringToString) *cchar {
	return C.gomlx_io_load_safetensors(r, t, arrays, metadata)
}
func gomlxIoReaderNew(handle cuintptr, label *cchar) mlxIoReader {
	return C.gomlx_io_reader_new(handle, label)
}
func gomlxIoSave(w mlxIoWriter, a mlxArray) *cchar { return C.gomlx_io_save(w, a) }
func gomlxIoSaveSafetensors(w mlxIoWriter, arrays mlxMapStringToArray, metadata mlxMapStringToString) *cchar {
	return C.gomlx_io_save_safetensors(w, arrays, metadata)
}
func gomlxIoWriterNew(handle cuintptr, label *cchar) mlxIoWriter {
	return C.gomlx_io_writer_new(handle, label)
}
func gomlxOwnerRun(kind cint, typ cint, index cint, ctx unsafe.Pointer, arrays *mlxArray, n csize) gomlxOwnerResult {
	return C.gomlx_owner_run(kind, typ, index, ctx, arrays, n)
}
func gomlxOwnerStart() cint { return C.gomlx_owner_start() }
func gomlxSetSpins(ownerNs, callerNs int64) {
	C.gomlx_set_spins(C.longlong(ownerNs), C.longlong(callerNs))
}
func gomlxScopeSwap(next gomlxScope) gomlxScope  { return C.gomlx_scope_swap(next) }
func gomlxSetDefaultDevice(typ cint, index cint) { C.gomlx_set_default_device(typ, index) }
func gomlxSetDefaultStream(typ cint, index cint, ctx unsafe.Pointer) {
	C.gomlx_set_default_stream(typ, index, ctx)
}
func gomlxVectorSize(v mlxVectorArray) csize { return C.gomlx_vector_size(v) }
func gomlxVectorTake(v mlxVectorArray, out *mlxArray, n csize) *cchar {
	return C.gomlx_vector_take(v, out, n)
}
func gomlxWait(a *mlxArray, n csize) *cchar { return C.gomlx_wait(a, n) }
func mlxArrayDtype(arr mlxArray) mlxDtype   { return C.mlx_array_dtype(arr) }
func mlxArrayFree(arr mlxArray) cint        { return C.mlx_array_free(arr) }
func mlxArrayNdim(arr mlxArray) csize       { return C.mlx_array_ndim(arr) }
func mlxArrayNew() mlxArray                 { return C.mlx_array_new() }
func mlxArrayShape(arr mlxArray) *cint      { return C.mlx_array_shape(arr) }
func mlxArraySize(arr mlxArray) csize       { return C.mlx_array_size(arr) }
func mlxClosureFree(cls mlxClosure) cint    { return C.mlx_closure_free(cls) }
func mlxClosureValueAndGradFree(cls mlxClosureValueAndGrad) cint {
	return C.mlx_closure_value_and_grad_free(cls)
}
func mlxDeviceFree(dev mlxDevice) cint                        { return C.mlx_device_free(dev) }
func mlxDeviceGetIndex(index *cint, dev mlxDevice) cint       { return C.mlx_device_get_index(index, dev) }
func mlxDeviceGetType(typ *mlxDeviceType, dev mlxDevice) cint { return C.mlx_device_get_type(typ, dev) }
func mlxDeviceInfoFree(info mlxDeviceInfo) cint               { return C.mlx_device_info_free(info) }
func mlxDeviceNew() mlxDevice                                 { return C.mlx_device_new() }
func mlxDistributedGroupFree(group mlxDistributedGroup) cint {
	return C.mlx_distributed_group_free(group)
}
func mlxDtypeSize(dtype mlxDtype) csize       { return C.mlx_dtype_size(dtype) }
func mlxGetDefaultDevice(dev *mlxDevice) cint { return C.mlx_get_default_device(dev) }
func mlxImportedFunctionFree(xfunc mlxImportedFunction) cint {
	return C.mlx_imported_function_free(xfunc)
}
func mlxIoGgufFree(io mlxIoGguf) cint                    { return C.mlx_io_gguf_free(io) }
func mlxMapStringToArrayFree(m mlxMapStringToArray) cint { return C.mlx_map_string_to_array_free(m) }
func mlxMapStringToArrayInsert(m mlxMapStringToArray, key *cchar, value mlxArray) cint {
	return C.mlx_map_string_to_array_insert(m, key, value)
}
func mlxMapStringToArrayIteratorFree(it mlxMapStringToArrayIterator) cint {
	return C.mlx_map_string_to_array_iterator_free(it)
}
func mlxMapStringToArrayIteratorNew(m mlxMapStringToArray) mlxMapStringToArrayIterator {
	return C.mlx_map_string_to_array_iterator_new(m)
}
func mlxMapStringToArrayIteratorNext(key **cchar, value *mlxArray, it mlxMapStringToArrayIterator) cint {
	return C.mlx_map_string_to_array_iterator_next(key, value, it)
}
func mlxMapStringToArrayNew() mlxMapStringToArray          { return C.mlx_map_string_to_array_new() }
func mlxMapStringToStringFree(m mlxMapStringToString) cint { return C.mlx_map_string_to_string_free(m) }
func mlxMapStringToStringInsert(m mlxMapStringToString, key *cchar, value *cchar) cint {
	return C.mlx_map_string_to_string_insert(m, key, value)
}
func mlxMapStringToStringIteratorFree(it mlxMapStringToStringIterator) cint {
	return C.mlx_map_string_to_string_iterator_free(it)
}
func mlxMapStringToStringIteratorNew(m mlxMapStringToString) mlxMapStringToStringIterator {
	return C.mlx_map_string_to_string_iterator_new(m)
}
func mlxMapStringToStringIteratorNext(key **cchar, value **cchar, it mlxMapStringToStringIterator) cint {
	return C.mlx_map_string_to_string_iterator_next(key, value, it)
}
func mlxMapStringToStringNew() mlxMapStringToString { return C.mlx_map_string_to_string_new() }
func mlxNodeNamerFree(namer mlxNodeNamer) cint      { return C.mlx_node_namer_free(namer) }
func mlxStreamFree(stream mlxStream) cint           { return C.mlx_stream_free(stream) }
func mlxVectorArrayFree(vec mlxVectorArray) cint    { return C.mlx_vector_array_free(vec) }
func mlxVectorStringFree(vec mlxVectorString) cint  { return C.mlx_vector_string_free(vec) }
func mlxVectorStringGet(res **cchar, vec mlxVectorString, idx csize) cint {
	return C.mlx_vector_string_get(res, vec, idx)
}
func mlxVectorStringSize(vec mlxVectorString) csize { return C.mlx_vector_string_size(vec) }
func mlxVectorIntSetData(vec *mlxVectorInt, data *cint, size csize) cint {
	return C.mlx_vector_int_set_data(vec, data, size)
}
func mlxVectorArraySetData(vec *mlxVectorArray, data *mlxArray, size csize) cint {
	return C.mlx_vector_array_set_data(vec, data, size)
}
func gomlxSetClosureError(msg *cchar) { C.gomlx_set_closure_error(msg) }
func mlxVectorArrayGet(res *mlxArray, vec mlxVectorArray, idx csize) cint {
	return C.mlx_vector_array_get(res, vec, idx)
}

func gomlxPoll(a *mlxArray, n csize, maxNs int64) cint {
	return C.gomlx_poll(a, n, C.longlong(maxNs))
}
