//go:build cgo

package mlx

// #include "capi.h"
import "C"
