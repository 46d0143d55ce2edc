package ivh_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

// The vendor's samples spell ids and statuses as numbers in one place and
// strings in another (FAULT F26). A success must decode either way, and a
// create whose Payload does not decode at all must keep its id and count as
// an unknown outcome, so that a caller who resends on errors does not make
// a second video.

func makeReq() *ivh.VideoMakeRequest {
	return &ivh.VideoMakeRequest{VirtualmanKey: "vk", InputSSML: ivh.Of("hi"), SpeechParam: ivh.SpeechParam{Speed: 1}}
}

func TestDriftNumericTaskIDDecodes(t *testing.T) {
	g, c := newGateway(t)
	g.reply(videoPrefix+"/videomake", ok(`{"TaskId":1234567}`))
	got, err := c.Video.VideoMake(t.Context(), makeReq())
	if err != nil || got.TaskID != "1234567" {
		t.Fatalf("VideoMake = %+v, %v; want TaskID 1234567", got, err)
	}
	if n := len(g.payloads(videoPrefix + "/videomake")); n != 1 {
		t.Errorf("%d create bodies received, want 1", n)
	}
}

func TestDriftQuotedIntsDecode(t *testing.T) {
	g, c := newGateway(t)
	g.reply(videoPrefix+"/getprogress", ok(`{"Status":"MAKING","Progress":"50","ArrayCount":"2","FailCode":"0"}`))
	got, err := c.Video.GetProgress(t.Context(), &ivh.GetProgressRequest{TaskID: "t"})
	if err != nil || got.Progress != 50 || got.ArrayCount != 2 {
		t.Fatalf("GetProgress = %+v, %v; want Progress 50, ArrayCount 2", got, err)
	}
}

func TestDriftUndecodableCreateKeepsItsID(t *testing.T) {
	g, c := newGateway(t)
	g.reply(sessionPrefix+"/createsession", ok(`{"SessionId":"m-9","SessionStatus":{"not":"a status"}}`))
	_, err := c.Session.CreateSession(t.Context(), &ivh.CreateSessionRequest{
		ReqID: reqID, VirtualmanProjectID: "p", UserID: "u", Protocol: ivh.StreamProtocolRTMP, DriverType: ivh.SessionDriverTypeText})
	var pe *ivh.ProtocolError
	if !errors.As(err, &pe) || pe.ID != "m-9" || len(pe.Payload) == 0 {
		t.Fatalf("err = %#v, want a *ProtocolError with ID m-9 and the Payload", err)
	}
	if !errors.Is(err, ivh.ErrOutcomeUnknown) {
		t.Error("an undecodable create success does not match ErrOutcomeUnknown")
	}
	if n := len(g.payloads(sessionPrefix + "/createsession")); n != 1 {
		t.Errorf("%d create bodies received, want 1", n)
	}
}

// RunSession closes a created session whatever else failed, also when the
// create's reply does not decode.
func TestDriftRunSessionClosesUndecodableSession(t *testing.T) {
	g, c := newGateway(t)
	g.reply(sessionPrefix+"/createsession", ok(`{"SessionId":"m-9","SessionStatus":{"not":"a status"}}`))
	g.reply(sessionPrefix+"/closesession", ok(`{}`))
	err := c.Session.RunSession(t.Context(), &ivh.CreateSessionRequest{
		ReqID: reqID, VirtualmanProjectID: "p", UserID: "u", Protocol: ivh.StreamProtocolRTMP, DriverType: ivh.SessionDriverTypeText},
		func(context.Context, *ivh.CommandChannelSession) error {
			t.Error("fn ran on a session whose create did not decode")
			return nil
		})
	if err == nil {
		t.Fatal("RunSession succeeded on an undecodable create")
	}
	closes := g.payloads(sessionPrefix + "/closesession")
	if len(closes) != 1 || string(closes[0]) == "" {
		t.Fatalf("%d CloseSession calls, want 1", len(closes))
	}
	if want := `"m-9"`; !strings.Contains(string(closes[0]), want) {
		t.Errorf("CloseSession payload %s lacks %s", closes[0], want)
	}
}

// A create success without the id its waiter needs is an error at once,
// not an "invalid request" from the first poll.
func TestDriftCreateWithoutIDFails(t *testing.T) {
	g, c := newGateway(t)
	g.reply(videoPrefix+"/videomake", ok(`{"Unrelated":1}`))
	_, err := c.Video.VideoMake(t.Context(), makeReq())
	var pe *ivh.ProtocolError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "without the TaskId") {
		t.Fatalf("err = %v, want a *ProtocolError naming TaskId", err)
	}
	if !errors.Is(err, ivh.ErrOutcomeUnknown) {
		t.Error("a create success without its id does not match ErrOutcomeUnknown")
	}
}

// A closed client sends nothing more.
func TestClosedClientSendsNothing(t *testing.T) {
	g, c := newGateway(t)
	g.reply(videoPrefix+"/videomake", ok(`{"TaskId":"t-1"}`))
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := c.Video.VideoMake(t.Context(), makeReq())
	if !errors.Is(err, ivh.ErrClientClosed) {
		t.Fatalf("err = %v, want ErrClientClosed", err)
	}
	if n := len(g.payloads(videoPrefix + "/videomake")); n != 0 {
		t.Errorf("%d bodies received after Close, want 0", n)
	}
	var nilClient *ivh.Client
	if err := nilClient.Close(); err != nil {
		t.Errorf("nil Client Close = %v", err)
	}
}
