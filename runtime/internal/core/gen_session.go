package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/scrub"
)

// DefaultCloseTimeout bounds the CloseSession call RunSession always makes.
const DefaultCloseTimeout = 10 * time.Second

// SessionSteps are the calls of a session lifecycle; generated Run methods
// fill them from the descriptor.
type SessionSteps struct {
	// Client's hooks hear of the session's lifecycle; nil means none.
	Client *Client
	// Create creates the session (and, without Ready, waits until it is
	// ready). It returns the session id whenever the session was created,
	// also with an error (a failed wait), so that the session is closed.
	Create func(ctx context.Context) (sessionID string, err error)
	// Ready, when set, waits until the created session is ready.
	Ready func(ctx context.Context, sessionID string) error
	// Start starts a ready session.
	Start func(ctx context.Context, sessionID string) error
	// Close closes the session; it gets a fresh context (see RunSession).
	Close func(ctx context.Context, sessionID string) error
}

// SessionConfig holds the options of a Run method.
type SessionConfig struct {
	Channel      []ChannelOption // for the command channel
	Wait         []WaitOption    // for the wait until the session is ready
	CloseTimeout time.Duration   // bounds the final close
}

// SessionOption configures a Run method.
type SessionOption func(*SessionConfig)

// WithChannelOptions passes options to the command channel a Run opens.
func WithChannelOptions(opts ...ChannelOption) SessionOption {
	return func(c *SessionConfig) { c.Channel = append(c.Channel, opts...) }
}

// WithSessionWait passes options to the wait until the session is ready.
func WithSessionWait(opts ...WaitOption) SessionOption {
	return func(c *SessionConfig) { c.Wait = append(c.Wait, opts...) }
}

// WithCloseTimeout bounds the final CloseSession call (default
// DefaultCloseTimeout).
func WithCloseTimeout(d time.Duration) SessionOption {
	return func(c *SessionConfig) { c.CloseTimeout = d }
}

// NewSessionConfig applies opts to the defaults.
func NewSessionConfig(opts ...SessionOption) SessionConfig {
	c := SessionConfig{CloseTimeout: DefaultCloseTimeout}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.CloseTimeout <= 0 {
		c.CloseTimeout = DefaultCloseTimeout
	}
	return c
}

// SessionCloseError reports that closing a session failed; the session may
// still be open and billed. It wraps the close call's error.
type SessionCloseError struct {
	SessionID string
	Err       error
}

// Error names the session and says it may still be billed.
func (e *SessionCloseError) Error() string {
	return fmt.Sprintf("ivhrt: closing session %s failed (it may still be open and billed): %v", scrub.Line(e.SessionID), e.Err)
}

// Unwrap returns the close call's error.
func (e *SessionCloseError) Unwrap() error { return e.Err }

// RunSession creates a session, waits until it is ready, starts it and runs
// fn with its id. Once the session exists it is closed on every way out: fn
// returning, an error from any step, a cancelled ctx and a panic (which is
// re-raised after the close). The close runs under a fresh context detached
// from ctx, bounded by cfg.CloseTimeout, so a cancelled ctx still closes the
// session. A failed close is a *SessionCloseError, joined to fn's error.
// Codes in closed (e.g. "already closed") count as a successful close.
// A Create that succeeds without a session id is an error: fn never runs.
func RunSession(ctx context.Context, steps SessionSteps, cfg SessionConfig, fn func(ctx context.Context, sessionID string) error, closed ...Code) (err error) {
	var hl *hookList
	if steps.Client != nil {
		hl = steps.Client.hooks
	}
	ctx = hl.session(ctx, &SessionEvent{Kind: SessionBegin})
	id, err := steps.Create(ctx)
	if id == "" {
		if err == nil {
			err = errNoSessionID // never report success for a session fn never ran on
		}
		hl.session(ctx, &SessionEvent{Kind: SessionClosed, Err: err})
		return err
	}
	hl.session(ctx, &SessionEvent{Kind: SessionCreated, SessionID: id})
	defer func() {
		r := recover()
		if cerr := closeSession(ctx, steps, cfg, id, closed); cerr != nil {
			err = errors.Join(err, cerr)
		}
		hl.session(ctx, &SessionEvent{Kind: SessionClosed, SessionID: id, Err: err})
		if r != nil {
			panic(r)
		}
	}()
	if err != nil {
		return err
	}
	return runReady(ctx, hl, steps, id, fn)
}

// runReady waits for, starts and runs a created session.
func runReady(ctx context.Context, hl *hookList, steps SessionSteps, id string, fn func(ctx context.Context, sessionID string) error) error {
	if steps.Ready != nil {
		if err := steps.Ready(ctx, id); err != nil {
			return err
		}
	}
	hl.session(ctx, &SessionEvent{Kind: SessionReady, SessionID: id})
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := steps.Start(ctx, id); err != nil {
		return err
	}
	hl.session(ctx, &SessionEvent{Kind: SessionStarted, SessionID: id})
	return fn(ctx, id)
}

// errNoSessionID ends a RunSession whose Create reported success without a
// session id: there is nothing to start, run or close.
var errNoSessionID = errors.New("ivhrt: session create succeeded but returned no session id; nothing was run")

func closeSession(ctx context.Context, steps SessionSteps, cfg SessionConfig, id string, closed []Code) error {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.CloseTimeout)
	defer cancel()
	err := steps.Close(cctx, id)
	if err == nil {
		return nil
	}
	var ae *APIError
	if errors.As(err, &ae) {
		for _, c := range closed {
			if ae.Code == c {
				return nil
			}
		}
	}
	return &SessionCloseError{SessionID: id, Err: err}
}
