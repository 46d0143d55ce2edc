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

// TaskFailedError is returned by a waiter when the task reached a failure
// value. errors.Is(err, code) matches FailCode.
type TaskFailedError struct {
	Op          string // the polling operation
	ID          string // task or session id
	Status      string // the failure value seen
	FailCode    FailCode
	FailMessage string
}

// Error names the task, its final status, fail code and message.
func (e *TaskFailedError) Error() string {
	return fmt.Sprintf("apaas %s: task %s ended %s: fail_code=%d message=%s",
		e.Op, scrub.Line(e.ID), scrub.Line(e.Status), e.FailCode, scrub.Line(e.FailMessage))
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
}

// Error names the task, its last status and the bound.
func (e *WaitTimeoutError) Error() string {
	return fmt.Sprintf("apaas: task %s still %s after the maximum wait of %v; resume with handle %s", e.Handle.TaskID, e.Status, e.MaxWait, e.Handle)
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
// response with the error classify built.
func Wait[Resp any](ctx context.Context, poll func(context.Context) (*Resp, error), classify func(*Resp) (TaskState, error), opts ...WaitOption) (*Resp, error) {
	return WaitTask(ctx, TaskHandle{}, poll, classify, func(*Resp) string { return "" }, opts...)
}

// WaitTask is Wait for the task h names; status gives the text of a poll
// response's status for the *WaitTimeoutError of WithMaxWait.
func WaitTask[Resp any](ctx context.Context, h TaskHandle, poll func(context.Context) (*Resp, error), classify func(*Resp) (TaskState, error), status func(*Resp) string, opts ...WaitOption) (*Resp, error) {
	w := newWaitConfig(opts)
	if w.fits != nil && !w.fits((*Resp)(nil)) {
		return nil, fmt.Errorf("ivhrt: WithProgress takes %s, but this waiter polls %T; nothing was polled", w.takes, (*Resp)(nil))
	}
	clock, _ := w.sleeper.(Clock)
	if clock == nil {
		clock = SystemClock{}
	}
	start := clock.Now()
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sink := &secretSink{}
		r, err := poll(context.WithValue(ctx, secretSinkKey{}, sink))
		if err != nil {
			return nil, err
		}
		if w.progress != nil {
			w.progress(r)
		}
		switch st, ferr := classify(r); st {
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
				return r, &WaitTimeoutError{Handle: h, Status: status(r), MaxWait: w.maxWait, Last: r}
			}
			d = min(d, left) // poll once more at the bound
		}
		if err := w.sleeper.Sleep(ctx, d); err != nil {
			return r, err
		}
		w.interval = nextInterval(w.interval, w.maxInterval)
	}
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
type secretSink struct{ hide func(string) string }

type secretSinkKey struct{}

// sinkSecrets records in ctx's sink, if any, how c hides the secrets of
// the call st.
func (c *Client) sinkSecrets(ctx context.Context, st *callState) {
	if s, ok := ctx.Value(secretSinkKey{}).(*secretSink); ok {
		last := &callState{query: st.query}
		s.hide = func(x string) string { return c.hideSecrets(last, x) }
	}
}

func (s *secretSink) scrub(err error) error {
	var tf *TaskFailedError
	if s.hide != nil && errors.As(err, &tf) {
		tf.ID, tf.Status, tf.FailMessage = s.hide(tf.ID), s.hide(tf.Status), s.hide(tf.FailMessage)
	}
	return err
}
