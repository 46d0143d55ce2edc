package main

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path"
	"path/filepath"
	"strings"

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
			if _, err := generator.Model(srcs, cfg); err != nil {
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
		if err := openapiClash(o, files); err != nil {
			log.Print(err)
			return 1
		}
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

// openapiClash rejects an -openapi path that names a Go file of the run:
// one would overwrite the other, and the writer would put the Go file at the
// -openapi path rather than under -out.
func openapiClash(o options, files []generator.OutputFile) error {
	doc, err := filepath.Abs(o.openapi)
	if err != nil {
		return err
	}
	for _, f := range files {
		goFile, err := filepath.Abs(filepath.Join(o.out, f.Name))
		if err != nil {
			return err
		}
		if f.Name == o.openapi || goFile == doc {
			return fmt.Errorf("-openapi %s is also the path of generated %s; choose another file", o.openapi, f.Name)
		}
	}
	return nil
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
	paths, err := specPaths(flagValue)
	if err != nil {
		return nil, err
	}
	srcs, err := generator.Load(paths)
	if err != nil {
		return nil, err
	}
	root := moduleRoot()
	for i := range srcs {
		srcs[i].Name = relativeTo(root, srcs[i].Name)
	}
	return srcs, nil
}

// specPaths splits the -spec value at commas, trimming spaces around each
// entry; an empty entry is an error, not a puzzling "stat : no such file".
func specPaths(v string) ([]string, error) {
	var paths []string
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			return nil, fmt.Errorf("-spec %q has an empty entry; separate descriptor files or directories with single commas", v)
		}
		paths = append(paths, p)
	}
	return paths, nil
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
