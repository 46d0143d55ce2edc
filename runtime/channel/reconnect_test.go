package channel_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/channel/channeltest"
)

func TestReconnectAfterDrop(t *testing.T) {
	var checks atomic.Int32
	var tick atomic.Int64
	f := newFixture(t)
	c := f.dial(t, func(cfg *channel.Config) {
		cfg.SessionAlive = func(context.Context) (bool, error) { checks.Add(1); return true, nil }
		cfg.Backoff = func(int) time.Duration { return time.Millisecond }
		// Each handshake is signed with a later timestamp.
		cfg.Clock = func() time.Time { return time.Now().Add(time.Duration(tick.Add(1)) * time.Second) }
	})
	drop(t, f.h)
	if err := f.h.WaitAccepted(ctx(t), 2); err != nil {
		t.Fatal(err)
	}
	id, err := c.SendText(ctx(t), "after the drop")
	if err != nil {
		t.Fatal(err)
	}
	if d := recvDownstream(t, c); d.ReqID != id || d.SpeakStatus != "TextStart" {
		t.Fatalf("after reconnect: %+v", d)
	}
	ups := f.h.Upstream()
	if len(ups) != 1 || ups[0].Conn != 2 {
		t.Fatalf("upstream = %+v", ups)
	}
	if c.Reconnects() != 1 || checks.Load() != 1 || f.h.Rejected() != 0 {
		t.Fatalf("reconnects=%d checks=%d rejected=%d", c.Reconnects(), checks.Load(), f.h.Rejected())
	}
}

func TestSendWaitsForReconnect(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newPipeFixture()
		defer f.close()
		cfg := f.config()
		cfg.SessionAlive = func(context.Context) (bool, error) { return true, nil }
		cfg.Backoff = func(n int) time.Duration { return time.Duration(n) * 3 * time.Second }
		c, err := channel.Dial(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		start := time.Now()
		drop(t, f.h)
		synctest.Wait()
		if _, err := c.SendText(t.Context(), "queued"); err != nil {
			t.Fatal(err)
		}
		ups, _ := f.h.WaitUpstream(t.Context(), 1, nil)
		if ups[0].Conn != 2 || ups[0].At.Sub(start) != 3*time.Second {
			t.Fatalf("sent on conn %d at %s, want conn 2 at 3s", ups[0].Conn, ups[0].At.Sub(start))
		}
		// A Send whose context ends while waiting gives up cleanly.
		drop(t, f.h)
		synctest.Wait()
		sctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		if _, err := c.SendText(sctx, "too late"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestSessionEndedIsReported(t *testing.T) {
	var ended atomic.Bool
	f := newFixture(t, channeltest.WithAdmit(func(string) (int, string) {
		if ended.Load() {
			return 110013, "session already closed"
		}
		return 0, ""
	}))
	c := f.dial(t, func(cfg *channel.Config) {
		cfg.SessionAlive = func(context.Context) (bool, error) { return !ended.Load(), nil }
		cfg.Backoff = func(int) time.Duration { return time.Millisecond }
	})
	ended.Store(true)
	drop(t, f.h)
	_, err := c.Recv(ctx(t))
	var se *channel.SessionEndedError
	if !errors.Is(err, channel.ErrSessionEnded) || !errors.As(err, &se) || se.SessionID != session || se.Cause == nil {
		t.Fatalf("Recv = %v", err)
	}
	if _, err := c.SendText(ctx(t), "x"); !errors.Is(err, channel.ErrSessionEnded) {
		t.Fatalf("Send = %v", err)
	}
	var last error
	for _, err := range c.Messages(ctx(t)) {
		last = err
	}
	if !errors.Is(last, channel.ErrSessionEnded) {
		t.Fatalf("Messages ended with %v", last)
	}
	if f.h.Accepted() != 1 || f.h.Rejected() != 0 {
		t.Fatalf("accepted=%d rejected=%d: an ended session should not be redialled", f.h.Accepted(), f.h.Rejected())
	}
}

func TestDropWithoutSessionAliveEndsChannel(t *testing.T) {
	f := newFixture(t)
	c := f.dial(t, nil)
	drop(t, f.h)
	_, err := c.Recv(ctx(t))
	if !errors.Is(err, channel.ErrConnectionLost) {
		t.Fatalf("Recv = %v", err)
	}
	if f.h.Accepted() != 1 {
		t.Fatal("redialled without SessionAlive")
	}
}

func TestReconnectGivesUp(t *testing.T) {
	var refuse atomic.Bool
	var checkErrs atomic.Int32
	f := newFixture(t, channeltest.WithAdmit(func(string) (int, string) {
		if refuse.Load() {
			return 110014, "session not ready"
		}
		return 0, ""
	}))
	var delays []int
	var logs bytes.Buffer
	c := f.dial(t, func(cfg *channel.Config) {
		cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		cfg.MaxReconnects = 3
		cfg.SessionAlive = func(context.Context) (bool, error) {
			if checkErrs.Add(1) == 1 {
				return false, errors.New("statsession timed out")
			}
			return true, nil
		}
		cfg.Backoff = func(n int) time.Duration { delays = append(delays, n); return time.Millisecond }
	})
	refuse.Store(true)
	drop(t, f.h)
	_, err := c.Recv(ctx(t))
	var re *channel.ReconnectError
	var de *channel.DialError
	if !errors.As(err, &re) || re.Attempts != 3 || !errors.As(err, &de) || de.Code != 110014 || de.StatusCode != 400 {
		t.Fatalf("Recv = %v", err)
	}
	// The first check failed, yet the channel dialled on every attempt.
	if f.h.Rejected() != 3 || len(delays) != 3 || delays[2] != 3 {
		t.Fatalf("rejected=%d delays=%v", f.h.Rejected(), delays)
	}
	assertNoSecret(t, err, token)
	c.Close() // the logger is written by the channel's goroutines until then
	for _, want := range []string{"connection lost", "session check failed", "redial failed", "110014"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
	if strings.Contains(logs.String(), token) || strings.Contains(logs.String(), "signature=") {
		t.Fatalf("log leaks a secret:\n%s", logs.String())
	}
}

func TestCloseDuringBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newPipeFixture()
		defer f.close()
		cfg := f.config()
		cfg.SessionAlive = func(context.Context) (bool, error) { return true, nil }
		cfg.Backoff = func(int) time.Duration { return time.Hour }
		c, err := channel.Dial(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		drop(t, f.h)
		synctest.Wait()
		start := time.Now()
		c.Close()
		if time.Since(start) != 0 {
			t.Fatalf("Close waited %s for the backoff", time.Since(start))
		}
		if _, err := c.Recv(t.Context()); !errors.Is(err, channel.ErrClosed) {
			t.Fatalf("Recv = %v", err)
		}
	})
}

func TestCloseDuringSessionCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newPipeFixture()
		defer f.close()
		cfg := f.config()
		cfg.SessionAlive = func(ctx context.Context) (bool, error) { <-ctx.Done(); return false, ctx.Err() }
		c, err := channel.Dial(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		drop(t, f.h)
		synctest.Wait()
		c.Close()
		if _, err := c.Recv(t.Context()); !errors.Is(err, channel.ErrClosed) {
			t.Fatalf("Recv = %v", err)
		}
		if f.h.Accepted() != 1 {
			t.Fatal("redialled after Close")
		}
	})
}
