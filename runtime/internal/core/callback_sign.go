package core

import (
	"context"
	"crypto/hmac"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/apsign"
)

// CallbackKey is the key a signed callback is verified with. The vendor
// provides it offline; it is not the access token.
type CallbackKey string

// CallbackOption configures a signed callback handler.
type CallbackOption func(*callbackConfig)

type callbackConfig struct {
	window time.Duration
	now    func() time.Time
}

// DefaultCallbackWindow is how far a signed callback's timestamp may be
// from the receiver's clock, either way, unless WithTimestampWindow says
// otherwise.
const DefaultCallbackWindow = 5 * time.Minute

// WithTimestampWindow sets how far a signed callback's timestamp may be
// from now, either way; a callback outside it is answered 401.
func WithTimestampWindow(d time.Duration) CallbackOption {
	return func(c *callbackConfig) { c.window = d }
}

// WithCallbackClock sets the clock a signed callback's timestamp is checked
// against, for tests.
func WithCallbackClock(now func() time.Time) CallbackOption {
	return func(c *callbackConfig) { c.now = now }
}

// CallbackSignature describes how a callback is signed: the HMAC-SHA256
// (standard base64) of the signed query parameters, sorted by name and
// joined as k=v with '&', keyed by a CallbackKey, carried in Param.
type CallbackSignature struct {
	Params    []string // the signed query parameters, all required
	Param     string   // the parameter holding the signature
	Timestamp string   // the signed parameter holding Unix seconds
}

// SignedCallbackHandlerOf is CallbackHandlerOf behind a signature check:
// a request whose signature does not verify (compared in constant time),
// lacks a signed parameter, or whose timestamp is outside the window is
// answered 401 and f is not called. An empty key refuses every request.
func SignedCallbackHandlerOf[T any](sig CallbackSignature, key CallbackKey, flat bool, required []string,
	f func(context.Context, *T) error, opts ...CallbackOption) http.Handler {
	cfg := callbackConfig{window: DefaultCallbackWindow, now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	next := CallbackHandlerOf(flat, required, f)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !verifyCallback(sig, key, r.URL.Query(), cfg) {
			http.Error(w, "bad callback signature", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func verifyCallback(sig CallbackSignature, key CallbackKey, q url.Values, cfg callbackConfig) bool {
	if key == "" {
		return false
	}
	signed := url.Values{}
	for _, p := range sig.Params {
		v, ok := q[p]
		if !ok || len(v) != 1 {
			return false
		}
		signed.Set(p, v[0])
	}
	got := q.Get(sig.Param)
	want := apsign.Sign(string(key), signed)
	if got == "" || !hmac.Equal([]byte(got), []byte(want)) {
		return false
	}
	if sig.Timestamp == "" {
		return true
	}
	ts, err := strconv.ParseInt(signed.Get(sig.Timestamp), 10, 64)
	if err != nil {
		return false
	}
	d := cfg.now().Sub(time.Unix(ts, 0))
	return d <= cfg.window && d >= -cfg.window
}
