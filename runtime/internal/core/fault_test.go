package core_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	idemOp   = &core.Operation{Name: "GetProgress", Service: "Video", Path: "/v2/ivh/videomaker/broadcastservice/getprogress", Idempotent: true}
	createOp = &core.Operation{Name: "VideoMake", Service: "Video", Path: "/v2/ivh/videomaker/broadcastservice/videomake"}
)

// fixture is one scenario run: the gateway, the client's clock and the
// options the scenario adds.
type fixture struct {
	t            *testing.T
	gw           *gateway
	clk          *fakeClock
	opts         []core.Option
	attempts     func() int // defaults to the gateway's request count
	ctx          context.Context
	canary       *canary
	client       *core.Client
	ownTransport bool // the scenario brings its own transport
	h2           bool // HTTP/2 over TLS (ALPN h2) instead of HTTP/1.1
}

// expect is what one operation kind must see in a scenario.
type expect struct {
	attempts int
	check    func(t *testing.T, f *fixture, resp *makeResp, err error)
}

type scenario struct {
	id      string
	name    string
	tls     bool
	h1only  bool // needs a hijacked HTTP/1.1 connection; TestFAULT_H2Hostile plays it over HTTP/2
	handler handlerFunc
	setup   func(f *fixture)
	after   func(t *testing.T, f *fixture, op *core.Operation) // follow-up calls
	idem    *expect
	create  *expect
}

func wantOK(t *testing.T, _ *fixture, resp *makeResp, err error) {
	t.Helper()
	require.NoError(t, err)
	assert.Equal(t, "t-1", resp.TaskId)
}

func wantAPI(code core.Code) func(*testing.T, *fixture, *makeResp, error) {
	return func(t *testing.T, f *fixture, _ *makeResp, err error) {
		t.Helper()
		var ae *core.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, code, ae.Code)
		assert.ErrorIs(t, err, code)
		assert.Equal(t, f.gw.requests()[0].requestID(), ae.RequestID, "falls back to the RequestID we sent")
	}
}

func wantHTTP(status int) func(*testing.T, *fixture, *makeResp, error) {
	return func(t *testing.T, _ *fixture, _ *makeResp, err error) {
		t.Helper()
		var he *core.HTTPError
		require.ErrorAs(t, err, &he)
		assert.Equal(t, status, he.StatusCode)
		assert.NotEmpty(t, he.RequestID)
	}
}

func wantUnknown(t *testing.T, f *fixture, _ *makeResp, err error) {
	t.Helper()
	require.ErrorIs(t, err, core.ErrOutcomeUnknown)
	var ou *core.OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, 1, ou.Attempts)
	if reqs := f.gw.requests(); len(reqs) > 0 {
		assert.Equal(t, reqs[0].requestID(), ou.RequestID)
	}
	assert.Contains(t, err.Error(), ou.RequestID)
}

func wantProtocol(t *testing.T, _ *fixture, _ *makeResp, err error) {
	t.Helper()
	var pe *core.ProtocolError
	require.ErrorAs(t, err, &pe)
}

func wantTransport(t *testing.T, _ *fixture, _ *makeResp, err error) {
	t.Helper()
	var te *core.TransportError
	require.ErrorAs(t, err, &te)
}

func scenarios() []scenario {
	ok := &expect{1, wantOK}
	return []scenario{
		{id: "F1", name: "ok", handler: func(_ *gateway, _ int, w http.ResponseWriter, r *http.Request) { okTask(w, r) },
			idem: ok, create: ok},
		{id: "F2", name: "bad value code", handler: func(_ *gateway, _ int, w http.ResponseWriter, _ *http.Request) {
			envelope(w, 200, 100002, "", "null")
		}, idem: &expect{1, wantAPI(100002)}, create: &expect{1, wantAPI(100002)}},
		{id: "F3", name: "internal code then ok", handler: firstThen(func(w http.ResponseWriter) {
			envelope(w, 200, -101000, "", "{}")
		}), idem: &expect{2, wantOK}, create: &expect{1, wantAPI(-101000)}},
		{id: "F4", name: "503 html", handler: func(_ *gateway, _ int, w http.ResponseWriter, _ *http.Request) { html(w, 503) },
			idem: &expect{3, func(t *testing.T, f *fixture, r *makeResp, err error) {
				wantHTTP(503)(t, f, r, err)
				var re *core.RetryError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, 3, re.Attempts)
				assert.Contains(t, err.Error(), "Service Unavailable", "snippet kept")
			}},
			create: &expect{1, wantUnknown}},
		{id: "F5", name: "429 retry-after 1 then ok", handler: firstThen(func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "1")
			html(w, 429)
		}), idem: &expect{2, func(t *testing.T, f *fixture, r *makeResp, err error) {
			wantOK(t, f, r, err)
			assert.Equal(t, []time.Duration{time.Second}, f.clk.Sleeps())
		}}, create: &expect{2, wantOK}},
		retryAfterTooLong(),
		refusedTwice(),
		{id: "F8", name: "tls unknown authority", tls: true, handler: func(_ *gateway, _ int, w http.ResponseWriter, r *http.Request) { okTask(w, r) },
			setup: func(f *fixture) { f.attempts = func() int { return int(f.gw.newConns.Load()) } },
			idem:  &expect{1, wantTransport}, create: &expect{1, wantTransport}},
		{id: "F9", name: "close after reading body", h1only: true, handler: func(_ *gateway, _ int, w http.ResponseWriter, _ *http.Request) {
			hijack(w).Close()
		}, idem: &expect{3, wantTransport}, create: &expect{1, wantUnknown}},
		{id: "F10", name: "reset after reading body", h1only: true, handler: func(_ *gateway, _ int, w http.ResponseWriter, _ *http.Request) {
			c := hijack(w)
			c.(*net.TCPConn).SetLinger(0)
			c.Close()
		}, idem: &expect{3, wantTransport}, create: &expect{1, wantUnknown}},
		{id: "F11", name: "truncated body", h1only: true, handler: func(_ *gateway, _ int, w http.ResponseWriter, _ *http.Request) {
			c := hijack(w)
			c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"Header\":{\"Co"))
			c.Close()
		}, idem: &expect{3, wantTransport}, create: &expect{1, wantUnknown}},
		stall(),
		deadlineBeforeDelay(),
		skewRejected(),
		{id: "F16", name: "cached skewed date ignored", handler: func(_ *gateway, _ int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Date", time.Now().Add(-6*time.Minute).UTC().Format(http.TimeFormat))
			w.Header().Set("Age", "17280")
			okTask(w, r)
		}, after: func(t *testing.T, f *fixture, _ *core.Operation) {
			assert.Zero(t, f.client.ClockOffset())
		}, idem: ok, create: ok},
		tooLarge(),
		{id: "F18", name: "invalid json or no header", handler: func(_ *gateway, n int, w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(200)
			w.Write([]byte(`{"Payload":{"TaskId":"t-1"}}`))
		}, idem: &expect{1, wantProtocol}, create: &expect{1, wantProtocol}},
		{id: "F18b", name: "invalid json", handler: func(_ *gateway, n int, w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(200)
			w.Write([]byte(`{"Header":`))
		}, idem: &expect{1, wantProtocol}, create: &expect{1, wantProtocol}},
		redirect(),
	}
}

// firstThen answers the first request with first and later ones with ok.
func firstThen(first func(http.ResponseWriter)) handlerFunc {
	return func(_ *gateway, n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			first(w)
			return
		}
		okTask(w, r)
	}
}

func retryAfterTooLong() scenario {
	check := func(t *testing.T, _ *fixture, _ *makeResp, err error) {
		var he *core.HTTPError
		require.ErrorAs(t, err, &he)
		assert.True(t, he.IsRateLimited())
		assert.Equal(t, time.Hour, he.RetryAfter())
		var re *core.RetryError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, time.Hour, re.RetryAfter())
		assert.ErrorIs(t, err, core.ErrRetryAfterTooLong)
	}
	return scenario{id: "F6", name: "429 retry-after 3600", handler: func(_ *gateway, _ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "3600")
		html(w, 429)
	}, idem: &expect{1, check}, create: &expect{1, check}}
}

func refusedTwice() scenario {
	return scenario{id: "F7", name: "connection refused twice", handler: func(_ *gateway, _ int, w http.ResponseWriter, r *http.Request) { okTask(w, r) },
		setup: func(f *fixture) {
			dead := closedAddr(f.t)
			var dials atomic.Int32
			tr := core.NewTransport()
			tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
				if dials.Add(1) <= 2 {
					addr = dead
				}
				return (&net.Dialer{}).DialContext(ctx, network, addr)
			}
			if f.canary != nil {
				tr.Proxy = http.ProxyURL(f.canary.proxyURL())
			}
			if f.h2 {
				tr.TLSClientConfig.RootCAs = f.gw.trust().RootCAs
			}
			f.t.Cleanup(tr.CloseIdleConnections)
			f.opts = append(f.opts, core.WithHTTPClient(&http.Client{Transport: tr}))
			f.attempts = func() int { return int(dials.Load()) }
			f.ownTransport = true
		},
		idem: &expect{3, wantOK}, create: &expect{3, wantOK}}
}

func stall() scenario {
	return scenario{id: "F12", name: "stall past attempt timeout", handler: func(_ *gateway, _ int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}, setup: func(f *fixture) {
		d := 100 * time.Millisecond
		if f.h2 {
			d = 500 * time.Millisecond // a TLS handshake under -race and load can take 100 ms
		}
		f.opts = append(f.opts, core.WithTimeout(d))
	},
		idem: &expect{3, func(t *testing.T, f *fixture, r *makeResp, err error) {
			wantTransport(t, f, r, err)
			var ne net.Error
			require.ErrorAs(t, err, &ne)
			assert.True(t, ne.Timeout())
			assert.ErrorIs(t, err, context.DeadlineExceeded)
		}}, create: &expect{1, wantUnknown}}
}

func deadlineBeforeDelay() scenario {
	check := func(t *testing.T, f *fixture, _ *makeResp, err error) {
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorIs(t, err, core.ErrDeadlineTooClose)
		assert.Empty(t, f.clk.Sleeps(), "no sleep when the deadline is closer than the delay")
	}
	return scenario{id: "F14", name: "deadline before next delay", handler: func(_ *gateway, _ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "5")
		html(w, 429)
	}, setup: func(f *fixture) {
		ctx, cancel := context.WithTimeout(f.ctx, 3*time.Second)
		f.t.Cleanup(cancel)
		f.ctx = ctx
	}, idem: &expect{1, check}, create: &expect{1, check}}
}

func skewRejected() scenario {
	return scenario{id: "F15", name: "skewed date and rejected signature", handler: func(g *gateway, n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", g.clk.Now().Add(6*time.Minute).UTC().Format(http.TimeFormat))
		if n == 1 {
			envelope(w, 200, 100005, "", "null")
			return
		}
		okTask(w, r)
	}, after: func(t *testing.T, f *fixture, op *core.Operation) {
		_, err := core.Do[makeReq, makeResp](f.ctx, f.client, op, &makeReq{Text: "again"})
		require.NoError(t, err)
		reqs := f.gw.requests()
		require.Len(t, reqs, 3, "the later call needs one attempt")
		now := f.clk.Now().Unix()
		assert.Equal(t, strconv.FormatInt(now, 10), reqs[0].Query.Get("timestamp"))
		assert.Equal(t, strconv.FormatInt(now+360, 10), reqs[1].Query.Get("timestamp"))
		assert.Equal(t, strconv.FormatInt(now+360, 10), reqs[2].Query.Get("timestamp"))
		assert.Equal(t, 6*time.Minute, f.client.ClockOffset())
	}, idem: &expect{2, wantOK}, create: &expect{2, wantOK}}
}

func tooLarge() scenario {
	check := func(t *testing.T, f *fixture, r *makeResp, err error) {
		wantProtocol(t, f, r, err)
		assert.ErrorIs(t, err, core.ErrResponseTooLarge)
		if f.h2 {
			return // HTTP/2 resets the stream; the connection stays
		}
		select {
		case <-f.gw.closed:
		case <-time.After(2 * time.Second):
			t.Error("connection not closed after an oversized body")
		}
	}
	return scenario{id: "F17", name: "body over cap", handler: func(_ *gateway, _ int, w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(200)
		w.Write([]byte(`{"Header":{"Code":0},"Payload":"` + strings.Repeat("x", 256<<10) + `"}`))
	}, setup: func(f *fixture) { f.opts = append(f.opts, core.WithMaxResponseBytes(1024)) },
		idem: &expect{1, check}, create: &expect{1, check}}
}

func redirect() scenario {
	var other *gateway
	check := func(t *testing.T, f *fixture, r *makeResp, err error) {
		wantHTTP(307)(t, f, r, err)
		assert.Zero(t, other.count(), "redirect not followed")
	}
	return scenario{id: "F19", name: "307 to another host", handler: func(_ *gateway, _ int, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL()+r.URL.Path, http.StatusTemporaryRedirect)
	}, setup: func(f *fixture) {
		other = newGateway(f.t, false, func(_ *gateway, _ int, w http.ResponseWriter, r *http.Request) { okTask(w, r) })
	}, idem: &expect{1, check}, create: &expect{1, check}}
}

// run executes scenario sc for op over HTTP/1.1 and returns the fixture
// after checks.
func (sc scenario) run(t *testing.T, op *core.Operation, e *expect, cn *canary) *fixture {
	return sc.runProto(t, op, e, cn, false)
}

// runProto is run over HTTP/2 (TLS, ALPN h2) when h2 is set.
func (sc scenario) runProto(t *testing.T, op *core.Operation, e *expect, cn *canary, h2 bool) *fixture {
	f := &fixture{t: t, clk: newFakeClock(), ctx: context.Background(), canary: cn, h2: h2}
	f.gw = newGatewayProto(t, sc.tls || h2, h2, sc.handler)
	f.gw.clk = f.clk
	f.attempts = f.gw.count
	if sc.setup != nil {
		sc.setup(f)
	}
	token := testToken
	opts := []core.Option{core.WithBaseURL(f.gw.URL()), core.WithClock(f.clk), core.WithSleeper(f.clk),
		core.WithRand(func() float64 { return 0.5 })}
	req := &makeReq{Text: "hello"}
	if cn != nil {
		token = cn.token
		opts = append(opts, cn.options(f.ownTransport)...)
		req.VideoStorageS3Url = cn.s3URL
		f.gw.token = token
	}
	if h2 && !f.ownTransport && sc.id != "F8" {
		opts = append(opts, core.WithTLSConfig(f.gw.trust()))
	}
	c, err := core.NewClient(testAppKey, token, append(opts, f.opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	f.client = c
	resp, err := core.Do[makeReq, makeResp](f.ctx, c, op, req)
	if cn == nil {
		proto := "h1"
		if h2 {
			proto = "h2"
			assertProto(t, f.gw, "HTTP/2.0")
		}
		logMatrix(t, sc.id, proto, op, f.gw.complete(op.Path), f.attempts(), err)
	}
	checkOneCall(t, f.gw.requests())
	if cn != nil {
		cn.collect(t, err, f.gw.requests())
	} else {
		assert.Equal(t, e.attempts, f.attempts(), "attempts")
		e.check(t, f, resp, err)
	}
	if sc.after != nil && cn == nil {
		sc.after(t, f, op)
	}
	checkWire(t, f.gw)
	return f
}

// checkWire asserts the invariants every captured request must hold:
// valid signature (SIGN-2), no idempotency-key headers (RETRY-3).
func checkWire(t *testing.T, g *gateway) {
	t.Helper()
	for i, r := range g.requests() {
		assert.Equal(t, refSign(g.token, r.Query), r.Query.Get("signature"), "request %d signature", i)
		assert.Empty(t, r.Header.Values("Idempotency-Key"))
		assert.Empty(t, r.Header.Values("X-Idempotency-Key"))
		assert.Equal(t, "application/json;charset=utf-8", r.Header.Get("Content-Type"))
	}
}

// checkOneCall asserts that the attempts of one call carry one RequestID
// and identical body bytes (RETRY-7).
func checkOneCall(t *testing.T, reqs []captured) {
	t.Helper()
	for _, r := range reqs[min(1, len(reqs)):] {
		assert.Equal(t, reqs[0].requestID(), r.requestID())
		assert.Equal(t, reqs[0].Body, r.Body)
	}
}

// TestFAULT runs the fault matrix (RETRY-2, RETRY-3, ERR-*, HTTP-*) for an
// idempotent operation and for a create, over HTTP/1.1 and HTTP/2.
func TestFAULT(t *testing.T) {
	for _, h2 := range []bool{false, true} {
		proto := "h1_"
		if h2 {
			proto = "h2_"
		}
		for _, sc := range scenarios() {
			if h2 && sc.h1only {
				continue
			}
			if sc.idem != nil {
				t.Run(proto+sc.id+"_idempotent", func(t *testing.T) { sc.runProto(t, idemOp, sc.idem, nil, h2) })
			}
			if sc.create != nil {
				t.Run(proto+sc.id+"_create", func(t *testing.T) {
					f := sc.runProto(t, createOp, sc.create, nil, h2)
					if sc.after == nil {
						assert.LessOrEqual(t, f.gw.complete(createOp.Path), max(sc.create.attempts, 1), "complete create bodies on the server")
					}
				})
			}
		}
		t.Run(proto+"F20_idempotent", func(t *testing.T) { connectionReuse(t, nil, h2) })
	}
	t.Run("F13_idempotent", func(t *testing.T) { cancelDuringBackoff(t, nil) })
}

// assertProto checks that every request reached g over proto.
func assertProto(t *testing.T, g *gateway, proto string) {
	t.Helper()
	for _, r := range g.requests() {
		assert.Equal(t, proto, r.Proto)
	}
}

// cancelDuringBackoff: cancelling during a 5 s backoff returns at once
// with both the context error and the last API error reachable (RETRY-6).
// It runs in a synctest bubble with the real SystemClock sleeper, so "at
// once" is exact rather than a wall-clock race.
func cancelDuringBackoff(t *testing.T, cn *canary) {
	synctest.Test(t, func(t *testing.T) {
		var reqs []captured
		d := doerFunc(func(r *http.Request) (*http.Response, error) {
			b, _ := io.ReadAll(r.Body)
			reqs = append(reqs, captured{Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header, Body: b})
			return jsonResponse(200, `{"Header":{"Code":100000}}`), nil
		})
		token, req := testToken, &makeReq{}
		opts := []core.Option{core.WithDoer(d), core.WithRand(func() float64 { return 0 }),
			core.WithRetryPolicy(core.RetryPolicy{BaseDelay: 10 * time.Second, MaxDelay: 10 * time.Second})}
		if cn != nil {
			token, req.VideoStorageS3Url = cn.token, cn.s3URL
			opts = append(opts, cn.options(true)...)
		}
		c, err := core.NewClient(testAppKey, token, opts...)
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		start := time.Now()
		time.AfterFunc(time.Second, cancel)
		_, err = core.Do[makeReq, makeResp](ctx, c, idemOp, req)
		assert.Equal(t, time.Second, time.Since(start), "returned the moment the context was cancelled")
		assert.ErrorIs(t, err, context.Canceled)
		var ae *core.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, core.Code(100000), ae.Code)
		assert.Equal(t, 1, len(reqs))
		if cn != nil {
			cn.collect(t, err, reqs)
		}
	})
}

type sleeperFunc func(context.Context, time.Duration) error

func (f sleeperFunc) Sleep(ctx context.Context, d time.Duration) error { return f(ctx, d) }

// connectionReuse: 100 calls, every other response a 503 HTML page,
// reuse connections (drained bodies): at most 2 new TCP connections.
func connectionReuse(t *testing.T, cn *canary, h2 bool) {
	g := newGatewayProto(t, h2, h2, func(_ *gateway, n int, w http.ResponseWriter, r *http.Request) {
		if n%2 == 0 {
			html(w, 503)
			return
		}
		okTask(w, r)
	})
	clk := newFakeClock()
	token, req := testToken, &makeReq{}
	opts := []core.Option{core.WithBaseURL(g.URL()), core.WithClock(clk), core.WithSleeper(clk)}
	if h2 {
		opts = append(opts, core.WithTLSConfig(g.trust()))
	}
	if cn != nil {
		token, req.VideoStorageS3Url, g.token = cn.token, cn.s3URL, cn.token
		opts = append(opts, cn.options(false)...)
	}
	c, err := core.NewClient(testAppKey, token, opts...)
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	for range 100 {
		_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, req)
		require.NoError(t, err)
	}
	if cn != nil {
		cn.collect(t, nil, g.requests())
		return
	}
	assert.LessOrEqual(t, g.newConns.Load(), int32(2))
	if h2 {
		assertProto(t, g, "HTTP/2.0")
	}
	checkWire(t, g)
}

// TestRETRY6_PreCancelled: a cancelled context never reaches the transport.
func TestRETRY6_PreCancelled(t *testing.T) {
	var calls atomic.Int32
	c, err := core.NewClient(testAppKey, testToken, core.WithDoer(doerFunc(func(*http.Request) (*http.Response, error) {
		calls.Add(1)
		return nil, errors.New("reached")
	})))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 1000 {
		_, err := core.Do[makeReq, makeResp](ctx, c, idemOp, &makeReq{})
		require.ErrorIs(t, err, context.Canceled)
	}
	assert.Zero(t, calls.Load())
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }
