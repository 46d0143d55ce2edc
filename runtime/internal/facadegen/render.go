package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/printer"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

const (
	corePath  = "github.com/ivhgen/ivhgen/runtime/internal/core"
	ivhrtPath = "github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// output is one file facadegen writes.
type output struct {
	rel string // slash path under the module root
	src []byte
}

func (o output) path(root string) string { return filepath.Join(root, filepath.FromSlash(o.rel)) }

// face is one file of forwarding declarations: who it serves, the package
// it forwards to, and what it is called.
type face struct {
	rel, pkg   string
	qual, path string              // the package forwarded to
	keep       func(audience) bool // which identifiers it carries
	local      map[string]bool     // names declared in the file
	imports    map[string]string   // name -> path, from core's files
}

// render parses core and returns the three outputs.
func render(root string) ([]output, error) {
	fset := token.NewFileSet()
	files, err := coreFiles(fset, filepath.Join(root, "runtime", "internal", "core"))
	if err != nil {
		return nil, err
	}
	aud := audiences()
	decls, err := exported(files, aud)
	if err != nil {
		return nil, err
	}
	faces := []*face{
		{rel: "runtime/ivhrt/ivhrt_gen.go", pkg: "ivhrt", qual: "core", path: corePath,
			keep: func(a audience) bool { return a == user || a == userOnly }},
		{rel: "runtime/ivhimpl/ivhimpl_gen.go", pkg: "ivhimpl", qual: "core", path: corePath,
			keep: func(a audience) bool { return a == impl }},
		{rel: "generator/emit/reexport.go.txt", pkg: "PACKAGE", qual: "ivhrt", path: ivhrtPath,
			keep: func(a audience) bool { return a == user }},
	}
	var outs []output
	for _, f := range faces {
		src, err := f.render(fset, decls, aud)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.rel, err)
		}
		outs = append(outs, output{rel: f.rel, src: src})
	}
	outs = append(outs,
		output{rel: "generator/model/reexport_names.go", src: namesFile("model", "reexportedNames",
			"are the user API names that every generated package\n// re-exports from package ivhrt; a generated name may not take one.",
			namesOf(decls, aud, user))},
		output{rel: "generator/emit/impl_names.go", src: namesFile("emit", "implNames",
			"are the runtime names that generated code takes from package\n// ivhimpl; it takes every other runtime name from package ivhrt.",
			append(namesOf(decls, aud, impl), "DialChannel", "SendCommand", "SendFrame", "SupportsGeneratedV4"))})
	return outs, nil
}

// coreFiles parses the non-test Go files of dir, with comments.
func coreFiles(fset *token.FileSet, dir string) ([]*ast.File, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// decl is one exported top-level declaration of core, with the imports of
// the file that declares it.
type decl struct {
	gen     *ast.GenDecl  // a const, var or type group, specs filtered to exported
	fn      *ast.FuncDecl // or a function
	imports map[string]string
	pos     token.Pos
}

// exported returns core's exported declarations in source order, and fails
// when one has no audience that the lists allow.
func exported(files []*ast.File, aud map[string]audience) ([]decl, error) {
	var out []decl
	for _, f := range files {
		imps := importsOf(f)
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() {
					out = append(out, decl{fn: d, imports: imps, pos: d.Pos()})
				}
			case *ast.GenDecl:
				if g := exportedSpecs(d); g != nil {
					out = append(out, decl{gen: g, imports: imps, pos: d.Pos()})
				}
			}
		}
	}
	return out, nil
}

func importsOf(f *ast.File) map[string]string {
	m := map[string]string{}
	for _, is := range f.Imports {
		p, _ := strconv.Unquote(is.Path.Value)
		name := p[strings.LastIndex(p, "/")+1:]
		if is.Name != nil {
			name = is.Name.Name
		}
		m[name] = p
	}
	return m
}

// exportedSpecs returns a copy of d holding only its exported specs, or nil.
func exportedSpecs(d *ast.GenDecl) *ast.GenDecl {
	if d.Tok == token.IMPORT {
		return nil
	}
	g := *d
	g.Specs = nil
	for _, s := range d.Specs {
		if slices.ContainsFunc(specNames(s), ast.IsExported) {
			g.Specs = append(g.Specs, s)
		}
	}
	if len(g.Specs) == 0 {
		return nil
	}
	return &g
}

func specNames(s ast.Spec) []string {
	switch s := s.(type) {
	case *ast.TypeSpec:
		return []string{s.Name.Name}
	case *ast.ValueSpec:
		var ns []string
		for _, n := range s.Names {
			ns = append(ns, n.Name)
		}
		return ns
	}
	return nil
}

func declNames(d decl) []string {
	if d.fn != nil {
		return []string{d.fn.Name.Name}
	}
	var ns []string
	for _, s := range d.gen.Specs {
		ns = append(ns, specNames(s)...)
	}
	return ns
}

// namesOf returns the sorted exported names of decls with audience a.
func namesOf(decls []decl, aud map[string]audience, a audience) []string {
	var ns []string
	for _, d := range decls {
		for _, n := range declNames(d) {
			if ast.IsExported(n) && audienceOf(aud, n) == a {
				ns = append(ns, n)
			}
		}
	}
	slices.Sort(ns)
	return ns
}

// namesFile is a Go file of package pkg declaring the string slice v.
func namesFile(pkg, v, doc string, names []string) []byte {
	slices.Sort(names)
	var b bytes.Buffer
	b.WriteString("// Code generated by facadegen from runtime/internal/core. DO NOT EDIT.\n\n")
	fmt.Fprintf(&b, "package %s\n\n// %s %s\nvar %s = []string{\n", pkg, v, doc, v)
	for _, n := range names {
		fmt.Fprintf(&b, "\t%q,\n", n)
	}
	b.WriteString("}\n")
	src, _ := format.Source(b.Bytes())
	return src
}

// printNode prints n as Go source.
func printNode(fset *token.FileSet, n any) string {
	var b bytes.Buffer
	_ = (&printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}).Fprint(&b, fset, n)
	return b.String()
}
