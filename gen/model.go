package main

import (
	"fmt"
	"sort"
	"strings"
)

// The Go side of each C parameter kind. Every C type the generated layer
// accepts is listed here; any other type makes its function fail loudly
// unless the function is in the skip list.
type inKind struct {
	goType string
	// how the wrapper converts the Go value; %[1]s is the Go name, %[2]s the
	// C variable, %[3]s the op, %[4]s the C parameter name
	conv string
	// C expression(s) passed to the shim, and the shim's C parameter(s)
	arg   string
	shimP string
	call  string // how the shim passes it on to mlx-c
	// nullable arrays accept nil
}

var inKinds = map[string]inKind{
	// Arrays cross as integers (handleArg): cgo checks pointer arguments,
	// at a cost comparable to a small op's.
	"const mlx_array": {goType: "*Array", conv: "%[2]s := handleArg(op, %[1]s, &err)", arg: "%[2]s",
		shimP: "uintptr_t %[4]s", call: "(mlx_array){(void*)%[4]s}"},
	"const mlx_array?": {goType: "*Array", conv: "%[2]s := optionalHandleArg(op, %[1]s, &err)", arg: "%[2]s",
		shimP: "uintptr_t %[4]s", call: "(mlx_array){(void*)%[4]s}"},
	"mlx_array": {goType: "*Array", conv: "%[2]s := handleArg(op, %[1]s, &err)", arg: "%[2]s",
		shimP: "uintptr_t %[4]s", call: "(mlx_array){(void*)%[4]s}"},
	"const mlx_vector_array": {goType: "[]*Array", conv: "%[2]s, %[2]sN := arraysArg(op, %[1]s, &err)", arg: "%[2]s, %[2]sN",
		shimP: "const mlx_array* %[4]s_data, size_t %[4]s_n", call: "%[4]s_vec"},
	"const int*+size_t": {goType: "[]int", conv: "%[2]s, %[2]sN := intsArg(op, %[5]q, %[1]s, false, &err)", arg: "%[2]s, %[2]sN",
		shimP: "const int* %[4]s, size_t %[4]s_num", call: "%[4]s, %[4]s_num"},
	"const int*+size_t?": {goType: "[]int", conv: "%[2]s, %[2]sN := intsArg(op, %[5]q, %[1]s, true, &err)", arg: "%[2]s, %[2]sN",
		shimP: "const int* %[4]s, size_t %[4]s_num", call: "%[4]s, %[4]s_num"},
	"const int64_t*+size_t": {goType: "[]int64", conv: "%[2]s, %[2]sN := int64sArg(%[1]s)", arg: "%[2]s, %[2]sN",
		shimP: "const int64_t* %[4]s, size_t %[4]s_num", call: "%[4]s, %[4]s_num"},
	"int":      {goType: "int", conv: "%[2]s := intArg(op, %[5]q, %[1]s, &err)", arg: "%[2]s", shimP: "int %[4]s", call: "%[4]s"},
	"size_t":   {goType: "int", conv: "%[2]s := sizeArg(op, %[5]q, %[1]s, &err)", arg: "%[2]s", shimP: "size_t %[4]s", call: "%[4]s"},
	"uint64_t": {goType: "uint64", conv: "%[2]s := cuint64(%[1]s)", arg: "%[2]s", shimP: "uint64_t %[4]s", call: "%[4]s"},
	"bool":     {goType: "bool", conv: "%[2]s := cbool(%[1]s)", arg: "%[2]s", shimP: "bool %[4]s", call: "%[4]s"},
	"float":    {goType: "float32", conv: "%[2]s := cfloat(%[1]s)", arg: "%[2]s", shimP: "float %[4]s", call: "%[4]s"},
	"double":   {goType: "float64", conv: "%[2]s := cdouble(%[1]s)", arg: "%[2]s", shimP: "double %[4]s", call: "%[4]s"},
	"mlx_dtype": {goType: "Dtype", conv: "%[2]s := dtypeArg(op, %[1]s, &err)", arg: "%[2]s",
		shimP: "mlx_dtype %[4]s", call: "%[4]s"},
	"const char*": {goType: "string", conv: "%[2]s := cString(%[1]s)\n\tdefer cFree(unsafe.Pointer(%[2]s))", arg: "%[2]s",
		shimP: "const char* %[4]s", call: "%[4]s"},
	"mlx_optional_int": {goType: "Optional[int]", conv: "%[2]s := optionalIntArg(op, %[5]q, %[1]s, &err)", arg: "%[2]s",
		shimP: "mlx_optional_int %[4]s", call: "%[4]s"},
	"mlx_optional_float": {goType: "Optional[float32]", conv: "%[2]s := mlxOptionalFloat{value: cfloat(%[1]s.Value), has_value: cbool(%[1]s.Set)}", arg: "%[2]s",
		shimP: "mlx_optional_float %[4]s", call: "%[4]s"},
	"mlx_optional_dtype": {goType: "Optional[Dtype]", conv: "%[2]s := optionalDtypeArg(op, %[1]s, &err)", arg: "%[2]s",
		shimP: "mlx_optional_dtype %[4]s", call: "%[4]s"},
	"mlx_fft_norm": {goType: "FFTNorm", conv: "%[2]s := fftNormArg(op, %[1]s, &err)", arg: "%[2]s",
		shimP: "mlx_fft_norm %[4]s", call: "%[4]s"},
	"mlx_compile_mode": {goType: "CompileMode", conv: "%[2]s := compileModeArg(op, %[1]s, &err)", arg: "%[2]s",
		shimP: "mlx_compile_mode %[4]s", call: "%[4]s"},
	"const mlx_map_string_to_array": {goType: "map[string]*Array", conv: "%[2]s := mapArraysArg(op, %[1]s, &err)\n\tdefer mlxMapStringToArrayFree(%[2]s)", arg: "%[2]s",
		shimP: "const mlx_map_string_to_array %[4]s", call: "%[4]s"},
	"const mlx_distributed_group?": {goType: "*Group", conv: "%[2]s, %[2]sRelease := groupArg(op, %[1]s, &err)\n\tdefer %[2]sRelease()", arg: "%[2]s",
		shimP: "const mlx_distributed_group %[4]s", call: "%[4]s"},
	"const mlx_map_string_to_string": {goType: "map[string]string", conv: "%[2]s := mapStringsArg(%[1]s)\n\tdefer mlxMapStringToStringFree(%[2]s)", arg: "%[2]s",
		shimP: "const mlx_map_string_to_string %[4]s", call: "%[4]s"},
}

// Output parameters (leading, non-const pointers) and their Go results.
type outKind struct {
	goType string
	cType  string // C variable type
	conv   string // Go expression turning C variable %[1]s into the result
	free   string // frees C variable %[1]s on error ("" if nothing to free)
}

var outKinds = map[string]outKind{
	"mlx_array*":               {goType: "*Array", cType: "mlxArray", conv: "newArray(%[1]s)", free: "freeArrayOut(%[1]s)"},
	"mlx_vector_array*":        {goType: "[]*Array", cType: "mlxVectorArray", conv: "arraysFromVector(%[1]s)", free: "freeVectorOut(%[1]s)"},
	"mlx_map_string_to_array*": {goType: "map[string]*Array", cType: "mlxMapStringToArray", conv: "arraysFromMap(%[1]s)", free: "freeMapArraysOut(%[1]s)"},
	"mlx_map_string_to_string*": {goType: "map[string]string", cType: "mlxMapStringToString", conv: "stringsFromMap(%[1]s)",
		free: "freeMapStringsOut(%[1]s)"},
	"size_t*": {goType: "int", cType: "csize", conv: "int(%[1]s)"},
	"bool*":   {goType: "bool", cType: "cbool", conv: "bool(%[1]s)"},
}

// Param is one parameter of the Go function.
type goParam struct {
	name     string
	goType   string
	variadic bool
	kind     inKind
	c        []Param // the C parameter(s) it stands for
	check    string  // hand-written check called after conversion (gen/checks.go), or ""
}

// apiFunc is one generated Go function (with its On form if it takes a stream).
type apiFunc struct {
	c       Func
	header  string
	goName  string
	op      string
	params  []goParam
	outs    []Param
	stream  bool
	fold    *Func // the _axes variant called when axes are given
	folded  []string
	errOnly bool // results are (outs..., error) instead of arrays carrying the error
}

type genError struct{ fn, msg string }

func (e genError) Error() string { return e.fn + ": " + e.msg }

// buildAPI maps one C function to its Go function, or explains why it cannot.
func buildAPI(f Func, header string) (*apiFunc, error) {
	a := &apiFunc{c: f, header: header, goName: goName(f.Name), op: opName(f.Name)}
	if f.Cond != "" {
		return nil, genError{f.Name, "declared only when " + f.Cond}
	}
	if f.Ret.String() != "int" {
		return nil, genError{f.Name, "returns " + f.Ret.String() + ", not a status"}
	}
	ps := f.Params
	for len(ps) > 0 {
		if _, ok := outKinds[ps[0].Type.Key()]; !ok || ps[0].Type.Const {
			break
		}
		a.outs = append(a.outs, ps[0])
		ps = ps[1:]
	}
	if n := len(ps); n > 0 && ps[n-1].Type.Key() == "const mlx_stream" {
		a.stream = true
		ps = ps[:n-1]
	}
	for i := 0; i < len(ps); i++ {
		p := ps[i]
		key := p.Type.Key()
		cps := []Param{p}
		if (key == "const int*" || key == "const int64_t*") && i+1 < len(ps) && ps[i+1].Type.Key() == "size_t" && ps[i+1].Name == p.Name+"_num" {
			key += "+size_t"
			cps = append(cps, ps[i+1])
			i++
		}
		if p.Nullable {
			key += "?"
		}
		k, ok := inKinds[key]
		if !ok {
			return nil, genError{f.Name, fmt.Sprintf("parameter %s has type %s, which the generator does not map", p.Name, key)}
		}
		a.params = append(a.params, goParam{name: goParamName(p.Name), goType: k.goType, kind: k, c: cps})
	}
	allArrays := len(a.outs) > 0
	for _, o := range a.outs {
		if o.Type.Key() != "mlx_array*" {
			allArrays = false
		}
	}
	a.errOnly = !allArrays
	if n := len(a.params); n > 0 && a.params[n-1].goType == "[]int" && (a.params[n-1].name == "axes" || a.params[n-1].name == "shape") {
		a.params[n-1].variadic = true
	}
	return a, nil
}

// opName is the name errors give the operation: MLX's Python name, with the
// submodule ("linalg.inv", "random.normal") and without mlx-c's variant
// suffixes ("sum_axes" is "sum").
func opName(c string) string {
	name := strings.TrimPrefix(c, "mlx_")
	for _, v := range []string{"_num_samples", "_sections", "_broadcast", "_dynamic", "_single", "_arange", "_matrix", "_shape", "_axis", "_axes", "_num", "_l2"} {
		if strings.HasSuffix(name, v) && name != strings.TrimPrefix(v, "_") {
			name = strings.TrimSuffix(name, v)
			break
		}
	}
	for _, g := range []string{"fft", "linalg", "random", "fast", "metal", "cuda", "distributed"} {
		if strings.HasPrefix(name, g+"_") {
			return g + "." + strings.TrimPrefix(name, g+"_")
		}
	}
	return name
}

// foldAxes merges X_axes (and X_axis) into X when X takes X_axes's
// parameters minus the axes: Go's X then takes axes ...int, none meaning all.
func foldAxes(funcs map[string]*apiFunc) {
	names := make([]string, 0, len(funcs))
	for n := range funcs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !strings.HasSuffix(n, "_axes") {
			continue
		}
		base, axes := funcs[strings.TrimSuffix(n, "_axes")], funcs[n]
		if base == nil || axes == nil || base.errOnly || axes.errOnly || len(axes.outs) != 1 {
			continue
		}
		var rest []goParam
		var axesParam *goParam
		for i := range axes.params {
			p := axes.params[i]
			if p.name == "axes" && p.goType == "[]int" {
				axesParam = &p
				continue
			}
			rest = append(rest, p)
		}
		if axesParam == nil || len(rest) != len(base.params) {
			continue
		}
		same := true
		for i := range rest {
			if rest[i].name != base.params[i].name || rest[i].goType != base.params[i].goType {
				same = false
			}
		}
		if !same {
			continue
		}
		axesParam.variadic = true
		// Go parameters: the base's, then axes ...int.
		base.params = append(append([]goParam{}, base.params...), *axesParam)
		for i := range base.params[:len(base.params)-1] {
			base.params[i].variadic = false
		}
		axesFunc := axes.c
		base.fold = &axesFunc
		base.folded = append(base.folded, n)
		delete(funcs, n)
		axisName := strings.TrimSuffix(n, "_axes") + "_axis"
		if funcs[axisName] != nil {
			base.folded = append(base.folded, axisName)
			delete(funcs, axisName)
		}
	}
}
