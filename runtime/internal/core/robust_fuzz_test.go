package core

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzOpt: Opt[T] accepts exactly what T accepts, plus null (unset), and
// a set value survives a round trip.
func FuzzOpt(f *testing.F) {
	for _, s := range []string{`null`, ` null `, `0`, `""`, `false`, `1e400`, `"x"`, `[1]`, `{"a":null}`, `-0`, `"\ud800"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		optRoundTrip[int](t, b)
		optRoundTrip[int64](t, b)
		optRoundTrip[float64](t, b)
		optRoundTrip[string](t, b)
		optRoundTrip[bool](t, b)
		optRoundTrip[[]string](t, b)
	})
}

func optRoundTrip[T any](t *testing.T, b []byte) {
	t.Helper()
	var o Opt[T]
	oerr := json.Unmarshal(b, &o)
	var plain T
	perr := json.Unmarshal(b, &plain)
	isNull := bytes.Equal(bytes.TrimSpace(b), []byte("null"))
	switch {
	case isNull:
		if oerr != nil || o.IsSet() {
			t.Fatalf("Opt[%T] of null: set=%v err=%v", plain, o.IsSet(), oerr)
		}
		return
	case (oerr == nil) != (perr == nil):
		t.Fatalf("Opt[%T] of %q: err %v, plain err %v", plain, b, oerr, perr)
	case oerr != nil:
		return
	case !o.IsSet():
		t.Fatalf("Opt[%T] of %q decoded unset", plain, b)
	}
	out, err := json.Marshal(o)
	if err != nil {
		t.Fatalf("Opt[%T] of %q does not encode: %v", plain, b, err)
	}
	want, _ := json.Marshal(plain)
	if !bytes.Equal(out, want) {
		t.Fatalf("Opt[%T] of %q encodes %s, plain %s", plain, b, out, want)
	}
	var back Opt[T]
	if err := json.Unmarshal(out, &back); err != nil || !back.IsSet() {
		t.Fatalf("Opt[%T]: %s does not decode back (%v)", plain, out, err)
	}
}

// FuzzPages drives Pages with a scripted server: each byte pair is a page
// (item count, total; a high bit makes the call fail). Pages asks for
// pages 1, 2, 3… in order, yields exactly the items served, at most one
// error and nothing after it, stops fetching when the consumer stops, and
// ends only when Total is reached, on an error, or with ErrPagingStalled.
func FuzzPages(f *testing.F) {
	f.Add([]byte{2, 5, 2, 5, 1, 5}, uint8(2), uint8(0))
	f.Add([]byte{0, 3}, uint8(3), uint8(0))
	f.Add([]byte{3, 0x7f, 0x83, 0}, uint8(3), uint8(2))
	f.Add([]byte{1, 0xff, 1, 2}, uint8(0), uint8(1))
	f.Fuzz(func(t *testing.T, script []byte, size, stopAfter uint8) {
		var served []int
		var calls []int
		fetch := func(_ context.Context, index, sz int) (Page[int], error) {
			calls = append(calls, index)
			if sz != int(size) {
				t.Fatalf("fetch size %d, want %d", sz, size)
			}
			i := 2 * (index - 1)
			if i+1 >= len(script) {
				return Page[int]{}, errors.New("script ended")
			}
			if script[i]&0x80 != 0 {
				return Page[int]{}, errors.New("scripted failure")
			}
			p := Page[int]{Total: int(int8(script[i+1]))}
			for range script[i] % 8 {
				p.Items = append(p.Items, len(served))
				served = append(served, len(served))
			}
			return p, nil
		}
		var got []int
		var errs []error
		for it, err := range Pages(context.Background(), int(size), fetch) {
			if len(errs) > 0 {
				t.Fatalf("yield after error %v", errs[0])
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			got = append(got, it)
			if stopAfter > 0 && len(got) == int(stopAfter) {
				break
			}
		}
		for i, c := range calls {
			if c != i+1 {
				t.Fatalf("fetch calls %v, want 1, 2, 3…", calls)
			}
		}
		if size == 0 && (len(calls) != 0 || len(errs) != 1) {
			t.Fatalf("size 0: %d fetches, errors %v", len(calls), errs)
		}
		if len(got) > len(served) || !equalInts(got, served[:len(got)]) {
			t.Fatalf("yielded %v, served %v", got, served)
		}
		stopped := stopAfter > 0 && len(got) == int(stopAfter)
		if !stopped && len(errs) == 0 && len(got) != len(served) {
			t.Fatalf("ended without error after %d of %d served items", len(got), len(served))
		}
	})
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FuzzSkewSample: any Date header and round trip gives no panic, and a
// usable non-zero sample has the sign of Date minus the local midpoint.
func FuzzSkewSample(f *testing.F) {
	for _, s := range []string{"Fri, 27 Nov 2026 10:00:00 GMT", "Mon, 01 Jan 0001 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT",
		"Thu, 01 Jan 1970 00:00:00 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "x"} {
		f.Add(s, int64(20))
	}
	sent := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, date string, rttMillis int64) {
		h := http.Header{"Date": {date}}
		recv := sent.Add(time.Duration(rttMillis) * time.Millisecond)
		sample, ok := skewSample(h, sent, recv)
		if !ok {
			if sample != 0 {
				t.Fatalf("unusable sample %v", sample)
			}
			return
		}
		if absDur(sample) < 0 {
			t.Fatalf("absDur(%v) < 0", sample)
		}
		d, _ := http.ParseTime(date)
		mid := sent.Add(recv.Sub(sent) / 2)
		if sample != 0 && (sample > 0) != d.After(mid) {
			t.Fatalf("Date %q, midpoint %v: sample %v has the wrong sign", date, mid, sample)
		}
		if sample == 0 && (d.Sub(mid) > 2*time.Second+recv.Sub(sent) || mid.Sub(d) > 2*time.Second+recv.Sub(sent)) {
			t.Fatalf("Date %q is %v off the midpoint, sample 0", date, d.Sub(mid))
		}
	})
}

// FuzzCallbackHandler posts arbitrary bodies: the answer is 200 with the
// payload handed over, or 400 without calling the handler; never a panic.
func FuzzCallbackHandler(f *testing.F) {
	for _, s := range []string{`{"Payload":{"TaskId":"t","Status":"SUCCESS"}}`, `{"Payload":null}`, `{}`, `[]`,
		`{"Payload":{"TaskId":1}}`, `{"Payload":{}}{"Payload":{}}`, ``} {
		f.Add([]byte(s))
	}
	type result struct {
		TaskID string `json:"TaskId"`
		Status string
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		called := false
		h := CallbackHandler(func(_ context.Context, r *result) error {
			if r == nil {
				t.Fatal("handler called with nil payload")
			}
			called = true
			return nil
		})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/cb", bytes.NewReader(body)))
		switch {
		case w.Code == http.StatusOK && !called, w.Code == http.StatusBadRequest && called:
			t.Fatalf("status %d, handler called %v", w.Code, called)
		case w.Code != http.StatusOK && w.Code != http.StatusBadRequest:
			t.Fatalf("status %d for %q", w.Code, body)
		}
	})
}

// FuzzDoResponse answers a call with an arbitrary status, body and
// Retry-After/Date/Content-Type headers, where $SIG and $TOK stand for the
// attempt's signature and the access token: Do never panics, returns a
// response or an error, and the error text never holds the token or the
// signature, whatever the server echoes.
func FuzzDoResponse(f *testing.F) {
	f.Add(uint16(200), []byte(`{"Header":{"Code":0,"RequestID":"r"},"Payload":{"X":1}}`), "", "")
	f.Add(uint16(200), []byte(`{"Header":{"Code":100002,"Message":"signature $SIG does not match","RequestID":"r"}}`), "", "")
	f.Add(uint16(401), []byte(`bad signature=$SIG token $TOK`), "1", "Thu, 01 Jan 1970 00:00:00 GMT")
	f.Add(uint16(503), []byte(`<html>$SIG</html>`), "Wed, 21 Oct 2015 07:28:00 GMT", "")
	f.Add(uint16(302), []byte(``), "", "")
	f.Add(uint16(200), []byte(`{"Header":{"Code":"x"}}`), "-1", "x")
	const token = "tok-0123456789abcdef-secret"
	f.Fuzz(func(t *testing.T, status uint16, body []byte, retryAfter, date string) {
		var sig string
		doer := doerFunc(func(r *http.Request) (*http.Response, error) {
			sig = r.URL.Query().Get("signature")
			echo := func(s string) string {
				return strings.NewReplacer("$SIG", sig, "$TOK", token).Replace(s)
			}
			h := http.Header{"Content-Type": {"application/json"}}
			if retryAfter != "" {
				h.Set("Retry-After", echo(retryAfter))
			}
			if date != "" {
				h.Set("Date", echo(date))
			}
			return &http.Response{StatusCode: httpStatus(status), Header: h, Request: r,
				Body: io.NopCloser(strings.NewReader(echo(string(body))))}, nil
		})
		c, err := NewClient("appkey", token, WithBaseURL("https://gw.invalid"), WithDoer(doer),
			WithSleeper(sleepNone{}), WithRetryPolicy(RetryPolicy{MaxAttempts: 2}))
		if err != nil {
			t.Fatal(err)
		}
		op := &Operation{Name: "Fuzz", Path: "/fuzz", Idempotent: true}
		resp, err := Do[struct{}, struct{ X int }](context.Background(), c, op, &struct{}{})
		if err == nil {
			if resp == nil {
				t.Fatal("nil response without an error")
			}
			return
		}
		msg := fmt.Sprintf("%v %+v", err, err)
		if strings.Contains(msg, token) || sig != "" && strings.Contains(msg, sig) {
			t.Fatalf("error text holds a secret: %s", msg)
		}
	})
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

type sleepNone struct{}

func (sleepNone) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// httpStatus maps any number into 100..599, keeping valid ones.
func httpStatus(n uint16) int {
	if n >= 100 && n <= 599 {
		return int(n)
	}
	return 100 + int(n)%500
}
