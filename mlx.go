package mlx

/*
#include "capi.h"

static char* gomlx_version(char** out) {
  mlx_string s = mlx_string_new();
  int rc = mlx_version(&s);
  if (!rc) *out = strdup(mlx_string_data(s));
  mlx_string_free(s);
  return gomlx_status(rc);
}
*/
import "C"

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"unsafe"
)

// loadErr is set when the loaded MLX is not the one the bindings were made
// for; constructors and Eval then return it instead of calling into an MLX
// whose C API may differ. Set MLX_GO_ALLOW_VERSION_MISMATCH=1 to go on anyway.
var loadErr error

// Version returns the version of the MLX library loaded at run time.
func Version() string {
	var out *C.char
	if msg := C.gomlx_version(&out); msg != nil {
		return "unknown (" + takeError("version", msg).Msg + ")"
	}
	v := C.GoString(out)
	C.free(unsafe.Pointer(out))
	return v
}

// Check reports whether the package is usable: nil, or an error wrapping
// ErrVersion that says which MLX was loaded and which the bindings expect.
func Check() error { return loadErr }

func checkVersion(loaded string) error {
	if loaded == BindingsVersion || strings.HasPrefix(loaded, BindingsVersion+".") || strings.HasPrefix(loaded, BindingsVersion+"+") {
		return nil
	}
	if os.Getenv("MLX_GO_ALLOW_VERSION_MISMATCH") == "1" {
		return nil
	}
	return newError("init", fmt.Sprintf("loaded MLX %s, but these bindings were generated for MLX %s: install MLX %s and the mlx-c regenerated for it, or regenerate the bindings (make generate); MLX_GO_ALLOW_VERSION_MISMATCH=1 skips this check", loaded, BindingsVersion, BindingsVersion), ErrVersion)
}

func init() {
	C.gomlx_install_error_handler()
	startOwnerThread()
	if loadErr = checkVersion(Version()); loadErr != nil {
		return
	}
	// MLX's own default device: the GPU where a GPU backend exists.
	var dev C.mlx_device = C.mlx_device_new()
	var typ C.mlx_device_type
	var index C.int
	C.mlx_get_default_device(&dev)
	C.mlx_device_get_type(&typ, dev)
	C.mlx_device_get_index(&index, dev)
	C.mlx_device_free(dev)
	d := Device{Type: DeviceType(typ), Index: int(index)}
	if err := ensureDefaultStream("init", d); err != nil {
		loadErr = err
		return
	}
	C.gomlx_set_default_device(C.int(d.Type), C.int(d.Index))
	pollGPU = DeviceCount(GPU) > 0
}

func itoa(i int) string { return strconv.Itoa(i) }
