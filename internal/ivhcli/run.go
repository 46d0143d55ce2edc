package ivhcli

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
	"github.com/ivhgen/ivhgen/internal/buildversion"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
	"github.com/ivhgen/ivhgen/runtime/jobs"
)

// The exit codes; see the package doc.
const (
	exitOK        = 0
	exitAPI       = 1
	exitUsage     = 2
	exitConfig    = 3
	exitTransport = 4
	// exitUnfinished: a wait stopped by -max-wait (or an unfinished batch);
	// resume it.
	exitUnfinished = 6
)

// environment is what the process gets from the outside.
type environment struct {
	args           []string
	stdin          io.Reader
	stdout, stderr io.Writer
	ttyIn, ttyErr  bool
	errWidth       int
	ext            Extension
}

// options are the parsed flags.
type options struct {
	data      string
	wait      bool
	poll      time.Duration
	timeout   time.Duration
	fake      bool
	fakeFault int
	verbose   bool
	trace     string
	maxWait   time.Duration
	out       string
	version   bool
}

// failure is an error with its exit code.
type failure struct {
	code int
	err  error
}

func (f *failure) Error() string { return f.err.Error() }

func fail(code int, format string, args ...any) error {
	return &failure{code: code, err: fmt.Errorf(format, args...)}
}

func run(env environment) int {
	err := dispatch(env)
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	fmt.Fprintln(env.stderr, "ivh: "+oneLine(err.Error()))
	return exitCode(err)
}

func newFlags(env environment, o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("ivh", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.StringVar(&o.data, "d", "", "request `JSON`, or @file (default: standard input when it is not a terminal)")
	fs.BoolVar(&o.wait, "wait", false, "poll an async API until its task or session ends")
	fs.DurationVar(&o.maxWait, "max-wait", 9*time.Minute, "with -wait, stop waiting after this `duration` and print the handle to resume with (ivh wait HANDLE)")
	fs.StringVar(&o.out, "o", "", "with -wait, download the result (MediaUrl) to this `file`, atomically")
	fs.DurationVar(&o.poll, "poll", 0, "first poll `interval` for -wait (default: the runtime's; 100ms with -fake)")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "give up after this `duration`")
	fs.BoolVar(&o.fake, "fake", false, "use an in-process fake gateway; no credentials needed")
	fs.IntVar(&o.fakeFault, "fake-fault", 0, "with -fake, answer the call with this error `code`")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	observeFlags(fs, &o.verbose, &o.trace)
	fs.Usage = func() {} // dispatch prints the usage: to stdout when asked for, else to stderr
	return fs
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `Usage:
  ivh list                               list every API
  ivh [flags] <api> [-d JSON | -d @file] call an API by name
  ivh session -project ID | -asset KEY   open a session, send stdin lines as text
  ivh wait HANDLE                        resume a wait from a task handle
  ivh batch -journal FILE [-in FILE]     run many tasks under the quotas, resumably
  ivh batch-status -journal FILE         print a batch journal
  ivh fake [-addr HOST:PORT]             serve the simulating fake gateway

Credentials: IVH_APPKEY, IVH_ACCESS_TOKEN; endpoint: IVH_ENDPOINT
("international", the default, "mainland", or a base URL). -fake needs none.

Exit codes: 0 success; 1 API error or failed task; 2 misuse (flags, unknown
API, bad payload); 3 configuration (IVH_* variables); 4 transport (network,
HTTP status, timeout); 6 -wait stopped at -max-wait (default 9m): resume with
the printed ivh wait HANDLE.

Flags:
`)
	prev := fs.Output()
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(prev)
}

// dispatch parses the command line and runs the command. Flags may come
// before and after the command name.
func dispatch(env environment) error {
	if len(env.args) > 0 {
		switch env.args[0] {
		case "session":
			return sessionCommand(env, env.args[1:])
		case "fake":
			return fakeCommand(env, env.args[1:])
		case "batch":
			return batchCommand(env, env.args[1:])
		case "batch-status":
			return statusCommand(env, env.args[1:])
		case "wait":
			return waitCommand(env, env.args[1:])
		}
	}
	var o options
	fs := newFlags(env, &o)
	if err := fs.Parse(env.args); err != nil {
		return helpOrUsageErr(env, fs, err)
	}
	if o.version {
		fmt.Fprintln(env.stdout, "ivh", buildversion.String())
		return nil
	}
	if fs.NArg() == 0 {
		usage(env.stderr, fs)
		return fail(exitUsage, "no command; run ivh list to see the APIs")
	}
	name := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return helpOrUsageErr(env, fs, err)
	}
	if fs.NArg() > 0 {
		return fail(exitUsage, "unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if name == "list" {
		return list(env.stdout)
	}
	if name == "help" {
		usage(env.stdout, fs)
		return nil
	}
	op, err := lookup(name)
	if err != nil {
		return err
	}
	return call(env, o, op)
}

// usageErr makes a flag parse error of a subcommand misuse; -h passes.
func usageErr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return &failure{code: exitUsage, err: err}
}

// helpOrUsageErr handles a flag parse error of the top-level flags: -h and
// -help print the usage on stdout and succeed; a bad flag prints it on
// stderr and is misuse.
func helpOrUsageErr(env environment, fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		usage(env.stdout, fs)
		return err
	}
	usage(env.stderr, fs)
	return &failure{code: exitUsage, err: err}
}

// list prints every API: name, path and first sentence of its doc.
func list(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, op := range ivhtest.Operations() {
		doc := op.Doc
		if op.Wait != nil {
			doc += " [-wait]"
		}
		if op.Deprecated {
			doc = "(deprecated) " + doc
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", op.Name, op.Path, doc)
	}
	return tw.Flush()
}

// lookup finds an API by name, ignoring case.
func lookup(name string) (ivhtest.Operation, error) {
	var near []string
	for _, op := range ivhtest.Operations() {
		if strings.EqualFold(op.Name, name) {
			return op, nil
		}
		if strings.Contains(strings.ToLower(op.Name), strings.ToLower(name)) {
			near = append(near, op.Name)
		}
	}
	hint := "; run ivh list to see the APIs"
	if len(near) > 0 && len(near) <= 5 {
		hint = "; did you mean " + strings.Join(near, ", ") + "?"
	}
	return ivhtest.Operation{}, fail(exitUsage, "unknown API %q%s", name, hint)
}

// checkFlags rejects flag values that would fail late or be ignored: a
// timeout that is already over, a negative poll interval.
func checkFlags(o options) error {
	switch {
	case o.fakeFault != 0 && !o.fake:
		return fail(exitUsage, "-fake-fault needs -fake")
	case o.timeout <= 0:
		return fail(exitUsage, "-timeout %v must be positive", o.timeout)
	case o.poll < 0:
		return fail(exitUsage, "-poll %v must not be negative (0 keeps the default)", o.poll)
	}
	return nil
}

// call decodes the payload, builds the client, calls the API and, with
// -wait, waits for its task.
func call(env environment, o options, op ivhtest.Operation) error {
	if o.wait && op.Wait == nil {
		return fail(exitUsage, "%s starts no task; -wait applies to the APIs marked [-wait] in ivh list", op.Name)
	}
	if err := checkFlags(o); err != nil {
		return err
	}
	req, err := readRequest(env, o.data, op)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()

	obs, finish, err := observe(env, o.verbose, o.trace)
	if err != nil {
		return err
	}
	defer finish()
	c, done, err := connect(env, &o, obs)
	if err != nil {
		return err
	}
	defer done()
	rid := newRequestID() // our own, so the handle carries it
	resp, err := op.Call(ctx, c, req, ivhrt.WithRequestID(rid))
	if err != nil {
		return err
	}
	if !o.wait {
		return printJSON(env.stdout, resp)
	}
	reportStarted(env.stderr, op.Name, resp)
	defer warnOpenSession(env.stderr, resp, o.fake)
	waitFor := func(ctx context.Context, opts ...ivhrt.WaitOption) (any, error) {
		return op.Wait(ctx, c, req, resp, opts...)
	}
	if h, err := op.Handle(c, resp, rid); err == nil && op.WaitHandle != nil {
		fmt.Fprintf(env.stderr, "ivh: %s: handle %s (resume with ivh wait %s)\n", op.Name, h, h)
		waitFor = func(ctx context.Context, opts ...ivhrt.WaitOption) (any, error) {
			return op.WaitHandle(ctx, c, h, opts...)
		}
	}
	last, err := wait(ctx, env, o, op, waitFor)
	return finishWait(ctx, env, o, last, err)
}

// finishWait prints the last poll response and, with -o, downloads the
// result; a wait cut by -max-wait names the handle to resume with.
func finishWait(ctx context.Context, env environment, o options, last any, err error) error {
	var te *ivhrt.WaitTimeoutError
	if errors.As(err, &te) {
		return fail(exitUnfinished, "%v; run: ivh wait %s", err, te.Handle)
	}
	if err != nil {
		return err
	}
	if err := printJSON(env.stdout, last); err != nil || o.out == "" {
		return err
	}
	if err := jobs.DownloadFile(ctx, nil, jobs.MediaURL(last), o.out); err != nil {
		return fail(exitTransport, "downloading the result to %s: %v", o.out, err)
	}
	fmt.Fprintf(env.stderr, "ivh: result saved to %s\n", o.out)
	return nil
}

// connect returns a client of the real gateway from the environment, or of
// a fake one started here; done releases it.
func connect(env environment, o *options, obs []ivhrt.Option) (*ivh.Client, func(), error) {
	if o.fake {
		return startFake(env, o, obs)
	}
	ak, tok, opts, err := ivhrt.FromEnv()
	if err != nil {
		if !strings.Contains(err.Error(), "not set") {
			return nil, nil, &failure{code: exitConfig, err: err} // a bad IVH_ENDPOINT: -fake is no answer to it
		}
		return nil, nil, &failure{code: exitConfig, err: fmt.Errorf("%w (or use -fake to try the APIs without credentials)", err)}
	}
	c, err := ivh.NewClient(ak, tok, append(opts, obs...)...)
	if err != nil {
		return nil, nil, &failure{code: exitConfig, err: err}
	}
	return c, func() {}, nil
}

// wait polls until the task ends, reporting progress on stderr.
func wait(ctx context.Context, env environment, o options, op ivhtest.Operation, f func(context.Context, ...ivhrt.WaitOption) (any, error)) (any, error) {
	p := newProgress(env, op.Name)
	opts := []ivhrt.WaitOption{op.Status(p.report), ivhrt.WithMaxWait(o.maxWait)}
	if o.poll > 0 {
		opts = append(opts, ivhrt.WithPollInterval(o.poll))
	}
	last, err := f(ctx, opts...)
	p.finish()
	return last, err
}

// observeFlags adds -v and -trace, which every command has.
func observeFlags(fs *flag.FlagSet, verbose *bool, trace *string) {
	fs.BoolVar(verbose, "v", false, "print every attempt, retry, poll and session event on standard error")
	fs.StringVar(trace, "trace", "", "write the run's spans to this `file` as JSON (OpenTelemetry build of ivh only)")
}

func printJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// exitCode maps an error to the documented exit codes.
func exitCode(err error) int {
	var f *failure
	var apiErr *ivhrt.APIError
	var taskErr *ivhrt.TaskFailedError
	var vErr *ivhrt.ValidationError
	switch {
	case errors.As(err, &f):
		return f.code
	case errors.As(err, &vErr):
		return exitUsage
	case errors.As(err, &apiErr), errors.As(err, &taskErr):
		return exitAPI
	}
	return exitTransport
}

// oneLine keeps an error on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// newRequestID returns a random UUIDv4, the runtime's RequestID form.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
