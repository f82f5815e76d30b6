package mlx_test

// Tests of PrintGraph, ExportToDot and NodeNamer. The expected text follows
// MLX's graph printer as its source describes it: a depth-first walk from
// the outputs, inputs before the ops that use them; unnamed arrays named
// A, B, ... in the order they are first printed, by the number of names the
// namer holds then.

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/mlx-go/mlx"
)

// grGraph is out = (x + y) * x, unevaluated.
func grGraph() (x, y, sum, out *mlx.Array) {
	x = mlx.FromSlice([]float32{1, 2})
	y = mlx.FromSlice([]float32{3, 4})
	sum = mlx.Add(x, y)
	out = mlx.Multiply(sum, x)
	return
}

func TestPrintGraph(t *testing.T) {
	x, y, sum, out := grGraph()
	namer, err := mlx.NewNodeNamer()
	if err != nil {
		t.Fatal(err)
	}
	defer namer.Free()
	for a, name := range map[*mlx.Array]string{x: "x", y: "y", out: "out"} {
		if err := namer.SetName(a, name); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := mlx.PrintGraph(&buf, namer, out); err != nil {
		t.Fatal(err)
	}
	// sum is unnamed: it gets the fourth letter, the namer holding three names.
	const f = " [(2), float32]"
	want := "Inputs: x" + f + ", y" + f + "\n" +
		"Outputs: out" + f + "\n" +
		"Add x" + f + ", y" + f + " -> D" + f + "\n" +
		"Multiply D" + f + ", x" + f + " -> out" + f + "\n"
	if buf.String() != want {
		t.Errorf("PrintGraph wrote\n%s\nwant\n%s", buf.String(), want)
	}
	// Names given while printing are not kept in the namer.
	if got, err := namer.Name(sum); err != nil || got != "D" {
		t.Errorf("Name(sum) = %q, %v; want D", got, err)
	}
	if got, err := namer.Name(y); err != nil || got != "y" {
		t.Errorf("Name(y) = %q, %v; want y", got, err)
	}
	if got, err := namer.Name(mlx.Scalar(float32(1))); err != nil || got != "E" {
		t.Errorf("Name(new array) = %q, %v; want E", got, err)
	}

	// Without a namer: letters in the order of printing; two outputs.
	buf.Reset()
	if err := mlx.PrintGraph(&buf, nil, out, sum); err != nil {
		t.Fatal(err)
	}
	want = "Inputs: A" + f + ", B" + f + "\n" +
		"Outputs: C" + f + ", D" + f + "\n" +
		"Add A" + f + ", B" + f + " -> D" + f + "\n" +
		"Multiply D" + f + ", A" + f + " -> C" + f + "\n"
	if buf.String() != want {
		t.Errorf("PrintGraph without a namer wrote\n%s\nwant\n%s", buf.String(), want)
	}

	// After evaluation an array has no graph: it is an input.
	if err := mlx.Eval(out); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := mlx.PrintGraph(&buf, nil, out); err != nil {
		t.Fatal(err)
	}
	if want := "Inputs: A" + f + "\nOutputs: A" + f + "\n"; buf.String() != want {
		t.Errorf("PrintGraph of an evaluated array wrote %q, want %q", buf.String(), want)
	}
}

func TestExportToDot(t *testing.T) {
	x, y, _, out := grGraph()
	namer, err := mlx.NewNodeNamer()
	if err != nil {
		t.Fatal(err)
	}
	defer namer.Free()
	_ = namer.SetName(x, "x")
	_ = namer.SetName(y, "y")
	_ = namer.SetName(out, "out")
	var buf bytes.Buffer
	if err := mlx.ExportToDot(&buf, namer, out); err != nil {
		t.Fatal(err)
	}
	dot := buf.String()
	if !strings.HasPrefix(dot, "digraph {\n") || !strings.HasSuffix(dot, "\n}") {
		t.Fatalf("not a digraph:\n%s", dot)
	}
	for _, line := range []string{
		`{ rank=source; "x"; }`, `{ rank=source; "y"; }`, // inputs
		`{ "D"; }`,              // the intermediate sum
		`{ rank=sink; "out"; }`, // the output
	} {
		if !strings.Contains(dot, "\n"+line+"\n") {
			t.Errorf("DOT lacks the line %s:\n%s", line, dot)
		}
	}
	// Op nodes are numbered; follow the edges through them.
	ops := map[string]string{} // id -> label
	for _, m := range regexp.MustCompile(`\{ (\d+) \[label ="(\w+)", shape=rectangle\]; \}`).FindAllStringSubmatch(dot, -1) {
		ops[m[1]] = m[2]
	}
	in := map[string][]string{} // op label -> its inputs
	outOf := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^"(\w+)" -> (\d+)$`).FindAllStringSubmatch(dot, -1) {
		in[ops[m[2]]] = append(in[ops[m[2]]], m[1])
	}
	for _, m := range regexp.MustCompile(`(?m)^(\d+) -> "(\w+)"$`).FindAllStringSubmatch(dot, -1) {
		outOf[ops[m[1]]] = m[2]
	}
	if len(ops) != 2 || strings.Join(in["Add"], ",") != "x,y" || outOf["Add"] != "D" ||
		strings.Join(in["Multiply"], ",") != "D,x" || outOf["Multiply"] != "out" {
		t.Errorf("ops %v, inputs %v, outputs %v; want Add(x,y)->D, Multiply(D,x)->out in\n%s", ops, in, outOf, dot)
	}
}

type grFailWriter struct{}

var errGrBoom = errors.New("disk full")

func (grFailWriter) Write([]byte) (int, error) { return 0, errGrBoom }

func TestGraphErrors(t *testing.T) {
	x, _, _, out := grGraph()
	var buf bytes.Buffer
	for _, f := range []struct {
		op string
		fn func(w io.Writer, n *mlx.NodeNamer, a ...*mlx.Array) error
	}{
		{"print_graph", func(w io.Writer, n *mlx.NodeNamer, a ...*mlx.Array) error {
			return mlx.PrintGraph(w, n, a...)
		}},
		{"export_to_dot", func(w io.Writer, n *mlx.NodeNamer, a ...*mlx.Array) error {
			return mlx.ExportToDot(w, n, a...)
		}},
	} {
		iosExpectErr(t, f.fn(grFailWriter{}, nil, out), f.op, "disk full", errGrBoom)
		iosExpectErr(t, f.fn(nil, nil, out), f.op, "nil writer", mlx.ErrInvalidArgument)
		iosExpectErr(t, f.fn(&buf, nil, out, nil), f.op, "nil array", mlx.ErrNilArray)
		bad := mlx.Add(x, mlx.FromSlice([]float32{1, 2, 3}))
		iosExpectErr(t, f.fn(&buf, nil, bad), "add", "broadcast", nil)
		freed, _ := mlx.NewNodeNamer()
		freed.Free()
		freed.Free() // twice is fine
		iosExpectErr(t, f.fn(&buf, freed, out), f.op, "NodeNamer used after Free", mlx.ErrFreed)
	}
	if buf.Len() != 0 {
		t.Errorf("failed calls wrote %q", buf.String())
	}
	n, _ := mlx.NewNodeNamer()
	defer n.Free()
	iosExpectErr(t, n.SetName(nil, "a"), "node_namer.set_name", "nil array", mlx.ErrNilArray)
	_, err := n.Name(nil)
	iosExpectErr(t, err, "node_namer.get_name", "nil array", mlx.ErrNilArray)
	var none *mlx.NodeNamer
	iosExpectErr(t, none.SetName(x, "a"), "node_namer.set_name", "nil NodeNamer", mlx.ErrInvalidArgument)
	none.Free()
}
