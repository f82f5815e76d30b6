//go:build cgo

// Package cgocall measures the floor under every binding call: one cgo call
// of an empty C function, and one passing a struct that holds a C pointer
// (as every op passes mlx_array handles), which cgo checks at run time under
// the default GODEBUG=cgocheck=1. It needs no MLX.
//
// Built without cgo (CGO_ENABLED=0) it measures purego's floor instead
// (cgocall_purego.go).
package cgocall

/*
#include <stdlib.h>
typedef struct { void* ctx; } handle;
static void noop(void) {}
static void* pass(handle a, handle b) { return a.ctx; }
static void* cptr(void) { return malloc(16); }
*/
import "C"

var h = C.handle{ctx: C.cptr()}

// Noop calls an empty C function.
func Noop() { C.noop() }

// Pass passes two structs holding a C pointer, as the bindings pass two
// mlx_array arguments.
func Pass() bool { return C.pass(h, h) != nil }
