// Ivhgen generates the typed Go client of the aPaaS API from YAML
// descriptors (see spec/README.md for the format).
//
// Usage:
//
//	ivhgen [flags]
//
// With no flags it reads the descriptors embedded in the binary (spec/*.yaml
// of the module) and writes package ivh to generated/ivh. The committed
// client regenerates with `go generate ./generated/...`, through this line in
// generated/ivh/doc.go:
//
//	//go:generate go run ../../cmd/ivhgen -out .
//
// The flags are:
//
//	-spec files    comma-separated descriptor files or directories (default: embedded)
//	-out dir       output directory (default generated/ivh)
//	-package name  Go package name (default ivh)
//	-fake          also generate the typed fake gateway package <name>test in <dir>/<name>test (default true)
//	-import path   import path of the output package, for the fake gateway's import (default: from go.mod)
//	-check         regenerate in memory, print a unified diff of stale files, exit 1 if any
//	-compat        write nothing; compare the Go API of the committed package (and of
//	               its fake) with the one the descriptors would produce, using
//	               golang.org/x/exp/apidiff, print every change on standard output,
//	               and exit 1 when one is incompatible (a removed field, a changed type)
//	-allow-breaking with -compat, print incompatible changes but exit 0
//	-n, -validate  read and check the descriptors, write nothing; exit 1 on any problem
//	-openapi file  also write an OpenAPI 3.1 document of the APIs to file
//	-cli dir       also write dir/main.go: a command line for the package, named
//	               after dir, over runtime/ivhcli; go run ./dir list, help <API>,
//	               schema <API>, <API> -d JSON, -wait, -all, -fake (see below)
//	-schema file   write the descriptor JSON Schema (spec/descriptor.schema.json) to
//	               file, "-" for standard output, and exit; editors then validate
//	               descriptors that start with
//	               # yaml-language-server: $schema=./descriptor.schema.json
//	-version       print the version and exit: the module version when installed or
//	               required at one (go get -tool ...@v1.2.0), else "(devel)" and the VCS revision
//
// -check, -compat and -n are modes of their own: any two together are
// misuse (exit 2), so none of them is skipped silently.
//
// The version is never written into generated files.
//
// The command line of -cli is to a generated package what cmd/ivh is to
// generated/ivh: "go run ./cmd/greet list" lists the APIs, "help <API>"
// prints a request's fields and an example payload, "schema <API>" its JSON
// Schema, "<API> -d JSON" calls one (-wait polls the task it starts, -all
// walks every page of a paged API), and -fake runs it against the
// package's fake gateway without credentials. JSON goes to standard output,
// progress and errors to standard error; the exit codes are in
// "go run ./cmd/greet -h". It is regenerated, and checked by -check, with
// the package.
//
// The fake gateway package (package ivhtest for package ivh) serves every
// API with typed handlers and simulated defaults on top of runtime/fakegw,
// and lists every API in Operations; see its package doc.
//
// A directory given to -spec contributes each regular file whose name ends
// in .yaml and does not start with a dot; a file named .yml or .YAML, a
// hidden .x.yaml or a directory named x.yaml there is an error, never
// skipped. Name any other file explicitly. Headers name each descriptor by
// its path relative to the module that holds -out, or by its base name when
// it lies outside that module.
//
// Only files whose bytes change are written. Generated files in the output
// directory that the descriptors no longer produce are removed, but only
// after a fully successful run, and only files that start with the ivhgen
// header; tests and hand-written files are never touched. That includes a
// fake gateway directory <name>test left by a run with another -package or
// with -fake; it is removed once empty. A run locks -out while it writes,
// so concurrent runs take turns. -openapi never replaces a Go file, a
// descriptor, a directory or a file that is not an OpenAPI document ivhgen
// wrote. Descriptor errors read file:line:col: message. The exit code is 2
// for misuse (an unknown flag, a bad flag value) and 1 for any other
// failure (a descriptor problem, an I/O error, an internal error).
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/ivhgen/ivhgen/internal/buildversion"
)

func usage() {
	fmt.Fprintf(os.Stderr, "Usage of ivhgen:\n")
	fmt.Fprintf(os.Stderr, "\tivhgen [-spec files] [-out dir] [-package name] [-fake=false] [-import path] [-check] [-compat [-allow-breaking]] [-n] [-cli dir] [-openapi file] [-schema file] [-version]\n")
	fmt.Fprintf(os.Stderr, "For more information, see:\n\tgo doc github.com/ivhgen/ivhgen/cmd/ivhgen\n")
	fmt.Fprintf(os.Stderr, "Flags:\n")
	flag.PrintDefaults()
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("ivhgen: ")
	var o options
	flag.StringVar(&o.spec, "spec", "", "comma-separated descriptor `files` or directories (default: the embedded spec/*.yaml)")
	flag.StringVar(&o.out, "out", "generated/ivh", "output `dir`ectory")
	flag.StringVar(&o.pkg, "package", "ivh", "Go package `name`")
	flag.BoolVar(&o.fake, "fake", true, "also generate the typed fake gateway package <name>test in <dir>/<name>test")
	flag.StringVar(&o.importPath, "import", "", "import `path` of the output package (default: derived from go.mod)")
	flag.BoolVar(&o.check, "check", false, "print a diff of stale files and exit 1 instead of writing")
	flag.StringVar(&o.cli, "cli", "", "also write `dir`/main.go, a command line for the package (list, help, calls, -wait, -all, -fake)")
	flag.BoolVar(&o.compat, "compat", false, "list the changes regenerating would make to the committed package's Go API; exit 1 on an incompatible one")
	flag.BoolVar(&o.allowBreaking, "allow-breaking", false, "with -compat, list incompatible changes but exit 0")
	flag.StringVar(&o.openapi, "openapi", "", "also write an OpenAPI 3.1 document to `file`")
	flag.BoolVar(&o.validate, "validate", false, "read and check the descriptors without writing anything")
	flag.BoolVar(&o.validate, "n", false, "short for -validate")
	showVersion := flag.Bool("version", false, "print the version and exit")
	schema := flag.String("schema", "", "write the descriptor JSON Schema to `file` (- for standard output) and exit")
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() > 0 {
		log.Printf("unexpected arguments: %s", strings.Join(flag.Args(), " "))
		flag.Usage()
		os.Exit(2)
	}
	if *showVersion {
		fmt.Println("ivhgen", buildversion.String())
		return
	}
	if *schema != "" {
		if err := writeSchema(*schema, os.Stdout); err != nil {
			log.Fatal(err)
		}
		return
	}
	os.Exit(run(o, os.Stdout))
}
