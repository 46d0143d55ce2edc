package core_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type signVector struct {
	Name         string            `json:"name"`
	AppKey       string            `json:"appkey"`
	Token        string            `json:"token"`
	Extra        map[string]string `json:"extra"`
	Timestamp    int64             `json:"timestamp"`
	StringToSign string            `json:"string_to_sign"`
	Signature    string            `json:"signature"`
	Query        string            `json:"query"`
}

// TestSIGN1_Vectors checks the published vectors on the string to sign,
// the raw signature and the final query.
func TestSIGN1_Vectors(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "sign_vectors.json"))
	require.NoError(t, err)
	var vs []signVector
	require.NoError(t, json.Unmarshal(b, &vs))
	require.Len(t, vs, 3)
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			extra := url.Values{}
			for k, x := range v.Extra {
				extra.Set(k, x)
			}
			q := core.SignedQuery(v.AppKey, core.NewSecret(v.Token), time.Unix(v.Timestamp, 0), extra)
			assert.Equal(t, v.StringToSign, core.StringToSign(q))
			assert.Equal(t, v.Signature, q.Get("signature"))
			assert.Equal(t, v.Signature, core.Sign(v.Token, q))
			assert.Equal(t, v.Query, q.Encode())
			assert.Len(t, extra, len(v.Extra), "extra not modified")
		})
	}
}

// TestSIGN1_HotPathMatchesSignedQuery: the query Do sends is the one
// SignedQuery builds, byte for byte, including an appkey that needs escaping.
func TestSIGN1_HotPathMatchesSignedQuery(t *testing.T) {
	for _, ak := range []string{"e38267c0e86411ebb02aed82acb0ed99", "a+b/c=d&e f"} {
		clk := newFakeClock()
		var got string
		c, err := core.NewClient(ak, testToken, core.WithClock(clk), core.WithDoer(doerFunc(func(r *http.Request) (*http.Response, error) {
			got = r.URL.RawQuery
			return jsonResponse(200, `{"Header":{"Code":0},"Payload":{}}`), nil
		})))
		require.NoError(t, err)
		_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
		require.NoError(t, err)
		want := core.SignedQuery(ak, core.NewSecret(testToken), clk.Now(), nil).Encode()
		assert.Equal(t, want, got)
	}
}

// TestSIGN2_RoundTrip: the gateway parses the query and recomputes.
func TestSIGN2_RoundTrip(t *testing.T) {
	g := newGateway(t, false, func(_ *gateway, _ int, w http.ResponseWriter, r *http.Request) { okTask(w, r) })
	clk := newFakeClock()
	c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()), core.WithClock(clk))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	for i := range 200 {
		clk.Advance(time.Duration(i) * 7919 * time.Millisecond)
		_, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
		require.NoError(t, err)
	}
	checkWire(t, g)
	assert.Len(t, g.requests(), 200)
}

// FuzzSign (SIGN-2): whatever the appkey, requestid, token and timestamp,
// the encoded query parses back to values whose signature verifies.
func FuzzSign(f *testing.F) {
	f.Add("e38267c0e86411ebb02aed82acb0ed99", "", "f68f2d10ae9e4604b76fb05cf46bccec", int64(1646636485))
	f.Add("example_appkey", "example_requestid", "example_accesstoken", int64(1717639699))
	f.Add("a&b=c", "+/=%", "t", int64(-1))
	f.Fuzz(func(t *testing.T, appKey, requestID, token string, ts int64) {
		extra := url.Values{}
		if requestID != "" {
			extra.Set("requestid", requestID)
		}
		q := core.SignedQuery(appKey, core.NewSecret(token), time.Unix(ts, 0), extra)
		back, err := url.ParseQuery(q.Encode())
		if err != nil {
			t.Fatalf("encoded query does not parse: %v", err)
		}
		if got := back.Get("signature"); got != refSign(token, back) {
			t.Fatalf("signature %q does not verify", got)
		}
		if back.Get("timestamp") != strconv.FormatInt(ts, 10) {
			t.Fatalf("timestamp changed")
		}
		if appKey != "" && token != "" {
			want := core.SignedQuery(appKey, core.NewSecret(token), time.Unix(ts, 0), nil).Encode()
			if got := hotPathQuery(t, appKey, token, time.Unix(ts, 0)); got != want {
				t.Fatalf("Do sends %q, SignedQuery gives %q", got, want)
			}
		}
	})
}

// TestSIGN3_FreshSignaturePerAttempt: with the clock moved 6 min between
// attempts each request carries the time of its own send.
func TestSIGN3_FreshSignaturePerAttempt(t *testing.T) {
	g := newGateway(t, false, func(_ *gateway, n int, w http.ResponseWriter, r *http.Request) {
		if n < 3 {
			html(w, 503)
			return
		}
		okTask(w, r)
	})
	clk := newFakeClock()
	var sendTimes []int64
	sl := sleeperFunc(func(context.Context, time.Duration) error { clk.Advance(6 * time.Minute); return nil })
	c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()), core.WithClock(clk), core.WithSleeper(sl),
		core.WithMiddleware(func(next http.RoundTripper) http.RoundTripper {
			return roundTripFunc(func(r *http.Request) (*http.Response, error) {
				sendTimes = append(sendTimes, clk.Now().Unix())
				return next.RoundTrip(r)
			})
		}))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	require.NoError(t, err)
	reqs := g.requests()
	require.Len(t, reqs, 3)
	seen := map[string]bool{}
	for i, r := range reqs {
		assert.Equal(t, strconv.FormatInt(sendTimes[i], 10), r.Query.Get("timestamp"))
		assert.False(t, seen[r.Query.Get("signature")], "signature reused")
		seen[r.Query.Get("signature")] = true
	}
	assert.Equal(t, sendTimes[0]+720, sendTimes[2])
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestSIGN4_NoWallClockOutsideClock: only clock.go may read the wall clock.
func TestSIGN4_NoWallClockOutsideClock(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	re := regexp.MustCompile(`time\.(Now|Since|Until)\(`)
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "clock.go" {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		checked++
		if loc := re.FindIndex(b); loc != nil {
			t.Errorf("%s reads the wall clock: %s", f, b[loc[0]:loc[1]])
		}
	}
	assert.True(t, checked > 10, "source files found")
}

func jsonResponse(status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: nopCloser{strings.NewReader(body)}, ContentLength: int64(len(body))}
}

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }

// hotPathQuery returns the raw query Do sends for appKey and token at now.
func hotPathQuery(t *testing.T, appKey, token string, now time.Time) string {
	var got string
	clk := &fakeClock{now: now}
	c, err := core.NewClient(appKey, token, core.WithClock(clk), core.WithDoer(doerFunc(func(r *http.Request) (*http.Response, error) {
		got = r.URL.RawQuery
		return jsonResponse(200, `{"Header":{"Code":0}}`), nil
	})))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{}); err != nil {
		t.Fatal(err)
	}
	return got
}
