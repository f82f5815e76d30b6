package mlx

// Dtype is the element type of an array.
type Dtype int

// The dtypes of MLX, in mlx-c's order.
const (
	Bool      Dtype = mlxBool
	Uint8     Dtype = mlxUint8
	Uint16    Dtype = mlxUint16
	Uint32    Dtype = mlxUint32
	Uint64    Dtype = mlxUint64
	Int8      Dtype = mlxInt8
	Int16     Dtype = mlxInt16
	Int32     Dtype = mlxInt32
	Int64     Dtype = mlxInt64
	Float16   Dtype = mlxFloat16
	Float32   Dtype = mlxFloat32
	Float64   Dtype = mlxFloat64
	BFloat16  Dtype = mlxBfloat16
	Complex64 Dtype = mlxComplex64
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
	return int(mlxDtypeSize(mlxDtype(d)))
}

func (d Dtype) valid() bool { return d >= Bool && d <= Complex64 }
