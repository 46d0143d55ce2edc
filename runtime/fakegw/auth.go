package fakegw

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Sign returns the aPaaS signature of query q under token: the parameters
// other than "signature", sorted by key, joined as k=v with raw values and
// "&", HMAC-SHA256 keyed by token, standard base64. The result must still be
// URL-encoded; url.Values.Encode does that.
//
// It is written independently of the client runtime's signer on purpose: a
// fake that shared the client's code would accept the client's bugs.
func Sign(token string, q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "signature" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k + "=" + q.Get(k))
	}
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// SignedQuery returns the query a correct client sends at time at: appkey,
// timestamp and signature under this gateway's credentials, plus extra
// parameters (such as requestid), which are signed too. Encode the result
// with its Encode method.
func (s *Server) SignedQuery(at time.Time, extra url.Values) url.Values {
	q := url.Values{}
	for k, v := range extra {
		q[k] = slices.Clone(v)
	}
	q.Set("appkey", s.cfg.appKey)
	q.Set("timestamp", strconv.FormatInt(at.Unix(), 10))
	q.Set("signature", Sign(s.cfg.token, q))
	return q
}

// Authenticate runs the gateway's query checks on r: appkey, timestamp
// within the skew window of the server clock, and signature. It returns nil
// or an *ErrorReply with CodeBadParameter or CodeUnauthorized. Handlers
// mounted with Mount (such as a WebSocket endpoint) call it themselves.
func (s *Server) Authenticate(r *http.Request) error {
	if e := s.authenticate(r.URL.RawQuery); e != nil {
		return e
	}
	return nil
}

func (s *Server) authenticate(rawQuery string) *ErrorReply {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return Errorf(CodeBadParameter, "malformed query string: %v", err)
	}
	if e := checkQueryShape(q); e != nil {
		return e
	}
	if q.Get("appkey") != s.cfg.appKey {
		return Errorf(CodeUnauthorized, "appkey %q is not known to this gateway", q.Get("appkey"))
	}
	if e := s.checkTimestamp(q.Get("timestamp")); e != nil {
		return e
	}
	return s.checkSignature(q)
}

// checkQueryShape requires each signed parameter exactly once: with a
// repeated key the signer and the verifier could read different values.
func checkQueryShape(q url.Values) *ErrorReply {
	for k, v := range q {
		if len(v) > 1 {
			return Errorf(CodeBadParameter, "query parameter %q is repeated", k)
		}
	}
	for _, k := range []string{"appkey", "timestamp", "signature"} {
		if q.Get(k) == "" {
			return Errorf(CodeBadParameter, "query parameter %q is missing", k)
		}
	}
	return nil
}

func (s *Server) checkTimestamp(v string) *ErrorReply {
	ts, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return Errorf(CodeBadParameter, "timestamp %q is not Unix seconds", v)
	}
	now := s.cfg.clock.Now()
	if t := time.Unix(ts, 0); t.Before(now.Add(-s.cfg.window)) || t.After(now.Add(s.cfg.window)) {
		return Errorf(CodeUnauthorized, "timestamp %d is outside the ±%s window around gateway time %d",
			ts, s.cfg.window, now.Unix())
	}
	return nil
}

func (s *Server) checkSignature(q url.Values) *ErrorReply {
	got := q.Get("signature")
	want := Sign(s.cfg.token, q)
	if hmac.Equal([]byte(got), []byte(want)) {
		return nil
	}
	if strings.Contains(got, " ") {
		return Errorf(CodeUnauthorized, "signature mismatch: it contains a space, so a '+' was probably sent without URL-encoding")
	}
	return Errorf(CodeUnauthorized, "signature mismatch")
}
