package channel_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/channel/channeltest"
)

type streamFrag struct {
	Text                                               string
	Seq                                                int
	IsFinal, Interrupt, IsSentence, SmartActionEnabled bool
}

func streamFrags(t *testing.T, h *channeltest.Handler, n int) ([]streamFrag, []string) {
	t.Helper()
	ups, err := h.WaitUpstream(ctx(t), n, func(u channeltest.Upstream) bool { return u.Command == "SEND_STREAMTEXT" })
	if err != nil {
		t.Fatal(err)
	}
	var out []streamFrag
	var ids []string
	for _, u := range ups {
		var f streamFrag
		if err := json.Unmarshal(u.Data, &f); err != nil || u.Problem != "" {
			t.Fatalf("%s: %v %s", u.Raw, err, u.Problem)
		}
		out, ids = append(out, f), append(ids, u.ReqID)
	}
	return out, ids
}

func TestStreamText(t *testing.T) {
	f := newFixture(t)
	c := f.dial(t, nil)
	s := c.StreamText(channel.StreamTextOptions{SmartActionEnabled: true})
	for _, piece := range []string{"Hello, ", "", "world"} {
		if err := s.Send(ctx(t), piece); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Finish(ctx(t), "!"); err != nil {
		t.Fatal(err)
	}
	frags, ids := streamFrags(t, f.h, 3)
	want := []streamFrag{{Text: "Hello, ", Seq: 1, SmartActionEnabled: true}, {Text: "world", Seq: 2, SmartActionEnabled: true},
		{Text: "!", Seq: 3, IsFinal: true, SmartActionEnabled: true}}
	for i := range want {
		if frags[i] != want[i] || ids[i] != s.ReqID() {
			t.Errorf("fragment %d = %+v (%s), want %+v (%s)", i, frags[i], ids[i], want[i], s.ReqID())
		}
	}
	if d := recvDownstream(t, c); d.SpeakStatus != "TextStart" || d.ReqID != s.ReqID() {
		t.Fatalf("%+v", d)
	}
	if d := recvDownstream(t, c); d.SpeakStatus != "TextOver" {
		t.Fatalf("%+v", d)
	}
	for _, err := range []error{s.Send(ctx(t), "late"), s.Finish(ctx(t), ""), s.Interrupt(ctx(t))} {
		if !errors.Is(err, channel.ErrStreamFinished) {
			t.Fatalf("after Finish: %v", err)
		}
	}
}

func TestStreamTextInterrupt(t *testing.T) {
	f := newFixture(t)
	c := f.dial(t, nil)
	id := channel.NewReqID()
	s := c.StreamText(channel.StreamTextOptions{ReqID: id, IsSentence: true})
	if err := s.Send(ctx(t), "A whole sentence here."); err != nil {
		t.Fatal(err)
	}
	if err := s.Interrupt(ctx(t)); err != nil {
		t.Fatal(err)
	}
	frags, ids := streamFrags(t, f.h, 2)
	if frags[1] != (streamFrag{Seq: 2, IsFinal: true, Interrupt: true, IsSentence: true}) || ids[1] != id || !frags[0].IsSentence {
		t.Fatalf("%+v %v", frags, ids)
	}
	if err := s.Send(ctx(t), "x"); !errors.Is(err, channel.ErrStreamFinished) {
		t.Fatal(err)
	}
}

func TestStreamTextSplitsLongPieces(t *testing.T) {
	f := newFixture(t)
	c := f.dial(t, nil)
	s := c.StreamText(channel.StreamTextOptions{MaxPieceBytes: 10})
	piece := strings.Repeat("数字人", 3) + "abc" // 27 bytes of 3-byte runes, then 3
	if err := s.Finish(ctx(t), piece); err != nil {
		t.Fatal(err)
	}
	frags, _ := streamFrags(t, f.h, 4)
	var joined strings.Builder
	for i, fr := range frags {
		if len(fr.Text) > 10 || !utf8.ValidString(fr.Text) || fr.Seq != i+1 || fr.IsFinal != (i == len(frags)-1) {
			t.Errorf("fragment %d = %+v", i, fr)
		}
		joined.WriteString(fr.Text)
	}
	if joined.String() != piece {
		t.Fatalf("joined %q", joined.String())
	}
	// A limit below one rune still makes progress and loses nothing.
	s = c.StreamText(channel.StreamTextOptions{MaxPieceBytes: 2})
	if err := s.Finish(ctx(t), "数"); err != nil {
		t.Fatal(err)
	}
}

func TestStreamTextEmptyFinishAndBadReqID(t *testing.T) {
	f := newFixture(t)
	c := f.dial(t, nil)
	s := c.StreamText(channel.StreamTextOptions{})
	if err := s.Finish(ctx(t), ""); err != nil {
		t.Fatal(err)
	}
	frags, _ := streamFrags(t, f.h, 1)
	if frags[0] != (streamFrag{Seq: 1, IsFinal: true}) {
		t.Fatalf("%+v", frags[0])
	}
	bad := c.StreamText(channel.StreamTextOptions{ReqID: "nope"})
	err := bad.Send(ctx(t), "x")
	var se *channel.SendError
	if !errors.As(err, &se) || se.Seq != 1 || se.Command != "SEND_STREAMTEXT" {
		t.Fatalf("err = %v", err)
	}
	// The failed fragment did not use up its Seq.
	if err := bad.Interrupt(ctx(t)); !errors.As(err, &se) || se.Seq != 1 {
		t.Fatalf("err = %v", err)
	}
}

func TestInterruptCommand(t *testing.T) {
	f := newFixture(t)
	c := f.dial(t, nil)
	id, err := c.Interrupt(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	ups, _ := f.h.WaitUpstream(ctx(t), 1, nil)
	var d struct {
		Text      *string
		Interrupt bool
	}
	json.Unmarshal(ups[0].Data, &d)
	if ups[0].Command != "SEND_TEXT" || ups[0].ReqID != id || d.Text == nil || *d.Text != "" || !d.Interrupt {
		t.Fatalf("%s", ups[0].Raw)
	}
}
