package core

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// scrub removes what must never reach an error string or a log: the query
// of every URL-looking token (it carries the signature, a bearer
// credential) and any signature= value.
func scrub(s string) string {
	if !strings.ContainsAny(s, "?=") {
		return s
	}
	var b strings.Builder
	for tok := range tokens(s) {
		b.WriteString(scrubToken(tok))
	}
	return b.String()
}

// tokens yields s split into runs of delimiter and non-delimiter bytes, so
// that joining them gives s back.
func tokens(s string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for len(s) > 0 {
			d := isDelim(s[0])
			i := 1
			for i < len(s) && isDelim(s[i]) == d {
				i++
			}
			if !yield(s[:i]) {
				return
			}
			s = s[i:]
		}
	}
}

func isDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '"', '\'', '`', '<', '>', '(', ')', '[', ']', '{', '}', ',', ';':
		return true
	}
	return false
}

func scrubToken(t string) string {
	if i := strings.IndexByte(t, '?'); i >= 0 && strings.Contains(t[:i], "/") {
		return t[:i]
	}
	if strings.Contains(t, "signature=") || strings.Contains(t, "signature%3D") {
		return redacted
	}
	return t
}

// stripURL returns u without userinfo, query or fragment.
func stripURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			raw = raw[:i]
		}
		return scrub(raw)
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

// snippet returns at most 512 bytes of text as one scrubbed line. It
// scrubs before it cuts, so a secret straddling the cut cannot leave a
// prefix behind.
func snippet(text string) string {
	const max = 512
	s := strings.TrimSpace(scrub(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, text)))
	if len(s) > max {
		s = s[:max]
		for len(s) > 0 && !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}
