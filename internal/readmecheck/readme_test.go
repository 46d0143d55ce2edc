package readmecheck

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// knownImports are the packages a README snippet may use by their names.
var knownImports = map[string]string{
	"context": "context", "errors": "errors", "fmt": "fmt", "log": "log", "time": "time",
	"http": "net/http", "slog": "log/slog", "testing": "testing",
	"ivh": "github.com/ivhgen/ivhgen/generated/ivh", "ivhtest": "github.com/ivhgen/ivhgen/generated/ivh/ivhtest",
	"ivhrt": "github.com/ivhgen/ivhgen/runtime/ivhrt", "fakegw": "github.com/ivhgen/ivhgen/runtime/fakegw",
}

// snippets returns the ```go blocks of md that declare functions: whole
// programs in miniature, which must compile as they are written.
func snippets(md string) []string {
	var out []string
	for _, m := range regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(md, -1) {
		if strings.HasPrefix(m[1], "func ") {
			out = append(out, m[1])
		}
	}
	return out
}

// file wraps a snippet in a package with the imports it names.
func file(snippet string) string {
	var b strings.Builder
	b.WriteString("package readmecheck\n\nimport (\n")
	for name, path := range knownImports {
		if regexp.MustCompile(`\b` + name + `\.`).MatchString(snippet) {
			fmt.Fprintf(&b, "\t%s %q\n", name, path)
		}
	}
	b.WriteString(")\n\n" + snippet)
	return b.String()
}

// TestReadmeGoSnippetsCompile builds and vets every function snippet of the
// README inside this module, through an overlay.
func TestReadmeGoSnippetsCompile(t *testing.T) {
	md, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := snippets(string(md))
	if len(blocks) == 0 {
		t.Fatal("the README has no Go function snippet; the regexp or the README changed")
	}
	dir, _ := filepath.Abs(".")
	replace := map[string]string{}
	tmp := t.TempDir()
	for i, s := range blocks {
		p := filepath.Join(tmp, fmt.Sprintf("snippet%d.go", i))
		if err := os.WriteFile(p, []byte(file(s)), 0o644); err != nil {
			t.Fatal(err)
		}
		replace[filepath.Join(dir, fmt.Sprintf("snippet%d.go", i))] = p
	}
	overlay, _ := json.Marshal(map[string]any{"Replace": replace})
	op := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(op, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("go", "vet", "-overlay", op, ".").CombinedOutput(); err != nil {
		t.Fatalf("a README snippet does not vet: %v\n%s", err, out)
	}
}

// TestEveryReadmeGoBlockIsCompiled keeps every ```go block of the README
// under a test: a function snippet compiles here, and a whole file must be
// marked <!-- workflow: path -->, so that TestConsumerWorkflow (cmd/ivhgen)
// writes it into the module it builds, vets and tests.
func TestEveryReadmeGoBlockIsCompiled(t *testing.T) {
	md, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?m)(<!-- workflow: [^ ]+ -->\\n[ \\t]*\\n?)?^[ \\t]*```go\\n[ \\t]*(\\S*)")
	for _, m := range re.FindAllStringSubmatch(string(md), -1) {
		if m[1] == "" && m[2] != "func" {
			t.Errorf("a ```go block starting %q is neither a function snippet nor marked <!-- workflow: path -->", m[2])
		}
	}
}
