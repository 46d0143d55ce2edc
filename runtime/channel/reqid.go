package channel

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
)

// signQuery returns the aPaaS signature of q: every key except signature,
// sorted, raw k=v joined by '&', HMAC-SHA256 keyed by token, standard base64.
// It is kept local (not runtime.Sign) so that the runtime may import this
// package without a cycle; channeltest checks it against runtime.Sign.
func signQuery(token string, q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + q.Get(k)
	}
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte(strings.Join(parts, "&")))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// NewReqID returns a fresh drive ID as the protocol wants it: 32 lowercase
// hex characters, no dashes, from crypto/rand.
func NewReqID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails since Go 1.24 (it crashes the program instead)
	return hex.EncodeToString(b[:])
}

// ValidReqID reports whether id is 32 lowercase hex characters.
func ValidReqID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
