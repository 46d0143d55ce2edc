package hostile

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// ActionKind says how the H2 server answers a stream.
type ActionKind int

// The ways a hostile H2 server answers a complete request.
const (
	Respond  ActionKind = iota // HEADERS and DATA with Status, Header, Body
	Reset                      // RST_STREAM with Code
	GoAway                     // GOAWAY with last-stream-id = stream + Delta, then close
	Close                      // close the connection without a reply
	ResetTCP                   // close the connection with a TCP RST
	Truncate                   // HEADERS with Content-Length past Body, Body, then close
	Stall                      // never answer; hold the connection
	Flood1xx                   // 103 Early Hints HEADERS until the client gives up
)

// Action is the server's answer to one stream.
type Action struct {
	Kind   ActionKind
	Status int
	Header http.Header
	Body   string
	Code   http2.ErrCode // RST_STREAM or GOAWAY error code
	Delta  int           // GOAWAY last-stream-id relative to the stream: -2 below, 0 at, +2 above
}

// H2Script picks the answer to each complete request.
type H2Script func(r Request) Action

// H2Server is an HTTP/2 server built from raw frames (TLS, ALPN h2): it
// reads each request to END_STREAM, counts complete bodies per path and
// then answers as the script says. It answers one stream at a time.
type H2Server struct {
	base
	script H2Script
}

// NewH2 starts a hostile HTTP/2 server on loopback; it stops at cleanup.
func NewH2(t testing.TB, script H2Script) *H2Server {
	s := &H2Server{script: script}
	s.start(t, true, []string{"h2"}, s.serve)
	return s
}

// URL returns the server's base URL (https).
func (s *H2Server) URL() string { return "https://" + s.Addr() }

// h2conn is one connection's framing state.
type h2conn struct {
	s      *H2Server
	c      net.Conn
	fr     *http2.Framer
	wmu    sync.Mutex // writes: the read loop and a flood share the framer
	enc    *hpack.Encoder
	hbuf   bytes.Buffer
	heads  map[uint32]*http2.MetaHeadersFrame
	bodies map[uint32]*bytes.Buffer
}

func (s *H2Server) serve(c net.Conn) {
	preface := make([]byte, len(http2.ClientPreface))
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(c, preface); err != nil || string(preface) != http2.ClientPreface {
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	h := &h2conn{s: s, c: c, fr: http2.NewFramer(c, c), heads: map[uint32]*http2.MetaHeadersFrame{},
		bodies: map[uint32]*bytes.Buffer{}}
	h.enc = hpack.NewEncoder(&h.hbuf)
	h.fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	if h.fr.WriteSettings() != nil {
		return
	}
	for h.step() {
	}
}

// step reads and handles one frame; false ends the connection.
func (h *h2conn) step() bool {
	f, err := h.fr.ReadFrame()
	if err != nil {
		return false
	}
	switch f := f.(type) {
	case *http2.SettingsFrame:
		if !f.IsAck() {
			return h.w(func(fr *http2.Framer) error { return fr.WriteSettingsAck() }) == nil
		}
	case *http2.PingFrame:
		if !f.IsAck() {
			return h.w(func(fr *http2.Framer) error { return fr.WritePing(true, f.Data) }) == nil
		}
	case *http2.MetaHeadersFrame:
		h.heads[f.StreamID] = f
		h.bodies[f.StreamID] = &bytes.Buffer{}
		if f.StreamEnded() {
			return h.complete(f.StreamID)
		}
	case *http2.DataFrame:
		return h.data(f)
	case *http2.GoAwayFrame:
		return false
	}
	return true
}

func (h *h2conn) data(f *http2.DataFrame) bool {
	b := h.bodies[f.StreamID]
	if b == nil {
		return true // a stream we already answered
	}
	b.Write(f.Data())
	if n := uint32(len(f.Data())); n > 0 {
		// Keep the client's windows open so large bodies flow.
		if h.w(func(fr *http2.Framer) error {
			return errors.Join(fr.WriteWindowUpdate(0, n), fr.WriteWindowUpdate(f.StreamID, n))
		}) != nil {
			return false
		}
	}
	if f.StreamEnded() {
		return h.complete(f.StreamID)
	}
	return true
}

// complete records a request whose stream ended and answers it.
func (h *h2conn) complete(id uint32) bool {
	mh, body := h.heads[id], h.bodies[id].Bytes()
	delete(h.heads, id)
	delete(h.bodies, id)
	r := Request{Method: mh.PseudoValue("method"), Header: http.Header{}, Body: body, Complete: true}
	if u, err := url.ParseRequestURI(mh.PseudoValue("path")); err == nil {
		r.Path, r.Query = u.Path, u.Query()
	}
	for _, hf := range mh.RegularFields() {
		r.Header.Add(hf.Name, hf.Value)
	}
	if cl := r.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(body)) {
		r.Complete = false
	}
	r = h.s.add(r)
	return h.act(id, h.s.script(r))
}

func (h *h2conn) act(id uint32, a Action) bool {
	switch a.Kind {
	case Reset:
		return h.w(func(fr *http2.Framer) error { return fr.WriteRSTStream(id, a.Code) }) == nil
	case GoAway:
		h.goAway(uint32(max(int(id)+a.Delta, 0)), a.Code)
		return false
	case Close:
		return false
	case ResetTCP:
		resetTCP(h.c)
		return false
	case Stall:
		<-h.s.done
		return false
	case Flood1xx:
		h.s.wg.Add(1)
		go func() { defer h.s.wg.Done(); h.flood(id) }() // keep reading: retries arrive on new streams
		return true
	case Truncate:
		_ = h.headers(id, a, len(a.Body)+100, false)
		_ = h.w(func(fr *http2.Framer) error { return fr.WriteData(id, false, []byte(a.Body)) })
		return false
	}
	if h.headers(id, a, len(a.Body), a.Body == "") != nil {
		return false
	}
	return a.Body == "" || h.w(func(fr *http2.Framer) error { return fr.WriteData(id, true, []byte(a.Body)) }) == nil
}

// flood sends informational HEADERS every 5 ms until writing fails or the
// server shuts down.
func (h *h2conn) flood(id uint32) {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for h.headers(id, Action{Status: 103}, -1, false) == nil {
		select {
		case <-h.s.done:
			return
		case <-t.C:
		}
	}
}

func (h *h2conn) headers(id uint32, a Action, length int, end bool) error {
	h.wmu.Lock()
	defer h.wmu.Unlock()
	h.hbuf.Reset()
	status := a.Status
	if status == 0 {
		status = http.StatusOK
	}
	_ = h.enc.WriteField(hpack.HeaderField{Name: ":status", Value: strconv.Itoa(status)})
	if length >= 0 {
		_ = h.enc.WriteField(hpack.HeaderField{Name: "content-length", Value: strconv.Itoa(length)})
	}
	for k, vs := range a.Header {
		for _, v := range vs {
			_ = h.enc.WriteField(hpack.HeaderField{Name: http.CanonicalHeaderKey(k), Value: v})
		}
	}
	return h.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: h.hbuf.Bytes(), EndStream: end, EndHeaders: true})
}

// w runs one framer write under the write lock.
func (h *h2conn) w(f func(*http2.Framer) error) error {
	h.wmu.Lock()
	defer h.wmu.Unlock()
	return f(h.fr)
}

// goAway sends GOAWAY, half-closes and drains until the client hangs up,
// so that unread client frames cannot turn the close into an RST that
// destroys the GOAWAY before the client reads it.
func (h *h2conn) goAway(last uint32, code http2.ErrCode) {
	if h.w(func(fr *http2.Framer) error { return fr.WriteGoAway(last, code, nil) }) != nil {
		return
	}
	if cw, ok := h.c.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	_ = h.c.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, _ = io.Copy(io.Discard, h.c)
}
