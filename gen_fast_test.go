package mlx_test

// Tests of the generated wrappers of mlx-c's fast.h (fast_gen.go): the fused
// layer norm, RMS norm, rotary embedding and attention of mlx.core.fast,
// against their definitions written out in Go.

import (
	"fmt"
	"math"
	"testing"

	"github.com/mlx-go/mlx"
)

// gtNormRows normalizes each row of length d: layer norm when layer is set
// ((x-mean)/sqrt(var+eps)), RMS norm otherwise (x/sqrt(mean(x²)+eps)); then
// multiplies by w and adds b where given.
func gtNormRows(x []float64, d int, w, b []float64, eps float64, layer bool) []float64 {
	out := make([]float64, len(x))
	for r := 0; r < len(x)/d; r++ {
		row := x[r*d : (r+1)*d]
		var mean, ms float64
		if layer {
			mean = gtMean(row)
			ms = gtVar(0)(row)
		} else {
			for _, v := range row {
				ms += v * v
			}
			ms /= float64(d)
		}
		for i, v := range row {
			y := (v - mean) / math.Sqrt(ms+eps)
			if w != nil {
				y *= w[i]
			}
			if b != nil {
				y += b[i]
			}
			out[r*d+i] = y
		}
	}
	return out
}

func TestGenFastNorms(t *testing.T) {
	const d = 8
	x := gtRound32(gtMap(gtSeq(3*d, 0.2), func(v float64) float64 { return 3*v + 1 }))
	w := gtRound32(gtMap(gtSeq(d, 1.3), func(v float64) float64 { return 1 + v/2 }))
	b := gtRound32(gtSeq(d, 2.9))
	const eps = 1e-5
	for i, on := range []mlx.StreamOrDevice{nil, gtStream(t), mlx.CPU} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			X := gtF32(x, 3, d)
			gtCheck(t, "layer_norm", mlx.FastLayerNormOn(on, X, gtF32(w), gtF32(b), eps), mlx.Float32, []int{3, d}, gtNormRows(x, d, w, b, eps, true), 1e-5)
			gtCheck(t, "layer_norm no bias", mlx.FastLayerNormOn(on, X, gtF32(w), nil, eps), mlx.Float32, []int{3, d}, gtNormRows(x, d, w, nil, eps, true), 1e-5)
			gtCheck(t, "layer_norm plain", mlx.FastLayerNormOn(on, X, nil, nil, eps), mlx.Float32, []int{3, d}, gtNormRows(x, d, nil, nil, eps, true), 1e-5)
			gtCheck(t, "rms_norm", mlx.FastRMSNormOn(on, X, gtF32(w), eps), mlx.Float32, []int{3, d}, gtNormRows(x, d, w, nil, eps, false), 1e-5)
			gtCheck(t, "rms_norm no weight", mlx.FastRMSNormOn(on, X, nil, eps), mlx.Float32, []int{3, d}, gtNormRows(x, d, nil, nil, eps, false), 1e-5)
		})
	}
	// A large eps dominates the variance.
	gtCheck(t, "layer_norm eps", mlx.FastLayerNorm(gtF32([]float64{1, 3}, 1, 2), nil, nil, 3), mlx.Float32, []int{1, 2}, []float64{-0.5, 0.5}, 1e-6)
	gtCheck(t, "rms_norm eps", mlx.FastRMSNorm(gtF32([]float64{3, 4}, 1, 2), gtF32([]float64{2, 1}), 0), mlx.Float32, []int{1, 2}, []float64{6 / math.Sqrt(12.5), 4 / math.Sqrt(12.5)}, 1e-6)
}

// gtRoPE rotates the first dims features of x [B, T, D] (flattened leading
// axes into B) at positions (offset[b] + t) * scale, with inverse
// frequencies invFreq (dims/2 of them): pairs (2i, 2i+1) when traditional,
// (i, i+dims/2) otherwise.
func gtRoPE(x []float64, B, T, D, dims int, traditional bool, invFreq []float64, scale float64, offset []int) []float64 {
	out := append([]float64(nil), x...)
	half := dims / 2
	for b := 0; b < B; b++ {
		off := offset[0]
		if len(offset) > 1 {
			off = offset[b]
		}
		for tt := 0; tt < T; tt++ {
			pos := float64(off+tt) * scale
			base := (b*T + tt) * D
			for i := 0; i < half; i++ {
				th := pos * invFreq[i]
				c, s := math.Cos(th), math.Sin(th)
				i1, i2 := i, i+half
				if traditional {
					i1, i2 = 2*i, 2*i+1
				}
				x1, x2 := x[base+i1], x[base+i2]
				out[base+i1] = x1*c - x2*s
				out[base+i2] = x1*s + x2*c
			}
		}
	}
	return out
}

func gtInvFreqs(base float64, dims int) []float64 {
	half := dims / 2
	out := make([]float64, half)
	for i := range out {
		out[i] = math.Pow(base, -float64(i)/float64(half))
	}
	return out
}

func TestGenFastRoPE(t *testing.T) {
	const B, N, T, D = 1, 2, 4, 8
	x := gtRound32(gtSeq(B*N*T*D, 0.6))
	shape := []int{B, N, T, D}
	s := gtStream(t)
	for i, c := range []struct {
		dims        int
		traditional bool
		base, scale float64
		offset      int
	}{
		{8, false, 10000, 1, 0},
		{8, true, 10000, 1, 3},
		{6, false, 100, 0.5, 2},
		{4, true, 500, 2, 1},
	} {
		name := fmt.Sprintf("rope %+v", c)
		want := gtRoPE(x, B*N, T, D, c.dims, c.traditional, gtInvFreqs(c.base, c.dims), c.scale, []int{c.offset})
		got := mlx.FastRoPEOn(gtPick(t, i), gtF32(x, shape...), c.dims, c.traditional, mlx.Some(float32(c.base)), float32(c.scale), c.offset, nil)
		gtCheck(t, name, got, mlx.Float32, shape, want, 1e-5)
		got = mlx.FastRoPEDynamicOn(gtPick(t, i+1), gtF32(x, shape...), c.dims, c.traditional, mlx.Some(float32(c.base)), float32(c.scale), mlx.Scalar[int32](int32(c.offset)), nil)
		gtCheck(t, name+" dynamic", got, mlx.Float32, shape, want, 1e-5)
	}
	// Explicit frequencies replace the base: inverse frequencies are 1/freqs.
	freqs := []float64{1, 3, 7}
	inv := gtMap(freqs, func(f float64) float64 { return 1 / f })
	want := gtRoPE(x, B*N, T, D, 6, false, inv, 1, []int{1})
	gtCheck(t, "rope freqs", mlx.FastRoPE(gtF32(x, shape...), 6, false, mlx.Optional[float32]{}, 1, 1, gtF32(freqs)), mlx.Float32, shape, want, 1e-5)
	gtCheck(t, "rope freqs dynamic", mlx.FastRoPEDynamic(gtF32(x, shape...), 6, false, mlx.Optional[float32]{}, 1, mlx.Scalar[int32](1), gtF32(freqs)), mlx.Float32, shape, want, 1e-5)
	// A 3-D input, and one offset per batch element.
	x3 := gtRound32(gtSeq(2*3*4, 1.7))
	want = gtRoPE(x3, 2, 3, 4, 4, false, gtInvFreqs(10000, 4), 1, []int{5, 0})
	gtCheck(t, "rope per-batch offsets", mlx.FastRoPEDynamicOn(s, gtF32(x3, 2, 3, 4), 4, false, mlx.Some[float32](10000), 1, mlx.FromSlice([]int32{5, 0}), nil), mlx.Float32, []int{2, 3, 4}, want, 1e-5)
	// Position 0 is the identity.
	gtCheck(t, "rope position 0", mlx.FastRoPEOn(s, gtF32(x3[:4], 1, 1, 4), 4, true, mlx.Some[float32](10000), 1, 0, nil), mlx.Float32, []int{1, 1, 4}, x3[:4], 1e-7)
}

// gtAttention is softmax(scale·q·kᵀ + mask [+ sink]) · v for q [B, Hq, Lq, D],
// k [B, Hk, Lk, D], v [B, Hk, Lk, Dv]; query head h uses key head
// h/(Hq/Hk). mask(i, j) returns an additive bias (-Inf to mask out).
func gtAttention(q, k, v []float64, B, Hq, Hk, Lq, Lk, D, Dv int, scale float64, mask func(h, i, j int) float64, sinks []float64) []float64 {
	out := make([]float64, B*Hq*Lq*Dv)
	rep := Hq / Hk
	for b := 0; b < B; b++ {
		for h := 0; h < Hq; h++ {
			hk := h / rep
			for i := 0; i < Lq; i++ {
				scores := make([]float64, Lk)
				m := math.Inf(-1)
				for j := 0; j < Lk; j++ {
					var dot float64
					for d := 0; d < D; d++ {
						dot += q[((b*Hq+h)*Lq+i)*D+d] * k[((b*Hk+hk)*Lk+j)*D+d]
					}
					scores[j] = scale * dot
					if mask != nil {
						scores[j] += mask(h, i, j)
					}
					m = math.Max(m, scores[j])
				}
				if sinks != nil {
					m = math.Max(m, sinks[h])
				}
				var z float64
				for j := range scores {
					scores[j] = math.Exp(scores[j] - m)
					z += scores[j]
				}
				if sinks != nil {
					z += math.Exp(sinks[h] - m)
				}
				for dv := 0; dv < Dv; dv++ {
					var acc float64
					for j := 0; j < Lk; j++ {
						acc += scores[j] / z * v[((b*Hk+hk)*Lk+j)*Dv+dv]
					}
					out[((b*Hq+h)*Lq+i)*Dv+dv] = acc
				}
			}
		}
	}
	return out
}

func TestGenFastAttention(t *testing.T) {
	const B, Hq, Hk, Lq, Lk, D, Dv = 1, 4, 2, 3, 5, 8, 3
	q := gtRound32(gtSeq(B*Hq*Lq*D, 0.1))
	k := gtRound32(gtSeq(B*Hk*Lk*D, 0.5))
	v := gtRound32(gtSeq(B*Hk*Lk*Dv, 0.9))
	Q := func() *mlx.Array { return gtF32(q, B, Hq, Lq, D) }
	K := func() *mlx.Array { return gtF32(k, B, Hk, Lk, D) }
	V := func() *mlx.Array { return gtF32(v, B, Hk, Lk, Dv) }
	shape := []int{B, Hq, Lq, Dv}
	scale := 1 / math.Sqrt(D)
	s := gtStream(t)

	want := gtAttention(q, k, v, B, Hq, Hk, Lq, Lk, D, Dv, scale, nil, nil)
	gtCheck(t, "sdpa", mlx.FastScaledDotProductAttention(Q(), K(), V(), float32(scale), "", nil, nil), mlx.Float32, shape, want, 1e-5)
	gtCheck(t, "sdpa on", mlx.FastScaledDotProductAttentionOn(s, Q(), K(), V(), float32(scale), "", nil, nil), mlx.Float32, shape, want, 1e-5)

	// Causal with fewer queries than keys: query i sees keys j <= i + (Lk-Lq).
	causal := func(_, i, j int) float64 {
		if j <= i+Lk-Lq {
			return 0
		}
		return math.Inf(-1)
	}
	want = gtAttention(q, k, v, B, Hq, Hk, Lq, Lk, D, Dv, 0.5, causal, nil)
	gtCheck(t, "sdpa causal", mlx.FastScaledDotProductAttentionOn(mlx.CPU, Q(), K(), V(), 0.5, "causal", nil, nil), mlx.Float32, shape, want, 1e-5)

	// A boolean mask array (broadcast over heads) and an additive one.
	bm := make([]bool, Lq*Lk)
	for i := range bm {
		bm[i] = (i*7)%3 != 0 || i%Lk == 0
	}
	boolMask := func(_, i, j int) float64 {
		if bm[i*Lk+j] {
			return 0
		}
		return math.Inf(-1)
	}
	want = gtAttention(q, k, v, B, Hq, Hk, Lq, Lk, D, Dv, scale, boolMask, nil)
	gtCheck(t, "sdpa bool mask", mlx.FastScaledDotProductAttentionOn(s, Q(), K(), V(), float32(scale), "array", mlx.FromSlice(bm, Lq, Lk), nil), mlx.Float32, shape, want, 1e-5)
	add := gtRound32(gtSeq(Hq*Lq*Lk, 2.2))
	addMask := func(h, i, j int) float64 { return add[(h*Lq+i)*Lk+j] }
	want = gtAttention(q, k, v, B, Hq, Hk, Lq, Lk, D, Dv, scale, addMask, nil)
	gtCheck(t, "sdpa additive mask", mlx.FastScaledDotProductAttention(Q(), K(), V(), float32(scale), "array", gtF32(add, 1, Hq, Lq, Lk), nil), mlx.Float32, shape, want, 1e-5)

	// Attention sinks: one extra logit per query head in the softmax.
	sinks := []float64{0.5, -1, 2, 0}
	want = gtAttention(q, k, v, B, Hq, Hk, Lq, Lk, D, Dv, scale, nil, sinks)
	gtCheck(t, "sdpa sinks", mlx.FastScaledDotProductAttentionOn(s, Q(), K(), V(), float32(scale), "", nil, gtF32(sinks)), mlx.Float32, shape, want, 1e-5)
	want = gtAttention(q, k, v, B, Hq, Hk, Lq, Lk, D, Dv, scale, causal, sinks)
	gtCheck(t, "sdpa causal sinks", mlx.FastScaledDotProductAttention(Q(), K(), V(), float32(scale), "causal", nil, gtF32(sinks)), mlx.Float32, shape, want, 1e-5)
}

func TestGenFastErrors(t *testing.T) {
	x := gtF32(gtSeq(8, 0), 2, 4)
	gtWantErr(t, mlx.FastRoPE(x, 4, false, mlx.Some[float32](10000), 1, 0, nil).Err(), "fast.rope", "at least 3 dimensions")
	x3 := gtF32(gtSeq(8, 0), 1, 2, 4)
	gtWantErr(t, mlx.FastRoPEOn(gtStream(t), x3, 3, false, mlx.Some[float32](10000), 1, 0, nil).Err(), "fast.rope", "even")
	gtWantErr(t, mlx.FastRoPE(x3, 4, false, mlx.Some[float32](10000), 1, 0, gtF32([]float64{1, 2})).Err(), "fast.rope", "Only one of base or freqs")
	gtWantErr(t, mlx.FastRoPE(x3, 4, false, mlx.Optional[float32]{}, 1, 0, nil).Err(), "fast.rope", "Neither base nor freqs")
	gtWantErr(t, mlx.FastRoPEDynamic(x3, 4, false, mlx.Some[float32](10000), 1, gtF32([]float64{1}), nil).Err(), "fast.rope", "integer")
	gtWantErr(t, mlx.FastRoPEDynamic(x3, 4, false, mlx.Some[float32](10000), 1, nil, nil).Err(), "fast.rope", "nil array")
	q := gtF32(gtSeq(8, 0), 1, 1, 2, 4)
	gtWantErr(t, mlx.FastScaledDotProductAttention(q, q, q, 1, "sliding", nil, nil).Err(), "fast.scaled_dot_product_attention", "mask_mode")
	gtWantErr(t, mlx.FastScaledDotProductAttentionOn(mlx.CPU, q, gtF32(gtSeq(6, 0), 1, 1, 2, 3), q, 1, "", nil, nil).Err(), "fast.scaled_dot_product_attention", "")
	gtWantErr(t, mlx.FastLayerNorm(x, gtF32([]float64{1, 2, 3}), nil, 1e-5).Err(), "fast.layer_norm", "")
	gtWantErr(t, mlx.FastRMSNormOn(gtStream(t), x, gtF32([]float64{1, 2, 3}), 1e-5).Err(), "fast.rms_norm", "")
	gtWantErr(t, mlx.FastRMSNorm(nil, nil, 1e-5).Err(), "fast.rms_norm", "nil array")
}
