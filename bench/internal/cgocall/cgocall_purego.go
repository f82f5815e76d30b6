//go:build !cgo

// Package cgocall measures the floor under every binding call; built
// without cgo, purego's (see cgocall.go).
package cgocall

import (
	"runtime"

	"github.com/ebitengine/purego"
)

// The floor of a purego call: libc's labs, about as cheap as a C function
// gets, called through purego.SyscallN.
var labs = func() uintptr {
	name := "libc.so.6"
	if runtime.GOOS == "darwin" {
		name = "/usr/lib/libSystem.B.dylib"
	}
	h, err := purego.Dlopen(name, purego.RTLD_NOW|purego.RTLD_GLOBAL)
	if err != nil {
		panic(err)
	}
	addr, err := purego.Dlsym(h, "labs")
	if err != nil {
		panic(err)
	}
	return addr
}()

// Noop calls a trivial C function (labs(0)).
func Noop() { purego.SyscallN(labs, 0) }

// Pass calls it with two pointer-sized arguments, as the bindings pass two
// mlx_array handles.
func Pass() bool {
	r, _, _ := purego.SyscallN(labs, 1, 1)
	return r != 0
}
