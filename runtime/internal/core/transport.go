package core

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"golang.org/x/net/http2"
)

// Doer sends one HTTP request; *http.Client implements it. A Doer given
// with WithDoer is used as is (an *http.Client is copied with redirects
// turned off): it must not follow redirects.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Middleware wraps the transport, RoundTripper style (WithMiddleware).
type Middleware func(http.RoundTripper) http.RoundTripper

// NewTransport returns the default transport (HTTP-1): a clone of
// http.DefaultTransport (proxy from the environment) with 16 idle
// connections per host, 90 s idle timeout, 10 s TLS handshake, TLS ≥ 1.2.
// Its HTTP/2 is golang.org/x/net/http2, which rewinds a request body only
// after REFUSED_STREAM, a GOAWAY below the stream or a connection that
// was unusable before the request: net/http's bundled HTTP/2 also rewinds
// after a peer's PROTOCOL_ERROR, when the server may have acted (§1.3).
func NewTransport() *http.Transport {
	t, _ := newTransport(nil)
	return t
}

// newTransport builds the default transport with TLS settings cfg (nil for
// the defaults) and reports whether its HTTP/2 is the x/net one.
func newTransport(cfg *tls.Config) (*http.Transport, bool) {
	t := &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true, MaxIdleConns: 100,
		ExpectContinueTimeout: time.Second}
	if d, ok := http.DefaultTransport.(*http.Transport); ok {
		t = d.Clone() // someone may have replaced DefaultTransport
	}
	t.MaxIdleConnsPerHost = 16
	t.IdleConnTimeout = 90 * time.Second
	t.TLSHandshakeTimeout = 10 * time.Second
	t.TLSClientConfig = cfg.Clone()
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{}
	}
	t.TLSClientConfig.MinVersion = max(t.TLSClientConfig.MinVersion, tls.VersionTLS12)
	t.TLSNextProto = nil // a clone of a used DefaultTransport may carry the bundled h2
	//lint:ignore SA1019 net/http's own HTTP/2 (what Protocols selects) rewinds bodies after PROTOCOL_ERROR; x/net's does not
	_, err := http2.ConfigureTransports(t)
	return t, err == nil
}

// sharedTransport serves every client built without transport options, so
// that clients dropped without Close do not each keep a connection pool.
var sharedTransport = sync.OnceValues(func() (*http.Transport, bool) { return newTransport(nil) })

// noRedirect stops http.Client from following redirects (HTTP-3): the
// signed query must not travel to another host.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

type doerTransport struct{ d Doer }

// RoundTrip sends r through the Doer.
func (t doerTransport) RoundTrip(r *http.Request) (*http.Response, error) { return t.d.Do(r) }

// transportSettings are the options that shape the Doer; they only matter
// while NewClient runs.
type transportSettings struct {
	httpClient *http.Client
	doer       Doer
	proxy      *url.URL
	tlsConfig  *tls.Config
	middleware []Middleware
}

// built is what build returns besides the Doer.
type built struct {
	// trusted: the Doer is the runtime's own transport without
	// middleware, so a refused rewind proves the server processed nothing.
	trusted bool
	// ctxBodies: the round tripper is net/http's, whose response bodies
	// end when the request context does.
	ctxBodies bool
	owned     *http.Transport // closed by Client.Close; nil for the shared one
}

// build returns the Doer the client sends through.
func (s *transportSettings) build() (Doer, built, error) {
	var b built
	if (s.proxy != nil || s.tlsConfig != nil) && (s.httpClient != nil || s.doer != nil) {
		return nil, b, errors.New("ivhrt: WithProxy and WithTLSConfig apply to the default transport; configure your own HTTP client instead")
	}
	if s.httpClient != nil && s.doer != nil {
		return nil, b, errors.New("ivhrt: WithHTTPClient and WithDoer are mutually exclusive")
	}
	if hc, ok := s.doer.(*http.Client); ok {
		s.httpClient, s.doer = hc, nil // gets the same redirect guard
	}
	if s.doer != nil && len(s.middleware) == 0 {
		return s.doer, b, nil
	}
	var rt http.RoundTripper
	hc := http.Client{}
	switch {
	case s.doer != nil:
		rt = doerTransport{s.doer}
	case s.httpClient != nil:
		hc = *s.httpClient
		rt = hc.Transport
		if rt == nil {
			rt = http.DefaultTransport
		}
	case s.proxy == nil && s.tlsConfig == nil:
		rt, b.trusted = sharedTransport()
	default:
		t, trusted := newTransport(s.tlsConfig)
		if s.proxy != nil {
			t.Proxy = http.ProxyURL(s.proxy)
		}
		rt, b.trusted, b.owned = t, trusted, t
	}
	_, std := rt.(*http.Transport)
	b.ctxBodies = std && len(s.middleware) == 0
	b.trusted = b.trusted && len(s.middleware) == 0
	for i := len(s.middleware) - 1; i >= 0; i-- {
		rt = s.middleware[i](rt)
	}
	hc.Transport = rt
	hc.CheckRedirect = noRedirect
	return &hc, b, nil
}

// redactProxy returns a proxy URL fit for logs: no userinfo, no query.
func redactProxy(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

// maxErrorBody bounds what is read of a non-2xx body: enough for an
// envelope or a snippet, never worth more.
const maxErrorBody = 64 << 10

// readBody reads at most max bytes of a 2xx body; a longer one is discarded
// and ErrResponseTooLarge returned. Other statuses keep at most
// maxErrorBody bytes and drop the rest. The body is always closed.
func readBody(r *http.Response, max int64) ([]byte, error) {
	ok2xx := r.StatusCode >= 200 && r.StatusCode < 300
	if !ok2xx {
		max = min(max, maxErrorBody)
	}
	size := int64(512)
	if r.ContentLength >= 0 && r.ContentLength <= max {
		size = r.ContentLength + 1
	}
	lr := io.LimitedReader{R: r.Body, N: max + 1}
	b, err := readAll(&lr, make([]byte, 0, size))
	if err == nil && int64(len(b)) > max {
		if ok2xx {
			err = fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, max)
		}
		b = b[:max]
	}
	if err == nil && lr.N > 0 {
		_ = r.Body.Close() // read to EOF: the connection is reusable as is
	} else {
		discard(r.Body)
	}
	return b, err
}

// readAll is io.ReadAll into b, on a concrete reader so that nothing
// escapes to the heap but b itself.
func readAll(r *io.LimitedReader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// discard drains at most 4 KiB so a small leftover does not cost the
// connection, then closes the body; a larger leftover closes the connection.
func discard(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, 4<<10)
	_ = body.Close()
}
