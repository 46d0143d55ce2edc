package fakegw

import (
	"errors"
	"time"
)

// Defaults used when no option overrides them.
const (
	DefaultAppKey       = "fake-appkey"
	DefaultAccessToken  = "fake-access-token"
	DefaultSkewWindow   = 5 * time.Minute
	DefaultMaxBodyBytes = 10 << 20
)

type config struct {
	appKey   string
	token    string
	clock    Clock
	window   time.Duration
	maxBody  int64
	validate bool
	tls      bool
	addr     string
}

func defaultConfig() config {
	return config{
		appKey:   DefaultAppKey,
		token:    DefaultAccessToken,
		clock:    ClockFunc(time.Now),
		window:   DefaultSkewWindow,
		maxBody:  DefaultMaxBodyBytes,
		validate: true,
	}
}

// Option configures a Server.
type Option func(*config) error

// WithCredentials sets the appkey the gateway accepts and the access token
// it verifies signatures with.
func WithCredentials(appKey, accessToken string) Option {
	return func(c *config) error {
		if appKey == "" || accessToken == "" {
			return errors.New("WithCredentials: appKey and accessToken must not be empty")
		}
		c.appKey, c.token = appKey, accessToken
		return nil
	}
}

// WithClock sets the gateway clock (default: the real clock).
func WithClock(clock Clock) Option {
	return func(c *config) error {
		if clock == nil {
			return errors.New("WithClock: clock must not be nil")
		}
		c.clock = clock
		return nil
	}
}

// WithSkewWindow sets how far a request timestamp may be from the gateway
// clock, either way (default 5 minutes).
func WithSkewWindow(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return errors.New("WithSkewWindow: window must not be negative")
		}
		c.window = d
		return nil
	}
}

// WithMaxBodyBytes sets the largest request body accepted (default 10 MiB).
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("WithMaxBodyBytes: limit must be positive")
		}
		c.maxBody = n
		return nil
	}
}

// WithoutPayloadValidation stops HandleFunc from calling the request type's
// Validate method, so handlers see payloads the real gateway might refuse.
func WithoutPayloadValidation() Option {
	return func(c *config) error { c.validate = false; return nil }
}

// WithTLS serves HTTPS with a self-signed certificate; HTTPClient returns a
// client that trusts it.
func WithTLS() Option {
	return func(c *config) error { c.tls = true; return nil }
}

// WithAddr serves on addr (host:port; port 0 picks one) instead of a
// random loopback port, for a fake that other processes connect to.
func WithAddr(addr string) Option {
	return func(c *config) error {
		if addr == "" {
			return errors.New("WithAddr: addr must not be empty")
		}
		c.addr = addr
		return nil
	}
}
