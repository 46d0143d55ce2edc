package core

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/apsign"
)

func TestSignedCallbackHandler(t *testing.T) {
	type body struct {
		ReqID string `json:"ReqId"`
	}
	now := time.Unix(1_700_000_000, 0)
	sig := CallbackSignature{Params: []string{"reqid", "timestamp"}, Param: "signature", Timestamp: "timestamp"}
	calls := 0
	h := SignedCallbackHandlerOf(sig, "cb-key", true, []string{"ReqId"}, func(context.Context, *body) error { calls++; return nil },
		WithCallbackClock(func() time.Time { return now }), WithTimestampWindow(time.Minute))
	signed := func(key string, ts time.Time, extra url.Values) string {
		q := url.Values{"reqid": {"r1"}, "timestamp": {strconv.FormatInt(ts.Unix(), 10)}}
		q.Set("signature", apsign.Sign(key, q))
		for k, v := range extra {
			q[k] = v
		}
		return "/cb?" + q.Encode()
	}
	post := func(target string) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, target, strings.NewReader(`{"ReqId":"r1"}`)))
		return rec.Code
	}
	if code := post(signed("cb-key", now.Add(-30*time.Second), url.Values{"unsigned": {"x"}})); code != http.StatusOK || calls != 1 {
		t.Fatalf("valid: status %d, calls %d", code, calls)
	}
	for name, target := range map[string]string{
		"wrong key":     signed("access-token", now, nil),
		"stale":         signed("cb-key", now.Add(-2*time.Minute), nil),
		"future":        signed("cb-key", now.Add(2*time.Minute), nil),
		"no signature":  "/cb?reqid=r1&timestamp=" + strconv.FormatInt(now.Unix(), 10),
		"tampered":      strings.Replace(signed("cb-key", now, nil), "reqid=r1", "reqid=r2", 1),
		"missing param": "/cb?timestamp=1&signature=x",
	} {
		if code := post(target); code != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, code)
		}
	}
	if calls != 1 {
		t.Errorf("f called %d times, want only for the valid request", calls)
	}
	empty := SignedCallbackHandlerOf(sig, "", true, nil, func(context.Context, *body) error { calls++; return nil })
	rec := httptest.NewRecorder()
	empty.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, signed("", time.Now(), nil), strings.NewReader(`{}`)))
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("empty key: status %d, want 401", rec.Code)
	}
}
