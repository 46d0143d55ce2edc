package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/scrub"
)

// International and Mainland are the two aPaaS gateways. They are separate
// deployments: the runtime never fails over between them (RETRY-9).
const (
	International = "https://gw-sg.tvs.qq.com"
	Mainland      = "https://gw.tvs.qq.com"
)

// Defaults of the client options.
const (
	DefaultAttemptTimeout   = 30 * time.Second
	DefaultMaxResponseBytes = 10 << 20
	DefaultUserAgent        = "ivhgen-go/1"
)

// Client carries credentials, endpoint and policy. It is safe for
// concurrent use. Generated clients embed one; users create it through the
// generated NewClient.
type Client struct {
	appKey     string
	token      Secret
	base       *url.URL
	doer       func() Doer // behind a closure: its connections buffer signed requests
	transport  built       // what the runtime knows of doer
	closed     atomic.Bool
	timeout    time.Duration
	maxBody    int64
	policy     RetryPolicy
	budget     *bucket
	logger     *slog.Logger
	hooks      *hookList // nil without a logger or hooks
	clock      Clock
	sleeper    Sleeper
	rand       func() float64
	headers    func() http.Header // behind a closure: values are secrets (WithHeader)
	secrets    scrub.Set          // token and header values, scrubbed from all server text
	recent     func() *recentSigs // behind a closure: signatures are secrets
	validate   bool
	codes      codeTable
	skew       skewTracker
	signers    *sync.Pool // *signer keyed by token
	signPrefix []byte     // "appkey=<raw appkey>&timestamp="
	appKeyEsc  string     // the appkey query-escaped
	ctValue    []string   // shared header values, never mutated
	uaValue    []string
	setup      *setup // options that only matter while NewClient runs
}

type setup struct {
	transportSettings
	baseURL   string
	budgetCfg *RetryBudget
	userAgent string
	hooks     []Hooks
	headers   http.Header
}

// NewClient returns a client for appKey and accessToken.
func NewClient(appKey, accessToken string, opts ...Option) (*Client, error) {
	c := &Client{
		appKey: appKey, token: NewSecret(accessToken), timeout: DefaultAttemptTimeout,
		maxBody: DefaultMaxResponseBytes, policy: DefaultRetryPolicy(), clock: SystemClock{},
		sleeper: SystemClock{}, rand: rand.Float64,
		validate: true, codes: newCodeTable(),
		setup: &setup{baseURL: International, budgetCfg: DefaultRetryBudget(), userAgent: DefaultUserAgent, headers: http.Header{}},
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if err := c.finish(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Client) finish() error {
	var missing []string
	if c.appKey == "" {
		missing = append(missing, "appKey")
	}
	if c.token.IsZero() {
		missing = append(missing, "accessToken")
	}
	if len(missing) > 0 {
		return fmt.Errorf("ivhrt: %s required", strings.Join(missing, " and "))
	}
	base, err := parseBaseURL(c.setup.baseURL)
	if err != nil {
		return err
	}
	c.base = base
	d, tr, err := c.setup.build()
	if err != nil {
		return err
	}
	c.doer, c.transport = func() Doer { return d }, tr
	c.budget = newBucket(c.setup.budgetCfg)
	if c.logger != nil {
		c.setup.hooks = append([]Hooks{loggerHooks(c.logger)}, c.setup.hooks...)
	}
	c.hooks = newHookList(c.setup.hooks)
	c.policy = c.policy.withDefaults()
	if c.logger != nil && c.setup.proxy != nil {
		c.logger.Debug("apaas proxy configured", "proxy", redactProxy(c.setup.proxy))
	}
	c.signers = newSignerPool(c.token)
	c.signPrefix = []byte("appkey=" + c.appKey + "&timestamp=")
	c.appKeyEsc = url.QueryEscape(c.appKey)
	c.ctValue = []string{"application/json;charset=utf-8"}
	c.uaValue = []string{c.setup.userAgent}
	c.headers, c.secrets = hideHeaders(c.token, c.setup.headers)
	recent := new(recentSigs)
	c.recent = func() *recentSigs { return recent }
	c.setup = nil
	return nil
}

func parseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(s, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("ivhrt: base URL %q must be an absolute http(s) URL", stripURL(s))
	}
	if u.RawQuery != "" || u.User != nil || u.Fragment != "" {
		return nil, errors.New("ivhrt: base URL must not carry userinfo, query or fragment")
	}
	return u, nil
}

// ErrClientClosed is returned by calls on a client after Close.
var ErrClientClosed = errors.New("client is closed")

// usable reports whether c came from NewClient.
func (c *Client) usable() bool { return c != nil && c.base != nil }

// BaseURL returns the gateway base URL the client calls ("" for a zero
// Client).
func (c *Client) BaseURL() string {
	if !c.usable() {
		return ""
	}
	return c.base.String()
}

// AppKey returns the application key.
func (c *Client) AppKey() string {
	if c == nil {
		return ""
	}
	return c.appKey
}

// Now returns the client's estimate of server time: its clock plus the
// measured skew offset. Signatures use it.
func (c *Client) Now() time.Time {
	if !c.usable() {
		return SystemClock{}.Now()
	}
	return c.clock.Now().Add(c.skew.get())
}

// ClockOffset returns the measured server-minus-local clock offset.
func (c *Client) ClockOffset() time.Duration {
	if !c.usable() {
		return 0
	}
	return c.skew.get()
}

// SignedQuery returns the signed query (appkey, timestamp, signature and
// extra) at the client's corrected time; the WebSocket channel passes
// extra = {"requestid": {sessionID}}. A zero Client returns nil.
func (c *Client) SignedQuery(extra url.Values) url.Values {
	if !c.usable() {
		return nil
	}
	return SignedQuery(c.appKey, c.token, c.Now(), extra)
}

// String describes the client without secrets.
func (c *Client) String() string {
	return fmt.Sprintf("ivhrt.Client{AppKey:%q BaseURL:%q AccessToken:%s}", c.AppKey(), c.BaseURL(), redacted)
}

// MarshalJSON encodes the description String gives, without secrets.
func (c *Client) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct{ AppKey, BaseURL, AccessToken string }{c.AppKey(), c.BaseURL(), redacted})
}

// GoString is String, so %#v hides the secrets too.
func (c *Client) GoString() string { return c.String() }

// Format prints String under every verb.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// CloseIdleConnections closes idle connections of the client's transport
// when it supports that (the default transport and *http.Client do). With
// the shared default transport that includes other clients' idle
// connections, which costs them a redial and nothing else.
func (c *Client) CloseIdleConnections() {
	if c == nil || c.doer == nil {
		return
	}
	if ci, ok := c.doer().(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// Close makes later calls fail with ErrClientClosed and closes the idle
// connections of a transport the client owns (one built for WithProxy or
// WithTLSConfig). Clients without transport options share one default
// transport, whose idle connections time out after 90 s; a transport given
// with WithHTTPClient or WithDoer is the caller's to close. Calls in flight
// finish. Close is idempotent and always returns nil.
func (c *Client) Close() error {
	if c == nil {
		return nil
	}
	c.closed.Store(true)
	if c.transport.owned != nil {
		c.transport.owned.CloseIdleConnections()
	}
	return nil
}

// hideHeaders puts the custom headers behind a closure and returns the
// scrubber of the client's secrets: the token and every header value.
func hideHeaders(token Secret, h http.Header) (func() http.Header, scrub.Set) {
	secrets := []string{token.Reveal()}
	for _, vs := range h {
		secrets = append(secrets, vs...)
	}
	return func() http.Header { return h }, scrub.New(secrets...)
}
