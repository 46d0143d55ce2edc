package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/ivhgen/ivhgen/generator"
	"github.com/ivhgen/ivhgen/generator/emit"
)

// writer writes or checks the output files in dir.
type writer struct {
	dir     string
	openapi string   // path of the OpenAPI file, written as given
	subdirs []string // directories under dir whose generated files this run owns
}

func (w writer) path(f generator.OutputFile) string {
	if f.Name == w.openapi {
		return f.Name
	}
	return filepath.Join(w.dir, f.Name)
}

// write writes the files whose bytes changed, then removes stale ones. It
// holds a lock on dir throughout, so concurrent runs into one directory
// take turns and never leave a mix of both.
func (w writer) write(files []generator.OutputFile) error {
	if err := os.MkdirAll(w.dir, 0o755); err != nil {
		return err
	}
	unlock, err := lockDir(w.dir)
	if err != nil {
		return fmt.Errorf("lock %s: %w", w.dir, err)
	}
	defer unlock()
	for _, f := range files {
		p := w.path(f)
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, f.Data) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := writeAtomic(p, f.Data); err != nil {
			return err
		}
	}
	stale, err := w.stale(files)
	if err != nil {
		return err
	}
	for _, p := range stale {
		if err := os.Remove(p); err != nil {
			return err
		}
		if dir := filepath.Dir(p); dir != filepath.Clean(w.dir) {
			os.Remove(dir) // fails, as it should, unless it is now empty
		}
	}
	return nil
}

// writeAtomic writes through a temporary file so a crash never leaves a
// half-written file behind.
func writeAtomic(p string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(p), "."+filepath.Base(p)+".tmp*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// stale lists generated files in dir that this run did not produce: .go
// files, not tests, whose first line is the ivhgen header.
func (w writer) stale(files []generator.OutputFile) ([]string, error) {
	keep := map[string]bool{}
	for _, f := range files {
		keep[filepath.Clean(w.path(f))] = true
	}
	var names []string
	for _, sub := range w.ownedDirs() {
		found, err := goFiles(filepath.Join(w.dir, sub))
		if err != nil {
			return nil, err
		}
		names = append(names, found...)
	}
	var out []string
	for _, p := range names {
		if keep[filepath.Clean(p)] || strings.HasSuffix(p, "_test.go") {
			continue
		}
		if ours, err := generatedByUs(p); err != nil {
			return nil, err
		} else if ours {
			out = append(out, p)
		}
	}
	return out, nil
}

// ownedDirs lists the directories under dir whose generated files this
// run may remove: its own, and any fake gateway directory (<name>test) of
// an earlier run with another -package or with -fake, so that switching
// leaves no stale package behind. A hand-written file there is never
// removed, since only files with the ivhgen header are stale.
func (w writer) ownedDirs() []string {
	dirs := slices.Clone(w.subdirs)
	entries, _ := os.ReadDir(w.dir)
	for _, e := range entries {
		if e.IsDir() && strings.HasSuffix(e.Name(), "test") && !slices.Contains(dirs, e.Name()) {
			dirs = append(dirs, e.Name())
		}
	}
	return dirs
}

// goFiles lists the .go files of dir, reading the directory itself rather
// than a glob, so that names with [ or * work.
func goFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".go") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil
}

func generatedByUs(p string) (bool, error) {
	f, err := os.Open(p)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, len(emit.HeaderPrefix))
	n, _ := io.ReadFull(f, head)
	return string(head[:n]) == emit.HeaderPrefix, nil
}

// check prints a unified diff of every file that would change or go, and
// returns 1 when there is any.
func (w writer) check(files []generator.OutputFile, stdout io.Writer) int {
	code := 0
	for _, f := range files {
		p := w.path(f)
		old, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			log.Print(err)
			return 1
		}
		if !bytes.Equal(old, f.Data) {
			code = 1
			printDiff(stdout, p, string(old), string(f.Data))
		}
	}
	stale, err := w.stale(files)
	if err != nil {
		log.Print(err)
		return 1
	}
	for _, p := range stale {
		old, _ := os.ReadFile(p)
		code = 1
		printDiff(stdout, p, string(old), "")
	}
	if code != 0 {
		log.Printf("generated code is stale in %s; run ivhgen again without -check (for generated/ivh: make generate)", w.dir)
	}
	return code
}

func printDiff(w io.Writer, p, old, new string) {
	name := filepath.ToSlash(p)
	if !strings.HasPrefix(name, "/") {
		name = "/" + name
	}
	d := difflib.UnifiedDiff{A: difflib.SplitLines(old), B: difflib.SplitLines(new),
		FromFile: "a" + name, ToFile: "b" + name, Context: 3}
	text, err := difflib.GetUnifiedDiffString(d)
	if err != nil {
		text = fmt.Sprintf("%s differs (%v)\n", p, err)
	}
	fmt.Fprint(w, text)
}
