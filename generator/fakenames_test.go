package generator_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/generator"
	"github.com/ivhgen/ivhgen/generator/model"
)

// shadowingNames are package names that are also identifiers or imports of
// the fake (issue 16): each used to give a fake that does not compile.
var shadowingNames = []string{
	"s", "f", "c", "r", "t", "id", "tb", "ctx", "req", "resp", "task", "base", "opts", "store", "sess", "call", "wait",
	"arg", "result", "serve", "Server", "Operation", "Operations", "New", "Start", "message", "failCode",
	"fakegw", "ivhrt", "fmt", "channeltest",
}

// TestFakeCompilesForShadowingPackageNames generates the chanflow case (a
// failing async flow and a session channel) under every shadowing package
// name and builds client and fake together, through an overlay, in one go
// build (go vet cannot run on overlay-only directories).
func TestFakeCompilesForShadowingPackageNames(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	root, _ := filepath.Abs("..")
	tmp := t.TempDir()
	replace := map[string]string{}
	var pkgs []string
	for i, name := range shadowingNames {
		dir := "p" + strconv.Itoa(i) // distinct even on case-insensitive disks
		ip := "github.com/ivhgen/ivhgen/generator/internal/fakenames/" + dir
		out, err := generator.Generate(loadCase(t, "chanflow"), generator.Config{Package: name, ImportPath: ip})
		if err != nil {
			t.Fatalf("-package %s: %v", name, err)
		}
		for _, f := range out {
			src := filepath.Join(tmp, dir, filepath.FromSlash(f.Name))
			os.MkdirAll(filepath.Dir(src), 0o755)
			if err := os.WriteFile(src, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			replace[filepath.Join(root, "generator", "internal", "fakenames", dir, filepath.FromSlash(f.Name))] = src
		}
		pkgs = append(pkgs, ip+"/...")
	}
	data, _ := json.Marshal(map[string]any{"Replace": replace})
	overlay := filepath.Join(tmp, "overlay.json")
	os.WriteFile(overlay, data, 0o644)
	cmd := exec.Command("go", append([]string{"build", "-overlay", overlay}, pkgs...)...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build of the fakes failed: %v\n%s", err, out)
	}
}

// TestFakeImportsTheClientUnderAFreeName: the client import is renamed, not
// the fake's identifiers, and only when needed.
func TestFakeImportsTheClientUnderAFreeName(t *testing.T) {
	for name, want := range map[string]string{"ivh": "ivh", "s": "s1", "fakegw": "fakegw1", "Server": "Server1"} {
		pkg, err := generator.Model(loadCase(t, "chanflow"), generator.Config{Package: name, ImportPath: "example.com/x"})
		if err != nil {
			t.Fatal(err)
		}
		if pkg.Fake.Client != want || pkg.Fake.Name != name+"test" || pkg.Fake.ImportPath != "example.com/x/"+name+"test" {
			t.Errorf("-package %s: fake %+v, want client import %s", name, *pkg.Fake, want)
		}
	}
}

// TestFakeNeedsAnASCIIPackageName: the fake's directory is an import path
// element, which may not hold 日本.
func TestFakeNeedsAnASCIIPackageName(t *testing.T) {
	_, err := generator.Generate(loadCase(t, "chanflow"), generator.Config{Package: "日本", ImportPath: "example.com/x"})
	if err == nil || !strings.Contains(err.Error(), "not a valid import path element") || !strings.Contains(err.Error(), "日本test") {
		t.Fatalf("err = %v, want one naming the fake directory", err)
	}
	if _, err := generator.Generate(loadCase(t, "chanflow"), generator.Config{Package: "日本"}); err != nil {
		t.Errorf("without a fake: %v", err)
	}
}

// TestFakeDeclaresOnlyReservedNames keeps model.FakeLocals and FakeImports
// complete: every identifier a generated fake declares at package scope, as
// a parameter or as a local, and every package it imports besides the
// client, is listed, so the client import can avoid them all.
func TestFakeDeclaresOnlyReservedNames(t *testing.T) {
	out, err := generator.Generate(specSources(t), generator.Config{Package: "ivh", ImportPath: "example.com/ivh"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range out {
		if !strings.HasPrefix(f.Name, "ivhtest/") {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), f.Name, f.Data, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range file.Imports {
			name := path.Base(strings.Trim(imp.Path.Value, `"`))
			if imp.Name == nil && name != "ivh" && !slices.Contains(model.FakeImports, name) {
				t.Errorf("%s imports %s, which model.FakeImports lacks", f.Name, name)
			}
		}
		for _, name := range declared(file) {
			if !slices.Contains(model.FakeLocals, name) {
				t.Errorf("%s declares %s, which model.FakeLocals lacks", f.Name, name)
			}
		}
	}
}

// declared lists the identifiers file declares in a scope an import could
// be shadowed in: package-level declarations (not methods), parameters,
// results and := locals.
func declared(file *ast.File) []string {
	var names []string
	add := func(ids ...*ast.Ident) {
		for _, id := range ids {
			if id.Name != "_" {
				names = append(names, id.Name)
			}
		}
	}
	for _, d := range file.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				add(d.Name)
			}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					add(sp.Name)
				case *ast.ValueSpec:
					add(sp.Names...)
				}
			}
		}
	}
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncType:
			for _, fl := range []*ast.FieldList{n.Params, n.Results} {
				if fl != nil {
					for _, fd := range fl.List {
						add(fd.Names...)
					}
				}
			}
		case *ast.FuncDecl:
			if n.Recv != nil {
				add(n.Recv.List[0].Names...)
			}
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						add(id)
					}
				}
			}
		}
		return true
	})
	return names
}
