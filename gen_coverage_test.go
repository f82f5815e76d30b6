package mlx_test

// TestGenCoverage measures how much of the generated API the gen_*_test.go
// files exercise: it lists every exported function of the *_gen.go files
// (folding each XxxOn into its Xxx: one mlx-c function), lists every mlx.Name
// the test files refer to (calls, and functions passed as values to table
// rows, which the rows call), and fails unless at least 90% of the generated
// functions are referred to.

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const gtCoverageGoal = 0.90

// gtGeneratedFuncs returns the exported top-level functions of the *_gen.go
// files, an XxxOn folded into Xxx when both exist, with the file of each.
func gtGeneratedFuncs(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*_gen.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no *_gen.go files (%v)", err)
	}
	names := map[string]string{}
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !fn.Name.IsExported() {
				continue
			}
			names[fn.Name.Name] = f
		}
	}
	folded := map[string]string{}
	for n, f := range names {
		if base, ok := strings.CutSuffix(n, "On"); ok {
			if _, exists := names[base]; exists {
				continue
			}
		}
		folded[n] = f
	}
	return folded
}

// gtReferencedNames returns every Name used as <pkg>.Name in the gen_*_test.go
// files, where <pkg> is the name the file imports github.com/mlx-go/mlx as.
func gtReferencedNames(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("gen_*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no gen_*_test.go files (%v)", err)
	}
	used := map[string]bool{}
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		pkg := ""
		for _, imp := range file.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "github.com/mlx-go/mlx" {
				pkg = "mlx"
				if imp.Name != nil {
					pkg = imp.Name.Name
				}
			}
		}
		if pkg == "" {
			continue
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == pkg {
					used[sel.Sel.Name] = true
				}
			}
			return true
		})
	}
	return used
}

func TestGenCoverage(t *testing.T) {
	generated := gtGeneratedFuncs(t)
	used := gtReferencedNames(t)
	var called, uncalled []string
	for name := range generated {
		if used[name] || used[name+"On"] {
			called = append(called, name)
		} else {
			uncalled = append(uncalled, name+" ("+generated[name]+")")
		}
	}
	sort.Strings(uncalled)
	frac := float64(len(called)) / float64(len(generated))
	t.Logf("generated functions called by gen_*_test.go: %d/%d (%.1f%%)", len(called), len(generated), 100*frac)
	if len(uncalled) > 0 {
		t.Logf("not called: %s", strings.Join(uncalled, ", "))
	}
	if frac < gtCoverageGoal {
		t.Errorf("coverage %.1f%% is below %.0f%%", 100*frac, 100*gtCoverageGoal)
	}
}
