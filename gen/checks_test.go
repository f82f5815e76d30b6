package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestCheckTable: every entry of argChecks names a C function and parameter
// and a check that has hand-written functions.
func TestCheckTable(t *testing.T) {
	key := regexp.MustCompile(`^mlx_[a-z0-9_]+\.[a-z0-9_]+$`)
	for k, check := range argChecks {
		if !key.MatchString(k) {
			t.Errorf("argChecks key %q is not \"mlx_function.parameter\"", k)
		}
		if len(checkFuncs[check]) == 0 {
			t.Errorf("%s: check %q has no functions in checkFuncs", k, check)
		}
	}
	for check, fns := range checkFuncs {
		for goType, fn := range fns {
			if !strings.HasPrefix(fn, "check") {
				t.Errorf("checkFuncs[%q][%q] = %q: want a checkX function", check, goType, fn)
			}
		}
	}
}

func checksFixture(t *testing.T) map[string]*apiFunc {
	t.Helper()
	src, err := os.ReadFile("testdata/checks.h")
	if err != nil {
		t.Fatal(err)
	}
	h, err := ParseHeader("checks", string(src))
	if err != nil {
		t.Fatal(err)
	}
	apis := map[string]*apiFunc{}
	for _, f := range h.Funcs {
		a, err := buildAPI(f, "checks")
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		apis[f.Name] = a
	}
	return apis
}

// TestApplyChecks: a table entry makes the wrapper call its check right
// after converting the parameter, before the error test; parameters without
// an entry get none.
func TestApplyChecks(t *testing.T) {
	apis := checksFixture(t)
	table := map[string]string{
		"mlx_cut.strides":     checkNonZero,
		"mlx_pack.group_size": checkPositive,
		"mlx_pack.groups":     checkPositive,
		"mlx_deal.num":        checkNonNegative,
		"mlx_mould.shape":     checkInferableShape,
	}
	used := map[string]bool{}
	var list []*apiFunc
	for _, n := range sortedKeys(apis) {
		if n == "mlx_flag" {
			continue
		}
		keys, err := applyChecks(apis[n], table)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			used[k] = true
		}
		list = append(list, apis[n])
	}
	if err := unusedChecks(table, used); err != nil {
		t.Errorf("all entries match, yet: %v", err)
	}
	if got := apis["mlx_cut"].param("start").check; got != "" {
		t.Errorf("unlisted parameter start got check %q", got)
	}
	files, err := emitFile("checks", list, nil, "9.9.9")
	src := string(files.shared) + string(files.cgo) + string(files.purego)
	if err != nil {
		t.Fatalf("emit: %v\n%s", err, src)
	}
	for _, want := range []string{
		"stridesC, stridesCN := intsArg(op, \"strides\", strides, false, &err)\n\tcheckNonZero(op, \"strides\", strides, &err)\n\tif err != nil {",
		"groupSizeC := optionalIntArg(op, \"groupSize\", groupSize, &err)\n\tcheckPositiveOptional(op, \"groupSize\", groupSize, &err)\n",
		"groupsC := intArg(op, \"groups\", groups, &err)\n\tcheckPositive(op, \"groups\", groups, &err)\n",
		"numC := intArg(op, \"num\", num, &err)\n\tcheckNonNegative(op, \"num\", num, &err)\n",
		"shapeC, shapeCN := intsArg(op, \"shape\", shape, false, &err)\n\tcheckInferableShape(op, \"shape\", shape, &err)\n",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("generated code lacks %q:\n%s", want, src)
		}
	}
	if n := strings.Count(src, "\tcheck"); n != 5 {
		t.Errorf("%d check calls, want 5:\n%s", n, src)
	}
}

func TestApplyChecksFailsLoudly(t *testing.T) {
	apis := checksFixture(t)
	// A check that has no function for the parameter's Go type.
	_, err := applyChecks(apis["mlx_flag"], map[string]string{"mlx_flag.on": checkPositive})
	if err == nil || !strings.Contains(err.Error(), "mlx_flag.on: no positive check for Go type bool") {
		t.Errorf("bool parameter with a positive check: err = %v", err)
	}
	_, err = applyChecks(apis["mlx_cut"], map[string]string{"mlx_cut.strides": "bogus"})
	if err == nil || !strings.Contains(err.Error(), "no bogus check") {
		t.Errorf("unknown check: err = %v", err)
	}
	// Entries that match nothing: a typo in the parameter or the function.
	table := map[string]string{"mlx_cut.stride": checkNonZero, "mlx_cutt.strides": checkNonZero, "mlx_deal.num": checkNonNegative}
	used := map[string]bool{}
	for _, n := range []string{"mlx_cut", "mlx_deal"} {
		keys, err := applyChecks(apis[n], table)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			used[k] = true
		}
	}
	err = unusedChecks(table, used)
	if err == nil || !strings.Contains(err.Error(), "no generated parameter matches mlx_cut.stride, mlx_cutt.strides") {
		t.Errorf("stale entries: err = %v", err)
	}
}
