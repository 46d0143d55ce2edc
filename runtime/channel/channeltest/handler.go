package channeltest

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// Upstream is one frame a client sent, as the handler recorded it.
type Upstream struct {
	Conn      int       // 1-based ordinal of the connection it came on
	At        time.Time // when it arrived (the handler's clock)
	SessionID string    // the connection's signed requestid
	// Query is the connection's signed handshake query, signature included.
	Query url.Values
	Raw   []byte // the frame as received
	// Decoded Payload fields (of a flat frame: ReqID, and Data holding the
	// whole frame); zero if the frame was malformed.
	ReqID   string
	Command string
	Data    json.RawMessage
	// Problem says why the frame broke the protocol; "" if it did not.
	Problem string
}

// Responder returns the downstream messages to answer u with.
type Responder func(u Upstream) []channel.Downstream

// Handler is a fake command channel endpoint: an http.Handler that checks
// the signed query (appkey, requestid, timestamp, signature), upgrades to a
// WebSocket, records every upstream frame, answers through its Responder,
// and lets a test push frames or drop connections.
type Handler struct {
	appKey, token string
	opts          options

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	conns    map[*websocket.Conn]string // live connection → session
	accepted int
	rejected int
	ups      []Upstream
	changed  chan struct{} // closed and replaced on every change
}

type options struct {
	now       func() time.Time
	skew      time.Duration
	respond   Responder
	admit     func(sessionID string) (code int, message string)
	readLimit int64
	flat      bool
}

// Option configures a Handler.
type Option func(*options)

// WithClock sets the clock the timestamp is checked against (default time.Now).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithResponder replaces DefaultResponder; nil means never answer.
func WithResponder(r Responder) Option { return func(o *options) { o.respond = r } }

// WithAdmit decides per session whether a correctly signed handshake is
// accepted: a non-zero code refuses it with that aPaaS code (e.g. 110014
// "session not ready" or 110013 "session closed").
func WithAdmit(f func(sessionID string) (code int, message string)) Option {
	return func(o *options) { o.admit = f }
}

// WithFlat serves a flat channel (the driver channel): upstream frames are
// JSON objects with a top-level ReqId, not {"Header","Payload"} commands.
// The handshake needs no requestid; when it has one (the driver channel
// signs a fresh one) it keys Push and Drop, else "" does. DefaultResponder
// answers no flat frame.
func WithFlat() Option { return func(o *options) { o.flat = true } }

// NewHandler returns a Handler for one app's credentials. Close it at the
// end of the test.
func NewHandler(appKey, accessToken string, opts ...Option) *Handler {
	o := options{now: time.Now, skew: 5 * time.Minute, respond: DefaultResponder, readLimit: 1 << 20}
	for _, f := range opts {
		f(&o)
	}
	h := &Handler{appKey: appKey, token: accessToken, opts: o, conns: map[*websocket.Conn]string{}, changed: make(chan struct{})}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	return h
}

// ServeHTTP checks the signature, upgrades and serves one connection until
// it closes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	session, code, msg := h.check(r)
	if h.ctx.Err() != nil {
		code, msg = -101000, "fake endpoint closed"
	}
	if code != 0 {
		h.refuse(w, code, msg)
		return
	}
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	ws.SetReadLimit(h.opts.readLimit)
	n, ok := h.register(ws, session)
	if !ok {
		ws.CloseNow()
		return
	}
	defer h.wg.Done()
	defer h.unregister(ws)
	h.serve(ws, n, session, r.URL.Query())
}

// check verifies the signed query; a non-zero code refuses the handshake.
func (h *Handler) check(r *http.Request) (session string, code int, msg string) {
	q := r.URL.Query()
	session = q.Get("requestid")
	ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
	switch {
	case q.Get("appkey") != h.appKey:
		return session, 100005, "unknown appkey"
	case session == "" && !h.opts.flat:
		return session, 100001, "requestid (the SessionId) is required"
	case err != nil:
		return session, 100001, "timestamp is not an integer"
	case absDur(h.opts.now().Sub(time.Unix(ts, 0))) > h.opts.skew:
		return session, 100005, "timestamp outside the 5-minute window"
	case !hmac.Equal([]byte(q.Get("signature")), []byte(core.Sign(h.token, q))):
		return session, 100005, "signature mismatch"
	}
	if h.opts.admit != nil {
		if code, msg := h.opts.admit(session); code != 0 {
			return session, code, msg
		}
	}
	return session, 0, ""
}

func (h *Handler) refuse(w http.ResponseWriter, code int, msg string) {
	h.mu.Lock()
	h.rejected++
	h.notify()
	h.mu.Unlock()
	status := http.StatusBadRequest
	if code == 100005 {
		status = http.StatusUnauthorized
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"Header":{"Code":%d,"Message":%q},"Payload":{}}`, code, msg)
}

func (h *Handler) register(ws *websocket.Conn, session string) (int, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ctx.Err() != nil {
		return 0, false
	}
	h.wg.Add(1)
	h.accepted++
	h.conns[ws] = session
	h.notify()
	return h.accepted, true
}

func (h *Handler) unregister(ws *websocket.Conn) {
	ws.CloseNow()
	h.mu.Lock()
	delete(h.conns, ws)
	h.notify()
	h.mu.Unlock()
}

// serve records upstream frames and answers them until the socket closes.
func (h *Handler) serve(ws *websocket.Conn, n int, session string, query url.Values) {
	for {
		_, data, err := ws.Read(h.ctx)
		if err != nil {
			return
		}
		u := decodeUpstream(data, session)
		if h.opts.flat {
			u = decodeFlat(data, session)
		}
		u.Conn, u.At, u.Query = n, h.opts.now(), query
		h.mu.Lock()
		h.ups = append(h.ups, u)
		h.notify()
		h.mu.Unlock()
		for _, d := range h.answer(u) {
			b, _ := json.Marshal(d)
			if ws.Write(h.ctx, websocket.MessageText, b) != nil {
				return
			}
		}
	}
}

// answer reports protocol violations as Type 9, else asks the Responder.
func (h *Handler) answer(u Upstream) []channel.Downstream {
	if u.Problem != "" {
		return []channel.Downstream{{Type: channel.TypeDriveFailed, SessionID: u.SessionID, ReqID: u.ReqID,
			ErrorCode: 100001, ErrorMessage: u.Problem}}
	}
	if h.opts.respond == nil {
		return nil
	}
	return h.opts.respond(u)
}

// notify wakes WaitUpstream and WaitConnections callers; h.mu must be held.
func (h *Handler) notify() {
	close(h.changed)
	h.changed = make(chan struct{})
}

// Close drops every connection and waits for their goroutines to end.
func (h *Handler) Close() {
	h.mu.Lock()
	h.cancel()
	for ws := range h.conns {
		ws.CloseNow()
	}
	h.mu.Unlock()
	h.wg.Wait()
}

var errNoConnection = errors.New("channeltest: no live connection for the session")

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
