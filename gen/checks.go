package main

import (
	"fmt"
	"sort"
	"strings"
)

// Argument checks. MLX 0.31.2 divides by some arguments and builds arrays of
// negative size from others without looking: the process then dies (SIGFPE,
// SIGSEGV, SIGBUS) or hangs, at the call or when the graph is evaluated
// (tests/known_crashes_test.go pins each case down). The generated wrapper
// of each function below converts the parameter as usual, then calls the
// hand-written check (checks.go in the package) that the check's name
// selects; a refused argument becomes the wrapper's *Error, wrapping
// ErrInvalidArgument, and mlx-c is never called. Only what can be known
// from the arguments alone is checked, and only where MLX does not check
// it itself (it does for Zeros, Ones, Full, Dequantize, Eye, Pad, Repeat,
// conv strides and dilations, ...).

// The checks.
const (
	checkNonZero        = "nonZero"        // no entry is 0: MLX divides by it
	checkPositive       = "positive"       // > 0 (an unset Optional passes): MLX divides by it
	checkNonNegative    = "nonNegative"    // sizes and counts without inference: >= 0
	checkInferableShape = "inferableShape" // >= 0 or -1, and no -1 beside a 0 (nothing to infer it from)
)

// checkFuncs maps each check and Go parameter type to the hand-written
// function the wrapper calls as f(op, name, value, &err).
var checkFuncs = map[string]map[string]string{
	checkNonZero:        {"[]int": "checkNonZero"},
	checkPositive:       {"int": "checkPositive", "Optional[int]": "checkPositiveOptional"},
	checkNonNegative:    {"int": "checkNonNegative", "[]int": "checkNonNegatives"},
	checkInferableShape: {"[]int": "checkInferableShape"},
}

// argChecks maps "C function.C parameter" to its check. Every entry must
// match a parameter of a generated function (the generator fails otherwise).
var argChecks = map[string]string{
	// Slices: the stride divides the slice's length (SIGFPE).
	"mlx_slice.strides":             checkNonZero,
	"mlx_slice_update.strides":      checkNonZero,
	"mlx_slice_update_add.strides":  checkNonZero,
	"mlx_slice_update_max.strides":  checkNonZero,
	"mlx_slice_update_min.strides":  checkNonZero,
	"mlx_slice_update_prod.strides": checkNonZero,

	// Quantization: the group size and the bits divide shapes (SIGFPE).
	"mlx_quantize.group_size":         checkPositive,
	"mlx_quantize.bits":               checkPositive,
	"mlx_quantized_matmul.group_size": checkPositive,
	"mlx_quantized_matmul.bits":       checkPositive,
	"mlx_gather_qmm.group_size":       checkPositive,
	"mlx_gather_qmm.bits":             checkPositive,
	"mlx_qqmm.group_size":             checkPositive,
	"mlx_qqmm.bits":                   checkPositive,

	// Convolutions: groups divides the channels (SIGFPE).
	"mlx_conv1d.groups":           checkPositive,
	"mlx_conv2d.groups":           checkPositive,
	"mlx_conv3d.groups":           checkPositive,
	"mlx_conv_general.groups":     checkPositive,
	"mlx_conv_transpose1d.groups": checkPositive,
	"mlx_conv_transpose2d.groups": checkPositive,
	"mlx_conv_transpose3d.groups": checkPositive,

	// Shapes without -1 inference: a negative size is taken as is, and
	// evaluating or using the array crashes or hangs.
	"mlx_broadcast_to.shape":               checkNonNegative,
	"mlx_tile.reps":                        checkNonNegative,
	"mlx_as_strided.shape":                 checkNonNegative,
	"mlx_slice_dynamic.slice_size":         checkNonNegative,
	"mlx_distributed_recv.shape":           checkNonNegative,
	"mlx_random_bernoulli.shape":           checkNonNegative,
	"mlx_random_bits.shape":                checkNonNegative,
	"mlx_random_categorical_shape.shape":   checkNonNegative,
	"mlx_random_gumbel.shape":              checkNonNegative,
	"mlx_random_laplace.shape":             checkNonNegative,
	"mlx_random_multivariate_normal.shape": checkNonNegative,
	"mlx_random_normal.shape":              checkNonNegative,
	"mlx_random_normal_broadcast.shape":    checkNonNegative,
	"mlx_random_randint.shape":             checkNonNegative,
	"mlx_random_truncated_normal.shape":    checkNonNegative,
	"mlx_random_uniform.shape":             checkNonNegative,

	// Counts that become sizes.
	"mlx_random_split_num.num":                       checkNonNegative,
	"mlx_random_categorical_num_samples.num_samples": checkNonNegative,
	"mlx_random_permutation_arange.x":                checkNonNegative,

	// Shapes with -1 inference: other negative sizes are taken as is, and
	// a -1 beside a 0 divides by zero (SIGFPE in unflatten).
	"mlx_reshape.shape":   checkInferableShape,
	"mlx_unflatten.shape": checkInferableShape,
}

// applyChecks records on a's parameters the checks that table gives them and
// returns the table keys it used.
func applyChecks(a *apiFunc, table map[string]string) ([]string, error) {
	var used []string
	for i := range a.params {
		p := &a.params[i]
		key := a.c.Name + "." + p.c[0].Name
		check, ok := table[key]
		if !ok {
			continue
		}
		fn := checkFuncs[check][p.goType]
		if fn == "" {
			return nil, fmt.Errorf("gen/checks.go: %s: no %s check for Go type %s", key, check, p.goType)
		}
		p.check = fn
		used = append(used, key)
	}
	return used, nil
}

// unusedChecks lists the table's keys that used does not hold: checks that
// match no parameter of a generated function (a typo, or mlx-c changed).
func unusedChecks(table map[string]string, used map[string]bool) error {
	var stale []string
	for k := range table {
		if !used[k] {
			stale = append(stale, k)
		}
	}
	if len(stale) == 0 {
		return nil
	}
	sort.Strings(stale)
	return fmt.Errorf("gen/checks.go: no generated parameter matches %s", strings.Join(stale, ", "))
}
