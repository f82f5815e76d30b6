//go:build linux && !cgo

package mlx

import (
	"syscall"
	"unsafe"
)

// gomlxFirstHangup is distributed_peers_linux_cgo.go's gomlx_first_hangup:
// the index of the first socket whose peer closed or reset it, or -1.
func gomlxFirstHangup(fds *cint, n cint) cint {
	const pollRDHUP, pollHUP, pollERR, pollNVAL = 0x2000, 0x10, 0x8, 0x20
	type pollFd struct {
		fd             int32
		events, revent int16
	}
	if n > 64 {
		n = 64
	}
	var ps [64]pollFd
	for i, fd := range unsafe.Slice(fds, int(n)) {
		ps[i] = pollFd{fd: fd, events: pollRDHUP}
	}
	var zero [2]int64 // timeout 0: do not wait
	r, _, errno := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&ps[0])), uintptr(n), uintptr(unsafe.Pointer(&zero)), 0, 0, 0)
	if errno != 0 || r == 0 {
		return -1
	}
	for i := range ps[:n] {
		if ps[i].revent&(pollRDHUP|pollHUP|pollERR|pollNVAL) != 0 {
			return cint(i)
		}
	}
	return -1
}
