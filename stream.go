package mlx

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Stream is one MLX stream: an ordered queue of work on a device, like
// Python's mx.Stream. Streams are values (compare them with ==) that live as
// long as the process, as in MLX; Free retires one that a program no longer
// wants used (MLX cannot destroy streams). Any goroutine may
// use any stream: evaluation always happens on the OS thread that owns it.
type Stream struct {
	Device Device
	Index  int
}

// String prints the stream as Python MLX does: "Stream(Device(cpu, 0), 1)".
func (s Stream) String() string {
	return "Stream(" + s.Device.String() + ", " + itoa(s.Index) + ")"
}

// StreamOrDevice says where an op runs, like the stream= argument of Python
// MLX: a Stream; a Device or DeviceType, meaning that device's default
// stream; or nil, meaning the default stream of the default device. The
// "On" form of every op takes one; the plain form uses nil.
type StreamOrDevice interface {
	target(op string) (gomlxTarget, error)
}

func (s Stream) target(op string) (gomlxTarget, error) {
	e, err := s.entry(op)
	if err != nil {
		return gomlxTarget{}, err
	}
	return gomlxTarget{ctx: cuintptr(uintptr(e.ctx)), kind: gomlxStream}, nil
}

func (d Device) target(op string) (gomlxTarget, error) {
	if err := ensureDefaultStream(op, d); err != nil {
		return gomlxTarget{}, err
	}
	return gomlxTarget{kind: gomlxDevice, _type: cint(d.Type), index: cint(d.Index)}, nil
}

func (t DeviceType) target(op string) (gomlxTarget, error) {
	return Device{Type: t}.target(op)
}

// targetOf resolves where op runs; nil means the default, resolved in C.
func targetOf(op string, on StreamOrDevice) (gomlxTarget, error) {
	switch p := on.(type) {
	case nil:
		return gomlxTarget{}, nil
	case *Stream, *Device, *DeviceType:
		// The value methods make pointers StreamOrDevices too; a nil one
		// would panic in the method call.
		if p == (*Stream)(nil) || p == (*Device)(nil) || p == (*DeviceType)(nil) {
			return gomlxTarget{}, newError(op, "nil stream or device pointer", ErrInvalidArgument)
		}
	}
	return on.target(op)
}

// The registry of streams by MLX index. Handles are interned: one C handle
// per stream, never freed, so C may keep pointers to them (defaults, scopes).
type streamEntry struct {
	ctx    unsafe.Pointer
	stream Stream
	freed  bool // Stream.Free: the stream may not be used again
}

var (
	streamsMu sync.Mutex
	streams   atomic.Pointer[[]streamEntry]
)

func streamOf(c mlxStream) Stream {
	var typ, devIndex, index cint
	gomlxStreamInfo(c, &typ, &devIndex, &index)
	return Stream{Device: Device{Type: DeviceType(typ), Index: int(devIndex)}, Index: int(index)}
}

// registerStream interns a handle returned by MLX and returns its entry; a
// handle for a stream already known is freed.
func registerStream(c mlxStream) streamEntry {
	s := streamOf(c)
	streamsMu.Lock()
	defer streamsMu.Unlock()
	var table []streamEntry
	if p := streams.Load(); p != nil {
		table = *p
	}
	if s.Index < len(table) && table[s.Index].ctx != nil {
		mlxStreamFree(c)
		return table[s.Index]
	}
	grown := make([]streamEntry, max(len(table), s.Index+1))
	copy(grown, table)
	grown[s.Index] = streamEntry{ctx: c.ctx, stream: s}
	streams.Store(&grown)
	return grown[s.Index]
}

func (s Stream) entry(op string) (streamEntry, error) {
	if p := streams.Load(); p != nil && s.Index >= 0 && s.Index < len(*p) {
		if e := (*p)[s.Index]; e.ctx != nil && e.stream == s {
			if e.freed {
				return streamEntry{}, newError(op, fmt.Sprintf("%v used after Free", s), ErrFreed)
			}
			return e, nil
		}
	}
	return streamEntry{}, newError(op, fmt.Sprintf("unknown stream %v: make streams with NewStream or DefaultStream", s), ErrInvalidArgument)
}

// entryOfHandle finds the registry entry of a stream handle that a target
// carries as an integer.
func entryOfHandle(h cuintptr) streamEntry {
	for _, e := range *streams.Load() {
		if uintptr(e.ctx) == uintptr(h) {
			return e
		}
	}
	panic("mlx: stream handle not in the registry")
}

// Free retires s: from then on every use of s, or of a copy of it, returns an
// error matching ErrFreed. Free is safe to call twice. MLX keeps its streams
// for the life of the process (it cannot destroy one), so Free releases no
// MLX memory; the binding keeps its handle too, so that work already
// enqueued, and WithStream scopes already running on s, finish normally.
// The global default stream of a device cannot be freed: Free returns an
// error; make another stream the default first.
func (s Stream) Free() error {
	const op = "free_stream"
	if _, err := s.entry(op); err != nil {
		if errors.Is(err, ErrFreed) {
			return nil
		}
		return err
	}
	defaultsMu.Lock()
	defer defaultsMu.Unlock()
	streamsMu.Lock()
	defer streamsMu.Unlock()
	table := *streams.Load()
	e := table[s.Index]
	if gomlxDefaultStreamOf(cint(s.Device.Type), cint(s.Device.Index)) == e.ctx {
		return newError(op, fmt.Sprintf("%v is the default stream of %v: set another default stream first", s, s.Device), ErrInvalidArgument)
	}
	grown := slices.Clone(table)
	grown[s.Index].freed = true
	streams.Store(&grown)
	return nil
}

// NewStream makes a new stream on d, like Python's mx.new_stream(d).
func NewStream(d Device) (Stream, error) {
	const op = "new_stream"
	if err := d.check(op); err != nil {
		return Stream{}, err
	}
	r := ownerTask(gomlxTaskNewStream, d, nil, nil, 0)
	if r.err != nil {
		return Stream{}, takeError(op, r.err)
	}
	s := registerStream(r.stream).stream
	noteThread(op, s, r.tid)
	return s, nil
}

// DefaultStream returns the default stream of d, like Python's
// mx.default_stream(d): the calling goroutine's scoped stream if it is in a
// WithStream scope for a stream on d, else d's global default stream.
func DefaultStream(d Device) (Stream, error) {
	const op = "default_stream"
	if err := ensureDefaultStream(op, d); err != nil {
		return Stream{}, err
	}
	ctx := gomlxEffectiveStream(cint(d.Type), cint(d.Index))
	return streamOf(mlxStream{ctx: ctx}), nil
}

// SetDefaultStream makes s the global default stream of its device, like
// Python's mx.set_default_stream(s). It does not change the default device.
func SetDefaultStream(s Stream) error {
	const op = "set_default_stream"
	e, err := s.entry(op)
	if err != nil {
		return err
	}
	if err := ensureDefaultStream(op, s.Device); err != nil {
		return err
	}
	defaultsMu.Lock()
	defer defaultsMu.Unlock()
	if _, err := s.entry(op); err != nil { // freed meanwhile (Free takes defaultsMu too)
		return err
	}
	if r := ownerTask(gomlxTaskSetDefaultStream, Device{}, e.ctx, nil, 0); r.err != nil {
		return takeError(op, r.err)
	}
	gomlxSetDefaultStream(cint(s.Device.Type), cint(s.Device.Index), e.ctx)
	return nil
}

// Synchronize waits until all work enqueued on s so far has finished, like
// Python's mx.synchronize(s).
func (s Stream) Synchronize() error {
	const op = "synchronize"
	e, err := s.entry(op)
	if err != nil {
		return err
	}
	releasePending()
	r := ownerTask(gomlxTaskSyncBegin, Device{}, e.ctx, nil, 0)
	noteThread(op, s, r.tid)
	marker := r.marker
	defer freeArrayOut(marker)
	if r.err != nil {
		return takeError(op, r.err)
	}
	if pollGPU {
		gomlxPoll(&marker, 1, gpuPollNs)
	}
	if msg := gomlxWait(&marker, 1); msg != nil {
		return takeError(op, msg)
	}
	return nil
}

// Synchronize waits for the default stream of the default device, like
// Python's mx.synchronize().
func Synchronize() error {
	s, err := DefaultStream(DefaultDevice())
	if err != nil {
		return err
	}
	return s.Synchronize()
}

// WithStream runs fn with on as the calling goroutine's default, like
// Python's "with mx.stream(on):". A Stream becomes the default stream and its
// device the default device; a Device (or DeviceType) becomes the default
// device with its default stream. The previous defaults come back when fn
// returns or panics. The scope belongs to the calling goroutine only:
// goroutines started inside fn, like threads in Python, do not inherit it, and
// other goroutines never see it. Scopes nest. WithStream returns fn's error.
//
// The goroutine is locked to its OS thread while fn runs, which is where the
// scope is kept.
func WithStream(on StreamOrDevice, fn func() error) error {
	const op = "stream"
	if on == nil {
		return newError(op, "nil stream or device", ErrInvalidArgument)
	}
	t, err := targetOf(op, on)
	if err != nil {
		return err
	}
	next := gomlxScope{active: 1, _type: t._type, index: t.index}
	if t.kind == gomlxStream {
		e := entryOfHandle(t.ctx)
		s := e.stream
		next._type, next.index, next.stream = cint(s.Device.Type), cint(s.Device.Index), e.ctx
		if err := ensureDefaultStream(op, s.Device); err != nil {
			return err
		}
	}
	runtime.LockOSThread()
	prev := gomlxScopeSwap(next)
	defer func() {
		gomlxScopeSwap(prev)
		runtime.UnlockOSThread()
	}()
	return fn()
}

// Default streams per device: created on first use on the MLX thread (as
// MLX's own default streams of that thread) and published to C, where every
// op resolves its stream without calling back into Go.
var (
	defaultsMu    sync.Mutex
	defaultsReady [2][gomlxMaxDevices]atomic.Bool
)

func ensureDefaultStream(op string, d Device) error {
	if d.Type != CPU && d.Type != GPU || d.Index < 0 || d.Index >= gomlxMaxDevices {
		return d.check(op)
	}
	if defaultsReady[d.Type][d.Index].Load() {
		return nil
	}
	if err := d.check(op); err != nil {
		return err
	}
	defaultsMu.Lock()
	defer defaultsMu.Unlock()
	if defaultsReady[d.Type][d.Index].Load() {
		return nil
	}
	r := ownerTask(gomlxTaskDefaultStream, d, nil, nil, 0)
	if r.err != nil {
		return takeError(op, r.err)
	}
	s := registerStream(r.stream)
	noteThread("new_stream", s.stream, r.tid)
	gomlxSetDefaultStream(cint(d.Type), cint(d.Index), s.ctx)
	defaultsReady[d.Type][d.Index].Store(true)
	return nil
}
