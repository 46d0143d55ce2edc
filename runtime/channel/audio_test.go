package channel_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/channel/channeltest"
)

type audioPacket struct {
	At      time.Duration // since the call
	ReqID   string
	Audio   []byte
	Seq     int
	IsFinal bool
}

func isAudio(u channeltest.Upstream) bool { return u.Command == "SEND_AUDIO" }

// sendAudio runs SendAudio in a bubble and returns what the server saw.
func sendAudio(t *testing.T, r io.Reader) (string, []audioPacket, error) {
	var (
		id      string
		sendErr error
		got     []audioPacket
	)
	synctest.Test(t, func(t *testing.T) {
		f := newPipeFixture()
		defer f.close()
		c, err := channel.Dial(t.Context(), f.config())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		start := time.Now()
		id, sendErr = c.SendAudio(t.Context(), r, channel.AudioOptions{})
		synctest.Wait()
		ups, _ := f.h.WaitUpstream(t.Context(), 0, isAudio)
		for _, u := range ups {
			var d struct {
				Audio   string
				Seq     int
				IsFinal bool
			}
			if err := json.Unmarshal(u.Data, &d); err != nil || u.Problem != "" {
				t.Fatalf("bad packet %s: %v %s", u.Raw, err, u.Problem)
			}
			pcm, err := base64.StdEncoding.DecodeString(d.Audio)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, audioPacket{u.At.Sub(start), u.ReqID, pcm, d.Seq, d.IsFinal})
		}
	})
	return id, got, sendErr
}

func TestAudioPacing(t *testing.T) {
	pcm := make([]byte, 20*channel.AudioPacketBytes+1000) // 20 full packets and a short one
	for i := range pcm {
		pcm[i] = byte(i * 7)
	}
	id, got, err := sendAudio(t, bytes.NewReader(pcm))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 22 {
		t.Fatalf("got %d packets, want 21 with audio and 1 final", len(got))
	}
	var joined []byte
	for i, p := range got {
		seq := i + 1
		wantAt := time.Duration(0)
		if seq > channel.AudioBurstPackets && seq <= 21 {
			wantAt = time.Duration(seq-channel.AudioBurstPackets) * channel.AudioInterval
		}
		if seq == 22 {
			wantAt = got[20].At // the closing packet follows the last one at once
		}
		if p.Seq != seq || p.ReqID != id || p.At != wantAt || p.IsFinal != (seq == 22) {
			t.Errorf("packet %d: seq=%d at=%s final=%v req=%s; want at %s", i, p.Seq, p.At, p.IsFinal, p.ReqID, wantAt)
		}
		wantLen := channel.AudioPacketBytes
		switch seq {
		case 21:
			wantLen = 1000
		case 22:
			wantLen = 0
		}
		if len(p.Audio) != wantLen {
			t.Errorf("packet %d: %d bytes, want %d", seq, len(p.Audio), wantLen)
		}
		joined = append(joined, p.Audio...)
	}
	if !bytes.Equal(joined, pcm) {
		t.Fatal("the audio the server got differs from the input")
	}
	// Real-time factor after the burst: wall time / audio time over every
	// window that starts at the burst's end.
	for k := channel.AudioBurstPackets + 1; k <= 20; k++ {
		wall := got[k].At - got[channel.AudioBurstPackets-1].At
		audio := time.Duration(k-channel.AudioBurstPackets+1) * channel.AudioPacketDuration
		if rtf := float64(wall) / float64(audio); rtf < 0.75 || rtf > 1 {
			t.Errorf("after packet %d: real-time factor %.3f outside [0.75, 1]", k+1, rtf)
		}
	}
}

// slowReader hands out one packet per delay, like a live microphone.
type slowReader struct {
	left  int
	delay time.Duration
}

func (r *slowReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	time.Sleep(r.delay)
	n := min(len(p), channel.AudioPacketBytes, r.left)
	r.left -= n
	return n, nil
}

func TestAudioPacingSlowSourceDoesNotBurst(t *testing.T) {
	_, got, err := sendAudio(t, &slowReader{left: 10 * channel.AudioPacketBytes, delay: 200 * time.Millisecond})
	if err != nil || len(got) != 11 {
		t.Fatalf("%v, %d packets", err, len(got))
	}
	for i, p := range got[:10] {
		if want := time.Duration(i+1) * 200 * time.Millisecond; p.At != want {
			t.Errorf("packet %d at %s, want %s (as soon as the source delivers)", i+1, p.At, want)
		}
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, errors.New("disk on fire")
	}
	r.n--
	return copy(p, make([]byte, channel.AudioPacketBytes)), nil
}

func TestAudioReaderErrorClosesSequence(t *testing.T) {
	id, got, err := sendAudio(t, &failingReader{n: 2})
	var se *channel.SendError
	if !errors.As(err, &se) || se.ReqID != id || se.Seq != 3 || se.Err.Error() != "disk on fire" {
		t.Fatalf("err = %v", err)
	}
	if len(got) != 3 || !got[2].IsFinal || got[2].Seq != 3 {
		t.Fatalf("want 2 packets and a closing one, got %+v", got)
	}
}

func TestAudioEmptyReader(t *testing.T) {
	_, got, err := sendAudio(t, nil) // a nil reader is empty, not a panic
	if !errors.Is(err, channel.ErrEmptyAudio) || len(got) != 0 {
		t.Fatalf("nil reader: err=%v packets=%d", err, len(got))
	}
	_, got, err = sendAudio(t, bytes.NewReader(nil))
	if !errors.Is(err, channel.ErrEmptyAudio) || len(got) != 0 {
		t.Fatalf("err = %v, %d packets sent", err, len(got))
	}
}

func TestAudioCancelledMidStream(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newPipeFixture()
		defer f.close()
		c, err := channel.Dial(t.Context(), f.config())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
		defer cancel()
		_, err = c.SendAudio(ctx, bytes.NewReader(make([]byte, 50*channel.AudioPacketBytes)), channel.AudioOptions{ReqID: channel.NewReqID()})
		var se *channel.SendError
		if !errors.As(err, &se) || !errors.Is(err, context.DeadlineExceeded) || se.Seq != 11 {
			t.Fatalf("err = %v", err)
		}
	})
}
