package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ivhgen/ivhgen/spec"
)

// writeSchema writes the descriptor JSON Schema embedded in the binary to
// file, or to stdout for "-". The file is written only when its bytes
// change, so editors and make do not see a spurious modification.
func writeSchema(file string, stdout io.Writer) error {
	if file == "-" {
		_, err := stdout.Write(spec.Schema)
		return err
	}
	if old, err := os.ReadFile(file); err == nil && bytes.Equal(old, spec.Schema) {
		return nil
	}
	if dir := filepath.Dir(file); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".ivhgen-schema-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(spec.Schema); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("writing the schema: %w", err)
	}
	return nil
}
