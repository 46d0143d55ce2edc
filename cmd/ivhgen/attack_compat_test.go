package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// inModule is a fresh directory inside this module (under testdata, which
// go ./... skips), so -compat can type-check a generated package against
// the runtime without a consumer module.
func inModule(t *testing.T) string {
	t.Helper()
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("testdata", "atk13-compat-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir); os.Remove("testdata") })
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

const attackEnumDescriptor = `service: Demo
pathPrefix: /v2/demo
enums:
  Color:
    type: string
    doc: A colour.
    values:
      - {value: Red, doc: Red.}
      - {value: Blue, doc: Blue.}
apis:
  - name: Ping
    path: /ping
    doc: Pings.
    idempotent: true
    request:
      fields:
        - {name: Text, type: string, required: true, doc: Text.}
        - {name: Tint, type: Color, doc: Tint.}
`

// -compat before the first generation (a directory made by mkdir, no Go
// file yet) is a first run, exit 0, not "no Go files" and exit 1; a field
// turned optional is breaking and named with the public type ivhrt.Opt,
// not runtime/internal/core's, which users cannot import; a removed enum
// constant is breaking; nothing is written.
func TestAttackCompat(t *testing.T) {
	logs := quiet(t)
	dir := inModule(t)
	spec := filepath.Join(dir, "spec")
	out := filepath.Join(dir, "demo")
	for _, d := range []string{spec, out} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(doc string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(spec, "demo.yaml"), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(attackEnumDescriptor)
	o := options{spec: spec, out: out, pkg: "demo", fake: true, compat: true}
	if code := run(o, new(bytes.Buffer)); code != 0 {
		t.Fatalf("-compat into an empty directory: exit %d, want 0 (%s)", code, logs)
	}
	o.compat = false
	if code := run(o, new(bytes.Buffer)); code != 0 {
		t.Fatalf("generate: exit %d (%s)", code, logs)
	}
	o.compat = true
	snapshot := func() string {
		var b strings.Builder
		_ = filepath.WalkDir(out, func(p string, _ os.DirEntry, _ error) error {
			data, _ := os.ReadFile(p)
			b.WriteString(p + "\n" + string(data))
			return nil
		})
		return b.String()
	}
	before := snapshot()
	for _, c := range []struct{ name, doc, want string }{
		{"required to optional", strings.Replace(attackEnumDescriptor, "{name: Text, type: string, required: true,", "{name: Text, type: string,", 1), "PingRequest.Text: changed from string to ivhrt.Opt[string]"},
		{"removed enum constant", strings.Replace(attackEnumDescriptor, "      - {value: Blue, doc: Blue.}\n", "", 1), "ColorBlue: removed"},
	} {
		write(c.doc)
		var stdout bytes.Buffer
		if code := run(o, &stdout); code != 1 {
			t.Errorf("%s: exit %d, want 1 (%s)", c.name, code, logs)
		}
		if s := stdout.String(); !strings.Contains(s, c.want) || strings.Contains(s, "internal/core") {
			t.Errorf("%s: stdout %q, want %q and no internal package", c.name, s, c.want)
		}
	}
	if snapshot() != before {
		t.Errorf("-compat changed the committed package")
	}
}
