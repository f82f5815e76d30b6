# Build, test and generate the Go binding of MLX.
#
# MLX_PREFIX points at the MLX / mlx-c install (headers in include/mlx/c,
# libraries in lib). Left empty, cgo_flags.go's defaults apply: /usr/local on
# Linux, Homebrew's prefix on macOS.
MLX_PREFIX ?=
GO ?= go
DEFAULT_PREFIX := $(if $(filter Darwin,$(shell uname)),$(shell brew --prefix 2>/dev/null || echo /opt/homebrew),/usr/local)

ifneq ($(MLX_PREFIX),)
export CGO_CFLAGS := -I$(MLX_PREFIX)/include $(CGO_CFLAGS)
export CGO_LDFLAGS := -L$(MLX_PREFIX)/lib -Wl,-rpath,$(MLX_PREFIX)/lib $(CGO_LDFLAGS)
endif

.PHONY: all build test vet fmt-check demo generate check-generated coverage
all: build

build:
	$(GO) build ./...

demo:
	$(GO) run ./cmd/mlxdemo

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# Regenerate the *_gen.go files and names.md from the installed mlx-c headers.
generate:
	$(GO) run ./gen -prefix "$(or $(MLX_PREFIX),$(DEFAULT_PREFIX))"

# Regenerate into a temporary folder and fail on any difference.
check-generated:
	@tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	$(GO) run ./gen -prefix "$(or $(MLX_PREFIX),$(DEFAULT_PREFIX))" -out $$tmp || exit 1; \
	status=0; for f in $$tmp/*; do \
	  if ! cmp -s $$f $$(basename $$f); then echo "out of date: $$(basename $$f) (run make generate)"; status=1; fi; \
	done; \
	for f in *_gen.go; do [ -e $$tmp/$$f ] || { echo "stale generated file: $$f"; status=1; }; done; \
	exit $$status

# Print the generator's coverage table: public mlx-c functions per header.
coverage:
	@$(GO) run ./gen -prefix "$(or $(MLX_PREFIX),$(DEFAULT_PREFIX))" -out $$(mktemp -d) -coverage

test: fmt-check vet check-generated
	$(GO) test -race -count=1 ./...
