package generator_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ivhgen/ivhgen/generator"
	"github.com/ivhgen/ivhgen/generator/descriptor"
)

// specSources loads the repository's descriptors.
func specSources(t testing.TB) []generator.Source {
	t.Helper()
	srcs, err := generator.Load([]string{"../spec"})
	if err != nil {
		t.Fatal(err)
	}
	return srcs
}

func TestGenerateTwiceGivesTheSameBytes(t *testing.T) {
	for name, srcs := range map[string][]generator.Source{
		"spec": specSources(t), "fullclient": loadCase(t, "fullclient"), "hardening": loadCase(t, "hardening"),
	} {
		first, err := generator.Generate(srcs, generator.Config{Package: "ivh"})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		reversed := slices.Clone(srcs)
		slices.Reverse(reversed)
		for range 3 {
			again, err := generator.Generate(reversed, generator.Config{Package: "ivh"})
			if err != nil {
				t.Fatal(err)
			}
			if len(again) != len(first) {
				t.Fatalf("%s: %d files, then %d", name, len(first), len(again))
			}
			for i := range first {
				if first[i].Name != again[i].Name || !bytes.Equal(first[i].Data, again[i].Data) {
					t.Errorf("%s: %s differs between runs", name, first[i].Name)
				}
			}
		}
	}
}

// TestDescriptorChangeTouchesOnlyItsFiles: changing one API's field changes
// that descriptor's API file and nothing else.
func TestDescriptorChangeTouchesOnlyItsFiles(t *testing.T) {
	srcs := loadCase(t, "fullclient")
	before, err := generator.Generate(srcs, generator.Config{Package: "p"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range srcs {
		if srcs[i].Name == "media.yaml" {
			srcs[i].Data = bytes.Replace(srcs[i].Data, []byte("Percent done."), []byte("Percent done (0 to 100)."), 1)
		}
	}
	after, err := generator.Generate(srcs, generator.Config{Package: "p"})
	if err != nil {
		t.Fatal(err)
	}
	var changed []string
	for i := range before {
		if !bytes.Equal(before[i].Data, after[i].Data) {
			changed = append(changed, before[i].Name)
		}
	}
	if !slices.Equal(changed, []string{"media_api.go"}) {
		t.Errorf("changed files = %v, want [media_api.go]", changed)
	}
}

func TestGenerateErrors(t *testing.T) {
	if _, err := generator.Generate(nil, generator.Config{Package: "p"}); err == nil {
		t.Error("no sources: want an error")
	}
	srcs := loadCase(t, "fullclient")
	if _, err := generator.Generate(srcs, generator.Config{Package: "json"}); err == nil {
		t.Error("package json: want an error")
	}
	dup := append(slices.Clone(srcs), srcs[0])
	if _, err := generator.Generate(dup, generator.Config{Package: "p"}); err == nil {
		t.Error("duplicate source: want an error")
	}
}

// FuzzGenerate feeds arbitrary descriptors through the generator: each must
// give a descriptor.ErrorList or output that type-checks as Go, plus a valid
// OpenAPI document; nothing may panic.
func FuzzGenerate(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*/*.yaml")
	more, _ := filepath.Glob("../spec/*.yaml")
	for _, p := range append(paths, more...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, seed := range fuzzShapes {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := generator.Generate([]generator.Source{{Name: "fuzz.yaml", Data: data}}, generator.Config{Package: "fuzz"})
		if err != nil {
			var list descriptor.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, not a descriptor error: %v", err, err)
			}
			return
		}
		typeCheck(t, out)
		noDirectives(t, out)
		doc, err := generator.OpenAPI([]generator.Source{{Name: "fuzz.yaml", Data: data}}, generator.Config{Package: "fuzz"})
		if err != nil || !json.Valid(doc) {
			t.Fatalf("descriptor generates Go but no OpenAPI document (%v):\n%s", err, doc)
		}
	})
}

// fuzzShapes seed FuzzGenerate with the shapes that once crashed or
// drifted: struct cycles by value (through two types, an inline object, a
// callback) and integer bounds at the edges of int, int64 and float64.
var fuzzShapes = []string{
	"types:\n  A: {doc: A., fields: [{name: B, type: B, doc: B.}]}\n  B: {doc: B., fields: [{name: A, type: A, doc: A.}]}\n",
	"types:\n  A: {doc: A., fields: [{name: B, type: B, doc: B.}]}\n  B: {doc: B., fields: [{name: C, type: C, doc: C.}]}\n  C: {doc: C., fields: [{name: A, type: A, doc: A.}]}\n",
	"types:\n  T: {doc: T., fields: [{name: I, type: object, doc: I., fields: [{name: T, type: T, doc: T.}]}]}\n",
	"types:\n  S: {doc: S., fields: [{name: S, type: S, doc: S.}]}\ncallbacks:\n  - {name: Done, doc: D., fields: [{name: S, type: S, doc: S.}]}\n",
	"service: B\napis:\n  - name: Set\n    path: /set\n    doc: D.\n    idempotent: true\n    request:\n      fields:\n" +
		"        - {name: A, type: int64, min: -9223372036854775808, max: 9223372036854775807, doc: A.}\n" +
		"        - {name: B, type: int, min: -2147483648, max: 2147483647, doc: B.}\n" +
		"        - {name: C, type: int, max: 2147483648, doc: C.}\n" +
		"        - {name: D, type: float, min: 1e-400, max: 1e400, doc: D.}\n" +
		"        - {name: E, type: int64, min: 9007199254740993, max: 9223372036854775808, doc: E.}\n",
	"enums:\n  E: {type: int, doc: E., values: [{value: 4294967296, name: Big}, {value: -2147483648, name: Low}]}\n",
}

// noDirectives fails t when output holds a block comment or a line
// comment without a space after "//": directives (//go:generate, //line,
// //export) take that form, and ivhgen writes none, so descriptor text can
// never smuggle one in.
func noDirectives(t *testing.T, out []generator.OutputFile) {
	t.Helper()
	if err := directiveErr(out); err != nil {
		t.Fatal(err)
	}
}

func directiveErr(out []generator.OutputFile) error {
	for _, o := range out {
		fset := token.NewFileSet()
		file := fset.AddFile(o.Name, -1, len(o.Data))
		var sc scanner.Scanner
		sc.Init(file, o.Data, nil, scanner.ScanComments)
		for {
			pos, tok, lit := sc.Scan()
			if tok == token.EOF {
				break
			}
			if tok == token.COMMENT && (strings.HasPrefix(lit, "/*") || len(lit) > 2 && lit[2] != ' ' && lit[2] != '\t') {
				return fmt.Errorf("%s: directive-like comment %q", fset.Position(pos), lit)
			}
		}
	}
	return nil
}

// checker type-checks generated files against the real runtime package,
// read from the export data the go command keeps in its build cache.
var checker = struct {
	once sync.Once
	imp  types.Importer
	err  error
}{}

// exportImporter returns an importer over the export data of the packages
// generated code imports and all their dependencies.
func exportImporter() (types.Importer, error) {
	out, err := exec.Command("go", "list", "-export", "-deps", "-f", "{{.ImportPath}}={{.Export}}",
		"github.com/ivhgen/ivhgen/runtime/ivhrt", "github.com/ivhgen/ivhgen/runtime/ivhimpl", "encoding/json", "net/http", "context", "iter", "strconv", "maps", "slices").Output()
	if err != nil {
		return nil, err
	}
	exports := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if path, file, ok := strings.Cut(line, "="); ok && file != "" {
			exports[path] = file
		}
	}
	lookup := func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	}
	return importer.ForCompiler(token.NewFileSet(), "gc", lookup), nil
}

// typeCheck fails t unless the files parse and type-check as one package,
// so the fuzz target catches output that parses but would not compile.
func typeCheck(t *testing.T, out []generator.OutputFile) {
	t.Helper()
	checker.once.Do(func() { checker.imp, checker.err = exportImporter() })
	if checker.err != nil {
		t.Skipf("cannot type-check without the go command: %v", checker.err)
	}
	if err := typeCheckErr(out); err != nil {
		var all []byte
		for _, o := range out {
			all = append(all, o.Data...)
		}
		t.Fatalf("generated code does not compile: %v\n%s", err, all)
	}
}

func typeCheckErr(out []generator.OutputFile) error {
	fset := token.NewFileSet()
	var files []*ast.File
	for _, o := range out {
		f, err := parser.ParseFile(fset, o.Name, o.Data, parser.ParseComments)
		if err != nil {
			return err
		}
		files = append(files, f)
	}
	// 386 sizes: a constant over 32 bits in an int context is then an
	// error here, as it is for GOARCH=386 builds.
	conf := types.Config{Importer: checker.imp, Sizes: types.SizesFor("gc", "386")}
	_, err := conf.Check("fuzz", fset, files, nil)
	return err
}

// TestGoldenOutputsTypeCheck runs the fuzz target's check on every golden
// success case, so the check itself is known to accept good output.
func TestGoldenOutputsTypeCheck(t *testing.T) {
	for _, name := range []string{"fullclient", "hardening", "variants"} {
		out, err := generator.Generate(loadCase(t, name), generator.Config{Package: name})
		if err != nil {
			t.Fatal(err)
		}
		typeCheck(t, out)
		noDirectives(t, out)
	}
	broken := generator.OutputFile{Name: "broken.go", Data: []byte("package fuzz\n\nimport \"github.com/ivhgen/ivhgen/runtime\"\n\nvar _ ivhrt.Code = \"not a code\"\n")}
	if err := typeCheckErr([]generator.OutputFile{broken}); err == nil {
		t.Error("the type check accepted code that does not compile")
	}
	for _, src := range []string{"package p\n\n//go:generate rm x\n", "package p\n\n/* block */\n", "package p\n\n//line x.go:1\n"} {
		if directiveErr([]generator.OutputFile{{Name: "d.go", Data: []byte(src)}}) == nil {
			t.Errorf("the directive check accepted %q", src)
		}
	}
}

// TestReadmeWorkedExample keeps the worked example of spec/README.md valid.
func TestReadmeWorkedExample(t *testing.T) {
	readme, err := os.ReadFile("../spec/README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := bytes.Cut(readme, []byte("## Worked example"))
	if !ok {
		t.Fatal("README has no worked example")
	}
	_, rest, _ = bytes.Cut(rest, []byte("```yaml\n"))
	example, _, ok := bytes.Cut(rest, []byte("```"))
	if !ok {
		t.Fatal("worked example is not a yaml block")
	}
	out, err := generator.Generate([]generator.Source{{Name: "video.yaml", Data: example}}, generator.Config{Package: "ivh"})
	if err != nil {
		t.Fatal(err)
	}
	var api []byte
	for _, o := range out {
		if o.Name == "video_api.go" {
			api = o.Data
		}
	}
	for _, want := range []string{"func (c *VideoClient) WaitVideoMake(", "case TaskStatusFail:", "InputSSML ivhrt.Opt[string]"} {
		if !bytes.Contains(api, []byte(want)) {
			t.Errorf("video_api.go lacks %q", want)
		}
	}
}
