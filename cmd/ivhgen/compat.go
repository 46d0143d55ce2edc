package main

import (
	"fmt"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"log"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/exp/apidiff"
	"golang.org/x/tools/go/packages"

	"github.com/ivhgen/ivhgen/generator"
)

// compat compares the Go API of the committed package and of its fake
// with the API the generated files would give them (golang.org/x/exp/apidiff),
// prints every change on stdout and returns 1 when one is incompatible,
// unless allow. It writes nothing.
func (w writer) compat(files []generator.OutputFile, allow bool, stdout io.Writer) int {
	overlay, err := w.overlay(files)
	if err != nil {
		log.Print(err)
		return 1
	}
	breaking := 0
	for _, sub := range w.subdirs {
		n, err := compatDir(filepath.Join(w.dir, sub), overlay, stdout)
		if err != nil {
			log.Printf("-compat: %v", err)
			return 1
		}
		breaking += n
	}
	switch {
	case breaking > 0 && allow:
		log.Printf("-compat: %d incompatible changes, allowed by -allow-breaking", breaking)
	case breaking > 0:
		log.Printf("-compat: %d incompatible changes: code that uses the package may stop compiling; pass -allow-breaking to accept them", breaking)
		return 1
	}
	return 0
}

// overlay maps the absolute path of every file a run would write to its
// new contents, and of every file it would remove to a bare package clause.
func (w writer) overlay(files []generator.OutputFile) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, f := range files {
		p, err := filepath.Abs(w.path(f))
		if err != nil {
			return nil, err
		}
		out[p] = f.Data
	}
	stale, err := w.stale(files)
	if err != nil {
		return nil, err
	}
	for _, p := range stale {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.PackageClauseOnly)
		if err != nil {
			return nil, err
		}
		out[abs] = []byte("package " + f.Name.Name + "\n")
	}
	return out, nil
}

// compatDir reports the API changes of the package in dir and returns how
// many are incompatible. A package that is not committed yet has none.
func compatDir(dir string, overlay map[string][]byte, stdout io.Writer) (int, error) {
	// A directory that is missing or holds no Go file yet (mkdir apaas
	// before the first go generate) is a first run: nothing to compare.
	committed, err := goFiles(dir)
	if err != nil {
		return 0, err
	}
	if !slices.ContainsFunc(committed, func(p string) bool { return !strings.HasSuffix(p, "_test.go") }) {
		log.Printf("-compat: no committed package in %s yet; nothing to compare", dir)
		return 0, nil
	}
	old, err := loadTypes(dir, nil)
	if err != nil {
		return 0, fmt.Errorf("the committed package in %s: %w", dir, err)
	}
	cur, err := loadTypes(dir, overlay)
	if err != nil {
		return 0, fmt.Errorf("the regenerated package in %s: %w", dir, err)
	}
	r := apidiff.Changes(old, cur)
	for i := range r.Changes {
		softenInterfaceGrowth(&r.Changes[i], old)
		// Opt and the other re-exports are aliases of the runtime's
		// internal package, which users cannot import: name the facade.
		r.Changes[i].Message = strings.ReplaceAll(r.Changes[i].Message, "github.com/ivhgen/ivhgen/runtime/internal/core.", "ivhrt.")
	}
	if len(r.Changes) == 0 {
		return 0, nil
	}
	fmt.Fprintf(stdout, "package %s\n", old.Path())
	if err := r.Text(stdout); err != nil {
		return 0, err
	}
	n := 0
	for _, c := range r.Changes {
		if !c.Compatible {
			n++
		}
	}
	return n, nil
}

// grown matches apidiff's message for a method added to an interface.
var grown = regexp.MustCompile(`^(\w+)\.\w+: added$`)

// softenInterfaceGrowth counts a method added to a service interface
// (GreetingAPI gaining Wave, when a descriptor adds an API) as compatible:
// every caller and the package's own client still compile. apidiff calls
// it incompatible because a type outside the package that implements the
// interface, such as a hand-written test fake, no longer does; the
// message says so, and how to avoid it.
func softenInterfaceGrowth(c *apidiff.Change, old *types.Package) {
	m := grown.FindStringSubmatch(c.Message)
	if c.Compatible || m == nil {
		return
	}
	if obj := old.Scope().Lookup(m[1]); obj != nil && types.IsInterface(obj.Type()) {
		c.Compatible = true
		c.Message += " (breaks only types outside the package that implement " + m[1] + ", such as a test fake; embed " + m[1] + " in those)"
	}
}

// loadTypes type-checks the package in dir, with the files of overlay in
// place of those on disk.
func loadTypes(dir string, overlay map[string][]byte) (*types.Package, error) {
	cfg := &packages.Config{
		Mode:    packages.NeedName | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedImports,
		Dir:     dir,
		Overlay: overlay,
		Tests:   false,
	}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		return nil, err
	}
	if len(pkgs) != 1 {
		return nil, fmt.Errorf("want one package, got %d", len(pkgs))
	}
	for _, e := range pkgs[0].Errors {
		return nil, e
	}
	return pkgs[0].Types, nil
}
