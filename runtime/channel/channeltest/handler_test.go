package channeltest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"

	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/channel/channeltest"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	appKey = "example_appkey"
	token  = "example_accesstoken"
	sess   = "example_requestid"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func signed(q url.Values) string {
	q.Set("signature", core.Sign(token, q))
	return q.Encode()
}

func query(ts time.Time) url.Values {
	return url.Values{"appkey": {appKey}, "requestid": {sess}, "timestamp": {strconv.FormatInt(ts.Unix(), 10)}}
}

func start(t *testing.T, opts ...channeltest.Option) (*channeltest.Handler, string) {
	h := channeltest.NewHandler(appKey, token, opts...)
	srv := httptest.NewServer(h)
	t.Cleanup(func() { h.Close(); srv.Close() })
	return h, srv.URL
}

func TestHandlerAcceptsTheDocumentedVector(t *testing.T) {
	ts := time.Unix(1717639699, 0)
	h, base := start(t, channeltest.WithClock(func() time.Time { return ts }))
	q := query(ts)
	q.Set("signature", "QVenICk0VHtHGYZKXM6IC+W1CjZC1joSr/x0gfKKYT4=")
	ws, _, err := websocket.Dial(ctx(t), base+"?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	if err := h.WaitAccepted(ctx(t), 1); err != nil {
		t.Fatal("not accepted:", err)
	}
}

func TestHandlerRefusesBadHandshakes(t *testing.T) {
	now := time.Now()
	h, base := start(t, channeltest.WithAdmit(func(s string) (int, string) {
		if s == "closed" {
			return 110013, "session already closed"
		}
		return 0, ""
	}))
	cases := map[string]struct {
		raw    string
		status int
		code   int
	}{
		"wrong appkey":    {signed(url.Values{"appkey": {"x"}, "requestid": {sess}, "timestamp": {"1"}}), 401, 100005},
		"no requestid":    {signed(url.Values{"appkey": {appKey}, "timestamp": {"1"}}), 400, 100001},
		"bad timestamp":   {signed(url.Values{"appkey": {appKey}, "requestid": {sess}, "timestamp": {"soon"}}), 400, 100001},
		"stale timestamp": {signed(query(now.Add(-6 * time.Minute))), 401, 100005},
		"bad signature":   {query(now).Encode() + "&signature=AAAA", 401, 100005},
		"unsigned requestid": {func() string {
			q := url.Values{"appkey": {appKey}, "timestamp": {strconv.FormatInt(now.Unix(), 10)}}
			q.Set("signature", core.Sign(token, q))
			q.Set("requestid", sess)
			return q.Encode()
		}(), 401, 100005},
		"session closed": {func() string { q := query(now); q.Set("requestid", "closed"); return signed(q) }(), 400, 110013},
	}
	for name, tc := range cases {
		_, resp, err := websocket.Dial(ctx(t), base+"?"+tc.raw, nil)
		if err == nil || resp == nil || resp.StatusCode != tc.status {
			t.Errorf("%s: err=%v resp=%v", name, err, resp)
			continue
		}
		var env struct{ Header struct{ Code int } }
		json.NewDecoder(resp.Body).Decode(&env)
		if env.Header.Code != tc.code {
			t.Errorf("%s: code %d, want %d", name, env.Header.Code, tc.code)
		}
	}
	if h.Rejected() != len(cases) || h.Accepted() != 0 {
		t.Fatalf("rejected=%d accepted=%d", h.Rejected(), h.Accepted())
	}
}

func TestHandlerFlagsProtocolViolations(t *testing.T) {
	h, base := start(t)
	ws, _, err := websocket.Dial(ctx(t), base+"?"+signed(query(time.Now())), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	id := channel.NewReqID()
	frames := map[string]string{
		`not json`:       "not JSON",
		`{"Payload":{}}`: "both Header and Payload",
		`{"Header":{},"Payload":{"ReqId":"x","SessionId":"` + sess + `","Command":"SEND_TEXT","Data":{}}}`:     "ReqId",
		`{"Header":{},"Payload":{"ReqId":"` + id + `","SessionId":"other","Command":"SEND_TEXT","Data":{}}}`:   "SessionId",
		`{"Header":{},"Payload":{"ReqId":"` + id + `","SessionId":"` + sess + `","Command":"NOPE","Data":{}}}`: "unknown Command",
		`{"Header":{},"Payload":{"ReqId":"` + id + `","SessionId":"` + sess + `","Command":"SEND_TEXT"}}`:      "Data",
	}
	for frame, want := range frames {
		if err := ws.Write(ctx(t), websocket.MessageText, []byte(frame)); err != nil {
			t.Fatal(err)
		}
		_, b, err := ws.Read(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		var d channel.Downstream
		json.Unmarshal(b, &d)
		if d.Type != channel.TypeDriveFailed || d.ErrorCode != 100001 || !strings.Contains(d.ErrorMessage, want) {
			t.Errorf("%s: answer %s, want a Type 9 about %q", frame, b, want)
		}
	}
	ups := h.Upstream()
	if len(ups) != len(frames) {
		t.Fatalf("recorded %d frames", len(ups))
	}
	for _, u := range ups {
		if u.Problem == "" || u.Conn != 1 || u.SessionID != sess {
			t.Errorf("%+v", u)
		}
	}
}

func TestHandlerPushAndDropNeedALiveSession(t *testing.T) {
	h, _ := start(t)
	if err := h.Push("nobody", map[string]int{"Type": 3}); err == nil {
		t.Error("Push to no connection succeeded")
	}
	if err := h.Push("nobody", func() {}); err == nil {
		t.Error("Push of an unencodable value succeeded")
	}
	if err := h.PushBinary("nobody", nil); err == nil {
		t.Error("PushBinary to no connection succeeded")
	}
	if h.Drop("nobody") != 0 || h.Live("nobody") != 0 {
		t.Error("dropped a connection that does not exist")
	}
}

func TestDefaultResponderAndNoResponder(t *testing.T) {
	u := channeltest.Upstream{SessionID: sess, ReqID: "r", Command: "SEND_AUDIO", Data: json.RawMessage(`{"Seq":1,"IsFinal":true}`)}
	got := channeltest.DefaultResponder(u)
	if len(got) != 2 || got[0].SpeakStatus != "AudioStart" || got[1].SpeakStatus != "AudioOver" || got[1].FinalType != 1 {
		t.Fatalf("%+v", got)
	}
	u.Command, u.Data = "SEND_HEARTBEAT", json.RawMessage(`{"Text":"PING"}`)
	if got := channeltest.DefaultResponder(u); len(got) != 0 {
		t.Fatalf("heartbeat answered: %+v", got)
	}
}

func TestHandlerCloseRefusesLateConnections(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := channeltest.NewHandler(appKey, token)
		p := channeltest.NewPipeNet(h)
		defer p.Close()
		h.Close()
		_, _, err := websocket.Dial(t.Context(), channeltest.BaseURL+"?"+signed(query(time.Now())), &websocket.DialOptions{HTTPClient: p.Client()})
		if err == nil {
			t.Fatal("a closed handler accepted a connection")
		}
		p.Close()
		if _, err := p.Client().Get(channeltest.BaseURL); err == nil {
			t.Fatal("a closed PipeNet served a request")
		}
	})
}

var _ http.Handler = (*channeltest.Handler)(nil)

func TestHandlerPushDropAndRecord(t *testing.T) {
	h, base := start(t)
	c, err := channel.Dial(ctx(t), channel.Config{BaseURL: base, AppKey: appKey, AccessToken: token, SessionID: sess})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := h.WaitLive(ctx(t), sess, 1); err != nil {
		t.Fatal(err)
	}
	if err := h.Push(sess, channel.Downstream{Type: channel.TypeLLMReply, Text: "hi"}); err != nil {
		t.Fatal(err)
	}
	m, err := c.Recv(ctx(t))
	if d, _ := m.Downstream(); err != nil || d.Text != "hi" {
		t.Fatalf("%+v %v", m, err)
	}
	id, _ := c.SendText(ctx(t), "hello")
	ups, err := h.WaitUpstream(ctx(t), 1, nil)
	if err != nil || ups[0].ReqID != id || ups[0].Command != "SEND_TEXT" || ups[0].Conn != 1 || ups[0].At.IsZero() {
		t.Fatalf("%+v %v", ups, err)
	}
	if got := h.Upstream(); len(got) != 1 {
		t.Fatalf("Upstream() = %d frames", len(got))
	}
	if h.Live(sess) != 1 || h.Drop(sess) != 1 {
		t.Fatal("drop")
	}
	if err := h.WaitLive(ctx(t), sess, 0); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx(t), 10*time.Millisecond)
	defer cancel()
	if _, err := h.WaitUpstream(wctx, 5, nil); err == nil {
		t.Fatal("WaitUpstream returned without the frames")
	}
}
