package mlx

import "math"

// F16 is an IEEE 754 half-precision number, stored as its bits: the Go
// element type of Float16 arrays.
type F16 uint16

// BF16 is a bfloat16 number (the top half of a float32), stored as its
// bits: the Go element type of BFloat16 arrays.
type BF16 uint16

// NewF16 rounds f to the nearest F16 (ties to even).
func NewF16(f float32) F16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int((b >> 23) & 0xff)
	mant := b & 0x7fffff
	switch {
	case exp == 0xff: // Inf or NaN
		if mant != 0 {
			return F16(sign | 0x7e00)
		}
		return F16(sign | 0x7c00)
	case exp-127 > 15: // overflow
		return F16(sign | 0x7c00)
	case exp-127 >= -14: // normal
		h := uint32(exp-127+15)<<10 | mant>>13
		rest := mant & 0x1fff
		if rest > 0x1000 || rest == 0x1000 && h&1 == 1 {
			h++ // may carry into the exponent, and to Inf: both correct
		}
		return F16(uint32(sign) | h)
	case exp-127 >= -25: // subnormal
		mant |= 0x800000
		shift := uint(-14-(exp-127)) + 13
		h := mant >> shift
		rest := mant & (1<<shift - 1)
		half := uint32(1) << (shift - 1)
		if rest > half || rest == half && h&1 == 1 {
			h++
		}
		return F16(uint32(sign) | h)
	}
	return F16(sign)
}

// Float32 returns h exactly as a float32.
func (h F16) Float32() float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp == 0:
		if mant == 0 {
			return math.Float32frombits(sign)
		}
		f := float32(mant) / (1 << 24)
		if sign != 0 {
			return -f
		}
		return f
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
}

// NewBF16 rounds f to the nearest BF16 (ties to even).
func NewBF16(f float32) BF16 {
	b := math.Float32bits(f)
	if b&0x7fffffff > 0x7f800000 { // NaN: keep it a NaN
		return BF16(b>>16 | 0x40)
	}
	b += 0x7fff + (b>>16)&1
	return BF16(b >> 16)
}

// Float32 returns b exactly as a float32.
func (b BF16) Float32() float32 { return math.Float32frombits(uint32(b) << 16) }
