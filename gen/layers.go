package main

import (
	"bytes"
	"fmt"
	gotoken "go/token"
	"strings"
)

// shim is one C shim of the cgo layer: the C function it wraps and its
// parameters ("type name" declarations, a pointer+count pair counting as
// one). The cgo and purego call layers are both made from it.
type shim struct {
	f      *apiFunc
	fn     Func
	params []string
	args   []string
}

// pendingParam is the single-array shims' extra parameter: the handle
// Array.Free left for the next call to free (array.go, pendingFree).
const pendingParam = "gomlx_free"

// shimGoName is the Go name of a shim in both call layers.
func shimGoName(c string) string { return lowerCamel("gomlxg_" + strings.TrimPrefix(c, "mlx_")) }

// symVar is the purego layer's variable holding mlx-c function c.
func symVar(c string) string { return lowerCamel("sym_" + strings.TrimPrefix(c, "mlx_")) }

// lowerCamel turns snake_case into camelCase, without initialisms: the
// spelling of the C names the package's Go code uses (mlx_vector_array is
// mlxVectorArray).
func lowerCamel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// cDecl is one C parameter declaration of a shim.
type cDecl struct{ ctype, name string }

func (s shim) decls() []cDecl {
	var ds []cDecl
	for _, p := range s.params {
		for _, d := range strings.Split(p, ", ") {
			i := strings.LastIndexAny(d, " *")
			ds = append(ds, cDecl{strings.TrimSpace(d[:i+1]), d[i+1:]})
		}
	}
	return ds
}

// goIdent is a C parameter name as a Go identifier.
func goIdent(c string) string {
	n := lowerCamel(c)
	if gotoken.IsKeyword(n) {
		n += "Arg"
	}
	return n
}

// cGoTypes are the Go names (aliases of cgo's types in the cgo build, plain
// Go types in the purego build) of the C types shims use.
var cGoTypes = map[string]string{
	"int": "cint", "size_t": "csize", "uintptr_t": "cuintptr", "char": "cchar", "bool": "cbool",
	"float": "cfloat", "double": "cdouble", "int64_t": "cint64", "uint64_t": "cuint64",
}

// goTypeOf maps a C type to its Go name.
func goTypeOf(ctype string) string {
	t := strings.TrimSpace(strings.TrimPrefix(ctype, "const "))
	stars := strings.Count(t, "*")
	base := strings.TrimSpace(strings.ReplaceAll(t, "*", ""))
	g, ok := cGoTypes[base]
	if !ok {
		g = lowerCamel(base)
	}
	return strings.Repeat("*", stars) + g
}

func (s shim) returns() string {
	if s.f.singleArray() {
		return "gomlxArrayResult"
	}
	return "*cchar"
}

func (s shim) goSignature() (sig string, names []string) {
	var ps []string
	for _, d := range s.decls() {
		n := goIdent(d.name)
		names = append(names, n)
		ps = append(ps, n+" "+goTypeOf(d.ctype))
	}
	return fmt.Sprintf("func %s(%s) %s", shimGoName(s.fn.Name), strings.Join(ps, ", "), s.returns()), names
}

// emitCgoFunc writes the cgo layer's Go function for a shim: a call of the
// C shim, small enough to be inlined.
func emitCgoFunc(w *bytes.Buffer, s shim) {
	sig, names := s.goSignature()
	fmt.Fprintf(w, "%s { return C.%s(%s) }\n\n", sig, shimName(s.fn.Name), strings.Join(names, ", "))
}

// emitPureFunc writes the purego layer's function for a shim: the same work
// as the C shim, as calls through a frame (purego_call.go).
func emitPureFunc(w *bytes.Buffer, s shim, uses map[string]bool) {
	sig, _ := s.goSignature()
	ds := s.decls()
	nOut := len(s.f.outs)
	if s.f.singleArray() {
		nOut = 0
	}
	var first, pre, push, post, keep []string
	if s.f.singleArray() {
		push = append(push, "f.out(0)")
	}
	for i := 0; i < len(ds); i++ {
		d := ds[i]
		n := goIdent(d.name)
		t := strings.TrimPrefix(d.ctype, "const ")
		switch {
		case d.name == pendingParam:
			first = append(first, fmt.Sprintf("if %s != 0 {\n\t\tgomlxFreeArray(%s)\n\t}", n, n))
		case i < nOut:
			push = append(push, fmt.Sprintf("f.out(%d)", i))
			switch t {
			case "size_t*":
				post = append(post, fmt.Sprintf("*%s = csize(f.outs[%d])", n, i))
			case "bool*":
				post = append(post, fmt.Sprintf("*%s = f.outs[%d]&0xff != 0", n, i))
			default:
				post = append(post, fmt.Sprintf("%s.ctx = f.outPtr(%d)", n, i))
			}
		case t == "mlx_array*" && i+1 < len(ds) && strings.HasSuffix(ds[i+1].name, "_n"):
			v := n + "Vec"
			cnt := goIdent(ds[i+1].name)
			pre = append(pre, fmt.Sprintf("%s := f.vector(%s, %s)", v, n, cnt))
			push = append(push, fmt.Sprintf("f.arg(%s)", v))
			post = append(post, fmt.Sprintf("f.freeVector(%s)", v))
			keep = append(keep, n)
			i++
		case strings.HasSuffix(t, "*"):
			push = append(push, fmt.Sprintf("f.ptr(unsafe.Pointer(%s))", n))
			keep = append(keep, n)
			uses["unsafe"] = true
		case t == "gomlx_target":
			push = append(push, fmt.Sprintf("f.arg(f.resolve(%s))", n))
		case t == "bool":
			push = append(push, fmt.Sprintf("f.argSized(boolArg(%s), 1)", n))
		case t == "int" || t == "mlx_dtype" || t == "mlx_fft_norm" || t == "mlx_compile_mode":
			push = append(push, fmt.Sprintf("f.arg32(uintptr(%s))", n))
		case t == "float":
			push = append(push, fmt.Sprintf("f.float32(float32(%s))", n))
		case t == "double":
			push = append(push, fmt.Sprintf("f.float64(float64(%s))", n))
		case strings.HasPrefix(t, "mlx_optional_"):
			push = append(push, fmt.Sprintf("f.arg(%s.packed())", n))
		case t == "mlx_map_string_to_array" || t == "mlx_map_string_to_string" || t == "mlx_distributed_group":
			push = append(push, fmt.Sprintf("f.arg(uintptr(%s.ctx))", n))
		default: // integers and enums
			push = append(push, fmt.Sprintf("f.arg(uintptr(%s))", n))
		}
	}
	sym := symVar(s.fn.Name)
	fmt.Fprintf(w, "%s {\n", sig)
	for _, l := range first {
		fmt.Fprintf(w, "\t%s\n", l)
	}
	body := func(indent string) {
		for _, l := range pre {
			fmt.Fprintf(w, "%s%s\n", indent, l)
		}
		for _, l := range push {
			fmt.Fprintf(w, "%s%s\n", indent, l)
		}
	}
	switch {
	case s.f.singleArray():
		fmt.Fprintf(w, "\tf := begin()\n")
		body("\t")
		fmt.Fprintf(w, "\tr := f.arrayResult(%s)\n", sym)
	case s.f.onOwner():
		// Runs on the MLX thread, as the C shim does (gomlx_owner_call).
		fmt.Fprintf(w, "\tmsg := ownerCall(func(f *frame) bool {\n")
		body("\t\t")
		fmt.Fprintf(w, "\t\tok := f.call(%s)\n", sym)
		for _, l := range post {
			fmt.Fprintf(w, "\t\t%s\n", l)
		}
		fmt.Fprintf(w, "\t\treturn ok\n\t})\n")
		post = nil
	default:
		fmt.Fprintf(w, "\tf := begin()\n")
		body("\t")
		fmt.Fprintf(w, "\tmsg := f.status(%s)\n", sym)
	}
	for _, l := range post {
		fmt.Fprintf(w, "\t%s\n", l)
	}
	if !s.f.onOwner() {
		fmt.Fprintf(w, "\tf.end()\n")
	}
	for _, k := range keep {
		fmt.Fprintf(w, "\truntime.KeepAlive(%s)\n", k)
		uses["runtime"] = true
	}
	if s.f.singleArray() {
		fmt.Fprintf(w, "\treturn r\n}\n\n")
	} else {
		fmt.Fprintf(w, "\treturn msg\n}\n\n")
	}
}
