package mlx

import (
	"fmt"
	"os"
	"runtime"
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
	var out *cchar
	if msg := gomlxVersion(&out); msg != nil {
		return "unknown (" + takeError("version", msg).Msg + ")"
	}
	v := goString(out)
	cFree(unsafe.Pointer(out))
	return v
}

// Check reports whether the package is usable: nil, or an error wrapping
// ErrVersion that says which MLX was loaded and which the bindings expect,
// or, in the purego build, ErrLibrary when mlx-c cannot be loaded (Check
// loads it).
func Check() error { return libError() }

func checkVersion(loaded string) error {
	if loaded == BindingsVersion || strings.HasPrefix(loaded, BindingsVersion+".") || strings.HasPrefix(loaded, BindingsVersion+"+") {
		return nil
	}
	if os.Getenv("MLX_GO_ALLOW_VERSION_MISMATCH") == "1" {
		return nil
	}
	return newError("init", fmt.Sprintf("loaded MLX %s, but these bindings were generated for MLX %s: install MLX %s and the mlx-c regenerated for it, or regenerate the bindings (make generate); MLX_GO_ALLOW_VERSION_MISMATCH=1 skips this check", loaded, BindingsVersion, BindingsVersion), ErrVersion)
}

// setup readies the package once mlx-c is loaded (in init in the cgo build,
// at first use in the purego build): the error handler, the MLX thread, the
// version check and the default device and stream.
func setup() {
	gomlxInstallErrorHandler()
	startOwnerThread()
	if loadErr = checkVersion(Version()); loadErr != nil {
		return
	}
	// MLX's own default device: the GPU where a GPU backend exists.
	dev := mlxDeviceNew()
	var typ mlxDeviceType
	var index cint
	mlxGetDefaultDevice(&dev)
	mlxDeviceGetType(&typ, dev)
	mlxDeviceGetIndex(&index, dev)
	mlxDeviceFree(dev)
	d := Device{Type: DeviceType(typ), Index: int(index)}
	if err := ensureDefaultStream("init", d); err != nil {
		loadErr = err
		return
	}
	gomlxSetDefaultDevice(cint(d.Type), cint(d.Index))
	pollGPU = DeviceCount(GPU) > 0
	if pollGPU && runtime.NumCPU() >= 8 {
		// A GPU and cores to spare: the MLX thread and its callers spin
		// through a training step's gaps instead of sleeping, which on an
		// H100 host took an add+eval round trip from 35-59 µs to 22-25
		// µs (44 µs in C).
		gomlxSetSpins(250_000, 200_000)
	}
	evalOnCaller = !pollGPU && cpuStreamsUnbound(Version())
}

// cpuStreamsUnbound reports whether MLX of the given version lets any
// thread evaluate on a CPU stream: those before 0.32, which binds CPU
// streams to the thread that made them, as every version does GPU streams.
func cpuStreamsUnbound(version string) bool {
	var major, minor int
	if _, err := fmt.Sscanf(version, "%d.%d", &major, &minor); err != nil {
		return false
	}
	return major == 0 && minor < 32
}

func itoa(i int) string { return strconv.Itoa(i) }
