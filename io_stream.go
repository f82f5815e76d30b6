package mlx

// Loading and saving through Go readers and writers: MLX's custom reader
// and writer objects (mlx_io_reader, mlx_io_writer), whose callbacks call
// into Go (io_stream.c, io_stream_export.go).
//
// Where the callbacks run (MLX 0.31, read in its source):
//   - Loading parses the header (.npy) or the JSON header (.safetensors) in
//     the load call itself, on the caller's thread. The array data is read
//     lazily: evaluating a loaded array makes MLX read it on one of its own
//     I/O threads (a pool of 4, not Go threads), several arrays at once.
//     As Python's mx.load does with file objects, LoadFrom and
//     LoadSafetensorsFrom evaluate what they load before returning, so the
//     Go reader is never used after they return and its errors come back
//     from them.
//   - Saving evaluates the arrays and then writes, in one MLX call; it runs
//     on the MLX thread (see owner.go), and so do the writes.
// The reader and writer callbacks return nothing to MLX: a Go error is kept
// (good() turns false, reads give zeros from then on) and reported by the Go
// function once MLX returns, wrapped so that errors.Is and errors.As find it.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"unsafe"
)

var errOffset = errors.New("offset out of range")

// ioStream is the Go side of one custom reader or writer.
type ioStream struct {
	// Reading: the source is the bytes [0, size) of ra, shifted by base.
	ra     io.ReaderAt
	base   int64
	size   int64
	seeker io.Seeker // left after the bytes read, if the source is one
	// Writing.
	w io.Writer

	mu  sync.Mutex
	pos int64 // position of sequential reads and writes, from the start
	end int64 // end of the furthest bytes read
	err error // the first error; sticky
}

func (s *ioStream) good() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err == nil
}

func (s *ioStream) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = err
	}
}

func (s *ioStream) tell() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pos
}

// seek moves the position of sequential reads and writes; whence is C's
// SEEK_SET, SEEK_CUR or SEEK_END, which io's constants equal.
func (s *ioStream) seek(off int64, whence int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return
	}
	if s.w != nil { // MLX 0.31 never seeks writers
		s.err = fmt.Errorf("seek(%d, %d) on a writer: not supported", off, whence)
		return
	}
	p := off
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		p += s.pos
	case io.SeekEnd:
		p += s.size
	default:
		s.err = fmt.Errorf("seek(%d, %d): bad whence", off, whence)
		return
	}
	if p < 0 {
		s.err = fmt.Errorf("seek(%d, %d): negative position %d", off, whence, p)
		return
	}
	s.pos = p
}

// read fills p from offset off of the source, or from the sequential
// position if off < 0. After an error p is zeroed: MLX reads on.
func (s *ioStream) read(p []byte, off int64) {
	s.mu.Lock()
	if off < 0 {
		off = s.pos
		s.pos += int64(len(p))
	}
	failed := s.err != nil
	s.mu.Unlock()
	if failed {
		clear(p)
		return
	}
	if err := s.readAt(p, off); err != nil {
		clear(p)
		s.fail(err)
		return
	}
	s.mu.Lock()
	if e := off + int64(len(p)); e > s.end {
		s.end = e
	}
	s.mu.Unlock()
}

func (s *ioStream) readAt(p []byte, off int64) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic in reader: %v", r)
		}
	}()
	if off > s.size || int64(len(p)) > s.size-off {
		return fmt.Errorf("reading %d bytes at offset %d of %d: %w", len(p), off, s.size, io.ErrUnexpectedEOF)
	}
	n, err := s.ra.ReadAt(p, s.base+off)
	if n == len(p) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("reading %d bytes at offset %d: %w", len(p), off, err)
}

func (s *ioStream) write(p []byte) {
	if !s.good() {
		return
	}
	n, err := s.callWrite(p)
	s.mu.Lock()
	at := s.pos
	s.pos += int64(n)
	s.mu.Unlock()
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		s.fail(fmt.Errorf("writing %d bytes at offset %d: %w", len(p), at, err))
	}
}

func (s *ioStream) callWrite(p []byte) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("panic in writer: %v", r)
		}
	}()
	n, err = s.w.Write(p)
	if n < 0 || n > len(p) {
		n, err = 0, fmt.Errorf("writer returned the count %d for %d bytes", n, len(p))
	}
	return n, err
}

// result returns the stream's error, if any, as the error of op; else the
// error MLX reported (msg, freed here), if any.
func (s *ioStream) result(op string, msg *cchar) error {
	s.mu.Lock()
	err := s.err
	s.mu.Unlock()
	if err != nil {
		if msg != nil {
			cFree(unsafe.Pointer(msg))
		}
		return &Error{Op: op, Msg: err.Error(), Err: err}
	}
	if msg != nil {
		return takeError(op, msg)
	}
	return nil
}

// seekReaderAt reads at offsets from an io.ReadSeeker, one read at a time.
type seekReaderAt struct {
	mu sync.Mutex
	rs io.ReadSeeker
}

func (r *seekReaderAt) ReadAt(p []byte, off int64) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.rs.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	return io.ReadFull(r.rs, p)
}

// newReadStream sees r as bytes from its current position to its end (see
// LoadFrom).
func newReadStream(op string, r io.Reader) (*ioStream, error) {
	if r == nil {
		return nil, newError(op, "nil reader", ErrInvalidArgument)
	}
	goErr := func(err error) error { return &Error{Op: op, Msg: err.Error(), Err: err} }
	s := &ioStream{}
	if sk, ok := r.(io.Seeker); ok {
		base, err := sk.Seek(0, io.SeekCurrent)
		if err != nil {
			return nil, goErr(err)
		}
		end, err := sk.Seek(0, io.SeekEnd)
		if err != nil {
			return nil, goErr(err)
		}
		if _, err := sk.Seek(base, io.SeekStart); err != nil {
			return nil, goErr(err)
		}
		s.base, s.size, s.seeker = base, max(end-base, 0), sk
		if ra, ok := r.(io.ReaderAt); ok {
			s.ra = ra
		} else {
			s.ra = &seekReaderAt{rs: r.(io.ReadSeeker)}
		}
		return s, nil
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, goErr(err)
	}
	s.ra, s.size = bytes.NewReader(data), int64(len(data))
	return s, nil
}

// done leaves a seekable source after the bytes MLX read.
func (s *ioStream) done() {
	if s.seeker != nil {
		s.mu.Lock()
		end := s.end
		s.mu.Unlock()
		_, _ = s.seeker.Seek(s.base+end, io.SeekStart)
	}
}

// ioLabel names a reader or writer in MLX's messages: its Name() (an
// *os.File's path) or its type.
func ioLabel(v any) string {
	if n, ok := v.(interface{ Name() string }); ok {
		return n.Name()
	}
	return fmt.Sprintf("%T", v)
}

// newCReader makes the MLX reader over s. MLX owns the handle from here on
// and deletes it when it drops the reader, possibly later, on any thread.
func newCReader(op string, s *ioStream, label string) (mlxIoReader, error) {
	h := newHandle(s)
	cl := cString(label)
	defer cFree(unsafe.Pointer(cl))
	r := gomlxIoReaderNew(cuintptr(h), cl)
	if r.ctx == nil {
		h.Delete()
		return r, newError(op, "cannot create an MLX reader", nil)
	}
	return r, nil
}

func newCWriter(op string, s *ioStream, label string) (mlxIoWriter, error) {
	h := newHandle(s)
	cl := cString(label)
	defer cFree(unsafe.Pointer(cl))
	w := gomlxIoWriterNew(cuintptr(h), cl)
	if w.ctx == nil {
		h.Delete()
		return w, newError(op, "cannot create an MLX writer", nil)
	}
	return w, nil
}

// LoadFrom reads an array in .npy format from r, like Python's mx.load with
// a file object; Load reads a file by name. It wraps mlx_load_reader over an
// mlx_io_reader whose callbacks call r.
//
// If r is an io.Seeker (*os.File, bytes.Reader, io.SectionReader, ...), the
// stream runs from r's current position to its end, and is read at offsets,
// concurrently if r is also an io.ReaderAt, else one read at a time; wrap an
// io.ReaderAt in io.NewSectionReader. Any other reader is read to its end
// first.
//
// MLX loads lazily; LoadFrom evaluates the array before it returns, so r is
// not used afterwards, and a Seeker is left just after the array's bytes (so
// arrays saved one after another can be loaded one after another). MLX reads
// the data on its own I/O threads: r must not evaluate arrays. An error r
// returns (or a panic in r) comes back wrapped in the *Error: errors.Is
// finds it.
func LoadFrom(r io.Reader) (*Array, error) { return LoadFromOn(nil, r) }

// LoadFromOn is LoadFrom on the given stream or device; nil means the default.
func LoadFromOn(on StreamOrDevice, r io.Reader) (*Array, error) {
	const op = "load"
	if loadErr := libError(); loadErr != nil {
		return nil, loadErr
	}
	var err error
	t := targetArg(op, on, &err)
	if err != nil {
		return nil, err
	}
	s, err := newReadStream(op, r)
	if err != nil {
		return nil, err
	}
	cr, err := newCReader(op, s, ioLabel(r))
	if err != nil {
		return nil, err
	}
	res := gomlxIoLoad(cr, t)
	if res.err != nil || !s.good() {
		freeArrayOut(res.res)
		return nil, s.result(op, res.err)
	}
	a := newArray(res.res)
	if err := Eval(a); err != nil {
		a.Free()
		return nil, err
	}
	if err := s.result(op, nil); err != nil {
		a.Free()
		return nil, err
	}
	s.done()
	return a, nil
}

// LoadSafetensorsFrom reads the arrays, by name, and the string metadata of
// a .safetensors stream from r; LoadSafetensors reads a file by name. r is
// read as LoadFrom reads it, and the arrays are evaluated before it
// returns. It wraps mlx_load_safetensors_reader.
func LoadSafetensorsFrom(r io.Reader) (map[string]*Array, map[string]string, error) {
	return LoadSafetensorsFromOn(nil, r)
}

// LoadSafetensorsFromOn is LoadSafetensorsFrom on the given stream or
// device; nil means the default.
func LoadSafetensorsFromOn(on StreamOrDevice, r io.Reader) (map[string]*Array, map[string]string, error) {
	const op = "load_safetensors"
	if loadErr := libError(); loadErr != nil {
		return nil, nil, loadErr
	}
	var err error
	t := targetArg(op, on, &err)
	if err != nil {
		return nil, nil, err
	}
	s, err := newReadStream(op, r)
	if err != nil {
		return nil, nil, err
	}
	cr, err := newCReader(op, s, ioLabel(r))
	if err != nil {
		return nil, nil, err
	}
	var arraysC mlxMapStringToArray
	var metaC mlxMapStringToString
	msg := gomlxIoLoadSafetensors(cr, t, &arraysC, &metaC)
	if msg != nil || !s.good() {
		freeMapArraysOut(arraysC)
		freeMapStringsOut(metaC)
		return nil, nil, s.result(op, msg)
	}
	arrays, meta := arraysFromMap(arraysC), stringsFromMap(metaC)
	all := make([]*Array, 0, len(arrays))
	for _, a := range arrays {
		all = append(all, a)
	}
	err = Eval(all...)
	if err == nil {
		err = s.result(op, nil)
	}
	if err != nil {
		for _, a := range all {
			a.Free()
		}
		return nil, nil, err
	}
	s.done()
	return arrays, meta, nil
}

// SaveTo writes a to w in .npy format, like Python's mx.save with a file
// object; Save writes a file by name. It wraps mlx_save_writer over an
// mlx_io_writer whose callbacks call w.
//
// The array is evaluated first. MLX then writes (a header, then the data in
// one call) on the MLX thread, which evaluates nothing else meanwhile: give
// a slow w a buffer, and do not evaluate arrays or create streams in w (an
// evaluation there returns an error). An error w returns (or a panic in w)
// comes back wrapped in the *Error: errors.Is finds it.
func SaveTo(w io.Writer, a *Array) error {
	const op = "save"
	if loadErr := libError(); loadErr != nil {
		return loadErr
	}
	if w == nil {
		return newError(op, "nil writer", ErrInvalidArgument)
	}
	if err := a.use(op); err != nil {
		return err
	}
	if err := Eval(a); err != nil {
		return err
	}
	s := &ioStream{w: w}
	cw, err := newCWriter(op, s, ioLabel(w))
	if err != nil {
		return err
	}
	msg := gomlxIoSave(cw, a.c())
	runtime.KeepAlive(a)
	return s.result(op, msg)
}

// SaveSafetensorsTo writes the arrays in arrays, by name, and the string
// metadata to w in .safetensors format; SaveSafetensors writes a file by
// name. w is used as SaveTo uses it. It wraps mlx_save_safetensors_writer.
func SaveSafetensorsTo(w io.Writer, arrays map[string]*Array, metadata map[string]string) error {
	const op = "save_safetensors"
	if loadErr := libError(); loadErr != nil {
		return loadErr
	}
	if w == nil {
		return newError(op, "nil writer", ErrInvalidArgument)
	}
	all := make([]*Array, 0, len(arrays))
	for _, a := range arrays {
		if err := a.use(op); err != nil {
			return err
		}
		all = append(all, a)
	}
	if err := Eval(all...); err != nil {
		return err
	}
	var err error
	arraysC := mapArraysArg(op, arrays, &err)
	defer mlxMapStringToArrayFree(arraysC)
	metaC := mapStringsArg(metadata)
	defer mlxMapStringToStringFree(metaC)
	if err != nil {
		return err
	}
	s := &ioStream{w: w}
	cw, err := newCWriter(op, s, ioLabel(w))
	if err != nil {
		return err
	}
	msg := gomlxIoSaveSafetensors(cw, arraysC, metaC)
	runtime.KeepAlive(arrays)
	return s.result(op, msg)
}
