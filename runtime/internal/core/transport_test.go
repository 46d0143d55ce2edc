package core_test

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHTTP1_DefaultTransport pins the default transport settings.
func TestHTTP1_DefaultTransport(t *testing.T) {
	tr := core.NewTransport()
	assert.Equal(t, 16, tr.MaxIdleConnsPerHost)
	assert.Equal(t, 90*time.Second, tr.IdleConnTimeout)
	assert.Equal(t, 10*time.Second, tr.TLSHandshakeTimeout)
	assert.Equal(t, uint16(tls.VersionTLS12), tr.TLSClientConfig.MinVersion)
	assert.True(t, tr.Proxy != nil, "proxy from environment")
}

// TestHTTP1_CallerClientAndMiddleware: a caller *http.Client is used, its
// transport wrapped by middleware in order, outermost first.
func TestHTTP1_CallerClientAndMiddleware(t *testing.T) {
	g := newGateway(t, false, func(_ *gateway, _ int, w http.ResponseWriter, r *http.Request) { okTask(w, r) })
	var order []string
	mw := func(name string) core.Middleware {
		return func(next http.RoundTripper) http.RoundTripper {
			return roundTripFunc(func(r *http.Request) (*http.Response, error) {
				order = append(order, name)
				return next.RoundTrip(r)
			})
		}
	}
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		order = append(order, "caller")
		return tr.RoundTrip(r)
	})}
	c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()), core.WithHTTPClient(hc),
		core.WithMiddleware(mw("outer"), mw("inner")), core.WithUserAgent("ua-test/1"), core.WithHeader("X-Trace", "t1"))
	require.NoError(t, err)
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	require.NoError(t, err)
	assert.Equal(t, []string{"outer", "inner", "caller"}, order)
	r := g.requests()[0]
	assert.Equal(t, "ua-test/1", r.Header.Get("User-Agent"))
	assert.Equal(t, "t1", r.Header.Get("X-Trace"))

	// A Doer with middleware.
	order = nil
	c, err = core.NewClient(testAppKey, testToken, core.WithDoer(doerFunc(func(*http.Request) (*http.Response, error) {
		order = append(order, "doer")
		return jsonResponse(200, `{"Header":{"Code":0}}`), nil
	})), core.WithMiddleware(mw("mw")))
	require.NoError(t, err)
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	require.NoError(t, err)
	assert.Equal(t, []string{"mw", "doer"}, order)
	c.CloseIdleConnections()
}

// TestHTTP2_PerAttemptTimeout: each attempt gets its own deadline, never
// beyond the caller's.
func TestHTTP2_PerAttemptTimeout(t *testing.T) {
	var left []time.Duration
	c, _ := scripted(t, func(_ int, r *http.Request) (*http.Response, error) {
		dl, ok := r.Context().Deadline()
		require.True(t, ok, "attempt has a deadline")
		left = append(left, time.Until(dl))
		return statusResp(503)(0, r)
	}, core.WithTimeout(2*time.Second))
	_, _ = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	require.Len(t, left, 3)
	for _, l := range left {
		assert.True(t, l > time.Second && l <= 2*time.Second, "per-attempt deadline %v", l)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	left = nil
	_, _ = core.Do[makeReq, makeResp](ctx, c, idemOp, &makeReq{}, core.WithRequestID("x"))
	assert.True(t, len(left) >= 1 && left[0] <= 500*time.Millisecond, "caller deadline wins: %v", left)
}

// TestHTTP3_CallerClientRedirectsNotFollowed: even a caller client that
// would follow redirects does not.
func TestHTTP3_CallerClientRedirectsNotFollowed(t *testing.T) {
	other := newGateway(t, false, func(_ *gateway, _ int, w http.ResponseWriter, r *http.Request) { okTask(w, r) })
	g := newGateway(t, false, func(_ *gateway, _ int, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL()+r.URL.Path, http.StatusFound)
	})
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	for _, opt := range []core.Option{core.WithHTTPClient(hc), core.WithDoer(hc)} {
		c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()), opt)
		require.NoError(t, err)
		_, err = core.Do[makeReq, makeResp](context.Background(), c, createOp, &makeReq{})
		var he *core.HTTPError
		require.ErrorAs(t, err, &he)
		assert.Equal(t, 302, he.StatusCode)
		assert.Zero(t, other.count())
	}
	assert.True(t, hc.CheckRedirect != nil, "the caller's client is not modified")
}

// TestHTTP4_Proxy: requests go through the proxy with its credentials,
// which appear in no log.
func TestHTTP4_Proxy(t *testing.T) {
	g := newGateway(t, false, func(_ *gateway, _ int, w http.ResponseWriter, r *http.Request) { okTask(w, r) })
	p := newForwardProxy(t)
	var logs logBuffer
	c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()),
		core.WithProxy(strings.Replace(p.srv.URL, "http://", "http://puser:ppass-secret@", 1)+"/?token=qsecret"), core.WithLogger(logs.logger()))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	require.NoError(t, err)
	assert.Equal(t, int32(1), p.hits.Load())
	assert.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte("puser:ppass-secret")), p.auth.Load())
	assert.Contains(t, logs.String(), "proxy configured")
	assert.NotContains(t, logs.String(), "ppass-secret")
	assert.NotContains(t, logs.String(), "qsecret")
	assert.NotContains(t, logs.String(), "puser")

	for _, o := range [][]core.Option{
		{core.WithProxy("http://p:1"), core.WithHTTPClient(&http.Client{})},
		{core.WithHTTPClient(&http.Client{}), core.WithDoer(&http.Client{})},
		{core.WithProxy("::not a url")},
	} {
		_, err := core.NewClient(testAppKey, testToken, o...)
		assert.Error(t, err)
	}
}

// TestHTTP1_ReplacedDefaultTransport: a program that swapped
// http.DefaultTransport for a wrapper still gets a sound transport.
func TestHTTP1_ReplacedDefaultTransport(t *testing.T) {
	orig := http.DefaultTransport
	http.DefaultTransport = roundTripFunc(orig.RoundTrip)
	defer func() { http.DefaultTransport = orig }()
	tr := core.NewTransport()
	assert.True(t, tr.Proxy != nil)
	assert.Equal(t, 16, tr.MaxIdleConnsPerHost)
}

// TestHTTP2_AttemptTimeoutInBubble: the default 30 s per-attempt timeout,
// in synctest time: a stalled idempotent call makes 3 attempts of exactly
// 30 s with the backoff between them; a stalled create makes one and ends
// as outcome unknown.
func TestHTTP2_AttemptTimeoutInBubble(t *testing.T) {
	stall := doerFunc(func(r *http.Request) (*http.Response, error) {
		<-r.Context().Done()
		return nil, r.Context().Err()
	})
	synctest.Test(t, func(t *testing.T) {
		c, err := core.NewClient(testAppKey, testToken, core.WithDoer(stall), core.WithRand(func() float64 { return 0 }))
		require.NoError(t, err)
		start := time.Now()
		_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
		assert.Equal(t, 90*time.Second+750*time.Millisecond, time.Since(start))
		var te *core.TransportError
		require.ErrorAs(t, err, &te)
		assert.True(t, te.Timeout())
		assert.ErrorIs(t, err, context.DeadlineExceeded)

		start = time.Now()
		_, err = core.Do[makeReq, makeResp](context.Background(), c, createOp, &makeReq{})
		assert.Equal(t, 30*time.Second, time.Since(start))
		assert.ErrorIs(t, err, core.ErrOutcomeUnknown)

		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start = time.Now()
		_, err = core.Do[makeReq, makeResp](ctx, c, idemOp, &makeReq{})
		assert.Equal(t, 10*time.Second, time.Since(start), "never beyond the caller's deadline")
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})
}
