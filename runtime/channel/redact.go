package channel

import (
	"context"
	"errors"
	"io"
	"net"

	"github.com/coder/websocket"

	"github.com/ivhgen/ivhgen/runtime/internal/scrub"
)

// redactedError is a socket failure made fit for errors, logs and events:
// its text has the channel's secrets (the token, the handshake's signature
// and query) removed, however the gateway echoed them (a close reason, say).
// It matches what callers test for (ErrPeerSilent, io.EOF, net.ErrClosed,
// websocket.ErrMessageTooBig,
// the context errors, a *websocket.CloseError with its reason scrubbed) but
// does not unwrap to the raw cause.
type redactedError struct {
	text string
	is   []error
}

func (e *redactedError) Error() string   { return e.text }
func (e *redactedError) Unwrap() []error { return e.is }

// scrubErr returns err as a *redactedError; nil stays nil.
func (c *Conn) scrubErr(err error) error {
	if err == nil {
		return nil
	}
	var re *redactedError
	if errors.As(err, &re) && re == err {
		return err
	}
	s := c.secrets()
	out := &redactedError{text: scrub.Cause(s.Text(err.Error()))}
	for _, target := range []error{ErrPeerSilent, io.EOF, io.ErrUnexpectedEOF, net.ErrClosed, websocket.ErrMessageTooBig, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, target) {
			out.is = append(out.is, target)
		}
	}
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		ce.Reason = s.Line(ce.Reason)
		out.is = append(out.is, ce)
	}
	return out
}

// secrets is the token and the signed queries of the last two handshakes.
func (c *Conn) secrets() scrub.Set {
	c.smu.Lock()
	defer c.smu.Unlock()
	return scrub.Join(c.secret, c.handshakes[0], c.handshakes[1])
}

// signed remembers the secrets of a handshake (its signature and query).
func (c *Conn) signed(h handshake) {
	c.smu.Lock()
	defer c.smu.Unlock()
	c.handshakes[0], c.handshakes[1] = c.handshakes[1], scrub.New(h.sig, h.query)
}

// handshake is what a dial signed.
type handshake struct{ sig, query string }
