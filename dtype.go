package mlx

// #include "capi.h"
import "C"

// Dtype is the element type of an array.
type Dtype int

// The dtypes of MLX, in mlx-c's order.
const (
	Bool      Dtype = C.MLX_BOOL
	Uint8     Dtype = C.MLX_UINT8
	Uint16    Dtype = C.MLX_UINT16
	Uint32    Dtype = C.MLX_UINT32
	Uint64    Dtype = C.MLX_UINT64
	Int8      Dtype = C.MLX_INT8
	Int16     Dtype = C.MLX_INT16
	Int32     Dtype = C.MLX_INT32
	Int64     Dtype = C.MLX_INT64
	Float16   Dtype = C.MLX_FLOAT16
	Float32   Dtype = C.MLX_FLOAT32
	Float64   Dtype = C.MLX_FLOAT64
	BFloat16  Dtype = C.MLX_BFLOAT16
	Complex64 Dtype = C.MLX_COMPLEX64
)

var dtypeNames = [...]string{
	Bool: "bool", Uint8: "uint8", Uint16: "uint16", Uint32: "uint32", Uint64: "uint64",
	Int8: "int8", Int16: "int16", Int32: "int32", Int64: "int64",
	Float16: "float16", Float32: "float32", Float64: "float64", BFloat16: "bfloat16",
	Complex64: "complex64",
}

// String returns the dtype's name as MLX prints it ("float32").
func (d Dtype) String() string {
	if d.valid() {
		return dtypeNames[d]
	}
	return "Dtype(" + itoa(int(d)) + ")"
}

// Size returns the size of one element in bytes.
func (d Dtype) Size() int {
	if !d.valid() {
		return 0
	}
	return int(C.mlx_dtype_size(C.mlx_dtype(d)))
}

func (d Dtype) valid() bool { return d >= Bool && d <= Complex64 }
