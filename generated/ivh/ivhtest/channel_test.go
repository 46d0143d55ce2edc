package ivhtest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// TestServeCommandChannel runs the generated session helper against the
// typed fake: strict payloads, the store's lifecycle and the channel.
func TestServeCommandChannel(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
	srv := ivhtest.New(t)
	store := fakegw.NewSessionStore("live-", 2)
	ch := srv.ServeCommandChannel(store)
	c := srv.Client(ivhrt.WithSleeper(noSleep{}))
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	in := &ivh.CreateSessionRequest{VirtualmanProjectID: "p", UserID: "u", Protocol: ivh.StreamProtocolTrtc, DriverType: ivh.SessionDriverTypeText}
	var sent string
	err := c.Session.RunSession(ctx, in, func(ctx context.Context, s *ivh.CommandChannelSession) error {
		if s.Ready.SessionStatus != ivh.SessionStatusReady || s.Ready.PlayStreamAddr == "" {
			t.Errorf("Ready = %+v", s.Ready)
		}
		var err error
		if sent, err = s.Channel.SendText(ctx, &ivh.SendTextData{Text: ivhrt.Of("hello")}); err != nil {
			return err
		}
		for m, err := range s.Channel.Messages(ctx) {
			if err != nil {
				return err
			}
			if m.ReqID == sent && m.SpeakStatus != nil && m.SpeakStatus.SpeakStatus == ivh.SpeakStatusTextOver {
				return nil
			}
		}
		return errors.New("channel ended before TextOver")
	}, ivhrt.WithSessionWait(ivhrt.WithWaitSleeper(noSleep{})))
	if err != nil {
		t.Fatal(err)
	}
	ss := store.Sessions()
	if len(ss) != 1 || ss[0].Status != fakegw.SessionClosed || !ss[0].Started || ss[0].Polls != 3 {
		t.Fatalf("sessions = %+v", ss)
	}
	if req, ok := ss[0].Input.(*ivh.CreateSessionRequest); !ok || req.VirtualmanProjectID != "p" {
		t.Fatalf("store got %#v", ss[0].Input)
	}
	ups := ch.Upstream()
	if len(ups) != 1 || ups[0].ReqID != sent || ups[0].Command != "SEND_TEXT" {
		t.Fatalf("upstream = %+v", ups)
	}
	// The store answers after the session is gone, too: a second close is
	// refused with the documented code, and the channel refuses it.
	_, err = c.Session.CloseSession(ctx, &ivh.CloseSessionRequest{SessionID: ss[0].ID})
	var ae *ivhrt.APIError
	if !errors.As(err, &ae) || ae.Code != fakegw.CodeSessionClosed {
		t.Fatalf("second close: %v", err)
	}
	_, err = c.Session.OpenCommandChannel(ctx, ss[0].ID)
	var de *channel.DialError
	if !errors.As(err, &de) || de.Code != int(fakegw.CodeSessionClosed) {
		t.Fatalf("channel of a closed session: %v", err)
	}
}
