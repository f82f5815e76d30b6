//go:build !cgo

package mlx

import (
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

var (
	threadIDOnce sync.Once
	threadIDFn   uintptr // pthread_threadid_np
)

// gettid returns the calling OS thread's id (pthread_threadid_np).
func gettid() int {
	threadIDOnce.Do(func() {
		lib, err := purego.Dlopen("/usr/lib/libSystem.B.dylib", purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err == nil {
			threadIDFn, _ = purego.Dlsym(lib, "pthread_threadid_np")
		}
		if threadIDFn == 0 {
			panic("mlx: cannot find pthread_threadid_np in libSystem")
		}
	})
	var tid uint64
	rawCall(threadIDFn, 0, uintptr(unsafe.Pointer(&tid)))
	return int(tid)
}
