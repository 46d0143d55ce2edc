package core_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/internal/core"

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
	c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()), core.WithHTTPClient(&http.Client{Transport: tr}))
	require.NoError(t, err)
	const calls = 5
	for range calls {
		resp, err := core.Do[makeReq, makeResp](context.Background(), c, createOp, &makeReq{Text: "hello"})
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

// TestERR1_OnePassDecode: the success path decodes Header and Payload in
// one pass whatever their order; anything that is not a clean Code 0 on a
// 2xx still gets the error the envelope calls for.
func TestERR1_OnePassDecode(t *testing.T) {
	ok := map[string]string{
		"payload first":      `{"Payload":{"TaskId":"t-3"},"Header":{"Code":0,"RequestID":"r"}}`,
		"string code":        `{"Payload":{"TaskId":"t-3"},"Header":{"Code":" 0 "}}`,
		"lower-case keys":    `{"header":{"code":0},"payload":{"taskid":"t-3"}}`,
		"unknown fields":     `{"Header":{"Code":0,"X":[1]},"Payload":{"TaskId":"t-3","More":{"a":1}},"Extra":true}`,
		"null, then payload": `{"Header":{"Code":0},"Payload":null,"Payload":{"TaskId":"t-3"}}`,
	}
	for name, body := range ok {
		c, _ := scripted(t, bodyResp(200, body))
		resp, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
		require.NoError(t, err, name)
		assert.Equal(t, "t-3", resp.TaskId, name)
	}
	// The last of repeated Payloads wins, as it did with a raw Payload.
	for _, body := range []string{`{"Header":{"Code":0},"Payload":{"TaskId":"t-3"},"Payload":null}`, `{"Header":{"Code":0},"Payload":{"TaskId":3},"Payload":null}`} {
		c, _ := scripted(t, bodyResp(200, body))
		resp, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
		require.NoError(t, err, body)
		assert.Equal(t, makeResp{}, *resp, body)
	}
	failing := map[string]struct {
		status int
		body   string
		want   any
	}{
		"error code, payload first, wrong shape": {200, `{"Payload":{"TaskId":5},"Header":{"Code":100002}}`, new(*core.APIError)},
		"code 0 on a 400":                        {400, `{"Header":{"Code":0},"Payload":{"TaskId":"t"}}`, new(*core.HTTPError)},
		"code 0, payload of the wrong shape":     {200, `{"Payload":[1],"Header":{"Code":0}}`, new(*core.ProtocolError)},
		"no code":                                {200, `{"Payload":{"TaskId":"t"},"Header":{}}`, new(*core.ProtocolError)},
		"payload, then one of the wrong shape":   {200, `{"Header":{"Code":0},"Payload":{"TaskId":"t"},"Payload":[]}`, new(*core.ProtocolError)},
		"truncated":                              {200, `{"Header":{"Code":0},"Payload":{"TaskId":"t"}`, new(*core.ProtocolError)},
	}
	for name, f := range failing {
		c, reqs := scripted(t, bodyResp(f.status, f.body))
		resp, err := core.Do[makeReq, makeResp](context.Background(), c, createOp, &makeReq{})
		assert.Nil(t, resp, name)
		assert.ErrorAs(t, err, f.want, name)
		assert.Len(t, *reqs, 1, name)
	}
}
