package fakegw_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

func TestInvalidOptions(t *testing.T) {
	cases := []struct {
		opt  fakegw.Option
		want string
	}{
		{fakegw.WithCredentials("", "tok"), "WithCredentials"},
		{fakegw.WithCredentials("key", ""), "WithCredentials"},
		{fakegw.WithClock(nil), "WithClock"},
		{fakegw.WithSkewWindow(-time.Second), "WithSkewWindow"},
		{fakegw.WithMaxBodyBytes(0), "WithMaxBodyBytes"},
	}
	for _, c := range cases {
		s, err := fakegw.Start(c.opt)
		if err == nil {
			s.Close()
			t.Errorf("Start accepted an invalid option; want an error naming %s", c.want)
			continue
		}
		contains(t, err.Error(), "fakegw: "+c.want)

		tb := &fakeTB{}
		if s := fakegw.New(tb, c.opt); s != nil {
			t.Error("New returned a server for an invalid option")
			s.Close()
		}
		fatals, _ := tb.snapshot()
		equal(t, len(fatals), 1)
	}
}

func TestNewWithoutTBPanicsOnInvalidOption(t *testing.T) {
	defer func() {
		r := recover()
		if s, _ := r.(string); !strings.Contains(s, "WithClock") {
			t.Errorf("recovered %v, want a panic naming WithClock", r)
		}
	}()
	fakegw.New(nil, fakegw.WithClock(nil))
}

func TestDefaults(t *testing.T) {
	s, err := fakegw.Start(nil) // a nil option is ignored
	must(t, err)
	defer s.Close()
	equal(t, s.AppKey(), fakegw.DefaultAppKey)
	equal(t, s.AccessToken(), fakegw.DefaultAccessToken)
	if d := time.Since(s.Clock().Now()); d < 0 || d > time.Minute {
		t.Errorf("default clock is %v off the real one", d)
	}
	contains(t, s.URL(), "http://127.0.0.1:")
	// The real clock is the default: a request signed now is accepted
	// as far as the routing check.
	got := do(t, s, rawReq{path: "/unrouted", query: s.SignedQuery(time.Now(), nil).Encode()})
	equal(t, got.Header.Code, fakegw.CodeNotFound)
}

// With a TB, the server closes itself at cleanup and logs each error reply
// without the access token.
func TestTBCleanupAndLogs(t *testing.T) {
	tb := &fakeTB{}
	s := fakegw.New(tb, fakegw.WithCredentials("key", "very-secret-token"))
	got := do(t, s, rawReq{query: "appkey=key&timestamp=1&signature=abc"})
	equal(t, got.Header.Code, fakegw.CodeUnauthorized)
	_, logs := tb.snapshot()
	equal(t, len(logs), 1)
	contains(t, logs[0], "code=100005")
	contains(t, logs[0], "POST /echo")
	notContains(t, logs[0], "very-secret-token")
	tb.runCleanups()
	if _, err := send(t, s, rawReq{}); err == nil {
		t.Error("server still answering after cleanup")
	}
}
