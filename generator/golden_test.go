package generator_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/ivhgen/ivhgen/generator"
	"github.com/ivhgen/ivhgen/generator/descriptor"
	"github.com/ivhgen/ivhgen/generator/emit"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// compiledWant maps cases whose output is a package of this module, so that
// go build and go vet compile it and its own tests call it.
var compiledWant = map[string]string{"fullclient": "internal/fullclient"}

// goldenImportPath is where a case's client package is compiled: its own
// directory for compiled cases, else the overlay of TestGoldenOutputsCompile.
// Setting it makes every case generate its fake gateway package too.
func goldenImportPath(name string) string {
	if d, ok := compiledWant[name]; ok {
		return "github.com/ivhgen/ivhgen/generator/" + d
	}
	return "github.com/ivhgen/ivhgen/generator/internal/goldencheck/" + name
}

// loadCase reads testdata/<name>/*.yaml, named by base name.
func loadCase(t testing.TB, name string) []generator.Source {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", name, "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("case %s has no *.yaml input (%v)", name, err)
	}
	var srcs []generator.Source
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, generator.Source{Name: filepath.Base(p), Data: data})
	}
	return srcs
}

func cases(t *testing.T) []string {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names
}

// TestGolden runs every case under testdata/: a case with want.stderr must
// fail with exactly that text; any other must produce exactly the files in
// its want directory.
func TestGolden(t *testing.T) {
	for _, name := range cases(t) {
		t.Run(name, func(t *testing.T) {
			srcs := loadCase(t, name)
			out, err := generator.Generate(srcs, generator.Config{Package: name, ImportPath: goldenImportPath(name)})
			stderrPath := filepath.Join("testdata", name, "want.stderr")
			if _, serr := os.Stat(stderrPath); serr == nil {
				checkError(t, stderrPath, err)
				return
			}
			if err != nil {
				t.Fatalf("unexpected error:\n%v", err)
			}
			wantDir := filepath.Join("testdata", name, "want")
			if d, ok := compiledWant[name]; ok {
				wantDir = d
			}
			checkFiles(t, wantDir, out)
		})
	}
}

func checkError(t *testing.T, path string, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("generated without error; want the error in want.stderr")
	}
	var list descriptor.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error is %T, not a descriptor.ErrorList: %v", err, err)
	}
	got := err.Error() + "\n"
	if *update {
		writeFile(t, path, []byte(got))
		return
	}
	want, _ := os.ReadFile(path)
	if got != string(want) {
		t.Errorf("error mismatch:\n%s", diff(string(want), got))
	}
}

// checkFiles compares out with the generated .go files of dir; tests and
// hand-written files there are left alone.
func checkFiles(t *testing.T, dir string, out []generator.OutputFile) {
	t.Helper()
	got := map[string]string{}
	for _, f := range out {
		got[f.Name] = string(f.Data)
	}
	existing, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	nested, _ := filepath.Glob(filepath.Join(dir, "*", "*.go"))
	want := map[string]string{}
	for _, p := range append(existing, nested...) {
		data, _ := os.ReadFile(p)
		if strings.HasPrefix(string(data), emit.HeaderPrefix) {
			rel, _ := filepath.Rel(dir, p)
			want[filepath.ToSlash(rel)] = string(data)
		}
	}
	if *update {
		for name := range want {
			if _, ok := got[name]; !ok {
				os.Remove(filepath.Join(dir, name))
			}
		}
		for name, data := range got {
			writeFile(t, filepath.Join(dir, name), []byte(data))
		}
		return
	}
	for name, data := range got {
		if want[name] != data {
			t.Errorf("%s differs from %s (run go test ./generator -update):\n%s", name, dir, diff(want[name], data))
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("%s/%s is no longer generated", dir, name)
		}
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func diff(want, got string) string {
	s, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{A: difflib.SplitLines(want), B: difflib.SplitLines(got),
		FromFile: "want", ToFile: "got", Context: 2})
	return s
}
