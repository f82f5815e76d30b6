package mlx

// Go functions that MLX calls back through custom readers and writers:
// exported to io_stream.c in the cgo build (io_stream_export_cgo.go), purego
// callbacks in the purego build (purego_extra.go).

import (
	"unsafe"
)

func ioStreamOf(h cuintptr) *ioStream { return handle(h).Value().(*ioStream) }

func ioGood(h cuintptr) cbool { return cbool(ioStreamOf(h).good()) }

func ioTell(h cuintptr) csize { return csize(ioStreamOf(h).tell()) }

func ioSeek(h cuintptr, off cint64, whence cint) {
	ioStreamOf(h).seek(int64(off), int(whence))
}

func ioRead(h cuintptr, data *cchar, n csize) {
	ioStreamOf(h).read(cBytes(data, n), -1)
}

func ioReadAt(h cuintptr, data *cchar, n, off csize) {
	s := ioStreamOf(h)
	if uint64(off) > 1<<62 {
		s.fail(errOffset)
		clear(cBytes(data, n))
		return
	}
	s.read(cBytes(data, n), int64(off))
}

func ioWrite(h cuintptr, data *cchar, n csize) {
	ioStreamOf(h).write(cBytes(data, n))
}

// cBytes views n bytes of C memory.
func cBytes(data *cchar, n csize) []byte {
	if n == 0 || data == nil {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(data)), int(n))
}
