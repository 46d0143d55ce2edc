package core_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNewClient_Errors: every bad configuration is a clear error.
func TestNewClient_Errors(t *testing.T) {
	cases := []struct {
		ak, tok string
		opts    []core.Option
		want    string
	}{
		{"", "", nil, "appKey and accessToken required"},
		{"a", "", nil, "accessToken required"},
		{"a", "t", []core.Option{core.WithBaseURL("ftp://x")}, "absolute http(s) URL"},
		{"a", "t", []core.Option{core.WithBaseURL("https://h/?signature=x")}, "must not carry"},
		{"a", "t", []core.Option{core.WithHTTPClient(nil)}, "WithHTTPClient(nil)"},
		{"a", "t", []core.Option{core.WithDoer(nil)}, "WithDoer(nil)"},
		{"a", "t", []core.Option{core.WithTimeout(0)}, "must be positive"},
		{"a", "t", []core.Option{core.WithMaxResponseBytes(-1)}, "must be positive"},
		{"a", "t", []core.Option{core.WithClock(nil)}, "WithClock(nil)"},
		{"a", "t", []core.Option{core.WithSleeper(nil)}, "WithSleeper(nil)"},
		{"a", "t", []core.Option{core.WithRand(nil)}, "WithRand(nil)"},
	}
	for _, c := range cases {
		_, err := core.NewClient(c.ak, c.tok, c.opts...)
		require.Error(t, err)
		assert.Contains(t, err.Error(), c.want)
		assert.NotContains(t, err.Error(), "signature=x")
	}
	c, err := core.NewClient("a", "t", core.WithBaseURL(core.Mainland+"/"))
	require.NoError(t, err)
	assert.Equal(t, core.Mainland, c.BaseURL())
	c, err = core.NewClient("a", "t")
	require.NoError(t, err)
	assert.Equal(t, core.International, c.BaseURL())
}

// TestFromEnv: the one documented environment helper.
func TestFromEnv(t *testing.T) {
	t.Setenv(core.EnvAppKey, "")
	t.Setenv(core.EnvAccessToken, "")
	_, _, _, err := core.FromEnv()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "IVH_APPKEY and IVH_ACCESS_TOKEN")

	t.Setenv(core.EnvAppKey, "ak-env")
	_, _, _, err = core.FromEnv()
	assert.Contains(t, err.Error(), "environment variable IVH_ACCESS_TOKEN not set")

	t.Setenv(core.EnvAccessToken, "tok-env")
	for env, want := range map[string]string{
		"": core.International, "international": core.International, "Mainland": core.Mainland,
		"http://127.0.0.1:9": "http://127.0.0.1:9",
	} {
		t.Setenv(core.EnvEndpoint, env)
		ak, tok, opts, err := core.FromEnv()
		require.NoError(t, err)
		assert.Equal(t, "ak-env", ak)
		assert.Equal(t, "tok-env", tok)
		c, err := core.NewClient(ak, tok, opts...)
		require.NoError(t, err)
		assert.Equal(t, want, c.BaseURL())
	}
	t.Setenv(core.EnvEndpoint, "moon")
	_, _, _, err = core.FromEnv()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "IVH_ENDPOINT")
}

type validatedReq struct {
	Speed float64 `json:"Speed"`
	Name  string  `json:"Name"`
}

func (r *validatedReq) Validate() error {
	var vs core.Violations
	core.Max(&vs, "Speed", r.Speed, 1.5)
	core.RequireString(&vs, "Name", r.Name)
	return vs.Err()
}

// TestValidation: Do validates before signing; options turn it off.
func TestValidation(t *testing.T) {
	c, reqs := scripted(t, codeResp(0))
	_, err := core.Do[validatedReq, makeResp](context.Background(), c, idemOp, &validatedReq{Speed: 2})
	var ve *core.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "GetProgress", ve.Op)
	assert.Equal(t, "apaas GetProgress: invalid request: Speed: 2 is above the maximum 1.5; Name: is required", err.Error())
	assert.Empty(t, *reqs, "nothing sent")

	_, err = core.Do[validatedReq, makeResp](context.Background(), c, idemOp, &validatedReq{Speed: 2}, core.SkipValidation())
	require.NoError(t, err)
	assert.Len(t, *reqs, 1)

	c2, reqs2 := scripted(t, codeResp(0), core.WithoutValidation())
	_, err = core.Do[validatedReq, makeResp](context.Background(), c2, idemOp, &validatedReq{Speed: 2})
	require.NoError(t, err)
	assert.Len(t, *reqs2, 1)

	_, err = core.Do[validatedReq, makeResp](context.Background(), c2, idemOp, nil)
	require.NoError(t, err, "a nil request sends an empty Payload")
	b, _ := (*reqs2)[1].GetBody()
	buf := new(bytes.Buffer)
	_, _ = buf.ReadFrom(b)
	assert.Contains(t, buf.String(), `"Payload":{}}`)
}

type unmarshalable struct{ C chan int }

// TestDo_EncodeErrorAndBadMethod: local failures are errors, not panics.
func TestDo_EncodeErrorAndBadMethod(t *testing.T) {
	c, reqs := scripted(t, codeResp(0))
	_, err := core.Do[unmarshalable, makeResp](context.Background(), c, idemOp, &unmarshalable{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "encode request")
	_, err = core.Do[makeReq, makeResp](context.Background(), c, &core.Operation{Name: "Bad", Path: "/x", Method: "BAD METHOD"}, &makeReq{})
	require.Error(t, err)
	assert.Empty(t, *reqs)
}

// TestTEST2_Stress: 64 goroutines × 50 calls over a
// mix of faults on one client share its skew offset and retry budget. The
// transport is in memory so that the race detector spends its time on the
// runtime, not on loopback sockets.
func TestTEST2_Stress(t *testing.T) {
	clk := newFakeClock()
	var n atomic.Int64
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		_, _ = io.Copy(io.Discard, r.Body)
		switch n.Add(1) % 6 {
		case 0:
			return jsonResponse(503, "<html>busy</html>"), nil
		case 1:
			return jsonResponse(200, `{"Header":{"Code":-101000}}`), nil
		case 2:
			resp := jsonResponse(429, "slow down")
			resp.Header.Set("Retry-After", "1")
			return resp, nil
		case 3:
			return nil, io.ErrUnexpectedEOF
		}
		resp := jsonResponse(200, `{"Header":{"Code":0},"Payload":{"TaskId":"t-1"}}`)
		resp.Header.Set("Date", clk.Now().Add(10*time.Second).UTC().Format(http.TimeFormat))
		return resp, nil
	})
	noSleep := sleeperFunc(func(context.Context, time.Duration) error { return nil })
	c, err := core.NewClient(testAppKey, testToken, core.WithHTTPClient(&http.Client{Transport: rt}), core.WithClock(clk),
		core.WithSleeper(noSleep), core.WithRetryPolicy(core.RetryPolicy{MaxAttempts: 5}),
		core.WithRetryBudget(&core.RetryBudget{Capacity: 50}))
	require.NoError(t, err)
	errs := make(chan error, 64*50)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for range 50 {
				_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	okCount, exhausted := 0, 0
	for err := range errs {
		var re *core.RetryError
		var ae *core.APIError
		var he *core.HTTPError
		var te *core.TransportError
		switch {
		case err == nil:
			okCount++
		case errors.Is(err, core.ErrRetryBudgetExhausted):
			exhausted++
		case errors.As(err, &re), errors.As(err, &ae), errors.As(err, &he), errors.As(err, &te):
		default:
			t.Fatalf("unexpected error %v", err)
		}
	}
	assert.True(t, okCount > 0 && exhausted > 0, "ok %d, budget exhausted %d", okCount, exhausted)
	assert.Equal(t, 10*time.Second, c.ClockOffset())
}

// TestNilOptionsAreSkipped: a nil Option, CallOption or WaitOption (say, from
// a conditional helper) is ignored rather than a panic; WithWaitSleeper(nil)
// keeps the sleeper already set and WithProgress(nil) reports nothing.
func TestNilOptionsAreSkipped(t *testing.T) {
	c, reqs := scripted(t, codeResp(0), nil)
	_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{Text: "x"}, nil, core.WithRequestID("rid-1"))
	require.NoError(t, err)
	require.Len(t, *reqs, 1)

	clk := newFakeClock()
	polls := 0
	poll := func(context.Context) (*progress, error) {
		polls++
		if polls == 2 {
			return &progress{Status: "SUCCESS"}, nil
		}
		return &progress{Status: "MAKING"}, nil
	}
	_, err = core.Wait(context.Background(), poll, classify, nil, core.WithWaitSleeper(clk),
		core.WithWaitSleeper(nil), core.WithProgress[progress](nil))
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{core.DefaultPollInterval}, clk.Sleeps(), "the fake sleeper stays in place")
}

// TestWithHeader_RejectsWhatNetHTTPWouldRefuse: a header net/http refuses
// to send is an error at NewClient, naming the key but never the value,
// rather than a transport failure on every call that a create would report
// as outcome unknown.
func TestWithHeader_RejectsWhatNetHTTPWouldRefuse(t *testing.T) {
	for _, h := range [][2]string{{"Bad Key", "v"}, {"", "v"}, {"X-Ok", "secret-1\r\nX-Injected: 1"}, {"X-Ok", "secret-2\x00"}} {
		_, err := core.NewClient(testAppKey, testToken, core.WithBaseURL("http://127.0.0.1:1"), core.WithHeader(h[0], h[1]))
		require.Error(t, err, "%q", h)
		assert.NotContains(t, err.Error(), "secret", "the value is never echoed")
	}
	_, err := core.NewClient(testAppKey, testToken, core.WithUserAgent("ua/1\r\nX-Injected: 1"))
	assert.Error(t, err)
	_, err = core.NewClient(testAppKey, testToken, core.WithHeader("X-Trace", "a\tb ok"), core.WithUserAgent("ua/1 (x)"))
	assert.NoError(t, err)
}
