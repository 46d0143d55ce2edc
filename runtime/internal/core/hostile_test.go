package core_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/internal/hostile"
	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
)

const okEnvelope = `{"Header":{"Code":0,"Message":"","RequestID":""},"Payload":{"TaskId":"t-1"}}`

// okAction answers a hostile H2 request with a success envelope.
func okAction() hostile.Action { return hostile.Action{Body: okEnvelope} }

// hostileClient returns a client of url with a fake clock and sleeper.
// The caller's transport trusts the hostile certificate.
func hostileClient(t *testing.T, url string, opts ...core.Option) (*core.Client, *fakeClock) {
	t.Helper()
	clk := newFakeClock()
	base := []core.Option{core.WithBaseURL(url), core.WithClock(clk), core.WithSleeper(clk),
		core.WithRand(func() float64 { return 0.5 })}
	c, err := core.NewClient(testAppKey, testToken, append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c, clk
}

// foreignTLS is a caller-supplied HTTP client that trusts the hostile
// certificate and negotiates h2 through net/http's bundled HTTP/2.
func foreignTLS(t *testing.T) core.Option {
	tr := core.NewTransport()
	tr.TLSClientConfig.RootCAs = hostile.Roots()
	t.Cleanup(tr.CloseIdleConnections)
	return core.WithHTTPClient(&http.Client{Transport: tr})
}

func call(t *testing.T, c *core.Client, op *core.Operation) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := core.Do[makeReq, makeResp](ctx, c, op, &makeReq{Text: "hello"})
	return err
}

// TestRETRY7_H2ProtocolErrorNotReplayed: a server that reads the whole
// create and resets the stream with PROTOCOL_ERROR must see the body once;
// net/http's HTTP/2 rewinds GetBody and re-sends it on its own otherwise.
func TestRETRY7_H2ProtocolErrorNotReplayed(t *testing.T) {
	for _, always := range []bool{false, true} {
		s := hostile.NewH2(t, func(r hostile.Request) hostile.Action {
			if r.N == 1 || always {
				return hostile.Action{Kind: hostile.Reset, Code: http2.ErrCodeProtocol}
			}
			return okAction()
		})
		c, _ := hostileClient(t, s.URL(), foreignTLS(t))
		err := call(t, c, createOp)
		assert.Equal(t, 1, s.Complete(createOp.Path), "complete create bodies (always=%v)", always)
		assert.ErrorIs(t, err, core.ErrOutcomeUnknown, "always=%v", always)
	}
}

// TestRETRY3_ErrorTextDoesNotDecide: a response whose status line reads
// "TLS handshake timeout" must not make a create count as not sent.
func TestRETRY3_ErrorTextDoesNotDecide(t *testing.T) {
	s := hostile.NewRaw(t, func(_ *hostile.RawServer, _ hostile.Request, c net.Conn) bool {
		_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nTLS handshake timeout\r\n\r\n"))
		return false
	})
	c, _ := hostileClient(t, s.URL())
	err := call(t, c, createOp)
	assert.Equal(t, 1, s.Complete(createOp.Path), "complete create bodies")
	assert.ErrorIs(t, err, core.ErrOutcomeUnknown)
}

// TestHTTP2_SwitchingProtocolsBounded: a 101 answer that holds the socket
// is bounded by the per-attempt timeout, and a 1xx flood too.
func TestHTTP2_SwitchingProtocolsBounded(t *testing.T) {
	answers := map[string]hostile.RawHandler{
		"101": func(s *hostile.RawServer, _ hostile.Request, c net.Conn) bool {
			_, _ = c.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n"))
			s.Hold(c)
			return false
		},
		"1xx": func(s *hostile.RawServer, _ hostile.Request, c net.Conn) bool {
			s.Flood1xx(c, "HTTP/1.1 102 Processing", 5*time.Millisecond)
			return false
		},
	}
	for name, h := range answers {
		for _, op := range []*core.Operation{idemOp, createOp} {
			t.Run(name+"_"+op.Name, func(t *testing.T) {
				s := hostile.NewRaw(t, h)
				var logs logBuffer
				c, _ := hostileClient(t, s.URL(), core.WithTimeout(40*time.Millisecond), core.WithLogger(logs.logger()))
				done := make(chan error, 1)
				go func() { done <- call(t, c, op) }()
				var err error
				select {
				case err = <-done:
				case <-time.After(2 * time.Second):
					t.Fatal("the call outlived its per-attempt timeouts")
				}
				attempts := 1 + strings.Count(logs.String(), `"msg":"apaas retry"`)
				logMatrix(t, "F25/"+name, "h1", op, s.Complete(op.Path), attempts, err)
				want := 3
				if op == createOp {
					want = 1
					assert.ErrorIs(t, err, core.ErrOutcomeUnknown)
				}
				assert.Error(t, err)
				assert.Equal(t, want, s.Complete(op.Path), "complete bodies")
			})
		}
	}
}
