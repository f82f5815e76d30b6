package mlx

// Argument checks called by the generated wrappers (the table that picks
// them is gen/checks.go). MLX 0.31.2 divides by some arguments and builds
// arrays of negative size from others without looking, which kills the
// process; these refuse such arguments before mlx-c is called. Like the
// converters in convert.go they do nothing once *err is set, and they report
// an *Error naming the op and the parameter that wraps ErrInvalidArgument.

import "fmt"

func argError(op, format string, args ...any) error {
	return newError(op, fmt.Sprintf(format, args...), ErrInvalidArgument)
}

// checkNonZero refuses a 0 in v (strides).
func checkNonZero(op, name string, v []int, err *error) {
	if *err != nil {
		return
	}
	for i, x := range v {
		if x == 0 {
			*err = argError(op, "%s[%d] is 0: %s must be non-zero", name, i, name)
			return
		}
	}
}

// checkPositive refuses v <= 0 (group counts, group sizes, bits).
func checkPositive(op, name string, v int, err *error) {
	if *err == nil && v <= 0 {
		*err = argError(op, "%s is %d: %s must be positive", name, v, name)
	}
}

// checkPositiveOptional is checkPositive for a value that may be unset
// (MLX then picks a default).
func checkPositiveOptional(op, name string, v Optional[int], err *error) {
	if v.Set {
		checkPositive(op, name, v.Value, err)
	}
}

// checkNonNegative refuses a negative count.
func checkNonNegative(op, name string, v int, err *error) {
	if *err == nil && v < 0 {
		*err = argError(op, "%s is %d: %s must be non-negative", name, v, name)
	}
}

// checkNonNegatives refuses a negative size in a shape that has no -1
// inference.
func checkNonNegatives(op, name string, v []int, err *error) {
	if *err != nil {
		return
	}
	for i, x := range v {
		if x < 0 {
			*err = argError(op, "%s[%d] is %d: %s must be non-negative", name, i, x, name)
			return
		}
	}
}

// checkInferableShape refuses sizes below -1 in a shape where -1 means
// "inferred", and a -1 beside a 0: the inferred size would be the array's
// size divided by 0. (Several -1s are left to MLX, which reports them.)
func checkInferableShape(op, name string, v []int, err *error) {
	if *err != nil {
		return
	}
	infer, zero := -1, -1
	for i, x := range v {
		switch {
		case x < -1:
			*err = argError(op, "%s[%d] is %d: %s must be non-negative or -1 (inferred)", name, i, x, name)
			return
		case x == -1 && infer < 0:
			infer = i
		case x == 0 && zero < 0:
			zero = i
		}
	}
	if infer >= 0 && zero >= 0 {
		*err = argError(op, "%s[%d] is -1 and %s[%d] is 0: a size beside a 0 cannot be inferred", name, infer, name, zero)
	}
}
