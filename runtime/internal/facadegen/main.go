// Command facadegen writes the two public faces of runtime/internal/core:
// runtime/ivhrt (the user API) and runtime/ivhimpl (the API of generated
// code only), and the re-export file that ivhgen copies into every generated
// package. Each identifier's audience is decided once, in audience.go; a
// test fails when the committed files are stale or an identifier has none.
//
//	go run ./runtime/internal/facadegen   (from the module root)
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	root := flag.String("root", ".", "the module root")
	flag.Parse()
	if err := run(*root); err != nil {
		fmt.Fprintln(os.Stderr, "facadegen:", err)
		os.Exit(1)
	}
}

// run writes every output under root, the module root.
func run(root string) error {
	outs, err := render(root)
	if err != nil {
		return err
	}
	for _, o := range outs {
		if err := os.WriteFile(o.path(root), o.src, 0o644); err != nil {
			return err
		}
	}
	return nil
}
