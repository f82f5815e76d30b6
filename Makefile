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

.PHONY: all build test test-cgo test-purego cross vet fmt-check demo generate check-generated coverage bench bench-baseline bench-instr
all: build

build:
	$(GO) build ./...

demo:
	$(GO) run ./cmd/mlxdemo

vet:
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) vet ./...

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

# The suite runs twice: with cgo (race detector on), and built with
# CGO_ENABLED=0, where the package loads mlx-c at run time through purego
# (the race detector needs cgo). cross checks that the purego build
# cross-compiles for the other supported platforms.
test: fmt-check vet check-generated test-cgo test-purego cross

test-cgo:
	$(GO) test -race -count=1 ./...

# MLX_C_LIBRARY tells the purego build which mlx-c to load when MLX_PREFIX
# names an install; otherwise it looks where cgo_flags.go's defaults point.
MLXC_LIB := $(if $(MLX_PREFIX),$(firstword $(wildcard $(MLX_PREFIX)/lib/libmlxc.so $(MLX_PREFIX)/lib/libmlxc.dylib)),)

test-purego:
	$(if $(MLXC_LIB),MLX_C_LIBRARY=$(MLXC_LIB)) CGO_ENABLED=0 $(GO) test -count=1 ./...

cross:
	CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 $(GO) build ./...
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build ./...
	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 $(GO) build ./...

# Benchmarks: the C baseline (mlx-c called directly) next to the Go binding,
# built with cgo and (per-op rows: graph build, eval round trip, MLP step,
# call floor) with CGO_ENABLED=0, plus the memory loop; prints one table
# (bench/report). Outputs in bench/out.
# BENCH_FLAGS passes flags to bench/report, e.g. BENCH_FLAGS="-rounds 3 -memsteps 100000"
# (go run ./bench/report -h lists them). Takes about 7 minutes on 2 cores.
BENCH_FLAGS ?=
BENCH_PREFIX := $(or $(MLX_PREFIX),$(DEFAULT_PREFIX))

bench: bench-baseline
	$(GO) run ./bench/report -baseline bench/out/baseline $(BENCH_FLAGS)

# The C baseline, compiled afresh for bench and bench-instr.
bench-baseline:
	@mkdir -p bench/out
	$(CC) -O2 -std=c11 -I$(BENCH_PREFIX)/include bench/c/baseline.c -o bench/out/baseline \
	  -L$(BENCH_PREFIX)/lib -Wl,-rpath,$(BENCH_PREFIX)/lib -lmlxc -lmlx

# Instructions per op of the per-op rows (graph build, eval, MLP step), C and
# Go, counted by valgrind's callgrind (bench/instr): most rows repeat within
# 0.5%, where the times of make bench vary 10-80% between runs. Needs
# valgrind; takes about 6 minutes.
bench-instr: bench-baseline
	$(GO) test -c -o bench/out/bench.test ./bench
	$(GO) run ./bench/instr -baseline bench/out/baseline -test bench/out/bench.test

# Lint with golangci-lint v2 and .golangci.yml. Uses GOLANGCI_LINT if set,
# else golangci-lint from PATH, else from $(go env GOPATH)/bin. Install it with
#   go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0
.PHONY: lint cover
GOLANGCI_LINT ?=
lint:
	@lint="$(GOLANGCI_LINT)"; \
	[ -n "$$lint" ] || lint=$$(command -v golangci-lint) || lint="$$($(GO) env GOPATH | cut -d: -f1)/bin/golangci-lint"; \
	if [ ! -x "$$lint" ]; then \
	  echo "golangci-lint not found on PATH or in $$($(GO) env GOPATH | cut -d: -f1)/bin; install it with:" >&2; \
	  echo "  $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0" >&2; exit 1; \
	fi; \
	echo "$$lint run ./..."; "$$lint" run ./... && echo "CGO_ENABLED=0 $$lint run ./..." && CGO_ENABLED=0 "$$lint" run ./...

# Statement coverage of the root package's tests: go test -cover's line, then
# the fraction of statements covered.
cover:
	@tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	$(GO) test -count=1 -cover -coverprofile=$$tmp/cover.out . || exit 1; \
	awk 'NR > 1 { total += $$2; if ($$3 > 0) covered += $$2 } \
	  END { printf "root package: %d/%d statements covered (%.1f%%)\n", covered, total, total ? 100 * covered / total : 0 }' $$tmp/cover.out

# Fuzz the binding (tests/fuzz_test.go): each target in turn for FUZZTIME.
# Crashers are written to tests/testdata/fuzz/<FuzzName>/. FUZZFLAGS passes
# more flags to go test, e.g. FUZZFLAGS=-parallel=1 on a shared machine.
FUZZTIME ?= 10m
FUZZFLAGS ?=
FUZZ_TARGETS := FuzzFromSlice FuzzOps FuzzString

.PHONY: fuzz
fuzz:
	@for f in $(FUZZ_TARGETS); do \
	  echo "== $$f for $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) $(FUZZFLAGS) ./tests || exit 1; \
	done

# Soak test (tests/soak_test.go, build tag soak): 64 goroutines of mixed ops
# over 8 streams for SOAK_DURATION under the race detector; logs the peak RSS
# and MLX's peak memory. Keep SOAK_DURATION under the 10m timeout.
SOAK_DURATION ?= 60s

.PHONY: soak
soak:
	SOAK_DURATION=$(SOAK_DURATION) $(GO) test -race -tags soak -run Soak -timeout 10m -count=1 -v ./tests
