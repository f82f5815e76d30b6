package mlx

// Go functions that MLX calls back through custom readers and writers
// (io_stream.c). A file with //export may only declare C functions in its
// preamble.

// #include "capi.h"
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

func ioStreamOf(h C.uintptr_t) *ioStream { return cgo.Handle(h).Value().(*ioStream) }

//export gomlxIOGood
func gomlxIOGood(h C.uintptr_t) C.bool { return C.bool(ioStreamOf(h).good()) }

//export gomlxIOTell
func gomlxIOTell(h C.uintptr_t) C.size_t { return C.size_t(ioStreamOf(h).tell()) }

//export gomlxIOSeek
func gomlxIOSeek(h C.uintptr_t, off C.int64_t, whence C.int) {
	ioStreamOf(h).seek(int64(off), int(whence))
}

//export gomlxIORead
func gomlxIORead(h C.uintptr_t, data *C.char, n C.size_t) {
	ioStreamOf(h).read(cBytes(data, n), -1)
}

//export gomlxIOReadAt
func gomlxIOReadAt(h C.uintptr_t, data *C.char, n, off C.size_t) {
	s := ioStreamOf(h)
	if uint64(off) > 1<<62 {
		s.fail(errOffset)
		clear(cBytes(data, n))
		return
	}
	s.read(cBytes(data, n), int64(off))
}

//export gomlxIOWrite
func gomlxIOWrite(h C.uintptr_t, data *C.char, n C.size_t) {
	ioStreamOf(h).write(cBytes(data, n))
}

// cBytes views n bytes of C memory.
func cBytes(data *C.char, n C.size_t) []byte {
	if n == 0 || data == nil {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(data)), int(n))
}
