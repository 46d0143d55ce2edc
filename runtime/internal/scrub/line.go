package scrub

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Caps on server-provided text: MaxLen for one field (a Message, a
// FailMessage, a body snippet), MaxCauseLen for the text of a wrapped
// cause, which may quote several such fields.
const (
	MaxLen      = 512
	MaxCauseLen = 2048
)

// truncated ends text cut at a cap.
const truncated = "…[truncated]"

// Line returns t with secrets-by-shape removed, control and other
// non-printable characters escaped Go-style (\n, \x1b, \u202e), as one line
// of at most MaxLen bytes (a longer one ends "…[truncated]").
func Line(t string) string { return capped(Shape(t), MaxLen) }

// Cause is Line with the larger MaxCauseLen cap, for a cause's Error().
func Cause(t string) string { return capped(Shape(t), MaxCauseLen) }

// capped escapes t and cuts it to at most n bytes, the marker included,
// never inside an escape or a rune.
func capped(t string, n int) string {
	if len(t) <= n && printable(t) {
		return t
	}
	var b strings.Builder
	for _, r := range t {
		var piece string
		if r == utf8.RuneError || !strconv.IsPrint(r) {
			q := strconv.QuoteRune(r)
			piece = q[1 : len(q)-1]
		} else {
			piece = string(r)
		}
		if b.Len()+len(piece) > n-len(truncated) {
			b.WriteString(truncated)
			break
		}
		b.WriteString(piece)
	}
	return b.String()
}

func printable(t string) bool {
	for _, r := range t {
		if r == utf8.RuneError || !strconv.IsPrint(r) {
			return false
		}
	}
	return true
}

// Shape removes what is secret by its shape: the query of every
// URL-looking token (it may carry a signature, a bearer credential) and
// any signature= value.
func Shape(s string) string {
	if !strings.ContainsAny(s, "?=%") {
		return s
	}
	var b strings.Builder
	for tok := range tokens(s) {
		b.WriteString(shapeToken(tok))
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
	case ' ', '\t', '\r', '\n', '"', '\'', '`', '<', '>', '(', ')', '[', ']', '{', '}', ',', ';', '\\':
		return true
	}
	return false
}

func shapeToken(t string) string {
	if i := strings.IndexByte(t, '?'); i >= 0 && strings.Contains(t[:i], "/") {
		return t[:i]
	}
	if strings.Contains(strings.ToLower(t), "signature") && strings.ContainsAny(t, "=%") {
		return Redacted
	}
	return t
}

// URL returns raw without userinfo, query or fragment.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			raw = raw[:i]
		}
		return Shape(raw)
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}
