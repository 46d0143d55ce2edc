package core

import (
	"context"
	"errors"
	"time"
)

// Hooks observe what the runtime does: each call and its attempts, each
// poll of a waiter, and the lifecycle of sessions and command channels.
// Every field is optional. Hooks run synchronously (channel events on the
// channel's goroutine), so they must be quick and safe for concurrent use;
// a blocked hook stalls what it observes, and a panic in one is not
// recovered, as with net/http/httptrace.
// They get metadata only: never the access token, a signature, a query
// string, header values or bodies. A hook that returns a context (nil keeps
// the one given) hands its values to what follows, e.g. to carry a trace
// span; the caller's deadline and cancellation always stay in force (a
// context already cancelled when returned ends the call).
type Hooks struct {
	// CallStart runs before a call is validated and sent; its context
	// reaches the attempts and CallEnd.
	CallStart func(ctx context.Context, call *CallInfo) context.Context
	// CallEnd runs once the call has its result.
	CallEnd func(ctx context.Context, call *CallInfo, res *CallResult)
	// AttemptStart runs before each HTTP attempt; its context carries the
	// request and reaches AttemptEnd.
	AttemptStart func(ctx context.Context, call *CallInfo, attempt int) context.Context
	// AttemptEnd runs after each attempt, once the retry decision is made.
	AttemptEnd func(ctx context.Context, call *CallInfo, a *AttemptInfo)
	// WaitStart runs before a waiter's first poll; its context reaches the
	// poll calls, Poll and WaitEnd.
	WaitStart func(ctx context.Context, w *WaitInfo) context.Context
	// Poll runs after each poll response has been classified.
	Poll func(ctx context.Context, w *WaitInfo, p *PollInfo)
	// WaitEnd runs when the waiter returns; err is its error.
	WaitEnd func(ctx context.Context, w *WaitInfo, err error)
	// Session reports a session or channel lifecycle event. The context
	// returned for SessionBegin serves the whole session.
	Session func(ctx context.Context, e *SessionEvent) context.Context
}

// CallInfo describes one call of an API.
type CallInfo struct {
	API        string // Go method name, e.g. "VideoMake"
	Service    string // service group, e.g. "Video"
	Method     string // HTTP method
	Host       string // gateway host, e.g. "gw-sg.tvs.qq.com"
	Path       string // request path without query
	Idempotent bool
	RequestID  string // the Header.RequestID sent
}

// CallResult is the outcome of a call.
type CallResult struct {
	Err             error // nil on success; secrets already hidden
	Category        string
	Attempts        int
	Duration        time.Duration
	Status          int    // HTTP status of the last response, 0 when none
	Code            Code   // Header.Code of the last response
	ServerRequestID string // the RequestID the server answered with
	TaskID          string // Payload.TaskId of a success, when present
}

// AttemptInfo describes one finished HTTP attempt and what follows it.
type AttemptInfo struct {
	Attempt         int           // 1 for the first
	Status          int           // HTTP status, 0 when no response came
	Code            Code          // Header.Code, 0 on success or without envelope
	Err             error         // the attempt's failure, nil on success
	Category        string        // ErrorCategory(Err)
	Duration        time.Duration // send to body read
	Retry           bool          // another attempt follows
	Reason          string        // why it is retried or not: "throttled", "ambiguous", "attempts exhausted", ...
	Backoff         time.Duration // wait before the next attempt
	SkewCorrection  time.Duration // clock offset applied to the signing time
	ServerRequestID string        // the RequestID the server answered with, if any
}

// WaitInfo describes one waiter run.
type WaitInfo struct {
	Waiter string // e.g. "WaitVideoMake"
	API    string // the polling API, e.g. "GetProgress"
	ID     string // task or session id
}

// PollInfo describes one poll response.
type PollInfo struct {
	Poll     int // 1 for the first
	State    TaskState
	Status   string // the status field's value
	Progress int    // progress percentage, -1 when the response has none
	Queue    int    // tasks queued ahead, -1 when the response has none
	Err      error  // the poll call's error, or the failure the state carries
}

// SessionEventKind names a session or channel lifecycle event.
type SessionEventKind string

// The lifecycle events, in the order a session meets them.
const (
	SessionBegin     SessionEventKind = "begin"   // before the create call
	SessionCreated   SessionEventKind = "created" // the create call returned a session id
	SessionReady     SessionEventKind = "ready"   // the wait until ready ended
	SessionStarted   SessionEventKind = "started" // the start call succeeded
	ChannelOpened    SessionEventKind = "channel-opened"
	ChannelLost      SessionEventKind = "channel-lost"      // the socket dropped
	ChannelReconnect SessionEventKind = "channel-reconnect" // redialled; Attempt counts the tries
	ChannelClosed    SessionEventKind = "channel-closed"
	SessionClosed    SessionEventKind = "closed" // the session ended; Err is the run's error
)

// SessionEvent is one lifecycle event.
type SessionEvent struct {
	Kind      SessionEventKind
	SessionID string // "" before the create call returns
	Attempt   int    // reconnect attempt, else 0
	Err       error  // the failure that came with the event, if any
}

// WithHooks adds observers; several WithHooks (and WithLogger) all run, in
// the order given.
func WithHooks(h ...Hooks) Option {
	return func(c *Client) error { c.setup.hooks = append(c.setup.hooks, h...); return nil }
}

// hookList runs several Hooks; a nil *hookList means none, which is the
// only check the hot path makes.
type hookList []Hooks

func newHookList(hs []Hooks) *hookList {
	if len(hs) == 0 {
		return nil
	}
	l := hookList(hs)
	return &l
}

func (l *hookList) callStart(ctx context.Context, ci *CallInfo) context.Context {
	for _, h := range *l {
		if h.CallStart != nil {
			ctx = keep(ctx, h.CallStart(ctx, ci))
		}
	}
	return ctx
}

func (l *hookList) hasCallEnd() bool {
	for _, h := range *l {
		if h.CallEnd != nil {
			return true
		}
	}
	return false
}

func (l *hookList) callEnd(ctx context.Context, ci *CallInfo, res *CallResult) {
	for _, h := range *l {
		if h.CallEnd != nil {
			h.CallEnd(ctx, ci, res)
		}
	}
}

func (l *hookList) attemptStart(ctx context.Context, ci *CallInfo, n int) context.Context {
	for _, h := range *l {
		if h.AttemptStart != nil {
			ctx = keep(ctx, h.AttemptStart(ctx, ci, n))
		}
	}
	return ctx
}

func (l *hookList) attemptEnd(ctx context.Context, ci *CallInfo, a *AttemptInfo) {
	for _, h := range *l {
		if h.AttemptEnd != nil {
			h.AttemptEnd(ctx, ci, a)
		}
	}
}

func (l *hookList) waitStart(ctx context.Context, w *WaitInfo) context.Context {
	for _, h := range *l {
		if h.WaitStart != nil {
			ctx = keep(ctx, h.WaitStart(ctx, w))
		}
	}
	return ctx
}

func (l *hookList) poll(ctx context.Context, w *WaitInfo, p *PollInfo) {
	for _, h := range *l {
		if h.Poll != nil {
			h.Poll(ctx, w, p)
		}
	}
}

func (l *hookList) waitEnd(ctx context.Context, w *WaitInfo, err error) {
	for _, h := range *l {
		if h.WaitEnd != nil {
			h.WaitEnd(ctx, w, err)
		}
	}
}

func (l *hookList) session(ctx context.Context, e *SessionEvent) context.Context {
	if l == nil {
		return ctx
	}
	for _, h := range *l {
		if h.Session != nil {
			ctx = keep(ctx, h.Session(ctx, e))
		}
	}
	return ctx
}

// keep returns next unless a hook returned nil. A hook's context supplies
// values (a trace span) only: the caller's deadline and cancellation stay,
// even when the hook built its context from context.Background().
func keep(ctx, next context.Context) context.Context {
	if next == nil || next == ctx {
		return ctx
	}
	if next.Err() != nil {
		return next // a hook that returns a dead context ends the call
	}
	if next.Done() == ctx.Done() && next.Err() == ctx.Err() {
		d1, ok1 := next.Deadline()
		d2, ok2 := ctx.Deadline()
		if ok1 == ok2 && d1.Equal(d2) {
			return next // derived from ctx by values alone, the usual case
		}
	}
	return hookCtx{Context: ctx, values: next}
}

// hookCtx is the caller's context with a hook's values.
type hookCtx struct {
	context.Context
	values context.Context
}

func (c hookCtx) Value(key any) any { return c.values.Value(key) }

// ErrorCategory names the kind of a runtime error for metrics and traces:
// "" for nil, the code's Category for an *APIError ("api" when the code is
// not in the table), else one of "validation", "outcome-unknown", "http",
// "transport", "protocol", "task-failed", "canceled", "deadline", "other".
func ErrorCategory(err error) string {
	var (
		ve *ValidationError
		ou *OutcomeUnknownError
		ae *APIError
		he *HTTPError
		te *TransportError
		pe *ProtocolError
		tf *TaskFailedError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ve):
		return "validation"
	case errors.As(err, &ou):
		return "outcome-unknown"
	case errors.As(err, &ae):
		if c := ae.category(); c != "" {
			return string(c)
		}
		return "api"
	case errors.As(err, &he):
		return "http"
	case errors.As(err, &pe):
		return "protocol"
	case errors.As(err, &tf):
		return "task-failed"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline"
	case errors.As(err, &te):
		return "transport"
	}
	return "other"
}
