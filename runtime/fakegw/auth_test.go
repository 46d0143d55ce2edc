package fakegw_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// The vendor's two published vectors and the requestid vector computed
// independently (docs/requirements.md §1.1).
func TestSignVectors(t *testing.T) {
	cases := []struct {
		appKey, token, ts, requestID, sig, encoded string
	}{
		{vendorAppKey, vendorToken, "1646636485", "", vendorSig, "BfWuaC9kmaicCggXc693uK%2BsZQ8qe88O4HVQNTdwZuo%3D"},
		{"example_appkey", "example_accesstoken", "1717639699", "", "aCNWYzZdplxWVo+JsqzZc9+J9XrwWWITfX3eQpsLVno=", "aCNWYzZdplxWVo%2BJsqzZc9%2BJ9XrwWWITfX3eQpsLVno%3D"},
		{"example_appkey", "example_accesstoken", "1717639699", "example_requestid", "QVenICk0VHtHGYZKXM6IC+W1CjZC1joSr/x0gfKKYT4=", "QVenICk0VHtHGYZKXM6IC%2BW1CjZC1joSr%2Fx0gfKKYT4%3D"},
	}
	for _, c := range cases {
		q := url.Values{"appkey": {c.appKey}, "timestamp": {c.ts}}
		if c.requestID != "" {
			q.Set("requestid", c.requestID)
		}
		equal(t, fakegw.Sign(c.token, q), c.sig)
		q.Set("signature", "ignored")
		equal(t, fakegw.Sign(c.token, q), c.sig, "signature parameter must not be signed")

		ts, err := strconv.ParseInt(c.ts, 10, 64)
		must(t, err)
		s := fakegw.New(t, fakegw.WithCredentials(c.appKey, c.token))
		var extra url.Values
		if c.requestID != "" {
			extra = url.Values{"requestid": {c.requestID}}
		}
		contains(t, s.SignedQuery(time.Unix(ts, 0), extra).Encode(), "signature="+c.encoded)
	}
}

// The fake must agree with the client runtime's signer, written separately.
func TestSignAgreesWithRuntime(t *testing.T) {
	for i := range 200 {
		q := url.Values{"appkey": {"k" + strconv.Itoa(i)}, "timestamp": {strconv.Itoa(1700000000 + i*7919)}}
		if i%2 == 0 {
			q.Set("requestid", "r"+strconv.Itoa(i))
		}
		equal(t, fakegw.Sign("tok", q), core.Sign("tok", q))
	}
}

func TestChecks(t *testing.T) {
	s, _ := newVendorServer(t, fakegw.WithMaxBodyBytes(1000))
	at := vendorTime
	edit := func(f func(url.Values)) string { return queryWith(s, at, f) }
	resign := func(q url.Values) { q.Set("signature", fakegw.Sign(vendorToken, q)) }
	cases := []struct {
		name    string
		req     rawReq
		code    core.Code
		message string // substring
	}{
		{"good request", rawReq{}, fakegw.CodeOK, "success"},
		{"extra signed parameter", rawReq{query: s.SignedQuery(at, url.Values{"requestid": {"abc"}}).Encode()}, 0, "success"},
		{"timestamp at -window", rawReq{query: s.SignedQuery(at.Add(-5*time.Minute), nil).Encode()}, 0, "success"},
		{"timestamp at +window", rawReq{query: s.SignedQuery(at.Add(5*time.Minute), nil).Encode()}, 0, "success"},
		{"timestamp expired", rawReq{query: s.SignedQuery(at.Add(-5*time.Minute-time.Second), nil).Encode()}, fakegw.CodeUnauthorized, "outside the ±5m0s window around gateway time 1646636485"},
		{"timestamp in future", rawReq{query: s.SignedQuery(at.Add(5*time.Minute+time.Second), nil).Encode()}, fakegw.CodeUnauthorized, "window"},
		{"timestamp in milliseconds", rawReq{query: edit(func(q url.Values) { q.Set("timestamp", strconv.FormatInt(at.UnixMilli(), 10)); resign(q) })}, fakegw.CodeUnauthorized, "window"},
		{"timestamp not a number", rawReq{query: edit(func(q url.Values) { q.Set("timestamp", "soon"); resign(q) })}, fakegw.CodeBadParameter, `timestamp "soon"`},
		{"wrong appkey", rawReq{query: edit(func(q url.Values) { q.Set("appkey", "other"); resign(q) })}, fakegw.CodeUnauthorized, `appkey "other"`},
		{"signed with another token", rawReq{query: edit(func(q url.Values) { q.Set("signature", fakegw.Sign("not-the-token", q)) })}, fakegw.CodeUnauthorized, "signature mismatch"},
		{"signature not URL-encoded", rawReq{query: "appkey=" + vendorAppKey + "&timestamp=1646636485&signature=" + vendorSig}, fakegw.CodeUnauthorized, "space"},
		{"signature of other parameters", rawReq{query: edit(func(q url.Values) { q.Set("requestid", "added-after-signing") })}, fakegw.CodeUnauthorized, "signature mismatch"},
		{"appkey missing", rawReq{query: edit(func(q url.Values) { q.Del("appkey") })}, fakegw.CodeBadParameter, `"appkey" is missing`},
		{"timestamp missing", rawReq{query: edit(func(q url.Values) { q.Del("timestamp") })}, fakegw.CodeBadParameter, `"timestamp" is missing`},
		{"signature missing", rawReq{query: edit(func(q url.Values) { q.Del("signature") })}, fakegw.CodeBadParameter, `"signature" is missing`},
		{"appkey repeated", rawReq{query: edit(func(q url.Values) { q.Add("appkey", vendorAppKey) })}, fakegw.CodeBadParameter, `"appkey" is repeated`},
		{"malformed query", rawReq{query: signedQuery(s) + "&x=%zz"}, fakegw.CodeBadParameter, "malformed query"},
		{"GET", rawReq{method: http.MethodGet}, fakegw.CodeBadParameter, "POST only"},
		{"PUT", rawReq{method: http.MethodPut}, fakegw.CodeBadParameter, "method PUT"},
		{"body not JSON", rawReq{body: "Header=1"}, fakegw.CodeBadParameter, "not a JSON object"},
		{"body blank", rawReq{body: "  "}, fakegw.CodeBadParameter, "empty body"},
		{"body an array", rawReq{body: "[1]"}, fakegw.CodeBadParameter, "not a JSON object"},
		{"trailing data", rawReq{body: goodBody + "{}"}, fakegw.CodeBadParameter, "not a JSON object"},
		{"Header missing", rawReq{body: `{"Payload":{}}`}, fakegw.CodeBadParameter, `no "Header"`},
		{"Payload missing", rawReq{body: `{"Header":{"RequestID":"rid-1"}}`}, fakegw.CodeBadParameter, `no "Payload"`},
		{"Payload null", rawReq{body: `{"Header":{"RequestID":"rid-1"},"Payload":null}`}, fakegw.CodeBadParameter, `"Payload" is null`},
		{"Payload an array", rawReq{body: `{"Header":{"RequestID":"rid-1"},"Payload":[]}`}, fakegw.CodeBadParameter, `"Payload" is an array`},
		{"Header a string", rawReq{body: `{"Header":"x","Payload":{}}`}, fakegw.CodeBadParameter, `"Header" is a string`},
		{"RequestID a number", rawReq{body: `{"Header":{"RequestID":7},"Payload":{}}`}, fakegw.CodeBadParameter, "Header.RequestID is a number"},
		{"body too large", rawReq{body: `{"Header":{"RequestID":"rid-1"},"Payload":{"X":"` + strings.Repeat("a", 1000) + `"}}`}, fakegw.CodeBadParameter, "1000-byte limit"},
		{"unknown path", rawReq{path: "/v2/ivh/nothing/here"}, fakegw.CodeNotFound, "no API at path /v2/ivh/nothing/here"},
		{"path not cleaned", rawReq{path: "/v2//ivh/../echo"}, fakegw.CodeNotFound, "no API at path /v2//ivh/../echo"},
		{"path with trailing slash", rawReq{path: "/echo/"}, fakegw.CodeNotFound, "no API at path /echo/"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := do(t, s, c.req)
			equal(t, got.Status, http.StatusOK)
			equal(t, got.Header.Code, c.code, got.Header.Message)
			contains(t, got.Header.Message, c.message)
			if c.code == fakegw.CodeOK {
				jsonEq(t, string(got.Payload), `{"X":1}`)
			} else if got.Payload != nil {
				t.Errorf("an error envelope carries no Payload, got %s", got.Payload)
			}
			if c.req.body == "" || strings.Contains(c.req.body, `"rid-1"`) && json.Valid([]byte(c.req.body)) && len(c.req.body) < 1000 {
				equal(t, got.Header.RequestID, "rid-1")
			} else if got.Header.RequestID == "" {
				t.Error("no RequestID assigned")
			}
			notContains(t, got.Header.Message, vendorToken)
		})
	}
}

func TestSkewWindowFollowsClockAndOption(t *testing.T) {
	s, clock := newVendorServer(t, fakegw.WithSkewWindow(time.Minute))
	q := s.SignedQuery(vendorTime, nil).Encode()
	equal(t, do(t, s, rawReq{query: q}).Header.Code, 0)
	clock.Advance(61 * time.Second)
	got := do(t, s, rawReq{query: q})
	equal(t, got.Header.Code, fakegw.CodeUnauthorized)
	contains(t, got.Header.Message, "±1m0s")
	clock.Set(vendorTime.Add(-time.Minute))
	equal(t, do(t, s, rawReq{query: q}).Header.Code, 0)

	exact, _ := newVendorServer(t, fakegw.WithSkewWindow(0))
	equal(t, do(t, exact, rawReq{}).Header.Code, 0)
	late := exact.SignedQuery(vendorTime.Add(time.Second), nil).Encode()
	equal(t, do(t, exact, rawReq{query: late}).Header.Code, fakegw.CodeUnauthorized)
}

func TestAuthenticateForMountedHandlers(t *testing.T) {
	s, _ := newVendorServer(t)
	s.Mount("/v2/ws/channel", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.Authenticate(r); err != nil {
			var e *fakegw.ErrorReply
			if errors.As(err, &e) {
				http.Error(w, strconv.Itoa(int(e.Code)), http.StatusUnauthorized)
			}
			return
		}
		w.WriteHeader(http.StatusCreated) // distinguishable from the API pipeline
	}))
	good := s.SignedQuery(vendorTime, url.Values{"requestid": {"sess-1"}}).Encode()
	got := do(t, s, rawReq{method: http.MethodGet, path: "/v2/ws/channel", query: good})
	equal(t, got.Status, http.StatusCreated)
	bad := do(t, s, rawReq{method: http.MethodGet, path: "/v2/ws/channel", query: good + "&x=1"})
	equal(t, bad.Status, http.StatusUnauthorized)
	equal(t, bad.Raw, "100005\n")
	equal(t, len(s.RequestsTo("/v2/ws/channel")), 0, "mounted handlers bypass recording")
}
