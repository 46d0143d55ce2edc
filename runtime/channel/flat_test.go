package channel_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/channel/channeltest"
	"github.com/ivhgen/ivhgen/runtime/internal/apsign"
)

// flatConfig is a driver-channel Config: flat frames, no session, and a
// requestid minted at every handshake.
func flatConfig(base channel.Config) channel.Config {
	base.SessionID, base.Flat, base.FreshParams = "", true, []string{"requestid"}
	return base
}

// checkSigned fails unless q is signed with the test token over appkey,
// requestid (32 hex) and timestamp, and returns its requestid.
func checkSigned(t *testing.T, q url.Values) string {
	t.Helper()
	id := q.Get("requestid")
	if !channel.ValidReqID(id) || q.Get("appkey") != appKey || q.Get("timestamp") == "" {
		t.Fatalf("handshake query %v", q)
	}
	if want := apsign.Sign(token, q); q.Get("signature") != want {
		t.Fatalf("signature %q, want %q over %q", q.Get("signature"), want, apsign.StringToSign(q))
	}
	return id
}

func TestFlatFrameGoesOverTheWireAsDeclared(t *testing.T) {
	f := newFixture(t, channeltest.WithFlat())
	c, err := channel.Dial(ctx(t), flatConfig(f.config()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	frame := struct {
		StreamID  string `json:"StreamId"`
		InputText string `json:"InputText,omitempty"`
	}{"s-1", "hello"}
	id := channel.NewReqID()
	if err := c.SendFrame(ctx(t), id, frame); err != nil {
		t.Fatal(err)
	}
	if err := c.SendFrame(ctx(t), channel.NewReqID(), nil); err != nil {
		t.Fatal(err)
	}
	ups, err := f.h.WaitUpstream(ctx(t), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"ReqId":"` + id + `","StreamId":"s-1","InputText":"hello"}`; string(ups[0].Raw) != want || ups[0].Problem != "" {
		t.Fatalf("frame %s (problem %q), want %s", ups[0].Raw, ups[0].Problem, want)
	}
	if want := `{"ReqId":"` + ups[1].ReqID + `"}`; string(ups[1].Raw) != want || ups[1].Problem != "" {
		t.Fatalf("nil frame %s, want %s", ups[1].Raw, want)
	}
	checkSigned(t, ups[0].Query)
	if c.SessionID() != "" {
		t.Fatalf("SessionID = %q on a flat channel", c.SessionID())
	}
}

func TestFlatChannelRefusesEnvelopeSendsAndBadFrames(t *testing.T) {
	f := newFixture(t, channeltest.WithFlat())
	c, err := channel.Dial(ctx(t), flatConfig(f.config()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var se *channel.SendError
	for name, err := range map[string]error{
		"Send":        c.Send(ctx(t), "SEND_TEXT", channel.NewReqID(), nil),
		"ReqId field": c.SendFrame(ctx(t), channel.NewReqID(), map[string]string{"ReqId": "x"}),
		"array":       c.SendFrame(ctx(t), channel.NewReqID(), []int{1}),
		"bad reqID":   c.SendFrame(ctx(t), "nope", nil),
	} {
		if !errors.As(err, &se) {
			t.Errorf("%s: %v, want a *SendError", name, err)
		}
	}
	env := newFixture(t)
	ec := env.dial(t, nil)
	if err := ec.SendFrame(ctx(t), channel.NewReqID(), nil); !errors.As(err, &se) {
		t.Errorf("SendFrame on an envelope channel: %v", err)
	}
	if ups, _ := f.h.WaitUpstream(ctx(t), 0, nil); len(ups) != 0 {
		t.Fatalf("refused sends reached the wire: %+v", ups)
	}
}

// TestFlatReconnectSignsAFreshRequestID drops a flat channel that may
// reconnect: the redial signs a new requestid, and frames keep their shape.
func TestFlatReconnectSignsAFreshRequestID(t *testing.T) {
	f := newFixture(t, channeltest.WithFlat())
	cfg := flatConfig(f.config())
	cfg.SessionAlive = func(context.Context) (bool, error) { return true, nil }
	cfg.Backoff = func(int) time.Duration { return time.Millisecond }
	c, err := channel.Dial(ctx(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendFrame(ctx(t), channel.NewReqID(), nil); err != nil {
		t.Fatal(err)
	}
	first, err := f.h.WaitUpstream(ctx(t), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := f.h.Drop(first[0].SessionID); n != 1 {
		t.Fatalf("dropped %d connections", n)
	}
	if err := f.h.WaitAccepted(ctx(t), 2); err != nil {
		t.Fatal(err)
	}
	if err := c.SendFrame(ctx(t), channel.NewReqID(), map[string]int{"Seq": 2}); err != nil {
		t.Fatal(err)
	}
	ups, err := f.h.WaitUpstream(ctx(t), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b := checkSigned(t, ups[0].Query), checkSigned(t, ups[1].Query)
	if a == b || ups[1].Conn != 2 || ups[1].Problem != "" {
		t.Fatalf("requestids %s, %s; second frame %+v", a, b, ups[1])
	}
	var d struct{ Seq int }
	if json.Unmarshal(ups[1].Raw, &d); d.Seq != 2 {
		t.Fatalf("frame after reconnect %s", ups[1].Raw)
	}
}

func TestFlatChannelSendsNoHeartbeat(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newPipeFixture(channeltest.WithFlat())
		defer f.close()
		c, err := channel.Dial(t.Context(), flatConfig(f.config()))
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * channel.DefaultHeartbeat)
		synctest.Wait()
		c.Close()
		if ups, _ := f.h.WaitUpstream(t.Context(), 0, nil); len(ups) != 0 {
			t.Fatalf("a flat channel sent %d frames on its own: %s", len(ups), ups[0].Raw)
		}
	})
}

func TestEnvelopeChannelWithoutSessionIsRefused(t *testing.T) {
	cfg := channel.Config{BaseURL: "https://gw.example", AppKey: appKey, AccessToken: token}
	var ce *channel.ConfigError
	if _, err := channel.Dial(ctx(t), cfg); !errors.As(err, &ce) || ce.Field != "SessionID" {
		t.Fatalf("Dial without SessionID: %v", err)
	}
}

// TestFlatDownstreamDecodesTolerantly: a flat channel receives flat frames
// like the command channel does, and Decode converts a scalar spelled as
// the other kind, as generated typed messages rely on.
func TestFlatDownstreamDecodesTolerantly(t *testing.T) {
	f := newFixture(t, channeltest.WithFlat())
	c, err := channel.Dial(ctx(t), flatConfig(f.config()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendFrame(ctx(t), channel.NewReqID(), nil); err != nil {
		t.Fatal(err)
	}
	ups, err := f.h.WaitUpstream(ctx(t), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := ups[0].ReqID
	if err := f.h.PushRaw(ups[0].SessionID, []byte(`{"Type":"1","ReqId":"`+id+`","Seq":"2","IsFinal":"true"}`)); err != nil {
		t.Fatal(err)
	}
	m, err := c.Recv(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Seq     int
		IsFinal bool
	}
	if err := m.Decode(&p); err != nil || m.Type != 1 || m.ReqID != id || p.Seq != 2 || !p.IsFinal {
		t.Fatalf("message %+v payload %+v: %v", m, p, err)
	}
}

// TestFlatChannelWithoutRequestID: a flat channel that signs no extra
// parameter is accepted by a flat endpoint, signed over appkey and
// timestamp alone.
func TestFlatChannelWithoutRequestID(t *testing.T) {
	f := newFixture(t, channeltest.WithFlat())
	cfg := flatConfig(f.config())
	cfg.FreshParams = nil
	c, err := channel.Dial(ctx(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendFrame(ctx(t), channel.NewReqID(), nil); err != nil {
		t.Fatal(err)
	}
	ups, err := f.h.WaitUpstream(ctx(t), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := ups[0].Query
	if q.Has("requestid") || q.Get("signature") != apsign.Sign(token, q) || ups[0].SessionID != "" {
		t.Fatalf("handshake %v", q)
	}
}
