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

	"github.com/ivhgen/ivhgen/internal/buildversion"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
	"github.com/ivhgen/ivhgen/runtime/jobs"
)

// cli is one run of an App.
type cli[C any] struct {
	app App[C]
	env *Env
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
	all       bool
	lines     bool
}

func fail(code int, format string, args ...any) error {
	return Exit(code, fmt.Errorf(format, args...))
}

func run[C any](app App[C], env *Env) int {
	if app.Name == "" {
		app.Name = "ivh"
	}
	env.Name, env.trace = app.Name, app.Trace
	r := &cli[C]{app: app, env: env}
	err := r.dispatch()
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	env.Printf("%s", oneLine(err.Error()))
	return exitCode(err)
}

func (r *cli[C]) newFlags(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet(r.app.Name, flag.ContinueOnError)
	fs.SetOutput(r.env.Stderr)
	fs.StringVar(&o.data, "d", "", "request `JSON`, or @file (default: standard input when it is not a terminal)")
	fs.BoolVar(&o.wait, "wait", false, "poll an async API until its task or session ends")
	fs.DurationVar(&o.maxWait, "max-wait", 9*time.Minute, "with -wait, stop waiting after this `duration` and print the handle to resume with (wait HANDLE)")
	fs.StringVar(&o.out, "o", "", "with -wait, download the result (MediaUrl) to this `file`, atomically")
	fs.DurationVar(&o.poll, "poll", 0, "first poll `interval` for -wait (default: the runtime's; 100ms with -fake)")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "give up after this `duration`")
	fs.BoolVar(&o.fake, "fake", false, "use an in-process fake gateway; no credentials needed")
	fs.IntVar(&o.fakeFault, "fake-fault", 0, "with -fake, answer the call with this error `code`")
	fs.BoolVar(&o.all, "all", false, "for a paged API, fetch every page and print all items as one JSON array")
	fs.BoolVar(&o.lines, "lines", false, "with -all, print one item per line (JSON Lines) as pages arrive")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	observeFlags(fs, &o.verbose, &o.trace)
	fs.Usage = func() {} // dispatch prints the usage: to stdout when asked for, else to stderr
	return fs
}

func (r *cli[C]) usage(w io.Writer, fs *flag.FlagSet) {
	n := r.app.Name
	fmt.Fprintf(w, `Usage:
  %[1]s list                               list every API
  %[1]s help <api>                         describe an API's request: fields and an example payload
  %[1]s schema <api>                       print the JSON Schema of an API's request
  %[1]s [flags] <api> [-d JSON | -d @file] call an API by name
  %[1]s wait HANDLE                        resume a wait from a task handle
%[2]s
Credentials: IVH_APPKEY, IVH_ACCESS_TOKEN; endpoint: IVH_ENDPOINT
("international", the default, "mainland", or a base URL). -fake needs none.

Exit codes: 0 success; 1 API error or failed task; 2 misuse (flags, unknown
API, bad payload); 3 configuration (IVH_* variables); 4 transport (network,
HTTP status, timeout); 6 -wait stopped at -max-wait (default 9m) or by Ctrl-C:
resume with the printed %[1]s wait HANDLE.

Flags:
`, n, r.app.Usage)
	prev := fs.Output()
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(prev)
}

// dispatch parses the command line and runs the command. Flags may come
// before and after the command name.
func (r *cli[C]) dispatch() error {
	args := r.env.Args
	if len(args) > 0 {
		if cmd, ok := r.app.Commands[args[0]]; ok {
			return cmd(r.env, args[1:])
		}
		if args[0] == "wait" {
			return r.waitCommand(args[1:])
		}
	}
	var o options
	fs := r.newFlags(&o)
	if err := fs.Parse(args); err != nil {
		return r.helpOrUsageErr(fs, err)
	}
	if o.version {
		fmt.Fprintln(r.env.Stdout, r.app.Name, buildversion.String())
		return nil
	}
	if fs.NArg() == 0 {
		r.usage(r.env.Stderr, fs)
		return fail(ExitUsage, "no command; run %s list to see the APIs", r.app.Name)
	}
	name, rest := fs.Arg(0), fs.Args()[1:]
	switch name {
	case "help", "schema":
		return r.describe(name, rest, fs)
	}
	if err := fs.Parse(rest); err != nil {
		return r.helpOrUsageErr(fs, err)
	}
	if fs.NArg() > 0 {
		return fail(ExitUsage, "unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if name == "list" {
		return r.list()
	}
	op, err := r.lookup(name)
	if err != nil {
		return err
	}
	return r.call(o, op)
}

// describe runs help [API] and schema API.
func (r *cli[C]) describe(cmd string, args []string, fs *flag.FlagSet) error {
	if len(args) == 0 && cmd == "help" {
		r.usage(r.env.Stdout, fs)
		return nil
	}
	if len(args) != 1 {
		return fail(ExitUsage, "%s %s: want one API name", r.app.Name, cmd)
	}
	op, err := r.lookup(args[0])
	if err != nil {
		return err
	}
	if cmd == "schema" {
		return printSchema(r.env.Stdout, op.RequestSchema)
	}
	return printHelp(r.env.Stdout, r.app.Name, op.Name, op.Doc, op.RequestSchema, op.Wait != nil, op.Pages != nil)
}

// usageErr makes a flag parse error of a subcommand misuse; -h passes.
func usageErr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return Exit(ExitUsage, err)
}

// UsageError is a subcommand's flag parse error as misuse (exit code 2);
// flag.ErrHelp, from -h, passes unchanged and ends the command with 0.
func UsageError(err error) error { return usageErr(err) }

// helpOrUsageErr handles a flag parse error of the top-level flags: -h and
// -help print the usage on stdout and succeed; a bad flag prints it on
// stderr and is misuse.
func (r *cli[C]) helpOrUsageErr(fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		r.usage(r.env.Stdout, fs)
		return err
	}
	r.usage(r.env.Stderr, fs)
	return Exit(ExitUsage, err)
}

// list prints every API: name, path and first sentence of its doc.
func (r *cli[C]) list() error {
	tw := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
	for _, op := range r.app.Operations {
		doc := op.Doc
		if op.Wait != nil {
			doc += " [-wait]"
		}
		if op.Pages != nil {
			doc += " [-all]"
		}
		if op.Deprecated {
			doc = "(deprecated) " + doc
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", op.Name, op.Path, doc)
	}
	return tw.Flush()
}

// lookup finds an API by name, ignoring case.
func (r *cli[C]) lookup(name string) (Operation[C], error) {
	var near []string
	for _, op := range r.app.Operations {
		if strings.EqualFold(op.Name, name) {
			return op, nil
		}
		if strings.Contains(strings.ToLower(op.Name), strings.ToLower(name)) {
			near = append(near, op.Name)
		}
	}
	hint := "; run " + r.app.Name + " list to see the APIs"
	if len(near) > 0 && len(near) <= 5 {
		hint = "; did you mean " + strings.Join(near, ", ") + "?"
	}
	return Operation[C]{}, fail(ExitUsage, "unknown API %q%s", name, hint)
}

// checkFlags rejects flag values that would fail late or be ignored: a
// timeout that is already over, a negative poll interval.
func checkFlags(o options) error {
	switch {
	case o.fakeFault != 0 && !o.fake:
		return fail(ExitUsage, "-fake-fault needs -fake")
	case o.timeout <= 0:
		return fail(ExitUsage, "-timeout %v must be positive", o.timeout)
	case o.poll < 0:
		return fail(ExitUsage, "-poll %v must not be negative (0 keeps the default)", o.poll)
	case o.lines && !o.all:
		return fail(ExitUsage, "-lines needs -all")
	case o.all && o.wait:
		return fail(ExitUsage, "-all and -wait do not go together")
	}
	return nil
}

// checkOp rejects -wait and -all for an API that has no waiter or pager.
func (r *cli[C]) checkOp(o options, op Operation[C]) error {
	switch {
	case o.wait && op.Wait == nil:
		return fail(ExitUsage, "%s starts no task; -wait applies to the APIs marked [-wait] in %s list", op.Name, r.app.Name)
	case o.all && op.Pages == nil:
		return fail(ExitUsage, "%s is not paged; -all applies to the APIs marked [-all] in %s list", op.Name, r.app.Name)
	}
	return checkFlags(o)
}

// call decodes the payload, builds the client, calls the API and, with
// -wait, waits for its task.
func (r *cli[C]) call(o options, op Operation[C]) error {
	if err := r.checkOp(o, op); err != nil {
		return err
	}
	req, err := readRequest(r.env, o.data, op.Name, op.NewRequest, o.all)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()

	obs, finish, err := observe(r.env, o.verbose, o.trace)
	if err != nil {
		return err
	}
	defer finish()
	c, done, err := r.connect(&o, obs)
	if err != nil {
		return err
	}
	defer done()
	if o.all {
		return printPages(r.env.Stdout, op.Pages(ctx, c, req), o.lines)
	}
	rid := newRequestID() // our own, so the handle carries it
	resp, err := op.Call(ctx, c, req, ivhrt.WithRequestID(rid))
	if err != nil {
		return err
	}
	if !o.wait {
		return printJSON(r.env.Stdout, resp)
	}
	return r.waitStarted(ctx, o, op, c, req, resp, rid)
}

// waitStarted waits for the work a call started, from its handle when the
// API has a handle waiter.
func (r *cli[C]) waitStarted(ctx context.Context, o options, op Operation[C], c C, req, resp any, rid string) error {
	reportStarted(r.env, op.Name, resp)
	defer warnOpenSession(r.env, resp, o.fake)
	waitFor := func(ctx context.Context, opts ...ivhrt.WaitOption) (any, error) {
		return op.Wait(ctx, c, req, resp, opts...)
	}
	handle := ""
	if h, err := op.Handle(c, resp, rid); err == nil && op.WaitHandle != nil {
		handle = h.String()
		r.env.Printf("%s: handle %s (resume with %s wait %s)", op.Name, h, r.app.Name, h)
		waitFor = func(ctx context.Context, opts ...ivhrt.WaitOption) (any, error) {
			return op.WaitHandle(ctx, c, h, opts...)
		}
	}
	last, err := wait(ctx, r.env, o, op.Name, op.Status, waitFor)
	return r.finishWait(ctx, o, last, err, handle)
}

// finishWait prints the last poll response and, with -o, downloads the
// result; a wait cut by -max-wait or by Ctrl-C names the handle to resume
// with (handle, "" when the API has none): the task runs on.
func (r *cli[C]) finishWait(ctx context.Context, o options, last any, err error, handle string) error {
	var te *ivhrt.WaitTimeoutError
	if errors.As(err, &te) {
		return fail(ExitUnfinished, "%v; run: %s wait %s", err, r.app.Name, te.Handle)
	}
	if err != nil && handle != "" && errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return fail(ExitUnfinished, "interrupted; the task may still run: %s wait %s", r.app.Name, handle)
	}
	if err != nil {
		return err
	}
	if err := printJSON(r.env.Stdout, last); err != nil || o.out == "" {
		return err
	}
	if err := jobs.DownloadFile(ctx, nil, jobs.MediaURL(last), o.out); err != nil {
		return fail(ExitTransport, "downloading the result to %s: %v", o.out, err)
	}
	r.env.Printf("result saved to %s", o.out)
	return nil
}

// connect returns a client of the real gateway from the environment, or of
// a fake one started here; done releases it.
func (r *cli[C]) connect(o *options, obs []ivhrt.Option) (C, func(), error) {
	if o.fake {
		return r.startFake(o, obs)
	}
	c, err := r.fromEnv(obs, " (or use -fake to try the APIs without credentials)")
	return c, func() {}, err
}

// fromEnv returns a client of the gateway the IVH_* variables name; hint
// follows the error of a missing variable.
func (r *cli[C]) fromEnv(obs []ivhrt.Option, hint string) (C, error) {
	var zero C
	ak, tok, opts, err := ivhrt.FromEnv()
	if err != nil {
		if !strings.Contains(err.Error(), "not set") {
			return zero, Exit(ExitConfig, err) // a bad IVH_ENDPOINT: -fake is no answer to it
		}
		return zero, Exit(ExitConfig, fmt.Errorf("%w%s", err, hint))
	}
	c, err := r.app.NewClient(ak, tok, append(opts, obs...)...)
	if err != nil {
		return zero, Exit(ExitConfig, err)
	}
	return c, nil
}

// wait polls until the task ends, reporting progress on stderr.
func wait(ctx context.Context, env *Env, o options, name string, status func(func(string, any)) ivhrt.WaitOption,
	f func(context.Context, ...ivhrt.WaitOption) (any, error)) (any, error) {
	p := newProgress(env, name)
	opts := []ivhrt.WaitOption{status(p.report), ivhrt.WithMaxWait(o.maxWait)}
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
	fs.StringVar(trace, "trace", "", "write the run's spans to this `file` as JSON (OpenTelemetry build only)")
}

// ObserveFlags adds -v and -trace to a subcommand's flags; pass the values
// to Env.ClientOptions.
func ObserveFlags(fs *flag.FlagSet, verbose *bool, trace *string) { observeFlags(fs, verbose, trace) }

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
	var f *ExitError
	var apiErr *ivhrt.APIError
	var taskErr *ivhrt.TaskFailedError
	var vErr *ivhrt.ValidationError
	switch {
	case errors.As(err, &f):
		return f.Code
	case errors.As(err, &vErr):
		return ExitUsage
	case errors.As(err, &apiErr), errors.As(err, &taskErr):
		return ExitAPI
	}
	return ExitTransport
}

// oneLine keeps an error on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// OneLine joins the lines of s with single spaces, as every error line is.
func OneLine(s string) string { return oneLine(s) }

// newRequestID returns a random UUIDv4, the runtime's RequestID form.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
