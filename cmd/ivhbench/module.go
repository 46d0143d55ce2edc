package main

import (
	_ "embed"
	"fmt"
	"log"
	"os"
	"path/filepath"
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
// (oapi-codegen's output of the same APIs) and callprog/, requiring our
// module through a replace directive and the oapi-codegen runtime, and
// builds it once so later builds only redo what changed.
func (b *bench) makeModule(root string) error {
	b.mod = filepath.Join(b.tmp, "mod")
	gomod := fmt.Sprintf("module ivhbench.example/mod\n\ngo 1.26\n\nrequire github.com/ivhgen/ivhgen v0.0.0\n\nreplace github.com/ivhgen/ivhgen => %s\n", root)
	for _, d := range []string{"ours", "oapi", "callprog"} {
		if err := os.MkdirAll(filepath.Join(b.mod, d), 0o755); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(b.mod, "go.mod"), []byte(gomod), 0o644); err != nil {
		return err
	}
	if err := copyGoFiles(b.ours, filepath.Join(b.mod, "ours")); err != nil {
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

// copyGoFiles copies the *.go files of src into dst.
func copyGoFiles(src, dst string) error {
	names, err := filepath.Glob(filepath.Join(src, "*.go"))
	if err != nil || len(names) == 0 {
		return fmt.Errorf("no Go files in %s (%v)", src, err)
	}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, filepath.Base(n)), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
