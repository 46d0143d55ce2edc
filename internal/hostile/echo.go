package hostile

// The echo gateway: it sends every credential it receives back to the
// client, in every encoding a careless gateway or proxy might use.

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// Reply is what the echo server answers to one request; Body and the
// Retry-After value may use Echo to hold the request's secrets.
type Reply struct {
	Status     int
	RetryAfter string
	Body       string
}

// Script picks the reply to the n-th request (from 1) on path; echo holds
// every secret seen so far, in every encoding, JSON-safe.
type Script func(path string, n int, echo string) Reply

// Echo is an HTTP gateway that echoes secrets.
type Echo struct {
	URL     string
	secrets []string // planted by the test: the token and others
	mu      sync.Mutex
	seen    []string // every secret received: signatures, header values, queries
	hits    map[string]int
}

// NewEcho starts an echo server that also echoes planted (the token, which
// a real gateway knows); it closes with the test.
func NewEcho(t *testing.T, script Script, planted ...string) *Echo {
	e := &Echo{secrets: planted, hits: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		n, echo := e.record(r, body)
		rep := script(r.URL.Path, n, echo)
		if rep.RetryAfter != "" {
			w.Header().Set("Retry-After", rep.RetryAfter)
		}
		w.Header().Set("X-Echo", sanitizeHeader(echo))
		w.WriteHeader(rep.Status)
		_, _ = io.WriteString(w, rep.Body)
	}))
	t.Cleanup(srv.Close)
	e.URL = srv.URL
	return e
}

func (e *Echo) record(r *http.Request, body []byte) (int, string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.hits[r.URL.Path]++
	sig := r.URL.Query().Get("signature")
	e.seen = append(e.seen, sig, r.URL.RawQuery, string(body))
	for k, vs := range r.Header {
		if k != "Content-Type" && k != "User-Agent" && k != "Content-Length" && k != "Accept-Encoding" {
			e.seen = append(e.seen, vs...)
		}
	}
	all := append(append([]string{}, e.secrets...), e.seen...)
	return e.hits[r.URL.Path], Encodings(all...)
}

// Signatures returns every signature the server received.
func (e *Echo) Signatures() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for i := 0; i < len(e.seen); i++ {
		if looksLikeSignature(e.seen[i]) {
			out = append(out, e.seen[i])
		}
	}
	return out
}

func looksLikeSignature(s string) bool {
	b, err := base64.StdEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// Encodings writes each secret raw and in the encodings a gateway may echo
// it in, as the body of a JSON string: percent-encoded upper and lower
// case, JSON-escaped (\/ and \u00XX), base64 and base64url, followed by
// control characters and padding that a message cap must cut.
func Encodings(secrets ...string) string {
	var b strings.Builder
	for _, s := range secrets {
		if s == "" {
			continue
		}
		q := url.QueryEscape(s)
		fmt.Fprintf(&b, " raw=%s q=%s lower=%s json=%s uni=%s b64=%s b64url=%s",
			jsonRaw(s), jsonRaw(q), jsonRaw(lowerHex(q)), strings.ReplaceAll(jsonRaw(s), "/", `\/`),
			uniEscape(s), base64.StdEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s)))
		fmt.Fprintf(&b, " url64=%s url=https://evil.example/x?leak=%s", jsonRaw(urlForm(s)), jsonRaw(q))
	}
	b.WriteString(` ctl=\u001b[31m\r\nFAKE LOG LINE\u0007 `)
	b.WriteString(strings.Repeat("A", 5000))
	return b.String()
}

// jsonRaw escapes s for the inside of a JSON string.
func jsonRaw(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// uniEscape writes every non-alphanumeric byte of s as \u00XX.
func uniEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, `\u%04x`, c)
		}
	}
	return b.String()
}

func lowerHex(q string) string {
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		if q[i] == '%' && i+2 < len(q) {
			b.WriteString("%" + strings.ToLower(q[i+1:i+3]))
			i += 2
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

func sanitizeHeader(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)[:min(len(s), 4000)]
}

// Forms returns s in the forms a leak check must look for: raw, percent
// encoded (both cases), base64 and base64url.
func Forms(s string) []string {
	q := url.QueryEscape(s)
	return []string{s, q, lowerHex(q), base64.StdEncoding.EncodeToString([]byte(s)),
		base64.RawURLEncoding.EncodeToString([]byte(s)), urlForm(s)}
}

// urlForm rewrites standard base64 as base64url without padding.
func urlForm(s string) string {
	return strings.TrimRight(strings.NewReplacer("+", "-", "/", "_").Replace(s), "=")
}
