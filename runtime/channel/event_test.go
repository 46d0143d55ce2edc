package channel_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/channel"
)

// TestOnEventReportsDropReconnectAndClose: OnEvent hears of the drop, the
// reconnect with its attempt number, and the close, once.
func TestOnEventReportsDropReconnectAndClose(t *testing.T) {
	var mu sync.Mutex
	var got []channel.Event
	f := newFixture(t)
	c := f.dial(t, func(cfg *channel.Config) {
		cfg.SessionAlive = func(context.Context) (bool, error) { return true, nil }
		cfg.Backoff = func(int) time.Duration { return time.Millisecond }
		cfg.OnEvent = func(e channel.Event) { mu.Lock(); got = append(got, e); mu.Unlock() }
	})
	drop(t, f.h)
	if err := f.h.WaitAccepted(ctx(t), 2); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SendText(ctx(t), "after the drop"); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c.Close()
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 3 || got[0].Kind != channel.EventLost || got[0].Err == nil ||
		got[1] != (channel.Event{Kind: channel.EventReconnected, Attempt: 1}) || got[2] != (channel.Event{Kind: channel.EventClosed}) {
		t.Fatalf("events = %+v", got)
	}
}

// TestOnEventReportsTerminalError: a channel that cannot reconnect ends
// with EventClosed carrying why.
func TestOnEventReportsTerminalError(t *testing.T) {
	ended := make(chan channel.Event, 4)
	f := newFixture(t)
	c := f.dial(t, func(cfg *channel.Config) {
		cfg.SessionAlive = func(context.Context) (bool, error) { return false, nil }
		cfg.OnEvent = func(e channel.Event) {
			if e.Kind == channel.EventClosed {
				ended <- e
			}
		}
	})
	drop(t, f.h)
	select {
	case e := <-ended:
		var se *channel.SessionEndedError
		if !errors.As(e.Err, &se) {
			t.Fatalf("closed with %v", e.Err)
		}
	case <-ctx(t).Done():
		t.Fatal("no EventClosed")
	}
	c.Close()
	if len(ended) != 0 {
		t.Fatal("EventClosed reported twice")
	}
}
