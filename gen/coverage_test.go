package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestInstalledHeaders runs the generator on the installed mlx-c: every
// public function must be generated, hand-written or skipped with a reason,
// and the output must match the committed files.
func TestInstalledHeaders(t *testing.T) {
	r, err := run(defaultPrefix(), "..")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.missing) > 0 {
		t.Errorf("public mlx-c functions neither generated, hand-written nor skipped: %v", r.missing)
	}
	t.Logf("\n%s", r.coverageTable())
	for name, src := range r.files {
		committed, err := os.ReadFile(filepath.Join("..", name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if string(committed) != string(src) {
			t.Errorf("%s differs from the generator's output: run make generate", name)
		}
	}
}
