package mlx

// How the package finds mlx-c (and, through it, MLX).
//
// Linux defaults to /usr/local, where MLX's and mlx-c's CMake install by
// default. macOS defaults to Homebrew's prefix (brew install mlx-c):
// /opt/homebrew on Apple silicon, /usr/local on Intel. Another install is
// selected with the usual cgo variables, which are added to these flags:
//
//	CGO_CFLAGS="-I$PREFIX/include" CGO_LDFLAGS="-L$PREFIX/lib -Wl,-rpath,$PREFIX/lib" go build
//
// or, with this repository's Makefile, make MLX_PREFIX=$PREFIX test.

/*
#cgo CFLAGS: -O2
#cgo linux CFLAGS: -I/usr/local/include
#cgo linux LDFLAGS: -L/usr/local/lib -Wl,-rpath,/usr/local/lib -lmlxc -lmlx
#cgo darwin,arm64 CFLAGS: -I/opt/homebrew/include
#cgo darwin,arm64 LDFLAGS: -L/opt/homebrew/lib -Wl,-rpath,/opt/homebrew/lib -lmlxc -lmlx
#cgo darwin,amd64 CFLAGS: -I/usr/local/include
#cgo darwin,amd64 LDFLAGS: -L/usr/local/lib -Wl,-rpath,/usr/local/lib -lmlxc -lmlx
*/
import "C"
