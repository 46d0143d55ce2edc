package fakegw_test

import (
	"context"
	"errors"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

// countingServer is a vendor server whose /work handler counts its calls.
func countingServer(t *testing.T) (*fakegw.Server, *fakegw.ManualClock, *atomic.Int32) {
	s, clock := newVendorServer(t)
	var n atomic.Int32
	s.Handle("/work", func(context.Context, *fakegw.Request) (any, error) {
		n.Add(1)
		return map[string]string{"TaskId": "t1"}, nil
	})
	return s, clock, &n
}

func lastRecord(t *testing.T, s *fakegw.Server) fakegw.Recorded {
	t.Helper()
	recs := s.Requests()
	if len(recs) == 0 {
		t.Fatal("nothing recorded")
	}
	return recs[len(recs)-1]
}

func TestReplyFaults(t *testing.T) {
	s, clock, calls := countingServer(t)
	date := clock.Now().UTC().Format(http.TimeFormat)
	cases := []struct {
		name        string
		fault       fakegw.Fault
		status      int
		code        core.Code
		contentType string
		body        string // substring of the raw body
		header      map[string]string
	}{
		{"error code", fakegw.CodeFault(100008, "concurrency limit"), 200, 100008, "application/json", `"Message":"concurrency limit"`, nil},
		{"502 html", fakegw.StatusFault(http.StatusBadGateway), 502, 0, "text/html", "<h1>502 Bad Gateway</h1>", nil},
		{"503 custom body", fakegw.Fault{Status: 503, Body: "upstream busy"}, 503, 0, "text/html", "upstream busy", nil},
		{"200 not an envelope", fakegw.Fault{Status: 200, Body: `{"Payload":{}}`, Header: http.Header{"Content-Type": {"text/plain"}}}, 200, 0, "text/plain", `{"Payload":{}}`, nil},
		{"429", fakegw.RateLimitFault("1"), 429, 0, "text/html", "429 Too Many Requests", map[string]string{"Retry-After": "1"}},
		{"429 garbage retry-after", fakegw.RateLimitFault("soon"), 429, 0, "text/html", "", map[string]string{"Retry-After": "soon"}},
		{"skewed date", fakegw.SkewDateFault(6 * time.Minute), 200, 0, "application/json", `"TaskId":"t1"`,
			map[string]string{"Date": clock.Now().Add(6 * time.Minute).UTC().Format(http.TimeFormat)}},
		{"skewed date with age", fakegw.Fault{DateSkew: -time.Hour, Header: http.Header{"Age": {"17280"}}}, 200, 0, "application/json", `"TaskId"`,
			map[string]string{"Age": "17280", "Date": clock.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)}},
		{"skewed auth failure", fakegw.Fault{Code: fakegw.CodeUnauthorized, Message: "expired", DateSkew: 6 * time.Minute}, 200, fakegw.CodeUnauthorized, "application/json", "expired",
			map[string]string{"Date": clock.Now().Add(6 * time.Minute).UTC().Format(http.TimeFormat)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := calls.Load()
			s.Inject("/work", c.fault)
			got := do(t, s, rawReq{path: "/work"})
			equal(t, got.Status, c.status)
			equal(t, got.Header.Code, c.code)
			contains(t, got.HTTP.Get("Content-Type"), c.contentType)
			contains(t, got.Raw, c.body)
			if c.header["Date"] == "" {
				equal(t, got.HTTP.Get("Date"), date, "Date comes from the gateway clock")
			}
			for k, v := range c.header {
				equal(t, got.HTTP.Get(k), v, k)
			}
			ran := calls.Load() - before
			equal(t, ran, int32(btoi(c.fault.Status == 0 && c.fault.Code == 0)), "handler runs only for decorating faults")
			rec := lastRecord(t, s)
			equal(t, rec.HTTPStatus, c.status)
			equal(t, rec.Code, c.code)
			if rec.Fault == nil || rec.Fault.Status != c.fault.Status || rec.Fault.Code != c.fault.Code {
				t.Errorf("recorded fault %+v, want %+v", rec.Fault, c.fault)
			}
		})
	}
	equal(t, s.PendingFaults(), 0)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestFaultQueues(t *testing.T) {
	s, _, _ := countingServer(t)
	s.Inject("/work", fakegw.CodeFault(1, "a1"), fakegw.CodeFault(2, "a2"))
	s.InjectGlobal(fakegw.CodeFault(3, "g1"), fakegw.CodeFault(4, "g2"))
	equal(t, s.PendingFaults(), 4)
	steps := []struct {
		path string
		code core.Code
	}{
		{"/echo", 3}, // no /echo queue: the global one
		{"/work", 1}, // the path's own queue first
		{"/work", 2}, //
		{"/work", 4}, // then the global queue
		{"/work", 0}, // all used
		{"/nowhere", fakegw.CodeNotFound},
	}
	for i, st := range steps {
		got := do(t, s, rawReq{path: st.path})
		equal(t, got.Header.Code, st.code, "step", i)
	}
	equal(t, s.PendingFaults(), 0)
}

// Faults come before the gateway checks: a 5xx from the front end happens
// whatever the request looks like.
func TestFaultsPrecedeChecks(t *testing.T) {
	s, _, _ := countingServer(t)
	s.InjectGlobal(fakegw.StatusFault(http.StatusServiceUnavailable))
	got := do(t, s, rawReq{path: "/work", query: "appkey=x"})
	equal(t, got.Status, http.StatusServiceUnavailable)
	equal(t, do(t, s, rawReq{path: "/work", query: "appkey=x"}).Header.Code, fakegw.CodeBadParameter)
}

func TestDropFaults(t *testing.T) {
	cases := []struct {
		mode     fakegw.DropMode
		ran      int32
		outcome  string
		bodyRead bool
	}{
		{fakegw.DropBeforeBody, 0, "dropped before reading the body", false},
		{fakegw.DropAfterBody, 1, "closed after the handler ran", true},
		{fakegw.ResetAfterBody, 1, "reset after the handler ran", true},
	}
	for _, c := range cases {
		s, _, calls := countingServer(t)
		s.Inject("/work", fakegw.DropFault(c.mode))
		resp, err := send(t, s, rawReq{path: "/work"})
		if err == nil {
			resp.Body.Close()
			t.Errorf("mode %d: got a response %d, want a transport error", c.mode, resp.StatusCode)
		}
		if c.mode == fakegw.ResetAfterBody && err != nil {
			contains(t, err.Error(), "reset")
		}
		equal(t, calls.Load(), c.ran, "mode", c.mode)
		rec := lastRecord(t, s)
		contains(t, rec.Outcome, c.outcome)
		equal(t, rec.HTTPStatus, 0)
		equal(t, rec.Body != nil, c.bodyRead)
	}
}

func TestTruncatedReply(t *testing.T) {
	s, _, calls := countingServer(t)
	s.Inject("/work", fakegw.DropFault(fakegw.TruncateReply))
	resp, err := send(t, s, rawReq{path: "/work"})
	must(t, err)
	defer resp.Body.Close()
	equal(t, resp.StatusCode, http.StatusOK)
	b, err := io.ReadAll(resp.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("read error %v, want unexpected EOF", err)
	}
	contains(t, `{"Header":{"Code":0,"Message":"success","RequestID":"rid-1"},"Payload":{"TaskId":"t1"}}`, string(b))
	if len(b) == 0 {
		t.Error("no partial body")
	}
	equal(t, calls.Load(), int32(1))
	contains(t, lastRecord(t, s).Outcome, "truncated")
}

func TestDelayFault(t *testing.T) {
	s, _, _ := countingServer(t)
	s.Inject("/work", fakegw.DelayFault(20*time.Millisecond))
	start := time.Now()
	got := do(t, s, rawReq{path: "/work"})
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("answered after %v, want at least 20ms", d)
	}
	equal(t, got.Header.Code, 0)
}

// A client that gives up ends a long delay at once: the handler does not
// run and the request is recorded as unanswered.
func TestDelayEndsWhenClientGivesUp(t *testing.T) {
	s, _, calls := countingServer(t)
	s.Inject("/work", fakegw.DelayFault(time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := send(t, s, rawReq{path: "/work", ctx: ctx})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want deadline exceeded", err)
	}
	rec := waitForRecord(t, s)
	contains(t, rec.Outcome, "no reply")
	equal(t, calls.Load(), int32(0))
}

func waitForRecord(t *testing.T, s *fakegw.Server) fakegw.Recorded {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if recs := s.Requests(); len(recs) > 0 {
			return recs[len(recs)-1]
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("the request was never recorded")
	return fakegw.Recorded{}
}

func TestHoldFault(t *testing.T) {
	s, _, _ := countingServer(t)
	hold := make(chan struct{})
	s.Inject("/work", fakegw.Fault{Hold: hold})
	done := make(chan reply, 1)
	go func() { done <- do(t, s, rawReq{path: "/work"}) }()
	select {
	case <-done:
		t.Fatal("answered while held")
	case <-time.After(20 * time.Millisecond):
	}
	close(hold)
	equal(t, (<-done).Header.Code, 0)
}

// Close must not wait for a held request forever.
func TestCloseReleasesHeldRequests(t *testing.T) {
	s, err := fakegw.Start()
	must(t, err)
	s.InjectGlobal(fakegw.Fault{Hold: make(chan struct{})}, fakegw.DelayFault(time.Hour))
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := send(t, s, rawReq{})
			errs <- err
		}()
	}
	for s.PendingFaults() > 0 {
		time.Sleep(time.Millisecond)
	}
	s.Close()
	s.Close() // idempotent
	for range 2 {
		if err := <-errs; err == nil {
			t.Error("a held request got a reply after Close")
		}
	}
	for _, r := range s.Requests() {
		contains(t, r.Outcome, "no reply")
	}
}

func TestNormalRepliesCarryClockDate(t *testing.T) {
	s, clock := newVendorServer(t)
	clock.Advance(90 * time.Second)
	got := do(t, s, rawReq{query: s.SignedQuery(clock.Now(), nil).Encode()})
	equal(t, got.HTTP.Get("Date"), clock.Now().UTC().Format(http.TimeFormat))
	if !strings.HasPrefix(got.HTTP.Get("Content-Type"), "application/json") {
		t.Errorf("content type %q", got.HTTP.Get("Content-Type"))
	}
}
