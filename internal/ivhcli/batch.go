package ivhcli

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	cli "github.com/ivhgen/ivhgen/runtime/ivhcli"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
	"github.com/ivhgen/ivhgen/runtime/jobs"
)

// The exit codes of ivh batch beyond the shared ones; see batchUsage.
const (
	exitBatchUnknown    = 5
	exitBatchUnfinished = exitUnfinished
)

const batchUsage = `Usage: ivh batch -journal FILE [flags] [-in inputs.jsonl]

Runs every input of a JSON Lines file, one {"id": ..., "api": "VideoMake",
"payload": {...}} per line ("pool" optional), under per-pool concurrency
limits (default: 5 per video pool, 1 for tts), journaling each step in FILE.
Run it again with the same journal to resume after a crash or Ctrl-C:
accepted tasks are waited on, pending ones sent, and an input caught while
its create was being sent is reported outcome-unknown, never sent again
unless -resubmit-unknown. Results go to standard output as JSON Lines; the
progress goes to standard error (one redrawn line on a terminal, plain
lines otherwise).

With -callback-url (a public URL the vendor can reach, forwarded to the
-callback-listen address), each video create gets a CallbackUrl carrying a
per-task HMAC token (keyed by a secret kept in the journal): the vendor's
result callback ends that wait at once, a callback whose token does not
verify is answered 401 and ignored, and polling stays the fallback. An
input whose create's outcome is unknown then waits up to -callback-wait
for its callback, which settles it.

Exit codes: 0 every input succeeded; 1 some failed; 5 some have an unknown
outcome; 6 some are unfinished (interrupted, or past -max-wait): run again;
2 misuse; 3 configuration; 4 the journal or the input file failed. When
several apply, the highest wins.

Flags:
`

// batchFlags are the settings of ivh batch.
type batchFlags struct {
	in, journal, out string
	limits           map[string]int
	poll, maxWait    time.Duration
	resubmit, rate   bool
	cbURL, cbListen  string
	cbWait           time.Duration
}

func batchCommand(env environment, args []string) error {
	f := batchFlags{limits: map[string]int{}}
	fs := flag.NewFlagSet("ivh batch", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.StringVar(&f.in, "in", "", "inputs `file` (default: standard input)")
	fs.StringVar(&f.journal, "journal", "", "journal `file` (created when missing; required)")
	fs.StringVar(&f.out, "out", "", "download each result into this `dir` as <id><ext>")
	fs.Func("c", "concurrency `pool=N`, repeatable (defaults: video=5, video:<type>=5, tts=1, others 1)", f.setLimit)
	fs.DurationVar(&f.poll, "poll", 2*time.Second, "first poll `interval` (grows ×1.5 to 30s)")
	fs.DurationVar(&f.maxWait, "max-wait", time.Hour, "longest wait for one task in this run; it stays resumable")
	fs.BoolVar(&f.resubmit, "resubmit-unknown", false, "send outcome-unknown inputs again (may pay twice)")
	fs.BoolVar(&f.rate, "requeue-rate-limited", false, "also requeue 801004/100012 \"too frequent\" refusals")
	fs.StringVar(&f.cbURL, "callback-url", "", "public `URL` of the result callbacks (needs -callback-listen)")
	fs.StringVar(&f.cbListen, "callback-listen", "", "`address` to serve the callbacks on, e.g. :8090 (at the path of -callback-url)")
	fs.DurationVar(&f.cbWait, "callback-wait", 5*time.Minute, "with -callback-url: how long an outcome-unknown input holds its slot waiting for its callback")
	fs.Usage = func() { fmt.Fprint(env.Stderr, batchUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return cli.UsageError(err)
	}
	if f.journal == "" || fs.NArg() > 0 {
		fs.Usage()
		return fail(exitUsage, "ivh batch: -journal is required and takes no arguments")
	}
	if (f.cbURL == "") != (f.cbListen == "") {
		return fail(exitUsage, "ivh batch: -callback-url and -callback-listen go together")
	}
	inputs, err := readInputs(env, f.in)
	if err != nil {
		return err
	}
	c, err := batchClient()
	if err != nil {
		return err
	}
	return runBatch(env, f, c, inputs)
}

func (f *batchFlags) setLimit(s string) error {
	pool, n, ok := strings.Cut(s, "=")
	v, err := strconv.Atoi(n)
	if !ok || pool == "" || err != nil || v <= 0 {
		return fmt.Errorf("want pool=N with N > 0, got %q", s)
	}
	f.limits[pool] = v
	return nil
}

// readInputs reads JSON Lines; blank lines are skipped.
func readInputs(env environment, path string) ([]jobs.Input, error) {
	var r io.Reader = env.Stdin
	if path != "" {
		fh, err := os.Open(path)
		if err != nil {
			return nil, fail(exitTransport, "ivh batch: %v", err)
		}
		defer fh.Close()
		r = fh
	}
	var out []jobs.Input
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var in jobs.Input
		if err := jobs.DecodeStrict([]byte(line), &in); err != nil {
			return nil, fail(exitUsage, "ivh batch: input line %d: %v", n, err)
		}
		out = append(out, in)
	}
	if err := sc.Err(); err != nil {
		return nil, fail(exitTransport, "ivh batch: reading inputs: %v", err)
	}
	return out, nil
}

func batchClient() (*ivh.Client, error) {
	return envClient(nil, " (ivh fake prints the variables of a local fake)")
}

// envClient returns a client of the gateway the IVH_* variables name; hint
// follows the error of a missing variable.
func envClient(obs []ivhrt.Option, hint string) (*ivh.Client, error) {
	ak, tok, opts, err := ivhrt.FromEnv()
	if err != nil {
		if !strings.Contains(err.Error(), "not set") {
			return nil, cli.Exit(exitConfig, err)
		}
		return nil, cli.Exit(exitConfig, fmt.Errorf("%w%s", err, hint))
	}
	c, err := ivh.NewClient(ak, tok, append(opts, obs...)...)
	if err != nil {
		return nil, cli.Exit(exitConfig, err)
	}
	return c, nil
}

// flows adapts every API that waits from a handle.
func flows(c *ivh.Client, rate bool) map[string]jobs.Flow {
	out := map[string]jobs.Flow{}
	for _, op := range Operations() {
		if op.WaitHandle == nil {
			continue
		}
		fl := jobs.Flow{Pool: poolFor(op), Submit: submitter(c, op), Callback: jobs.TakesCallbackURL(op.NewRequest()),
			Wait: func(ctx context.Context, h ivhrt.TaskHandle, o ...ivhrt.WaitOption) (any, error) {
				return op.WaitHandle(ctx, c, h, o...)
			}}
		if rate {
			fl.Requeue = jobs.RequeueCodesIn(jobs.RateLimitCodes...)
		}
		out[op.Name] = fl
	}
	return out
}

func submitter(c *ivh.Client, op cli.Operation[*ivh.Client]) func(context.Context, json.RawMessage, string) (ivhrt.TaskHandle, error) {
	return func(ctx context.Context, payload json.RawMessage, rid string) (ivhrt.TaskHandle, error) {
		req := op.NewRequest()
		if err := jobs.DecodeStrict(payload, req); err != nil {
			return ivhrt.TaskHandle{}, err
		}
		resp, err := op.Call(ctx, c, req, ivhrt.WithRequestID(rid))
		if err != nil {
			return ivhrt.TaskHandle{}, err
		}
		return op.Handle(c, resp, rid)
	}
}

// poolFor is the vendor's quota pool of an API: TTS alone, the video APIs
// together (per avatar type, which an input names with "pool").
func poolFor(op cli.Operation[*ivh.Client]) string {
	switch {
	case op.Name == "TTS":
		return "tts"
	case op.Service == "Video":
		return "video"
	}
	return op.Name
}

func runBatch(env environment, f batchFlags, c *ivh.Client, inputs []jobs.Input) error {
	j, err := jobs.OpenJournal(f.journal)
	if err != nil {
		return fail(exitTransport, "ivh batch: %v", err)
	}
	defer j.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cb, closeCB, err := serveCallbacks(env, f, j)
	if err != nil {
		return err
	}
	defer closeCB()
	p := newBatchProgress(env, len(inputs))
	enc := json.NewEncoder(env.Stdout)
	cfg := jobs.Config{
		Flows: flows(c, f.rate), Limits: f.limits, OutDir: f.out, ResubmitUnknown: f.resubmit,
		WaitOptions: []ivhrt.WaitOption{ivhrt.WithPollInterval(f.poll), ivhrt.WithMaxWait(f.maxWait)},
		OnEvent:     p.event,
		Callbacks:   cb, CallbackWait: f.cbWait,
		OnResult: func(r jobs.Result) {
			enc.Encode(resultLine(r))
			p.result(r)
		},
	}
	err = jobs.Run(ctx, j, inputs, cfg)
	p.finish()
	if err != nil {
		var changed = errors.Is(err, jobs.ErrPayloadChanged)
		if changed || strings.Contains(err.Error(), "input id") || strings.Contains(err.Error(), "no flow") {
			return fail(exitUsage, "ivh batch: %v", err)
		}
		return fail(exitTransport, "ivh batch: %v", err)
	}
	return p.exit()
}

// line is one result on standard output.
type line struct {
	ID        string          `json:"id"`
	API       string          `json:"api"`
	State     jobs.State      `json:"state"`
	Handle    string          `json:"handle,omitempty"`
	RequestID string          `json:"request_id,omitempty"`
	Attempts  int             `json:"attempts"`
	Code      int             `json:"code,omitempty"`
	Error     string          `json:"error,omitempty"`
	File      string          `json:"file,omitempty"`
	Output    json.RawMessage `json:"output,omitempty"`
}

func resultLine(r jobs.Result) line {
	l := line{ID: r.ID, API: r.API, State: r.State, Handle: r.Handle, RequestID: r.RequestID,
		Attempts: r.Attempts, Code: r.Code, Error: r.Error, File: r.File, Output: r.Output}
	if r.Err != nil && l.Error == "" {
		l.Error = r.Err.Error()
	}
	return l
}

// serveCallbacks listens for the vendor's result callbacks when
// -callback-url is set; the returned func stops the listener.
func serveCallbacks(env environment, f batchFlags, j *jobs.Journal) (*jobs.Callbacks, func(), error) {
	if f.cbURL == "" {
		return nil, func() {}, nil
	}
	key, err := j.CallbackKey()
	if err != nil {
		return nil, nil, fail(exitTransport, "ivh batch: journal: %v", err)
	}
	cb, err := jobs.NewCallbacks(f.cbURL, key)
	if err != nil {
		return nil, nil, fail(exitUsage, "ivh batch: -callback-url: %v", err)
	}
	ln, err := net.Listen("tcp", f.cbListen)
	if err != nil {
		return nil, nil, fail(exitConfig, "ivh batch: -callback-listen: %v", err)
	}
	u, _ := url.Parse(f.cbURL)
	mux := http.NewServeMux()
	mux.Handle("POST "+cmp.Or(u.Path, "/"), jobs.CallbackHandler(cb, ivh.VideoResultHandler))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	fmt.Fprintf(env.Stderr, "ivh batch: result callbacks on %s (public %s)\n", ln.Addr(), u.Redacted())
	return cb, func() { srv.Close() }, nil
}
