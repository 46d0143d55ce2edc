package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/ivhgen/ivhgen/runtime/channel"
)

// ChannelOption adjusts the channel.Config of a command channel. Options run
// before the client fills in the endpoint, the credentials, the clock and
// the session check, so they never see the access token and cannot replace
// those.
type ChannelOption func(*channel.Config)

// WithHeartbeat sets the SEND_HEARTBEAT interval (30 s to 10 min; the
// channel rejects anything else).
func WithHeartbeat(d time.Duration) ChannelOption {
	return func(c *channel.Config) { c.Heartbeat = d }
}

// WithReconnect sets how often (max consecutive failed attempts) and how
// patiently (backoff before attempt n; nil keeps the default) a dropped
// channel reconnects.
func WithReconnect(max int, backoff func(attempt int) time.Duration) ChannelOption {
	return func(c *channel.Config) {
		c.MaxReconnects = max
		if backoff != nil {
			c.Backoff = backoff
		}
	}
}

// WithChannelLogger sends the channel's drop and reconnect reports to l
// instead of the client's logger.
func WithChannelLogger(l *slog.Logger) ChannelOption {
	return func(c *channel.Config) { c.Logger = l }
}

// ChannelSpec is what a generated Open method knows about its channel.
type ChannelSpec struct {
	// Path is the WebSocket path, e.g. channel.CommandChannelPath.
	Path string
	// SessionID is signed as requestid and goes in every upstream Payload.
	SessionID string
	// Signed are the extra signed query parameters the descriptor lists.
	Signed url.Values
	// SessionAlive decides whether a dropped channel reconnects.
	SessionAlive func(ctx context.Context) (bool, error)
}

// DialChannel opens a command channel with the client's gateway, appkey,
// access token, corrected clock, logger and HTTP client. The token goes only
// into the channel's signer: neither the Conn nor any error holds it.
func (c *Client) DialChannel(ctx context.Context, spec ChannelSpec, opts ...ChannelOption) (*channel.Conn, error) {
	var cfg channel.Config
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	cfg.BaseURL, cfg.AppKey, cfg.AccessToken = c.BaseURL(), c.appKey, c.token.Reveal()
	cfg.Path, cfg.SessionID, cfg.ExtraParams = spec.Path, spec.SessionID, spec.Signed
	cfg.SessionAlive, cfg.Clock = spec.SessionAlive, c.Now
	if cfg.Logger == nil {
		cfg.Logger = c.logger
	}
	if hc, ok := c.doer.(*http.Client); ok && cfg.HTTPClient == nil {
		cfg.HTTPClient = hc
	}
	return channel.Dial(ctx, cfg)
}

// SessionGone interprets a failed session status call for a channel's
// SessionAlive: an *APIError whose code is one of ended (the session is
// closed or unknown) means the session is over, (false, nil); any other
// error is returned as it is, which the channel counts as a failed attempt.
func SessionGone(err error, ended ...int) (bool, error) {
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
	return fmt.Errorf("runtime: session %s reports status %v, which is neither alive nor ended", sessionID, status)
}

// SendCommand sends one upstream command for generated channel methods: a
// nil data becomes an empty Data object, validate (when not nil) checks it
// under the path "Data", and a fresh ReqId is filled in and returned.
func SendCommand[D any](ctx context.Context, conn *channel.Conn, command string, data *D, validate func(*D, *Violations, string)) (string, error) {
	if data == nil {
		data = new(D)
	}
	if validate != nil {
		var vs Violations
		validate(data, &vs, "Data")
		if err := vs.Err(); err != nil {
			return "", err
		}
	}
	reqID := channel.NewReqID()
	return reqID, conn.Send(ctx, command, reqID, data)
}
