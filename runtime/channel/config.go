package channel

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/apsign"
)

// CommandChannelPath is the path of the cloud-rendering command channel (D10).
const CommandChannelPath = "/v2/ws/ivh/interactdriver/interactdriverservice/commandchannel"

// Heartbeat bounds from the protocol documentation, and the default.
const (
	MinHeartbeat     = 30 * time.Second
	MaxHeartbeat     = 10 * time.Minute
	DefaultHeartbeat = 60 * time.Second
)

// Defaults for the other Config knobs.
const (
	DefaultMaxReconnects          = 10
	DefaultReadLimit              = 1 << 20
	DefaultDialTimeout            = 30 * time.Second
	DefaultPeerTimeout            = 90 * time.Second
	DefaultMaxReconnectsPerWindow = 10
	DefaultReconnectWindow        = 10 * time.Minute
)

// Reconnect policy bounds that are not configurable.
const (
	// StableAfter is how long a connection must live, carrying at least one
	// frame, for its drop to reset the backoff and the failure count: one
	// that dies sooner counts as a failed attempt, so a gateway that
	// accepts and drops cannot cause a reconnect storm.
	StableAfter = 10 * time.Second
	// MaxSessionCheckErrors is how many SessionAlive errors in a row end
	// reconnecting with ErrSessionCheckFailing.
	MaxSessionCheckErrors = 3
)

// Config says where and how to open a channel. BaseURL, AppKey, AccessToken
// and SessionID are required; the rest have defaults.
type Config struct {
	// BaseURL is the gateway, e.g. "https://gw-sg.tvs.qq.com". http and https
	// become ws and wss; ws and wss are used as given.
	BaseURL     string
	AppKey      string
	AccessToken string
	// Path defaults to CommandChannelPath.
	Path string
	// SessionID goes in every upstream Payload and is signed as requestid.
	// Required unless Flat.
	SessionID string
	// ExtraParams are further signed query parameters.
	ExtraParams url.Values
	// FreshParams are signed query parameters that get a fresh NewReqID at
	// every handshake, reconnects included (the driver channel's requestid).
	// They win over ExtraParams and SessionID.
	FreshParams []string
	// Flat says upstream frames are flat JSON objects sent with SendFrame,
	// not {"Header","Payload"} commands. A flat channel needs no SessionID
	// and sends no SEND_HEARTBEAT (the dead-peer pings still run).
	Flat bool
	// Clock gives the signing timestamp; default time.Now.
	Clock func() time.Time
	// Heartbeat is the SEND_HEARTBEAT interval, within [MinHeartbeat,
	// MaxHeartbeat]; 0 means DefaultHeartbeat.
	Heartbeat time.Duration
	// SessionAlive decides, after a drop, whether to reconnect (true) or end
	// with ErrSessionEnded (false). An error counts as a failed attempt.
	// nil means never reconnect: a drop ends the channel with ErrConnectionLost.
	SessionAlive func(ctx context.Context) (bool, error)
	// Backoff gives the wait before reconnect attempt n (n >= 1); default
	// ExponentialBackoff(500ms, 8s).
	Backoff func(attempt int) time.Duration
	// MaxReconnects caps consecutive failed reconnect attempts, a connection
	// that drops before StableAfter or before any frame counting as failed;
	// 0 means DefaultMaxReconnects.
	MaxReconnects int
	// MaxReconnectsPerWindow caps successful reconnects within any
	// ReconnectWindow, however long each connection lived; beyond it the
	// channel ends with ErrTooManyReconnects. 0 means the defaults (10 per
	// 10 minutes).
	MaxReconnectsPerWindow int
	ReconnectWindow        time.Duration
	// PeerTimeout bounds silence: a connection that carries no frame for
	// PeerTimeout/2 is pinged, and one that answers no ping within another
	// PeerTimeout/2 is dropped with ErrPeerSilent, so a dead peer is found
	// within 1.5 × PeerTimeout, never before PeerTimeout/2 of silence.
	// 0 means DefaultPeerTimeout.
	PeerTimeout time.Duration
	// HTTPClient carries the handshake; redirects are never followed.
	HTTPClient *http.Client
	// ReadLimit caps one downstream frame in bytes; 0 means DefaultReadLimit.
	ReadLimit int64
	// DialTimeout bounds each handshake; 0 means DefaultDialTimeout.
	DialTimeout time.Duration
	// Logger receives drops and reconnects (never secrets); nil discards.
	Logger *slog.Logger
	// OnEvent, when set, hears of drops, reconnects and the end of the
	// channel, on the channel's goroutine; it must not block.
	OnEvent func(Event)
}

// Format prints c with the access token redacted, for every verb.
func (c Config) Format(f fmt.State, verb rune) {
	tok := "[REDACTED]"
	if c.AccessToken == "" {
		tok = ""
	}
	fmt.Fprintf(f, "{BaseURL:%s AppKey:%s AccessToken:%s Path:%s SessionID:%s Heartbeat:%s}",
		c.BaseURL, c.AppKey, tok, c.Path, c.SessionID, c.Heartbeat)
}

// withDefaults validates c and fills its defaults.
func (c Config) withDefaults() (Config, error) {
	for _, f := range []struct{ name, v string }{
		{"BaseURL", c.BaseURL}, {"AppKey", c.AppKey}, {"AccessToken", c.AccessToken}, {"SessionID", c.SessionID},
	} {
		if f.v == "" && (f.name != "SessionID" || !c.Flat) {
			return c, &ConfigError{Field: f.name, Problem: "is required"}
		}
	}
	if c.Heartbeat == 0 {
		c.Heartbeat = DefaultHeartbeat
	}
	if c.Heartbeat < MinHeartbeat || c.Heartbeat > MaxHeartbeat {
		return c, &ConfigError{Field: "Heartbeat", Problem: fmt.Sprintf("%s is outside the documented %s..%s", c.Heartbeat, MinHeartbeat, MaxHeartbeat)}
	}
	for _, f := range []struct {
		name string
		neg  bool
	}{{"MaxReconnects", c.MaxReconnects < 0}, {"MaxReconnectsPerWindow", c.MaxReconnectsPerWindow < 0},
		{"ReconnectWindow", c.ReconnectWindow < 0}, {"PeerTimeout", c.PeerTimeout < 0}} {
		if f.neg {
			return c, &ConfigError{Field: f.name, Problem: "must not be negative"}
		}
	}
	for _, p := range c.FreshParams {
		switch strings.ToLower(p) {
		case "", "appkey", "timestamp", "signature":
			return c, &ConfigError{Field: "FreshParams", Problem: fmt.Sprintf("%q is not a parameter the caller may sign", p)}
		}
	}
	if _, err := c.endpoint(); err != nil {
		return c, err
	}
	c.fillDefaults()
	return c, nil
}

func (c *Config) fillDefaults() {
	if c.Path == "" {
		c.Path = CommandChannelPath
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Backoff == nil {
		c.Backoff = ExponentialBackoff(500*time.Millisecond, 8*time.Second)
	}
	if c.MaxReconnects == 0 {
		c.MaxReconnects = DefaultMaxReconnects
	}
	if c.MaxReconnectsPerWindow == 0 {
		c.MaxReconnectsPerWindow = DefaultMaxReconnectsPerWindow
	}
	if c.ReconnectWindow == 0 {
		c.ReconnectWindow = DefaultReconnectWindow
	}
	if c.PeerTimeout == 0 {
		c.PeerTimeout = DefaultPeerTimeout
	}
	if c.ReadLimit == 0 {
		c.ReadLimit = DefaultReadLimit
	}
	if c.DialTimeout == 0 {
		c.DialTimeout = DefaultDialTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.OnEvent == nil {
		c.OnEvent = func(Event) {}
	}
	hc := http.Client{}
	if c.HTTPClient != nil {
		hc = *c.HTTPClient
	}
	// The signed query is a bearer credential: it must not follow a redirect.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.HTTPClient = &hc
}

// endpoint returns the WebSocket URL without its query.
func (c Config) endpoint() (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(c.BaseURL, "/"))
	if err != nil || u.Host == "" {
		return nil, &ConfigError{Field: "BaseURL", Problem: "is not an absolute URL"}
	}
	switch u.Scheme {
	case "https", "wss":
		u.Scheme = "wss"
	case "http", "ws":
		u.Scheme = "ws"
	default:
		return nil, &ConfigError{Field: "BaseURL", Problem: "scheme must be http, https, ws or wss"}
	}
	path := c.Path
	if path == "" {
		path = CommandChannelPath
	}
	u.Path = u.Path + "/" + strings.TrimLeft(path, "/")
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u, nil
}

// signedURL returns the endpoint with a freshly signed query.
func (c Config) signedURL() (*url.URL, string) {
	u, _ := c.endpoint() // validated by withDefaults
	q := url.Values{}
	for k, v := range c.ExtraParams {
		q[k] = v
	}
	if c.SessionID != "" {
		q.Set("requestid", c.SessionID)
	}
	for _, p := range c.FreshParams {
		q.Set(p, NewReqID())
	}
	q.Set("appkey", c.AppKey)
	q.Set("timestamp", strconv.FormatInt(c.Clock().Unix(), 10))
	sig := apsign.Sign(c.AccessToken, q)
	q.Set("signature", sig)
	u.RawQuery = q.Encode()
	return u, sig
}

// ExponentialBackoff returns base·2^(n-1) capped at max, multiplied by a
// random factor in [0.5, 1) so that clients spread out. It saturates at
// max rather than overflow, however many attempts.
func ExponentialBackoff(base, max time.Duration) func(attempt int) time.Duration {
	return func(n int) time.Duration {
		d := base
		for i := 1; i < n && d < max; i++ {
			if d > max/2 {
				d = max // doubling would pass the cap, or overflow
				break
			}
			d *= 2
		}
		d = min(d, max)
		x := float64(d) * (0.5 + rand.Float64()/2)
		if x >= math.MaxInt64 {
			return math.MaxInt64
		}
		return time.Duration(x)
	}
}
