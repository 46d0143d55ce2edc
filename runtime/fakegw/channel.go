package fakegw

import (
	"fmt"

	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/channel/channeltest"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// Channel is the fake command channel (D10) of a gateway, bound to a
// SessionStore: its handshake checks the signature (appkey, requestid =
// SessionId, timestamp against the gateway Clock, signature) and admits only
// sessions of the store that are started and not closed. The embedded
// Handler records upstream frames, answers with speak statuses, pushes
// frames and drops connections.
type Channel struct {
	*channeltest.Handler
	store *SessionStore
}

// ServeChannel mounts a fake command channel at path (""
// means channel.CommandChannelPath) for the sessions of store. opts go to channeltest.NewHandler after the
// gateway's own (clock and admission), so a test may override them. With a
// TB the channel is closed at cleanup, before the server; without one the
// caller must Close it.
func (s *Server) ServeChannel(path string, store *SessionStore, opts ...channeltest.Option) *Channel {
	if path == "" {
		path = channel.CommandChannelPath
	}
	c := &Channel{store: store}
	base := []channeltest.Option{channeltest.WithClock(s.cfg.clock.Now), channeltest.WithAdmit(func(id string) (int, string) {
		code, msg := c.admit(id)
		return int(code), msg
	})}
	c.Handler = channeltest.NewHandler(s.cfg.appKey, s.cfg.token, append(base, opts...)...)
	s.Mount(path, c.Handler)
	if s.tb != nil {
		s.tb.Cleanup(c.Close)
	}
	return c
}

// admit refuses unknown (110018), closed (110013) and unstarted (110014)
// sessions, as the gateway does.
func (c *Channel) admit(id string) (core.Code, string) {
	sess, ok := c.store.Get(id)
	switch {
	case !ok:
		return CodeSessionNotFound, "session does not exist"
	case sess.Status == SessionClosed:
		return CodeSessionClosed, "session is closed"
	case sess.Status != SessionReady || !sess.Started:
		return CodeSessionNotReady, "session is not started"
	}
	return 0, ""
}

// End closes session id in the store, as the platform does after a long
// idle time, and cuts its channel connections. A client that checks the
// session then learns that it has ended.
func (c *Channel) End(id string) error {
	if _, err := c.store.Close(id); err != nil {
		return err
	}
	c.Drop(id)
	return nil
}

// FlatChannel is a fake flat channel (the driver channel, §6.8) whose
// upstream frames are F: the embedded handler checks each handshake's
// signature (appkey, the other signed parameters as sent, timestamp against
// the gateway Clock, signature; the requestid, if any, names the connection
// for Push and Drop), records every flat frame with its
// connection's signed query (Upstream), and answers nothing unless given
// channeltest.WithResponder. There is no session to admit.
type FlatChannel[F any] struct {
	*channeltest.Handler
}

// ServeFlat mounts a FlatChannel at path of s. opts go to
// channeltest.NewHandler after the gateway's own (clock, flat); with a TB
// the handler is closed at cleanup.
func ServeFlat[F any](s *Server, path string, opts ...channeltest.Option) *FlatChannel[F] {
	base := []channeltest.Option{channeltest.WithClock(s.cfg.clock.Now), channeltest.WithFlat()}
	h := channeltest.NewHandler(s.cfg.appKey, s.cfg.token, append(base, opts...)...)
	s.Mount(path, h)
	if s.tb != nil {
		s.tb.Cleanup(h.Close)
	}
	return &FlatChannel[F]{Handler: h}
}

// Frames decodes every frame received so far, in arrival order, into an F,
// as tolerantly as the client decodes responses (the ReqId of each is in
// Upstream). A frame that the handler flagged, or that does not decode, is
// an error naming its position and connection.
func (c *FlatChannel[F]) Frames() ([]*F, error) {
	ups := c.Upstream()
	out := make([]*F, 0, len(ups))
	for i, u := range ups {
		if u.Problem != "" {
			return out, fmt.Errorf("fakegw: frame %d (connection %d): %s", i+1, u.Conn, u.Problem)
		}
		f := new(F)
		if err := core.DecodeTolerant(u.Raw, f); err != nil {
			return out, fmt.Errorf("fakegw: frame %d (connection %d): %w", i+1, u.Conn, err)
		}
		out = append(out, f)
	}
	return out, nil
}
