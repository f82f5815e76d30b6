package tests

// Regression tests for inputs that crash or hang the process with MLX
// 0.31.2 (found by the bad-input catalogue and by fuzzing; all reported).
// Each runs in a child process (this test binary, re-run for one case). The
// test checks the behaviour we want: an *mlx.Error for bad input, the right
// result for good input. While the process still dies (a signal, a Go
// panic) or hangs in the known way, the case is skipped with a note; once
// MLX or the binding handles it, the case checks the fix. Cases marked fixed
// are handled by the binding's argument checks (gen/checks.go, checks.go):
// for them a crash or hang is a failure, not a skip.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/mlx-go/mlx"
)

type knownCrash struct {
	name, what string
	hang       bool         // the known failure is a hang, not a crash
	fixed      bool         // the binding handles it: dying is a regression
	run        func() error // nil: the wanted behaviour; else what is wrong
}

// wantMLXError is the wanted outcome of bad input: an *mlx.Error naming op.
func wantMLXError(err error, op string) error {
	var e *mlx.Error
	if !errors.As(err, &e) || e.Op != op {
		return fmt.Errorf("got %v, want an *mlx.Error of %s", err, op)
	}
	return nil
}

func wantData(a *mlx.Array, want string) error {
	got, err := mlx.Data[float32](mlx.AsType(a, mlx.Float32))
	if err != nil {
		return err
	}
	if fmt.Sprint(got) != want {
		return fmt.Errorf("got %v, want %s", got, want)
	}
	return nil
}

var knownCrashes = []knownCrash{
	// Fixed by the binding's argument checks: the wrapper refuses the
	// argument before mlx-c sees it.
	{name: "slice-zero-stride", fixed: true, what: "Slice with a zero stride (SIGFPE in mlx::core::slice): the binding refuses zero strides", run: func() error {
		return wantMLXError(mlx.Slice(onesF(2, 3), []int{0, 0}, []int{1, 1}, []int{0, 1}).Err(), "slice")
	}},
	{name: "slice-update-zero-stride", fixed: true, what: "SliceUpdate with a zero stride (SIGFPE): the binding refuses zero strides", run: func() error {
		return wantMLXError(mlx.SliceUpdate(onesF(2, 3), onesF(1, 1), []int{0, 0}, []int{1, 1}, []int{0, 1}).Err(), "slice_update")
	}},
	{name: "slice-update-add-zero-stride", fixed: true, what: "SliceUpdateAdd with a zero stride (SIGFPE): the binding refuses zero strides", run: func() error {
		return wantMLXError(mlx.SliceUpdateAdd(onesF(2, 3), onesF(1, 1), []int{0, 0}, []int{1, 1}, []int{1, 0}).Err(), "slice_update_add")
	}},
	{name: "quantize-group-0", fixed: true, what: "Quantize with group size Some(0) (SIGFPE): the binding refuses group sizes <= 0", run: func() error {
		_, err := mlx.Quantize(onesF(2, 64), mlx.Some(0), mlx.Some(4), "affine", nil)
		return wantMLXError(err, "quantize")
	}},
	{name: "quantize-mxfp4-group-0", fixed: true, what: "Quantize in mxfp4 mode with group size Some(0) (SIGFPE): the binding refuses group sizes <= 0", run: func() error {
		_, err := mlx.Quantize(onesF(2, 64), mlx.Some(0), mlx.Some(4), "mxfp4", nil)
		return wantMLXError(err, "quantize")
	}},
	{name: "quantized-matmul-bits-0", fixed: true, what: "QuantizedMatmul with bits Some(0) (SIGFPE): the binding refuses bits <= 0", run: func() error {
		q, err := mlx.Quantize(onesF(8, 64), mlx.Some(64), mlx.Some(4), "affine", nil)
		if err != nil {
			return err
		}
		return wantMLXError(mlx.QuantizedMatmul(onesF(1, 64), q[0], q[1], q[2], true, mlx.Some(64), mlx.Some(0), "affine").Err(), "quantized_matmul")
	}},
	{name: "gather-qmm-bits-0", fixed: true, what: "GatherQMM with bits Some(0) (SIGFPE): the binding refuses bits <= 0", run: func() error {
		q, err := mlx.Quantize(onesF(8, 64), mlx.Some(64), mlx.Some(4), "affine", nil)
		if err != nil {
			return err
		}
		return wantMLXError(mlx.GatherQMM(onesF(1, 64), q[0], q[1], q[2], nil, nil, true, mlx.Some(64), mlx.Some(0), "affine", false).Err(), "gather_qmm")
	}},
	{name: "qqmm-bits-0", fixed: true, what: "QQMM in nvfp4 mode with bits Some(0) (SIGFPE): the binding refuses bits <= 0", run: func() error {
		return wantMLXError(mlx.QQMM(onesF(1, 64), mlx.Zeros([]int{8, 8}, mlx.Uint32), mlx.Zeros([]int{8, 4}, mlx.Uint8),
			mlx.Some(16), mlx.Some(0), "nvfp4", nil, nil).Err(), "qqmm")
	}},
	{name: "conv1d-groups-0", fixed: true, what: "Conv1D with groups 0 (SIGFPE): the binding refuses groups <= 0", run: func() error {
		return wantMLXError(mlx.Conv1D(onesF(1, 5, 2), onesF(1, 3, 2), 1, 0, 1, 0).Err(), "conv1d")
	}},
	{name: "conv2d-groups-0", fixed: true, what: "Conv2D with groups 0 (SIGFPE): the binding refuses groups <= 0", run: func() error {
		return wantMLXError(mlx.Conv2D(onesF(1, 5, 5, 2), onesF(1, 3, 3, 2), 1, 1, 0, 0, 1, 1, 0).Err(), "conv2d")
	}},
	{name: "conv-transpose1d-groups-0", fixed: true, what: "ConvTranspose1D with groups 0 (SIGFPE): the binding refuses groups <= 0", run: func() error {
		return wantMLXError(mlx.ConvTranspose1D(onesF(1, 5, 2), onesF(1, 3, 2), 1, 0, 1, 0, 0).Err(), "conv_transpose1d")
	}},
	{name: "conv-transpose2d-groups-0", fixed: true, what: "ConvTranspose2D with groups 0 (SIGFPE): the binding refuses groups <= 0", run: func() error {
		return wantMLXError(mlx.ConvTranspose2D(onesF(1, 5, 5, 2), onesF(1, 3, 3, 2), 1, 1, 0, 0, 1, 1, 0, 0, 0).Err(), "conv_transpose2d")
	}},
	{name: "conv-general-groups-0", fixed: true, what: "ConvGeneral with groups 0 (SIGFPE): the binding refuses groups <= 0", run: func() error {
		return wantMLXError(mlx.ConvGeneral(onesF(1, 5, 2), onesF(1, 3, 2), nil, nil, nil, nil, nil, 0, false).Err(), "conv_general")
	}},
	{name: "unflatten-empty", fixed: true, what: "Unflatten of an empty axis into (0, -1) (SIGFPE): the binding refuses a -1 beside a 0", run: func() error {
		return wantMLXError(mlx.Unflatten(zerosF(0), 0, 0, -1).Err(), "unflatten")
	}},
	{name: "unflatten-zero-and-infer", fixed: true, what: "Unflatten of a size-6 axis into (0, -1) (SIGFPE): the binding refuses a -1 beside a 0", run: func() error {
		return wantMLXError(mlx.Unflatten(onesF(6), 0, 0, -1).Err(), "unflatten")
	}},
	{name: "broadcast-negative-data", fixed: true, what: "BroadcastTo(x, -1) was accepted and Data panicked (makeslice): the binding refuses negative sizes", run: func() error {
		a := mlx.BroadcastTo(f32(1), -1)
		if a.Err() != nil {
			return wantMLXError(a.Err(), "broadcast_to")
		}
		_, err := mlx.Data[float32](a)
		return wantMLXError(err, "data")
	}},
	{name: "broadcast-negative-copy-to", fixed: true, what: "BroadcastTo(x, -1) was accepted and CopyTo panicked (unsafe.Slice): the binding refuses negative sizes", run: func() error {
		a := mlx.BroadcastTo(f32(1), -1)
		if a.Err() != nil {
			return wantMLXError(a.Err(), "broadcast_to")
		}
		_, err := mlx.CopyTo(a, make([]float32, 4))
		return wantMLXError(err, "copy_to")
	}},
	{name: "broadcast-negative-sum", fixed: true, what: "Sum(BroadcastTo(x, -1)): the CPU reduction looped forever; the binding refuses negative sizes", run: func() error {
		return wantMLXError(mlx.Eval(mlx.Sum(mlx.BroadcastTo(f32(1), -1), false)), "broadcast_to")
	}},
	{name: "tile-negative", fixed: true, what: "Tile with a negative repetition was accepted (shape [-2]) and Data panicked: the binding refuses negative reps", run: func() error {
		a := mlx.Tile(f32(1, 2), []int{-1})
		if a.Err() != nil {
			return wantMLXError(a.Err(), "tile")
		}
		_, err := mlx.Data[float32](a)
		return wantMLXError(err, "data")
	}},
	{name: "tile-negative-exp", fixed: true, what: "Exp(Tile(x, -3)) died while evaluating (SIGSEGV): the binding refuses negative reps", run: func() error {
		return wantMLXError(mlx.Eval(mlx.Exp(mlx.Tile(f32(1, 2), []int{-3}))), "tile")
	}},
	{name: "slice-dynamic-negative-exp", fixed: true, what: "Exp of SliceDynamic with slice size -3 died while evaluating (SIGSEGV): the binding refuses negative sizes", run: func() error {
		return wantMLXError(mlx.Eval(mlx.Exp(mlx.SliceDynamic(onesF(4), i32(0), []int{0}, []int{-3}))), "slice")
	}},
	{name: "as-strided-negative-exp", fixed: true, what: "Exp of AsStrided with shape [-3] died while evaluating (SIGSEGV): the binding refuses negative sizes", run: func() error {
		return wantMLXError(mlx.Eval(mlx.Exp(mlx.AsStrided(onesF(4), []int{-3}, []int64{1}, 0))), "as_strided")
	}},
	{name: "random-normal-negative", fixed: true, what: "RandomNormal of shape [-1] was accepted and evaluating it died (SIGBUS): the binding refuses negative sizes", run: func() error {
		a := mlx.RandomNormal([]int{-1}, mlx.Float32, 0, 1, mlx.RandomKey(1))
		if a.Err() != nil {
			return wantMLXError(a.Err(), "random.normal")
		}
		return wantMLXError(mlx.Eval(a), "eval")
	}},
	{name: "random-uniform-negative", fixed: true, what: "RandomUniform of shape [-1]: evaluating it died (SIGBUS); the binding refuses negative sizes", run: func() error {
		return wantMLXError(mlx.Eval(mlx.RandomUniform(f32(0), f32(1), []int{-1}, mlx.Float32, mlx.RandomKey(1))), "random.uniform")
	}},
	{name: "random-categorical-shape-negative", fixed: true, what: "RandomCategoricalShape of shape [-1]: SIGSEGV; the binding refuses negative sizes", run: func() error {
		return wantMLXError(mlx.Eval(mlx.RandomCategoricalShape(onesF(1, 3), -1, []int{-1}, mlx.RandomKey(1))), "random.categorical")
	}},
	{name: "random-categorical-samples-negative", fixed: true, what: "RandomCategoricalNumSamples with -1 samples: SIGSEGV; the binding refuses negative counts", run: func() error {
		return wantMLXError(mlx.Eval(mlx.RandomCategoricalNumSamples(onesF(1, 3), -1, -1, mlx.RandomKey(1))), "random.categorical")
	}},
	{name: "random-permutation-negative", fixed: true, what: "RandomPermutationArange(-3): SIGSEGV; the binding refuses negative counts", run: func() error {
		return wantMLXError(mlx.Eval(mlx.RandomPermutationArange(-3, mlx.RandomKey(1))), "random.permutation")
	}},
	{name: "random-split-negative", fixed: true, what: "RandomSplitNum(key, -1) was accepted and evaluating it died (SIGBUS): the binding refuses negative counts", run: func() error {
		a := mlx.RandomSplitNum(mlx.RandomKey(1), -1)
		if a.Err() != nil {
			return wantMLXError(a.Err(), "random.split")
		}
		return wantMLXError(mlx.Eval(a), "eval")
	}},

	// Not fixed: what the binding cannot know without evaluating (index
	// values), allocation failures, and valid input that MLX mishandles.
	{name: "take-out-of-range", what: "Take with an index far out of range: MLX does not check, reads out of bounds (SIGSEGV)", run: func() error {
		_, err := mlx.Data[float32](mlx.Take(f32(1, 2), i32(1000000)))
		if hasGPU() && err != nil && strings.Contains(err.Error(), "illegal memory access") {
			// MLX's CUDA backend: the kernel reads out of bounds and the
			// CUDA context is lost (every later GPU op fails): a crash.
			panic(err)
		}
		return wantMLXError(err, "take")
	}},
	{name: "zeros-exabytes", what: "Zeros of 2^60 float32 is accepted; evaluating it dies (SIGSEGV) instead of failing to allocate", run: func() error {
		a := mlx.Zeros([]int{1 << 30, 1 << 30}, mlx.Float32)
		if a.Err() != nil {
			return wantMLXError(a.Err(), "zeros")
		}
		return wantMLXError(mlx.Eval(a), "eval")
	}},
	{name: "eye-terabytes", what: "Eye(2^20, 2^20) (4 TiB): evaluating it dies (SIGSEGV) instead of failing to allocate", run: func() error {
		a := mlx.Eye(1<<20, 1<<20, 0, mlx.Float32)
		if a.Err() != nil {
			return wantMLXError(a.Err(), "eye")
		}
		return wantMLXError(mlx.Eval(a), "eval")
	}},
	{name: "diag-huge-offset", what: "Diag(x, 2^30): evaluating it dies (SIGSEGV)", run: func() error {
		a := mlx.Diag(f32(1, 2), 1<<30)
		if a.Err() != nil {
			return wantMLXError(a.Err(), "diag")
		}
		return wantMLXError(mlx.Eval(a), "eval")
	}},
	{name: "diag-huge-negative-offset", what: "Diag(x, -2^30): evaluating it dies (SIGSEGV)", run: func() error {
		a := mlx.Diag(f32(1, 2), -(1 << 30))
		if a.Err() != nil {
			return wantMLXError(a.Err(), "diag")
		}
		return wantMLXError(mlx.Eval(a), "eval")
	}},
	// Valid input that crashes: these must give the right result.
	{name: "cumsum-empty", what: "CumSum of an empty array along axis 0: SIGFPE while evaluating", run: func() error {
		return wantData(mlx.CumSum(zerosF(0), 0, false, true), "[]")
	}},
	{name: "cumprod-empty-leading-axis", what: "CumProd of a (3,0) array along axis 0: SIGFPE while evaluating", run: func() error {
		return wantData(mlx.CumProd(zerosF(3, 0), 0, false, true), "[]")
	}},
	{name: "cumsum-broadcast-size-1-axis", what: "CumSum along a size-1 axis of a broadcast result, (1,1)+(3) along axis 0: SIGFPE (stride 0)", run: func() error {
		return wantData(mlx.CumSum(mlx.Add(zerosF(1, 1), f32(1, 2, 3)), 0, false, true), "[1 2 3]")
	}},
	{name: "cumsum-broadcast-to", what: "CumSum(BroadcastTo([1 2 3], 1, 3), axis 0): SIGFPE", run: func() error {
		return wantData(mlx.CumSum(mlx.BroadcastTo(f32(1, 2, 3), 1, 3), 0, false, true), "[1 2 3]")
	}},
	{name: "cummax-empty", what: "CumMax of an empty array along axis 0: SIGFPE while evaluating", run: func() error {
		return wantData(mlx.CumMax(zerosF(0), 0, false, true), "[]")
	}},
	{name: "logcumsumexp-empty", what: "LogCumSumExp of an empty array along axis 0: SIGFPE while evaluating", run: func() error {
		return wantData(mlx.LogCumSumExp(zerosF(0), 0, false, true), "[]")
	}},
	{name: "random-permutation-0", what: "RandomPermutationArange(0): SIGFPE while evaluating (sorts an empty array)", run: func() error {
		return wantData(mlx.RandomPermutationArange(0, mlx.RandomKey(1)), "[]")
	}},
	{name: "random-permutation-empty", what: "RandomPermutation of an empty array: SIGFPE while evaluating", run: func() error {
		return wantData(mlx.RandomPermutation(zerosF(0), 0, mlx.RandomKey(1)), "[]")
	}},
	{name: "sort-empty-axis", what: "SortAxis of a (2,0,3) array along its empty axis: SIGFPE while evaluating", run: func() error {
		return wantData(mlx.SortAxis(zerosF(2, 0, 3), 1), "[]")
	}},
	{name: "argsort-empty-axis", what: "ArgSortAxis of a (2,0,3) array along its empty axis: SIGFPE while evaluating", run: func() error {
		return wantData(mlx.ArgSortAxis(zerosF(2, 0, 3), 1), "[]")
	}},
	{name: "sum-empty-transposed", hang: true, what: "Sum over axis 0 of SwapAxes(Zeros(3,0)): the CPU reduction loops forever (often, not always)", run: func() error {
		for i := 0; i < 100; i++ {
			if err := wantData(mlx.Sum(mlx.SwapAxes(zerosF(3, 0), 0, 1), false, 0), "[0 0 0]"); err != nil {
				return err
			}
		}
		return nil
	}},
}

const knownCrashEnv = "MLX_GO_KNOWN_CRASH"

func TestKnownCrashes(t *testing.T) {
	if name := os.Getenv(knownCrashEnv); name != "" {
		// The child: run one case and report.
		for _, c := range knownCrashes {
			if c.name == name {
				if err := c.run(); err != nil {
					fmt.Printf("KNOWN-CRASH-RESULT wrong: %v\n", err)
				} else {
					fmt.Printf("KNOWN-CRASH-RESULT ok\n")
				}
				return
			}
		}
		t.Fatalf("no known crash %q", name)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip("cannot re-run the test binary:", err)
	}
	for _, c := range knownCrashes {
		t.Run(c.name, func(t *testing.T) {
			timeout := 60 * time.Second
			if c.hang {
				timeout = 3 * time.Second
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			cmd := exec.CommandContext(ctx, exe, "-test.run=^TestKnownCrashes$", "-test.count=1")
			cmd.Env = append(os.Environ(), knownCrashEnv+"="+c.name, "GOTRACEBACK=single")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			runErr := cmd.Run()
			text := out.String()
			switch {
			case strings.Contains(text, "KNOWN-CRASH-RESULT ok"):
				// Fixed: the wanted behaviour.
			case strings.Contains(text, "KNOWN-CRASH-RESULT wrong"):
				line := text[strings.Index(text, "KNOWN-CRASH-RESULT"):]
				line, _, _ = strings.Cut(line, "\n")
				t.Errorf("%s: the process survives now, but: %s", c.what, line)
			case c.fixed && ctx.Err() != nil:
				t.Errorf("%s: the child hangs again (%v):\n%s", c.what, runErr, text)
			case c.fixed && runErr != nil:
				t.Errorf("%s: the child dies again (%v):\n%s", c.what, runErr, text)
			case c.hang && ctx.Err() != nil:
				t.Skipf("known MLX hang: %s", c.what)
			case !c.hang && runErr != nil:
				t.Skipf("known crash (%v): %s", runErr, c.what)
			default:
				t.Errorf("%s: child ended with %v and no result:\n%s", c.what, runErr, text)
			}
		})
	}
}
