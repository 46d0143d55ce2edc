package channel_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/channel/channeltest"
)

func TestExponentialBackoff(t *testing.T) {
	b := channel.ExponentialBackoff(500*time.Millisecond, 8*time.Second)
	for n, upper := range map[int]time.Duration{1: 500 * time.Millisecond, 2: time.Second, 4: 4 * time.Second, 5: 8 * time.Second, 60: 8 * time.Second} {
		for range 200 {
			if d := b(n); d < upper/2 || d > upper {
				t.Fatalf("attempt %d: %s outside [%s, %s]", n, d, upper/2, upper)
			}
		}
	}
	// A cap doubling cannot reach saturates instead of wrapping negative.
	huge := channel.ExponentialBackoff(500*time.Millisecond, math.MaxInt64)
	for range 50 {
		if d := huge(100); d < math.MaxInt64/2 {
			t.Fatalf("attempt 100 under a huge cap: %s", d)
		}
	}
}

func TestOversizedFrameEndsConnection(t *testing.T) {
	f := newFixture(t, channeltest.WithResponder(nil))
	c := f.dial(t, func(cfg *channel.Config) { cfg.ReadLimit = 1024 })
	if c.SessionID() != session {
		t.Fatal(c.SessionID())
	}
	big := `{"Type":4,"Text":"` + strings.Repeat("x", 2048) + `"}`
	f.h.PushRaw(session, []byte(big))
	_, err := c.Recv(ctx(t))
	if !errors.Is(err, channel.ErrConnectionLost) || !errors.Is(err, websocket.ErrMessageTooBig) {
		t.Fatalf("Recv = %v", err)
	}
}

func TestFrameErrorKeepsAtMost4KiB(t *testing.T) {
	f := newFixture(t, channeltest.WithResponder(nil))
	c := f.dial(t, nil)
	f.h.PushRaw(session, []byte(`{"Type":"`+strings.Repeat("9", 10000)+`"}`))
	_, err := c.Recv(ctx(t))
	var fe *channel.FrameError
	if !errors.As(err, &fe) || len(fe.Raw) != 4096 {
		t.Fatalf("err = %v", err)
	}
	// A typed decode that does not fit is a FrameError too, not a panic.
	f.h.PushRaw(session, []byte(`{"Type":4,"Seq":1,"Text":7}`))
	m, err := c.Recv(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	// A number for a string converts, as in Downstream; a number for a
	// list does not.
	var loose struct{ Text string }
	if err := m.Decode(&loose); err != nil || loose.Text != "7" {
		t.Fatalf("loose decode: %+v %v", loose, err)
	}
	var typed struct{ Text []int }
	if err := m.Decode(&typed); !errors.As(err, &fe) {
		t.Fatalf("Decode = %v", err)
	}
	if d, err := m.Downstream(); err != nil || d.Text != "7" {
		t.Fatalf("tolerant decode: %+v %v", d, err)
	}
	f.h.PushRaw(session, []byte(`{"Type":4,"Muted":"maybe"}`))
	if m, err = c.Recv(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Downstream(); !errors.As(err, &fe) {
		t.Fatalf("Downstream = %v", err)
	}
}
