package tests

// The binding's argument checks (issue #8): arguments that MLX 0.31.2 divides
// by or takes as sizes without looking (zero strides, groups, group sizes and
// bits, negative sizes, uninferable -1s) are refused before mlx-c is called,
// with an *mlx.Error naming the op and the parameter that wraps
// ErrInvalidArgument. Their valid neighbours still work. Every input here
// kills the process without the checks; known_crashes_test.go runs a few of
// them in child processes as well.

import (
	"errors"
	"fmt"
	"testing"

	"github.com/mlx-go/mlx"
)

type argCheckCase struct {
	name string
	err  func() error
	want string // the whole message
}

func argCheckCases() []argCheckCase {
	S := mlx.Some[int]
	key := func() *mlx.Array { return mlx.RandomKey(1) }
	quantized := func() []*mlx.Array {
		r, err := mlx.Quantize(onesF(8, 64), S(64), S(4), "affine", nil)
		if err != nil {
			panic(err)
		}
		return r
	}
	upd := func(f func(src, update *mlx.Array, start, stop, strides []int) *mlx.Array) func() error {
		return func() error { return f(onesF(2, 3), onesF(1, 1), []int{0, 0}, []int{1, 1}, []int{1, 0}).Err() }
	}
	return []argCheckCase{
		// Zero strides.
		{"slice", func() error { return mlx.Slice(onesF(2, 3), []int{0, 0}, []int{1, 1}, []int{0, 1}).Err() },
			"mlx: slice: strides[0] is 0: strides must be non-zero"},
		{"slice on cpu", func() error { return mlx.SliceOn(mlx.CPU, onesF(2, 3), []int{0, 0}, []int{1, 1}, []int{1, 0}).Err() },
			"mlx: slice: strides[1] is 0: strides must be non-zero"},
		{"slice_update", upd(mlx.SliceUpdate), "mlx: slice_update: strides[1] is 0: strides must be non-zero"},
		{"slice_update_add", upd(mlx.SliceUpdateAdd), "mlx: slice_update_add: strides[1] is 0: strides must be non-zero"},
		{"slice_update_max", upd(mlx.SliceUpdateMax), "mlx: slice_update_max: strides[1] is 0: strides must be non-zero"},
		{"slice_update_min", upd(mlx.SliceUpdateMin), "mlx: slice_update_min: strides[1] is 0: strides must be non-zero"},
		{"slice_update_prod", upd(mlx.SliceUpdateProd), "mlx: slice_update_prod: strides[1] is 0: strides must be non-zero"},

		// Quantization: group size and bits.
		{"quantize group 0", func() error { _, err := mlx.Quantize(onesF(2, 64), S(0), S(4), "affine", nil); return err },
			"mlx: quantize: groupSize is 0: groupSize must be positive"},
		{"quantize group -1", func() error { _, err := mlx.Quantize(onesF(2, 64), S(-1), S(4), "affine", nil); return err },
			"mlx: quantize: groupSize is -1: groupSize must be positive"},
		{"quantize mxfp4 group 0", func() error { _, err := mlx.Quantize(onesF(2, 64), S(0), S(4), "mxfp4", nil); return err },
			"mlx: quantize: groupSize is 0: groupSize must be positive"},
		{"quantize bits 0", func() error { _, err := mlx.Quantize(onesF(2, 64), S(64), S(0), "affine", nil); return err },
			"mlx: quantize: bits is 0: bits must be positive"},
		{"quantized_matmul group 0", func() error {
			q := quantized()
			return mlx.QuantizedMatmul(onesF(1, 64), q[0], q[1], q[2], true, S(0), S(4), "affine").Err()
		}, "mlx: quantized_matmul: groupSize is 0: groupSize must be positive"},
		{"quantized_matmul bits 0", func() error {
			q := quantized()
			return mlx.QuantizedMatmul(onesF(1, 64), q[0], q[1], q[2], true, S(64), S(0), "affine").Err()
		}, "mlx: quantized_matmul: bits is 0: bits must be positive"},
		{"gather_qmm group 0", func() error {
			q := quantized()
			return mlx.GatherQMM(onesF(1, 64), q[0], q[1], q[2], nil, nil, true, S(0), S(4), "affine", false).Err()
		}, "mlx: gather_qmm: groupSize is 0: groupSize must be positive"},
		{"gather_qmm bits 0", func() error {
			q := quantized()
			return mlx.GatherQMM(onesF(1, 64), q[0], q[1], q[2], nil, nil, true, S(64), S(0), "affine", false).Err()
		}, "mlx: gather_qmm: bits is 0: bits must be positive"},
		{"qqmm group 0", func() error {
			return mlx.QQMM(onesF(1, 64), mlx.Zeros([]int{8, 8}, mlx.Uint32), mlx.Zeros([]int{8, 4}, mlx.Uint8), S(0), S(4), "nvfp4", nil, nil).Err()
		}, "mlx: qqmm: groupSize is 0: groupSize must be positive"},
		{"qqmm bits 0", func() error {
			return mlx.QQMM(onesF(1, 64), mlx.Zeros([]int{8, 8}, mlx.Uint32), mlx.Zeros([]int{8, 4}, mlx.Uint8), S(16), S(0), "nvfp4", nil, nil).Err()
		}, "mlx: qqmm: bits is 0: bits must be positive"},

		// Convolutions: groups.
		{"conv1d", func() error { return mlx.Conv1D(onesF(1, 5, 2), onesF(1, 3, 2), 1, 0, 1, 0).Err() },
			"mlx: conv1d: groups is 0: groups must be positive"},
		{"conv1d groups -2", func() error { return mlx.Conv1D(onesF(1, 5, 2), onesF(1, 3, 2), 1, 0, 1, -2).Err() },
			"mlx: conv1d: groups is -2: groups must be positive"},
		{"conv2d", func() error { return mlx.Conv2D(onesF(1, 5, 5, 2), onesF(1, 3, 3, 2), 1, 1, 0, 0, 1, 1, 0).Err() },
			"mlx: conv2d: groups is 0: groups must be positive"},
		{"conv3d", func() error {
			return mlx.Conv3D(onesF(1, 5, 5, 5, 2), onesF(1, 3, 3, 3, 2), 1, 1, 1, 0, 0, 0, 1, 1, 1, 0).Err()
		}, "mlx: conv3d: groups is 0: groups must be positive"},
		{"conv_general", func() error {
			return mlx.ConvGeneral(onesF(1, 5, 2), onesF(1, 3, 2), nil, nil, nil, nil, nil, 0, false).Err()
		}, "mlx: conv_general: groups is 0: groups must be positive"},
		{"conv_transpose1d", func() error { return mlx.ConvTranspose1D(onesF(1, 5, 2), onesF(1, 3, 2), 1, 0, 1, 0, 0).Err() },
			"mlx: conv_transpose1d: groups is 0: groups must be positive"},
		{"conv_transpose2d", func() error {
			return mlx.ConvTranspose2D(onesF(1, 5, 5, 2), onesF(1, 3, 3, 2), 1, 1, 0, 0, 1, 1, 0, 0, 0).Err()
		}, "mlx: conv_transpose2d: groups is 0: groups must be positive"},
		{"conv_transpose3d", func() error {
			return mlx.ConvTranspose3D(onesF(1, 5, 5, 5, 2), onesF(1, 3, 3, 3, 2), 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0).Err()
		}, "mlx: conv_transpose3d: groups is 0: groups must be positive"},

		// Negative sizes in shapes without inference.
		{"broadcast_to", func() error { return mlx.BroadcastTo(f32(1), 2, -1).Err() },
			"mlx: broadcast_to: shape[1] is -1: shape must be non-negative"},
		{"tile", func() error { return mlx.Tile(f32(1, 2), []int{-1}).Err() },
			"mlx: tile: reps[0] is -1: reps must be non-negative"},
		{"as_strided", func() error { return mlx.AsStrided(onesF(4), []int{-3}, []int64{1}, 0).Err() },
			"mlx: as_strided: shape[0] is -3: shape must be non-negative"},
		{"slice_dynamic", func() error { return mlx.SliceDynamic(onesF(4), i32(0), []int{0}, []int{-1}).Err() },
			"mlx: slice: sliceSize[0] is -1: sliceSize must be non-negative"},
		{"recv", func() error { return mlx.Recv([]int{2, -1}, mlx.Float32, 0, nil).Err() },
			"mlx: distributed.recv: shape[1] is -1: shape must be non-negative"},
		{"random bernoulli", func() error { return mlx.RandomBernoulli(f32(0.5), []int{-1}, key()).Err() },
			"mlx: random.bernoulli: shape[0] is -1: shape must be non-negative"},
		{"random bits", func() error { return mlx.RandomBits([]int{-1}, 4, key()).Err() },
			"mlx: random.bits: shape[0] is -1: shape must be non-negative"},
		{"random categorical shape", func() error { return mlx.RandomCategoricalShape(onesF(1, 3), -1, []int{-1}, key()).Err() },
			"mlx: random.categorical: shape[0] is -1: shape must be non-negative"},
		{"random gumbel", func() error { return mlx.RandomGumbel([]int{-1}, mlx.Float32, key()).Err() },
			"mlx: random.gumbel: shape[0] is -1: shape must be non-negative"},
		{"random laplace", func() error { return mlx.RandomLaplace([]int{-1}, mlx.Float32, 0, 1, key()).Err() },
			"mlx: random.laplace: shape[0] is -1: shape must be non-negative"},
		{"random multivariate_normal", func() error {
			return mlx.RandomMultivariateNormal(onesF(2), mlx.Eye(2, 2, 0, mlx.Float32), []int{-1}, mlx.Float32, key()).Err()
		}, "mlx: random.multivariate_normal: shape[0] is -1: shape must be non-negative"},
		{"random normal", func() error { return mlx.RandomNormal([]int{3, -2}, mlx.Float32, 0, 1, key()).Err() },
			"mlx: random.normal: shape[1] is -2: shape must be non-negative"},
		{"random normal without key", func() error { return mlx.RandomNormal([]int{-1}, mlx.Float32, 0, 1, nil).Err() },
			"mlx: random.normal: shape[0] is -1: shape must be non-negative"},
		{"random normal broadcast", func() error { return mlx.RandomNormalBroadcast([]int{-1}, mlx.Float32, nil, nil, key()).Err() },
			"mlx: random.normal: shape[0] is -1: shape must be non-negative"},
		{"random randint", func() error { return mlx.RandomInt(i32(0), i32(5), []int{-1}, mlx.Int32, key()).Err() },
			"mlx: random.randint: shape[0] is -1: shape must be non-negative"},
		{"random truncated_normal", func() error {
			return mlx.RandomTruncatedNormal(f32(-1), f32(1), []int{-1}, mlx.Float32, key()).Err()
		}, "mlx: random.truncated_normal: shape[0] is -1: shape must be non-negative"},
		{"random uniform", func() error { return mlx.RandomUniform(f32(0), f32(1), []int{-1}, mlx.Float32, key()).Err() },
			"mlx: random.uniform: shape[0] is -1: shape must be non-negative"},

		// Negative counts.
		{"random split", func() error { return mlx.RandomSplitNum(key(), -1).Err() },
			"mlx: random.split: num is -1: num must be non-negative"},
		{"random categorical samples", func() error { return mlx.RandomCategoricalNumSamples(onesF(1, 3), -1, -2, key()).Err() },
			"mlx: random.categorical: numSamples is -2: numSamples must be non-negative"},
		{"random permutation", func() error { return mlx.RandomPermutationArange(-3, key()).Err() },
			"mlx: random.permutation: x is -3: x must be non-negative"},

		// Shapes with -1 inference.
		{"reshape -2", func() error { return mlx.Reshape(onesF(6), -2, -3).Err() },
			"mlx: reshape: shape[0] is -2: shape must be non-negative or -1 (inferred)"},
		{"reshape 0 and -1", func() error { return mlx.Reshape(onesF(2, 0), 0, -1).Err() },
			"mlx: reshape: shape[1] is -1 and shape[0] is 0: a size beside a 0 cannot be inferred"},
		{"unflatten empty", func() error { return mlx.Unflatten(zerosF(0), 0, 0, -1).Err() },
			"mlx: unflatten: shape[1] is -1 and shape[0] is 0: a size beside a 0 cannot be inferred"},
		{"unflatten -1 first", func() error { return mlx.Unflatten(zerosF(6), 0, -1, 0).Err() },
			"mlx: unflatten: shape[0] is -1 and shape[1] is 0: a size beside a 0 cannot be inferred"},
		{"unflatten -3", func() error { return mlx.Unflatten(onesF(6), 0, 2, -3).Err() },
			"mlx: unflatten: shape[1] is -3: shape must be non-negative or -1 (inferred)"},
	}
}

func TestArgChecks(t *testing.T) {
	for _, c := range argCheckCases() {
		t.Run(c.name, func(t *testing.T) {
			err := c.err()
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			if err.Error() != c.want {
				t.Errorf("error %q, want %q", err, c.want)
			}
			if !errors.Is(err, mlx.ErrInvalidArgument) {
				t.Errorf("errors.Is(%v, ErrInvalidArgument) = false", err)
			}
			var e *mlx.Error
			if !errors.As(err, &e) {
				t.Fatalf("errors.As(%T, *mlx.Error) = false", err)
			}
			if want := "mlx: " + e.Op + ": " + e.Msg; want != c.want {
				t.Errorf("Op %q, Msg %q do not make %q", e.Op, e.Msg, c.want)
			}
		})
	}
}

// TestArgChecksOrder: the first problem wins, as with the converters; a
// bad argument after a freed array reports the freed array.
func TestArgChecksOrder(t *testing.T) {
	a := onesF(2, 3)
	a.Free()
	err := mlx.Slice(a, []int{0, 0}, []int{1, 1}, []int{0, 0}).Err()
	if !errors.Is(err, mlx.ErrFreed) {
		t.Errorf("Slice of a freed array with a zero stride: %v, want ErrFreed", err)
	}
	// int32 range is checked before the sign.
	err = mlx.Tile(f32(1), []int{-1 << 40}).Err()
	if err == nil || !errors.Is(err, mlx.ErrInvalidArgument) || err.Error() != fmt.Sprintf("mlx: tile: reps %v: %d does not fit in int32", []int{-1 << 40}, -1<<40) {
		t.Errorf("Tile with reps -2^40: %v", err)
	}
	// Errors downstream carry the check's error.
	bad := mlx.BroadcastTo(f32(1), -1)
	_, err = mlx.Data[float32](mlx.Exp(bad))
	var e *mlx.Error
	if !errors.As(err, &e) || e.Op != "broadcast_to" || !errors.Is(err, mlx.ErrInvalidArgument) {
		t.Errorf("Data of Exp(BroadcastTo(x, -1)): %v, want the broadcast_to error", err)
	}
}

// argData evaluates a as float32 and checks its shape and values.
func argData(t *testing.T, what string, a *mlx.Array, shape []int, want []float32) {
	t.Helper()
	got, err := mlx.Data[float32](mlx.AsType(a, mlx.Float32))
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	if fmt.Sprint(a.Shape()) != fmt.Sprint(shape) || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: shape %v, data %v; want %v, %v", what, a.Shape(), got, shape, want)
	}
}

// TestArgChecksValidNeighbours: what lies next to the refused arguments
// still works, with results worked out by hand.
func TestArgChecksValidNeighbours(t *testing.T) {
	S := mlx.Some[int]
	x := f32(1, 2, 3, 4, 5)
	// Negative and non-unit strides.
	argData(t, "slice stride -1", mlx.Slice(x, []int{3}, []int{0}, []int{-1}), []int{3}, []float32{4, 3, 2})
	argData(t, "slice stride 2", mlx.Slice(x, []int{0}, []int{5}, []int{2}), []int{3}, []float32{1, 3, 5})
	argData(t, "slice stride -2 on cpu", mlx.SliceOn(mlx.CPU, x, []int{4}, []int{-6}, []int{-2}), []int{3}, []float32{5, 3, 1})
	argData(t, "slice_update stride -1", mlx.SliceUpdate(f32(1, 2, 3, 4), f32(9, 8), []int{3}, []int{1}, []int{-1}),
		[]int{4}, []float32{1, 2, 8, 9})
	argData(t, "slice_update_add stride 2", mlx.SliceUpdateAdd(f32(1, 2, 3, 4), f32(10, 20), []int{0}, []int{4}, []int{2}),
		[]int{4}, []float32{11, 2, 23, 4})
	// -1 inference, and zeros without -1.
	argData(t, "reshape 2,-1", mlx.Reshape(f32(1, 2, 3, 4, 5, 6), 2, -1), []int{2, 3}, []float32{1, 2, 3, 4, 5, 6})
	argData(t, "reshape -1", mlx.Reshape(onesF(2, 3), -1), []int{6}, []float32{1, 1, 1, 1, 1, 1})
	argData(t, "reshape 0,3", mlx.Reshape(zerosF(3, 0), 0, 3), []int{0, 3}, []float32{})
	argData(t, "unflatten 2,-1", mlx.Unflatten(f32(1, 2, 3, 4, 5, 6), 0, 2, -1), []int{2, 3}, []float32{1, 2, 3, 4, 5, 6})
	argData(t, "unflatten -1,3", mlx.Unflatten(f32(1, 2, 3, 4, 5, 6), 0, -1, 3), []int{2, 3}, []float32{1, 2, 3, 4, 5, 6})
	argData(t, "unflatten 0,3", mlx.Unflatten(zerosF(0), 0, 0, 3), []int{0, 3}, []float32{})
	// Zero sizes and counts.
	argData(t, "broadcast_to 0,2", mlx.BroadcastTo(f32(1), 0, 2), []int{0, 2}, []float32{})
	argData(t, "tile 0", mlx.Tile(f32(1, 2), []int{0}), []int{0}, []float32{})
	argData(t, "tile 2", mlx.Tile(f32(1, 2), []int{2}), []int{4}, []float32{1, 2, 1, 2})
	argData(t, "random normal 0,2", mlx.RandomNormal([]int{0, 2}, mlx.Float32, 0, 1, mlx.RandomKey(1)), []int{0, 2}, []float32{})
	if s := mlx.RandomSplitNum(mlx.RandomKey(1), 0); s.Err() != nil || fmt.Sprint(s.Shape()) != "[0 2]" {
		t.Errorf("RandomSplitNum(key, 0): shape %v, err %v; want [0 2]", s.Shape(), s.Err())
	}
	argData(t, "sorted permutation of 3", mlx.Sort(mlx.RandomPermutationArange(3, mlx.RandomKey(1))), []int{3}, []float32{0, 1, 2})
	// Only category 1 has non-zero probability.
	logits := mlx.Log(f32(0, 1, 0))
	argData(t, "categorical samples", mlx.RandomCategoricalNumSamples(logits, -1, 2, mlx.RandomKey(1)), []int{2}, []float32{1, 1})
	// Groups 1 and 2 (each output channel sees one input channel).
	argData(t, "conv1d groups 1", mlx.Conv1D(onesF(1, 5, 2), onesF(1, 3, 2), 1, 0, 1, 1), []int{1, 3, 1}, []float32{6, 6, 6})
	argData(t, "conv1d groups 2", mlx.Conv1D(onesF(1, 3, 2), onesF(2, 3, 1), 1, 0, 1, 2), []int{1, 1, 2}, []float32{3, 3})
	// Quantization with explicit and default sizes: w's rows are 0..15 four
	// times, which 4-bit affine quantization keeps exactly, so x=1 gives
	// 4*(0+...+15) = 480 per row.
	row := make([]float32, 64)
	for i := range row {
		row[i] = float32(i % 16)
	}
	w := mlx.BroadcastTo(mlx.FromSlice(row), 8, 64)
	for _, gs := range []mlx.Optional[int]{S(64), S(32), {}} {
		q, err := mlx.Quantize(w, gs, S(4), "affine", nil)
		if err != nil {
			t.Errorf("quantize group %v: %v", gs, err)
			continue
		}
		want := []float32{480, 480, 480, 480, 480, 480, 480, 480}
		argData(t, fmt.Sprintf("quantized_matmul group %v", gs), mlx.QuantizedMatmul(onesF(1, 64), q[0], q[1], q[2], true, gs, S(4), "affine"),
			[]int{1, 8}, want)
		argData(t, fmt.Sprintf("gather_qmm group %v", gs), mlx.GatherQMM(onesF(1, 64), q[0], q[1], q[2], nil, nil, true, gs, mlx.Optional[int]{}, "affine", false),
			[]int{1, 8}, want)
	}
}
