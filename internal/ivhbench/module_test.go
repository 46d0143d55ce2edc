package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSnapshotCopiesWhatCallbenchNeeds runs go list on our module (no
// network) and checks the snapshot the temporary module replaces ours with.
func TestSnapshotCopiesWhatCallbenchNeeds(t *testing.T) {
	root, err := moduleRoot("go")
	if err != nil {
		t.Fatal(err)
	}
	b := &bench{cfg: config{gobin: "go"}}
	dst := t.TempDir()
	if err := b.snapshot(root, dst); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"go.mod", "go.sum", "runtime/internal/core/do.go", "generated/ivh/client.go", "internal/ivhbench/callbench/contenders.go"} {
		if _, err := os.Stat(filepath.Join(dst, want)); err != nil {
			t.Errorf("snapshot lacks %s", want)
		}
	}
	tests, _ := filepath.Glob(filepath.Join(dst, "runtime", "internal", "core", "*_test.go"))
	if len(tests) != 0 {
		t.Errorf("snapshot copied tests: %v", tests)
	}
	if _, err := os.Stat(filepath.Join(dst, "generator")); !os.IsNotExist(err) {
		t.Error("snapshot copied the generator, which callbench does not import")
	}
}
