package channel

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// link is one live socket and what the reconnect policy needs to know of
// it: when it connected, whether it carried frames, whether its peer fell
// silent.
type link struct {
	ws      *websocket.Conn
	since   time.Time
	frames  atomic.Int64
	waiting atomic.Bool // the reader waits for the app to take a frame
	silent  atomic.Bool // a ping was outstanding or unanswered: the peer fell silent
	stop    context.CancelFunc
}

// stable reports whether the link lived long enough, with a frame, for its
// drop to count as a fresh start rather than a failed attempt.
func (l *link) stable() bool {
	return l.frames.Load() > 0 && time.Since(l.since) >= StableAfter
}

// watch starts the dead-peer watchdog of ws.
func (c *Conn) watch(ws *websocket.Conn) *link {
	l := &link{ws: ws, since: time.Now()}
	ctx, stop := context.WithCancel(c.ctx)
	l.stop = stop
	c.wg.Add(1)
	go c.watchdog(ctx, l)
	return l
}

// watchdog pings a link silent for PeerTimeout/2 and closes it when the
// ping is not answered within another PeerTimeout/2.
func (c *Conn) watchdog(ctx context.Context, l *link) {
	defer c.wg.Done()
	half := c.cfg.PeerTimeout / 2
	t := time.NewTicker(half)
	defer t.Stop()
	seen := l.frames.Load()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if n := l.frames.Load(); n != seen || l.waiting.Load() {
			seen = n // alive, or blocked on the app rather than the peer
			continue
		}
		l.silent.Store(true) // the library may close the socket itself when the ping stalls
		pctx, cancel := context.WithTimeout(ctx, half)
		err := l.ws.Ping(pctx)
		cancel()
		if err != nil {
			l.ws.CloseNow()
			return
		}
		l.silent.Store(false)
	}
}

// dropCause is what to report for a link's end.
func (c *Conn) dropCause(l *link, err error) error {
	if l.silent.Load() {
		return fmt.Errorf("%w for %s: %w", ErrPeerSilent, c.cfg.PeerTimeout, err)
	}
	return err
}

// redial is the reconnect policy's memory across drops; only run touches it.
type redial struct {
	failures  int         // consecutive failed attempts (short-lived links included)
	checkErrs int         // consecutive SessionAlive errors
	recent    []time.Time // successful reconnects within the window
	lastErr   error       // the last failed dial
}

// settle forgets past failures after a stable link.
func (r *redial) settle(l *link) {
	if l.stable() {
		r.failures, r.checkErrs = 0, 0
	}
}

// windowFull reports whether another reconnect would pass the cap.
func (r *redial) windowFull(cfg *Config) bool {
	cut := time.Now().Add(-cfg.ReconnectWindow)
	kept := r.recent[:0]
	for _, t := range r.recent {
		if t.After(cut) {
			kept = append(kept, t)
		}
	}
	r.recent = kept
	return len(r.recent) >= cfg.MaxReconnectsPerWindow
}
