package channel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"sync"

	"github.com/coder/websocket"

	"github.com/ivhgen/ivhgen/runtime/internal/scrub"
)

// Conn is an open command channel. Its methods are safe for concurrent use.
// Downstream frames must be consumed (Recv or Messages): an unread channel
// stops reading the socket once its queue of 64 frames is full.
type Conn struct {
	cfg    Config
	ctx    context.Context // lives until Close
	cancel context.CancelFunc
	msgs   chan item
	done   chan struct{} // closed when term is set
	wg     sync.WaitGroup
	closed sync.Once
	ended  sync.Once // the EventClosed report
	secret scrub.Set // the token, scrubbed from what the channel logs

	smu        sync.Mutex
	handshakes [2]scrub.Set // the last two handshakes' signature and query, scrubbed too

	mu         sync.Mutex
	ws         *websocket.Conn // nil while reconnecting
	term       error           // terminal error, set once
	wake       chan struct{}   // closed and replaced when ws or term changes
	reconnects int
}

type item struct {
	msg Message
	err error
}

// Dial opens the channel described by cfg and starts its heartbeat. The
// first handshake is not retried: its failure is returned as a *DialError
// (or *ConfigError for a bad cfg).
func Dial(ctx context.Context, cfg Config) (*Conn, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	ws, h, err := dial(ctx, cfg)
	if err != nil {
		return nil, err
	}
	c := &Conn{cfg: cfg, msgs: make(chan item, 64), done: make(chan struct{}), wake: make(chan struct{}), ws: ws,
		secret: scrub.New(cfg.AccessToken)}
	c.signed(h)
	c.ctx, c.cancel = context.WithCancel(context.WithoutCancel(ctx))
	c.wg.Add(1)
	go c.run(ws)
	if !cfg.Flat {
		c.wg.Add(1)
		go c.heartbeat()
	}
	return c, nil
}

// SessionID returns the session the channel drives.
func (c *Conn) SessionID() string { return c.cfg.SessionID }

// Reconnects returns how many times the channel has reconnected.
func (c *Conn) Reconnects() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reconnects
}

// Send sends one upstream frame {"Header":{},"Payload":{ReqId, SessionId,
// Command, Data}}. reqID must be 32 lowercase hex characters (NewReqID);
// data must encode to a JSON object (nil sends {}). While the channel is
// reconnecting Send waits for it, up to ctx. Cancelling ctx in the middle
// of a write closes the socket (a library limit); the channel then
// reconnects as after any drop. Errors are *SendError.
func (c *Conn) Send(ctx context.Context, command, reqID string, data any) error {
	return c.send(ctx, command, reqID, 0, data)
}

func (c *Conn) send(ctx context.Context, command, reqID string, seq int, data any) error {
	frame, err := c.encode(command, reqID, data)
	if err == nil {
		err = c.write(ctx, frame)
	}
	if err != nil {
		return &SendError{Command: command, ReqID: reqID, Seq: seq, Err: err}
	}
	return nil
}

func (c *Conn) encode(command, reqID string, data any) ([]byte, error) {
	if c.cfg.Flat {
		return nil, errors.New("a flat channel sends frames (SendFrame), not commands")
	}
	if command == "" {
		return nil, errors.New("command is empty")
	}
	if !ValidReqID(reqID) {
		return nil, errors.New("reqID must be 32 lowercase hex characters (use NewReqID)")
	}
	raw := json.RawMessage("{}")
	if data != nil {
		b, err := json.Marshal(data)
		if err != nil {
			return nil, fmt.Errorf("encode data: %w", err)
		}
		if !isObject(b) {
			return nil, errors.New("data must encode to a JSON object")
		}
		raw = b
	}
	type payload struct {
		ReqID     string          `json:"ReqId"`
		SessionID string          `json:"SessionId"`
		Command   string          `json:"Command"`
		Data      json.RawMessage `json:"Data"`
	}
	return json.Marshal(struct {
		Header  struct{} `json:"Header"`
		Payload payload  `json:"Payload"`
	}{Payload: payload{reqID, c.cfg.SessionID, command, raw}})
}

// write sends frame on the live socket, waiting through a reconnect.
func (c *Conn) write(ctx context.Context, frame []byte) error {
	for {
		c.mu.Lock()
		ws, term, wake := c.ws, c.term, c.wake
		c.mu.Unlock()
		if term != nil {
			return term
		}
		if err := ctx.Err(); err != nil {
			return err // before touching the socket: a cancelled write closes it
		}
		if ws != nil {
			if err := ws.Write(ctx, websocket.MessageText, frame); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return fmt.Errorf("%w: %w", ErrConnectionLost, c.scrubErr(err))
			}
			return nil
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Recv returns the next downstream message. A malformed frame gives a
// zero Message and a *FrameError, and the channel carries on. Once the
// channel has ended, queued messages are still delivered, then the
// terminal error: ErrClosed, a *SessionEndedError, a *ReconnectError or
// ErrConnectionLost.
func (c *Conn) Recv(ctx context.Context) (Message, error) {
	select {
	case it := <-c.msgs:
		return it.msg, it.err
	default:
	}
	select {
	case it := <-c.msgs:
		return it.msg, it.err
	case <-ctx.Done():
		return Message{}, ctx.Err()
	case <-c.done:
		select {
		case it := <-c.msgs:
			return it.msg, it.err
		default:
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		return Message{}, c.term
	}
}

// Messages iterates over downstream messages. Malformed frames are yielded
// as (Message{}, *FrameError) and iteration goes on; a terminal error other
// than ErrClosed, or ctx's error, is yielded once and ends it.
func (c *Conn) Messages(ctx context.Context) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		for {
			m, err := c.Recv(ctx)
			var fe *FrameError
			switch {
			case err == nil || errors.As(err, &fe):
				if !yield(m, err) {
					return
				}
			case errors.Is(err, ErrClosed):
				return
			default:
				yield(m, err)
				return
			}
		}
	}
}

// Close stops the heartbeat and the reader, closes the socket with a normal
// closure and waits for every goroutine of the channel to end. It does not
// close the session. Later calls return nil.
func (c *Conn) Close() error {
	c.closed.Do(func() {
		c.mu.Lock()
		ws := c.ws
		c.setTerm(ErrClosed)
		c.mu.Unlock()
		if ws != nil {
			ws.Close(websocket.StatusNormalClosure, "") // bounded by the library (5 s)
		}
		c.cancel()
		c.wg.Wait()
		c.reportEnd(nil)
	})
	return nil
}

// reportEnd sends EventClosed once, with the terminal error (nil for Close).
func (c *Conn) reportEnd(err error) {
	c.ended.Do(func() { c.cfg.OnEvent(Event{Kind: EventClosed, Err: err}) })
}

// setTerm records the terminal error once; c.mu must be held.
func (c *Conn) setTerm(err error) {
	if c.term != nil {
		return
	}
	c.term = err
	close(c.done)
	c.broadcast()
}

// broadcast wakes writers waiting for a state change; c.mu must be held.
func (c *Conn) broadcast() {
	close(c.wake)
	c.wake = make(chan struct{})
}

// redact makes text from the gateway fit for a log: no token, no query, no
// control characters, capped.
func (c *Conn) redact(s string) string { return c.secrets().Line(s) }
