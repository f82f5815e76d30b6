//go:build cgo

package mlx

// #include "compile_cache.h"
import "C"
