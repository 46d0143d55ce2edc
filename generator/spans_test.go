package generator_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/generator"
)

// A service that spans files comes out the same whatever the order of the
// files, and its interface stays in the file that gives its doc even when
// a new file sorts before it.
func TestServiceSpansFilesIsStable(t *testing.T) {
	srcs := loadCase(t, "service_spans_files")
	cfg := generator.Config{Package: "video"}
	want, err := generator.Generate(srcs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	reversed := slices.Clone(srcs)
	slices.Reverse(reversed)
	got, err := generator.Generate(reversed, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(want, got, func(a, b generator.OutputFile) bool { return a.Name == b.Name && string(a.Data) == string(b.Data) }) {
		t.Fatal("output depends on the order of the files")
	}
	for i := range srcs {
		if strings.HasPrefix(srcs[i].Name, "b_") {
			srcs[i].Name = "0_new.yaml" // sorts first now
		}
	}
	out, err := generator.Generate(srcs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range out {
		hasInterface := strings.Contains(string(f.Data), "type VideoAPI interface")
		if hasInterface != (f.Name == "avideo_api.go") {
			t.Errorf("%s: holds the interface = %v; only the file with the doc should", f.Name, hasInterface)
		}
	}
}
