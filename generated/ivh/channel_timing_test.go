package ivh_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/channel/channeltest"
)

// pipeChannel opens the generated channel over an in-memory network inside
// a synctest bubble, so time is virtual and no test sleeps for real.
func pipeChannel(t *testing.T, opts ...ivh.ChannelOption) (*channeltest.Handler, *ivh.CommandChannel, func()) {
	const appKey, token, id = "app", "tok", "session-1"
	h := channeltest.NewHandler(appKey, token)
	p := channeltest.NewPipeNet(h)
	c, err := ivh.NewClient(appKey, token, ivh.WithBaseURL(channeltest.BaseURL), ivh.WithHTTPClient(p.Client()))
	if err != nil {
		t.Fatal(err)
	}
	ch, err := c.Session.OpenCommandChannel(t.Context(), id, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return h, ch, func() { ch.Close(); h.Close(); p.Close() }
}

func TestCommandChannelHeartbeatInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, _, done := pipeChannel(t, ivh.WithHeartbeat(45*time.Second))
		defer done()
		start := time.Now()
		time.Sleep(100 * time.Second)
		synctest.Wait()
		ups := h.Upstream()
		if len(ups) != 2 {
			t.Fatalf("%d heartbeats in 100 s at 45 s, want 2", len(ups))
		}
		for i, u := range ups {
			if u.Command != "SEND_HEARTBEAT" || u.At.Sub(start) != time.Duration(i+1)*45*time.Second || string(u.Data) != `{"Text":"PING"}` {
				t.Errorf("heartbeat %d at %s: %s", i+1, u.At.Sub(start), u.Raw)
			}
		}
	})
}

func TestCommandChannelAudioPacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, ch, done := pipeChannel(t)
		defer done()
		start := time.Now()
		pcm := make([]byte, 9*channel.AudioPacketBytes+1000) // 9 full packets and a short one
		reqID, err := ch.Conn().SendAudio(t.Context(), bytes.NewReader(pcm), channel.AudioOptions{})
		if err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		ups := h.Upstream()
		if len(ups) != 11 {
			t.Fatalf("%d packets, want 10 and a final one", len(ups))
		}
		for i, u := range ups {
			var d struct {
				Audio   string
				Seq     int
				IsFinal bool
			}
			json.Unmarshal(u.Data, &d)
			want := time.Duration(max(i-5, 0)) * channel.AudioInterval // 6 at once, then one per 120 ms
			if i == 10 {
				want = 4 * channel.AudioInterval // the closing packet follows the last at once
			}
			if got := u.At.Sub(start); got != want || u.ReqID != reqID || d.Seq != i+1 || d.IsFinal != (i == 10) {
				t.Errorf("packet %d: at %s (want %s) seq %d final %v", i+1, got, want, d.Seq, d.IsFinal)
			}
		}
	})
}
