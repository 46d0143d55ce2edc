package channel_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"sort"
)

// independentSign is the signing rule re-implemented from the vendor's
// description, not from package apsign.
func independentSign(tok string, q url.Values) string {
	var keys []string
	for k := range q {
		if k != "signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	s := ""
	for i, k := range keys {
		if i > 0 {
			s += "&"
		}
		s += k + "=" + q.Get(k)
	}
	m := hmac.New(sha256.New, []byte(tok))
	m.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
