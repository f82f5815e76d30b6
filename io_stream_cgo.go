//go:build cgo

package mlx

// #include "io_stream.h"
import "C"
