package ivh_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

// echoForms lists every encoding of s an echoing server may use.
func echoForms(s string) []string {
	q := url.QueryEscape(s)
	lowHex := regexp.MustCompile(`%[0-9A-F]{2}`).ReplaceAllStringFunc(q, strings.ToLower)
	return []string{s, q, lowHex, strings.ReplaceAll(s, "+", `\u002b`),
		strings.ReplaceAll(s, "/", `\/`), base64.URLEncoding.EncodeToString([]byte(s)),
		base64.RawURLEncoding.EncodeToString([]byte(s)), base64.StdEncoding.EncodeToString([]byte(s))}
}

// echoServer answers every request by echoing the token, the signature,
// the query string and the request headers, in every encoding, into every
// header field, response header and TaskId; the first attempt of each call
// is throttled so that retries are observed too.
func echoServer(t *testing.T) (string, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var secrets []string
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		q := r.URL.Query()
		vals := []string{hostileToken, q.Get("signature"), r.URL.RawQuery}
		for _, v := range r.Header {
			vals = append(vals, v...)
		}
		var all []string
		for _, v := range vals {
			if v != "" {
				all = append(all, echoForms(v)...)
			}
		}
		mu.Lock()
		secrets = append(secrets, hostileToken, q.Get("signature"))
		n++
		first := n%2 == 1
		mu.Unlock()
		echo := strings.Join(all, " ")
		for i, v := range all {
			w.Header().Add(fmt.Sprintf("X-Echo-%d", i), v)
		}
		w.Header().Set("Set-Cookie", "s="+url.QueryEscape(hostileToken))
		w.Header().Set("X-Request-Id", echo)
		w.Header().Set("Content-Type", "application/json")
		code := 0
		if first {
			code = 1000001 // not fatal: retried or returned
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
		}
		j := func(s string) string { b, _ := jsonMarshal(s); return b }
		fmt.Fprintf(w, `{"Header":{"Code":%d,"Message":%s,"RequestID":%s,"Extra":%s},"Payload":{"TaskId":%s,"Status":"FAIL","FailMessage":%s,"Unknown":%s}}`,
			code, j(echo), j(echo), j(echo), j(echo), j(echo), j(echo))
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), secrets...) }
}

func jsonMarshal(s string) (string, error) {
	var b bytes.Buffer
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String(), nil
}

// Nothing a hook, the logger or a RawResponse receives may carry a secret
// the server echoes, in any encoding.
func TestAttack3EchoNoSecretInObservers(t *testing.T) {
	base, secretsOf := echoServer(t)
	var mu sync.Mutex
	var seen []string
	note := func(where string, v ...any) {
		mu.Lock()
		defer mu.Unlock()
		for _, x := range v {
			s := fmt.Sprintf("%+v", x)
			if e, ok := x.(error); ok && e != nil {
				s += " " + e.Error()
			}
			seen = append(seen, where+": "+s)
		}
	}
	hooks := ivh.Hooks{
		CallStart: func(ctx context.Context, ci *ivh.CallInfo) context.Context { note("CallStart", *ci); return ctx },
		CallEnd: func(_ context.Context, ci *ivh.CallInfo, r *ivh.CallResult) {
			note("CallEnd", *ci, *r, r.Err)
		},
		AttemptStart: func(ctx context.Context, ci *ivh.CallInfo, n int) context.Context {
			note("AttemptStart", *ci)
			return ctx
		},
		AttemptEnd: func(_ context.Context, ci *ivh.CallInfo, a *ivh.AttemptInfo) {
			note("AttemptEnd", *ci, *a, a.Err)
		},
	}
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := ivh.NewClient("appkey", hostileToken, ivh.WithBaseURL(base), ivh.WithTimeout(2*time.Second),
		ivh.WithRetryPolicy(ivh.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}),
		ivh.WithHeader("X-Custom-Secret", "hdr-Secret-value-42"),
		ivh.WithHooks(hooks), ivh.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	for _, call := range []string{"VideoMake", "GetProgress"} {
		var raw ivh.RawResponse
		var err error
		if call == "VideoMake" {
			_, err = c.Video.VideoMake(context.Background(), &ivh.VideoMakeRequest{}, ivh.SkipValidation(), ivh.WithRawResponse(&raw))
		} else {
			_, err = c.Video.GetProgress(context.Background(), &ivh.GetProgressRequest{TaskID: "t"}, ivh.SkipValidation(), ivh.WithRawResponse(&raw))
		}
		note(call+" err", err)
		note(call+" raw", raw.StatusCode, raw.Header, string(raw.Body))
	}
	note("slog", logs.String())
	secrets := append(secretsOf(), "hdr-Secret-value-42")
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, f := range echoForms(s) {
			for _, line := range seen {
				if strings.Contains(line, f) {
					i := strings.Index(line, f)
					t.Errorf("secret form %q leaks in %.60s ... %.80s", f, line, line[max(0, i-40):])
				}
			}
		}
	}
	_ = errors.New
}
