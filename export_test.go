package mlx

// Test-only access to the package's internals.

// SetThreadHook installs (or, with nil, removes) a function called on the MLX
// thread after every stream creation, evaluation and synchronization, with
// the OS thread id it ran on.
func SetThreadHook(h func(event string, s Stream, tid int)) {
	if h == nil {
		threadHook.Store(nil)
		return
	}
	threadHook.Store(&h)
}

// OwnerThreadID is the OS thread id of the MLX thread.
func OwnerThreadID() int { _ = Check(); return ownerTID } // Check loads mlx-c in builds without cgo

// CurrentThreadID returns the OS thread id the caller runs on now.
var CurrentThreadID = currentThreadID
