package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"log"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"strings"
	"unicode"

	"github.com/ivhgen/ivhgen/generator"
	"github.com/ivhgen/ivhgen/generator/descriptor"
	"github.com/ivhgen/ivhgen/generator/emit"
	"github.com/ivhgen/ivhgen/generator/model"
	"github.com/ivhgen/ivhgen/generator/naming"
	"github.com/ivhgen/ivhgen/generator/openapi"
	"github.com/ivhgen/ivhgen/spec"
)

type options struct {
	spec, out, pkg, openapi string
	cli                     string // directory of the command's main.go, or ""
	importPath              string // of the output package; derived from go.mod when empty
	check, fake, validate   bool
	compat, allowBreaking   bool // report API changes (-compat); exit 0 on a break (-allow-breaking)
}

// usageError is a bad flag value: the exit code is 2, as for a bad flag.
type usageError struct{ error }

// usagef returns a usageError with a formatted message.
func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// exitCode is 2 for misuse and 1 for any other failure.
func exitCode(err error) int {
	if errors.As(err, new(usageError)) {
		return 2
	}
	return 1
}

// run generates and writes or checks; it returns the exit code.
func run(o options, stdout io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("internal error (a generator bug, please report it): %v\n%s", r, debug.Stack())
			code = 1
		}
	}()
	if err := checkOptions(o); err != nil {
		log.Print(err)
		return exitCode(err)
	}
	files, code := generate(o)
	if code != 0 || o.validate {
		return code
	}
	w := writer{dir: o.out, openapi: o.openapi, subdirs: []string{"."}, cli: cliDir(o)}
	if o.fake {
		w.subdirs = append(w.subdirs, model.FakeName(o.pkg))
	}
	if o.compat {
		return w.compat(files, o.allowBreaking, stdout)
	}
	if o.check {
		return w.check(files, stdout)
	}
	if err := w.write(files); err != nil {
		log.Print(err)
		return exitCode(err)
	}
	return 0
}

// generate reads the descriptors and renders every output file.
func generate(o options) ([]generator.OutputFile, int) {
	srcs, err := sources(o.spec, o.out)
	if err != nil {
		log.Print(err)
		return nil, exitCode(err)
	}
	cfg := generator.Config{Package: o.pkg}
	if o.fake {
		ip, ierr := importPath(o)
		if ierr != nil && o.validate {
			// Nothing is written, so any valid path checks the fake.
			ip, ierr = "validate.invalid/"+o.pkg, nil
		}
		if ierr != nil {
			// Descriptor errors come first; they are what the user fixes.
			if _, err := generator.Model(srcs, cfg); err != nil {
				report(err, o.out)
			} else {
				log.Print(ierr)
			}
			return nil, 1
		}
		cfg.ImportPath = ip
		cfg.CLI = cliDir(o)
	}
	files, err := generator.Generate(srcs, cfg)
	if err != nil {
		report(err, o.out)
		return nil, 1
	}
	if o.openapi == "" {
		return files, 0
	}
	if err := openapiClash(o, files, srcs); err != nil {
		log.Print(err)
		return nil, exitCode(err)
	}
	doc, err := generator.OpenAPI(srcs, generator.Config{Package: o.pkg})
	if err != nil {
		report(err, o.out)
		return nil, 1
	}
	return append(files, generator.OutputFile{Name: o.openapi, Data: doc}), 0
}

// checkOptions rejects bad flag values before anything is read or written.
func checkOptions(o options) error {
	if err := naming.CheckPackage(o.pkg); err != nil {
		return usageError{fmt.Errorf("-package: %w", err)}
	}
	if o.fake {
		if err := model.CheckFakeName(o.pkg); err != nil {
			return usageError{fmt.Errorf("-package: %w", err)}
		}
	}
	if o.importPath != "" {
		if err := checkImportPath(o.importPath); err != nil {
			return usagef("-import %q: %v", o.importPath, err)
		}
	}
	if o.allowBreaking && !o.compat {
		return usagef("-allow-breaking applies to -compat")
	}
	// Each of these modes exits before the next would run: combined, one
	// would be skipped silently (-compat -n passing a breaking change).
	switch {
	case o.compat && o.check:
		return usagef("-compat and -check do not go together; run one after the other")
	case o.compat && o.validate:
		return usagef("-compat and -n (-validate) do not go together: -compat writes nothing either")
	case o.check && o.validate:
		return usagef("-check and -n (-validate) do not go together: -check writes nothing either")
	}
	if err := checkCLI(o); err != nil {
		return err
	}
	if o.openapi == "-" {
		return usagef("-openapi -: the document goes to a file, not standard output; name a file")
	}
	if st, err := os.Stat(o.out); err == nil && !st.IsDir() {
		return usagef("-out %s is a file, not a directory", o.out)
	}
	if o.spec != "" {
		if _, err := specPaths(o.spec); err != nil {
			return err
		}
	}
	return nil
}

// checkCLI rejects a -cli directory that cannot hold a main package of
// its own: without the fake, or the package's or the fake's directory.
func checkCLI(o options) error {
	if o.cli == "" {
		return nil
	}
	if !o.fake {
		return usagef("-cli %s needs the fake gateway package (-fake), which holds the API table", o.cli)
	}
	switch rel := cliDir(o); rel {
	case ".", model.FakeName(o.pkg):
		return usagef("-cli %s is the directory of a generated package; name a directory of its own, such as cmd/%s", o.cli, o.pkg)
	case "":
		return usagef("-cli %s: cannot place it relative to -out %s", o.cli, o.out)
	}
	// The command is named after its directory's last element and built
	// by import path: a -cli that is an ancestor of -out, lies outside
	// -out's module or is no import path element would get a main that
	// names itself ".." or does not build (and breaks go build ./...).
	if path.Base(cliDir(o)) == ".." {
		return usagef("-cli %s holds -out %s; name a directory of its own, such as cmd/%s", o.cli, o.out, o.pkg)
	}
	out, err1 := filepath.Abs(o.out)
	cli, err2 := filepath.Abs(o.cli)
	if err := errors.Join(err1, err2); err != nil {
		return usagef("-cli %s: %v", o.cli, err)
	}
	if root := moduleRoot(out); root != "" {
		rel, err := filepath.Rel(root, cli)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return usagef("-cli %s is outside the module of -out (%s); its main could not import the package", o.cli, root)
		}
		if err := checkImportPath(filepath.ToSlash(rel)); err != nil {
			return usagef("-cli %s: its import path %v", o.cli, err)
		}
	} else if err := checkImportPath(filepath.Base(cli)); err != nil {
		return usagef("-cli %s: its import path %v", o.cli, err)
	}
	return otherPackage(o.cli, cli)
}

// otherPackage rejects a -cli directory that holds a package other than
// main (another generated package, a library): a main.go there would
// break its build.
func otherPackage(flagValue, dir string) error {
	files, err := goFiles(dir)
	if err != nil {
		return usagef("-cli %s: %v", flagValue, err)
	}
	for _, p := range files {
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.PackageClauseOnly)
		if err != nil {
			continue // not Go enough to name a package; the build reports it
		}
		if name := f.Name.Name; name != "main" && name != "main_test" {
			return usagef("-cli %s holds package %s (%s); a main.go there would break its build: name a directory of its own", flagValue, name, filepath.Base(p))
		}
	}
	return nil
}

// cliDir is the -cli directory relative to -out, slash-separated, or "".
func cliDir(o options) string {
	if o.cli == "" {
		return ""
	}
	out, err1 := filepath.Abs(o.out)
	cli, err2 := filepath.Abs(o.cli)
	rel, err3 := filepath.Rel(out, cli)
	if err := errors.Join(err1, err2, err3); err != nil {
		return ""
	}
	return filepath.ToSlash(rel)
}

// checkImportPath accepts what the go command accepts as an import path:
// slash-separated elements of ASCII letters, digits and - . _ ~ +.
func checkImportPath(p string) error {
	for _, elem := range strings.Split(p, "/") {
		switch {
		case elem == "":
			return errors.New("has an empty path element")
		case elem == "." || elem == "..":
			return fmt.Errorf("has the path element %q", elem)
		case strings.HasPrefix(elem, "."):
			return fmt.Errorf("has the element %q, which starts with a dot", elem)
		}
		for _, r := range elem {
			if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-._~+", r)) {
				return fmt.Errorf("holds %q; an import path has ASCII letters, digits and - . _ ~ + between slashes", r)
			}
		}
	}
	return nil
}

// openapiClash rejects an -openapi path that would destroy a file: a Go
// file of the run or any other Go file, an input descriptor, a directory, or
// an existing file that is not an OpenAPI document ivhgen wrote. It runs
// before anything is written.
func openapiClash(o options, files []generator.OutputFile, srcs []generator.Source) error {
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
			return usagef("-openapi %s is also the path of generated %s; choose another file", o.openapi, f.Name)
		}
	}
	if strings.HasSuffix(o.openapi, ".go") {
		return usagef("-openapi %s names a Go file; choose a .json file", o.openapi)
	}
	return existingClash(o.openapi, srcs)
}

// existingClash rejects an -openapi path that exists and is not a document
// an earlier run wrote.
func existingClash(openapiPath string, srcs []generator.Source) error {
	st, err := os.Stat(openapiPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	for _, s := range srcs {
		if in, err := os.Stat(s.Path); err == nil && os.SameFile(in, st) {
			return usagef("-openapi %s is the descriptor %s; choose another file", openapiPath, s.Name)
		}
	}
	if st.IsDir() {
		return usagef("-openapi %s is a directory; name a file", openapiPath)
	}
	if data, err := os.ReadFile(openapiPath); err != nil || !isOurOpenAPI(data) {
		return usagef("-openapi %s exists and is not an OpenAPI document ivhgen wrote; remove it or choose another file", openapiPath)
	}
	return nil
}

// isOurOpenAPI reports whether data is a JSON document with the ivhgen
// extension key, so overwriting it loses nothing.
func isOurOpenAPI(data []byte) bool {
	var doc map[string]json.RawMessage
	if json.Unmarshal(data, &doc) != nil {
		return false
	}
	_, ok := doc[openapi.MarkerKey]
	return ok
}

// report prints descriptor errors one per line and keeps a .dump of a file
// that failed to format.
func report(err error, out string) {
	var list descriptor.ErrorList
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
// ones. Names, used in messages and headers, are relative to the module
// that holds out, or base names for files outside it, so no header carries
// a local absolute path or depends on the working directory.
func sources(flagValue, out string) ([]generator.Source, error) {
	if flagValue == "" {
		return generator.LoadFS(spec.Files, "spec")
	}
	paths, err := specPaths(flagValue)
	if err != nil {
		return nil, err
	}
	srcs, err := generator.Load(paths)
	if err != nil {
		return nil, err
	}
	root := ""
	if abs, err := filepath.Abs(out); err == nil {
		root = moduleRoot(abs)
	}
	for i := range srcs {
		srcs[i].Name = sourceName(root, srcs[i].Path)
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
			return nil, usagef("-spec %q has an empty entry; separate descriptor files or directories with single commas", v)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// moduleRoot is the nearest directory at or above dir that holds go.mod,
// or "".
func moduleRoot(dir string) string {
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

// sourceName is p relative to root in slash form, or its base name when it
// lies outside root.
func sourceName(root, p string) string {
	abs, err := filepath.Abs(p)
	if root == "" || err != nil {
		return filepath.Base(p)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.Base(p)
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
