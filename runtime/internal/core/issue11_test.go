package core_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRETRY2_NeverRetriedWhateverTheTable: 110005-110007 are not retried
// on a query even when a generated code table files 110005 under
// rate-limit, as spec/errors.yaml does.
func TestRETRY2_NeverRetriedWhateverTheTable(t *testing.T) {
	for _, code := range []int{110005, 110006, 110007} {
		c, reqs := scripted(t, codeResp(code), core.WithCodes([]core.CodeInfo{
			{Code: core.Code(code), Category: core.CategoryRateLimit}}))
		_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
		var ae *core.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 1, len(*reqs), "code %d attempts", code)
		assert.False(t, ae.IsRetryable(), "code %d", code)
	}
}

// TestClient_ZeroValue: methods of a Client not made by NewClient return
// zero values or an error; none panics.
func TestClient_ZeroValue(t *testing.T) {
	for _, c := range []*core.Client{{}, nil} {
		assert.NotPanics(t, func() {
			assert.Empty(t, c.BaseURL())
			assert.Empty(t, c.AppKey())
			assert.Zero(t, c.ClockOffset())
			assert.False(t, c.Now().IsZero())
			assert.Nil(t, c.SignedQuery(nil))
			assert.Contains(t, fmt.Sprintf("%v %+v %#v %s", c, c, c, c), "REDACTED")
			_, err := json.Marshal(c)
			assert.NoError(t, err)
			c.CloseIdleConnections()
			assert.NoError(t, c.Close())
			_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
			assert.Error(t, err)
			ep, _ := core.EndpointOf(c, nil)
			assert.Empty(t, ep.BaseURL)
		})
	}
}

// TestClient_Close: calls after Close fail with ErrClientClosed and reach
// no server; the idle connections of the transport the client owns are
// closed.
func TestClient_Close(t *testing.T) {
	g := newGateway(t, true, func(_ *gateway, _ int, w http.ResponseWriter, r *http.Request) { okTask(w, r) })
	c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()),
		core.WithTLSConfig(g.srv.Client().Transport.(*http.Transport).TLSClientConfig))
	require.NoError(t, err)
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	require.NoError(t, err)
	require.NoError(t, c.Close())
	select {
	case <-g.closed:
	case <-time.After(2 * time.Second):
		t.Fatal("Close left the owned transport's idle connection open")
	}
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	assert.ErrorIs(t, err, core.ErrClientClosed)
	assert.Equal(t, 1, g.count())
	assert.NoError(t, c.Close(), "idempotent")
}

// TestHTTP1_SharedDefaultTransport: clients without transport options
// share one pool, so many dropped clients hold the connections of one.
func TestHTTP1_SharedDefaultTransport(t *testing.T) {
	g := newGateway(t, false, func(_ *gateway, _ int, w http.ResponseWriter, r *http.Request) { okTask(w, r) })
	for range 50 {
		c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()))
		require.NoError(t, err)
		_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
		require.NoError(t, err)
		if g.newConns.Load() == 1 {
			defer c.CloseIdleConnections()
		}
	}
	// Other tests may close the shared pool's idle connections meanwhile
	// (CloseIdleConnections reaches every client of it), costing a redial;
	// 50 clients each holding their own would open 50.
	assert.LessOrEqual(t, g.newConns.Load(), int32(3), "TCP connections for 50 clients")
}

// TestSKEW1_AbsurdOffsetRejected: a Date decades off is not skew.
func TestSKEW1_AbsurdOffsetRejected(t *testing.T) {
	clk := newFakeClock()
	for _, off := range []int64{36 * 365 * 86400, -25 * 3600} {
		ss := &skewServer{clk: clk, script: []skewResponse{{DateOffsetS: &off}}}
		g := newGateway(t, false, ss.handle)
		c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()), core.WithClock(clk))
		require.NoError(t, err)
		_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
		require.NoError(t, err)
		assert.Zero(t, c.ClockOffset(), "offset %ds", off)
		c.CloseIdleConnections()
	}
}

// TestSKEW1_LyingDateRevalidated: a server whose clock is right but whose
// Date header lies by +10 min. The adopted offset is refuted by the next
// signed call; after one skew retry every later call succeeds at once.
func TestSKEW1_LyingDateRevalidated(t *testing.T) {
	clk := newFakeClock()
	g := newGateway(t, false, func(_ *gateway, _ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", clk.Now().Add(10*time.Minute).UTC().Format(http.TimeFormat))
		ts := r.URL.Query().Get("timestamp")
		if ts != fmt.Sprint(clk.Now().Unix()) {
			envelope(w, 200, 100005, "", "null") // the real clock says no
			return
		}
		okTask(w, r)
	})
	c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()), core.WithClock(clk), core.WithSleeper(clk))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	for _, op := range []*core.Operation{idemOp, createOp} {
		ok := 0
		for range 10 {
			if _, err := core.Do[makeReq, makeResp](context.Background(), c, op, &makeReq{}); err == nil {
				ok++
			}
		}
		assert.Equal(t, 10, ok, "%s calls that succeeded", op.Name)
	}
	assert.LessOrEqual(t, g.count(), 21, "one refuted offset costs one retry")
	assert.Zero(t, c.ClockOffset())
}

// TestHTTP2_RedialsBounded: a transport that keeps dialling within one
// attempt (as net/http's HTTP/2 did, redialling for every replay of a
// reset create) is stopped after a few dials; the attempt fails instead.
func TestHTTP2_RedialsBounded(t *testing.T) {
	var dials int
	d := doerFunc(func(r *http.Request) (*http.Response, error) {
		tr := httptrace.ContextClientTrace(r.Context())
		for range 1000 {
			if err := r.Context().Err(); err != nil {
				return nil, &url.Error{Op: "Post", URL: r.URL.String(), Err: err}
			}
			dials++
			tr.GetConn(r.URL.Host)
		}
		return jsonResponse(200, okEnvelope), nil
	})
	clk := newFakeClock()
	c, err := core.NewClient(testAppKey, testToken, core.WithDoer(d), core.WithClock(clk), core.WithSleeper(clk))
	require.NoError(t, err)
	_, err = core.Do[makeReq, makeResp](context.Background(), c, createOp, &makeReq{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "dialled too many times")
	assert.LessOrEqual(t, dials, 3*5, "connections over all attempts")
}
