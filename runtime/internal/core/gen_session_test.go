package core_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// lifecycle records the steps RunSession takes.
type lifecycle struct {
	calls       []string
	createID    string
	createErr   error
	closeErr    error
	closeCtxErr error         // the close context's error when Close ran
	closeLeft   time.Duration // time left on it
	closed      bool
}

func (l *lifecycle) steps() core.SessionSteps {
	return core.SessionSteps{
		Create: func(context.Context) (string, error) {
			l.calls = append(l.calls, "create")
			return l.createID, l.createErr
		},
		Start: func(context.Context, string) error { l.calls = append(l.calls, "start"); return nil },
		Close: func(ctx context.Context, id string) error {
			l.calls = append(l.calls, "close "+id)
			dl, _ := ctx.Deadline()
			l.closed, l.closeCtxErr, l.closeLeft = true, ctx.Err(), time.Until(dl)
			return l.closeErr
		},
	}
}

func TestRunSessionCloseOutcomes(t *testing.T) {
	gone := &core.APIError{Code: 110013, Message: "already closed"}
	other := errors.New("network down")
	for name, tc := range map[string]struct {
		l     lifecycle
		check func(t *testing.T, err error, l *lifecycle)
	}{
		"create failed, nothing to close": {lifecycle{createErr: other}, func(t *testing.T, err error, l *lifecycle) {
			if !errors.Is(err, other) || len(l.calls) != 1 {
				t.Fatalf("err=%v calls=%v", err, l.calls)
			}
		}},
		"wait failed after create: closed": {lifecycle{createID: "s1", createErr: other}, func(t *testing.T, err error, l *lifecycle) {
			if !errors.Is(err, other) || len(l.calls) != 2 || l.calls[1] != "close s1" {
				t.Fatalf("err=%v calls=%v", err, l.calls)
			}
		}},
		"create without an id or error: an error, fn not run": {lifecycle{}, func(t *testing.T, err error, l *lifecycle) {
			if err == nil || len(l.calls) != 1 {
				t.Fatalf("err=%v calls=%v", err, l.calls)
			}
		}},
		"already closed counts as closed": {lifecycle{createID: "s1", closeErr: gone}, func(t *testing.T, err error, l *lifecycle) {
			if err != nil {
				t.Fatalf("err=%v", err)
			}
		}},
		"failed close is reported": {lifecycle{createID: "s1", closeErr: other}, func(t *testing.T, err error, l *lifecycle) {
			var ce *core.SessionCloseError
			if !errors.As(err, &ce) || ce.SessionID != "s1" || !errors.Is(err, other) {
				t.Fatalf("err=%v", err)
			}
		}},
	} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			cfg := core.NewSessionConfig(core.WithCloseTimeout(3 * time.Second))
			err := core.RunSession(ctx, tc.l.steps(), cfg, func(ctx context.Context, id string) error {
				cancel() // the close must not inherit this
				return nil
			}, 110013)
			tc.check(t, err, &tc.l)
			if tc.l.closed && (tc.l.closeCtxErr != nil || tc.l.closeLeft <= 0 || tc.l.closeLeft > 3*time.Second) {
				t.Fatalf("close context: err=%v time left=%v", tc.l.closeCtxErr, tc.l.closeLeft)
			}
		})
	}
}
