//go:build amd64 || arm64

package gptr

// Get returns the calling goroutine's runtime address; never 0 or 1.
func Get() uintptr
