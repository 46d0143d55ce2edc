package channel

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"time"
)

// Audio pacing from the protocol documentation (apaas-api.md §6.3): 16 kHz
// 16-bit mono PCM in 160 ms packets; a burst of 6, then one per 120 ms,
// which keeps the real-time factor (wall time / audio time) at 0.75.
const (
	AudioPacketBytes    = 5120
	AudioPacketDuration = 160 * time.Millisecond
	AudioBurstPackets   = 6
	AudioInterval       = 120 * time.Millisecond
)

// AudioOptions tune SendAudio.
type AudioOptions struct {
	// ReqID names the sequence; "" means a fresh NewReqID.
	ReqID string
	// VideoSeiInfo, if set, goes in every packet's Data.
	VideoSeiInfo string
}

type audioData struct {
	Audio        string `json:"Audio"`
	Seq          int    `json:"Seq"`
	IsFinal      bool   `json:"IsFinal"`
	VideoSeiInfo string `json:"VideoSeiInfo,omitempty"`
}

// SendAudio streams raw PCM from r as one SEND_AUDIO sequence: 5,120-byte
// packets with Seq from 1, the first AudioBurstPackets at once, then one
// every AudioInterval (or as soon as r delivers, if it is slower), a
// shorter last packet if r ends mid-packet, and a closing empty packet with
// IsFinal. It returns the sequence's ReqID. If r fails, the sequence is
// still closed with IsFinal (best effort) and r's error is returned. A nil
// or empty r sends nothing and returns ErrEmptyAudio.
func (c *Conn) SendAudio(ctx context.Context, r io.Reader, opts AudioOptions) (string, error) {
	reqID := opts.ReqID
	if reqID == "" {
		reqID = NewReqID()
	}
	if r == nil {
		return reqID, ErrEmptyAudio
	}
	p := audioPacer{c: c, reqID: reqID, sei: opts.VideoSeiInfo}
	return reqID, p.run(ctx, r)
}

type audioPacer struct {
	c     *Conn
	reqID string
	sei   string
	seq   int
	last  time.Time // when the previous packet went out
}

func (p *audioPacer) run(ctx context.Context, r io.Reader) error {
	buf := make([]byte, AudioPacketBytes)
	for {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			if err := p.packet(ctx, buf[:n]); err != nil {
				return err
			}
		}
		switch {
		case rerr == nil:
			continue
		case errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF):
			if p.seq == 0 {
				return ErrEmptyAudio
			}
			return p.final(ctx)
		default:
			failed := p.seq + 1
			if p.seq > 0 {
				p.final(ctx)
			}
			return &SendError{Command: "SEND_AUDIO", ReqID: p.reqID, Seq: failed, Err: rerr}
		}
	}
}

// packet waits for the packet's slot, then sends it.
func (p *audioPacer) packet(ctx context.Context, pcm []byte) error {
	p.seq++
	if p.seq > AudioBurstPackets {
		if wait := time.Until(p.last.Add(AudioInterval)); wait > 0 && !sleep(ctx, wait) {
			return &SendError{Command: "SEND_AUDIO", ReqID: p.reqID, Seq: p.seq, Err: ctx.Err()}
		}
	}
	p.last = time.Now()
	d := audioData{Audio: base64.StdEncoding.EncodeToString(pcm), Seq: p.seq, VideoSeiInfo: p.sei}
	return p.c.send(ctx, "SEND_AUDIO", p.reqID, p.seq, d)
}

func (p *audioPacer) final(ctx context.Context) error {
	p.seq++
	return p.c.send(ctx, "SEND_AUDIO", p.reqID, p.seq, audioData{Seq: p.seq, IsFinal: true, VideoSeiInfo: p.sei})
}
