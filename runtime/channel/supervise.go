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
	for {
		cause := c.readLoop(ws)
		ws.CloseNow()
		if !c.detach(ws) {
			return // closed by Close
		}
		next, err := c.reconnect(cause)
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
func (c *Conn) readLoop(ws *websocket.Conn) error {
	for {
		typ, data, err := ws.Read(c.ctx)
		if err != nil {
			return err
		}
		it := item{}
		if typ != websocket.MessageText {
			it.err = newFrameError(data, fmt.Errorf("unexpected %v frame", typ))
		} else {
			it.msg, it.err = parseFrame(data)
		}
		select {
		case c.msgs <- it:
		case <-c.ctx.Done():
			return c.ctx.Err()
		}
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

// reconnect redials while SessionAlive says the session lives. It returns
// the new socket, or the terminal error.
func (c *Conn) reconnect(cause error) (*websocket.Conn, error) {
	log := c.cfg.Logger.With("session_id", c.cfg.SessionID)
	log.Warn("channel connection lost", "cause", cause.Error())
	c.cfg.OnEvent(Event{Kind: EventLost, Err: cause})
	if c.cfg.SessionAlive == nil {
		return nil, fmt.Errorf("%w: %w", ErrConnectionLost, cause)
	}
	last := cause
	for attempt := 1; attempt <= c.cfg.MaxReconnects; attempt++ {
		if err := c.checkSession(log, attempt, cause); err != nil {
			return nil, err
		}
		delay := c.cfg.Backoff(attempt)
		log.Info("channel reconnecting", "attempt", attempt, "delay", delay)
		if !sleep(c.ctx, delay) {
			return nil, ErrClosed
		}
		ws, err := dial(c.ctx, c.cfg)
		if err != nil {
			last = err
			log.Warn("channel redial failed", "attempt", attempt, "error", err.Error())
			continue
		}
		if !c.attach(ws) {
			ws.CloseNow()
			return nil, ErrClosed
		}
		log.Info("channel reconnected", "attempt", attempt)
		c.cfg.OnEvent(Event{Kind: EventReconnected, Attempt: attempt})
		return ws, nil
	}
	return nil, &ReconnectError{Attempts: c.cfg.MaxReconnects, Err: last}
}

// checkSession asks SessionAlive; it returns a terminal error when the
// session has ended or the channel is closing, else nil (an unanswered
// check means dial anyway: the gateway refuses a dead session).
func (c *Conn) checkSession(log *slog.Logger, attempt int, cause error) error {
	alive, err := c.cfg.SessionAlive(c.ctx)
	switch {
	case c.ctx.Err() != nil:
		return ErrClosed
	case err != nil:
		log.Warn("channel session check failed", "attempt", attempt, "error", err.Error())
	case !alive:
		return &SessionEndedError{SessionID: c.cfg.SessionID, Cause: cause}
	}
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
