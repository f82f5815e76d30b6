//go:build !amd64 && !arm64

package gptr

import (
	"runtime"
	"strconv"
	"strings"
)

// Get returns the calling goroutine's id, read from its stack trace's first
// line ("goroutine 7 [running]:"), plus 2 to stay clear of 0 and 1: slow, for
// architectures without the assembly of gptr_amd64.s and gptr_arm64.s.
func Get() uintptr {
	var buf [64]byte
	line := string(buf[:runtime.Stack(buf[:], false)])
	line = strings.TrimPrefix(line, "goroutine ")
	id, _ := strconv.ParseUint(line[:strings.IndexByte(line, ' ')], 10, 64)
	return uintptr(id) + 2
}
