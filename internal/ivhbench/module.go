package main

import (
	_ "embed"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

// callProgram is the main package of the per-call benchmark in the
// temporary module: our client, the stdlib baseline and oapi-codegen's
// client, measured in one process.
//
//go:embed callprog.tmpl
var callProgram []byte

// modEnv is the environment of go commands in the temporary module: it
// may resolve and record its own requirements, and no workspace applies.
var modEnv = []string{"GOFLAGS=-mod=mod -buildvcs=false", "GOWORK=off"}

// makeModule writes the temporary module: ours/ (ivhgen's output), oapi/
// (oapi-codegen's output of the same APIs) and callprog/, requiring a
// snapshot of our module through a replace directive and the oapi-codegen
// runtime, and builds it once so later builds only redo what changed.
func (b *bench) makeModule(root string) error {
	snap := filepath.Join(b.tmp, "ivhgen")
	if err := b.snapshot(root, snap); err != nil {
		return err
	}
	b.mod = filepath.Join(b.tmp, "mod")
	gomod := fmt.Sprintf("module ivhbench.example/mod\n\ngo 1.26\n\nrequire github.com/ivhgen/ivhgen v0.0.0\n\nreplace github.com/ivhgen/ivhgen => %s\n", snap)
	for _, d := range []string{"ours", "oapi", "callprog"} {
		if err := os.MkdirAll(filepath.Join(b.mod, d), 0o755); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(b.mod, "go.mod"), []byte(gomod), 0o644); err != nil {
		return err
	}
	if err := copyFiles(b.ours, filepath.Join(b.mod, "ours"), "*.go"); err != nil {
		return err
	}
	if err := b.runOapi(filepath.Join(b.mod, "oapi", "oapi.go")); err != nil {
		return fmt.Errorf("oapi-codegen rejects the exported OpenAPI document: %w", err)
	}
	if err := os.WriteFile(filepath.Join(b.mod, "callprog", "main.go"), callProgram, 0o644); err != nil {
		return err
	}
	log.Printf("resolving %s in the temporary module", oapiRuntime)
	if _, err := b.goRun(b.mod, modEnv, "get", oapiRuntime); err != nil {
		return err
	}
	if _, err := b.goRun(b.mod, modEnv, "build", "./..."); err != nil {
		return fmt.Errorf("the temporary module does not build (is oapi-codegen's output of the document valid Go?): %w", err)
	}
	return nil
}

// copyFiles copies the files of src matching pattern, except tests, into
// dst, creating it.
func copyFiles(src, dst, pattern string) error {
	names, err := filepath.Glob(filepath.Join(src, pattern))
	if err != nil || len(names) == 0 {
		return fmt.Errorf("no %s files in %s (%v)", pattern, src, err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		if err := copyFile(n, filepath.Join(dst, filepath.Base(n))); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// snapshot copies go.mod, go.sum and the non-test Go files of the packages
// of our module that callbench needs into dst, so that edits to the work
// tree during a run do not make the temporary module rebuild them.
func (b *bench) snapshot(root, dst string) error {
	out, err := b.goRun(root, nil, "list", "-deps", "-f",
		`{{with .Module}}{{if eq .Path "github.com/ivhgen/ivhgen"}}{{$.Dir}}{{"\n"}}{{end}}{{end}}`, "./internal/ivhbench/callbench")
	if err != nil {
		return err
	}
	for dir := range strings.Lines(string(out)) {
		dir = strings.TrimSpace(dir)
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			return err
		}
		if err := copyFiles(dir, filepath.Join(dst, rel), "*.go"); err != nil {
			return err
		}
	}
	for _, f := range []string{"go.mod", "go.sum"} {
		if err := copyFile(filepath.Join(root, f), filepath.Join(dst, f)); err != nil {
			return err
		}
	}
	return nil
}
