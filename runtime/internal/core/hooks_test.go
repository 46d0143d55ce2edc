package core_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

type ctxKey string

// recorder is a Hooks user that keeps every event as a line and every
// argument in full (%+v), for order and secret checks.
type recorder struct {
	mu       sync.Mutex
	events   []string
	dump     strings.Builder
	attempts []core.AttemptInfo
	polls    []core.PollInfo
	results  []core.CallResult
	seen     []any // ctx values the end hooks saw
}

func (r *recorder) add(ev string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	for _, a := range args {
		fmt.Fprintf(&r.dump, "%+v\n", a)
		if e, ok := a.(error); ok && e != nil {
			r.dump.WriteString(e.Error() + "\n")
		}
	}
}

func (r *recorder) hooks() core.Hooks {
	return core.Hooks{
		CallStart: func(ctx context.Context, ci *core.CallInfo) context.Context {
			r.add("call-start "+ci.API, *ci)
			return context.WithValue(ctx, ctxKey("call"), ci.RequestID)
		},
		CallEnd: func(ctx context.Context, ci *core.CallInfo, res *core.CallResult) {
			r.add("call-end "+ci.API, *ci, *res, res.Err)
			r.mu.Lock()
			r.results = append(r.results, *res)
			r.seen = append(r.seen, ctx.Value(ctxKey("call")))
			r.mu.Unlock()
		},
		AttemptStart: func(ctx context.Context, ci *core.CallInfo, n int) context.Context {
			r.add(fmt.Sprintf("attempt-start %d", n))
			return context.WithValue(ctx, ctxKey("attempt"), n)
		},
		AttemptEnd: func(ctx context.Context, ci *core.CallInfo, a *core.AttemptInfo) {
			r.add(fmt.Sprintf("attempt-end %d", a.Attempt), *a, a.Err)
			r.mu.Lock()
			r.attempts = append(r.attempts, *a)
			r.seen = append(r.seen, ctx.Value(ctxKey("attempt")))
			r.mu.Unlock()
		},
		WaitStart: func(ctx context.Context, w *core.WaitInfo) context.Context {
			r.add("wait-start "+w.Waiter, *w)
			return nil // keeps ctx
		},
		Poll: func(ctx context.Context, w *core.WaitInfo, p *core.PollInfo) {
			r.add(fmt.Sprintf("poll %d", p.Poll), *p, p.Err)
			r.mu.Lock()
			r.polls = append(r.polls, *p)
			r.mu.Unlock()
		},
		WaitEnd: func(ctx context.Context, w *core.WaitInfo, err error) { r.add("wait-end", err) },
		Session: func(ctx context.Context, e *core.SessionEvent) context.Context {
			r.add("session "+string(e.Kind), *e, e.Err)
			return nil
		},
	}
}

func (r *recorder) lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...)
}

// TestHooks_CallThatRetries: a 503 then a success gives one call with two
// attempts, the first retried for "ambiguous" after its backoff, and the
// contexts the hooks return reach the attempt and the end hooks.
func TestHooks_CallThatRetries(t *testing.T) {
	var rec recorder
	var sawAttemptCtx []any
	c, _ := scripted(t, func(n int, r *http.Request) (*http.Response, error) {
		sawAttemptCtx = append(sawAttemptCtx, r.Context().Value(ctxKey("attempt")))
		if n == 1 {
			return jsonResponse(503, "busy"), nil
		}
		return jsonResponse(200, `{"Header":{"Code":0,"RequestID":"srv-2"},"Payload":{"TaskId":"t-7"}}`), nil
	}, core.WithHooks(rec.hooks()))
	_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{}, core.WithRequestID("rid-1"))
	require.NoError(t, err)
	assert.Equal(t, []string{"call-start " + idemOp.Name, "attempt-start 1", "attempt-end 1", "attempt-start 2", "attempt-end 2", "call-end " + idemOp.Name}, rec.lines())
	assert.Equal(t, []any{1, 2}, sawAttemptCtx, "the request carries the attempt's context")
	first, second := rec.attempts[0], rec.attempts[1]
	assert.Equal(t, 503, first.Status)
	assert.True(t, first.Retry)
	assert.Equal(t, "ambiguous", first.Reason)
	assert.Equal(t, "http", first.Category)
	assert.Positive(t, first.Backoff)
	assert.False(t, second.Retry)
	assert.NoError(t, second.Err)
	assert.Equal(t, "srv-2", second.ServerRequestID)
	res := rec.results[0]
	assert.Equal(t, core.CallResult{Attempts: 2, Status: 200, ServerRequestID: "srv-2", TaskID: "t-7", Duration: res.Duration}, res)
	assert.Equal(t, []any{1, 2, "rid-1"}, rec.seen)
}

// TestHooks_FailureCategoryAndReason: a non-retryable code ends after one
// attempt; the attempt says why and the call carries the category.
func TestHooks_FailureCategoryAndReason(t *testing.T) {
	var rec recorder
	c, _ := scripted(t, codeResp(100005), core.WithHooks(rec.hooks()))
	_, err := core.Do[makeReq, makeResp](context.Background(), c, createOp, &makeReq{})
	require.Error(t, err)
	require.Len(t, rec.attempts, 1)
	assert.Equal(t, "not retryable: final", rec.attempts[0].Reason)
	assert.Equal(t, core.Code(100005), rec.attempts[0].Code)
	assert.Equal(t, "auth", rec.results[0].Category)
	assert.Equal(t, core.Code(100005), rec.results[0].Code)
	assert.Equal(t, 1, rec.results[0].Attempts)
}

// TestHooks_ValidationFailure: a call refused before sending still starts
// and ends, with no attempt.
func TestHooks_ValidationFailure(t *testing.T) {
	var rec recorder
	c, reqs := scripted(t, codeResp(0), core.WithHooks(rec.hooks()))
	_, err := core.Do[validatedReq, makeResp](context.Background(), c, idemOp, &validatedReq{})
	require.Error(t, err)
	assert.Empty(t, *reqs)
	assert.Equal(t, []string{"call-start " + idemOp.Name, "call-end " + idemOp.Name}, rec.lines())
	assert.Equal(t, "validation", rec.results[0].Category)
}

// TestHooks_SeveralRunInOrder: every WithHooks runs, the logger too.
func TestHooks_SeveralRunInOrder(t *testing.T) {
	var a, b recorder
	var logs logBuffer
	c, _ := scripted(t, codeResp(0), core.WithHooks(a.hooks()), core.WithLogger(logs.logger()), core.WithHooks(b.hooks()))
	_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	require.NoError(t, err)
	assert.Len(t, a.lines(), 4)
	assert.Equal(t, a.lines(), b.lines())
	assert.Contains(t, logs.String(), "apaas attempt")
}

// TestHooks_WaitPolls: three polls reach the Poll hook with what Describe
// reads, and the poll calls run under the wait's context.
func TestHooks_WaitPolls(t *testing.T) {
	var rec recorder
	c, _ := scripted(t, codeResp(0), core.WithHooks(rec.hooks()))
	n := 0
	w := core.Waiter[makeResp]{
		Client: c, Info: core.WaitInfo{Waiter: "WaitMake", API: "GetProgress", ID: "t-1"},
		Poll: func(ctx context.Context) (*makeResp, error) {
			n++
			return core.Do[makeReq, makeResp](ctx, c, idemOp, &makeReq{})
		},
		Classify: func(*makeResp) (core.TaskState, error) {
			if n == 3 {
				return core.TaskSucceeded, nil
			}
			return core.TaskPending, nil
		},
		Describe: func(*makeResp) core.PollInfo { return core.PollInfo{Status: "RUN", Progress: n * 30, Queue: 3 - n} },
	}
	clk := newFakeClock()
	_, err := core.WaitFor(context.Background(), w, core.WithWaitSleeper(clk))
	require.NoError(t, err)
	require.Len(t, rec.polls, 3)
	assert.Equal(t, core.PollInfo{Poll: 3, State: core.TaskSucceeded, Status: "RUN", Progress: 90, Queue: 0}, rec.polls[2])
	ls := rec.lines()
	assert.Equal(t, "wait-start WaitMake", ls[0])
	assert.Equal(t, "wait-end", ls[len(ls)-1])
	assert.Len(t, clk.Sleeps(), 2)
}

// TestHooks_WaitPollError: a failed poll is reported, without Describe.
func TestHooks_WaitPollError(t *testing.T) {
	var rec recorder
	c, _ := scripted(t, codeResp(0), core.WithHooks(rec.hooks()))
	boom := errors.New("boom")
	_, err := core.WaitFor(context.Background(), core.Waiter[makeResp]{Client: c,
		Poll:     func(context.Context) (*makeResp, error) { return nil, boom },
		Classify: func(*makeResp) (core.TaskState, error) { t.Fatal("classified a failed poll"); return 0, nil },
	})
	require.ErrorIs(t, err, boom)
	assert.Equal(t, []core.PollInfo{{Poll: 1, Progress: -1, Queue: -1, Err: boom}}, rec.polls)
}

// TestHooks_SessionLifecycle: RunSession reports begin, created, ready,
// started and closed, in that order, and closed carries fn's error.
func TestHooks_SessionLifecycle(t *testing.T) {
	var rec recorder
	c, _ := scripted(t, codeResp(0), core.WithHooks(rec.hooks()))
	l := lifecycle{createID: "s1"}
	steps := l.steps()
	steps.Client = c
	steps.Ready = func(context.Context, string) error { l.calls = append(l.calls, "ready"); return nil }
	bad := errors.New("fn failed")
	err := core.RunSession(context.Background(), steps, core.NewSessionConfig(), func(context.Context, string) error { return bad })
	require.ErrorIs(t, err, bad)
	assert.Equal(t, []string{"create", "ready", "start", "close s1"}, l.calls)
	assert.Equal(t, []string{"session begin", "session created", "session ready", "session started", "session closed"}, rec.lines())
	assert.Contains(t, rec.dump.String(), "fn failed")
}

// TestHooks_SessionNeverCreated: a failed create reports begin and closed.
func TestHooks_SessionNeverCreated(t *testing.T) {
	var rec recorder
	c, _ := scripted(t, codeResp(0), core.WithHooks(rec.hooks()))
	l := lifecycle{createErr: errors.New("no")}
	steps := l.steps()
	steps.Client = c
	require.Error(t, core.RunSession(context.Background(), steps, core.NewSessionConfig(), nil))
	assert.Equal(t, []string{"session begin", "session closed"}, rec.lines())
}

func TestErrorCategory(t *testing.T) {
	for want, err := range map[string]error{
		"":                nil,
		"validation":      &core.ValidationError{},
		"outcome-unknown": &core.OutcomeUnknownError{Err: &core.APIError{Code: 100005}},
		"auth":            &core.RetryError{Err: &core.APIError{Code: 100005}},
		"api":             &core.APIError{Code: 424242},
		"http":            &core.HTTPError{StatusCode: 502},
		"protocol":        &core.ProtocolError{},
		"task-failed":     &core.TaskFailedError{},
		"canceled":        fmt.Errorf("x: %w", context.Canceled),
		"deadline":        &core.TransportError{Err: context.DeadlineExceeded},
		"transport":       &core.TransportError{Err: errors.New("reset")},
		"other":           errors.New("?"),
	} {
		assert.Equal(t, want, core.ErrorCategory(err), "%v", err)
	}
}

// TestHooks_NumericTaskID: a TaskId the gateway sends as a number still
// reaches CallEnd.
func TestHooks_NumericTaskID(t *testing.T) {
	var rec recorder
	c, _ := scripted(t, bodyResp(200, `{"Header":{"Code":0},"Payload":{"TaskId":1234567}}`), core.WithHooks(rec.hooks()))
	_, err := core.Do[makeReq, struct{}](context.Background(), c, idemOp, &makeReq{})
	require.NoError(t, err)
	assert.Equal(t, "1234567", rec.results[0].TaskID)
}
