package generator_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGoldenOutputsCompile builds every golden want/ directory as a package of
// this module, through a build overlay, so no golden can hold code that does
// not compile. (The fullclient golden is a real package and is also run.)
func TestGoldenOutputsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	replace := map[string]string{}
	var pkgs []string
	for _, name := range cases(t) {
		files, _ := filepath.Glob(filepath.Join("testdata", name, "want", "*.go"))
		if len(files) == 0 {
			continue
		}
		nested, _ := filepath.Glob(filepath.Join("testdata", name, "want", "*", "*.go"))
		dir := filepath.Join(root, "generator", "internal", "goldencheck", name)
		for _, f := range append(files, nested...) {
			abs, _ := filepath.Abs(f)
			rel, _ := filepath.Rel(filepath.Join("testdata", name, "want"), f)
			replace[filepath.Join(dir, rel)] = abs
		}
		pkgs = append(pkgs, "github.com/ivhgen/ivhgen/generator/internal/goldencheck/"+name+"/...")
	}
	if len(pkgs) == 0 {
		t.Fatal("no golden want/ directories found")
	}
	data, _ := json.Marshal(map[string]any{"Replace": replace})
	overlay := filepath.Join(t.TempDir(), "overlay.json")
	if err := os.WriteFile(overlay, data, 0o644); err != nil {
		t.Fatal(err)
	}
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
