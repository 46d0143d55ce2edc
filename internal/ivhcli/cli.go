// Package ivhcli is the ivh command (see cmd/ivh for its documentation),
// kept out of package main so that a build with more dependencies, such as
// runtime/ivhotel/cmd/ivh with OpenTelemetry, can reuse it.
package ivhcli

import (
	"io"
	"os"

	"golang.org/x/term"

	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// Extension is what a build of ivh adds to the command.
type Extension struct {
	// Trace, when set, serves -trace FILE: it returns hooks that record the
	// run's spans, and a flush that writes them to the file at the end.
	Trace func(file string) (hooks ivhrt.Hooks, flush func() error, err error)
}

// Main runs ivh with the process's arguments and streams and returns its
// exit code.
func Main(ext Extension) int {
	return run(environment{
		args:     os.Args[1:],
		stdin:    os.Stdin,
		stdout:   os.Stdout,
		stderr:   os.Stderr,
		ttyIn:    term.IsTerminal(int(os.Stdin.Fd())),
		ttyErr:   term.IsTerminal(int(os.Stderr.Fd())),
		errWidth: width(int(os.Stderr.Fd())),
		ext:      ext,
	})
}

// Run runs ivh with args and the given streams, none of them a terminal,
// and returns its exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer, ext Extension) int {
	return run(environment{args: args, stdin: stdin, stdout: stdout, stderr: stderr, errWidth: 80, ext: ext})
}

func width(fd int) int {
	if w, _, err := term.GetSize(fd); err == nil && w > 0 {
		return w
	}
	return 80
}
