package core_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

const (
	testAppKey = "test-appkey"
	testToken  = "test-token-0123456789"
)

// captured is one request as the test gateway saw it.
type captured struct {
	Path     string
	Query    url.Values
	Header   http.Header
	Body     []byte
	Complete bool   // the whole body was read
	Proto    string // HTTP/1.1 or HTTP/2.0
}

// requestID returns the Header.RequestID of the captured envelope.
func (c captured) requestID() string {
	var env struct{ Header struct{ RequestID string } }
	_ = json.Unmarshal(c.Body, &env)
	return env.Header.RequestID
}

type handlerFunc func(g *gateway, n int, w http.ResponseWriter, r *http.Request)

// gateway is an httptest server with scripted per-request behaviour. It
// records every request, suppresses the Date header (handlers set it when
// a scenario needs one), and counts connections.
type gateway struct {
	srv      *httptest.Server
	token    string
	clk      *fakeClock // the client's clock, for Date headers
	handler  handlerFunc
	mu       sync.Mutex
	reqs     []captured
	newConns atomic.Int32
	closed   chan struct{}
}

func newGateway(t *testing.T, tls bool, h handlerFunc) *gateway {
	t.Helper()
	return newGatewayProto(t, tls, false, h)
}

// newGatewayProto is newGateway that can serve HTTP/2 (TLS with ALPN h2).
func newGatewayProto(t *testing.T, tls, h2 bool, h handlerFunc) *gateway {
	t.Helper()
	g := &gateway{token: testToken, handler: h, closed: make(chan struct{}, 1024)}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(g.serve))
	srv.EnableHTTP2 = h2
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			g.newConns.Add(1)
		case http.StateClosed, http.StateHijacked:
			g.closed <- struct{}{}
		}
	}
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	g.srv = srv
	t.Cleanup(srv.Close)
	return g
}

func (g *gateway) URL() string { return g.srv.URL }

func (g *gateway) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	g.mu.Lock()
	g.reqs = append(g.reqs, captured{Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body,
		Complete: err == nil, Proto: r.Proto})
	n := len(g.reqs)
	g.mu.Unlock()
	w.Header()["Date"] = nil
	g.handler(g, n, w, r)
}

func (g *gateway) requests() []captured {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]captured(nil), g.reqs...)
}

func (g *gateway) count() int { return len(g.requests()) }

// complete counts the complete bodies received for path.
func (g *gateway) complete(path string) int {
	n := 0
	for _, r := range g.requests() {
		if r.Complete && r.Path == path {
			n++
		}
	}
	return n
}

// trust returns the TLS settings of a client that trusts g.
func (g *gateway) trust() *tls.Config {
	return g.srv.Client().Transport.(*http.Transport).TLSClientConfig
}

// refSign is an independent signer for the round-trip checks (SIGN-2).
func refSign(token string, q url.Values) string {
	var keys []string
	for k := range q {
		if k != "signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+q.Get(k))
	}
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte(strings.Join(parts, "&")))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// envelope writes a response envelope.
func envelope(w http.ResponseWriter, status, code int, rid, payload string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"Header":{"Code":%d,"Message":"m%d","RequestID":%q},"Payload":%s}`, code, code, rid, payload)
}

func okTask(w http.ResponseWriter, r *http.Request) {
	envelope(w, 200, 0, "", `{"TaskId":"t-1"}`)
}

func html(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	io.WriteString(w, "<html><body>Service Unavailable</body></html>")
}

// hijack takes the raw connection after the body was read.
func hijack(w http.ResponseWriter) net.Conn {
	c, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	return c
}

// closedAddr returns an address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// forwardProxy is an HTTP proxy for the canary test: it forwards
// absolute-form requests and tunnels CONNECT.
type forwardProxy struct {
	srv  *httptest.Server
	tr   *http.Transport
	auth atomic.Value // last Proxy-Authorization seen
	hits atomic.Int32
}

func newForwardProxy(t *testing.T) *forwardProxy {
	p := &forwardProxy{tr: &http.Transport{}}
	p.srv = httptest.NewUnstartedServer(p)
	p.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	p.srv.Start()
	t.Cleanup(func() { p.srv.Close(); p.tr.CloseIdleConnections() })
	return p
}

func (p *forwardProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.hits.Add(1)
	p.auth.Store(r.Header.Get("Proxy-Authorization"))
	if r.Method == http.MethodConnect {
		p.tunnel(w, r)
		return
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.Header.Del("Proxy-Authorization")
	resp, err := p.tr.RoundTrip(out)
	if err != nil {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

func (p *forwardProxy) tunnel(w http.ResponseWriter, r *http.Request) {
	dst, err := net.Dial("tcp", r.Host)
	if err != nil {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	src, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		dst.Close()
		return
	}
	io.WriteString(src, "HTTP/1.1 200 Connection established\r\n\r\n")
	done := make(chan struct{}, 2)
	go func() { io.Copy(dst, buf); done <- struct{}{} }()
	go func() { io.Copy(src, dst); done <- struct{}{} }()
	<-done
	src.Close()
	dst.Close()
	<-done
}
