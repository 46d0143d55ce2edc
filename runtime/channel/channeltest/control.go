package channeltest

import (
	"context"
	"encoding/json"

	"github.com/coder/websocket"
)

// Push sends v, marshalled as JSON, to every live connection of session.
func (h *Handler) Push(session string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return h.PushRaw(session, b)
}

// PushRaw sends data as one text frame, unchecked, to every live
// connection of session; use it for malformed frames.
func (h *Handler) PushRaw(session string, data []byte) error {
	live := h.live(session)
	if len(live) == 0 {
		return errNoConnection
	}
	for _, ws := range live {
		if err := ws.Write(h.ctx, websocket.MessageText, data); err != nil {
			return err
		}
	}
	return nil
}

// PushBinary sends data as one binary frame to every live connection of
// session (the protocol only uses text frames).
func (h *Handler) PushBinary(session string, data []byte) error {
	live := h.live(session)
	if len(live) == 0 {
		return errNoConnection
	}
	for _, ws := range live {
		if err := ws.Write(h.ctx, websocket.MessageBinary, data); err != nil {
			return err
		}
	}
	return nil
}

// Drop cuts every live connection of session without a close handshake, as
// a network failure would, and returns how many it cut.
func (h *Handler) Drop(session string) int {
	live := h.live(session)
	for _, ws := range live {
		ws.CloseNow()
	}
	return len(live)
}

func (h *Handler) live(session string) []*websocket.Conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*websocket.Conn
	for ws, s := range h.conns {
		if s == session {
			out = append(out, ws)
		}
	}
	return out
}

// Upstream returns a copy of every frame recorded so far, in arrival order.
func (h *Handler) Upstream() []Upstream {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Upstream(nil), h.ups...)
}

// Accepted returns how many handshakes were accepted; Rejected how many
// were refused.
func (h *Handler) Accepted() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.accepted
}

// Rejected returns how many handshakes were refused.
func (h *Handler) Rejected() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rejected
}

// Live returns how many connections of session are open.
func (h *Handler) Live(session string) int { return len(h.live(session)) }

// WaitUpstream waits until at least n frames have been recorded (for which
// keep returns true; nil keeps all) and returns those frames.
func (h *Handler) WaitUpstream(ctx context.Context, n int, keep func(Upstream) bool) ([]Upstream, error) {
	var got []Upstream
	err := h.waitFor(ctx, func() bool {
		got = got[:0]
		for _, u := range h.ups {
			if keep == nil || keep(u) {
				got = append(got, u)
			}
		}
		return len(got) >= n
	})
	return got, err
}

// WaitLive waits until session has n live connections.
func (h *Handler) WaitLive(ctx context.Context, session string, n int) error {
	return h.waitFor(ctx, func() bool {
		c := 0
		for _, s := range h.conns {
			if s == session {
				c++
			}
		}
		return c == n
	})
}

// waitFor waits until cond (called with h.mu held) holds.
func (h *Handler) waitFor(ctx context.Context, cond func() bool) error {
	for {
		h.mu.Lock()
		ok, ch := cond(), h.changed
		h.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// WaitAccepted waits until n handshakes in all have been accepted.
func (h *Handler) WaitAccepted(ctx context.Context, n int) error {
	return h.waitFor(ctx, func() bool { return h.accepted >= n })
}
