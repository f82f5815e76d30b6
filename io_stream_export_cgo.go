//go:build cgo

package mlx

// #include "capi.h"
import "C"

//export gomlxIOGood
func gomlxIOGood(h C.uintptr_t) C.bool { return ioGood(h) }

//export gomlxIOTell
func gomlxIOTell(h C.uintptr_t) C.size_t { return ioTell(h) }

//export gomlxIOSeek
func gomlxIOSeek(h C.uintptr_t, off C.int64_t, whence C.int) { ioSeek(h, off, whence) }

//export gomlxIORead
func gomlxIORead(h C.uintptr_t, data *C.char, n C.size_t) { ioRead(h, data, n) }

//export gomlxIOReadAt
func gomlxIOReadAt(h C.uintptr_t, data *C.char, n, off C.size_t) { ioReadAt(h, data, n, off) }

//export gomlxIOWrite
func gomlxIOWrite(h C.uintptr_t, data *C.char, n C.size_t) { ioWrite(h, data, n) }
