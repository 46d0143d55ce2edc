package core_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLOG1_SecretNeverPrints: every fmt verb, %#v, JSON and slog.
func TestLOG1_SecretNeverPrints(t *testing.T) {
	const tok = "tok-SECRET-1234"
	s := core.NewSecret(tok)
	assert.Equal(t, tok, s.Reveal())
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s", "%T"} {
		out := fmt.Sprintf(verb, s)
		assert.NotContains(t, out, tok, verb)
		assert.NotContains(t, out, fmt.Sprintf("%x", tok), verb)
	}
	b, err := json.Marshal(struct{ T core.Secret }{s})
	require.NoError(t, err)
	assert.Equal(t, `{"T":"[REDACTED]"}`, string(b))
	txt, _ := s.MarshalText()
	assert.Equal(t, "[REDACTED]", string(txt))
	var logs logBuffer
	logs.logger().Info("x", "token", s)
	assert.NotContains(t, logs.String(), tok)
	assert.Contains(t, logs.String(), "[REDACTED]")

	c, err := core.NewClient("ak", tok, core.WithBaseURL("http://127.0.0.1:1"))
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, c)
		assert.NotContains(t, out, tok, verb)
		assert.Contains(t, out, "AccessToken:[REDACTED]")
	}
	b, err = json.Marshal(c)
	require.NoError(t, err)
	assert.Equal(t, `{"AppKey":"ak","BaseURL":"http://127.0.0.1:1","AccessToken":"[REDACTED]"}`, string(b))
	assert.Equal(t, "ak", c.AppKey())
	assert.Equal(t, "http://127.0.0.1:1", c.BaseURL())
}

// TestLOG2_Records: metadata recorded, nothing secret.
func TestLOG2_Records(t *testing.T) {
	g := newGateway(t, false, func(_ *gateway, n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			html(w, 503)
			return
		}
		envelope(w, 200, 100002, "", "null")
	})
	var logs logBuffer
	clk := newFakeClock()
	c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()), core.WithLogger(logs.logger()),
		core.WithClock(clk), core.WithSleeper(clk), core.WithHeader("Authorization", "Bearer hdr-secret"))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{VideoStorageS3Url: "https://s3/x?sig=body-secret"})
	require.Error(t, err)
	var recs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m))
		recs = append(recs, m)
	}
	require.Len(t, recs, 3)
	first := recs[0]
	assert.Equal(t, "apaas attempt", first["msg"])
	for _, k := range []string{"op", "method", "host", "path", "attempt", "request_id", "status", "duration"} {
		_, ok := first[k]
		assert.True(t, ok, "attempt record has %s", k)
	}
	assert.Equal(t, idemOp.Path, first["path"])
	assert.Equal(t, "apaas retry", recs[1]["msg"])
	assert.Equal(t, "ambiguous", recs[1]["reason"])
	assert.Equal(t, float64(100002), recs[2]["code"])
	out := logs.String()
	for _, s := range []string{testToken, "signature", "appkey=", "hdr-secret", "body-secret", "?"} {
		assert.NotContains(t, out, s)
	}
	sig := g.requests()[0].Query.Get("signature")
	assert.NotContains(t, out, sig)
}

// TestLOG2_OffByDefault: no logger, no output, and a disabled level costs
// nothing visible.
func TestLOG2_OffByDefault(t *testing.T) {
	var logs logBuffer
	quiet := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelError}))
	c, _ := scripted(t, codeResp(0), core.WithLogger(quiet))
	_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	require.NoError(t, err)
	assert.Equal(t, "", logs.String())
}

// TestLOG2_TransportRecordPath: a transport failure's record names the
// same wire path as an attempt's, base URL path included.
func TestLOG2_TransportRecordPath(t *testing.T) {
	var logs logBuffer
	c, _ := scripted(t, func(n int, r *http.Request) (*http.Response, error) {
		if n == 1 {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
		}
		return codeResp(0)(n, r)
	}, core.WithBaseURL("https://gw.invalid/prefix"), core.WithLogger(logs.logger()))
	_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	require.NoError(t, err)
	paths := map[string]any{}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m))
		if p, ok := m["path"]; ok {
			paths[m["msg"].(string)] = p
		}
	}
	assert.Equal(t, map[string]any{"apaas transport error": "/prefix" + idemOp.Path, "apaas attempt": "/prefix" + idemOp.Path}, paths)
}
