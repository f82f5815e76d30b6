// Package mlx is the Go binding of MLX, Apple's array framework for machine
// learning, over MLX's C API (mlx-c). Go programs build lazy array graphs,
// choose devices and streams as MLX's Python API does, and run them on MLX's
// real backends: the CPU, Metal on Apple silicon, CUDA on NVIDIA GPUs.
//
// # Lazy evaluation
//
// Ops such as Add, Matmul or Reshape record a node in a graph and return at
// once; nothing is computed until the result is needed. Eval computes arrays
// (AsyncEval only schedules them); reading data with Data, Item or String
// evaluates first:
//
//	a := mlx.FromSlice([]float32{1, 2, 3, 4}, 2, 2)
//	b := mlx.Matmul(a, a) // lazy
//	v, err := mlx.Data[float32](b)
//
// # Errors
//
// Ops never panic and never exit the process, whatever their input. An op
// given bad input (mismatched shapes, a bad axis, a nil or freed array)
// returns an array that carries the error; every op fed that array passes
// the first error on, and it surfaces at Eval, at a data read, or from
// Array.Err. Functions whose results are not arrays return (value, error).
// Every error is an *Error that reads "mlx: <op>: <message>", with MLX's own
// message; match it with errors.As, and binding-detected problems with
// errors.Is (ErrNilArray, ErrFreed, ErrInvalidArgument, ErrVersion).
//
// mlx-c's default error handler prints and exits; the package installs its
// own at start-up. Every mlx-c call goes through a small C shim that takes
// MLX's message from the failing OS thread within the same cgo call, so an
// error always reaches the goroutine that caused it.
//
// # Devices and streams
//
// A Device is a value (Device{Type: GPU, Index: 0}, printed "Device(gpu, 0)");
// DeviceCount, Device.IsAvailable and Device.Info describe them. A Stream is
// an ordered queue of work on a device (printed "Stream(Device(cpu, 0), 1)"),
// made with NewStream. Every op comes in two forms: Add(a, b) runs on the
// default stream; AddOn(on, a, b) runs where on says: a Stream; a Device or
// DeviceType, meaning that device's default stream; or nil, the default.
//
// Defaults: DefaultDevice/SetDefaultDevice and DefaultStream/SetDefaultStream
// set them for the whole program. WithStream(s, fn) makes s (or a device) the
// default for the calling goroutine while fn runs, like Python's
// "with mx.stream(s):", and restores the previous default when fn returns or
// panics. Synchronize waits for a stream's work.
//
// # The goroutine model
//
// MLX keeps its default streams per OS thread and binds a GPU stream to the
// thread that created it (CPU streams too from MLX 0.32); goroutines move
// between OS threads. The package therefore never relies on MLX's
// thread-local state:
//
//   - Every op names its stream explicitly. The default is resolved in C, in
//     the same cgo call as the op, from the package's own global defaults or
//     the calling goroutine's WithStream scope.
//   - One dedicated goroutine, locked to one OS thread (the MLX thread),
//     creates every stream and schedules every evaluation and
//     synchronization, so a graph always evaluates on the thread that owns
//     its streams, whichever goroutine asks. It only schedules: the asking
//     goroutine waits for the results on its own thread, so work on
//     different streams overlaps and a long computation does not hold up
//     other goroutines.
//   - A WithStream scope locks its goroutine to its OS thread while it runs
//     and keeps the scoped default in that thread's C state, so it never
//     leaks into other goroutines. Goroutines started inside the scope do not
//     inherit it, as threads do not in Python.
//
// MLX keeps its tracing state in globals, so transforms (Grad, VJP, Vmap,
// Compile, ...) take turns process-wide, and evaluation waits for a
// transform in progress; evaluating inside a transformed function is an
// error.
//
// Any goroutine may use any stream and any array. Work on one stream runs in
// the order it was submitted. An Array is not synchronized for concurrent
// Free and use; share arrays between goroutines the way you share any Go
// value, and read them concurrently as you like.
//
// # Memory
//
// An Array is a small Go value holding MLX memory the Go garbage collector
// cannot see. Free releases it at once (safe to call twice; using a freed
// array is an error, never a crash). Scope frees every array its goroutine
// made inside it, except those passed to Keep: one Scope per loop step keeps
// memory flat, and is also the cheapest way to build graphs (no finalizer per
// array). Arrays that are never freed are released after the garbage
// collector finds them unreachable, which is a backstop, not a plan (the
// package starts a collection when MLX's memory has doubled since the last
// one, so memory grows to about twice what is live plus 64 MiB); their
// finalizers are set in batches, so an array freed soon after it was made
// never pays for one. TrackLeaks (or MLX_GO_TRACK_LEAKS=1) reports where
// arrays that reached the backstop were made.
//
// Data moves at most once: FromSlice copies a Go slice into MLX, and
// FromSliceNoCopy lends it (pinned) where MLX's allocator can adopt host
// memory, copying it once where it cannot; CopyTo reads into a caller's slice,
// Data into a new one, and DataView is a zero-copy view valid while the array
// lives. ActiveMemory, PeakMemory, CacheMemory, SetMemoryLimit, SetCacheLimit,
// SetWiredLimit and ClearCache expose MLX's allocator.
//
// # Distributed
//
// DistributedInit joins a job of several processes (Python's
// mx.distributed.init) and returns its Group; AllSum, AllGather, AllMax,
// AllMin, SumScatter, Send, Recv and RecvLike are ops like any other (lazy,
// with an On form), nil meaning the global group. MLX's backends wait without
// end for a peer that died: Group.Eval evaluates with a timeout and reports a
// lost ring neighbour (ErrPeerLost). cmd/mlxlaunch starts ring jobs on this
// machine; examples/distributed trains data-parallel.
//
// # Linking
//
// cgo_flags.go links -lmlxc -lmlx from /usr/local on Linux and from
// Homebrew's prefix on macOS (brew install mlx-c). Point elsewhere with
// CGO_CFLAGS / CGO_LDFLAGS, or make MLX_PREFIX=dir. At start-up the package
// checks that the loaded MLX is the version the bindings were generated for
// (BindingsVersion); Check reports a mismatch, and constructors and Eval
// return it.
//
// Built with CGO_ENABLED=0 the package has the same API and loads mlx-c at
// run time through github.com/ebitengine/purego instead: nothing happens in
// init; the first call opens the library named by SetLibraryPath, else by
// the MLX_C_LIBRARY environment variable, else /usr/local/lib/libmlxc.so on
// Linux or Homebrew's /opt/homebrew/lib/libmlxc.dylib (then /usr/local/lib)
// on macOS, resolves every mlx-c function the bindings call and checks the
// version. A missing library or function is an error wrapping ErrLibrary,
// returned by Check and by every op. The hand-written code is shared; only a
// thin platform layer differs (*_cgo.go with C shims, purego_*.go with the
// same steps in Go), and gen writes both call layers from the same headers.
// The same guarantees hold: MLX's error handler is a purego callback, which
// runs on the goroutine of the failing call and files the message under it;
// scoped defaults and memory scopes live in Go keyed by goroutine, which holds
// its OS thread while they are open (no lookup while no scope is open
// anywhere); the MLX thread is a goroutine locked to its thread. Each call costs more than in
// the cgo build (see the README's benchmarks).
//
// # The generated layer
//
// The *_gen.go files wrap every public mlx-c function that is not
// hand-written or deliberately skipped, one file per mlx-c header, with its
// two call layers beside it (X_cgo_gen.go, X_purego_gen.go). They are
// written by the program in gen/ from the installed headers (make generate,
// or go generate); make check-generated proves the committed files match.
// names.md lists every mlx-c function with its Go name. Conventions: C
// pointer+count pairs become slices; the _axis/_axes variants of reductions
// fold into one function taking axes ...int, where no axes means all; optional
// arguments are Optional values whose zero value means unset.
package mlx

//go:generate go run ./gen
