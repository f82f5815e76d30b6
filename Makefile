# Build, test and generate the Go binding of MLX.
#
# MLX_PREFIX points at the MLX / mlx-c install (headers in include/mlx/c,
# libraries in lib). Left empty, cgo_flags.go's defaults apply: /usr/local on
# Linux, Homebrew's prefix on macOS.
MLX_PREFIX ?=
GO ?= go

ifneq ($(MLX_PREFIX),)
export CGO_CFLAGS := -I$(MLX_PREFIX)/include $(CGO_CFLAGS)
export CGO_LDFLAGS := -L$(MLX_PREFIX)/lib -Wl,-rpath,$(MLX_PREFIX)/lib $(CGO_LDFLAGS)
endif

.PHONY: all build test vet fmt-check demo
all: build

build:
	$(GO) build ./...

demo:
	$(GO) run ./cmd/mlxdemo

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

test: fmt-check vet
	$(GO) test -race -count=1 ./...
