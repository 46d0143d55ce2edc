package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/scrub"
)

// TaskState is what a waiter's classifier says about one poll response.
type TaskState int

// The states a poll response can be in.
const (
	TaskPending TaskState = iota
	TaskSucceeded
	TaskFailed
)

// String names the state for hooks: "pending", "succeeded" or "failed".
func (s TaskState) String() string {
	switch s {
	case TaskSucceeded:
		return "succeeded"
	case TaskFailed:
		return "failed"
	}
	return "pending"
}

// TaskFailedError is returned by a waiter when the task reached a failure
// value. errors.Is(err, code) matches FailCode.
type TaskFailedError struct {
	Op          string // the polling operation
	ID          string // task or session id
	Status      string // the failure value seen
	FailCode    FailCode
	FailMessage string

	pkg string // the generated package of the call, for the prefix; set by the runtime
}

// Error names the task, its final status, fail code and message.
func (e *TaskFailedError) Error() string {
	return fmt.Sprintf("%s %s: task %s ended %s: fail_code=%d message=%s",
		prefix(e.pkg), e.Op, scrub.Line(e.ID), scrub.Line(e.Status), e.FailCode, scrub.Line(e.FailMessage))
}

// Is matches the FailCode e.FailCode; an API Code never matches.
func (e *TaskFailedError) Is(target error) bool {
	c, ok := target.(FailCode)
	return ok && c == e.FailCode
}

// WaitOption configures a waiter.
type WaitOption func(*waitConfig)

type waitConfig struct {
	interval    time.Duration
	maxInterval time.Duration
	progress    func(any)
	fits        func(any) bool // whether progress takes this poll response type
	takes       string         // the type progress takes, for the error
	sleeper     Sleeper
	maxWait     time.Duration
}

// Poll interval defaults: the first wait, and the cap the interval grows to
// (×1.5 per poll).
const (
	DefaultPollInterval    = 2 * time.Second
	DefaultMaxPollInterval = 30 * time.Second
)

// WithPollInterval sets the first poll interval (default 2 s); zero or a
// negative d keeps the default rather than polling in a busy loop.
func WithPollInterval(d time.Duration) WaitOption { return func(w *waitConfig) { w.interval = d } }

// WithMaxPollInterval caps the poll interval (default 30 s); zero or a
// negative d keeps the default.
func WithMaxPollInterval(d time.Duration) WaitOption {
	return func(w *waitConfig) { w.maxInterval = d }
}

// WithWaitSleeper sets what waits between polls (tests inject a fake); nil
// is ignored.
func WithWaitSleeper(s Sleeper) WaitOption {
	return func(w *waitConfig) {
		if s != nil {
			w.sleeper = s
		}
	}
}

// WithMaxWait bounds the whole wait: once d has passed since the first poll
// (on the sleeper's clock when it has one), the wait ends with a
// *WaitTimeoutError carrying the handle and the last status, so the caller
// can resume later. Zero or a negative d means no bound (the default).
func WithMaxWait(d time.Duration) WaitOption { return func(w *waitConfig) { w.maxWait = d } }

// ErrMaxWait is what a *WaitTimeoutError unwraps to.
var ErrMaxWait = errors.New("apaas: maximum wait exceeded")

// WaitTimeoutError ends a wait bounded by WithMaxWait while the task is
// still pending. errors.Is(err, ErrMaxWait) holds.
type WaitTimeoutError struct {
	Handle  TaskHandle    // wait again from this with Wait<API>Handle
	Status  string        // the status of the last poll
	MaxWait time.Duration // the bound that was reached
	Last    any           // the last poll response

	name string // "<package> <waiter>" that starts the message; set by the runtime
}

// Error names the task, its last status and the bound; the task id and
// status, server text, are escaped to one line as a *TaskFailedError's are.
func (e *WaitTimeoutError) Error() string {
	name := e.name
	if name == "" {
		name = prefix("")
	}
	return fmt.Sprintf("%s: task %s still %s after the maximum wait of %v; resume with handle %s", name, scrub.Line(e.Handle.TaskID), scrub.Line(e.Status), e.MaxWait, e.Handle)
}

// Unwrap returns ErrMaxWait.
func (e *WaitTimeoutError) Unwrap() error { return ErrMaxWait }

// WithProgress calls f with every poll response. A waiter whose poll
// response is not a *Resp fails at once, before its first poll, rather than
// never calling f. The last WithProgress wins; a nil f reports nothing.
func WithProgress[Resp any](f func(*Resp)) WaitOption {
	return func(w *waitConfig) {
		if f == nil {
			w.progress, w.fits = nil, nil
			return
		}
		w.progress = func(r any) { f(r.(*Resp)) }
		w.fits = func(r any) bool { _, ok := r.(*Resp); return ok }
		w.takes = fmt.Sprintf("%T", (*Resp)(nil))
	}
}

// errTaskFailed stands in when a classifier reports failure without an error.
var errTaskFailed = errors.New("apaas: task failed")

// Wait polls until classify reports success or failure, sleeping between
// polls from the first interval growing ×1.5 up to the cap. It returns at
// once when ctx is done or poll fails. On failure it returns the last
// response with the error classify built. It is WaitFor without hooks.
func Wait[Resp any](ctx context.Context, poll func(context.Context) (*Resp, error), classify func(*Resp) (TaskState, error), opts ...WaitOption) (*Resp, error) {
	return WaitFor(ctx, Waiter[Resp]{Poll: poll, Classify: classify}, opts...)
}

// Waiter is what a generated waiter hands to WaitFor.
type Waiter[Resp any] struct {
	Client   *Client // whose hooks observe the wait; nil observes nothing
	Info     WaitInfo
	Poll     func(context.Context) (*Resp, error)
	Classify func(*Resp) (TaskState, error)
	// Describe reads status, progress and queue position from a response
	// for the Poll hook; nil reports the state alone.
	Describe func(*Resp) PollInfo
	// Handle and Status go into the *WaitTimeoutError of WithMaxWait:
	// the task waited on, and the text of a response's status.
	Handle TaskHandle
	Status func(*Resp) string
}

// WaitTask is WaitFor, without hooks, for the task h names; status gives
// the text of a poll response's status for the *WaitTimeoutError of
// WithMaxWait.
func WaitTask[Resp any](ctx context.Context, h TaskHandle, poll func(context.Context) (*Resp, error), classify func(*Resp) (TaskState, error), status func(*Resp) string, opts ...WaitOption) (*Resp, error) {
	return WaitFor(ctx, Waiter[Resp]{Handle: h, Poll: poll, Classify: classify, Status: status}, opts...)
}

// WaitFor is Wait with hooks: WaitStart, Poll after every poll, WaitEnd.
func WaitFor[Resp any](ctx context.Context, w Waiter[Resp], opts ...WaitOption) (*Resp, error) {
	cfg := newWaitConfig(opts)
	if cfg.fits != nil && !cfg.fits((*Resp)(nil)) {
		return nil, fmt.Errorf("ivhrt: WithProgress takes %s, but this waiter polls %T; nothing was polled", cfg.takes, (*Resp)(nil))
	}
	if w.Client == nil || w.Client.hooks == nil {
		return waitLoop(ctx, &w, &cfg, nil)
	}
	hl, info := w.Client.hooks, w.Info
	ctx = hl.waitStart(ctx, &info)
	r, err := waitLoop(ctx, &w, &cfg, func(ctx context.Context, p *PollInfo) { hl.poll(ctx, &info, p) })
	hl.waitEnd(ctx, &info, err)
	return r, err
}

func newWaitConfig(opts []WaitOption) waitConfig {
	w := waitConfig{interval: DefaultPollInterval, maxInterval: DefaultMaxPollInterval, sleeper: SystemClock{}}
	for _, o := range opts {
		if o != nil {
			o(&w)
		}
	}
	if w.interval <= 0 {
		w.interval = DefaultPollInterval
	}
	if w.maxInterval <= 0 {
		w.maxInterval = DefaultMaxPollInterval
	}
	return w
}

// waitLoop polls; report, when not nil, hears of every poll.
func waitLoop[Resp any](ctx context.Context, wt *Waiter[Resp], w *waitConfig, report func(context.Context, *PollInfo)) (*Resp, error) {
	clock, _ := w.sleeper.(Clock)
	if clock == nil {
		clock = SystemClock{}
	}
	start := clock.Now()
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sink := &secretSink{}
		r, err := wt.Poll(context.WithValue(ctx, secretSinkKey{}, sink))
		if err != nil {
			if report != nil {
				report(ctx, &PollInfo{Poll: n, Progress: -1, Queue: -1, Err: err})
			}
			return nil, err
		}
		if w.progress != nil {
			w.progress(r)
		}
		st, ferr := wt.Classify(r)
		if report != nil {
			report(ctx, describe(wt, r, n, st, ferr))
		}
		switch st {
		case TaskSucceeded:
			return r, nil
		case TaskFailed:
			if ferr == nil {
				ferr = errTaskFailed
			}
			return r, sink.scrub(ferr)
		}
		d := w.interval
		if w.maxWait > 0 {
			left := w.maxWait - clock.Now().Sub(start)
			if left <= 0 {
				return r, &WaitTimeoutError{Handle: wt.Handle, Status: wt.status(r), MaxWait: w.maxWait, Last: r,
					name: sink.name(wt.Info.Waiter)}
			}
			d = min(d, left) // poll once more at the bound
		}
		if err := w.sleeper.Sleep(ctx, d); err != nil {
			return r, err
		}
		w.interval = nextInterval(w.interval, w.maxInterval)
	}
}

// status is the text of r's status, or "" when the waiter has no Status.
func (wt *Waiter[Resp]) status(r *Resp) string {
	if wt.Status == nil {
		return ""
	}
	return wt.Status(r)
}

func describe[Resp any](wt *Waiter[Resp], r *Resp, n int, st TaskState, err error) *PollInfo {
	p := PollInfo{Progress: -1, Queue: -1}
	if wt.Describe != nil {
		p = wt.Describe(r)
	}
	p.Poll, p.State, p.Err = n, st, err
	return &p
}

func nextInterval(d, limit time.Duration) time.Duration {
	n := d + max(d/2, 1) // a 1 ns interval grows too
	if n > limit || n < d {
		return limit
	}
	return n
}

// secretSink lets the client that made a poll tell Wait how to hide its
// secrets: the classifier copies server text (FailMessage) into a
// *TaskFailedError, and a server may echo the token or signature there.
type secretSink struct {
	hide func(string) string
	pkg  string // of the poll, for the *TaskFailedError's prefix
	op   string // the poll's API
}

// name is what starts an error of the wait or walk behind the sink's
// call: "<package> <what>", what defaulting to the call's API; "apaas"
// before any call succeeded.
func (s *secretSink) name(what string) string {
	if s.op == "" {
		return prefix("")
	}
	if what == "" {
		what = s.op
	}
	return prefix(s.pkg) + " " + what
}

type secretSinkKey struct{}

// sinkSecrets records in ctx's sink, if any, how c hides the secrets of
// the call st.
func (c *Client) sinkSecrets(ctx context.Context, st *callState) {
	if s, ok := ctx.Value(secretSinkKey{}).(*secretSink); ok {
		last := &callState{query: st.query}
		s.hide = func(x string) string { return c.hideSecrets(last, x) }
		s.pkg, s.op = st.op.Package, st.op.Name
	}
}

func (s *secretSink) scrub(err error) error {
	var tf *TaskFailedError
	if s.hide != nil && errors.As(err, &tf) {
		tf.ID, tf.Status, tf.FailMessage = s.hide(tf.ID), s.hide(tf.Status), s.hide(tf.FailMessage)
		tf.pkg = s.pkg
	}
	return err
}
