package mlx

import (
	"errors"
	"strings"
)

// Error is the error of one MLX operation. Op names the operation as MLX's
// Python API does ("add", "sum", "linalg.inv", "random.normal", "eval",
// "set_default_device"); Msg is
// MLX's own message without mlx-c's source location, or the binding's
// description of bad input. Match it with errors.As; binding-detected
// problems also wrap a sentinel (ErrFreed, ErrNilArray, ...) for errors.Is.
type Error struct {
	Op  string
	Msg string
	Err error // a sentinel, or the error a Go function returned inside a transform
}

func (e *Error) Error() string { return "mlx: " + e.Op + ": " + e.Msg }

// Unwrap returns the sentinel error this error wraps, if any.
func (e *Error) Unwrap() error { return e.Err }

// Sentinels wrapped by *Error for problems the binding detects itself.
var (
	// ErrNilArray: a nil *Array was passed where an array is required.
	ErrNilArray = errors.New("nil array")
	// ErrFreed: an array was used after Free.
	ErrFreed = errors.New("array used after Free")
	// ErrInvalidArgument: a shape, length, dtype, device or stream the binding rejects before calling MLX.
	ErrInvalidArgument = errors.New("invalid argument")
	// ErrVersion: the loaded MLX is not the version these bindings were generated for.
	ErrVersion = errors.New("MLX version mismatch")
	// ErrLibrary: mlx-c could not be loaded, or lacks a function the bindings call (builds with
	// CGO_ENABLED=0, which load it at first use).
	ErrLibrary = errors.New("mlx-c not loaded")
)

func newError(op, msg string, sentinel error) *Error {
	return &Error{Op: op, Msg: msg, Err: sentinel}
}

// mlxError turns an mlx-c message into an *Error. mlx-c appends
// " at <file>:<line>" of its own source, which tells users nothing.
func mlxError(op, msg string) *Error {
	if text, ok, orig := takeClosureError(msg); ok {
		return &Error{Op: op, Msg: text, Err: orig}
	}
	if i := strings.LastIndex(msg, " at "); i >= 0 {
		loc := msg[i+4:]
		if j := strings.LastIndexByte(loc, ':'); j > 0 && isDigits(loc[j+1:]) {
			msg = msg[:i]
		}
	}
	return &Error{Op: op, Msg: msg}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
