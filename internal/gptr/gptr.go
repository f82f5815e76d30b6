// Package gptr reads the address of the calling goroutine's runtime record
// (the g that Go's runtime keeps in thread-local storage), a key that
// identifies a goroutine for as long as it runs. Package mlx keys per-goroutine
// state with it: Go has no goroutine-local storage, and the OS thread id costs
// a system call. A cgo package cannot hold Go assembly, hence this package.
package gptr
