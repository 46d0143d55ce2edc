package core

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http2"
)

// TestRETRY4_BackoffTable pins exact delays: 500ms ×2 capped at 8s, times
// a jitter factor 0.5+0.5·r that never yields 0 and applies at the cap.
func TestRETRY4_BackoffTable(t *testing.T) {
	p := DefaultRetryPolicy()
	cases := []struct {
		n    int
		r    float64
		want time.Duration
	}{
		{1, 0, 250 * time.Millisecond},
		{1, 0.5, 375 * time.Millisecond},
		{1, 1, 500 * time.Millisecond},
		{2, 0, 500 * time.Millisecond},
		{3, 0.5, 1500 * time.Millisecond},
		{4, 0, 2 * time.Second},
		{5, 0, 4 * time.Second},
		{6, 0, 4 * time.Second},
		{6, 0.5, 6 * time.Second},
		{100, 0, 4 * time.Second},
		{math.MaxInt, 0.5, 6 * time.Second},
		{1, math.NaN(), 250 * time.Millisecond},
		{1, -3, 250 * time.Millisecond},
	}
	for _, c := range cases {
		got := p.backoff(c.n, func() float64 { return c.r })
		if c.r == 1 {
			if got > c.want || got < c.want-time.Microsecond {
				t.Errorf("backoff(%d, %v) = %v, want about %v", c.n, c.r, got, c.want)
			}
			continue
		}
		if got != c.want {
			t.Errorf("backoff(%d, %v) = %v, want %v", c.n, c.r, got, c.want)
		}
	}
	// A cap beyond what doubling can reach saturates instead of wrapping
	// negative and collapsing to 1 ns.
	huge := RetryPolicy{BaseDelay: 500 * time.Millisecond, MaxDelay: math.MaxInt64}
	if d := huge.backoff(100, func() float64 { return 0 }); d < time.Duration(math.MaxInt64/4) {
		t.Errorf("backoff(100) under a huge cap = %v, want at least %v", d, time.Duration(math.MaxInt64/4))
	}
	if d := huge.backoff(100, func() float64 { return 1 }); d < time.Duration(math.MaxInt64/2) {
		t.Errorf("backoff(100) at full jitter under a huge cap = %v", d)
	}
	tiny := RetryPolicy{BaseDelay: 1, MaxDelay: 1}
	if d := tiny.backoff(1, func() float64 { return 0 }); d <= 0 {
		t.Errorf("jitter yielded %v", d)
	}
}

// TestRETRY5_RetryAfterTable covers seconds, dates and garbage.
func TestRETRY5_RetryAfterTable(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"1", time.Second, true},
		{"0", 0, true},
		{" 2 ", 2 * time.Second, true},
		{"3600", time.Hour, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{"Fri, 02 Jan 2026 02:", 0, false},
		{"-1", 0, false},
		{"abc", 0, false},
		{"NaN", 0, false},
		{"1.5", 0, false},
		{"", 0, false},
		{"9223372036854775807", 0, false},
		{"9223372036", 9223372036 * time.Second, true},
		{"9223372037", 0, false},
		{"Fri, 31 Dec 9999 23:59:59 GMT", time.Duration(math.MaxInt64), true},
		{"2" + strings.Repeat("0", 300), 0, false},
	}
	for _, c := range cases {
		got, ok := parseRetryAfter(c.in, now)
		if got != c.want || ok != c.wantOK {
			t.Errorf("parseRetryAfter(%.20q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.wantOK)
		}
		if got < 0 {
			t.Errorf("negative delay for %q", c.in)
		}
	}
}

// FuzzParseRetryAfter: never panics, never negative.
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"1", "0", "-1", "abc", "9223372036854775807", "Wed, 21 Oct 2015 07:28:00 GMT", "2" + strings.Repeat("0", 300)} {
		f.Add(s)
	}
	now := time.Unix(1717639699, 0)
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseRetryAfter(s, now)
		if d < 0 {
			t.Fatalf("negative delay %v", d)
		}
		if !ok && d != 0 {
			t.Fatalf("unusable value yields %v", d)
		}
	})
}

// TestRETRY8_BudgetSteps walks the token bucket in the AWS step-table
// style: outcome, remaining tokens.
func TestRETRY8_BudgetSteps(t *testing.T) {
	b := newBucket(&RetryBudget{Capacity: 20, RetryCost: 5, TimeoutCost: 10, SuccessGain: 1})
	steps := []struct {
		name string
		do   func() bool
		want int
	}{
		{"first-attempt success at capacity stays capped", func() bool { b.succeeded(); return true }, 20},
		{"retry after a 503", func() bool { _, ok := b.acquire(false); return ok }, 15},
		{"retry after a timeout", func() bool { _, ok := b.acquire(true); return ok }, 5},
		{"retry succeeds and refunds its cost", func() bool { b.release(10); return true }, 15},
		{"retry", func() bool { _, ok := b.acquire(false); return ok }, 10},
		{"non-retryable end returns the tokens", func() bool { b.release(5); return true }, 15},
		{"timeout retry", func() bool { _, ok := b.acquire(true); return ok }, 5},
		{"exhausted: a timeout retry costs 10", func() bool { _, ok := b.acquire(true); return !ok }, 5},
		{"a plain retry still fits", func() bool { _, ok := b.acquire(false); return ok }, 0},
		{"exhausted", func() bool { _, ok := b.acquire(false); return !ok }, 0},
		{"first-attempt success adds 1", func() bool { b.succeeded(); return true }, 1},
	}
	for _, s := range steps {
		if !s.do() {
			t.Fatalf("%s: unexpected outcome", s.name)
		}
		if got := b.remaining(); got != s.want {
			t.Fatalf("%s: %d tokens, want %d", s.name, got, s.want)
		}
	}
	var none *bucket
	if cost, ok := none.acquire(true); cost != 0 || !ok || none.remaining() != -1 {
		t.Error("nil bucket must always pay nothing")
	}
	none.release(3)
	none.succeeded()
	d := newBucket(&RetryBudget{SuccessGain: -1})
	if d.cfg.Capacity != 500 || d.cfg.RetryCost != 5 || d.cfg.TimeoutCost != 10 || d.cfg.SuccessGain != 0 {
		t.Errorf("defaults not applied: %+v", d.cfg)
	}
}

// FuzzDecodeEnvelope: no panic, and success only with a header and code.
func FuzzDecodeEnvelope(f *testing.F) {
	for _, s := range []string{
		`{"Header":{"Code":0,"Message":"","RequestID":"r"},"Payload":{}}`,
		`{"Header":{"Code":"100002"}}`, `{"Header":null}`, `{"Payload":{}}`, `[]`, `{"Header":{"Code":1e400}}`,
		`{"Header":{"Code":"x"}}`, `{"Header":{"Code":0,"SessionID":"s"},"Payload":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		h, payload, err := decodeEnvelope(b)
		if err != nil {
			return
		}
		if !h.Code.set || !json.Valid(b) || (len(payload) > 0 && !json.Valid(payload)) {
			t.Fatalf("accepted an envelope without a usable header: %q", b)
		}
		_ = headerExtra(b)
	})
}

// TestERR1_FlexCode: numbers and numeric strings.
func TestERR1_FlexCode(t *testing.T) {
	cases := map[string]struct {
		code int
		ok   bool
	}{
		`{"Header":{"Code":0}}`:            {0, true},
		`{"Header":{"Code":"100002"}}`:     {100002, true},
		`{"Header":{"Code":" -101000 "}}`:  {-101000, true},
		`{"Header":{"Code":-101000}}`:      {-101000, true},
		`{"Header":{"Code":"-101000"}}`:    {-101000, true},
		`{"Header":{"Code":null}}`:         {0, false},
		`{"Header":{"Code":1.5}}`:          {0, false},
		`{"Header":{"Code":"abc"}}`:        {0, false},
		`{"Header":{"Code":"\u00"}}`:       {0, false},
		`{"Header":{"Message":"no code"}}`: {0, false},
		`{"Header":"x"}`:                   {0, false},
		`{"Header":{"Code":[1]}}`:          {0, false},
		`not json`:                         {0, false},
	}
	for in, want := range cases {
		h, _, err := decodeEnvelope([]byte(in))
		if (err == nil) != want.ok || (err == nil && h.Code.v != want.code) {
			t.Errorf("%s: code %d err %v; want %d ok=%v", in, h.Code.v, err, want.code, want.ok)
		}
	}
}

// TestERR4_TransportClass sorts transport errors by what they prove.
func TestERR4_TransportClass(t *testing.T) {
	cases := []struct {
		err     error
		trusted bool
		want    failClass
	}{
		{errors.New("net/http: TLS handshake timeout"), false, failAmbiguous}, // text proves nothing
		{errors.New("EOF"), false, failAmbiguous},
		{&net.OpError{Op: "dial", Err: errors.New("refused")}, false, failNotSent},
		{&net.OpError{Op: "read", Err: errors.New("reset")}, false, failAmbiguous},
		{&net.DNSError{IsNotFound: true}, false, failFinal},
		{&net.DNSError{IsTemporary: true}, false, failNotSent},
		{x509.UnknownAuthorityError{}, false, failFinal},
		{http2.StreamError{Code: http2.ErrCodeRefusedStream}, false, failNotSent},
		{http2.StreamError{Code: http2.ErrCodeProtocol}, false, failAmbiguous},
		{&rewindRefusedError{}, false, failAmbiguous},
		{&rewindRefusedError{untouched: true}, false, failNotSent},
		{&rewindRefusedError{}, true, failNotSent},
	}
	for _, tc := range cases {
		if got := transportClass(fmt.Errorf("wrapped: %w", tc.err), nil, tc.trusted); got != tc.want {
			t.Errorf("%T %v (trusted %v): %v, want %v", tc.err, tc.err, tc.trusted, got, tc.want)
		}
	}
	if got := transportClass(errors.New("x"), &sendGuard{conns: 1}, false); got != failNotSent {
		t.Errorf("nothing written: %v", got)
	}
	if got := transportClass(errors.New("x"), &sendGuard{conns: 1, wrote: true}, false); got != failAmbiguous {
		t.Errorf("headers written: %v", got)
	}
	for _, f := range []failClass{failFinal, failNotSent, failThrottled, failAmbiguous, failRetryableCode, failSkew} {
		if f.String() == "" {
			t.Error("unnamed class")
		}
	}
}

// TestERR3_Scrub: queries and signature values never survive.
func TestERR3_Scrub(t *testing.T) {
	cases := map[string]string{
		`Post "http://h/p?appkey=a&signature=S%2B": refused`: `Post "http://h/p": refused`,
		"see /v2/x?signature=abc now":                        "see /v2/x now",
		"appkey=a&signature=abc":                             "[REDACTED]",
		"what? fine=1":                                       "what? fine=1",
		"plain":                                              "plain",
	}
	for in, want := range cases {
		if got := shape(in); got != want {
			t.Errorf("scrub(%q) = %q, want %q", in, got, want)
		}
	}
	if got := stripURL("http://u:p@h/p?q=1#f"); got != "http://h/p" {
		t.Errorf("stripURL = %q", got)
	}
	if got := stripURL("%zz/p?signature=x"); strings.Contains(got, "signature") {
		t.Errorf("stripURL of a bad URL kept the query: %q", got)
	}
	long := strings.Repeat("é", 400) + "\n?signature=x"
	if s := snippet(long); len(s) > 512 || strings.ContainsAny(s, "\n\r") || !strings.HasPrefix(s, "é") {
		t.Errorf("snippet: %d bytes %q", len(s), s[:10])
	}
}

type scriptDoer struct {
	statuses []int
	n        int
}

func (d *scriptDoer) Do(*http.Request) (*http.Response, error) {
	s := d.statuses[d.n]
	d.n++
	body := `{"Header":{"Code":0},"Payload":{}}`
	if s != 200 {
		body = "busy"
	}
	return &http.Response{StatusCode: s, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}, nil
}

type recSleeper struct{ delays []time.Duration }

func (r *recSleeper) Sleep(_ context.Context, d time.Duration) error {
	r.delays = append(r.delays, d)
	return nil
}

// TestRETRY8_BudgetStepTable drives whole calls through one client, in
// the AWS step-table style: the responses of a call, then the outcome, the
// tokens left and the delays slept.
func TestRETRY8_BudgetStepTable(t *testing.T) {
	d := &scriptDoer{}
	sl := &recSleeper{}
	c, err := NewClient("ak", "tok", WithDoer(d), WithSleeper(sl), WithRand(func() float64 { return 0 }),
		WithRetryBudget(&RetryBudget{Capacity: 12, RetryCost: 5, TimeoutCost: 10, SuccessGain: 1}))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		statuses []int
		ok       bool
		tokens   int
		delays   []time.Duration
	}{
		{[]int{200}, true, 12, nil}, // first-attempt success, capped
		{[]int{503, 200}, true, 12, []time.Duration{250 * time.Millisecond}}, // retry paid 5, refunded
		{[]int{503, 503, 503}, false, 2, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}},
		{[]int{503}, false, 2, nil}, // budget exhausted: no retry
		{[]int{200}, true, 3, nil},  // +1
		{[]int{200}, true, 4, nil},  // +1
		{[]int{200}, true, 5, nil},  // +1
		{[]int{503, 404}, false, 5, []time.Duration{250 * time.Millisecond}}, // non-retryable end returns the 5
		{[]int{503, 503}, false, 0, []time.Duration{250 * time.Millisecond}}, // spent, then exhausted
	}
	for i, s := range steps {
		d.statuses, d.n, sl.delays = s.statuses, 0, nil
		_, err := Do[struct{}, struct{}](context.Background(), c, &Operation{Name: "Get", Path: "/g", Idempotent: true}, &struct{}{})
		if (err == nil) != s.ok {
			t.Fatalf("step %d: err %v", i, err)
		}
		if d.n != len(s.statuses) {
			t.Fatalf("step %d: %d attempts, want %d", i, d.n, len(s.statuses))
		}
		if got := c.budget.remaining(); got != s.tokens {
			t.Fatalf("step %d: %d tokens, want %d", i, got, s.tokens)
		}
		if fmt.Sprint(sl.delays) != fmt.Sprint(s.delays) {
			t.Fatalf("step %d: delays %v, want %v", i, sl.delays, s.delays)
		}
	}
}
