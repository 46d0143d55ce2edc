package channel_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/channel/channeltest"
)

func TestSendTextAndReceiveSpeakStatus(t *testing.T) {
	f := newFixture(t)
	c := f.dial(t, nil)
	id, err := c.SendText(ctx(t), "hello")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"TextStart", "TextOver"} {
		d := recvDownstream(t, c)
		if d.Type != channel.TypeSpeakStatus || d.SpeakStatus != want || d.ReqID != id || d.SessionID != session {
			t.Fatalf("got %+v, want %s for %s", d, want, id)
		}
	}
	ups := f.h.Upstream()
	if len(ups) != 1 || ups[0].Problem != "" {
		t.Fatalf("upstream = %+v", ups)
	}
	var frame struct {
		Header  map[string]any
		Payload struct {
			ReqId, SessionId, Command string
			Data                      map[string]any
		}
	}
	if err := json.Unmarshal(ups[0].Raw, &frame); err != nil {
		t.Fatal(err)
	}
	if frame.Header == nil || frame.Payload.ReqId != id || frame.Payload.SessionId != session ||
		frame.Payload.Command != "SEND_TEXT" || frame.Payload.Data["Text"] != "hello" {
		t.Fatalf("frame = %s", ups[0].Raw)
	}
}

func TestNewReqIDShape(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := channel.NewReqID()
		if !channel.ValidReqID(id) || strings.ContainsAny(id, "-ABCDEF") || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
	for _, bad := range []string{"", "0123", strings.Repeat("A", 32), strings.Repeat("g", 32), "01234567-89ab-cdef-0123-456789abcdef"} {
		if channel.ValidReqID(bad) {
			t.Errorf("ValidReqID(%q) = true", bad)
		}
	}
}

func TestDownstreamFlatWrappedAndUnknown(t *testing.T) {
	f := newFixture(t, channeltest.WithResponder(nil))
	c := f.dial(t, nil)
	frames := []string{
		`{"Type":3,"SessionId":"` + session + `","ReqId":"r1","Seq":2,"SpeakStatus":"AudioOver","FinalType":1}`,
		`{"Header":{},"Payload":{"Type":"4","ReqId":"r2","Seq":"7","Text":"q","TextDisplay":"d","ContentType":1,"Final":true,"TtsSupport":"true","Muted":1}}`,
		`{"Type":42,"ReqId":"r3","Novel":{"x":1}}`,
		`{"Payload":"not an object","Type":3}`,
	}
	for _, fr := range frames {
		if err := f.h.PushRaw(session, []byte(fr)); err != nil {
			t.Fatal(err)
		}
	}
	d := recvDownstream(t, c)
	if d.SpeakStatus != "AudioOver" || d.FinalType != 1 || d.Seq != 2 || d.ReqID != "r1" {
		t.Fatalf("flat: %+v", d)
	}
	m, err := c.Recv(ctx(t))
	if err != nil || m.Type != channel.TypeLLMReply || m.Seq != 7 || m.Header == nil {
		t.Fatalf("wrapped: %+v %v", m, err)
	}
	d, err = m.Downstream()
	if err != nil || d.Text != "q" || d.TextDisplay != "d" || d.ContentType != "1" || !d.Final || !d.TtsSupport || !d.Muted {
		t.Fatalf("wrapped decode: %+v %v", d, err)
	}
	m, err = c.Recv(ctx(t))
	if err != nil || m.Type != 42 || m.ReqID != "r3" || m.Err() != nil {
		t.Fatalf("unknown type dropped or altered: %+v %v", m, err)
	}
	var novel struct{ Novel struct{ X int } }
	if err := m.Decode(&novel); err != nil || novel.Novel.X != 1 {
		t.Fatalf("Decode unknown: %+v %v", novel, err)
	}
	m, err = c.Recv(ctx(t))
	if err != nil || m.Type != 3 || m.Header != nil {
		t.Fatalf("flat frame with a Payload field: %+v %v", m, err)
	}
}

func TestMalformedDownstreamIsTypedError(t *testing.T) {
	f := newFixture(t, channeltest.WithResponder(nil))
	c := f.dial(t, nil)
	bad := []string{`{"Type":3,`, `null`, `[1,2]`, `"text"`, `{"Type":"three"}`, `{"Type":1e99}`, `{"Seq":{}}`}
	for _, b := range bad {
		if err := f.h.PushRaw(session, []byte(b)); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.h.PushBinary(session, []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	f.h.PushRaw(session, []byte(`{"Type":3,"SpeakStatus":"TextStart"}`))
	for i, b := range append(bad, "binary") {
		_, err := c.Recv(ctx(t))
		var fe *channel.FrameError
		if !errors.As(err, &fe) {
			t.Fatalf("frame %d %q: err = %v, want *FrameError", i, b, err)
		}
		if fe.Unwrap() == nil || !strings.Contains(fe.Error(), "malformed downstream frame") {
			t.Fatalf("frame %d: %v", i, fe)
		}
	}
	if d := recvDownstream(t, c); d.SpeakStatus != "TextStart" {
		t.Fatalf("channel did not carry on after malformed frames: %+v", d)
	}
}

func TestDriveErrors(t *testing.T) {
	f := newFixture(t, channeltest.WithResponder(nil))
	c := f.dial(t, nil)
	f.h.PushRaw(session, []byte(`{"Type":9,"ReqId":"r9","ErrorCode":110015,"ErrorMessage":"wrong time"}`))
	f.h.PushRaw(session, []byte(`{"Header":{"Code":"110016","Message":"not started"},"Payload":{"ReqId":"r8"}}`))
	f.h.PushRaw(session, []byte(`{"Type":9,"ReqId":"r7","ErrorCode":"x"}`))
	want := []channel.DriveError{{Code: 110015, Message: "wrong time", ReqID: "r9"}, {Code: 110016, Message: "not started", ReqID: "r8"}, {ReqID: "r7", Message: "undecodable failure report"}}
	for _, w := range want {
		m, err := c.Recv(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		var de *channel.DriveError
		if !errors.As(m.Err(), &de) || *de != w {
			t.Fatalf("Err() = %v, want %+v", m.Err(), w)
		}
		if !strings.Contains(de.Error(), w.ReqID) {
			t.Fatalf("error text lacks the request ID: %v", de)
		}
	}
}

func TestSendRejectsBadInput(t *testing.T) {
	f := newFixture(t)
	c := f.dial(t, nil)
	cases := []struct {
		cmd, id string
		data    any
		want    string
	}{
		{"", channel.NewReqID(), nil, "command is empty"},
		{"SEND_TEXT", "not-hex", nil, "32 lowercase hex"},
		{"SEND_TEXT", channel.NewReqID(), "a string", "JSON object"},
		{"SEND_TEXT", channel.NewReqID(), map[string]any{"f": func() {}}, "encode data"},
	}
	for _, tc := range cases {
		err := c.Send(ctx(t), tc.cmd, tc.id, tc.data)
		var se *channel.SendError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) || se.ReqID != tc.id {
			t.Errorf("Send(%q, %q, %v) = %v, want SendError containing %q", tc.cmd, tc.id, tc.data, err, tc.want)
		}
	}
	if err := c.Send(ctx(t), "SEND_TEXT", channel.NewReqID(), nil); err != nil {
		t.Fatal(err)
	}
	ups, err := f.h.WaitUpstream(ctx(t), 1, nil)
	if err != nil || len(ups) != 1 || string(ups[0].Data) != "{}" || ups[0].Problem != "" {
		t.Fatalf("only the valid frame should go out, with Data {}: %+v %v", ups, err)
	}
}

func TestServerFlagsProtocolViolations(t *testing.T) {
	f := newFixture(t)
	c := f.dial(t, nil)
	if err := c.Send(ctx(t), "SEND_NOTHING", channel.NewReqID(), nil); err != nil {
		t.Fatal(err)
	}
	m, err := c.Recv(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	var de *channel.DriveError
	if !errors.As(m.Err(), &de) || de.Code != 100001 || !strings.Contains(de.Message, "unknown Command") {
		t.Fatalf("got %v", m.Err())
	}
}

func TestCloseEndsEverything(t *testing.T) {
	f := newFixture(t, channeltest.WithResponder(nil))
	c := f.dial(t, nil)
	f.h.PushRaw(session, []byte(`{"Type":3}`))
	m, err := c.Recv(ctx(t))
	if err != nil || m.Type != 3 {
		t.Fatalf("%+v %v", m, err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	if _, err := c.Recv(ctx(t)); !errors.Is(err, channel.ErrClosed) {
		t.Fatalf("Recv after Close = %v", err)
	}
	if _, err := c.SendText(ctx(t), "x"); !errors.Is(err, channel.ErrClosed) {
		t.Fatalf("Send after Close = %v", err)
	}
	if err := f.h.WaitLive(ctx(t), session, 0); err != nil {
		t.Fatal("server still sees the connection:", err)
	}
	for range c.Messages(ctx(t)) {
		t.Fatal("Messages yielded after Close")
	}
}

func TestMessagesIterator(t *testing.T) {
	f := newFixture(t)
	c := f.dial(t, nil)
	if _, err := c.SendText(ctx(t), "hi"); err != nil {
		t.Fatal(err)
	}
	f.h.PushRaw(session, []byte(`{broken`))
	var statuses []string
	var frameErrs int
	for m, err := range c.Messages(ctx(t)) {
		var fe *channel.FrameError
		if errors.As(err, &fe) {
			frameErrs++
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		d, _ := m.Downstream()
		statuses = append(statuses, d.SpeakStatus)
		if len(statuses) == 2 {
			break
		}
	}
	if strings.Join(statuses, ",") != "TextStart,TextOver" {
		t.Fatalf("statuses = %v", statuses)
	}
	// The broken frame arrives after both statuses or between them; read on if needed.
	if frameErrs == 0 {
		var fe *channel.FrameError
		if _, err := c.Recv(ctx(t)); !errors.As(err, &fe) {
			t.Fatalf("want the FrameError, got %v", err)
		}
	}
}

func TestConcurrentSends(t *testing.T) {
	f := newFixture(t, channeltest.WithResponder(nil))
	c := f.dial(t, nil)
	const workers, each = 8, 25
	errs := make(chan error, workers)
	for w := range workers {
		go func() {
			s := c.StreamText(channel.StreamTextOptions{})
			for i := range each {
				if err := s.Send(ctx(t), fmt.Sprintf("w%d-%d ", w, i)); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	ups, err := f.h.WaitUpstream(ctx(t), workers*each, nil)
	if err != nil {
		t.Fatal(err)
	}
	next := map[string]int{}
	for _, u := range ups {
		var d struct{ Seq int }
		json.Unmarshal(u.Data, &d)
		if u.Problem != "" || d.Seq != next[u.ReqID]+1 {
			t.Fatalf("frame %s (problem %q): Seq out of order", u.Raw, u.Problem)
		}
		next[u.ReqID] = d.Seq
	}
	if len(next) != workers {
		t.Fatalf("%d streams", len(next))
	}
}

func TestCancelledSendKeepsConnection(t *testing.T) {
	f := newFixture(t)
	c := f.dial(t, nil)
	cctx, cancel := context.WithCancel(ctx(t))
	cancel()
	if _, err := c.SendText(cctx, "never"); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if _, err := c.SendText(ctx(t), "still up"); err != nil {
		t.Fatal(err)
	}
	ups, _ := f.h.WaitUpstream(ctx(t), 1, nil)
	if len(ups) != 1 || ups[0].Conn != 1 || f.h.Accepted() != 1 {
		t.Fatalf("upstream %+v, accepted %d", ups, f.h.Accepted())
	}
}
