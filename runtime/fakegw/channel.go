package fakegw

import (
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
