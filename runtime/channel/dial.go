package channel

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/coder/websocket"

	"github.com/ivhgen/ivhgen/runtime/internal/scrub"
)

// dial opens one WebSocket with a freshly signed URL.
func dial(ctx context.Context, cfg Config) (*websocket.Conn, handshake, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.DialTimeout)
	defer cancel()
	u, sig := cfg.signedURL()
	h := handshake{sig: sig, query: u.RawQuery}
	ws, resp, err := websocket.Dial(ctx, u.String(), &websocket.DialOptions{HTTPClient: cfg.HTTPClient})
	if err != nil {
		return nil, h, dialError(err, resp, u, sig, cfg.AccessToken)
	}
	ws.SetReadLimit(cfg.ReadLimit)
	return ws, h, nil
}

// dialError builds a *DialError that holds no query, signature or token.
// The library's messages embed the full signed URL (via *url.Error), so the
// cause is rebuilt: a *url.Error keeps its chain with URL rewritten; any
// other text is scrubbed.
func dialError(err error, resp *http.Response, u *url.URL, sig, token string) *DialError {
	secrets := scrub.New(sig, token, u.RawQuery)
	bare := *u
	bare.RawQuery = ""
	de := &DialError{URL: bare.String()}
	var ue *url.Error
	if errors.As(err, &ue) {
		c := *ue
		c.URL = de.URL
		de.Err = &c
	} else {
		de.Err = errors.New(scrub.Cause(secrets.Text(err.Error())))
	}
	if resp != nil {
		de.StatusCode = resp.StatusCode
		de.Code, de.Message = envelopeOf(resp)
		de.Message = secrets.Line(de.Message)
	}
	return de
}

// envelopeOf reads the aPaaS Header of a refused handshake's body, if any.
func envelopeOf(resp *http.Response) (int, string) {
	if resp.Body == nil {
		return 0, ""
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	var env struct {
		Header struct {
			Code    flexInt
			Message flexString
		}
	}
	if json.Unmarshal(b, &env) != nil {
		return 0, ""
	}
	return int(env.Header.Code), string(env.Header.Message)
}
