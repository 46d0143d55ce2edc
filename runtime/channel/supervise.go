package channel

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/coder/websocket"
)

// run reads the live socket and, when it drops, reconnects or ends the
// channel. It owns the socket: nothing else closes it, except Close.
func (c *Conn) run(ws *websocket.Conn) {
	defer c.wg.Done()
	var r redial
	for {
		l := c.watch(ws)
		cause := c.scrubErr(c.dropCause(l, c.readLoop(l)))
		l.stop()
		ws.CloseNow()
		if !c.detach(ws) {
			return // closed by Close
		}
		r.settle(l)
		next, err := c.reconnect(&r, cause)
		if err != nil {
			c.mu.Lock()
			c.setTerm(err)
			c.mu.Unlock()
			c.reportEnd(err)
			return
		}
		ws = next
	}
}

// readLoop queues frames until the socket fails; it returns the failure.
func (c *Conn) readLoop(l *link) error {
	for {
		typ, data, err := l.ws.Read(c.ctx)
		if err != nil {
			return err
		}
		l.frames.Add(1)
		it := item{}
		if typ != websocket.MessageText {
			it.err = newFrameError(data, fmt.Errorf("unexpected %v frame", typ))
		} else {
			it.msg, it.err = parseFrame(data)
		}
		if err := c.queue(l, it); err != nil {
			return err
		}
	}
}

// queue hands it to the app, telling the watchdog that a wait here is not
// the peer's silence.
func (c *Conn) queue(l *link, it item) error {
	l.waiting.Store(true)
	defer l.waiting.Store(false)
	select {
	case c.msgs <- it:
		return nil
	case <-c.ctx.Done():
		return c.ctx.Err()
	}
}

// detach forgets a dead socket; it reports false if the channel is closing.
func (c *Conn) detach(ws *websocket.Conn) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.term != nil {
		return false
	}
	if c.ws == ws {
		c.ws = nil
		c.broadcast()
	}
	return true
}

// attach installs a new socket; it reports false if the channel is closing.
func (c *Conn) attach(ws *websocket.Conn) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.term != nil {
		return false
	}
	c.ws = ws
	c.reconnects++
	c.broadcast()
	return true
}

// reconnect redials while SessionAlive says the session lives, within the
// policy's bounds. It returns the new socket, or the terminal error.
func (c *Conn) reconnect(r *redial, cause error) (*websocket.Conn, error) {
	log := c.cfg.Logger.With("session_id", c.cfg.SessionID)
	log.Warn("channel connection lost", "cause", c.redact(cause.Error()))
	c.cfg.OnEvent(Event{Kind: EventLost, Err: cause})
	if c.cfg.SessionAlive == nil {
		return nil, fmt.Errorf("%w: %w", ErrConnectionLost, cause)
	}
	if r.windowFull(&c.cfg) {
		return nil, &ReconnectError{Attempts: len(r.recent), Err: fmt.Errorf("%w (%d in %s): %w",
			ErrTooManyReconnects, len(r.recent), c.cfg.ReconnectWindow, cause)}
	}
	last := cause
	for r.failures < c.cfg.MaxReconnects {
		r.failures++
		ws, err := c.redialOnce(log, r, r.failures, cause)
		if ws != nil || err != nil {
			return ws, err
		}
		last = r.lastErr
	}
	return nil, &ReconnectError{Attempts: r.failures, Err: last}
}

// redialOnce makes attempt n: session check, backoff, dial. It returns a
// socket, a terminal error, or neither (the attempt failed; r.lastErr).
func (c *Conn) redialOnce(log *slog.Logger, r *redial, n int, cause error) (*websocket.Conn, error) {
	if err := c.checkSession(log, r, n, cause); err != nil {
		return nil, err
	}
	delay := c.cfg.Backoff(n)
	log.Info("channel reconnecting", "attempt", n, "delay", delay)
	if !sleep(c.ctx, delay) {
		return nil, ErrClosed
	}
	ws, h, err := dial(c.ctx, c.cfg)
	if err != nil {
		r.lastErr = err
		log.Warn("channel redial failed", "attempt", n, "error", c.redact(err.Error()))
		return nil, nil
	}
	c.signed(h)
	if !c.attach(ws) {
		ws.CloseNow()
		return nil, ErrClosed
	}
	r.recent = append(r.recent, time.Now())
	log.Info("channel reconnected", "attempt", n)
	c.cfg.OnEvent(Event{Kind: EventReconnected, Attempt: n})
	return ws, nil
}

// checkSession asks SessionAlive; it returns a terminal error when the
// session has ended, the check failed MaxSessionCheckErrors times in a
// row, or the channel is closing, else nil (an unanswered check means dial
// anyway: the gateway refuses a dead session).
func (c *Conn) checkSession(log *slog.Logger, r *redial, attempt int, cause error) error {
	alive, err := c.cfg.SessionAlive(c.ctx)
	switch {
	case c.ctx.Err() != nil:
		return ErrClosed
	case err != nil:
		r.checkErrs++
		log.Warn("channel session check failed", "attempt", attempt, "error", c.redact(err.Error()))
		if r.checkErrs >= MaxSessionCheckErrors {
			return &ReconnectError{Attempts: attempt, Err: fmt.Errorf("%w (%d times): %w", ErrSessionCheckFailing, r.checkErrs, err)}
		}
		return nil
	case !alive:
		return &SessionEndedError{SessionID: c.cfg.SessionID, Cause: cause}
	}
	r.checkErrs = 0
	return nil
}

// heartbeat sends SEND_HEARTBEAT {"Text":"PING"} every cfg.Heartbeat.
func (c *Conn) heartbeat() {
	defer c.wg.Done()
	t := time.NewTicker(c.cfg.Heartbeat)
	defer t.Stop()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-c.done:
			return
		case <-t.C:
		}
		err := c.Send(c.ctx, "SEND_HEARTBEAT", NewReqID(), map[string]string{"Text": "PING"})
		if err != nil && c.ctx.Err() == nil {
			c.cfg.Logger.Warn("channel heartbeat failed", "session_id", c.cfg.SessionID, "error", err.Error())
		}
	}
}

// sleep waits d or until ctx ends; it reports whether d elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
