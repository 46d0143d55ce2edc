package ivhtest_test

// The driver channel driven through the generated client only, against
// gateways written here (net/http + coder/websocket), not the fake.

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

const (
	atkAppKey = "atk_appkey"
	atkToken  = "atk_token_TOP_SECRET_value"
)

// atkGateway accepts every driver-channel handshake and records frames and
// queries; onConn, when set, then owns the connection.
type atkGateway struct {
	mu      sync.Mutex
	frames  [][]byte
	queries []url.Values
	conns   []*websocket.Conn
	onConn  func(ws *websocket.Conn, q url.Values)
	srv     *httptest.Server
}

func newAtkGateway(t *testing.T, onConn func(ws *websocket.Conn, q url.Values)) *atkGateway {
	g := &atkGateway{onConn: onConn}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v2/ws/ivh/interactdriver/interactdriverservice/driverengine" {
			http.NotFound(w, r)
			return
		}
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		ws.SetReadLimit(1 << 22)
		g.mu.Lock()
		g.queries = append(g.queries, r.URL.Query())
		g.conns = append(g.conns, ws)
		g.mu.Unlock()
		if g.onConn != nil {
			g.onConn(ws, r.URL.Query())
			return
		}
		for {
			_, b, err := ws.Read(context.Background())
			if err != nil {
				return
			}
			g.mu.Lock()
			g.frames = append(g.frames, b)
			g.mu.Unlock()
		}
	}))
	t.Cleanup(func() {
		g.mu.Lock()
		for _, c := range g.conns {
			c.CloseNow()
		}
		g.mu.Unlock()
		g.srv.Close()
	})
	return g
}

func (g *atkGateway) client(t *testing.T) *ivh.Client {
	c, err := ivh.NewClient(atkAppKey, atkToken, ivhrt.WithBaseURL(g.srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func (g *atkGateway) waitFrames(t *testing.T, n int) [][]byte {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		g.mu.Lock()
		got := append([][]byte(nil), g.frames...)
		g.mu.Unlock()
		if len(got) >= n {
			return got
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("gateway got fewer than %d frames", n)
	return nil
}

func okFrame(i int) *ivh.DriveFrame {
	return &ivh.DriveFrame{StreamID: "s", VirtualmanProjectID: "p", DriverType: ivh.DriveModeStreamText,
		InputText: ivhrt.Of("t"), Seq: ivhrt.Of(i), IsFinal: ivhrt.Of(false)}
}

// goroutinesSettle waits for the goroutine count to come back to base.
func goroutinesSettle(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines, %d before:\n%s", n, base, buf[:runtime.Stack(buf, true)])
	}
}

// TestAttackDriverHandshakeIsSignedAndFresh: every handshake's signature
// recomputes (HMAC-SHA256 keyed by the token over the sorted parameters but
// signature, standard base64) and its requestid is fresh.
func TestAttackDriverHandshakeIsSignedAndFresh(t *testing.T) {
	g := newAtkGateway(t, nil)
	c := g.client(t)
	for range 4 {
		ch, err := c.ClientRender.OpenDriverEngine(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		ch.Close()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	seen := map[string]bool{}
	for _, q := range g.queries {
		var keys []string
		for k := range q {
			if k != "signature" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			if len(q[k]) != 1 {
				t.Errorf("parameter %s given %d times", k, len(q[k]))
			}
			parts = append(parts, k+"="+q.Get(k))
		}
		m := hmac.New(sha256.New, []byte(atkToken))
		m.Write([]byte(strings.Join(parts, "&")))
		if want := base64.StdEncoding.EncodeToString(m.Sum(nil)); q.Get("signature") != want {
			t.Errorf("signature %q, want %q", q.Get("signature"), want)
		}
		id := q.Get("requestid")
		if !channel.ValidReqID(id) || seen[id] {
			t.Errorf("requestid %q not fresh", id)
		}
		seen[id] = true
		if strings.Join(keys, ",") != "appkey,requestid,timestamp" {
			t.Errorf("signed keys %v", keys)
		}
	}
}

// TestAttackDriverValidation: what Drive must refuse before the wire.
func TestAttackDriverValidation(t *testing.T) {
	g := newAtkGateway(t, nil)
	ch, err := g.client(t).ClientRender.OpenDriverEngine(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	bad := map[string]*ivh.DriveFrame{
		"nil":            nil,
		"empty":          {},
		"mode unknown":   {StreamID: "s", VirtualmanProjectID: "p", DriverType: "text"},
		"speed low":      {StreamID: "s", VirtualmanProjectID: "p", DriverType: "TEXT", SpeechParam: ivh.DriveSpeechParam{Speed: ivhrt.Of(0.49)}},
		"speed NaN":      {StreamID: "s", VirtualmanProjectID: "p", DriverType: "TEXT", SpeechParam: ivh.DriveSpeechParam{Speed: ivhrt.Of(math.NaN())}},
		"speed +Inf":     {StreamID: "s", VirtualmanProjectID: "p", DriverType: "TEXT", SpeechParam: ivh.DriveSpeechParam{Speed: ivhrt.Of(math.Inf(1))}},
		"volume -11":     {StreamID: "s", VirtualmanProjectID: "p", DriverType: "TEXT", SpeechParam: ivh.DriveSpeechParam{Volume: ivhrt.Of(-11)}},
		"intensity 201":  {StreamID: "s", VirtualmanProjectID: "p", DriverType: "TEXT", SpeechParam: ivh.DriveSpeechParam{EmotionIntensity: ivhrt.Of(201)}},
		"subtitle 7":     {StreamID: "s", VirtualmanProjectID: "p", DriverType: "TEXT", SpeechParam: ivh.DriveSpeechParam{SubtitleType: ivhrt.Of(ivh.SubtitleType(7))}},
		"chat unknown":   {StreamID: "s", VirtualmanProjectID: "p", DriverType: "CHAT", ChatCommand: ivhrt.Of(ivh.DriveChatCommand("x"))},
		"texttype empty": {StreamID: "s", VirtualmanProjectID: "p", DriverType: "TEXT", InputTextType: ivhrt.Of(ivh.DriveInputTextType(""))},
	}
	for name, f := range bad {
		id, err := ch.Drive(t.Context(), f)
		if err == nil {
			t.Errorf("%s: sent as %s", name, id)
		}
		if err != nil && strings.Contains(err.Error(), atkToken) {
			t.Errorf("%s: error holds the token", name)
		}
	}
	// Valid edges: the bounds themselves, unicode and control text.
	good := []*ivh.DriveFrame{
		{StreamID: "s", VirtualmanProjectID: "p", DriverType: "TEXT", SpeechParam: ivh.DriveSpeechParam{Speed: ivhrt.Of(2.0), Volume: ivhrt.Of(-10)}},
		{StreamID: "\u202e\x00\"}{", VirtualmanProjectID: "项目", DriverType: "TEXT", InputText: ivhrt.Of("<speak>\xff</speak>")},
	}
	for i, f := range good {
		if _, err := ch.Drive(t.Context(), f); err != nil {
			t.Errorf("good %d: %v", i, err)
		}
	}
	frames := g.waitFrames(t, len(good))
	time.Sleep(50 * time.Millisecond)
	g.mu.Lock()
	n := len(g.frames)
	g.mu.Unlock()
	if n != len(good) {
		t.Fatalf("%d frames on the wire, want %d", n, len(good))
	}
	for _, b := range frames {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil || !strings.HasPrefix(string(b), `{"ReqId":"`) {
			t.Errorf("frame %q: %v", b, err)
		}
	}
}

// TestAttackDriverConcurrentDrives: many goroutines Drive at once; every
// frame arrives whole with its own ReqId.
func TestAttackDriverConcurrentDrives(t *testing.T) {
	g := newAtkGateway(t, nil)
	ch, err := g.client(t).ClientRender.OpenDriverEngine(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	const workers, each = 16, 25
	ids := make(chan string, workers*each)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id, err := ch.Drive(t.Context(), okFrame(w*each+i))
				if err != nil {
					t.Error(err)
					return
				}
				ids <- id
			}
		}()
	}
	wg.Wait()
	close(ids)
	frames := g.waitFrames(t, workers*each)
	want := map[string]bool{}
	for id := range ids {
		want[id] = true
	}
	got := map[string]bool{}
	for _, b := range frames {
		var f struct{ ReqId string }
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatalf("frame %q: %v", b, err)
		}
		got[f.ReqId] = true
	}
	if len(got) != workers*each || len(want) != workers*each {
		t.Fatalf("%d distinct ReqIds on the wire, %d returned", len(got), len(want))
	}
	for id := range want {
		if !got[id] {
			t.Fatalf("ReqId %s returned but not sent", id)
		}
	}
}

// TestAttackDriverCloseDuringDrives: Close while goroutines Drive and Recv;
// each call returns (nil or an error), later ones fail with ErrClosed, and
// no goroutine outlives the channel.
func TestAttackDriverCloseDuringDrives(t *testing.T) {
	g := newAtkGateway(t, nil)
	c := g.client(t)
	base := runtime.NumGoroutine()
	for round := range 5 {
		ch, err := c.ClientRender.OpenDriverEngine(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					if _, err := ch.Drive(t.Context(), okFrame(i)); err != nil {
						if strings.Contains(err.Error(), atkToken) {
							t.Errorf("error holds the token: %v", err)
						}
						return
					}
					_ = w
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch.Recv(t.Context())
		}()
		time.Sleep(time.Duration(round*5) * time.Millisecond)
		if err := ch.Close(); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		if _, err := ch.Drive(t.Context(), okFrame(0)); !errors.Is(err, channel.ErrClosed) {
			t.Fatalf("Drive after Close: %v", err)
		}
		if _, err := ch.Recv(t.Context()); !errors.Is(err, channel.ErrClosed) {
			t.Fatalf("Recv after Close: %v", err)
		}
		if err := ch.Close(); err != nil {
			t.Fatal(err)
		}
	}
	g.srv.CloseClientConnections()
	goroutinesSettle(t, base)
}

// TestAttackDriverCancelledContext: a cancelled ctx fails Open and Drive,
// and a Drive cancelled puts nothing on the wire.
func TestAttackDriverCancelledContext(t *testing.T) {
	g := newAtkGateway(t, nil)
	c := g.client(t)
	dead, cancel := context.WithCancel(t.Context())
	cancel()
	if ch, err := c.ClientRender.OpenDriverEngine(dead); err == nil {
		ch.Close()
		t.Fatal("opened with a cancelled ctx")
	}
	ch, err := c.ClientRender.OpenDriverEngine(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	if _, err := ch.Drive(dead, okFrame(1)); !errors.Is(err, context.Canceled) {
		t.Fatalf("Drive with a cancelled ctx: %v", err)
	}
	if _, err := ch.Recv(dead); !errors.Is(err, context.Canceled) {
		t.Fatalf("Recv with a cancelled ctx: %v", err)
	}
	if _, err := ch.Drive(t.Context(), okFrame(2)); err != nil {
		t.Fatalf("Drive after a cancelled one: %v", err)
	}
	frames := g.waitFrames(t, 1)
	if len(frames) != 1 || !strings.Contains(string(frames[0]), `"Seq":2`) {
		t.Fatalf("frames %q", frames)
	}
}

// TestAttackDriverNoReconnect: the gateway drops the socket: Recv ends
// with ErrConnectionLost, Drive fails, nobody redials.
func TestAttackDriverNoReconnect(t *testing.T) {
	g := newAtkGateway(t, func(ws *websocket.Conn, q url.Values) {
		ws.Write(context.Background(), websocket.MessageText, []byte(`{"Type":1,"ReqId":"`+q.Get("requestid")+`"}`))
		ws.Close(websocket.StatusGoingAway, "bye "+q.Get("signature"))
	})
	c := g.client(t)
	base := runtime.NumGoroutine()
	ch, err := c.ClientRender.OpenDriverEngine(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	m, err := ch.Recv(t.Context())
	if err != nil || m.Type != 1 {
		t.Fatalf("first message %+v, %v", m, err)
	}
	_, err = ch.Recv(t.Context())
	if !errors.Is(err, channel.ErrConnectionLost) {
		t.Fatalf("Recv after the drop: %v", err)
	}
	g.mu.Lock()
	sig := g.queries[0].Get("signature")
	g.mu.Unlock()
	if strings.Contains(err.Error(), sig) {
		t.Errorf("terminal error quotes the signature: %v", err)
	}
	if _, err := ch.Drive(t.Context(), okFrame(1)); !errors.Is(err, channel.ErrConnectionLost) || strings.Contains(err.Error(), sig) {
		t.Fatalf("Drive after the drop: %v", err)
	}
	time.Sleep(200 * time.Millisecond)
	g.mu.Lock()
	n := len(g.queries)
	g.mu.Unlock()
	if n != 1 {
		t.Fatalf("%d handshakes: the flat channel redialled", n)
	}
	ch.Close()
	goroutinesSettle(t, base)
}

// TestAttackDriverHostileDownstream: downstream frames of the wrong kinds
// reach the typed Recv as messages or FrameErrors, never as a crash.
func TestAttackDriverHostileDownstream(t *testing.T) {
	frames := []string{
		`{"Type":"3","ReqId":123,"Seq":"9"}`, `{"Type":1e999}`, `{"Type":{}}`, `[]`, `nul`,
		`{"Type":9,"ErrorCode":"77","ErrorMessage":["x"]}`, `{"Header":{"Code":"5","Message":5},"Payload":{"ReqId":"r"}}`,
		strings.Repeat("[", 100000) + strings.Repeat("]", 100000), "{\"Type\":2,\"Text\":\"\xff\xfe\"}",
	}
	g := newAtkGateway(t, func(ws *websocket.Conn, q url.Values) {
		for _, f := range frames {
			ws.Write(context.Background(), websocket.MessageText, []byte(f))
		}
		ws.Write(context.Background(), websocket.MessageBinary, []byte{1, 2})
		ws.Write(context.Background(), websocket.MessageText, []byte(`{"Type":4,"ReqId":"end"}`))
		ws.Read(context.Background())
	})
	ch, err := g.client(t).ClientRender.OpenDriverEngine(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	n := 0
	for m, err := range ch.Messages(ctx) {
		n++
		var fe *channel.FrameError
		if err != nil && !errors.As(err, &fe) {
			t.Fatalf("message %d: %v", n, err)
		}
		if err == nil {
			_ = m.Err()
			if m.ReqID == "end" {
				break
			}
		}
	}
	if n != len(frames)+2 {
		t.Fatalf("%d messages, want %d", n, len(frames)+2)
	}
}

// TestAttackDriverCloseWhileWriteBlocked: the gateway stops reading, so
// a big Drive blocks in the socket write; Close must still end the
// channel promptly and unblock the Drive.
func TestAttackDriverCloseWhileWriteBlocked(t *testing.T) {
	block := make(chan struct{})
	g := newAtkGateway(t, func(ws *websocket.Conn, q url.Values) { <-block })
	defer close(block)
	ch, err := g.client(t).ClientRender.OpenDriverEngine(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 1<<20)
	sent := make(chan error, 1)
	go func() {
		for {
			f := okFrame(1)
			f.InputText = ivhrt.Of(big)
			if _, err := ch.Drive(t.Context(), f); err != nil {
				sent <- err
				return
			}
		}
	}()
	time.Sleep(500 * time.Millisecond) // the socket buffers fill
	start := time.Now()
	ch.Close()
	if d := time.Since(start); d > 7*time.Second {
		t.Errorf("Close took %s with a write blocked", d)
	}
	select {
	case err := <-sent:
		if strings.Contains(err.Error(), atkToken) {
			t.Errorf("error holds the token: %v", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Drive still blocked after Close")
	}
}

// TestAttackDriverDropDuringDrives: the gateway cuts the socket while
// goroutines Drive and iterate Messages: every call returns, the errors
// match ErrConnectionLost and hold no secret, nothing leaks.
func TestAttackDriverDropDuringDrives(t *testing.T) {
	g := newAtkGateway(t, func(ws *websocket.Conn, q url.Values) {
		ctx := context.Background()
		for i := 0; i < 20; i++ {
			if _, _, err := ws.Read(ctx); err != nil {
				return
			}
			ws.Write(ctx, websocket.MessageText, []byte(`{"Type":1,"Seq":`+strings.Repeat("1", i%5+1)+`}`))
		}
		ws.Close(websocket.StatusCode(4999), "cut "+q.Get("signature")+" "+atkToken)
	})
	c := g.client(t)
	base := runtime.NumGoroutine()
	ch, err := c.ClientRender.OpenDriverEngine(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				if _, err := ch.Drive(t.Context(), okFrame(i)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, err := range ch.Messages(t.Context()) {
			if err != nil {
				errs <- err
			}
		}
	}()
	wg.Wait()
	close(errs)
	g.mu.Lock()
	sig := g.queries[0].Get("signature")
	g.mu.Unlock()
	for err := range errs {
		if !errors.Is(err, channel.ErrConnectionLost) {
			t.Errorf("error %v, want ErrConnectionLost", err)
		}
		if s := err.Error(); strings.Contains(s, sig) || strings.Contains(s, atkToken) {
			t.Errorf("error holds a secret: %v", s)
		}
	}
	ch.Close()
	goroutinesSettle(t, base)
}
