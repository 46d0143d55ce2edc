package core

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/apsign"
)

// StringToSign returns the string the aPaaS signature covers: every query
// parameter except signature, sorted by key (byte order), joined as raw
// k=v pairs with '&'. Only the first value of a key counts.
func StringToSign(q url.Values) string { return apsign.StringToSign(q) }

// Sign returns the standard-base64 HMAC-SHA256 of StringToSign(q) keyed by
// token. The result is raw: put it in a url.Values (or QueryEscape it) so
// that '+', '/' and '=' are encoded.
func Sign(token string, q url.Values) string { return apsign.Sign(token, q) }

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

// signer is a pooled HMAC keyed by the client's token, with scratch space,
// so the hot path neither re-derives the key nor allocates per signature.
type signer struct {
	h   hash.Hash
	buf []byte
}

func newSignerPool(token Secret) *sync.Pool {
	return &sync.Pool{New: func() any {
		return &signer{h: hmac.New(sha256.New, []byte(token.Reveal())), buf: make([]byte, 0, 64)}
	}}
}

// appendSignedQuery appends the query Do sends at time at: the same bytes
// SignedQuery(appKey, token, at, nil).Encode() gives.
func (c *Client) appendSignedQuery(dst []byte, at time.Time) []byte {
	s := c.signers.Get().(*signer)
	defer c.signers.Put(s)
	s.buf = strconv.AppendInt(s.buf[:0], at.Unix(), 10)
	s.h.Reset()
	s.h.Write(c.signPrefix)
	s.h.Write(s.buf)
	ts := len(s.buf)
	s.buf = s.h.Sum(s.buf)
	var sig [44]byte
	base64.StdEncoding.Encode(sig[:], s.buf[ts:])
	dst = append(dst, "appkey="...)
	dst = append(dst, c.appKeyEsc...)
	dst = append(dst, "&signature="...)
	for _, b := range sig {
		switch b {
		case '+':
			dst = append(dst, "%2B"...)
		case '/':
			dst = append(dst, "%2F"...)
		case '=':
			dst = append(dst, "%3D"...)
		default:
			dst = append(dst, b)
		}
	}
	dst = append(dst, "&timestamp="...)
	return append(dst, s.buf[:ts]...)
}
