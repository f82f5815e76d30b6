package main

import "testing"

func TestGoName(t *testing.T) {
	for c, want := range map[string]string{
		"mlx_add":                               "Add",
		"mlx_arctan2":                           "Atan2",
		"mlx_isnan":                             "IsNaN",
		"mlx_argmax_axis":                       "ArgMaxAxis",
		"mlx_fft_rfft2":                         "RFFT2",
		"mlx_fft_fftshift":                      "FFTShift",
		"mlx_linalg_qr":                         "LinalgQR",
		"mlx_random_normal":                     "RandomNormal",
		"mlx_random_randint":                    "RandomInt",
		"mlx_fast_rms_norm":                     "FastRMSNorm",
		"mlx_fast_scaled_dot_product_attention": "FastScaledDotProductAttention",
		"mlx_get_peak_memory":                   "PeakMemory",
		"mlx_conv_transpose2d":                  "ConvTranspose2D",
		"mlx_cuda_is_available":                 "CUDAIsAvailable",
		"mlx_put_along_axis":                    "PutAlongAxis",
		"mlx_nan_to_num":                        "NaNToNum",
		"mlx_distributed_recv_like":             "RecvLike",
	} {
		if got := goName(c); got != want {
			t.Errorf("goName(%q) = %q, want %q", c, got, want)
		}
	}
}

func TestGoParamName(t *testing.T) {
	for c, want := range map[string]string{
		"axes": "axes", "num_splits": "numSplits", "type": "type_", "UPLO": "uplo", "logits_": "logits", "real": "real_",
	} {
		if got := goParamName(c); got != want {
			t.Errorf("goParamName(%q) = %q, want %q", c, got, want)
		}
	}
}

func TestOpName(t *testing.T) {
	for c, want := range map[string]string{
		"mlx_add": "add", "mlx_sum_axes": "sum", "mlx_topk_axis": "topk", "mlx_fft_fft": "fft.fft",
		"mlx_linalg_inv": "linalg.inv", "mlx_random_categorical_num_samples": "random.categorical",
		"mlx_slice_update_dynamic": "slice_update", "mlx_split_sections": "split", "mlx_get_active_memory": "get_active_memory",
		"mlx_distributed_all_gather": "distributed.all_gather",
	} {
		if got := opName(c); got != want {
			t.Errorf("opName(%q) = %q, want %q", c, got, want)
		}
	}
}
