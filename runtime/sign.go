package runtime

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// StringToSign returns the string the aPaaS signature covers: every query
// parameter except signature, sorted by key (byte order), joined as raw
// k=v pairs with '&'. Only the first value of a key counts.
func StringToSign(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(q.Get(k))
	}
	return b.String()
}

// Sign returns the standard-base64 HMAC-SHA256 of StringToSign(q) keyed by
// token. The result is raw: put it in a url.Values (or QueryEscape it) so
// that '+', '/' and '=' are encoded.
func Sign(token string, q url.Values) string {
	return signString(token, StringToSign(q))
}

func signString(token, msg string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte(msg))
	var sum [sha256.Size]byte
	return base64.StdEncoding.EncodeToString(m.Sum(sum[:0]))
}

// SignedQuery returns appkey, timestamp (Unix seconds of now), the extra
// parameters and their signature, ready for url.Values.Encode. The WebSocket
// command channel passes extra = {"requestid": {sessionID}}.
func SignedQuery(appKey string, token Secret, now time.Time, extra url.Values) url.Values {
	q := make(url.Values, len(extra)+3)
	for k, v := range extra {
		q[k] = v
	}
	q.Set("appkey", appKey)
	q.Set("timestamp", strconv.FormatInt(now.Unix(), 10))
	q.Set("signature", Sign(token.Reveal(), q))
	return q
}

// signedRawQuery is the hot-path form of SignedQuery with no extra
// parameters: the same bytes url.Values.Encode would produce.
func signedRawQuery(appKey string, token Secret, now time.Time) string {
	ts := strconv.FormatInt(now.Unix(), 10)
	sig := signString(token.Reveal(), "appkey="+appKey+"&timestamp="+ts)
	return "appkey=" + url.QueryEscape(appKey) + "&signature=" + url.QueryEscape(sig) + "&timestamp=" + ts
}
