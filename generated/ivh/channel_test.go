package ivh_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

// recvUntil reads messages until one with SpeakStatus want for reqID.
func recvUntil(t *testing.T, ctx context.Context, ch *ivh.CommandChannel, reqID string, want ivh.SpeakStatus) *ivh.CommandChannelMessage {
	t.Helper()
	for {
		m, err := ch.Recv(ctx)
		if err != nil {
			t.Fatalf("waiting for %s of %s: %v", want, reqID, err)
		}
		if m.ReqID == reqID && m.SpeakStatus != nil && m.SpeakStatus.SpeakStatus == want {
			return m
		}
	}
}

func TestRunSessionFullLifecycle(t *testing.T) {
	leakCheck(t)
	g, c := newSessionGateway(t, 2)
	ctx := testCtx(t)
	in := &ivh.CreateSessionRequest{VirtualmanProjectID: "proj", UserID: "u1", Protocol: ivh.StreamProtocolRTMP, DriverType: ivh.SessionDriverTypeAudio}
	var id string
	err := c.Session.RunSession(ctx, in, func(ctx context.Context, s *ivh.CommandChannelSession) error {
		id = s.ID
		if s.Ready == nil || s.Ready.SessionStatus != ivh.SessionStatusReady || !strings.HasSuffix(s.Ready.PlayStreamAddr, s.ID) {
			t.Errorf("Ready = %+v", s.Ready)
		}
		ch := s.Channel
		textID, err := ch.SendText(ctx, &ivh.SendTextData{Text: ivh.Of("Hello")})
		if err != nil {
			return err
		}
		if !channel.ValidReqID(textID) {
			t.Errorf("ReqId %q is not 32 lower-case hex digits", textID)
		}
		recvUntil(t, ctx, ch, textID, ivh.SpeakStatusTextOver)
		st := ch.Conn().StreamText(channel.StreamTextOptions{})
		if err := st.Send(ctx, "Once upon "); err != nil {
			return err
		}
		if err := st.Finish(ctx, "a time."); err != nil {
			return err
		}
		recvUntil(t, ctx, ch, st.ReqID(), ivh.SpeakStatusTextOver)
		audioID, err := ch.Conn().SendAudio(ctx, bytes.NewReader(make([]byte, 2*channel.AudioPacketBytes+100)), channel.AudioOptions{})
		if err != nil {
			return err
		}
		over := recvUntil(t, ctx, ch, audioID, ivh.SpeakStatusAudioOver)
		if over.SpeakStatus.FinalType != 1 {
			t.Errorf("AudioOver FinalType = %v", over.SpeakStatus.FinalType)
		}
		return nil
	}, fastSession()...)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := g.store.Get(id); s.Status != fakegw.SessionClosed {
		t.Fatalf("session after Run: %+v", s)
	}
	paths := g.paths()
	want := []string{"createsession", "statsession", "statsession", "statsession", "startsession", "closesession"}
	if !slices.Equal(paths, want) {
		t.Errorf("calls = %v, want %v", paths, want)
	}
	var cmds []string
	for _, u := range g.ch.Upstream() {
		if u.Problem != "" || u.SessionID != id {
			t.Errorf("upstream frame broke the protocol: %s (%s)", u.Raw, u.Problem)
		}
		cmds = append(cmds, u.Command)
	}
	wantCmds := []string{"SEND_TEXT", "SEND_STREAMTEXT", "SEND_STREAMTEXT", "SEND_AUDIO", "SEND_AUDIO", "SEND_AUDIO", "SEND_AUDIO"}
	if !slices.Equal(cmds, wantCmds) {
		t.Errorf("upstream commands = %v, want %v", cmds, wantCmds)
	}
}

func TestRunSessionByAssetSendsTheAssetRequest(t *testing.T) {
	g, c := newSessionGateway(t, 0)
	in := &ivh.CreateSessionByAssetRequest{AssetVirtualmanKey: "asset-1", UserID: "u1", Protocol: ivh.StreamProtocolWebRtc, DriverType: ivh.SessionDriverTypeText}
	err := c.Session.RunSessionByAsset(testCtx(t), in, func(ctx context.Context, s *ivh.CommandChannelSession) error {
		_, err := s.Channel.SendText(ctx, &ivh.SendTextData{Text: ivh.Of("hi")})
		return err
	}, fastSession()...)
	if err != nil {
		t.Fatal(err)
	}
	sessions := g.store.Sessions()
	if len(sessions) != 1 || sessions[0].Status != fakegw.SessionClosed {
		t.Fatalf("sessions = %+v", sessions)
	}
	if r, ok := sessions[0].Input.(*ivh.CreateSessionByAssetRequest); !ok || r.AssetVirtualmanKey != "asset-1" {
		t.Fatalf("created with %#v", sessions[0].Input)
	}
}

// TestRunSessionAlwaysCloses checks every way out of fn, and failures
// before it, leave no session open.
func TestRunSessionAlwaysCloses(t *testing.T) {
	boom := errors.New("boom")
	cases := map[string]struct {
		fn      func(ctx context.Context, cancel context.CancelFunc, s *ivh.CommandChannelSession) error
		prepare func(g *sessionGateway)
		wantErr func(error) bool
		panics  bool
	}{
		"fn error": {
			fn:      func(context.Context, context.CancelFunc, *ivh.CommandChannelSession) error { return boom },
			wantErr: func(err error) bool { return errors.Is(err, boom) },
		},
		"fn panics": {
			fn:     func(context.Context, context.CancelFunc, *ivh.CommandChannelSession) error { panic(boom) },
			panics: true,
		},
		"ctx cancelled in fn": {
			fn: func(ctx context.Context, cancel context.CancelFunc, _ *ivh.CommandChannelSession) error {
				cancel()
				<-ctx.Done()
				return ctx.Err()
			},
			wantErr: func(err error) bool { return errors.Is(err, context.Canceled) },
		},
		"session fails to prepare": {
			prepare: func(g *sessionGateway) { g.store.FailNext(110001, "no capacity") },
			wantErr: func(err error) bool {
				var tf *ivh.TaskFailedError
				return errors.As(err, &tf)
			},
		},
		"channel refused": {
			prepare: func(g *sessionGateway) { g.ch.Close() }, // a closed endpoint refuses every handshake
			wantErr: func(err error) bool {
				var de *channel.DialError
				return errors.As(err, &de) && de.StatusCode != 0
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			leakCheck(t)
			g, c := newSessionGateway(t, 1)
			if tc.prepare != nil {
				tc.prepare(g)
			}
			ctx, cancel := context.WithCancel(testCtx(t))
			defer cancel()
			run := func() (recovered any, err error) {
				defer func() { recovered = recover() }()
				in := &ivh.CreateSessionRequest{VirtualmanProjectID: "p", UserID: "u", Protocol: ivh.StreamProtocolRTMP, DriverType: ivh.SessionDriverTypeText}
				return nil, c.Session.RunSession(ctx, in, func(ctx context.Context, s *ivh.CommandChannelSession) error {
					if tc.fn == nil {
						t.Error("fn called although a step before it failed")
						return nil
					}
					return tc.fn(ctx, cancel, s)
				}, fastSession()...)
			}
			recovered, err := run()
			if tc.panics != (recovered != nil) || (tc.panics && recovered != boom) {
				t.Fatalf("recovered %v, want panic %v", recovered, tc.panics)
			}
			if !tc.panics && (err == nil || !tc.wantErr(err)) {
				t.Fatalf("err = %v", err)
			}
			sessions := g.store.Sessions()
			if len(sessions) != 1 || sessions[0].Status != fakegw.SessionClosed {
				t.Fatalf("session left open: %+v", sessions)
			}
		})
	}
}

func TestCommandChannelReconnectsWhileTheSessionLives(t *testing.T) {
	leakCheck(t)
	g, c := newSessionGateway(t, 0)
	id := g.startedSession(t)
	ctx := testCtx(t)
	ch, err := c.Session.OpenCommandChannel(ctx, id, fastReconnect())
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	if err := g.ch.WaitLive(ctx, id, 1); err != nil {
		t.Fatal(err)
	}
	if n := g.ch.Drop(id); n != 1 {
		t.Fatalf("dropped %d connections", n)
	}
	if err := g.ch.WaitAccepted(ctx, 2); err != nil {
		t.Fatal("no reconnect:", err)
	}
	reqID, err := ch.SendText(ctx, &ivh.SendTextData{Text: ivh.Of("after the drop")})
	if err != nil {
		t.Fatal(err)
	}
	recvUntil(t, ctx, ch, reqID, ivh.SpeakStatusTextOver)
	if ch.Conn().Reconnects() != 1 {
		t.Fatalf("Reconnects = %d", ch.Conn().Reconnects())
	}
	ups := g.ch.Upstream()
	if last := ups[len(ups)-1]; last.Conn != 2 || last.ReqID != reqID {
		t.Fatalf("text went over connection %d: %s", last.Conn, last.Raw)
	}
	if len(g.RequestsTo(sessionPath+"statsession")) == 0 {
		t.Fatal("the channel reconnected without asking StatSession")
	}
}

func TestCommandChannelReportsAnEndedSession(t *testing.T) {
	leakCheck(t)
	g, c := newSessionGateway(t, 0)
	id := g.startedSession(t)
	ctx := testCtx(t)
	ch, err := c.Session.OpenCommandChannel(ctx, id, fastReconnect())
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	if err := g.ch.WaitLive(ctx, id, 1); err != nil {
		t.Fatal(err)
	}
	if err := g.ch.End(id); err != nil {
		t.Fatal(err)
	}
	for {
		_, err := ch.Recv(ctx)
		if err == nil {
			continue
		}
		if !errors.Is(err, channel.ErrSessionEnded) {
			t.Fatalf("Recv after the session ended: %v", err)
		}
		break
	}
	if _, err := ch.SendText(ctx, &ivh.SendTextData{Text: ivh.Of("too late")}); !errors.Is(err, channel.ErrSessionEnded) {
		t.Fatalf("SendText after the end: %v", err)
	}
	if g.ch.Accepted() != 1 {
		t.Fatalf("redialled an ended session: %d handshakes", g.ch.Accepted())
	}
}

func TestCommandChannelAdmitsOnlyStartedSessions(t *testing.T) {
	g, c := newSessionGateway(t, 0)
	ctx := testCtx(t)
	notStarted := g.store.Create("x")
	closed := g.startedSession(t)
	g.store.Close(closed)
	for id, code := range map[string]int{notStarted.ID: 110014, closed: 110013, "nope": 110018} {
		_, err := c.Session.OpenCommandChannel(ctx, id)
		var de *channel.DialError
		if !errors.As(err, &de) || de.Code != code {
			t.Errorf("%s: err = %v, want DialError code %d", id, err, code)
		}
	}
	// A client with a wrong token is refused for its signature, and the
	// token appears in no error.
	bad, err := ivh.NewClient(g.AppKey(), "wrong-token-secret", ivh.WithBaseURL(g.URL()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.Session.OpenCommandChannel(ctx, g.startedSession(t))
	var de *channel.DialError
	if !errors.As(err, &de) || de.Code != 100005 {
		t.Fatalf("wrong token: %v", err)
	}
	if strings.Contains(err.Error(), "wrong-token-secret") || strings.Contains(err.Error(), "signature=") {
		t.Fatalf("error leaks credentials: %v", err)
	}
}

func TestCommandChannelTypedDownstream(t *testing.T) {
	leakCheck(t)
	g, c := newSessionGateway(t, 0)
	id := g.startedSession(t)
	ctx := testCtx(t)
	ch, err := c.Session.OpenCommandChannel(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	if err := g.ch.WaitLive(ctx, id, 1); err != nil {
		t.Fatal(err)
	}
	frames := []string{
		`not json at all`,
		`{"Type":3,"SessionId":"` + id + `","ReqId":"r1","SpeakStatus":{"not":"a status"}}`,
		// Loosely typed scalars decode as the untyped Downstream reads them.
		`{"Type":3,"SessionId":"` + id + `","ReqId":"r5","SpeakStatus":"AudioOver","FinalType":"1"}`,
		`{"Type":77,"SessionId":"` + id + `","ReqId":"r2","Novel":true}`,
		`{"Type":4,"SessionId":"` + id + `","ReqId":"r3","Text":"q","TextDisplay":"answer","Final":true}`,
		`{"Type":9,"SessionId":"` + id + `","ReqId":"r4","ErrorCode":110015,"ErrorMessage":"bad order"}`,
	}
	for _, f := range frames {
		if err := g.ch.PushRaw(id, []byte(f)); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for m, err := range ch.Messages(ctx) {
		var fe *channel.FrameError
		switch {
		case errors.As(err, &fe) && m == nil:
			got = append(got, "malformed")
		case errors.As(err, &fe):
			got = append(got, "bad payload of Type "+itoa(m.Type)+" "+m.ReqID)
		case err != nil:
			t.Fatal(err)
		case m.Type == 77:
			if m.SpeakStatus != nil || m.LLMReply != nil || m.DriveFailed != nil || !json.Valid(m.Raw) || !bytes.Contains(m.Payload, []byte("Novel")) {
				t.Errorf("unknown type: %+v", m)
			}
			got = append(got, "unknown 77 kept")
		case m.SpeakStatus != nil:
			got = append(got, "status "+string(m.SpeakStatus.SpeakStatus)+" final="+itoa(m.SpeakStatus.FinalType))
		case m.LLMReply != nil:
			got = append(got, "reply "+m.LLMReply.TextDisplay+" final="+strconvBool(m.LLMReply.Final))
		case m.DriveFailed != nil:
			var de *channel.DriveError
			if !errors.As(m.Err(), &de) || de.Code != 110015 {
				t.Errorf("Err() = %v", m.Err())
			}
			got = append(got, "failed "+itoa(m.DriveFailed.ErrorCode))
		}
		if len(got) == len(frames) {
			break
		}
	}
	want := []string{"malformed", "bad payload of Type 3 r1", "status AudioOver final=1", "unknown 77 kept", "reply answer final=true", "failed 110015"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

func TestSendValidatesDataBeforeSending(t *testing.T) {
	g, c := newSessionGateway(t, 0)
	id := g.startedSession(t)
	ctx := testCtx(t)
	ch, err := c.Session.OpenCommandChannel(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	_, err = ch.SendText(ctx, &ivh.SendTextData{Text: ivh.Of(strings.Repeat("x", 4001))})
	if err == nil || !strings.Contains(err.Error(), "Data.Text") {
		t.Fatalf("err = %v", err)
	}
	if _, err := ch.SendStreamText(ctx, &ivh.SendStreamTextData{Seq: 0}); err == nil {
		t.Fatal("Seq 0 passed")
	}
	hb, err := ch.SendHeartbeat(ctx, &ivh.SendHeartbeatData{Text: "PING"})
	if err != nil {
		t.Fatal(err)
	}
	ups, err := g.ch.WaitUpstream(ctx, 1, nil)
	if err != nil || len(ups) != 1 || ups[0].ReqID != hb || ups[0].Command != "SEND_HEARTBEAT" || string(ups[0].Data) != `{"Text":"PING"}` {
		t.Fatalf("upstream = %+v (%v)", ups, err)
	}
}

// leakCheck verifies, after every other cleanup (servers included), that
// the test left no goroutine behind.
func leakCheck(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}

func TestCommandChannelPrintsNoToken(t *testing.T) {
	g, c := newSessionGateway(t, 0)
	id := g.startedSession(t)
	ch, err := c.Session.OpenCommandChannel(testCtx(t), id)
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	for _, v := range []any{ch, ch.Conn(), c} {
		for _, verb := range []string{"%v", "%+v", "%#v"} {
			if s := fmt.Sprintf(verb, v); strings.Contains(s, g.AccessToken()) {
				t.Errorf("%T under %s prints the token: %s", v, verb, s)
			}
		}
	}
}
