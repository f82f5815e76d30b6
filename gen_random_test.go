package mlx_test

// Tests of the generated wrappers of mlx-c's random.h (random_gen.go).
//
// MLX's generator is counter-based: Threefry-2x32 (20 rounds) hashes a
// counter under a key of two uint32s, as in JAX. gtThreefry below is written
// from the Threefry specification and checked against its published
// known-answer vectors, so the raw bits MLX produces can be checked exactly;
// the distributions are checked against the formulas MLX documents (uniform
// from bits, normal by the inverse error function, ...) computed here in Go.

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"sort"
	"testing"

	"github.com/mlx-go/mlx"
)

// gtThreefry is Threefry-2x32 with 20 rounds.
func gtThreefry(key [2]uint32, ctr [2]uint32) [2]uint32 {
	rot := [2][4]int{{13, 15, 26, 6}, {17, 29, 16, 24}}
	ks := [3]uint32{key[0], key[1], key[0] ^ key[1] ^ 0x1BD11BDA}
	x0, x1 := ctr[0]+ks[0], ctr[1]+ks[1]
	for i := 0; i < 5; i++ {
		for _, r := range rot[i%2] {
			x0 += x1
			x1 = bits.RotateLeft32(x1, r)
			x1 ^= x0
		}
		x0 += ks[(i+1)%3]
		x1 += ks[(i+2)%3] + uint32(i) + 1
	}
	return [2]uint32{x0, x1}
}

// gtRandomBytes returns the nbytes random bytes MLX draws from one key: the
// words are filled in pairs, word c and word c+half(+1 when the word count
// is odd) from counter (c, c+half(+1)), the middle word of an odd count from
// counter (half, 0); the bytes are the little-endian words, truncated.
func gtRandomBytes(key [2]uint32, nbytes int) []byte {
	nw := (nbytes + 3) / 4
	half := nw / 2
	odd := nw % 2
	words := make([]uint32, nw)
	for c := 0; c < half; c++ {
		h := gtThreefry(key, [2]uint32{uint32(c), uint32(half + odd + c)})
		words[c], words[half+odd+c] = h[0], h[1]
	}
	if odd == 1 {
		words[half] = gtThreefry(key, [2]uint32{uint32(half), 0})[0]
	}
	out := make([]byte, 4*nw)
	for i, w := range words {
		binary.LittleEndian.PutUint32(out[4*i:], w)
	}
	return out[:nbytes]
}

func gtRandomWords(key [2]uint32, n int) []uint32 {
	b := gtRandomBytes(key, 4*n)
	out := make([]uint32, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return out
}

// gtKeyOf is MLX's key(seed): the high and low 32 bits.
func gtKeyOf(seed uint64) [2]uint32 { return [2]uint32{uint32(seed >> 32), uint32(seed)} }

// gtSplit is MLX's split(key): the bits of shape [2, 2] drawn from key.
func gtSplit(key [2]uint32) ([2]uint32, [2]uint32) {
	w := gtRandomWords(key, 4)
	return [2]uint32{w[0], w[1]}, [2]uint32{w[2], w[3]}
}

// gtUniform is MLX's uniform on [lo, hi) in float32: bits / float32(2^32-1),
// capped below 1, scaled and shifted.
func gtUniform(key [2]uint32, n int, lo, hi float32) []float64 {
	below1 := math.Nextafter32(1, 0)
	maxv := float32(math.MaxUint32)
	out := make([]float64, n)
	for i, w := range gtRandomWords(key, n) {
		u := float32(w) / maxv
		if u > below1 {
			u = below1
		}
		out[i] = float64(float32(float32(hi-lo)*u) + lo)
	}
	return out
}

func gtKeyArray(k [2]uint32) *mlx.Array { return mlx.FromSlice(k[:]) }

func TestGenRandomThreefryKnownAnswers(t *testing.T) {
	// Known-answer vectors of Threefry-2x32-20 (Random123, also used by JAX).
	for _, c := range []struct{ key, ctr, want [2]uint32 }{
		{[2]uint32{0, 0}, [2]uint32{0, 0}, [2]uint32{0x6b200159, 0x99ba4efe}},
		{[2]uint32{0xffffffff, 0xffffffff}, [2]uint32{0xffffffff, 0xffffffff}, [2]uint32{0x1cb996fc, 0xbb002be7}},
		{[2]uint32{0x13198a2e, 0x03707344}, [2]uint32{0x243f6a88, 0x85a308d3}, [2]uint32{0xc4923a9c, 0x483df7a0}},
	} {
		if got := gtThreefry(c.key, c.ctr); got != c.want {
			t.Errorf("threefry(%x, %x) = %x, want %x", c.key, c.ctr, got, c.want)
		}
	}
}

func TestGenRandomKeyAndBits(t *testing.T) {
	s := gtStream(t)
	seed := uint64(0x0123456789abcdef)
	key := gtKeyOf(seed)
	gtCheck(t, "key", mlx.RandomKey(seed), mlx.Uint32, []int{2}, []float64{0x01234567, 0x89abcdef}, 0)
	gtCheck(t, "key on", mlx.RandomKey(7), mlx.Uint32, []int{2}, []float64{0, 7}, 0)

	words := func(w []uint32) []float64 {
		out := make([]float64, len(w))
		for i, v := range w {
			out[i] = float64(v)
		}
		return out
	}
	byteVals := func(b []byte) []float64 {
		out := make([]float64, len(b))
		for i, v := range b {
			out[i] = float64(v)
		}
		return out
	}
	// Even and odd word counts take different paths in MLX's kernel.
	for i, n := range []int{1, 4, 5, 6} {
		gtCheck(t, fmt.Sprintf("bits n=%d", n), mlx.RandomBitsOn(gtPick(t, i), []int{n}, 4, mlx.RandomKey(seed)), mlx.Uint32, []int{n}, words(gtRandomWords(key, n)), 0)
	}
	gtCheck(t, "bits 2d", mlx.RandomBits([]int{2, 3}, 4, gtKeyArray(key)), mlx.Uint32, []int{2, 3}, words(gtRandomWords(key, 6)), 0)
	// Narrower widths use the same byte stream.
	gtCheck(t, "bits width 1", mlx.RandomBits([]int{7}, 1, gtKeyArray(key)), mlx.Uint8, []int{7}, byteVals(gtRandomBytes(key, 7)), 0)
	b2 := gtRandomBytes(key, 6)
	gtCheck(t, "bits width 2", mlx.RandomBitsOn(s, []int{3}, 2, gtKeyArray(key)), mlx.Uint16, []int{3},
		[]float64{float64(binary.LittleEndian.Uint16(b2)), float64(binary.LittleEndian.Uint16(b2[2:])), float64(binary.LittleEndian.Uint16(b2[4:]))}, 0)

	// split: two keys from the bits of shape [2, 2].
	k1, k2 := gtSplit(key)
	a, b := mlx.RandomSplit(gtKeyArray(key))
	gtCheck(t, "split[0]", a, mlx.Uint32, []int{2}, words(k1[:]), 0)
	gtCheck(t, "split[1]", b, mlx.Uint32, []int{2}, words(k2[:]), 0)
	a, b = mlx.RandomSplitOn(s, gtKeyArray(key))
	gtCheck(t, "split on[0]", a, mlx.Uint32, []int{2}, words(k1[:]), 0)
	gtCheck(t, "split on[1]", b, mlx.Uint32, []int{2}, words(k2[:]), 0)
	gtCheck(t, "split_num", mlx.RandomSplitNum(gtKeyArray(key), 3), mlx.Uint32, []int{3, 2}, words(gtRandomWords(key, 6)), 0)
	gtCheck(t, "split_num on", mlx.RandomSplitNumOn(mlx.CPU, gtKeyArray(key), 2), mlx.Uint32, []int{2, 2}, words(gtRandomWords(key, 4)), 0)

	// Without a key, MLX draws the next key of its global sequence: after
	// seed(s) that is the second half of split(key(s)).
	if err := mlx.RandomSeed(42); err != nil {
		t.Fatalf("RandomSeed: %v", err)
	}
	_, next := gtSplit(gtKeyOf(42))
	gtCheck(t, "bits after seed", mlx.RandomBits([]int{4}, 4, nil), mlx.Uint32, []int{4}, words(gtRandomWords(next, 4)), 0)
	if err := mlx.RandomSeed(42); err != nil {
		t.Fatalf("RandomSeed: %v", err)
	}
	gtCheck(t, "bits after reseed", mlx.RandomBitsOn(s, []int{4}, 4, nil), mlx.Uint32, []int{4}, words(gtRandomWords(next, 4)), 0)
}

func TestGenRandomDistributions(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	s := gtStream(t)
	key := gtKeyOf(2024)
	K := func() *mlx.Array { return gtKeyArray(key) }
	const n = 1000

	// uniform, default range and a shifted one.
	gtCheck(t, "uniform", mlx.RandomUniform(mlx.Scalar[float32](0), mlx.Scalar[float32](1), []int{n}, mlx.Float32, K()), mlx.Float32, []int{n}, gtUniform(key, n, 0, 1), 1e-6)
	u := mlx.RandomUniformOn(s, mlx.Scalar[float32](-2), mlx.Scalar[float32](3), []int{10, 100}, mlx.Float32, K())
	gtCheck(t, "uniform range", u, mlx.Float32, []int{10, 100}, gtUniform(key, n, -2, 3), 1e-6)
	for _, v := range gtVals(t, u) {
		if v < -2 || v >= 3 {
			t.Fatalf("uniform sample %v outside [-2, 3)", v)
		}
	}
	// Same key, same values; another key, other values.
	again := gtVals(t, mlx.RandomUniform(mlx.Scalar[float32](-2), mlx.Scalar[float32](3), []int{10, 100}, mlx.Float32, K()))
	gtCloseTo(t, "uniform same key", again, gtVals(t, u), 0)
	other := gtVals(t, mlx.RandomUniform(mlx.Scalar[float32](-2), mlx.Scalar[float32](3), []int{10, 100}, mlx.Float32, mlx.RandomKey(2025)))
	same := 0
	for i := range other {
		if other[i] == again[i] {
			same++
		}
	}
	if same > 5 {
		t.Errorf("uniform: keys 2024 and 2025 agree on %d of %d samples", same, n)
	}

	// normal: sqrt(2) * erfinv(uniform(nextafter(-1, 0), 1)), scaled, shifted.
	lo := math.Nextafter32(-1, 0)
	base := gtUniform(key, n, lo, 1)
	normal := func(loc, scale float64) []float64 {
		return gtMap(base, func(v float64) float64 { return loc + scale*math.Sqrt2*math.Erfinv(v) })
	}
	gtCheck(t, "normal", mlx.RandomNormal([]int{n}, mlx.Float32, 0, 1, K()), mlx.Float32, []int{n}, normal(0, 1), 1e-4)
	gtCheck(t, "normal loc scale", mlx.RandomNormalOn(s, []int{n}, mlx.Float32, 3, 0.5, K()), mlx.Float32, []int{n}, normal(3, 0.5), 1e-4)
	gtCheck(t, "normal_broadcast", mlx.RandomNormalBroadcast([]int{n}, mlx.Float32, mlx.Scalar[float32](-1), mlx.Scalar[float32](2), K()), mlx.Float32, []int{n}, normal(-1, 2), 1e-4)
	nb := gtVals(t, mlx.RandomNormalBroadcastOn(mlx.CPU, []int{2, n / 2}, mlx.Float32, gtF32([]float64{10, 20}, 2, 1), nil, K()))
	for i := range nb {
		want := normal(0, 1)[i] + 10*float64(1+i/(n/2))
		if !gtNear(nb[i], want, 1e-4) {
			t.Fatalf("normal_broadcast rows: sample %d = %v, want %v", i, nb[i], want)
		}
	}
	// Moments of a larger sample.
	big := gtVals(t, mlx.RandomNormal([]int{20000}, mlx.Float32, 0, 1, mlx.RandomKey(9)))
	if m, v := gtMean(big), gtVar(0)(big); math.Abs(m) > 0.05 || math.Abs(v-1) > 0.05 {
		t.Errorf("normal: mean %v variance %v, want about 0 and 1", m, v)
	}

	// laplace: sign(u) * log1p(-|u|), scaled and shifted.
	lap := func(loc, scale float64) []float64 {
		return gtMap(base, func(v float64) float64 {
			sg := 0.0
			if v > 0 {
				sg = 1
			} else if v < 0 {
				sg = -1
			}
			return loc + scale*sg*math.Log1p(-math.Abs(v))
		})
	}
	gtCheck(t, "laplace", mlx.RandomLaplace([]int{n}, mlx.Float32, 0, 1, K()), mlx.Float32, []int{n}, lap(0, 1), 1e-4)
	gtCheck(t, "laplace on", mlx.RandomLaplaceOn(s, []int{n}, mlx.Float32, 1, 2, K()), mlx.Float32, []int{n}, lap(1, 2), 1e-4)

	// gumbel: -log(-log(uniform(0, 1))).
	gum := gtMap(gtUniform(key, n, 0, 1), func(v float64) float64 { return -math.Log(-math.Log(v)) })
	gtCheck(t, "gumbel", mlx.RandomGumbel([]int{n}, mlx.Float32, K()), mlx.Float32, []int{n}, gum, 1e-4)
	gtCheck(t, "gumbel on", mlx.RandomGumbelOn(s, []int{n}, mlx.Float32, K()), mlx.Float32, []int{n}, gum, 1e-4)

	// bernoulli: bits < p * nextafter(2^32-1 as float32, max).
	thresh := func(p float32) []float64 {
		up := p * math.Nextafter32(float32(math.MaxUint32), math.MaxFloat32)
		out := make([]float64, n)
		for i, w := range gtRandomWords(key, n) {
			if float32(w) < up {
				out[i] = 1
			}
		}
		return out
	}
	gtCheck(t, "bernoulli", mlx.RandomBernoulli(mlx.Scalar[float32](0.3), []int{n}, K()), mlx.Bool, []int{n}, thresh(0.3), 0)
	gtCheck(t, "bernoulli on", mlx.RandomBernoulliOn(s, mlx.Scalar[float32](0.75), []int{n}, K()), mlx.Bool, []int{n}, thresh(0.75), 0)
	gtCheck(t, "bernoulli p=0", mlx.RandomBernoulli(mlx.Scalar[float32](0), []int{4}, K()), mlx.Bool, []int{4}, gtBools(false, false, false, false), 0)
	gtCheck(t, "bernoulli p=1", mlx.RandomBernoulli(mlx.Scalar[float32](1), []int{4}, K()), mlx.Bool, []int{4}, gtBools(true, true, true, true), 0)

	// randint: uniform(low, high) in float32, truncated to the integer dtype.
	gtCheck(t, "randint", mlx.RandomInt(mlx.Scalar[int32](-5), mlx.Scalar[int32](7), []int{n}, mlx.Int32, K()), mlx.Int32, []int{n}, gtMap(gtUniform(key, n, -5, 7), func(v float64) float64 {
		return math.Trunc(math.Max(v, -5))
	}), 0)
	rv := gtVals(t, mlx.RandomIntOn(s, mlx.Scalar[int32](0), mlx.Scalar[int32](3), []int{n}, mlx.Int32, mlx.RandomKey(5)))
	var counts [3]int
	for _, v := range rv {
		if v < 0 || v > 2 || v != math.Trunc(v) {
			t.Fatalf("randint sample %v outside {0, 1, 2}", v)
		}
		counts[int(v)]++
	}
	for i, c := range counts {
		if c < n/3-80 || c > n/3+80 {
			t.Errorf("randint: value %d drawn %d times of %d", i, c, n)
		}
	}

	// truncated_normal stays within its bounds.
	tn := mlx.RandomTruncatedNormal(mlx.Scalar[float32](-0.5), mlx.Scalar[float32](1.5), []int{n}, mlx.Float32, K())
	for _, v := range gtVals(t, tn) {
		if v < -0.5 || v > 1.5 {
			t.Fatalf("truncated_normal sample %v outside [-0.5, 1.5]", v)
		}
	}
	// It is sqrt(2) erfinv(uniform(erf(lo/sqrt2), erf(hi/sqrt2))).
	ea, eb := float32(math.Erf(-0.5/math.Sqrt2)), float32(math.Erf(1.5/math.Sqrt2))
	tw := gtMap(gtUniform(key, n, ea, eb), func(v float64) float64 { return math.Max(-0.5, math.Min(1.5, math.Sqrt2*math.Erfinv(v))) })
	gtCheck(t, "truncated_normal", tn, mlx.Float32, []int{n}, tw, 1e-4)
	tn2 := mlx.RandomTruncatedNormalOn(s, gtF32([]float64{0, -1}), gtF32([]float64{1, 0}), []int{50, 2}, mlx.Float32, K())
	v2 := gtVals(t, tn2)
	for i, v := range v2 {
		if (i%2 == 0 && (v < 0 || v > 1)) || (i%2 == 1 && (v < -1 || v > 0)) {
			t.Fatalf("truncated_normal per-column bounds: sample %d = %v", i, v)
		}
	}

	// multivariate_normal: sample mean and covariance.
	cov := []float64{2, 0.6, 0.6, 1}
	mv := mlx.RandomMultivariateNormal(gtF32([]float64{1, -2}), gtF32(cov, 2, 2), []int{20000}, mlx.Float32, mlx.RandomKey(11))
	mvv := gtVals(t, mv)
	if !gtSameShape(mv.Shape(), []int{20000, 2}) {
		t.Fatalf("multivariate_normal shape %v, want [20000 2]", mv.Shape())
	}
	var m0, m1 float64
	for i := 0; i < len(mvv); i += 2 {
		m0 += mvv[i]
		m1 += mvv[i+1]
	}
	m0 /= 20000
	m1 /= 20000
	var c00, c01, c11 float64
	for i := 0; i < len(mvv); i += 2 {
		d0, d1 := mvv[i]-m0, mvv[i+1]-m1
		c00 += d0 * d0
		c01 += d0 * d1
		c11 += d1 * d1
	}
	c00, c01, c11 = c00/20000, c01/20000, c11/20000
	if math.Abs(m0-1) > 0.05 || math.Abs(m1+2) > 0.05 || math.Abs(c00-2) > 0.1 || math.Abs(c01-0.6) > 0.08 || math.Abs(c11-1) > 0.08 {
		t.Errorf("multivariate_normal: mean (%v, %v) cov [[%v %v] [%v %v]], want (1, -2) [[2 0.6] [0.6 1]]", m0, m1, c00, c01, c01, c11)
	}
	mv2 := mlx.RandomMultivariateNormalOn(mlx.CPU, gtF32([]float64{0, 0}), gtF32([]float64{1, 0, 0, 1}, 2, 2), []int{3}, mlx.Float32, K())
	// With the identity covariance the samples are standard normal ones of
	// shape [3, 2] (the bits depend on the total count: draw 6 afresh).
	std6 := gtMap(gtUniform(key, 6, lo, 1), func(v float64) float64 { return math.Sqrt2 * math.Erfinv(v) })
	gtCheck(t, "multivariate_normal identity", mv2, mlx.Float32, []int{3, 2}, std6, 1e-4)
}

func TestGenRandomDiscrete(t *testing.T) {
	s := gtStream(t)
	key := gtKeyOf(77)
	K := func() *mlx.Array { return gtKeyArray(key) }

	// permutation(n) is argsort of n random words.
	argsortWords := func(n int) []float64 {
		w := gtRandomWords(key, n)
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return w[idx[a]] < w[idx[b]] })
		out := make([]float64, n)
		for i, v := range idx {
			out[i] = float64(v)
		}
		return out
	}
	perm := argsortWords(10)
	gtCheck(t, "permutation_arange", mlx.RandomPermutationArange(10, K()), mlx.Uint32, []int{10}, perm, 0)
	gtCheck(t, "permutation_arange on", mlx.RandomPermutationArangeOn(s, 10, K()), mlx.Uint32, []int{10}, perm, 0)
	x := make([]float64, 10)
	for i := range x {
		x[i] = float64(100 + i)
	}
	gtCheck(t, "permutation", mlx.RandomPermutation(gtF32(x), 0, K()), mlx.Float32, []int{10}, gtMap(perm, func(i float64) float64 { return x[int(i)] }), 0)
	// Along axis 1 of a 2×3 matrix the columns are permuted together.
	p3 := argsortWords(3)
	m := gtInts(1, 2, 3, 4, 5, 6)
	want := make([]float64, 6)
	for r := 0; r < 2; r++ {
		for c := 0; c < 3; c++ {
			want[r*3+c] = m[r*3+int(p3[c])]
		}
	}
	gtCheck(t, "permutation axis", mlx.RandomPermutationOn(mlx.CPU, gtF32(m, 2, 3), 1, K()), mlx.Float32, []int{2, 3}, want, 0)
	// Without a key it is still a permutation.
	if p := gtVals(t, mlx.RandomPermutationArange(50, nil)); !gtIsPermutation(p, 50) {
		t.Errorf("permutation without key: %v is not a permutation", p)
	}

	// categorical: with one finite logit per row the draw is forced.
	ninf := math.Inf(-1)
	logits := gtF32([]float64{ninf, 0, ninf, ninf, ninf, ninf, ninf, 0}, 2, 4)
	gtCheck(t, "categorical", mlx.RandomCategorical(logits, -1, K()), mlx.Uint32, []int{2}, gtInts(1, 3), 0)
	gtCheck(t, "categorical on", mlx.RandomCategoricalOn(s, logits, 1, nil), mlx.Uint32, []int{2}, gtInts(1, 3), 0)
	gtCheck(t, "categorical axis 0", mlx.RandomCategorical(gtF32([]float64{0, ninf, ninf, 0}, 2, 2), 0, K()), mlx.Uint32, []int{2}, gtInts(0, 1), 0)
	gtCheck(t, "categorical num_samples", mlx.RandomCategoricalNumSamples(logits, -1, 3, K()), mlx.Uint32, []int{2, 3}, gtInts(1, 1, 1, 3, 3, 3), 0)
	gtCheck(t, "categorical num_samples on", mlx.RandomCategoricalNumSamplesOn(mlx.CPU, logits, 1, 2, K()), mlx.Uint32, []int{2, 2}, gtInts(1, 1, 3, 3), 0)
	gtCheck(t, "categorical shape", mlx.RandomCategoricalShape(logits, -1, []int{3, 2}, K()), mlx.Uint32, []int{3, 2}, gtInts(1, 3, 1, 3, 1, 3), 0)
	gtCheck(t, "categorical shape on", mlx.RandomCategoricalShapeOn(s, logits, 1, []int{1, 2}, K()), mlx.Uint32, []int{1, 2}, gtInts(1, 3), 0)
	// The frequencies of a fair two-way draw.
	draws := gtVals(t, mlx.RandomCategoricalNumSamples(gtF32([]float64{0, 0}, 1, 2), -1, 2000, mlx.RandomKey(3)))
	if ones := gtSum(draws); ones < 900 || ones > 1100 {
		t.Errorf("categorical with equal logits drew class 1 %v times of 2000", ones)
	}
}

func TestGenRandomErrors(t *testing.T) {
	key := mlx.RandomKey(1)
	// A key must be uint32 of shape [2].
	gtWantErr(t, mlx.RandomBits([]int{2}, 4, mlx.FromSlice([]int32{1, 2})).Err(), "random.bits", "uint32")
	gtWantErr(t, mlx.RandomBits([]int{2}, 4, mlx.FromSlice([]uint32{1, 2, 3})).Err(), "random.bits", "shape")
	gtWantErr(t, mlx.RandomBits([]int{2}, 3, key).Err(), "random.bits", "width")
	// Bad dtypes for the distribution.
	gtWantErr(t, mlx.RandomUniform(mlx.Scalar[float32](0), mlx.Scalar[float32](1), []int{2}, mlx.Int32, key).Err(), "random.uniform", "floating point")
	gtWantErr(t, mlx.RandomNormal([]int{2}, mlx.Int32, 0, 1, key).Err(), "random.normal", "floating point")
	gtWantErr(t, mlx.RandomInt(mlx.Scalar[int32](0), mlx.Scalar[int32](3), []int{2}, mlx.Float32, key).Err(), "random.randint", "integer")
	gtWantErr(t, mlx.RandomBernoulli(mlx.Scalar[int32](1), []int{2}, key).Err(), "random.bernoulli", "float")
	gtWantErr(t, mlx.RandomMultivariateNormal(gtF32([]float64{0, 0}), gtF32([]float64{1, 0, 0, 1, 0, 0}, 2, 3), nil, mlx.Float32, key).Err(), "random.multivariate_normal", "cov")
	// Bad axis and bad shape.
	gtWantErr(t, mlx.RandomCategorical(gtF32([]float64{0, 0}), 3, key).Err(), "random.categorical", "axis")
	gtWantErr(t, mlx.RandomUniform(mlx.Scalar[float32](0), gtF32([]float64{1, 2, 3}), []int{2}, mlx.Float32, key).Err(), "random.uniform", "shape")
	// A nil required array; a nil key is allowed (the global sequence).
	gtWantErr(t, mlx.RandomCategoricalOn(gtStream(t), nil, 0, key).Err(), "random.categorical", "nil array")
	k1, k2 := mlx.RandomSplit(nil)
	gtWantErr(t, k1.Err(), "random.split", "nil array")
	gtWantErr(t, k2.Err(), "random.split", "nil array")
	gtWantErr(t, mlx.RandomSplitNum(mlx.FromSlice([]float32{1, 2}), 2).Err(), "random.split", "uint32")
}
