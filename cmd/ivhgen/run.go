package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/ivhgen/ivhgen/generator"
	"github.com/ivhgen/ivhgen/generator/emit"
	"github.com/ivhgen/ivhgen/generator/spec"
	specfiles "github.com/ivhgen/ivhgen/spec"
)

type options struct {
	spec, out, pkg, openapi string
	importPath              string // of the output package; derived from go.mod when empty
	check, fake             bool
}

// run generates and writes or checks; it returns the exit code.
func run(o options, stdout io.Writer) int {
	srcs, err := sources(o.spec)
	if err != nil {
		log.Print(err)
		return 1
	}
	cfg := generator.Config{Package: o.pkg}
	if o.fake {
		ip, ierr := importPath(o)
		if ierr != nil {
			// Descriptor errors come first; they are what the user fixes.
			if _, err := generator.Generate(srcs, cfg); err != nil {
				report(err, o.out)
			} else {
				log.Print(ierr)
			}
			return 1
		}
		cfg.ImportPath = ip
	}
	files, err := generator.Generate(srcs, cfg)
	if err != nil {
		report(err, o.out)
		return 1
	}
	if o.openapi != "" {
		doc, err := generator.OpenAPI(srcs, generator.Config{Package: o.pkg})
		if err != nil {
			report(err, o.out)
			return 1
		}
		files = append(files, generator.OutputFile{Name: o.openapi, Data: doc})
	}
	w := writer{dir: o.out, openapi: o.openapi, subdirs: []string{"."}}
	if o.fake {
		w.subdirs = append(w.subdirs, emit.FakePackage(o.pkg))
	}
	if o.check {
		return w.check(files, stdout)
	}
	if err := w.write(files); err != nil {
		log.Print(err)
		return 1
	}
	return 0
}

// report prints descriptor errors one per line and keeps a .dump of a file
// that failed to format.
func report(err error, out string) {
	var list spec.ErrorList
	if errors.As(err, &list) {
		for _, line := range strings.Split(list.Error(), "\n") {
			log.Print(line)
		}
		return
	}
	var re *emit.RenderError
	if errors.As(err, &re) {
		dump := filepath.Join(out, re.File+".dump")
		if werr := os.WriteFile(dump, []byte(re.Source), 0o644); werr == nil {
			log.Printf("emit %s: %v; unformatted source in %s", re.File, firstLine(re.Err), dump)
			return
		}
	}
	log.Print(err)
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// sources loads the descriptors named by the -spec flag, or the embedded
// ones. Names are made relative to the module root, so headers read
// spec/video.yaml wherever ivhgen runs.
func sources(flagValue string) ([]generator.Source, error) {
	if flagValue == "" {
		return generator.LoadFS(specfiles.Files, "spec")
	}
	srcs, err := generator.Load(strings.Split(flagValue, ","))
	if err != nil {
		return nil, err
	}
	root := moduleRoot()
	for i := range srcs {
		srcs[i].Name = relativeTo(root, srcs[i].Name)
	}
	return srcs, nil
}

// moduleRoot is the nearest directory up from the working directory that
// holds go.mod, or "".
func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func relativeTo(root, name string) string {
	abs, err := filepath.Abs(name)
	if root == "" || err != nil {
		return name
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return name
	}
	return filepath.ToSlash(rel)
}

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

// write writes the files whose bytes changed, then removes stale ones.
func (w writer) write(files []generator.OutputFile) error {
	if err := os.MkdirAll(w.dir, 0o755); err != nil {
		return err
	}
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
	return os.Rename(tmp.Name(), p)
}

// stale lists generated files in dir that this run did not produce: .go
// files, not tests, whose first line is the ivhgen header.
func (w writer) stale(files []generator.OutputFile) ([]string, error) {
	keep := map[string]bool{}
	for _, f := range files {
		keep[filepath.Clean(w.path(f))] = true
	}
	var names []string
	for _, sub := range w.subdirs {
		found, err := filepath.Glob(filepath.Join(w.dir, sub, "*.go"))
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
		log.Print("generated code is stale; run `go generate ./generated/...` (or make generate)")
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

// importPath is the import path of the output directory: -import, or the
// module path of the go.mod above it joined with the directory's path
// inside the module.
func importPath(o options) (string, error) {
	if o.importPath != "" {
		return o.importPath, nil
	}
	abs, err := filepath.Abs(o.out)
	if err != nil {
		return "", err
	}
	for dir := abs; ; dir = filepath.Dir(dir) {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil {
			mod := modulePath(data)
			if mod == "" {
				return "", fmt.Errorf("%s has no module line; pass -import", filepath.Join(dir, "go.mod"))
			}
			rel, _ := filepath.Rel(dir, abs)
			return path.Join(mod, filepath.ToSlash(rel)), nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("no go.mod above %s to derive the import path of the fake gateway package; pass -import path or -fake=false", abs)
		}
	}
}

// modulePath reads the module directive of a go.mod file.
func modulePath(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}
