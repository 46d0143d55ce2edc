package channel

import (
	"context"
	"sync"
	"unicode/utf8"
)

// DefaultMaxPieceBytes is the documented SEND_STREAMTEXT fragment limit of
// the international gateway (the mainland one allows 2,000).
const DefaultMaxPieceBytes = 1000

// StreamTextOptions tune a TextStream.
type StreamTextOptions struct {
	// ReqID names the stream; "" means a fresh NewReqID.
	ReqID string
	// IsSentence selects clause mode: each piece is a whole sentence.
	IsSentence bool
	// SmartActionEnabled asks the server to add gestures.
	SmartActionEnabled bool
	// MaxPieceBytes splits longer pieces (at rune boundaries) into several
	// fragments; 0 means DefaultMaxPieceBytes.
	MaxPieceBytes int
}

// TextStream sends one SEND_STREAMTEXT sequence piece by piece, e.g. as an
// LLM produces it. All fragments share one ReqID; Seq counts from 1.
type TextStream struct {
	c    *Conn
	opts StreamTextOptions
	mu   sync.Mutex
	seq  int
	done bool
}

type streamTextData struct {
	Text               string `json:"Text"`
	Seq                int    `json:"Seq"`
	IsFinal            bool   `json:"IsFinal"`
	Interrupt          bool   `json:"Interrupt,omitempty"`
	IsSentence         bool   `json:"IsSentence,omitempty"`
	SmartActionEnabled bool   `json:"SmartActionEnabled,omitempty"`
}

// StreamText starts a text stream. Nothing is sent until the first piece.
func (c *Conn) StreamText(opts StreamTextOptions) *TextStream {
	if opts.ReqID == "" {
		opts.ReqID = NewReqID()
	}
	if opts.MaxPieceBytes <= 0 {
		opts.MaxPieceBytes = DefaultMaxPieceBytes
	}
	return &TextStream{c: c, opts: opts}
}

// ReqID returns the stream's ReqID; downstream messages about it carry it.
func (s *TextStream) ReqID() string { return s.opts.ReqID }

// Send sends piece as the next fragment(s). An empty piece sends nothing.
func (s *TextStream) Send(ctx context.Context, piece string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return &SendError{Command: "SEND_STREAMTEXT", ReqID: s.opts.ReqID, Err: ErrStreamFinished}
	}
	for _, frag := range split(piece, s.opts.MaxPieceBytes) {
		if err := s.fragment(ctx, streamTextData{Text: frag}); err != nil {
			return err
		}
	}
	return nil
}

// Finish sends last (which may be empty) with IsFinal and ends the stream.
func (s *TextStream) Finish(ctx context.Context, last string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return &SendError{Command: "SEND_STREAMTEXT", ReqID: s.opts.ReqID, Err: ErrStreamFinished}
	}
	frags := split(last, s.opts.MaxPieceBytes)
	if len(frags) == 0 {
		frags = []string{""}
	}
	for i, frag := range frags {
		if err := s.fragment(ctx, streamTextData{Text: frag, IsFinal: i == len(frags)-1}); err != nil {
			return err
		}
	}
	s.done = true
	return nil
}

// Interrupt stops the stream: an empty fragment with IsFinal and Interrupt.
func (s *TextStream) Interrupt(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return &SendError{Command: "SEND_STREAMTEXT", ReqID: s.opts.ReqID, Err: ErrStreamFinished}
	}
	if err := s.fragment(ctx, streamTextData{IsFinal: true, Interrupt: true}); err != nil {
		return err
	}
	s.done = true
	return nil
}

// fragment sends one fragment with the next Seq; s.mu must be held. A
// failed send does not use up its Seq, so the caller may retry.
func (s *TextStream) fragment(ctx context.Context, d streamTextData) error {
	d.Seq = s.seq + 1
	d.IsSentence, d.SmartActionEnabled = s.opts.IsSentence, s.opts.SmartActionEnabled
	if err := s.c.send(ctx, "SEND_STREAMTEXT", s.opts.ReqID, d.Seq, d); err != nil {
		return err
	}
	s.seq = d.Seq
	return nil
}

// split cuts s into pieces of at most max bytes without breaking a rune.
func split(s string, max int) []string {
	var out []string
	for len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if cut == 0 {
			cut = max // max is smaller than one rune: cut anyway rather than loop
		}
		out = append(out, s[:cut])
		s = s[cut:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

type textData struct {
	Text      string `json:"Text"`
	Interrupt bool   `json:"Interrupt,omitempty"`
}

// Interrupt stops whatever the digital human is saying: SEND_TEXT with an
// empty Text and Interrupt set. It returns the ReqID used.
func (c *Conn) Interrupt(ctx context.Context) (string, error) {
	id := NewReqID()
	return id, c.Send(ctx, "SEND_TEXT", id, textData{Interrupt: true})
}

// SendText sends SEND_TEXT with text and returns the ReqID used.
func (c *Conn) SendText(ctx context.Context, text string) (string, error) {
	id := NewReqID()
	return id, c.Send(ctx, "SEND_TEXT", id, textData{Text: text})
}
