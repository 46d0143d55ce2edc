package fakegw_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

// The vendor's published signing example.
const (
	vendorAppKey = "e38267c0e86411ebb02aed82acb0ed99"
	vendorToken  = "f68f2d10ae9e4604b76fb05cf46bccec"
	vendorTS     = 1646636485
	vendorSig    = "BfWuaC9kmaicCggXc693uK+sZQ8qe88O4HVQNTdwZuo="
)

var vendorTime = time.Unix(vendorTS, 0)

// newVendorServer is a gateway with the vendor's credentials whose clock is
// stopped at the vendor example's timestamp, with /echo returning the
// Payload it got.
func newVendorServer(t *testing.T, opts ...fakegw.Option) (*fakegw.Server, *fakegw.ManualClock) {
	t.Helper()
	clock := fakegw.NewManualClock(vendorTime)
	opts = append([]fakegw.Option{fakegw.WithCredentials(vendorAppKey, vendorToken), fakegw.WithClock(clock)}, opts...)
	s := fakegw.New(t, opts...)
	s.Handle("/echo", func(_ context.Context, r *fakegw.Request) (any, error) { return r.Payload, nil })
	return s, clock
}

// rawReq is a request built by hand, so tests control every byte.
type rawReq struct {
	method string // default POST
	path   string // default /echo
	query  string // raw query; default: correctly signed at the server clock
	body   string // default: a valid envelope with RequestID rid-1
	ctx    context.Context
}

const goodBody = `{"Header":{"RequestID":"rid-1"},"Payload":{"X":1}}`

type reply struct {
	Status int
	HTTP   http.Header
	Header struct {
		Code      core.Code
		Message   string
		RequestID string
	}
	Payload json.RawMessage
	Raw     string
}

// client returns an HTTP client with no connection reuse, so every fault
// meets a fresh connection and nothing lingers for goleak.
func client(s *fakegw.Server) *http.Client {
	tr := s.HTTPClient().Transport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	return &http.Client{Transport: tr}
}

func signedQuery(s *fakegw.Server) string {
	return s.SignedQuery(s.Clock().Now(), nil).Encode()
}

func send(t *testing.T, s *fakegw.Server, r rawReq) (*http.Response, error) {
	t.Helper()
	if r.method == "" {
		r.method = http.MethodPost
	}
	if r.path == "" {
		r.path = "/echo"
	}
	if r.query == "" {
		r.query = signedQuery(s)
	}
	if r.body == "" {
		r.body = goodBody
	}
	if r.ctx == nil {
		r.ctx = context.Background()
	}
	req, err := http.NewRequestWithContext(r.ctx, r.method, s.URL()+r.path+"?"+r.query, strings.NewReader(r.body))
	must(t, err)
	req.Header.Set("Content-Type", "application/json;charset=utf-8")
	return client(s).Do(req)
}

// do sends r and decodes the reply; the body need not be an envelope.
func do(t *testing.T, s *fakegw.Server, r rawReq) reply {
	t.Helper()
	resp, err := send(t, s, r)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	out := reply{Status: resp.StatusCode, HTTP: resp.Header, Raw: string(b)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		must(t, json.Unmarshal(b, &out))
	}
	return out
}

func queryWith(s *fakegw.Server, at time.Time, edit func(url.Values)) string {
	q := s.SignedQuery(at, nil)
	edit(q)
	return q.Encode()
}

// fakeTB records what the server reports instead of failing the test.
type fakeTB struct {
	mu       sync.Mutex
	fatals   []string
	logs     []string
	cleanups []func()
}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Cleanup(fn func()) { f.mu.Lock(); f.cleanups = append(f.cleanups, fn); f.mu.Unlock() }
func (f *fakeTB) Logf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fatals = append(f.fatals, fmt.Sprintf(format, args...))
}
func (f *fakeTB) runCleanups() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
}
func (f *fakeTB) snapshot() (fatals, logs []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.fatals...), append([]string(nil), f.logs...)
}

func postJSON(hc *http.Client, u, body string, out *reply) error {
	resp, err := hc.Post(u, "application/json", strings.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}
