package core_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func bodyResp(status int, body string) func(int, *http.Request) (*http.Response, error) {
	return func(int, *http.Request) (*http.Response, error) { return jsonResponse(status, body), nil }
}

// TestERR1_Envelope: string codes, unknown header fields kept raw, Payload
// decoded only on Code 0, null Payload gives a zero response.
func TestERR1_Envelope(t *testing.T) {
	c, _ := scripted(t, bodyResp(200, `{"Header":{"Code":"0","Message":"ok","RequestID":"srv-1","SessionID":"s-9","DialogID":7},"Payload":{"TaskId":"t-2"}}`))
	var h core.ResponseHeader
	resp, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{}, core.WithResponseHeader(&h))
	require.NoError(t, err)
	assert.Equal(t, "t-2", resp.TaskId)
	assert.Equal(t, "srv-1", h.RequestID)
	assert.Equal(t, "ok", h.Message)
	assert.Equal(t, map[string]json.RawMessage{"SessionID": json.RawMessage(`"s-9"`), "DialogID": json.RawMessage(`7`)}, h.Extra)

	c, _ = scripted(t, bodyResp(200, `{"Header":{"Code":0},"Payload":null}`))
	resp, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	require.NoError(t, err)
	assert.Equal(t, makeResp{}, *resp)

	c, _ = scripted(t, bodyResp(200, `{"Header":{"Code":"100002","SessionID":"s"},"Payload":{"TaskId":123}}`))
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	var ae *core.APIError
	require.ErrorAs(t, err, &ae, "payload not decoded on a non-zero code")
	assert.Equal(t, json.RawMessage(`"s"`), ae.Extra["SessionID"])

	c, _ = scripted(t, bodyResp(200, `{"Header":{"Code":0},"Payload":{"TaskId":123}}`))
	resp, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	require.NoError(t, err, "a number where a string is expected decodes (F26)")
	assert.Equal(t, "123", resp.TaskId)

	c, _ = scripted(t, bodyResp(200, `{"Header":{"Code":0},"Payload":{"TaskId":{"id":1}}}`))
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	var pe *core.ProtocolError
	require.ErrorAs(t, err, &pe, "type drift is reported")
	assert.Contains(t, err.Error(), "Payload does not match")
	assert.NotEmpty(t, pe.RequestID)
}

// TestERR2_APIError: message format, category helpers from one table,
// RequestID fallback and mismatch logging, WithCodes merging.
func TestERR2_APIError(t *testing.T) {
	e := &core.APIError{Op: "VideoMake", Code: 100008, Message: "quota", RequestID: "r-1", HTTPStatus: 200}
	assert.Equal(t, "apaas VideoMake: code=100008 message=quota request_id=r-1", e.Error())
	type helpers struct{ auth, rate, quota, invalid, notFound, retry bool }
	cases := map[core.Code]helpers{
		100005: {auth: true}, 110007: {auth: true}, 801004: {rate: true, retry: true},
		100008: {quota: true}, 100013: {quota: true}, 100002: {invalid: true}, 801005: {invalid: true},
		100009: {notFound: true}, 110006: {notFound: true}, 100000: {retry: true}, -101001: {retry: true},
		110005: {}, 999: {},
	}
	for code, want := range cases {
		e := &core.APIError{Code: code}
		got := helpers{e.IsAuth(), e.IsRateLimited(), e.IsQuota(), e.IsInvalidArgument(), e.IsNotFound(), e.IsRetryable()}
		assert.Equal(t, want, got, "code %d", code)
	}
	assert.True(t, (&core.APIError{Code: 1, HTTPStatus: 429}).IsRateLimited())

	var logs logBuffer
	c, _ := scripted(t, bodyResp(200, `{"Header":{"Code":424242,"Message":"custom","RequestID":"other-id"}}`),
		core.WithCodes([]core.CodeInfo{{Code: 424242, Name: "Busy", Category: core.CategoryRetryable}, {Code: 100005, Name: "Unauthorized"}}),
		core.WithLogger(logs.logger()))
	_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{}, core.WithRequestID("mine"))
	var ae *core.APIError
	require.ErrorAs(t, err, &ae)
	assert.True(t, ae.IsRetryable(), "WithCodes category applies")
	assert.Equal(t, "other-id", ae.RequestID)
	assert.Contains(t, logs.String(), "request id mismatch")
	var re *core.RetryError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 3, re.Attempts)

	c, _ = scripted(t, bodyResp(200, `{"Header":{"Code":100005}}`), core.WithCodes([]core.CodeInfo{{Code: 100005, Name: "Unauthorized"}}))
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{}, core.WithRequestID("mine"))
	require.ErrorAs(t, err, &ae)
	assert.True(t, ae.IsAuth(), "an empty Category keeps the built-in one")
	assert.Equal(t, "mine", ae.RequestID, "falls back to the ID we sent")
	assert.Equal(t, core.CategoryAuth, ae.Category)
	assert.Equal(t, "apaas code 100005", core.Code(100005).Error())
}

// TestERR3_HTTPAndProtocolErrors: snippet ≤ 512 bytes, one line, scrubbed.
func TestERR3_HTTPAndProtocolErrors(t *testing.T) {
	body := "<html>\n<a href=\"https://x.example/p?signature=SECRET%2B\">x</a>\r\n" + strings.Repeat("y", 2000)
	c, _ := scripted(t, bodyResp(404, body))
	_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	var he *core.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 404, he.StatusCode)
	assert.LessOrEqual(t, len(he.Snippet), 512)
	assert.False(t, strings.ContainsAny(he.Snippet, "\r\n"))
	assert.NotContains(t, err.Error(), "SECRET")
	assert.Contains(t, he.Snippet, "https://x.example/p")
	assert.False(t, he.IsRetryable() || he.IsRateLimited())
	assert.Zero(t, he.RetryAfter())

	c, _ = scripted(t, bodyResp(503, `{"Header":{"Code":0}}`))
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	require.ErrorAs(t, err, &he, "a code-0 envelope on a 5xx is still an HTTP error")

	for _, b := range []string{`{"Header":null}`, `{}`, `<html>`, `{"Header":{"Code":"x"}}`, `{"Header":{"Message":"no code"}}`} {
		c, _ = scripted(t, bodyResp(200, b))
		_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
		var pe *core.ProtocolError
		require.ErrorAs(t, err, &pe, "body %s", b)
		assert.Contains(t, err.Error(), "protocol error")
		assert.Equal(t, 200, pe.HTTPStatus)
	}
}

// TestERR4_TransportErrorHasNoQuery: connection refused to a signed URL.
func TestERR4_TransportErrorHasNoQuery(t *testing.T) {
	addr := closedAddr(t)
	var sig string
	c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL("http://"+addr), core.WithRetryPolicy(core.RetryPolicy{MaxAttempts: 1}),
		core.WithMiddleware(func(next http.RoundTripper) http.RoundTripper {
			return roundTripFunc(func(r *http.Request) (*http.Response, error) {
				sig = r.URL.Query().Get("signature")
				return next.RoundTrip(r)
			})
		}))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	require.Error(t, err)
	require.NotEmpty(t, sig)
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		assert.NotContains(t, s, "signature=")
		assert.NotContains(t, s, sig)
		assert.NotContains(t, s, url.QueryEscape(sig))
		assert.NotContains(t, s, "appkey=")
	}
	var ue *url.Error
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "http://"+addr+idemOp.Path, ue.URL)
	var oe *net.OpError
	require.ErrorAs(t, err, &oe)
	var te *core.TransportError
	require.ErrorAs(t, err, &te)
	assert.False(t, te.Timeout())
}

// TestERR5_RetryErrorExposesAttemptsAndCause.
func TestERR5_RetryErrorExposesAttemptsAndCause(t *testing.T) {
	c, _ := scripted(t, codeResp(801000))
	_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	var re *core.RetryError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 3, re.Attempts)
	assert.Nil(t, re.Stop)
	assert.ErrorIs(t, err, core.Code(801000))
	assert.Contains(t, err.Error(), "giving up after 3 attempts")
	assert.Contains(t, err.Error(), "code=801000")
	assert.Zero(t, re.RetryAfter())
	one := &core.RetryError{Op: "X", Attempts: 1, Stop: errors.New("stop"), Err: errors.New("cause")}
	assert.Equal(t, "apaas X: giving up after 1 attempt (stop): cause", one.Error())
	assert.Equal(t, "apaas X: giving up after 0 attempts: <nil>", (&core.RetryError{Op: "X"}).Error())
}

// TestERR6_BodyCapAndClose: the cap is configurable and every body is closed.
func TestERR6_BodyCapAndClose(t *testing.T) {
	for _, tc := range []struct {
		status   int
		body     string
		tooLarge bool
	}{
		{200, `{"Header":{"Code":0},"Payload":{"TaskId":"` + strings.Repeat("a", 100) + `"}}`, true},
		{200, `{"Header":{"Code":0},"Payload":{}}`, false},
		{503, strings.Repeat("z", 70<<10), false},
		{404, "nope", false},
	} {
		var closed int
		c, err := core.NewClient(testAppKey, testToken, core.WithMaxResponseBytes(64), core.WithRetryPolicy(core.RetryPolicy{MaxAttempts: 1}),
			core.WithDoer(doerFunc(func(*http.Request) (*http.Response, error) {
				r := jsonResponse(tc.status, tc.body)
				r.ContentLength = -1
				r.Body = &closeCounter{ReadCloser: r.Body, n: &closed}
				return r, nil
			})))
		require.NoError(t, err)
		_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
		assert.Equal(t, 1, closed, "status %d: body closed once", tc.status)
		assert.Equal(t, tc.tooLarge, errors.Is(err, core.ErrResponseTooLarge))
	}
}

type closeCounter struct {
	ReadCloser interface {
		Read([]byte) (int, error)
		Close() error
	}
	n *int
}

func (c *closeCounter) Read(p []byte) (int, error) { return c.ReadCloser.Read(p) }
func (c *closeCounter) Close() error               { *c.n++; return nil }

// TestERR_OutcomeUnknownError: string and matching.
// TestCodeKindsNeverAlias: an API code and a task fail code with the same
// number are different errors.Is targets, so a crashed task never reads as
// a rate limit and back.
func TestCodeKindsNeverAlias(t *testing.T) {
	apiErr := &core.APIError{Code: 801004}
	taskErr := &core.TaskFailedError{FailCode: 801004}
	assert.ErrorIs(t, apiErr, core.Code(801004))
	assert.NotErrorIs(t, apiErr, core.FailCode(801004))
	assert.ErrorIs(t, taskErr, core.FailCode(801004))
	assert.NotErrorIs(t, taskErr, core.Code(801004))
}

func TestERR_OutcomeUnknownError(t *testing.T) {
	e := &core.OutcomeUnknownError{Op: "VideoMake", RequestID: "r-7", Attempts: 1, Err: errors.New("EOF")}
	assert.ErrorIs(t, e, core.ErrOutcomeUnknown)
	assert.Contains(t, e.Error(), "request_id=r-7")
	assert.Contains(t, e.Error(), "outcome unknown")
	te := &core.TransportError{Op: "X", Err: timeoutErr{}}
	assert.True(t, te.Timeout())
	assert.ErrorIs(t, &core.TaskFailedError{FailCode: 801001}, core.FailCode(801001))
	pe := &core.ProtocolError{Op: "X", Reason: "bad"}
	assert.Equal(t, "apaas X: protocol error: bad request_id=", pe.Error())
	_ = time.Second
}

type timeoutErr struct{}

func (timeoutErr) Error() string { return "timeout" }
func (timeoutErr) Timeout() bool { return true }

// TestERR2_EchoedTokenHidden: a server echoing the token in a message or a
// body does not put it into an error.
func TestERR2_EchoedTokenHidden(t *testing.T) {
	for _, b := range []struct {
		status int
		body   string
	}{{200, `{"Header":{"Code":100005,"Message":"bad token ` + testToken + `"}}`}, {403, "denied for " + testToken}} {
		c, _ := scripted(t, bodyResp(b.status, b.body))
		_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
		require.Error(t, err)
		assert.NotContains(t, err.Error(), testToken)
		assert.Contains(t, err.Error(), "[REDACTED]")
	}
	var zero core.Client
	_, err := core.Do[makeReq, makeResp](context.Background(), &zero, idemOp, &makeReq{})
	assert.Error(t, err)

	// Extra header fields are handed to callers, who may log them.
	var sig string
	c, _ := scripted(t, func(_ int, r *http.Request) (*http.Response, error) {
		sig = r.URL.Query().Get("signature")
		return jsonResponse(200, `{"Header":{"Code":100005,"Debug":"token `+testToken+` sig `+sig+`"}}`), nil
	})
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	var ae *core.APIError
	require.ErrorAs(t, err, &ae)
	assert.NotContains(t, string(ae.Extra["Debug"]), testToken)
	assert.NotContains(t, string(ae.Extra["Debug"]), sig)
	assert.Contains(t, string(ae.Extra["Debug"]), "[REDACTED]")
	assert.Error(t, err)
}

// TestERR3_SnippetCutNeverSplitsASecret: a body that echoes the token or the
// signature across the 512-byte cut leaves no prefix of it in the snippet.
func TestERR3_SnippetCutNeverSplitsASecret(t *testing.T) {
	for _, echo := range []string{"token", "signature"} {
		var secret string
		c, _ := scripted(t, func(_ int, r *http.Request) (*http.Response, error) {
			secret = testToken
			if echo == "signature" {
				secret = r.URL.Query().Get("signature")
			}
			return jsonResponse(http.StatusForbidden, strings.Repeat("x", 505)+secret+" tail"), nil
		})
		_, err := core.Do[makeReq, makeResp](context.Background(), c, createOp, &makeReq{})
		var he *core.HTTPError
		require.ErrorAs(t, err, &he, echo)
		assert.NotContains(t, he.Snippet, secret[:6], echo)
		assert.NotContains(t, fmt.Sprintf("%+v", err), secret[:6], echo)
		assert.LessOrEqual(t, len(he.Snippet), 512, echo)
	}
}

// A wrapping error names its operation once: the cause's "apaas <Op>: " and
// its request_id, when the same as the wrapper's, are not repeated.
func TestWrappedErrorsDoNotRepeat(t *testing.T) {
	cause := &core.TransportError{Op: "VideoMake", RequestID: "rid-1", Err: errors.New("connection reset")}
	ou := &core.OutcomeUnknownError{Op: "VideoMake", RequestID: "rid-1", Attempts: 1, Err: cause}
	want := "apaas VideoMake: outcome unknown (the request may have been processed; not retried) request_id=rid-1: transport: connection reset"
	if got := ou.Error(); got != want {
		t.Errorf("OutcomeUnknownError:\n got %s\nwant %s", got, want)
	}
	re := &core.RetryError{Op: "DescribeTimbre", RequestID: "rid-2", Attempts: 3, Err: &core.TransportError{Op: "DescribeTimbre", RequestID: "rid-2", Err: errors.New("timeout")}}
	if got := re.Error(); strings.Count(got, "apaas DescribeTimbre") != 1 || !strings.Contains(got, "request_id=rid-2") {
		t.Errorf("RetryError: %s", got)
	}
}
