//go:build !cgo

package mlx

// Loading mlx-c at first use (the purego build). Nothing happens in init:
// the first call into the package opens the library, resolves every mlx-c
// function the bindings use, and runs setup (error handler, MLX thread,
// version check, default stream), as the cgo build's init does.

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ebitengine/purego"
)

var (
	libReady    atomic.Bool // loaded and set up, or failed to load (libErr)
	libOK       atomic.Bool // loaded and set up without error
	libOnce     sync.Once
	libErr      error  // the library or a symbol is missing
	libPath     string // SetLibraryPath's
	libPathMu   sync.Mutex
	libLoading  atomic.Bool
	loaderTID   atomic.Int64 // the thread running setup, while it does
	libLoadedAt string       // the path actually loaded
)

// The mlx-c functions the hand-written purego shims call.
var (
	symSetErrorHandler         = newSym("mlx_set_error_handler")
	symVectorArrayNewData      = newSym("mlx_vector_array_new_data")
	symVectorArrayFree         = newSym("mlx_vector_array_free")
	symSetDefaultStream        = newSym("mlx_set_default_stream")
	symDetailCompileClearCache = newSym("mlx_detail_compile_clear_cache")
)

func setLibraryPath(path string) error {
	libPathMu.Lock()
	defer libPathMu.Unlock()
	if libReady.Load() || libLoading.Load() {
		return newError("set_library_path", "mlx-c is already loaded from "+libLoadedAt, ErrInvalidArgument)
	}
	libPath = path
	return nil
}

// libraryCandidates lists the mlx-c files to try, in order.
func libraryCandidates() []string {
	libPathMu.Lock()
	p := libPath
	libPathMu.Unlock()
	if p != "" {
		return []string{p}
	}
	if p := os.Getenv("MLX_C_LIBRARY"); p != "" {
		return []string{p}
	}
	if runtime.GOOS == "darwin" {
		return []string{"/opt/homebrew/lib/libmlxc.dylib", "/usr/local/lib/libmlxc.dylib", "libmlxc.dylib"}
	}
	return []string{"/usr/local/lib/libmlxc.so", "libmlxc.so"}
}

// ensureLoaded loads and sets up mlx-c once and returns the error that keeps
// it from working, if any. Calls made by setup itself (on the loading
// thread or the MLX thread it starts) go through.
func ensureLoaded() error {
	if libReady.Load() {
		return libErr
	}
	if libLoading.Load() {
		tid := int64(gettid())
		if tid == loaderTID.Load() || tid == int64(ownerThreadTID.Load()) {
			return nil
		}
	}
	libOnce.Do(loadLibrary)
	return libErr
}

func loadLibrary() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	libPathMu.Lock()
	libLoading.Store(true)
	libPathMu.Unlock()
	defer func() {
		libLoading.Store(false)
		libOK.Store(libErr == nil)
		libReady.Store(true)
	}()
	if err := openLibrary(); err != nil {
		libErr = newError("load", err.Error(), ErrLibrary)
		return
	}
	loaderTID.Store(int64(gettid()))
	installErrorHandler()
	setup()
}

// openLibrary opens mlx-c (and MLX beside it) and resolves every symbol.
func openLibrary() error {
	var tried []string
	var h uintptr
	for _, p := range libraryCandidates() {
		if filepath.IsAbs(p) {
			if _, err := os.Stat(p); err != nil {
				tried = append(tried, p+" (not found)")
				continue
			}
			// libmlxc needs libmlx: load it from the same directory first,
			// with its symbols global, when it is there.
			dir := filepath.Dir(p)
			for _, name := range []string{"libmlx.so", "libmlx.dylib"} {
				if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
					if _, err := purego.Dlopen(filepath.Join(dir, name), purego.RTLD_NOW|purego.RTLD_GLOBAL); err != nil {
						tried = append(tried, fmt.Sprintf("%s (%v)", filepath.Join(dir, name), err))
					}
				}
			}
		}
		lib, err := purego.Dlopen(p, purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			tried = append(tried, fmt.Sprintf("%s (%v)", p, err))
			continue
		}
		h, libLoadedAt = lib, p
		break
	}
	if h == 0 {
		return fmt.Errorf("cannot load mlx-c: tried %s; install MLX and mlx-c (macOS: brew install mlx-c; Linux: build them into /usr/local), or name the library with MLX_C_LIBRARY or mlx.SetLibraryPath",
			strings.Join(tried, ", "))
	}
	var missing []string
	for _, s := range syms {
		addr, err := purego.Dlsym(h, s.name)
		if err != nil || addr == 0 {
			missing = append(missing, s.name)
			continue
		}
		s.addr = addr
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s lacks %d functions these bindings (MLX %s) call: %s; install the mlx-c made for MLX %s",
			libLoadedAt, len(missing), BindingsVersion, strings.Join(missing, ", "), BindingsVersion)
	}
	if err := loadPlatformSyms(); err != nil {
		return err
	}
	return nil
}

// libError is the error that keeps the package from working: a missing
// library or symbol, or a version mismatch found by setup.
func libError() error {
	if err := ensureLoaded(); err != nil {
		return err
	}
	return loadErr
}
