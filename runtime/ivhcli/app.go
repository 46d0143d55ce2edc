package ivhcli

import (
	"context"
	"fmt"
	"io"
	"iter"
	"os"

	"golang.org/x/term"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// App is one command line over one generated package, whose client type
// is C (*apaas.Client).
type App[C any] struct {
	// Name is the command's name, as users type it ("ivh", "apaas"); it
	// starts every error and progress line.
	Name string
	// Operations is the package's API table: <pkg>test.Operations(),
	// each converted with Operation[C](op).
	Operations []Operation[C]
	// NewClient is the package's NewClient.
	NewClient func(appKey, accessToken string, opts ...ivhrt.Option) (C, error)
	// StartFake starts the package's fake gateway (<pkg>test.Start); nil
	// makes -fake an error.
	StartFake func() (Fake[C], error)
	// Commands are subcommands beyond the built-in ones, by name; they run
	// before the API names are looked up.
	Commands map[string]Command
	// Usage lines of Commands, printed in the usage after the built-in ones.
	Usage string
	// Trace, when set, serves -trace FILE: it returns hooks that record the
	// run's spans, and a flush that writes them to the file at the end.
	Trace func(file string) (hooks ivhrt.Hooks, flush func() error, err error)
}

// Operation describes one API of a generated package whose client type is
// C. It has the fields of the generated <pkg>test.Operation in the same
// order, so Operation[*pkg.Client](op) converts one.
type Operation[C any] struct {
	Name          string // Go method name, e.g. VideoMake
	Service       string // Client field holding the method
	Method        string // HTTP method
	Path          string // wire path
	Doc           string // first sentence of the API's doc
	Deprecated    bool
	RequestSchema string // JSON Schema (draft 2020-12) of the request, compact

	// NewRequest returns a new, empty request.
	NewRequest func() any
	// Call calls the API with a request from NewRequest.
	Call func(context.Context, C, any, ...ivhrt.CallOption) (any, error)
	// Wait, for an API that starts work, polls until the work ends, given the request and
	// response of Call, and returns the last poll response; it is nil for other APIs.
	Wait func(context.Context, C, any, any, ...ivhrt.WaitOption) (any, error)
	// Status, with Wait, returns a wait option reporting every poll to f: its status
	// field as text, and the poll response.
	Status func(f func(status string, poll any)) ivhrt.WaitOption
	// Handle, with Wait, returns the resumable handle of the work a response of Call started.
	Handle func(C, any, string) (ivhrt.TaskHandle, error)
	// WaitHandle, with Wait, waits from a handle alone; it is nil when the poll needs request fields.
	WaitHandle func(context.Context, C, ivhrt.TaskHandle, ...ivhrt.WaitOption) (any, error)
	// Pages, for a paged API, walks every page from page 1 and yields each item; nil otherwise.
	Pages func(context.Context, C, any, ...ivhrt.CallOption) iter.Seq2[any, error]
}

// Fake is what -fake needs of a generated <pkg>test.Server.
type Fake[C any] interface {
	Client(opts ...ivhrt.Option) C
	InjectGlobal(faults ...fakegw.Fault)
	Requests() []fakegw.Recorded
	URL() string
	AppKey() string
	Close()
}

// Env is what a command gets from the outside: its arguments and streams.
type Env struct {
	Args           []string // after the command name
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	TTYIn, TTYErr  bool // whether standard input, standard error are terminals
	ErrWidth       int  // standard error's width in columns
	Name           string
	trace          func(string) (ivhrt.Hooks, func() error, error)
}

// Command is a subcommand of App.Commands; its error's exit code comes
// from Exit, or else from the error's type as for an API call.
type Command func(env *Env, args []string) error

// The exit codes every command shares; see the usage.
const (
	ExitOK         = 0 // success
	ExitAPI        = 1 // the API answered with an error code, or the task failed
	ExitUsage      = 2 // misuse: flags, unknown API, bad payload
	ExitConfig     = 3 // configuration: the IVH_* variables
	ExitTransport  = 4 // transport: network, HTTP status, timeout
	ExitUnknown    = 5 // a batch left inputs with an unknown outcome
	ExitUnfinished = 6 // a wait stopped at -max-wait or by Ctrl-C, or a batch left inputs unfinished
)

// ExitError is an error with the exit code it ends the command with.
type ExitError struct {
	Code int
	Err  error
}

// Error returns the wrapped error's text.
func (e *ExitError) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error.
func (e *ExitError) Unwrap() error { return e.Err }

// Exit returns err with exit code code.
func Exit(code int, err error) error { return &ExitError{Code: code, Err: err} }

// Main runs app with the process's arguments and streams and returns its
// exit code: os.Exit(ivhcli.Main(app)).
func Main[C any](app App[C]) int {
	return run(app, &Env{
		Args:     os.Args[1:],
		Stdin:    os.Stdin,
		Stdout:   os.Stdout,
		Stderr:   os.Stderr,
		TTYIn:    term.IsTerminal(int(os.Stdin.Fd())),
		TTYErr:   term.IsTerminal(int(os.Stderr.Fd())),
		ErrWidth: width(int(os.Stderr.Fd())),
	})
}

// Run runs app with args and the given streams, none of them a terminal,
// and returns its exit code.
func Run[C any](app App[C], args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return run(app, &Env{Args: args, Stdin: stdin, Stdout: stdout, Stderr: stderr, ErrWidth: 80})
}

// Printf writes one line on standard error, prefixed by the command name.
func (e *Env) Printf(format string, args ...any) {
	fmt.Fprintf(e.Stderr, e.Name+": "+format+"\n", args...)
}

// ClientOptions returns the client options -v and -trace ask for, and what
// to run once the command is done (it writes the trace).
func (e *Env) ClientOptions(verbose bool, trace string) ([]ivhrt.Option, func(), error) {
	return observe(e, verbose, trace)
}

func width(fd int) int {
	if w, _, err := term.GetSize(fd); err == nil && w > 0 {
		return w
	}
	return 80
}
