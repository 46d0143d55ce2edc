// Package generator turns ivhgen descriptors (spec/README.md) into a typed Go
// client. Generate is the one entry point: the CLI, the golden tests and the
// benchmarks all call it. It runs three stages with dependencies in one
// direction: package spec decodes and checks each file, package model
// resolves the files into a Go-shaped model, and package emit renders it.
package generator

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/ivhgen/ivhgen/generator/descriptor"
	"github.com/ivhgen/ivhgen/generator/emit"
	"github.com/ivhgen/ivhgen/generator/model"
)

// Source is one descriptor file: the name used in messages and headers, and
// its bytes.
type Source struct {
	Name string
	Data []byte
	Path string // the file Load read, or ""
}

// Config controls a run.
type Config struct {
	Package string // name of the generated package, e.g. "ivh"
	// ImportPath is the generated package's import path. When set, the
	// typed fake gateway package <Package>test is generated too; its file
	// names start with "<Package>test/".
	ImportPath string
	// CLI, with ImportPath, also renders the main package of a command line
	// for the generated package over runtime/ivhcli: the file CLI + "/main.go"
	// (CLI is slash-separated, relative to the output directory); the
	// command is named after CLI's last element.
	CLI string
}

// OutputFile is one generated file.
type OutputFile = emit.Output

// Generate checks the descriptors and renders the package. Sources are
// processed in name order, so the output does not depend on argument order.
// A descriptor problem is returned as a descriptor.ErrorList whose lines read
// file:line:col: message.
func Generate(srcs []Source, cfg Config) ([]OutputFile, error) {
	pkg, err := Model(srcs, cfg)
	if err != nil {
		return nil, err
	}
	out, err := emit.Render(pkg)
	if err != nil || cfg.ImportPath == "" {
		return out, err
	}
	fake, err := emit.RenderFake(pkg)
	if err != nil {
		return nil, err
	}
	out = append(out, fake...)
	if cfg.CLI == "" {
		return out, nil
	}
	main, err := emit.RenderCLI(pkg, path.Base(cfg.CLI))
	if err != nil {
		return nil, err
	}
	main.Name = path.Join(cfg.CLI, main.Name)
	return append(out, main), nil
}

// Model runs the first two stages: decoding and resolving.
func Model(srcs []Source, cfg Config) (*model.Package, error) {
	if len(srcs) == 0 {
		return nil, errors.New("no descriptor files")
	}
	srcs = slices.Clone(srcs)
	slices.SortFunc(srcs, func(a, b Source) int { return strings.Compare(a.Name, b.Name) })
	for i := 1; i < len(srcs); i++ {
		if srcs[i].Name == srcs[i-1].Name {
			return nil, fmt.Errorf("descriptor %s is given twice", srcs[i].Name)
		}
	}
	files, err := parseAll(srcs)
	if err != nil {
		return nil, err
	}
	return model.Build(files, cfg.Package, cfg.ImportPath)
}

// parseAll decodes the files in parallel and merges their problems.
func parseAll(srcs []Source) ([]*descriptor.File, error) {
	files := make([]*descriptor.File, len(srcs))
	errs := make([]error, len(srcs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, s := range srcs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			files[i], errs[i] = descriptor.Parse(s.Name, s.Data)
		}()
	}
	wg.Wait()
	var all descriptor.ErrorList
	for _, err := range errs {
		var list descriptor.ErrorList
		switch {
		case errors.As(err, &list):
			all = append(all, list...)
		case err != nil:
			return nil, err
		}
	}
	if err := all.Err(); err != nil {
		return nil, err
	}
	return files, nil
}

// Load reads descriptor files. A directory contributes each regular file
// whose name ends in ".yaml" and does not start with a dot; any other entry
// named like a descriptor (.yml, .YAML, a hidden .x.yaml, a directory x.yaml)
// is an error, so nothing is skipped silently. Other files and
// subdirectories are not descriptors. Names keep the paths as given, in
// slash form. A file over descriptor.MaxSize is an error.
func Load(paths []string) ([]Source, error) {
	var out []Source
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		names := []string{p}
		if st.IsDir() {
			if names, err = descriptorsIn(p); err != nil {
				return nil, err
			}
		}
		for _, n := range names {
			data, err := readCapped(n)
			if err != nil {
				return nil, err
			}
			out = append(out, Source{Name: filepath.ToSlash(n), Data: data, Path: n})
		}
	}
	return out, nil
}

// descriptorsIn lists the descriptors of dir by the rule of Load. It reads
// the directory itself, never a glob pattern, so names such as we[i]rd work.
func descriptorsIn(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		name, lower := e.Name(), strings.ToLower(e.Name())
		if !strings.HasSuffix(lower, ".yaml") && !strings.HasSuffix(lower, ".yml") {
			continue
		}
		p := filepath.Join(dir, name)
		switch {
		case !strings.HasSuffix(name, ".yaml"):
			return nil, fmt.Errorf("%s: descriptors end in .yaml; rename it to %s.yaml", p, strings.TrimSuffix(name, filepath.Ext(name)))
		case strings.HasPrefix(name, "."):
			return nil, fmt.Errorf("%s is a hidden file; rename it without the leading dot or move it out of %s", p, dir)
		case !e.Type().IsRegular() && !isRegularFile(p):
			return nil, fmt.Errorf("%s is named like a descriptor but is not a regular file", p)
		}
		names = append(names, p)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s holds no *.yaml descriptor", dir)
	}
	return names, nil
}

// isRegularFile follows a symbolic link.
func isRegularFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// readCapped reads p, refusing more than descriptor.MaxSize bytes, so a device
// such as /dev/zero or a huge file fails fast instead of filling memory.
func readCapped(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, descriptor.MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > descriptor.MaxSize {
		return nil, fmt.Errorf("%s is larger than %d MiB, the limit for a descriptor; split it", p, descriptor.MaxSize>>20)
	}
	return data, nil
}

// LoadFS reads the *.yaml files at the root of fsys, naming each dir/name.
func LoadFS(fsys fs.FS, dir string) ([]Source, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	out := make([]Source, 0, len(names))
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		out = append(out, Source{Name: dir + "/" + n, Data: data})
	}
	return out, nil
}
