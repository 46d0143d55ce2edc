// Package scrub is the one redactor of the runtime and package channel:
// every error type and log record passes server-provided text through it.
//
// Two layers:
//   - Set.Text and Set.Bytes replace known secrets (the access token, custom
//     header values, every signature sent in the call, the queries of URLs
//     in the request) in whatever encoding a server echoes them: raw,
//     percent-encoded in either case, JSON-escaped (\/, \u002b), nested
//     (JSON around percent), standard base64 or base64url, padded or not.
//   - Line removes what is secret by shape (the query of every URL-looking
//     token, any signature= parameter), escapes control characters and caps
//     the result at MaxLen bytes.
package scrub

import (
	"bytes"
	"encoding/base64"
	"strings"
)

// Redacted replaces every secret.
const Redacted = "[REDACTED]"

// MinLen is the shortest secret that is scrubbed: a shorter one would
// blank out ordinary words, and is too short to be worth stealing.
const MinLen = 4

// Set is a set of secrets. It keeps them behind a closure, so that no
// reflection-based printer (fmt's %+v of a holder, testify's diff, spew)
// can reach them. The zero Set holds nothing.
type Set struct{ groups func() [][][]byte }

// New returns a set of secrets and the forms they are echoed in.
func New(secrets ...string) Set {
	n := make([][]byte, 0, formsPer*len(secrets))
	for _, s := range secrets {
		n = appendForms(n, s)
	}
	if len(n) == 0 {
		return Set{}
	}
	g := [][][]byte{n}
	return Set{groups: func() [][][]byte { return g }}
}

// Join returns the union of sets without copying their secrets.
func Join(sets ...Set) Set {
	g := make([][][]byte, 0, len(sets))
	for _, s := range sets {
		if s.groups != nil {
			g = append(g, s.groups()...)
		}
	}
	return Set{groups: func() [][][]byte { return g }}
}

func (s Set) list() [][][]byte {
	if s.groups == nil {
		return nil
	}
	return s.groups()
}

// formsPer is the most forms appendForms adds for one secret.
const formsPer = 4

// appendForms adds s as it is and the base64 forms a server might turn it
// into: s itself as base64url (s may be a signature), s encoded as base64
// and as base64url, all unpadded so that padded copies match too.
// Encodings that decode back to s (percent, JSON) are undone in the text
// instead. One buffer holds them all: this runs once per request.
func appendForms(n [][]byte, s string) [][]byte {
	if len(s) < MinLen {
		return n
	}
	enc := base64.StdEncoding.EncodedLen(len(s))
	buf := make([]byte, 0, 2*len(s)+2*enc)
	t := strings.TrimRight(s, "=") // padding is optional when echoed
	if len(t) < MinLen {
		t = s
	}
	buf = append(buf, t...)
	n = append(n, buf[:len(t)])
	if strings.ContainsAny(t, "+/") {
		at := len(buf)
		for i := 0; i < len(t); i++ {
			buf = append(buf, url64(t[i]))
		}
		n = append(n, buf[at:])
	}
	for _, e := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		at := len(buf)
		buf = e.AppendEncode(buf, []byte(s))
		n = append(n, buf[at:])
	}
	return n
}

func url64(c byte) byte {
	switch c {
	case '+':
		return '-'
	case '/':
		return '_'
	}
	return c
}

// Text returns t with every secret of s replaced by Redacted.
func (s Set) Text(t string) string {
	if b, ok := s.redact([]byte(t)); ok {
		return string(b)
	}
	return t
}

// Bytes returns b with every secret of s replaced by Redacted; b itself
// when it holds none. A replaced span covers whole escape sequences, so a
// JSON document stays valid.
func (s Set) Bytes(b []byte) []byte {
	if r, ok := s.redact(b); ok {
		return r
	}
	return b
}

// Line is s.Text followed by Line.
func (s Set) Line(t string) string { return Line(s.Text(t)) }

func (s Set) redact(src []byte) ([]byte, bool) {
	groups := s.list()
	if len(groups) == 0 || len(src) < MinLen {
		return src, false
	}
	var hits []span
	v := view{text: src} // from == nil: each byte is its own origin
	for level := 0; ; level++ {
		for _, needles := range groups {
			hits = v.find(needles, hits)
		}
		if level == maxLayers || !hasEscapes(v.text) {
			break
		}
		v = v.decode()
	}
	if len(hits) == 0 {
		return src, false
	}
	return replace(src, hits), true
}

// maxLayers bounds how many nested encodings are undone (JSON around
// percent around percent).
const maxLayers = 3

func hasEscapes(b []byte) bool { return bytes.IndexByte(b, '%') >= 0 || bytes.IndexByte(b, '\\') >= 0 }
