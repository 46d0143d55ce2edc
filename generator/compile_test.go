package generator_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoldenOutputsCompile builds every golden want/ directory as a package of
// this module, through a build overlay, so no golden can hold code that does
// not compile. (The fullclient golden is a real package and is also run.)
func TestGoldenOutputsCompile(t *testing.T) {
	goBin, root := goldenTool(t)
	overlay, pkgs, _ := goldenOverlay(t, root)
	// GOARCH=386 too: int is 32 bits there, so a bound or value over 32
	// bits that slipped through would not compile.
	for _, arch := range []string{"", "386"} {
		cmd := exec.Command(goBin, append([]string{"build", "-overlay", overlay}, pkgs...)...)
		cmd.Dir = root
		if arch != "" {
			cmd.Env = append(os.Environ(), "GOARCH="+arch)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build of the goldens (GOARCH=%s) failed: %v\n%s", arch, err, out)
		}
	}
	t.Logf("built %d golden packages", len(pkgs))
}

// TestGoldenBehaviour runs the hand-written *_test.go files of golden want/
// directories (ignored by -update) against the generated code, through the
// same overlay: a golden whose feature has behaviour is exercised, not only
// compiled.
func TestGoldenBehaviour(t *testing.T) {
	goBin, root := goldenTool(t)
	overlay, _, tested := goldenOverlay(t, root)
	if len(tested) == 0 {
		t.Skip("no golden has tests")
	}
	// The overlaid directories do not exist, so the test binaries are
	// built, then run from here.
	bin := t.TempDir()
	cmd := exec.Command(goBin, append([]string{"test", "-c", "-vet=off", "-overlay", overlay, "-o", bin}, tested...)...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test -c of the goldens failed: %v\n%s", err, out)
	}
	tests, _ := filepath.Glob(filepath.Join(bin, "*.test"))
	if len(tests) == 0 {
		t.Fatal("go test -c built no test binary")
	}
	for _, test := range tests {
		if out, err := exec.Command(test).CombinedOutput(); err != nil {
			t.Errorf("%s failed: %v\n%s", filepath.Base(test), err, out)
		}
	}
}

// goldenTool returns the go command and the module root, or skips.
func goldenTool(t *testing.T) (goBin, root string) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	root, err = filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return goBin, root
}

// goldenOverlay writes a build overlay placing every golden want/ tree under
// generator/internal/goldencheck/<case>, and returns it with the package
// patterns of all cases and of the cases that hold tests.
func goldenOverlay(t *testing.T, root string) (overlay string, pkgs, tested []string) {
	t.Helper()
	replace := map[string]string{}
	for _, name := range cases(t) {
		files, _ := filepath.Glob(filepath.Join("testdata", name, "want", "*.go"))
		if len(files) == 0 {
			continue
		}
		nested, _ := filepath.Glob(filepath.Join("testdata", name, "want", "*", "*.go"))
		dir := filepath.Join(root, "generator", "internal", "goldencheck", name)
		hasTests := false
		for _, f := range append(files, nested...) {
			abs, _ := filepath.Abs(f)
			rel, _ := filepath.Rel(filepath.Join("testdata", name, "want"), f)
			replace[filepath.Join(dir, rel)] = abs
			hasTests = hasTests || strings.HasSuffix(f, "_test.go")
		}
		pattern := "github.com/ivhgen/ivhgen/generator/internal/goldencheck/" + name + "/..."
		pkgs = append(pkgs, pattern)
		if hasTests {
			tested = append(tested, pattern)
		}
	}
	if len(pkgs) == 0 {
		t.Fatal("no golden want/ directories found")
	}
	data, _ := json.Marshal(map[string]any{"Replace": replace})
	overlay = filepath.Join(t.TempDir(), "overlay.json")
	if err := os.WriteFile(overlay, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return overlay, pkgs, tested
}
