package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// attackModule is a module directory with go.mod and the descriptor
// directory spec; -out is mod/demo.
func attackModule(t *testing.T) (mod, spec string) {
	t.Helper()
	mod = filepath.Join(t.TempDir(), "mod")
	spec = filepath.Join(mod, "spec")
	if err := os.MkdirAll(spec, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/mod\n\ngo 1.24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	writeSpec(t, spec, "Pings.")
	return mod, spec
}

// A -cli directory whose main could not build, or would name itself "..",
// is misuse (exit 2) and nothing is written there: the module root (an
// ancestor of -out), a directory outside the module, directory names that
// are no import path element (go build rejects "cmd/my cmd"), and the
// directory of another package (main.go would break its build).
func TestAttackCLIDirThatCannotHoldACommand(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "elsewhere")
	for _, c := range []struct{ name, cli string }{
		{"module root", "."},
		{"outside the module", outside},
		{"space", filepath.Join("cmd", "my cmd")},
		{"non-ASCII", filepath.Join("cmd", "héllo")},
		{"non-ASCII parent", filepath.Join("命令", "demo")},
		{"a library's directory", "lib"},
	} {
		t.Run(c.name, func(t *testing.T) {
			logs := quiet(t)
			mod, spec := attackModule(t)
			cli := c.cli
			if !filepath.IsAbs(cli) {
				cli = filepath.Join(mod, cli)
			}
			if c.cli == "lib" {
				if err := os.MkdirAll(cli, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(cli, "lib.go"), []byte("package lib\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			o := options{spec: spec, out: filepath.Join(mod, "demo"), pkg: "demo", fake: true, cli: cli}
			if code := run(o, new(bytes.Buffer)); code != 2 {
				t.Errorf("-cli %s: exit %d, want 2 (%s)", c.cli, code, logs)
			}
			if _, err := os.Stat(filepath.Join(cli, "main.go")); err == nil {
				t.Errorf("-cli %s wrote main.go", c.cli)
			}
			if !strings.Contains(logs.String(), "-cli") {
				t.Errorf("-cli %s: log %q does not name -cli", c.cli, logs)
			}
		})
	}
}

// A hand-written main.go in the -cli directory is kept, and the message
// names -cli, the flag to change, not -out.
func TestAttackCLINeverReplacesAHandWrittenMain(t *testing.T) {
	logs := quiet(t)
	mod, spec := attackModule(t)
	cli := filepath.Join(mod, "cmd", "demo")
	if err := os.MkdirAll(cli, 0o755); err != nil {
		t.Fatal(err)
	}
	hand := []byte("package main\n\nfunc main() {}\n")
	if err := os.WriteFile(filepath.Join(cli, "main.go"), hand, 0o644); err != nil {
		t.Fatal(err)
	}
	o := options{spec: spec, out: filepath.Join(mod, "demo"), pkg: "demo", fake: true, cli: cli}
	if code := run(o, new(bytes.Buffer)); code != 2 {
		t.Errorf("exit %d, want 2 (%s)", code, logs)
	}
	if got, _ := os.ReadFile(filepath.Join(cli, "main.go")); !bytes.Equal(got, hand) {
		t.Errorf("main.go was replaced:\n%s", got)
	}
	if s := logs.String(); !strings.Contains(s, "-cli: ") || strings.Contains(s, "-out") {
		t.Errorf("log %q, want a -cli: message", s)
	}
	// Nothing else was written either: the check precedes every write.
	if gos, _ := filepath.Glob(filepath.Join(mod, "demo", "*.go")); len(gos) > 0 {
		t.Errorf("-out was written although -cli failed: %v", gos)
	}
}

// Rerunning writes the same bytes (idempotent, deterministic), and -check
// reports the main stale after a descriptor change renames the API.
func TestAttackCLIRerunAndCheck(t *testing.T) {
	quiet(t)
	mod, spec := attackModule(t)
	cli := filepath.Join(mod, "cmd", "demo")
	o := options{spec: spec, out: filepath.Join(mod, "demo"), pkg: "demo", fake: true, cli: cli}
	if code := run(o, new(bytes.Buffer)); code != 0 {
		t.Fatalf("first run: exit %d", code)
	}
	first, err := os.ReadFile(filepath.Join(cli, "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(first, []byte(`Name:       "demo"`)) {
		t.Errorf("main.go does not name the command demo:\n%s", first)
	}
	if code := run(o, new(bytes.Buffer)); code != 0 {
		t.Fatalf("rerun: exit %d", code)
	}
	if again, _ := os.ReadFile(filepath.Join(cli, "main.go")); !bytes.Equal(first, again) {
		t.Errorf("rerun changed main.go")
	}
	o.check = true
	if code := run(o, new(bytes.Buffer)); code != 0 {
		t.Errorf("-check right after a run: exit %d, want 0", code)
	}
	if err := os.WriteFile(filepath.Join(cli, "main.go"), append(first, "// edited\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	var diff bytes.Buffer
	if code := run(o, &diff); code != 1 || !strings.Contains(diff.String(), "main.go") {
		t.Errorf("-check after a hand edit of main.go: exit %d, diff %q; want 1 naming main.go", code, diff.String())
	}
}

// -compat, -check and -n each exit before the next would run, so two of
// them together are misuse (exit 2), not a silent skip: -compat -n used to
// exit 0 on a removed field.
func TestAttackExclusiveModesAreMisuse(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(*options)
	}{
		{"-compat -n", func(o *options) { o.compat, o.validate = true, true }},
		{"-compat -check", func(o *options) { o.compat, o.check = true, true }},
		{"-check -n", func(o *options) { o.check, o.validate = true, true }},
	} {
		logs := quiet(t)
		mod, spec := attackModule(t)
		o := options{spec: spec, out: filepath.Join(mod, "demo"), pkg: "demo", fake: true}
		c.set(&o)
		if code := run(o, new(bytes.Buffer)); code != 2 {
			t.Errorf("%s: exit %d, want 2 (%s)", c.name, code, logs)
		}
	}
}
