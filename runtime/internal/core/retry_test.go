package core_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scripted returns a client whose transport answers the n-th request
// (1-based) with fn, and the request log.
func scripted(t *testing.T, fn func(n int, r *http.Request) (*http.Response, error), opts ...core.Option) (*core.Client, *[]*http.Request) {
	t.Helper()
	var reqs []*http.Request
	clk := newFakeClock()
	d := doerFunc(func(r *http.Request) (*http.Response, error) {
		reqs = append(reqs, r)
		return fn(len(reqs), r)
	})
	base := []core.Option{core.WithDoer(d), core.WithClock(clk), core.WithSleeper(clk), core.WithRand(func() float64 { return 0 })}
	c, err := core.NewClient(testAppKey, testToken, append(base, opts...)...)
	require.NoError(t, err)
	return c, &reqs
}

func statusResp(status int) func(int, *http.Request) (*http.Response, error) {
	return func(int, *http.Request) (*http.Response, error) {
		return jsonResponse(status, "<html>busy</html>"), nil
	}
}

func codeResp(code int) func(int, *http.Request) (*http.Response, error) {
	return func(int, *http.Request) (*http.Response, error) {
		return jsonResponse(200, fmt.Sprintf(`{"Header":{"Code":%d,"Message":"x"},"Payload":{}}`, code)), nil
	}
}

func errResp(err error) func(int, *http.Request) (*http.Response, error) {
	return func(_ int, r *http.Request) (*http.Response, error) {
		return nil, &url.Error{Op: "Post", URL: r.URL.String(), Err: err}
	}
}

// unsentResp fails as net/http does when the connection never got far
// enough for request headers: it asked for a connection (GetConn) and
// never reported WroteHeaders.
func unsentResp(err error) func(int, *http.Request) (*http.Response, error) {
	return func(_ int, r *http.Request) (*http.Response, error) {
		if tr := httptrace.ContextClientTrace(r.Context()); tr != nil && tr.GetConn != nil {
			tr.GetConn(r.URL.Host)
		}
		return nil, &url.Error{Op: "Post", URL: r.URL.String(), Err: err}
	}
}

type retryCase struct {
	name         string
	fn           func(int, *http.Request) (*http.Response, error)
	idem, create int  // attempts
	unknown      bool // the create ends with ErrOutcomeUnknown
}

func retryCases() []retryCase {
	var cs []retryCase
	for _, s := range []int{408, 500, 502, 503, 504} {
		cs = append(cs, retryCase{fmt.Sprint("status ", s), statusResp(s), 3, 1, true})
	}
	cs = append(cs, retryCase{"status 429", statusResp(429), 3, 3, false})
	for _, s := range []int{400, 401, 403, 404, 409, 501, 505} {
		cs = append(cs, retryCase{fmt.Sprint("status ", s), statusResp(s), 1, 1, false})
	}
	for _, c := range []int{100000, -101000, -101001, 801000, 801002, 801004} {
		cs = append(cs, retryCase{fmt.Sprint("code ", c), codeResp(c), 3, 1, false})
	}
	for _, c := range []int{100001, 100002, 100003, 100005, 100008, 100009, 100013, 100015, 100016, 110005, 110006, 110007, 801005, 424242} {
		cs = append(cs, retryCase{fmt.Sprint("code ", c), codeResp(c), 1, 1, false})
	}
	cs = append(cs,
		retryCase{"dial refused", errResp(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}), 3, 3, false},
		retryCase{"dns servfail", errResp(&net.DNSError{Err: "server misbehaving", Name: "h", IsTemporary: true}), 3, 3, false},
		retryCase{"dns nxdomain", errResp(&net.DNSError{Err: "no such host", Name: "h", IsNotFound: true}), 1, 1, false},
		retryCase{"tls handshake timeout", unsentResp(errors.New("net/http: TLS handshake timeout")), 3, 3, false},
		retryCase{"tls handshake timeout text only", errResp(errors.New("net/http: TLS handshake timeout")), 3, 1, true},
		retryCase{"x509 unknown authority", errResp(x509.UnknownAuthorityError{}), 1, 1, false},
		retryCase{"x509 hostname", errResp(x509.HostnameError{Certificate: &x509.Certificate{}, Host: "h"}), 1, 1, false},
		retryCase{"reset after write", errResp(&net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}), 3, 1, true},
		retryCase{"eof", errResp(io.EOF), 3, 1, true},
	)
	return cs
}

// TestRETRY2_Classification: which failures an idempotent call retries.
func TestRETRY2_Classification(t *testing.T) {
	for _, tc := range retryCases() {
		t.Run(tc.name, func(t *testing.T) {
			c, reqs := scripted(t, tc.fn)
			_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
			require.Error(t, err)
			assert.Equal(t, tc.idem, len(*reqs))
			assert.NotErrorIs(t, err, core.ErrOutcomeUnknown)
		})
	}
}

// TestRETRY3_CreateRetriesOnlyProvablyUnprocessed: creates retry only
// not-sent failures and 429; ambiguous ones return ErrOutcomeUnknown.
func TestRETRY3_CreateRetriesOnlyProvablyUnprocessed(t *testing.T) {
	for _, tc := range retryCases() {
		t.Run(tc.name, func(t *testing.T) {
			c, reqs := scripted(t, tc.fn)
			_, err := core.Do[makeReq, makeResp](context.Background(), c, createOp, &makeReq{})
			require.Error(t, err)
			assert.Equal(t, tc.create, len(*reqs))
			assert.Equal(t, tc.unknown, errors.Is(err, core.ErrOutcomeUnknown), "outcome unknown: %v", err)
			for _, r := range *reqs {
				assert.Empty(t, r.Header.Values("Idempotency-Key"))
				assert.Empty(t, r.Header.Values("X-Idempotency-Key"))
			}
		})
	}
}

// TestRETRY3_OptIn: WithRetryNonIdempotent retries ambiguous failures of a
// create; the final error still says the outcome is unknown.
func TestRETRY3_OptIn(t *testing.T) {
	c, reqs := scripted(t, errResp(io.EOF))
	_, err := core.Do[makeReq, makeResp](context.Background(), c, createOp, &makeReq{}, core.WithRetryNonIdempotent())
	assert.Equal(t, 3, len(*reqs))
	var ou *core.OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, 3, ou.Attempts)
	assert.ErrorIs(t, err, io.EOF)

	c, reqs = scripted(t, func(n int, r *http.Request) (*http.Response, error) {
		if n == 1 {
			return codeResp(-101000)(n, r)
		}
		return jsonResponse(200, `{"Header":{"Code":0},"Payload":{"TaskId":"t-9"}}`), nil
	})
	resp, err := core.Do[makeReq, makeResp](context.Background(), c, createOp, &makeReq{}, core.WithRetryNonIdempotent())
	require.NoError(t, err)
	assert.Equal(t, "t-9", resp.TaskId)
	assert.Equal(t, 2, len(*reqs))
}

// TestRETRY3_NoIdempotencyKeyHeader: the header cannot even be configured.
func TestRETRY3_NoIdempotencyKeyHeader(t *testing.T) {
	for _, h := range []string{"Idempotency-Key", "x-idempotency-key"} {
		_, err := core.NewClient(testAppKey, testToken, core.WithHeader(h, "k"))
		assert.Error(t, err)
	}
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestRETRY7_RequestIDAndBody: one UUIDv4 per call on every attempt,
// identical body bytes, GetBody set; a caller-given ID is kept.
func TestRETRY7_RequestIDAndBody(t *testing.T) {
	c, reqs := scripted(t, statusResp(503))
	_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{Text: "x"})
	require.Error(t, err)
	require.Len(t, *reqs, 3)
	var bodies []string
	for _, r := range *reqs {
		require.True(t, r.GetBody != nil, "GetBody set")
		b, err := r.GetBody()
		require.NoError(t, err)
		raw, _ := io.ReadAll(b)
		bodies = append(bodies, string(raw))
	}
	assert.Equal(t, bodies[0], bodies[1])
	assert.Equal(t, bodies[0], bodies[2])
	id := captured{Body: []byte(bodies[0])}.requestID()
	assert.True(t, uuidV4.MatchString(id), "uuid v4: %s", id)
	var re *core.RetryError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, id, re.RequestID)

	c2, reqs2 := scripted(t, codeResp(0))
	_, err = core.Do[makeReq, makeResp](context.Background(), c2, idemOp, &makeReq{})
	require.NoError(t, err)
	b, _ := (*reqs2)[0].GetBody()
	raw, _ := io.ReadAll(b)
	assert.NotEqual(t, id, captured{Body: raw}.requestID(), "a new ID per call")

	c3, reqs3 := scripted(t, codeResp(0))
	_, err = core.Do[makeReq, makeResp](context.Background(), c3, idemOp, &makeReq{}, core.WithRequestID("mine-1"))
	require.NoError(t, err)
	b, _ = (*reqs3)[0].GetBody()
	raw, _ = io.ReadAll(b)
	assert.Equal(t, `{"Header":{"RequestID":"mine-1"},"Payload":{"Text":""}}`, string(raw))
}

// TestRETRY8_BudgetExhaustion: the budget stops retries with a clear error,
// is per client, and WithRetryBudget(nil) disables it.
func TestRETRY8_BudgetExhaustion(t *testing.T) {
	cfg := &core.RetryBudget{Capacity: 10, RetryCost: 5, TimeoutCost: 10}
	c, reqs := scripted(t, statusResp(503), core.WithRetryBudget(cfg))
	_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	assert.NotErrorIs(t, err, core.ErrRetryBudgetExhausted)
	assert.Equal(t, 3, len(*reqs), "two retries paid")
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	assert.Equal(t, 4, len(*reqs), "no token left for a retry")
	assert.ErrorIs(t, err, core.ErrRetryBudgetExhausted)
	assert.Contains(t, err.Error(), "client-side retry budget exhausted; not retrying")
	var he *core.HTTPError
	assert.ErrorAs(t, err, &he, "last cause kept")

	other, reqs2 := scripted(t, statusResp(503), core.WithRetryBudget(cfg))
	_, _ = core.Do[makeReq, makeResp](context.Background(), other, idemOp, &makeReq{})
	assert.Equal(t, 3, len(*reqs2), "the other client has its own bucket")

	unl, reqs3 := scripted(t, statusResp(503), core.WithRetryBudget(nil))
	for range 20 {
		_, _ = core.Do[makeReq, makeResp](context.Background(), unl, idemOp, &makeReq{})
	}
	assert.Equal(t, 60, len(*reqs3))
}

// TestRETRY8_RefundOnSuccess: a retry that succeeds gives its tokens back.
func TestRETRY8_RefundOnSuccess(t *testing.T) {
	cfg := &core.RetryBudget{Capacity: 5, RetryCost: 5}
	var n atomic.Int32
	c, _ := scripted(t, func(int, *http.Request) (*http.Response, error) {
		if n.Add(1)%2 == 1 {
			return statusResp(503)(0, nil)
		}
		return codeResp(0)(0, nil)
	}, core.WithRetryBudget(cfg))
	for range 10 {
		_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
		require.NoError(t, err, "each call's single retry is refunded")
	}
}

// TestRETRY1_IdempotentFlagDrivesRetries: the same failure is retried or
// not depending only on Operation.Idempotent.
func TestRETRY1_IdempotentFlagDrivesRetries(t *testing.T) {
	for _, idem := range []bool{true, false} {
		op := &core.Operation{Name: "X", Path: "/x", Idempotent: idem}
		c, reqs := scripted(t, errResp(io.ErrUnexpectedEOF))
		_, _ = core.Do[makeReq, makeResp](context.Background(), c, op, &makeReq{})
		want := 1
		if idem {
			want = 3
		}
		assert.Equal(t, want, len(*reqs))
	}
}

// TestRETRY9_NoFailover: every attempt goes to the configured host.
func TestRETRY9_NoFailover(t *testing.T) {
	c, reqs := scripted(t, statusResp(503), core.WithBaseURL(core.Mainland))
	_, _ = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	require.Len(t, *reqs, 3)
	for _, r := range *reqs {
		assert.Equal(t, "gw.tvs.qq.com", r.URL.Host)
	}
}

// TestRETRY4_DelaysUsed: the sleeps between attempts follow the backoff.
func TestRETRY4_DelaysUsed(t *testing.T) {
	clk := newFakeClock()
	c, _ := scripted(t, statusResp(503), core.WithSleeper(clk), core.WithRetryPolicy(core.RetryPolicy{MaxAttempts: 5}))
	_, _ = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	assert.Equal(t, "[250ms 500ms 1s 2s]", fmt.Sprint(clk.Sleeps()))
}

// TestRETRY3_CancelledCreateIsOutcomeUnknown: a create cancelled while its
// request was in flight may have been processed.
func TestRETRY3_CancelledCreateIsOutcomeUnknown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	fn := func(_ int, r *http.Request) (*http.Response, error) {
		cancel()
		return nil, &url.Error{Op: "Post", URL: r.URL.String(), Err: context.Canceled}
	}
	c, reqs := scripted(t, fn)
	_, err := core.Do[makeReq, makeResp](ctx, c, createOp, &makeReq{})
	assert.ErrorIs(t, err, core.ErrOutcomeUnknown)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, len(*reqs))

	ctx, cancel = context.WithCancel(context.Background())
	c, _ = scripted(t, fn)
	_, err = core.Do[makeReq, makeResp](ctx, c, idemOp, &makeReq{})
	assert.NotErrorIs(t, err, core.ErrOutcomeUnknown)
	assert.ErrorIs(t, err, context.Canceled)
	cancel()

	_, err = core.Do[makeReq, makeResp](context.Background(), nil, idemOp, &makeReq{})
	assert.Error(t, err)
}

// TestRETRY3_OptInAmbiguousThenDefinite: once any attempt of a create may
// have been processed, the call ends as outcome unknown, even when a later
// attempt fails definitely or the context ends during backoff.
func TestRETRY3_OptInAmbiguousThenDefinite(t *testing.T) {
	c, reqs := scripted(t, func(n int, r *http.Request) (*http.Response, error) {
		if n == 1 {
			return errResp(io.EOF)(n, r)
		}
		return codeResp(100002)(n, r)
	})
	_, err := core.Do[makeReq, makeResp](context.Background(), c, createOp, &makeReq{}, core.WithRetryNonIdempotent())
	assert.Equal(t, 2, len(*reqs))
	assert.ErrorIs(t, err, core.ErrOutcomeUnknown)
	assert.ErrorIs(t, err, core.Code(100002), "last cause kept")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, err = core.NewClient(testAppKey, testToken, core.WithDoer(doerFunc(func(r *http.Request) (*http.Response, error) {
		return errResp(io.EOF)(0, r)
	})), core.WithSleeper(sleeperFunc(func(context.Context, time.Duration) error { cancel(); return context.Canceled })))
	require.NoError(t, err)
	_, err = core.Do[makeReq, makeResp](ctx, c, createOp, &makeReq{}, core.WithRetryNonIdempotent())
	assert.ErrorIs(t, err, core.ErrOutcomeUnknown)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, io.EOF)
}
