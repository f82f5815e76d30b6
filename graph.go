package mlx

// Printing computation graphs: mlx_print_graph and mlx_export_to_dot write
// to a C FILE*; the shims give them an in-memory stream (open_memstream)
// and hand the text to Go, which writes it to an io.Writer.

import (
	"io"
	"runtime"
	"unsafe"
)

// NodeNamer names the arrays of a printed graph (ExportToDot, PrintGraph).
// Arrays it has no name for get the next of A, B, ..., Z, AA, AB, ... when
// first named. It wraps mlx_node_namer, which keys names by array identity:
// an array copied by an op that returns its input unchanged is the same
// node. A NodeNamer is not safe for concurrent use.
type NodeNamer struct {
	c       mlxNodeNamer
	freed   bool
	cleanup runtime.Cleanup
}

// NewNodeNamer returns an empty NodeNamer. Free it when done. It wraps
// mlx_node_namer_new.
func NewNodeNamer() (*NodeNamer, error) {
	n := &NodeNamer{}
	if msg := gomlxNodeNamerNew(&n.c); msg != nil {
		return nil, takeError("node_namer", msg)
	}
	n.cleanup = runtime.AddCleanup(n, func(c mlxNodeNamer) { mlxNodeNamerFree(c) }, n.c)
	return n, nil
}

func (n *NodeNamer) use(op string) error {
	switch {
	case n == nil:
		return newError(op, "nil NodeNamer", ErrInvalidArgument)
	case n.freed:
		return newError(op, "NodeNamer used after Free", ErrFreed)
	}
	return nil
}

// SetName names a in the graphs printed with n. It wraps
// mlx_node_namer_set_name.
func (n *NodeNamer) SetName(a *Array, name string) error {
	const op = "node_namer.set_name"
	if err := n.use(op); err != nil {
		return err
	}
	if err := a.use(op); err != nil {
		return err
	}
	cname := cString(name)
	defer cFree(unsafe.Pointer(cname))
	msg := gomlxNodeNamerSetName(n.c, a.c(), cname)
	runtime.KeepAlive(a)
	runtime.KeepAlive(n)
	if msg != nil {
		return takeError(op, msg)
	}
	return nil
}

// Name returns a's name, giving it the next letter name if it has none. It
// wraps mlx_node_namer_get_name.
func (n *NodeNamer) Name(a *Array) (string, error) {
	const op = "node_namer.get_name"
	if err := n.use(op); err != nil {
		return "", err
	}
	if err := a.use(op); err != nil {
		return "", err
	}
	var cname *cchar
	msg := gomlxNodeNamerGetName(n.c, a.c(), &cname)
	runtime.KeepAlive(a)
	runtime.KeepAlive(n)
	if msg != nil {
		return "", takeError(op, msg)
	}
	defer cFree(unsafe.Pointer(cname))
	return goString(cname), nil
}

// Free releases the namer; calling it twice is fine. It wraps
// mlx_node_namer_free.
func (n *NodeNamer) Free() {
	if n == nil || n.freed {
		return
	}
	n.freed = true
	n.cleanup.Stop()
	mlxNodeNamerFree(n.c)
	n.c.ctx = nil
}

// PrintGraph writes the graph that computes outputs to w as text, like
// MLX's C++ print_graph: a line of inputs (arrays not computed by an op in
// the graph: evaluated or constant arrays), a line of outputs, then one line
// per op in the order MLX would run them, "<Op> <inputs> -> <outputs>", each
// array written as "<name> [(<shape>), <dtype>]". Names come from namer (nil:
// a fresh one); names given during printing are not kept in it. Evaluated
// outputs have no graph left: print before Eval. It wraps mlx_print_graph.
func PrintGraph(w io.Writer, namer *NodeNamer, outputs ...*Array) error {
	return graphText("print_graph", 0, w, namer, outputs)
}

// ExportToDot writes the graph that computes outputs to w in Graphviz's DOT
// language (render it with dot -Tsvg): inputs, ops (boxes labelled with the
// op's name) and outputs, with arrays named as PrintGraph names them. It
// wraps mlx_export_to_dot.
func ExportToDot(w io.Writer, namer *NodeNamer, outputs ...*Array) error {
	return graphText("export_to_dot", 1, w, namer, outputs)
}

func graphText(op string, dot cint, w io.Writer, namer *NodeNamer, outputs []*Array) error {
	if w == nil {
		return newError(op, "nil writer", ErrInvalidArgument)
	}
	var cn mlxNodeNamer
	if namer != nil {
		if err := namer.use(op); err != nil {
			return err
		}
		cn = namer.c
	}
	h, err := handles(op, outputs)
	if err != nil {
		return err
	}
	var text *cchar
	var size csize
	msg := gomlxGraphText(dot, cn, &h[0], csize(len(outputs)), &text, &size)
	runtime.KeepAlive(outputs)
	runtime.KeepAlive(namer)
	if msg != nil {
		return takeError(op, msg)
	}
	defer cFree(unsafe.Pointer(text))
	if _, err := w.Write(unsafe.Slice((*byte)(unsafe.Pointer(text)), int(size))); err != nil {
		return &Error{Op: op, Msg: err.Error(), Err: err}
	}
	return nil
}
