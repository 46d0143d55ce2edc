package runtime_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/ivhgen/ivhgen/runtime"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeCounter counts the Write calls on every connection it dials.
type writeCounter struct {
	writes atomic.Int32
}

func (w *writeCounter) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &countedConn{Conn: c, n: &w.writes}, nil
}

type countedConn struct {
	net.Conn
	n *atomic.Int32
}

func (c *countedConn) Write(p []byte) (int, error) {
	c.n.Add(1)
	return c.Conn.Write(p)
}

// TestHTTP1_OneWritePerRequest: net/http writes the request line, headers
// and body in one write only for bodies it knows are in memory; a body of
// any other type costs a second syscall per attempt.
func TestHTTP1_OneWritePerRequest(t *testing.T) {
	g := newGateway(t, false, func(_ *gateway, _ int, w http.ResponseWriter, r *http.Request) { okTask(w, r) })
	var wc writeCounter
	tr := &http.Transport{DialContext: wc.dial}
	defer tr.CloseIdleConnections()
	c, err := runtime.NewClient(testAppKey, testToken, runtime.WithBaseURL(g.URL()), runtime.WithHTTPClient(&http.Client{Transport: tr}))
	require.NoError(t, err)
	const calls = 5
	for range calls {
		resp, err := runtime.Do[makeReq, makeResp](context.Background(), c, createOp, &makeReq{Text: "hello"})
		require.NoError(t, err)
		assert.Equal(t, "t-1", resp.TaskId)
	}
	assert.Equal(t, int32(calls), wc.writes.Load(), "writes for %d calls", calls)
	for _, r := range g.requests() {
		var env struct{ Payload json.RawMessage }
		require.NoError(t, json.Unmarshal(r.Body, &env))
		assert.JSONEq(t, `{"Text":"hello"}`, string(env.Payload))
	}
}
