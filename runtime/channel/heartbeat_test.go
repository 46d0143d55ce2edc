package channel_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/channel/channeltest"
)

func isHeartbeat(u channeltest.Upstream) bool { return u.Command == "SEND_HEARTBEAT" }

func TestHeartbeatTiming(t *testing.T) {
	for _, every := range []time.Duration{0, channel.MinHeartbeat, 4 * time.Minute, channel.MaxHeartbeat} {
		t.Run(every.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newPipeFixture()
				defer f.close()
				cfg := f.config()
				cfg.Heartbeat = every
				start := time.Now()
				c, err := channel.Dial(t.Context(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				want := every
				if want == 0 {
					want = channel.DefaultHeartbeat
				}
				time.Sleep(3*want + want/2)
				synctest.Wait()
				c.Close()
				ups, _ := f.h.WaitUpstream(t.Context(), 0, isHeartbeat)
				if len(ups) != 3 {
					t.Fatalf("got %d heartbeats in 3.5 intervals, want 3", len(ups))
				}
				ids := map[string]bool{}
				for i, u := range ups {
					if got := u.At.Sub(start); got != time.Duration(i+1)*want {
						t.Errorf("heartbeat %d at %s, want %s", i+1, got, time.Duration(i+1)*want)
					}
					var d struct{ Text string }
					if json.Unmarshal(u.Data, &d); d.Text != "PING" || u.Problem != "" || ids[u.ReqID] {
						t.Errorf("heartbeat %d: %s (problem %q)", i+1, u.Raw, u.Problem)
					}
					ids[u.ReqID] = true
				}
			})
		})
	}
}

func TestHeartbeatOutOfRangeIsRejected(t *testing.T) {
	f := newFixture(t)
	for _, d := range []time.Duration{-time.Second, 29 * time.Second, channel.MaxHeartbeat + time.Second} {
		cfg := f.config()
		cfg.Heartbeat = d
		_, err := channel.Dial(ctx(t), cfg)
		var ce *channel.ConfigError
		if !errors.As(err, &ce) || ce.Field != "Heartbeat" {
			t.Errorf("Heartbeat %s: err = %v, want ConfigError on Heartbeat", d, err)
		}
	}
	if f.h.Accepted()+f.h.Rejected() != 0 {
		t.Fatal("a bad config reached the server")
	}
}

func TestHeartbeatWaitsThroughReconnect(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newPipeFixture()
		defer f.close()
		cfg := f.config()
		cfg.Heartbeat = channel.MinHeartbeat
		cfg.SessionAlive = func(context.Context) (bool, error) { return true, nil }
		cfg.Backoff = func(int) time.Duration { return 45 * time.Second } // longer than one heartbeat
		c, err := channel.Dial(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		start := time.Now()
		time.Sleep(10 * time.Second)
		drop(t, f.h)
		// The tick at 30 s finds no socket and waits for the redial at 10+45 s.
		time.Sleep(47 * time.Second)
		synctest.Wait()
		ups := f.h.Upstream()
		if len(ups) != 1 || ups[0].Conn != 2 || ups[0].At.Sub(start) != 55*time.Second {
			t.Fatalf("upstream = %+v", ups)
		}
		if c.Reconnects() != 1 {
			t.Fatalf("Reconnects = %d", c.Reconnects())
		}
	})
}
