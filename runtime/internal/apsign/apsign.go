// Package apsign computes the aPaaS query signature. It is the one
// implementation shared by the runtime (HTTP calls) and package channel
// (WebSocket handshakes), which cannot import the runtime without a cycle.
package apsign

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
)

// StringToSign returns the string the signature covers: every query
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
// token, still raw: '+', '/' and '=' must be query-escaped.
func Sign(token string, q url.Values) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte(StringToSign(q)))
	var sum [sha256.Size]byte
	return base64.StdEncoding.EncodeToString(m.Sum(sum[:0]))
}
