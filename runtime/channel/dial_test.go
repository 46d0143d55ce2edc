package channel_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/channel"
)

// recorder answers every handshake with status and records the queries.
type recorder struct {
	mu      sync.Mutex
	queries []url.Values
	paths   []string
	status  int
	body    string
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.queries = append(r.queries, req.URL.Query())
	r.paths = append(r.paths, req.URL.Path)
	r.mu.Unlock()
	if r.status == http.StatusTemporaryRedirect {
		http.Redirect(w, req, "http://elsewhere.invalid/steal", r.status)
		return
	}
	w.WriteHeader(r.status)
	fmt.Fprint(w, r.body)
}

func TestSignatureVectorWithRequestID(t *testing.T) {
	rec := &recorder{status: http.StatusNotFound}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	_, err := channel.Dial(ctx(t), channel.Config{
		BaseURL: srv.URL, AppKey: "example_appkey", AccessToken: "example_accesstoken", SessionID: "example_requestid",
		Clock: func() time.Time { return time.Unix(1717639699, 0) },
	})
	if err == nil {
		t.Fatal("want a handshake failure")
	}
	q := rec.queries[0]
	want := url.Values{"appkey": {"example_appkey"}, "requestid": {"example_requestid"}, "timestamp": {"1717639699"},
		"signature": {"QVenICk0VHtHGYZKXM6IC+W1CjZC1joSr/x0gfKKYT4="}}
	if q.Encode() != want.Encode() || rec.paths[0] != channel.CommandChannelPath {
		t.Fatalf("query %v path %s", q, rec.paths[0])
	}
	if strings.Contains(err.Error(), "QVenICk0") || strings.Contains(err.Error(), "example_accesstoken") {
		t.Fatalf("error leaks the signature or token: %v", err)
	}
}

func TestSignatureCoversExtraParamsAndPath(t *testing.T) {
	rec := &recorder{status: http.StatusNotFound}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	channel.Dial(ctx(t), channel.Config{
		BaseURL: srv.URL + "/", AppKey: "example_appkey", AccessToken: "example_accesstoken", SessionID: "s",
		Path: "v2/ws/other", ExtraParams: url.Values{"zeta": {"1"}},
		Clock: func() time.Time { return time.Unix(1717639699, 0) },
	})
	q := rec.queries[0]
	if q.Get("zeta") != "1" || rec.paths[0] != "/v2/ws/other" {
		t.Fatalf("query %v path %s", q, rec.paths[0])
	}
	// Changing the extra parameter must change the signature.
	channel.Dial(ctx(t), channel.Config{
		BaseURL: srv.URL, AppKey: "example_appkey", AccessToken: "example_accesstoken", SessionID: "s",
		Path: "v2/ws/other", ExtraParams: url.Values{"zeta": {"2"}},
		Clock: func() time.Time { return time.Unix(1717639699, 0) },
	})
	if rec.queries[1].Get("signature") == q.Get("signature") {
		t.Fatal("extra parameter not signed")
	}
}

func TestRefusedHandshakeCarriesCode(t *testing.T) {
	f := newFixture(t)
	cfg := f.config()
	cfg.AccessToken = "wrong_token_SECRET"
	_, err := channel.Dial(ctx(t), cfg)
	var de *channel.DialError
	if !errors.As(err, &de) || de.StatusCode != http.StatusUnauthorized || de.Code != 100005 || de.Message != "signature mismatch" {
		t.Fatalf("err = %#v", err)
	}
	if strings.Contains(de.URL, "?") || !strings.HasPrefix(de.URL, "ws://") || !strings.HasSuffix(de.URL, channel.CommandChannelPath) {
		t.Fatalf("URL = %q", de.URL)
	}
	assertNoSecret(t, err, "wrong_token_SECRET")
	cfg = f.config()
	cfg.Clock = func() time.Time { return time.Now().Add(-6 * time.Minute) }
	if _, err := channel.Dial(ctx(t), cfg); !errors.As(err, &de) || de.Code != 100005 {
		t.Fatalf("stale timestamp: %v", err)
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	rec := &recorder{status: http.StatusTemporaryRedirect}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	_, err := channel.Dial(ctx(t), channel.Config{BaseURL: srv.URL, AppKey: appKey, AccessToken: token, SessionID: session})
	var de *channel.DialError
	if !errors.As(err, &de) || de.StatusCode != http.StatusTemporaryRedirect || len(rec.queries) != 1 {
		t.Fatalf("err = %v, requests = %d", err, len(rec.queries))
	}
	assertNoSecret(t, err, token)
}

func TestTransportErrorHidesQuery(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close() // nothing listens there any more
	_, err := channel.Dial(ctx(t), channel.Config{BaseURL: base, AppKey: appKey, AccessToken: token, SessionID: session})
	var ue *url.Error
	if !errors.As(err, &ue) || strings.Contains(ue.URL, "?") {
		t.Fatalf("want a *url.Error without query, got %v", err)
	}
	assertNoSecret(t, err, token)
	if !strings.Contains(err.Error(), "refused") {
		t.Fatalf("cause lost: %v", err)
	}
}

func assertNoSecret(t *testing.T, err error, tok string) {
	t.Helper()
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		for _, bad := range []string{"signature=", tok, "timestamp="} {
			if strings.Contains(s, bad) {
				t.Fatalf("error text contains %q: %s", bad, s)
			}
		}
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), "signature=") {
			t.Fatalf("wrapped error leaks the query: %v", e)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	ok := channel.Config{BaseURL: "https://gw.example", AppKey: "a", AccessToken: "t", SessionID: "s"}
	cases := map[string]func(*channel.Config){
		"BaseURL":       func(c *channel.Config) { c.BaseURL = "" },
		"AppKey":        func(c *channel.Config) { c.AppKey = "" },
		"AccessToken":   func(c *channel.Config) { c.AccessToken = "" },
		"SessionID":     func(c *channel.Config) { c.SessionID = "" },
		"MaxReconnects": func(c *channel.Config) { c.MaxReconnects = -1 },
	}
	for field, mutate := range cases {
		cfg := ok
		mutate(&cfg)
		_, err := channel.Dial(ctx(t), cfg)
		var ce *channel.ConfigError
		if !errors.As(err, &ce) || ce.Field != field || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: err = %v", field, err)
		}
	}
	for _, base := range []string{"ftp://x", "not a url", "/relative", "https://"} {
		cfg := ok
		cfg.BaseURL = base
		var ce *channel.ConfigError
		if _, err := channel.Dial(ctx(t), cfg); !errors.As(err, &ce) || ce.Field != "BaseURL" {
			t.Errorf("BaseURL %q: err = %v", base, err)
		}
	}
}

func TestConfigNeverPrintsToken(t *testing.T) {
	cfg := channel.Config{BaseURL: "https://gw", AppKey: "ak", AccessToken: token, SessionID: "s"}
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%s", &cfg)} {
		if strings.Contains(s, token) {
			t.Fatalf("token printed: %s", s)
		}
		if !strings.Contains(s, "ak") {
			t.Fatalf("config not printed: %s", s)
		}
	}
}

func TestSchemes(t *testing.T) {
	f := newFixture(t)
	for _, base := range []string{f.srv.URL, strings.Replace(f.srv.URL, "http://", "ws://", 1)} {
		cfg := f.config()
		cfg.BaseURL = base
		c, err := channel.Dial(ctx(t), cfg)
		if err != nil {
			t.Fatalf("%s: %v", base, err)
		}
		c.Close()
	}
	cfg := f.config()
	cfg.BaseURL = strings.Replace(f.srv.URL, "http://", "wss://", 1) // TLS against a plain server
	var de *channel.DialError
	if _, err := channel.Dial(ctx(t), cfg); !errors.As(err, &de) || !strings.HasPrefix(de.URL, "wss://") {
		t.Fatalf("wss: %v", err)
	}
}
