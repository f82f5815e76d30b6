package main

import "strings"

// Go names: every exported name the generator chooses comes from these
// tables or from the mechanical rule in goName. The docs publish the result
// as the C → Go name list (make names).

// groupPrefixes maps an mlx-c name prefix (after "mlx_") to its Go prefix.
var groupPrefixes = []struct{ c, goPrefix string }{
	{"random_", "Random"},
	{"fft_", ""},
	{"linalg_", "Linalg"},
	{"fast_", "Fast"},
	{"metal_", "Metal"},
	{"cuda_", "CUDA"},
	{"distributed_", ""}, // AllSum, Send, ...: Python's mx.distributed.all_sum
}

// renames are deliberate Go spellings (after the group prefix is removed):
// Go's math names, Go initialisms and compound words.
var renames = map[string]string{
	// ops: Go math spellings
	"arccos": "Acos", "arccosh": "Acosh", "arcsin": "Asin", "arcsinh": "Asinh",
	"arctan": "Atan", "arctan2": "Atan2", "arctanh": "Atanh",
	"log1p": "Log1p", "expm1": "Expm1", "log2": "Log2", "log10": "Log10",
	"isnan": "IsNaN", "isinf": "IsInf", "isposinf": "IsPosInf", "isneginf": "IsNegInf",
	"isfinite": "IsFinite", "isclose": "IsClose", "allclose": "AllClose",
	"nan_to_num": "NaNToNum", "erfinv": "Erfinv", "rsqrt": "Rsqrt",
	// ops: compound words
	"logaddexp": "LogAddExp", "logsumexp": "LogSumExp", "logcumsumexp": "LogCumSumExp",
	"cumsum": "CumSum", "cumprod": "CumProd", "cummax": "CumMax", "cummin": "CumMin",
	"argmax": "ArgMax", "argmin": "ArgMin", "argsort": "ArgSort", "argpartition": "ArgPartition",
	"astype": "AsType", "as_strided": "AsStrided", "addmm": "AddMM", "swapaxes": "SwapAxes",
	"moveaxis": "MoveAxis", "tensordot": "TensorDot", "divmod": "DivMod", "topk": "TopK",
	"atleast_1d": "AtLeast1D", "atleast_2d": "AtLeast2D", "atleast_3d": "AtLeast3D",
	"block_masked_mm": "BlockMaskedMM", "gather_mm": "GatherMM", "gather_qmm": "GatherQMM",
	"segmented_mm": "SegmentedMM", "qqmm": "QQMM", "from_fp8": "FromFP8", "to_fp8": "ToFP8",
	"conv1d": "Conv1D", "conv2d": "Conv2D", "conv3d": "Conv3D",
	"conv_transpose1d": "ConvTranspose1D", "conv_transpose2d": "ConvTranspose2D",
	"conv_transpose3d": "ConvTranspose3D",
	// fft
	"fft": "FFT", "ifft": "IFFT", "fft2": "FFT2", "ifft2": "IFFT2", "fftn": "FFTN", "ifftn": "IFFTN",
	"rfft": "RFFT", "irfft": "IRFFT", "rfft2": "RFFT2", "irfft2": "IRFFT2", "rfftn": "RFFTN",
	"irfftn": "IRFFTN", "fftshift": "FFTShift", "ifftshift": "IFFTShift", "fftfreq": "FFTFreq",
	"rfftfreq": "RFFTFreq",
	// random
	"randint": "Int", "truncated_normal": "TruncatedNormal",
	// linalg
	"qr": "QR", "svd": "SVD", "lu": "LU", "lu_factor": "LUFactor", "eigh": "Eigh",
	"eigvalsh": "Eigvalsh", "norm_l2": "NormL2",
	// fast
	"rms_norm": "RMSNorm", "rope": "RoPE", "rope_dynamic": "RoPEDynamic",
	"scaled_dot_product_attention": "ScaledDotProductAttention",
	// memory: Go drops "get"
	"get_active_memory": "ActiveMemory", "get_cache_memory": "CacheMemory",
	"get_memory_limit": "MemoryLimit", "get_peak_memory": "PeakMemory",
}

// initialisms are written in upper case wherever they appear as a word.
var initialisms = map[string]string{
	"id": "ID", "nan": "NaN", "io": "IO", "gguf": "GGUF", "fp8": "FP8", "cpu": "CPU", "gpu": "GPU",
	"l2": "L2", "1d": "1D", "2d": "2D", "3d": "3D", "mm": "MM", "qmm": "QMM", "cuda": "CUDA", "fft": "FFT",
}

// goName returns the exported Go name of an mlx-c function.
func goName(c string) string {
	rest := strings.TrimPrefix(c, "mlx_")
	prefix := ""
	for _, g := range groupPrefixes {
		if strings.HasPrefix(rest, g.c) {
			prefix, rest = g.goPrefix, strings.TrimPrefix(rest, g.c)
			break
		}
	}
	if r, ok := renames[rest]; ok {
		return prefix + r
	}
	// a suffix variant of a renamed function: argmax_axis → ArgMaxAxis
	best := ""
	for base := range renames {
		if strings.HasPrefix(rest, base+"_") && isSuffixVariant(rest[len(base)+1:]) && len(base) > len(best) {
			best = base
		}
	}
	if best != "" {
		return prefix + renames[best] + camel(rest[len(best)+1:])
	}
	return prefix + camel(rest)
}

func isSuffixVariant(tail string) bool {
	switch tail {
	case "axis", "axes", "single", "dynamic", "num", "shape", "num_samples", "arange", "broadcast", "sections":
		return true
	}
	return false
}

// camel turns snake_case into PascalCase, honouring initialisms.
func camel(s string) string {
	var b strings.Builder
	for _, w := range strings.Split(s, "_") {
		if w == "" {
			continue
		}
		if up, ok := initialisms[w]; ok {
			b.WriteString(up)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// goParamName turns a C parameter name into a Go identifier.
func goParamName(c string) string {
	parts := strings.Split(strings.Trim(c, "_"), "_")
	for i := range parts {
		if i > 0 && parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	n := strings.Join(parts, "")
	if n == "UPLO" {
		n = "uplo"
	}
	switch n {
	case "type", "func", "range", "map", "chan", "go", "default", "select", "case", "var", "const",
		"interface", "package", "import", "return", "break", "continue", "for", "if", "else",
		"switch", "struct", "defer", "goto", "fallthrough", "len", "cap", "copy", "new", "make",
		"string", "real", "imag", "op", "on", "err", "t", "r", "msg":
		return n + "_"
	}
	return n
}
