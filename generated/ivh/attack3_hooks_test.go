package ivh_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

// silentServer never answers until the test ends.
func silentServer(t *testing.T) string {
	t.Helper()
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(func() { close(done); srv.Close() })
	return srv.URL
}

// A hook that hands back a context detached from the caller's (a common
// mistake: context.Background() with a span in it) must not take away the
// caller's deadline or cancellation.
func TestAttack3HookDetachedContextKeepsCallerDeadline(t *testing.T) {
	for name, h := range map[string]ivh.Hooks{
		"CallStart": {CallStart: func(context.Context, *ivh.CallInfo) context.Context { return context.Background() }},
		"AttemptStart": {AttemptStart: func(context.Context, *ivh.CallInfo, int) context.Context {
			return context.Background()
		}},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := ivh.NewClient("appkey", hostileToken, ivh.WithBaseURL(silentServer(t)), ivh.WithTimeout(10*time.Second),
				ivh.WithRetryPolicy(ivh.RetryPolicy{MaxAttempts: 1}), ivh.WithHooks(h))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			start := time.Now()
			done := make(chan error, 1)
			go func() {
				_, err := c.Video.GetProgress(ctx, &ivh.GetProgressRequest{TaskID: "t"}, ivh.SkipValidation())
				done <- err
			}()
			select {
			case err := <-done:
				if took := time.Since(start); took > 2*time.Second {
					t.Fatalf("call took %v past a 100ms caller deadline", took)
				}
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Logf("err = %v", err)
				}
			case <-time.After(3 * time.Second):
				t.Fatal("call ignored the caller's 100ms deadline after a hook returned context.Background()")
			}
		})
	}
}

// A hook that returns a cancelled context makes the call fail fast, not hang.
func TestAttack3HookCancelledContext(t *testing.T) {
	h := ivh.Hooks{CallStart: func(ctx context.Context, _ *ivh.CallInfo) context.Context {
		c, cancel := context.WithCancel(ctx)
		cancel()
		return c
	}}
	c, err := ivh.NewClient("appkey", hostileToken, ivh.WithBaseURL(silentServer(t)), ivh.WithTimeout(10*time.Second), ivh.WithHooks(h))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := c.Video.GetProgress(context.Background(), &ivh.GetProgressRequest{TaskID: "t"}, ivh.SkipValidation())
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("nil error from a cancelled context")
		}
	case <-time.After(3 * time.Second):
		t.Fatal("hang on a cancelled hook context")
	}
}

// A nil-returning hook keeps the caller's context (documented).
func TestAttack3HookNilContext(t *testing.T) {
	h := ivh.Hooks{
		CallStart:    func(context.Context, *ivh.CallInfo) context.Context { return nil },
		AttemptStart: func(context.Context, *ivh.CallInfo, int) context.Context { return nil },
	}
	c, err := ivh.NewClient("appkey", hostileToken, ivh.WithBaseURL(silentServer(t)), ivh.WithTimeout(10*time.Second),
		ivh.WithRetryPolicy(ivh.RetryPolicy{MaxAttempts: 1}), ivh.WithHooks(h))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.Video.GetProgress(ctx, &ivh.GetProgressRequest{TaskID: "t"}, ivh.SkipValidation())
		done <- err
	}()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("hang after a nil hook context")
	}
}
