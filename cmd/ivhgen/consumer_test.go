package main

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivhgen/ivhgen/generator/emit"
	"github.com/ivhgen/ivhgen/spec"
)

// consumer is an empty directory, next to a link named ivhgen to this
// checkout, in which the README's workflow runs as its readers would.
type consumer struct {
	t   *testing.T
	dir string
	env []string
}

// TestConsumerWorkflow is the README's "Use it in your repository", run
// literally: the blocks marked <!-- workflow --> are extracted from the
// README and run in order in an empty directory, from go mod init through
// go get -tool, ivhgen -schema, go generate (with -cli), go mod tidy, go
// mod vendor, the tests of the README's own test file and the generated
// command line. Then it checks the generated files against
// examples/consumer, runs the built command line as a user would, adds an
// API, regenerates, checks what changed, adds a descriptor of its own
// (a paged API) and calls it through the regenerated command line, sees
// ivhgen -compat tell a breaking change from a compatible one, and sees
// ivhgen -check notice a hand edit.
//
// Only the module cache is used: first the module versions this
// checkout's build list selects or requires are downloaded (go mod
// download, with the environment's GOPROXY, which on a warm cache does
// nothing), then the workflow runs with GOPROXY=off and GOSUMDB=off, the
// cache's hashes standing in for the checksum database's.
func TestConsumerWorkflow(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a module with the go command")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh to run the README's commands")
	}
	steps := workflowSteps(t, readme(t))
	require.GreaterOrEqual(t, len(steps), 6, "the README's workflow blocks")
	c := newConsumer(t)
	for _, s := range steps {
		if s.file != "" {
			c.write(s.file, s.text)
			continue
		}
		c.sh(0, s.text)
	}
	assert.Equal(t, string(spec.Schema), c.read("spec/descriptor.schema.json"))
	assert.Contains(t, c.read("go.mod"), "tool github.com/ivhgen/ivhgen/cmd/ivhgen")
	assert.DirExists(t, filepath.Join(c.dir, "vendor"))
	c.sameAsExample("apaas")
	c.sameAsExample("cmd")
	c.cliWorks()
	check := "go tool ivhgen -spec spec -out apaas -package apaas -check"

	before := c.snapshot()
	c.appendFile("spec/greeting.yaml", farewellAPI)
	c.sh(0, "go generate ./...")
	assert.Equal(t, []string{
		"apaas/apaastest/greeting_fake.go", "apaas/apaastest/operations.go", "apaas/greeting_api.go", "spec/greeting.yaml",
	}, changed(before, c.snapshot()))
	c.write("farewell_test.go", farewellTest)
	out := c.sh(0, "go test -run Farewell -v .")
	assert.Contains(t, out, "--- PASS: TestFarewell")
	c.sh(0, check)
	c.ownDescriptorCLI()
	c.compatReports()

	c.appendFile("apaas/greeting_api.go", "\n// A hand edit.\n")
	out = c.sh(1, check)
	assert.Contains(t, out, "--- a/apaas/greeting_api.go")
	assert.Contains(t, out, "-// A hand edit.")
	assert.Contains(t, out, "generated code is stale")
}

// step is one block of the README's workflow: a shell command, or the
// contents of a file to write.
type step struct {
	text, file string
}

func readme(t *testing.T) string {
	data, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	return string(data)
}

// workflowRE matches a <!-- workflow --> or <!-- workflow: path --> marker
// and the fenced block after it, with the fence's indentation.
var workflowRE = regexp.MustCompile("(?m)^([ \t]*)<!-- workflow(?:: ([^ ]+))? -->\n[ \t]*\n?[ \t]*```(\\w+)\n((?s:.*?))^[ \t]*```")

// workflowSteps extracts the marked blocks of the README in order: a sh
// block becomes one step per command line (comments dropped), another
// block the file its marker names.
func workflowSteps(t *testing.T, md string) []step {
	var steps []step
	for _, m := range workflowRE.FindAllStringSubmatch(md, -1) {
		indent, file, lang, body := m[1], m[2], m[3], m[4]
		var lines []string
		for _, l := range strings.SplitAfter(body, "\n") {
			lines = append(lines, strings.TrimPrefix(l, indent))
		}
		text := strings.Join(lines, "")
		switch {
		case lang == "sh" && file == "":
			for _, l := range strings.Split(text, "\n") {
				if i := strings.Index(l, " #"); i >= 0 {
					l = l[:i]
				}
				if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
					steps = append(steps, step{text: l})
				}
			}
		case file != "":
			steps = append(steps, step{text: text, file: file})
		default:
			t.Fatalf("README: a workflow block of %s names no file", lang)
		}
	}
	return steps
}

func TestWorkflowSteps(t *testing.T) {
	md := "x\n   <!-- workflow -->\n   ```sh\n   go mod init a # make it\n\n   go build ./...\n   ```\n" +
		"<!-- workflow: a/doc.go -->\n```go\npackage a\n```\n```sh\nnot this\n```\n"
	assert.Equal(t, []step{{text: "go mod init a"}, {text: "go build ./..."}, {text: "package a\n", file: "a/doc.go"}}, workflowSteps(t, md))
}

// newConsumer makes the empty module directory and the ivhgen link beside
// it, and warms the module cache with what this checkout needs.
func newConsumer(t *testing.T) *consumer {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	goIn(t, root, append([]string{"mod", "download"}, requiredVersions(t, root)...)...)
	base := t.TempDir()
	require.NoError(t, os.Symlink(root, filepath.Join(base, "ivhgen")))
	c := &consumer{t: t, dir: filepath.Join(base, "consumer")}
	require.NoError(t, os.Mkdir(c.dir, 0o755))
	c.env = append(os.Environ(), "GOFLAGS=", "GOWORK=off", "GOPROXY=off", "GOSUMDB=off", "GOTOOLCHAIN=local")
	return c
}

// requiredVersions lists the module versions of this checkout's build list
// and every version a module of it requires: the consumer's smaller,
// pruned graph may select one of those instead (gopkg.in/check.v1, for
// yaml.v3's tests, which its go mod tidy wants).
func requiredVersions(t *testing.T, root string) []string {
	sel := strings.Fields(goIn(t, root, "list", "-m", "-f", "{{.Path}}@{{.Version}}", "all"))
	seen := map[string]bool{}
	for _, m := range sel {
		seen[m] = true
	}
	out := slices.Clone(sel[1:]) // not the main module
	for _, line := range strings.Split(goIn(t, root, "mod", "graph"), "\n") {
		from, to, ok := strings.Cut(line, " ")
		if ok && seen[from] && !seen[to] && !strings.HasPrefix(to, "go@") && !strings.HasPrefix(to, "toolchain@") {
			seen[to] = true
			out = append(out, to)
		}
	}
	return out
}

// goIn runs the go command in dir with the environment's settings.
func goIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	require.NoError(t, err, "go %s in %s: %s", strings.Join(args, " "), dir, out)
	return string(out)
}

// sh runs a command line of the README with sh in the module and checks
// its exit code; it returns the combined output.
func (c *consumer) sh(want int, line string) string {
	c.t.Helper()
	cmd := exec.Command("sh", "-c", line)
	cmd.Dir, cmd.Env = c.dir, c.env
	out, err := cmd.CombinedOutput()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatalf("%s: %v", line, err)
	}
	if code != want {
		c.t.Fatalf("%s: exit %d, want %d\n%s", line, code, want, out)
	}
	return string(out)
}

// sameAsExample checks that what go generate wrote under dir is what the
// example commits, so the committed example is current.
func (c *consumer) sameAsExample(dir string) {
	c.t.Helper()
	n := 0
	for rel := range c.snapshot() {
		if !strings.HasPrefix(rel, dir+"/") || !strings.HasSuffix(rel, ".go") {
			continue
		}
		got := c.read(rel)
		if !strings.HasPrefix(got, emit.HeaderPrefix) {
			continue
		}
		want, err := os.ReadFile(filepath.Join("../../examples/consumer", rel))
		require.NoError(c.t, err, "examples/consumer lacks %s; run go generate there", rel)
		assert.Equal(c.t, string(want), got, "examples/consumer/%s is stale; run go generate there", rel)
		n++
	}
	assert.Equal(c.t, map[string]int{"apaas": 9, "cmd": 1}[dir], n, "generated files under %s", dir)
}

// snapshot hashes every file of the module but vendor/.
func (c *consumer) snapshot() map[string][32]byte {
	c.t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "vendor" {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(c.dir, p)
		out[filepath.ToSlash(rel)] = sha256.Sum256(data)
		return err
	})
	require.NoError(c.t, err)
	return out
}

// changed lists the files added, removed or modified, sorted.
func changed(before, after map[string][32]byte) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(after)) {
		if h, ok := before[k]; !ok || h != after[k] {
			out = append(out, k)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func (c *consumer) read(rel string) string {
	c.t.Helper()
	data, err := os.ReadFile(filepath.Join(c.dir, rel))
	require.NoError(c.t, err)
	return string(data)
}

func (c *consumer) write(rel, data string) {
	c.t.Helper()
	p := filepath.Join(c.dir, rel)
	require.NoError(c.t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(c.t, os.WriteFile(p, []byte(data), 0o644))
}

func (c *consumer) appendFile(rel, data string) { c.write(rel, c.read(rel)+data) }

// farewellAPI is the API the consumer adds to its own descriptor.
const farewellAPI = `
  - name: Farewell
    path: /farewell
    doc: Says goodbye to a visitor.
    idempotent: true
    request:
      fields:
        - {name: VisitorName, type: string, required: true, minLength: 1, doc: Name to part from.}
    response:
      fields:
        - {name: VisitorName, type: string, required: true, doc: The name.}
        - {name: Text, type: string, doc: The farewell.}
`

// farewellTest calls the new method against the regenerated fake gateway:
// the default echoes the name, and a typed handler replaces it.
const farewellTest = `package consumer_test

import (
	"context"
	"testing"

	"example.com/consumer/apaas"
	"example.com/consumer/apaas/apaastest"
)

func TestFarewell(t *testing.T) {
	srv := apaastest.New(t)
	c := srv.Client()
	resp, err := c.Greeting.Farewell(t.Context(), &apaas.FarewellRequest{VisitorName: "Ada"})
	if err != nil || resp.VisitorName != "Ada" {
		t.Fatalf("default Farewell: %+v, %v", resp, err)
	}
	srv.HandleFarewell(func(_ context.Context, req *apaas.FarewellRequest) (*apaas.FarewellResponse, error) {
		return &apaas.FarewellResponse{VisitorName: req.VisitorName, Text: "Bye, " + req.VisitorName}, nil
	})
	resp, err = c.Greeting.Farewell(t.Context(), &apaas.FarewellRequest{VisitorName: "Ada"})
	if err != nil || resp.Text != "Bye, Ada" {
		t.Fatalf("handled Farewell: %+v, %v", resp, err)
	}
	if _, err := c.Greeting.Farewell(t.Context(), &apaas.FarewellRequest{}); err == nil {
		t.Fatal("an empty VisitorName passed validation")
	}
	if got := srv.RequestsTo("/v2/example/greeting/farewell"); len(got) != 2 {
		t.Fatalf("%d requests recorded, want 2", len(got))
	}
}
`
