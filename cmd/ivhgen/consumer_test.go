package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivhgen/ivhgen/generator/emit"
)

// consumer is a module copied from examples/consumer into a temporary
// directory, driven with the go command as its developers would.
type consumer struct {
	t   *testing.T
	dir string
	env []string
}

// TestConsumerWorkflow is the README's "Use it in your repository", run from
// scratch: a module with its own descriptors and a replace directive to this
// checkout generates its client and fake gateway, vendors, builds, vets and
// tests; then it adds an API, regenerates, and checks what changed; and
// ivhgen -check notices a hand edit. Only the module cache is needed
// (GOFLAGS=-mod=mod; GOPROXY is the environment's).
func TestConsumerWorkflow(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a module with the go command")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	c := newConsumer(t)
	c.goCmd(0, "generate", "./...")
	c.sameAsExample("apaas")
	c.goCmd(0, "mod", "vendor")
	c.goCmd(0, "build", "-mod=vendor", "./...")
	c.goCmd(0, "vet", "-mod=vendor", "./...")
	c.goCmd(0, "test", "-mod=vendor", "./...")
	check := []string{"run", "-mod=vendor", "github.com/ivhgen/ivhgen/cmd/ivhgen", "-spec", "spec", "-out", "apaas", "-package", "apaas", "-check"}
	c.goCmd(0, check...)

	before := c.snapshot()
	c.appendFile("spec/greeting.yaml", farewellAPI)
	c.goCmd(0, "generate", "./...")
	assert.Equal(t, []string{
		"apaas/apaastest/greeting_fake.go", "apaas/apaastest/operations.go", "apaas/greeting_api.go", "spec/greeting.yaml",
	}, changed(before, c.snapshot()))
	c.write("farewell_test.go", farewellTest)
	out := c.goCmd(0, "test", "-mod=vendor", "-run", "Farewell", "-v", ".")
	assert.Contains(t, out, "--- PASS: TestFarewell")
	c.goCmd(0, check...)

	c.appendFile("apaas/greeting_api.go", "\n// A hand edit.\n")
	out = c.goCmd(1, check...)
	assert.Contains(t, out, "--- a/apaas/greeting_api.go")
	assert.Contains(t, out, "-// A hand edit.")
	assert.Contains(t, out, "generated code is stale")
}

// newConsumer copies the example's hand-written files (no generated file,
// no vendor/) and points its replace directive at this checkout.
func newConsumer(t *testing.T) *consumer {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	c := &consumer{t: t, dir: t.TempDir()}
	src := filepath.Join(root, "examples", "consumer")
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			if d != nil && d.Name() == "vendor" {
				return filepath.SkipDir
			}
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil || bytes.HasPrefix(data, []byte(emit.HeaderPrefix)) {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		c.write(rel, string(data))
		return nil
	})
	require.NoError(t, err)
	gomod := strings.Replace(c.read("go.mod"), "=> ../..", "=> "+root, 1)
	require.Contains(t, gomod, "=> "+root)
	c.write("go.mod", gomod)
	c.env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	return c
}

// goCmd runs the go command in the module and checks its exit code; it
// returns the combined output.
func (c *consumer) goCmd(want int, args ...string) string {
	c.t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = c.dir, c.env
	out, err := cmd.CombinedOutput()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatalf("go %s: %v", strings.Join(args, " "), err)
	}
	if code != want {
		c.t.Fatalf("go %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, out)
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
	assert.Equal(c.t, 9, n, "generated files")
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
