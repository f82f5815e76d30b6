package mlx

// Printing computation graphs: mlx_print_graph and mlx_export_to_dot write
// to a C FILE*; the shims give them an in-memory stream (open_memstream)
// and hand the text to Go, which writes it to an io.Writer.

/*
#define _GNU_SOURCE
#include <stdio.h>
#include "capi.h"

static char* gomlx_graph_text(int dot, mlx_node_namer namer, const mlx_array* a, size_t n,
                              char** text, size_t* size) {
  *text = NULL;
  *size = 0;
  FILE* f = open_memstream(text, size);
  if (!f) return strdup("cannot open an in-memory stream");
  mlx_node_namer fresh = {NULL};
  if (!namer.ctx) namer = fresh = mlx_node_namer_new();
  mlx_vector_array v = mlx_vector_array_new_data(a, n);
  gomlx_errmsg = NULL;
  int rc = namer.ctx ? (dot ? mlx_export_to_dot(f, namer, v) : mlx_print_graph(f, namer, v)) : 1;
  mlx_vector_array_free(v);
  if (fresh.ctx) mlx_node_namer_free(fresh);
  if (fclose(f) && !rc) {
    free(*text);
    *text = NULL;
    return strdup("cannot write to an in-memory stream");
  }
  if (rc) {
    free(*text);
    *text = NULL;
    return gomlx_take_error();
  }
  return NULL;
}

static char* gomlx_node_namer_new(mlx_node_namer* res) {
  gomlx_errmsg = NULL;
  *res = mlx_node_namer_new();
  return res->ctx ? NULL : gomlx_take_error();
}

static char* gomlx_node_namer_set_name(mlx_node_namer namer, mlx_array a, const char* name) {
  return gomlx_status(mlx_node_namer_set_name(namer, a, name));
}

// The name lives in the namer and changes with it: copied here.
static char* gomlx_node_namer_get_name(mlx_node_namer namer, mlx_array a, char** name) {
  const char* s = NULL;
  int rc = mlx_node_namer_get_name(&s, namer, a);
  if (!rc) *name = strdup(s ? s : "");
  return gomlx_status(rc);
}
*/
import "C"

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
	c       C.mlx_node_namer
	freed   bool
	cleanup runtime.Cleanup
}

// NewNodeNamer returns an empty NodeNamer. Free it when done. It wraps
// mlx_node_namer_new.
func NewNodeNamer() (*NodeNamer, error) {
	n := &NodeNamer{}
	if msg := C.gomlx_node_namer_new(&n.c); msg != nil {
		return nil, takeError("node_namer", msg)
	}
	n.cleanup = runtime.AddCleanup(n, func(c C.mlx_node_namer) { C.mlx_node_namer_free(c) }, n.c)
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
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	msg := C.gomlx_node_namer_set_name(n.c, a.c, cname)
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
	var cname *C.char
	msg := C.gomlx_node_namer_get_name(n.c, a.c, &cname)
	runtime.KeepAlive(a)
	runtime.KeepAlive(n)
	if msg != nil {
		return "", takeError(op, msg)
	}
	defer C.free(unsafe.Pointer(cname))
	return C.GoString(cname), nil
}

// Free releases the namer; calling it twice is fine. It wraps
// mlx_node_namer_free.
func (n *NodeNamer) Free() {
	if n == nil || n.freed {
		return
	}
	n.freed = true
	n.cleanup.Stop()
	C.mlx_node_namer_free(n.c)
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

func graphText(op string, dot C.int, w io.Writer, namer *NodeNamer, outputs []*Array) error {
	if w == nil {
		return newError(op, "nil writer", ErrInvalidArgument)
	}
	var cn C.mlx_node_namer
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
	var text *C.char
	var size C.size_t
	msg := C.gomlx_graph_text(dot, cn, &h[0], C.size_t(len(outputs)), &text, &size)
	runtime.KeepAlive(outputs)
	runtime.KeepAlive(namer)
	if msg != nil {
		return takeError(op, msg)
	}
	defer C.free(unsafe.Pointer(text))
	if _, err := w.Write(unsafe.Slice((*byte)(unsafe.Pointer(text)), int(size))); err != nil {
		return &Error{Op: op, Msg: err.Error(), Err: err}
	}
	return nil
}
