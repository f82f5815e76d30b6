package mlx

// SetLibraryPath names the mlx-c shared library (libmlxc.so, libmlxc.dylib)
// that a build with CGO_ENABLED=0 loads at first use, in place of the
// MLX_C_LIBRARY environment variable and the default places (/usr/local/lib
// on Linux; Homebrew's /opt/homebrew/lib, then /usr/local/lib, on macOS).
// MLX itself (libmlx) is loaded from the same directory when it is there,
// else as the system finds it. Call it before anything else in the package:
// once the library is loaded it returns an error. The cgo build links mlx-c
// when it is built and always returns an error wrapping ErrInvalidArgument.
func SetLibraryPath(path string) error { return setLibraryPath(path) }
