//go:build cgo

package mlx

/*
#include <stdint.h>
*/
import "C"

//export gomlxReleaseAdopted
func gomlxReleaseAdopted(h C.uintptr_t) { releaseAdopted(h) }
