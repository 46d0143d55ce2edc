package channel_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/channel/channeltest"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

var frame = []byte(`{"Type":4,"SessionId":"m123","ReqId":"d7aa0c1e2f3a4b5c6d7e8f9012345678","Seq":3,"Text":"question",` +
	`"TextPro":"<speak>answer</speak>","TextDisplay":"answer","ContentType":"1","TtsSupport":true,"Final":false}`)

// plainDownstream is the baseline: the same fields, strict encoding/json.
type plainDownstream struct {
	Type                       int
	SessionId, ReqId           string
	Seq                        int
	Text, TextPro, TextDisplay string
	ContentType                string
	TtsSupport, Final          bool
}

func BenchmarkDecodeBaselineStrict(b *testing.B) {
	for b.Loop() {
		var d plainDownstream
		if err := json.Unmarshal(frame, &d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeTolerant(b *testing.B) {
	for b.Loop() {
		var d channel.Downstream
		if err := json.Unmarshal(frame, &d); err != nil {
			b.Fatal(err)
		}
	}
}

// benchSend measures one upstream frame over a loopback socket; raw writes
// pre-encoded bytes with the library (baseline), else through Conn.Send.
func benchSend(b *testing.B, raw bool) {
	h := channeltest.NewHandler(appKey, token, channeltest.WithResponder(nil))
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer h.Close()
	c, err := channel.Dial(context.Background(), channel.Config{BaseURL: srv.URL, AppKey: appKey, AccessToken: token, SessionID: session})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	id := channel.NewReqID()
	data := map[string]string{"Text": "hello there"}
	var ws *websocket.Conn
	if raw {
		ws = rawConn(b, srv.URL)
		defer ws.CloseNow()
	}
	pre, _ := json.Marshal(map[string]any{"Header": map[string]any{}, "Payload": map[string]any{"ReqId": id, "SessionId": session, "Command": "SEND_TEXT", "Data": data}})
	for b.Loop() {
		if raw {
			err = ws.Write(ctx, websocket.MessageText, pre)
		} else {
			err = c.Send(ctx, "SEND_TEXT", id, data)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

func rawConn(b *testing.B, base string) *websocket.Conn {
	q := url.Values{"appkey": {appKey}, "requestid": {session}, "timestamp": {strconv.FormatInt(time.Now().Unix(), 10)}}
	q.Set("signature", core.Sign(token, q))
	ws, _, err := websocket.Dial(context.Background(), base+channel.CommandChannelPath+"?"+q.Encode(), nil)
	if err != nil {
		b.Fatal(err)
	}
	return ws
}

func BenchmarkSendBaselineRawWrite(b *testing.B) { benchSend(b, true) }

func BenchmarkSend(b *testing.B) { benchSend(b, false) }
