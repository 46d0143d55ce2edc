package core

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Option configures a Client.
type Option func(*Client) error

// WithBaseURL sets the gateway base URL: International (the default),
// Mainland, or any absolute http(s) URL (a test server).
func WithBaseURL(u string) Option {
	return func(c *Client) error { c.setup.baseURL = u; return nil }
}

// WithHTTPClient sends through h. Its Transport (and middleware) is kept;
// redirects are never followed whatever h.CheckRedirect says, and
// h.Timeout, if set, applies on top of the per-attempt timeout.
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) error {
		if h == nil {
			return errors.New("ivhrt: WithHTTPClient(nil)")
		}
		c.setup.httpClient = h
		return nil
	}
}

// WithDoer sends through d, which must not follow redirects (an
// *http.Client is treated as WithHTTPClient).
func WithDoer(d Doer) Option {
	return func(c *Client) error {
		if d == nil {
			return errors.New("ivhrt: WithDoer(nil)")
		}
		c.setup.doer = d
		return nil
	}
}

// WithMiddleware wraps the transport; the first middleware given is the
// outermost.
func WithMiddleware(m ...Middleware) Option {
	return func(c *Client) error { c.setup.middleware = append(c.setup.middleware, m...); return nil }
}

// WithTLSConfig gives the default transport its TLS settings (custom
// roots, client certificates); TLS 1.2 stays the minimum. The client then
// owns a transport of its own, which Close releases. cfg is cloned.
func WithTLSConfig(cfg *tls.Config) Option {
	return func(c *Client) error {
		if cfg == nil {
			return errors.New("ivhrt: WithTLSConfig(nil)")
		}
		c.setup.tlsConfig = cfg.Clone()
		return nil
	}
}

// WithProxy routes the default transport through the proxy at rawURL
// (HTTP-4). Its credentials never appear in logs or errors.
func WithProxy(rawURL string) Option {
	return func(c *Client) error {
		u, err := url.Parse(rawURL)
		if err != nil || u.Host == "" {
			return errors.New("ivhrt: WithProxy: not an absolute URL")
		}
		c.setup.proxy = u
		return nil
	}
}

// WithTimeout sets the per-attempt timeout (default 30 s). The caller's
// context deadline still bounds the whole call.
func WithTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("ivhrt: WithTimeout(%v) must be positive", d)
		}
		c.timeout = d
		return nil
	}
}

// WithMaxResponseBytes caps response bodies (default 10 MiB).
func WithMaxResponseBytes(n int64) Option {
	return func(c *Client) error {
		if n <= 0 {
			return fmt.Errorf("ivhrt: WithMaxResponseBytes(%d) must be positive", n)
		}
		c.maxBody = n
		return nil
	}
}

// WithRetryPolicy replaces the retry policy; zero fields keep their defaults.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) error { c.policy = p; return nil }
}

// WithRetryBudget configures the client's retry token bucket; nil disables
// it. The default is DefaultRetryBudget().
func WithRetryBudget(b *RetryBudget) Option {
	return func(c *Client) error { c.setup.budgetCfg = b; return nil }
}

// WithLogger logs call metadata (never secrets, queries or bodies) to l.
// Logging is off by default.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error { c.logger = l; return nil }
}

// WithClock sets the clock used for signing and skew measurement.
func WithClock(clk Clock) Option {
	return func(c *Client) error {
		if clk == nil {
			return errors.New("ivhrt: WithClock(nil)")
		}
		c.clock = clk
		return nil
	}
}

// WithSleeper sets what waits between attempts (tests inject a fake).
func WithSleeper(s Sleeper) Option {
	return func(c *Client) error {
		if s == nil {
			return errors.New("ivhrt: WithSleeper(nil)")
		}
		c.sleeper = s
		return nil
	}
}

// WithRand sets the jitter source; f must return values in [0, 1) and be
// safe for concurrent use.
func WithRand(f func() float64) Option {
	return func(c *Client) error {
		if f == nil {
			return errors.New("ivhrt: WithRand(nil)")
		}
		c.rand = f
		return nil
	}
}

// WithUserAgent sets the User-Agent header; a control character in ua is
// an error, as in WithHeader.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if !validHeaderValue(ua) {
			return errors.New("ivhrt: WithUserAgent: value holds a control character (CR, LF, NUL, ...)")
		}
		c.setup.userAgent = ua
		return nil
	}
}

// WithHeader adds a header to every request. Its value is treated as a
// secret: never logged, and scrubbed from every error and log record.
// A key or value net/http would refuse to send is an error here, so that it
// cannot fail every call as a transport error.
func WithHeader(key, value string) Option {
	return func(c *Client) error {
		if http.CanonicalHeaderKey(key) == "Idempotency-Key" || http.CanonicalHeaderKey(key) == "X-Idempotency-Key" {
			return errors.New("ivhrt: idempotency-key headers would make net/http replay creates; not allowed")
		}
		if !validHeaderKey(key) {
			return fmt.Errorf("ivhrt: WithHeader: %q is not a valid header name", key)
		}
		if !validHeaderValue(value) {
			// The value may be a credential: never echo it.
			return fmt.Errorf("ivhrt: WithHeader(%q): value holds a control character (CR, LF, NUL, ...)", key)
		}
		c.setup.headers.Add(key, value)
		return nil
	}
}

// validHeaderKey reports whether k is a non-empty RFC 9110 token.
func validHeaderKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// validHeaderValue reports whether v holds no control character but tab.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// WithoutClockSkewCorrection stops the client from adjusting its signing
// time to the server's Date header.
func WithoutClockSkewCorrection() Option {
	return func(c *Client) error { c.skew.disabled = true; return nil }
}

// WithCodes adds documented codes to the client's code table; an entry
// with an empty Category keeps the built-in category.
func WithCodes(codes []CodeInfo) Option {
	return func(c *Client) error { c.codes.merge(codes); return nil }
}

// WithoutValidation turns off request validation before sending.
func WithoutValidation() Option {
	return func(c *Client) error { c.validate = false; return nil }
}

// CallOption configures one call.
type CallOption func(*callConfig)

type callConfig struct {
	requestID    string
	skipValidate bool
	retryNonIdem bool
	header       *ResponseHeader
	raw          *RawResponse
}

// WithRequestID sets the Header.RequestID of one call (default: a random
// UUIDv4). Every attempt of the call carries it.
func WithRequestID(id string) CallOption { return func(cc *callConfig) { cc.requestID = id } }

// SkipValidation turns off request validation for one call.
func SkipValidation() CallOption { return func(cc *callConfig) { cc.skipValidate = true } }

// WithRetryNonIdempotent lets one non-idempotent call (a create) retry
// after ambiguous failures. Use it only when you reconcile duplicates
// yourself: the server may process the request more than once.
func WithRetryNonIdempotent() CallOption { return func(cc *callConfig) { cc.retryNonIdem = true } }

// WithResponseHeader stores the response Header of a successful call in h.
func WithResponseHeader(h *ResponseHeader) CallOption { return func(cc *callConfig) { cc.header = h } }
