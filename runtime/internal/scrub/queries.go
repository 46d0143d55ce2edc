package scrub

import (
	"bytes"
	"net/url"
)

// minQueryValue is the shortest query value of a request URL treated as a
// secret on its own: shorter ones are formats and flags, not credentials.
const minQueryValue = 8

// QueriesIn returns what the URLs inside a request body (a pre-signed
// storage URL, say) hold after '?': each whole raw query, and each of its
// values of at least 8 bytes, decoded. A server that echoes them back must
// not hand them to a log.
func QueriesIn(body []byte) []string {
	var out []string
	for rest := body; ; {
		i := indexScheme(rest)
		if i < 0 {
			return out
		}
		rest = rest[i:]
		end := bytes.IndexAny(rest, "\" \t\r\n<>'`")
		if end < 0 {
			end = len(rest)
		}
		u := view{text: rest[:end]}.decode().text // \u0026 and \/ as JSON writes them
		if q := bytes.IndexByte(u, '?'); q >= 0 {
			out = appendQuery(out, string(u[q+1:]))
		}
		rest = rest[end:]
	}
}

// indexScheme returns where the first "://" (or JSON's ":\/\/") starts.
func indexScheme(b []byte) int {
	i, j := bytes.Index(b, []byte("://")), bytes.Index(b, []byte(`:\/\/`))
	switch {
	case i < 0:
		return j
	case j < 0:
		return i
	}
	return min(i, j)
}

func appendQuery(out []string, raw string) []string {
	out = append(out, raw)
	vals, _ := url.ParseQuery(raw)
	for _, vs := range vals {
		for _, v := range vs {
			if len(v) >= minQueryValue {
				out = append(out, v)
			}
		}
	}
	return out
}
