package generator_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/generator"
)

// TestDescriptorEncodingsAgree: a byte order mark, CRLF line endings and
// tabs after colons change nothing: the output is the same as for the
// plain file, and an error in the file is reported at the same line:col.
func TestDescriptorEncodingsAgree(t *testing.T) {
	plain := loadCase(t, "fullclient")
	bad := loadCase(t, "err_many_at_once")
	variants := map[string]func([]byte) []byte{
		"bom":  func(b []byte) []byte { return append([]byte("\ufeff"), b...) },
		"crlf": func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) },
		"bom+crlf": func(b []byte) []byte {
			return append([]byte("\ufeff"), bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))...)
		},
		"tab-values": func(b []byte) []byte { return bytes.ReplaceAll(b, []byte(": "), []byte(":\t")) },
	}
	cfg := generator.Config{Package: "p"}
	want, err := generator.Generate(plain, cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, wantErr := generator.Generate(bad, cfg)
	if wantErr == nil {
		t.Fatal("err_many_at_once generated")
	}
	for name, change := range variants {
		t.Run(name, func(t *testing.T) {
			got, err := generator.Generate(rewrite(plain, change), cfg)
			if err != nil {
				t.Fatalf("%v", err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d files, want %d", len(got), len(want))
			}
			for i := range got {
				if got[i].Name != want[i].Name || !bytes.Equal(got[i].Data, want[i].Data) {
					t.Errorf("%s differs from the plain file's output", got[i].Name)
				}
			}
			if _, err := generator.Generate(rewrite(bad, change), cfg); err == nil || err.Error() != wantErr.Error() {
				t.Errorf("errors differ:\n%v\nwant:\n%v", err, wantErr)
			}
		})
	}
}

func rewrite(srcs []generator.Source, change func([]byte) []byte) []generator.Source {
	out := make([]generator.Source, len(srcs))
	for i, s := range srcs {
		out[i] = generator.Source{Name: s.Name, Data: change(bytes.Clone(s.Data))}
	}
	return out
}

// TestLoadDirectoryWithoutDescriptors: a directory with no *.yaml, or only
// a directory named like one, is a clear error, not an empty package.
func TestLoadDirectoryWithoutDescriptors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("# not a descriptor\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := generator.Load([]string{dir}); err == nil || !strings.Contains(err.Error(), "holds no *.yaml descriptor") {
		t.Errorf("Load(empty dir) = %v", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := generator.Load([]string{dir}); err == nil || !strings.Contains(err.Error(), "sub.yaml") {
		t.Errorf("Load(dir with a directory named sub.yaml) = %v", err)
	}
}
