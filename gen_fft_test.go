package mlx_test

// Tests of the generated wrappers of mlx-c's fft.h (fft_gen.go), against a
// direct O(n²) discrete Fourier transform written here, with NumPy's
// conventions: the forward transform is sum x[m] e^{-2πi km/n}; "backward"
// normalization scales the inverse by 1/n, "ortho" both ways by 1/sqrt(n),
// "forward" the forward transform by 1/n.

import (
	"fmt"
	"math"
	"math/cmplx"
	"testing"

	"github.com/mlx-go/mlx"
)

// gtDFT transforms data (row-major, shape) along axis after resizing that
// axis to n (truncating or padding with zeros).
func gtDFT(data []complex128, shape []int, axis, n int, inverse bool, norm mlx.FFTNorm) ([]complex128, []int) {
	outer, inner := 1, 1
	for i := 0; i < axis; i++ {
		outer *= shape[i]
	}
	for i := axis + 1; i < len(shape); i++ {
		inner *= shape[i]
	}
	L := shape[axis]
	var scale float64
	switch {
	case norm == mlx.FFTNormOrtho:
		scale = 1 / math.Sqrt(float64(n))
	case (norm == mlx.FFTNormBackward) == inverse:
		scale = 1 / float64(n)
	default:
		scale = 1
	}
	sign := -1.0
	if inverse {
		sign = 1
	}
	out := make([]complex128, outer*n*inner)
	for o := 0; o < outer; o++ {
		for i := 0; i < inner; i++ {
			for k := 0; k < n; k++ {
				var acc complex128
				for m := 0; m < n && m < L; m++ {
					angle := sign * 2 * math.Pi * float64(k*m%n) / float64(n)
					acc += data[(o*L+m)*inner+i] * cmplx.Exp(complex(0, angle))
				}
				out[(o*n+k)*inner+i] = acc * complex(scale, 0)
			}
		}
	}
	newShape := append([]int(nil), shape...)
	newShape[axis] = n
	return out, newShape
}

// gtResize truncates or zero-pads axis to n.
func gtResize(data []complex128, shape []int, axis, n int) ([]complex128, []int) {
	outer, inner := 1, 1
	for i := 0; i < axis; i++ {
		outer *= shape[i]
	}
	for i := axis + 1; i < len(shape); i++ {
		inner *= shape[i]
	}
	L := shape[axis]
	out := make([]complex128, outer*n*inner)
	for o := 0; o < outer; o++ {
		for k := 0; k < n && k < L; k++ {
			for i := 0; i < inner; i++ {
				out[(o*n+k)*inner+i] = data[(o*L+k)*inner+i]
			}
		}
	}
	newShape := append([]int(nil), shape...)
	newShape[axis] = n
	return out, newShape
}

// gtIRFFTRef is the inverse real transform along the last axis: the input is
// resized to n/2+1 bins, the rest of the spectrum follows by Hermitian
// symmetry (the imaginary parts of bin 0, and of bin n/2 for even n, are
// ignored), and the real part is kept.
func gtIRFFTRef(data []complex128, shape []int, n int, norm mlx.FFTNorm) ([]float64, []int) {
	axis := len(shape) - 1
	bins, bshape := gtResize(data, shape, axis, n/2+1)
	rows := len(bins) / (n/2 + 1)
	full := make([]complex128, rows*n)
	for r := 0; r < rows; r++ {
		b := bins[r*(n/2+1) : (r+1)*(n/2+1)]
		for k := 0; k < n; k++ {
			if k <= n/2 {
				full[r*n+k] = b[k]
			} else {
				full[r*n+k] = cmplx.Conj(b[n-k])
			}
		}
		full[r*n] = complex(real(full[r*n]), 0)
		if n%2 == 0 {
			full[r*n+n/2] = complex(real(full[r*n+n/2]), 0)
		}
	}
	fshape := append([]int(nil), bshape...)
	fshape[axis] = n
	out, oshape := gtDFT(full, fshape, axis, n, true, norm)
	re := make([]float64, len(out))
	for i, v := range out {
		re[i] = real(v)
	}
	return re, oshape
}

func gtCplx(vals []complex128, shape ...int) *mlx.Array {
	c := make([]complex64, len(vals))
	for i, v := range vals {
		c[i] = complex64(v)
	}
	return mlx.FromSlice(c, shape...)
}

func gtToComplex(vals []float64) []complex128 {
	out := make([]complex128, len(vals))
	for i, v := range vals {
		out[i] = complex(v, 0)
	}
	return out
}

// gtCplxSeq returns n deterministic complex values, rounded to complex64.
func gtCplxSeq(n int, seed float64) []complex128 {
	re, im := gtRound32(gtSeq(n, seed)), gtRound32(gtSeq(n, seed+10))
	out := make([]complex128, n)
	for i := range out {
		out[i] = complex(re[i], im[i])
	}
	return out
}

func TestGenFFT1D(t *testing.T) {
	x := gtCplxSeq(8, 0.3)
	norms := []mlx.FFTNorm{mlx.FFTNormBackward, mlx.FFTNormOrtho, mlx.FFTNormForward}
	for i, norm := range norms {
		for j, n := range []int{8, 6, 11} {
			on := gtPick(t, i+j)
			want, shape := gtDFT(x, []int{8}, 0, n, false, norm)
			gtCheckComplex(t, fmt.Sprintf("fft n=%d norm=%d", n, norm), mlx.FFTOn(on, gtCplx(x), n, 0, norm), shape, want, 1e-5)
			want, shape = gtDFT(x, []int{8}, 0, n, true, norm)
			gtCheckComplex(t, fmt.Sprintf("ifft n=%d norm=%d", n, norm), mlx.IFFTOn(on, gtCplx(x), n, -1, norm), shape, want, 1e-5)
		}
	}
	// Along the first axis of a 4×3 array; real input is promoted.
	m := gtCplxSeq(12, 1.1)
	want, shape := gtDFT(m, []int{4, 3}, 0, 4, false, mlx.FFTNormBackward)
	gtCheckComplex(t, "fft axis 0", mlx.FFT(gtCplx(m, 4, 3), 4, 0, mlx.FFTNormBackward), shape, want, 1e-5)
	r := gtRound32(gtSeq(6, 0.5))
	want, shape = gtDFT(gtToComplex(r), []int{6}, 0, 6, false, mlx.FFTNormBackward)
	gtCheckComplex(t, "fft real input", mlx.FFT(gtF32(r), 6, 0, mlx.FFTNormBackward), shape, want, 1e-5)
	// Round trip.
	gtCheckComplex(t, "ifft(fft(x))", mlx.IFFT(mlx.FFT(gtCplx(x), 8, 0, mlx.FFTNormOrtho), 8, 0, mlx.FFTNormOrtho), []int{8}, x, 1e-5)

	// rfft keeps the n/2+1 non-negative frequencies.
	xr := gtRound32(gtSeq(8, 2.3))
	for i, n := range []int{8, 7, 10} {
		full, _ := gtDFT(gtToComplex(xr), []int{8}, 0, n, false, mlx.FFTNormBackward)
		gtCheckComplex(t, fmt.Sprintf("rfft n=%d", n), mlx.RFFTOn(gtPick(t, i), gtF32(xr), n, 0, mlx.FFTNormBackward), []int{n/2 + 1}, full[:n/2+1], 1e-5)
	}
	full, _ := gtDFT(gtToComplex(xr), []int{8}, 0, 8, false, mlx.FFTNormOrtho)
	gtCheckComplex(t, "RFFT ortho", mlx.RFFT(gtF32(xr), 8, -1, mlx.FFTNormOrtho), []int{5}, full[:5], 1e-5)

	// irfft: from n/2+1 bins back to n real values.
	spec := gtCplxSeq(5, 0.9)
	for i, n := range []int{8, 9, 6} {
		for _, norm := range norms {
			want, shape := gtIRFFTRef(spec, []int{5}, n, norm)
			gtCheck(t, fmt.Sprintf("irfft n=%d norm=%d", n, norm), mlx.IRFFTOn(gtPick(t, i), gtCplx(spec), n, 0, norm), mlx.Float32, shape, want, 1e-5)
		}
	}
	gtCheck(t, "irfft(rfft(x))", mlx.IRFFT(mlx.RFFT(gtF32(xr), 8, 0, mlx.FFTNormBackward), 8, 0, mlx.FFTNormBackward), mlx.Float32, []int{8}, xr, 1e-5)
}

func TestGenFFTND(t *testing.T) {
	s := gtStream(t)
	x := gtCplxSeq(4*6, 0.7)
	// 2-D: transform the axes one after the other.
	fft2 := func(data []complex128, shape []int, n []int, axes []int, inverse bool, norm mlx.FFTNorm) ([]complex128, []int) {
		for i, ax := range axes {
			data, shape = gtDFT(data, shape, ax, n[i], inverse, norm)
		}
		return data, shape
	}
	want, shape := fft2(x, []int{4, 6}, []int{4, 6}, []int{0, 1}, false, mlx.FFTNormBackward)
	gtCheckComplex(t, "fft2", mlx.FFT2(gtCplx(x, 4, 6), []int{4, 6}, []int{0, 1}, mlx.FFTNormBackward), shape, want, 1e-5)
	want, shape = fft2(x, []int{4, 6}, []int{3, 8}, []int{0, 1}, false, mlx.FFTNormOrtho)
	gtCheckComplex(t, "fft2 resized", mlx.FFT2On(s, gtCplx(x, 4, 6), []int{3, 8}, []int{-2, -1}, mlx.FFTNormOrtho), shape, want, 1e-5)
	want, shape = fft2(x, []int{4, 6}, []int{4, 6}, []int{0, 1}, true, mlx.FFTNormBackward)
	gtCheckComplex(t, "ifft2", mlx.IFFT2(gtCplx(x, 4, 6), []int{4, 6}, []int{0, 1}, mlx.FFTNormBackward), shape, want, 1e-5)
	gtCheckComplex(t, "ifft2(fft2(x))", mlx.IFFT2On(mlx.CPU, mlx.FFT2(gtCplx(x, 4, 6), []int{4, 6}, []int{0, 1}, mlx.FFTNormForward), []int{4, 6}, []int{0, 1}, mlx.FFTNormForward), []int{4, 6}, x, 1e-5)

	x3 := gtCplxSeq(2*3*4, 1.9)
	want, shape = fft2(x3, []int{2, 3, 4}, []int{2, 3, 4}, []int{0, 1, 2}, false, mlx.FFTNormBackward)
	gtCheckComplex(t, "fftn", mlx.FFTN(gtCplx(x3, 2, 3, 4), []int{2, 3, 4}, []int{0, 1, 2}, mlx.FFTNormBackward), shape, want, 1e-5)
	want, shape = fft2(x3, []int{2, 3, 4}, []int{5, 4}, []int{2, 0}, false, mlx.FFTNormForward)
	gtCheckComplex(t, "fftn subset", mlx.FFTNOn(s, gtCplx(x3, 2, 3, 4), []int{5, 4}, []int{2, 0}, mlx.FFTNormForward), shape, want, 1e-5)
	want, shape = fft2(x3, []int{2, 3, 4}, []int{2, 3, 4}, []int{0, 1, 2}, true, mlx.FFTNormOrtho)
	gtCheckComplex(t, "ifftn", mlx.IFFTN(gtCplx(x3, 2, 3, 4), []int{2, 3, 4}, []int{0, 1, 2}, mlx.FFTNormOrtho), shape, want, 1e-5)
	gtCheckComplex(t, "ifftn on", mlx.IFFTNOn(mlx.CPU, gtCplx(x3, 2, 3, 4), []int{2, 3, 4}, []int{0, 1, 2}, mlx.FFTNormOrtho), shape, want, 1e-5)

	// Real N-D: rfft along the last listed axis, fft along the others.
	xr := gtRound32(gtSeq(4*6, 3.1))
	rfftn := func(n []int, axes []int, norm mlx.FFTNorm) ([]complex128, []int) {
		last := len(axes) - 1
		data, shape := gtDFT(gtToComplex(xr), []int{4, 6}, axes[last], n[last], false, norm)
		// Keep the non-negative frequencies of the last axis.
		data, shape = gtResize(data, shape, axes[last], n[last]/2+1)
		for i := last - 1; i >= 0; i-- {
			data, shape = gtDFT(data, shape, axes[i], n[i], false, norm)
		}
		return data, shape
	}
	want, shape = rfftn([]int{4, 6}, []int{0, 1}, mlx.FFTNormBackward)
	gtCheckComplex(t, "rfft2", mlx.RFFT2(gtF32(xr, 4, 6), []int{4, 6}, []int{0, 1}, mlx.FFTNormBackward), shape, want, 1e-5)
	gtCheckComplex(t, "rfft2 on", mlx.RFFT2On(s, gtF32(xr, 4, 6), []int{4, 6}, []int{0, 1}, mlx.FFTNormBackward), shape, want, 1e-5)
	want, shape = rfftn([]int{4, 5}, []int{0, 1}, mlx.FFTNormOrtho)
	gtCheckComplex(t, "rfftn", mlx.RFFTN(gtF32(xr, 4, 6), []int{4, 5}, []int{0, 1}, mlx.FFTNormOrtho), shape, want, 1e-5)
	gtCheckComplex(t, "rfftn on", mlx.RFFTNOn(mlx.CPU, gtF32(xr, 4, 6), []int{4, 5}, []int{0, 1}, mlx.FFTNormOrtho), shape, want, 1e-5)

	// Inverse real N-D: ifft along the other axes, irfft along the last.
	spec := gtCplxSeq(4*4, 0.4)
	irfftn := func(n []int, norm mlx.FFTNorm) ([]float64, []int) {
		data, shape := gtDFT(spec, []int{4, 4}, 0, n[0], true, norm)
		return gtIRFFTRef(data, shape, n[1], norm)
	}
	wr, rshape := irfftn([]int{4, 6}, mlx.FFTNormBackward)
	gtCheck(t, "irfft2", mlx.IRFFT2(gtCplx(spec, 4, 4), []int{4, 6}, []int{0, 1}, mlx.FFTNormBackward), mlx.Float32, rshape, wr, 1e-5)
	gtCheck(t, "irfft2 on", mlx.IRFFT2On(s, gtCplx(spec, 4, 4), []int{4, 6}, []int{0, 1}, mlx.FFTNormBackward), mlx.Float32, rshape, wr, 1e-5)
	wr, rshape = irfftn([]int{3, 7}, mlx.FFTNormForward)
	gtCheck(t, "irfftn", mlx.IRFFTN(gtCplx(spec, 4, 4), []int{3, 7}, []int{0, 1}, mlx.FFTNormForward), mlx.Float32, rshape, wr, 1e-5)
	gtCheck(t, "irfftn(rfftn(x))", mlx.IRFFTNOn(mlx.CPU, mlx.RFFTN(gtF32(xr, 4, 6), []int{4, 6}, []int{0, 1}, mlx.FFTNormBackward), []int{4, 6}, []int{0, 1}, mlx.FFTNormBackward),
		mlx.Float32, []int{4, 6}, xr, 1e-5)
}

func TestGenFFTHelpers(t *testing.T) {
	s := gtStream(t)
	// fftfreq: [0, 1, ..., ceil(n/2)-1, -floor(n/2), ..., -1] / (d n).
	freq := func(n int, d float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			k := i
			if i >= (n+1)/2 {
				k = i - n
			}
			out[i] = float64(k) / (d * float64(n))
		}
		return out
	}
	rfreq := func(n int, d float64) []float64 {
		out := make([]float64, n/2+1)
		for i := range out {
			out[i] = float64(i) / (d * float64(n))
		}
		return out
	}
	gtCheck(t, "fftfreq 8", mlx.FFTFreq(8, 1), mlx.Float32, []int{8}, freq(8, 1), 1e-6)
	gtCheck(t, "fftfreq 7", mlx.FFTFreqOn(s, 7, 0.5), mlx.Float32, []int{7}, freq(7, 0.5), 1e-6)
	gtCheck(t, "rfftfreq 8", mlx.RFFTFreq(8, 0.25), mlx.Float32, []int{5}, rfreq(8, 0.25), 1e-6)
	gtCheck(t, "rfftfreq 7", mlx.RFFTFreqOn(mlx.CPU, 7, 2), mlx.Float32, []int{4}, rfreq(7, 2), 1e-6)

	// fftshift rolls by n/2 (floor), ifftshift by -(n/2).
	roll := func(v []float64, k int) []float64 {
		n := len(v)
		out := make([]float64, n)
		for i := range v {
			out[((i+k)%n+n)%n] = v[i]
		}
		return out
	}
	v5 := gtInts(0, 1, 2, 3, 4)
	gtCheck(t, "fftshift odd", mlx.FFTShift(gtF32(v5), 0), mlx.Float32, []int{5}, roll(v5, 2), 0)
	gtCheck(t, "ifftshift odd", mlx.IFFTShift(gtF32(v5), 0), mlx.Float32, []int{5}, roll(v5, -2), 0)
	gtCheck(t, "ifftshift(fftshift(x))", mlx.IFFTShiftOn(s, mlx.FFTShiftOn(s, gtF32(v5), -1), -1), mlx.Float32, []int{5}, v5, 0)
	// As documented, no axes means no shift (mlx-c passes an empty axis
	// list; Python's default of all axes is not available).
	gtCheck(t, "fftshift no axes", mlx.FFTShift(gtF32(v5)), mlx.Float32, []int{5}, v5, 0)
	gtCheck(t, "ifftshift no axes", mlx.IFFTShift(gtF32(v5)), mlx.Float32, []int{5}, v5, 0)
	m := gtInts(0, 1, 2, 3, 4, 5, 6, 7)
	// Shift only axis 1 of a 2×4 array: each row rolls by 2.
	gtCheck(t, "fftshift axis", mlx.FFTShiftOn(mlx.CPU, gtF32(m, 2, 4), 1), mlx.Float32, []int{2, 4}, append(roll(m[:4], 2), roll(m[4:], 2)...), 0)
	// Both axes: the rows swap too.
	gtCheck(t, "fftshift both axes", mlx.FFTShift(gtF32(m, 2, 4), 0, 1), mlx.Float32, []int{2, 4}, append(roll(m[4:], 2), roll(m[:4], 2)...), 0)
	gtCheck(t, "ifftshift axis", mlx.IFFTShift(gtF32(m, 2, 4), -1), mlx.Float32, []int{2, 4}, append(roll(m[:4], -2), roll(m[4:], -2)...), 0)
	// fftshift puts the zero frequency in the middle: the frequencies come out sorted.
	sorted := gtVals(t, mlx.FFTShift(mlx.FFTFreq(6, 1), 0))
	for i := 1; i < len(sorted); i++ {
		if sorted[i] <= sorted[i-1] {
			t.Fatalf("fftshift(fftfreq(6)) = %v is not increasing", sorted)
		}
	}
}

func TestGenFFTErrors(t *testing.T) {
	x := gtCplx(gtCplxSeq(8, 0.1), 2, 4)
	gtWantErr(t, mlx.FFT(x, 4, 2, mlx.FFTNormBackward).Err(), "fft.fft", "axis")
	gtWantErr(t, mlx.FFT(x, 0, 0, mlx.FFTNormBackward).Err(), "fft.fft", "")
	gtWantErr(t, mlx.FFT2(x, []int{2}, []int{0, 1}, mlx.FFTNormBackward).Err(), "fft.fft2", "")
	gtWantErr(t, mlx.FFTNOn(gtStream(t), x, []int{2, 4}, []int{0, 0}, mlx.FFTNormBackward).Err(), "fft.fftn", "")
	// An invalid normalization is caught by the binding.
	e := gtWantErr(t, mlx.IFFT(x, 4, 1, mlx.FFTNorm(9)).Err(), "fft.ifft", "norm")
	if e.Err != mlx.ErrInvalidArgument {
		t.Errorf("bad norm: wraps %v, want ErrInvalidArgument", e.Err)
	}
	gtWantErr(t, mlx.FFTShift(x, 2).Err(), "fft.fftshift", "axis")
	gtWantErr(t, mlx.IFFTShift(x, -3).Err(), "fft.ifftshift", "axis")
	gtWantErr(t, mlx.RFFT(x, 4, 3, mlx.FFTNormBackward).Err(), "fft.rfft", "")
	gtWantErr(t, mlx.FFTShift(nil).Err(), "fft.fftshift", "nil array")
	gtWantErr(t, mlx.IRFFTN(x, []int{2, 4}, []int{0, 3}, mlx.FFTNormBackward).Err(), "fft.irfftn", "")
}
