package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// ChannelOption adjusts the settings of a command channel. Options run
// before the client fills in the endpoint, the credentials, the clock and
// the session check, so they never see the access token and cannot replace
// those.
type ChannelOption func(*ChannelSettings)

// ChannelSettings are what ChannelOption values may set; package ivhimpl
// copies them into the channel's configuration. It holds no channel types,
// so the HTTP core does not link the WebSocket library.
type ChannelSettings struct {
	Heartbeat     time.Duration
	MaxReconnects int
	Backoff       func(attempt int) time.Duration
	Logger        *slog.Logger
}

// WithHeartbeat sets the SEND_HEARTBEAT interval (30 s to 10 min; the
// channel rejects anything else).
func WithHeartbeat(d time.Duration) ChannelOption {
	return func(c *ChannelSettings) { c.Heartbeat = d }
}

// WithReconnect sets how often (max consecutive failed attempts) and how
// patiently (backoff before attempt n; nil keeps the default) a dropped
// channel reconnects.
func WithReconnect(max int, backoff func(attempt int) time.Duration) ChannelOption {
	return func(c *ChannelSettings) {
		c.MaxReconnects = max
		if backoff != nil {
			c.Backoff = backoff
		}
	}
}

// WithChannelLogger sends the channel's drop and reconnect reports to l
// instead of the client's logger.
func WithChannelLogger(l *slog.Logger) ChannelOption {
	return func(c *ChannelSettings) { c.Logger = l }
}

// ChannelSpec is what a generated Open method knows about its channel.
type ChannelSpec struct {
	// Path is the WebSocket path, e.g. channel.CommandChannelPath.
	Path string
	// SessionID is signed as requestid and goes in every upstream Payload;
	// "" for a flat channel, which has no session.
	SessionID string
	// Signed are the extra signed query parameters the descriptor lists.
	Signed url.Values
	// Fresh are the signed query parameters that get a fresh 32-hex id at
	// every handshake (value: reqid in the descriptor).
	Fresh []string
	// Flat says upstream frames are flat objects (frame: flat), sent with
	// SendFrame, and that no heartbeat command exists.
	Flat bool
	// SessionAlive decides whether a dropped channel reconnects.
	SessionAlive func(ctx context.Context) (bool, error)
}

// ChannelEndpoint is what a command channel takes from a client: the
// gateway, the credentials, the corrected clock, the logger and the HTTP
// client. It is a function, not a method, so that it stays out of the user
// API that aliases Client.
type ChannelEndpoint struct {
	BaseURL, AppKey, AccessToken string
	Clock                        func() time.Time
	Logger                       *slog.Logger
	HTTPClient                   *http.Client
	// Observe reports channel events to the client's hooks; nil without hooks.
	Observe func(ctx context.Context, e *SessionEvent)
}

// EndpointOf returns c's channel endpoint and the settings opts make.
func EndpointOf(c *Client, opts []ChannelOption) (ChannelEndpoint, ChannelSettings) {
	var s ChannelSettings
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	if c == nil {
		return ChannelEndpoint{Clock: SystemClock{}.Now}, s
	}
	ep := ChannelEndpoint{BaseURL: c.BaseURL(), AppKey: c.appKey, AccessToken: c.token.Reveal(), Clock: c.Now, Logger: c.logger}
	if c.doer == nil {
		return ep, s
	}
	if hc, ok := c.doer().(*http.Client); ok {
		ep.HTTPClient = hc
	}
	if c.hooks != nil {
		ep.Observe = func(ctx context.Context, e *SessionEvent) { c.hooks.session(ctx, e) }
	}
	return ep, s
}

// SessionGone interprets a failed session status call for a channel's
// SessionAlive: an *APIError whose code is one of ended (the session is
// closed or unknown) means the session is over, (false, nil); any other
// error is returned as it is, which the channel counts as a failed attempt.
func SessionGone(err error, ended ...Code) (bool, error) {
	var ae *APIError
	if errors.As(err, &ae) {
		for _, code := range ended {
			if ae.Code == code {
				return false, nil
			}
		}
	}
	return false, err
}

// UnknownSessionStatus is the error of a session status call that returned
// a status the descriptor does not classify as alive or ended.
func UnknownSessionStatus(sessionID string, status any) error {
	return fmt.Errorf("ivhrt: session %s reports status %v, which is neither alive nor ended", sessionID, status)
}
