// Package ivhcli is the ivh command (see cmd/ivh for its documentation):
// runtime/ivhcli over the committed package generated/ivh, plus the
// commands that only its APIs support (session, batch, batch-status,
// fake). It is kept out of package main so that a build with more
// dependencies, such as runtime/ivhotel/cmd/ivh with OpenTelemetry, can
// reuse it.
package ivhcli

import (
	"fmt"
	"io"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
	cli "github.com/ivhgen/ivhgen/runtime/ivhcli"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// Extension is what a build of ivh adds to the command.
type Extension struct {
	// Trace, when set, serves -trace FILE: it returns hooks that record the
	// run's spans, and a flush that writes them to the file at the end.
	Trace func(file string) (hooks ivhrt.Hooks, flush func() error, err error)
}

// environment is what a command of this package gets.
type environment = *cli.Env

// The exit codes of runtime/ivhcli.
const (
	exitUsage      = cli.ExitUsage
	exitConfig     = cli.ExitConfig
	exitTransport  = cli.ExitTransport
	exitUnfinished = cli.ExitUnfinished
)

// App is the ivh command.
func App(ext Extension) cli.App[*ivh.Client] {
	return cli.App[*ivh.Client]{
		Name:       "ivh",
		Operations: Operations(),
		NewClient:  ivh.NewClient,
		StartFake:  func() (cli.Fake[*ivh.Client], error) { return startFake() },
		Commands: map[string]cli.Command{
			"session": sessionCommand, "fake": fakeCommand, "batch": batchCommand, "batch-status": statusCommand,
		},
		Usage: `  ivh session -project ID | -asset KEY   open a session, send stdin lines as text
  ivh batch -journal FILE [-in FILE]     run many tasks under the quotas, resumably
  ivh batch-status -journal FILE         print a batch journal
  ivh fake [-addr HOST:PORT]             serve the simulating fake gateway
`,
		Trace: ext.Trace,
	}
}

// Operations is the API table of generated/ivh in runtime/ivhcli's form.
func Operations() []cli.Operation[*ivh.Client] {
	var ops []cli.Operation[*ivh.Client]
	for _, op := range ivhtest.Operations() {
		ops = append(ops, cli.Operation[*ivh.Client](op))
	}
	return ops
}

func startFake() (cli.Fake[*ivh.Client], error) {
	srv, err := ivhtest.Start()
	if err != nil {
		return nil, err
	}
	return srv, nil
}

// Main runs ivh with the process's arguments and streams and returns its
// exit code.
func Main(ext Extension) int { return cli.Main(App(ext)) }

// Run runs ivh with args and the given streams, none of them a terminal,
// and returns its exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer, ext Extension) int {
	return cli.Run(App(ext), args, stdin, stdout, stderr)
}

func fail(code int, format string, args ...any) error {
	return cli.Exit(code, fmt.Errorf(format, args...))
}
