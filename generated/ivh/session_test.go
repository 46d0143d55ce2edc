package ivh_test

import (
	"context"
	"encoding/json"
	"regexp"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

const (
	sessionPrefix = "/v2/ivh/sessionmanager/sessionmanagerservice"
	driverPrefix  = "/v2/ivh/interactdriver/interactdriverservice"
	legacyPrefix  = "/v2/ivh/streammanager/streamservice"
	reqID         = "d7aa1c2b3e4f5a6b7c8d9e0f1a2b3c4d"
)

var sessionList = `{"ReqId":"` + reqID + `","Sessions":[{"UserId":"u-1","SessionId":"m123","SessionStatus":1,
	"PlayStreamAddr":"webrtc://liveplay.ivh.qq.com/live/m123?min_delay_ms=100","DriverType":1,"IsSessionStarted":true,
	"VirtualmanType":"small_sample_2d","CreateType":1,"VirtualmanKey":"vk-1","AssetVirtualmanKey":"avk-1",
	"VirtualmanProjectId":""}]}`

var sessionListWant = []ivh.SessionInfo{{
	UserID: "u-1", SessionID: "m123", SessionStatus: ivh.SessionStatusReady,
	PlayStreamAddr: "webrtc://liveplay.ivh.qq.com/live/m123?min_delay_ms=100", DriverType: ivh.SessionDriverTypeText,
	IsSessionStarted: true, VirtualmanType: "small_sample_2d", CreateType: ivh.CreateTypeByAsset,
	VirtualmanKey: "vk-1", AssetVirtualmanKey: "avk-1",
}}

func TestSessionRoundTrips(t *testing.T) { runRoundTrips(t, sessionRoundTrips) }

// sessionRoundTrips exercises every Session API once.
var sessionRoundTrips = []roundTrip{{
	name: "CreateSession",
	path: sessionPrefix + "/createsession",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Session.CreateSession(ctx, &ivh.CreateSessionRequest{
			ReqID: reqID, VirtualmanProjectID: "proj-1", UserID: "u-1",
			Protocol: ivh.StreamProtocolTrtc, DriverType: ivh.SessionDriverTypeAudio,
			ProtocolOption: ivh.ProtocolOption{
				TrtcUseExternalApp: ivh.Of(true), TrtcAppID: ivh.Of("1400000001"),
				TrtcRoomID: ivh.Of(int64(4294967294)), TrtcStrRoomID: ivh.Of("room-a"),
				StrTrtcRoomID: ivh.Of("room-a"), TrtcAutoGenRoomIDType: ivh.Of(ivh.RoomIDTypeString),
				TrtcUserSig: ivh.Of("sig"), TrtcPrivateMapKey: ivh.Of("pmk"),
				CSSCustomPushURL: ivh.Of("rtmp://push.example/app/s?txSecret=a&txTime=b"),
			},
			ExtraInfo:         ivh.ExtraInfo{AlphaChannelEnable: ivh.Of(true)},
			StreamMaxInterval: ivh.Of(3000),
		})
	},
	wire: `{"ReqId":"` + reqID + `","VirtualmanProjectId":"proj-1","UserId":"u-1","Protocol":"trtc","DriverType":3,
		"ProtocolOption":{"TrtcUseExternalApp":true,"TrtcAppId":"1400000001","TrtcRoomId":4294967294,
		"TrtcStrRoomId":"room-a","StrTrtcRoomId":"room-a","TrtcAutoGenRoomIdType":1,"TrtcUserSig":"sig",
		"TrtcPrivateMapKey":"pmk","CssCustomPushUrl":"rtmp://push.example/app/s?txSecret=a&txTime=b"},
		"ExtraInfo":{"AlphaChannelEnable":true},"StreamMaxInterval":3000}`,
	reply: ok(`{"ReqId":"` + reqID + `","SessionId":"m123","SessionStatus":3,"PlayStreamAddr":"rtmp://liveplay.ivh.qq.com/live/m123"}`),
	want: &ivh.CreateSessionResponse{ReqID: reqID, SessionID: "m123", SessionStatus: ivh.SessionStatusPreparing,
		PlayStreamAddr: "rtmp://liveplay.ivh.qq.com/live/m123"},
}, {
	name: "CreateSessionByAsset",
	path: sessionPrefix + "/createsessionbyasset",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Session.CreateSessionByAsset(ctx, &ivh.CreateSessionByAssetRequest{
			ReqID: reqID, AssetVirtualmanKey: "avk-1", UserID: "u-1",
			Protocol: ivh.StreamProtocolRTMP, DriverType: ivh.SessionDriverTypeText,
			SpeechParam: ivh.SessionSpeechParam{Speed: ivh.Of(1.1), TimbreKey: ivh.Of("female_3"), Volume: ivh.Of(2)},
			Backgrounds: []ivh.VideoLayer{{URL: ivh.Of("https://example.com/bg.png"), X: ivh.Of(0), Y: ivh.Of(0),
				Width: ivh.Of(1920), Height: ivh.Of(1080)}},
			Foregrounds: []ivh.VideoLayer{{URL: ivh.Of("https://example.com/logo.png"), X: ivh.Of(20), Y: ivh.Of(20)}},
		})
	},
	wire: `{"ReqId":"` + reqID + `","AssetVirtualmanKey":"avk-1","UserId":"u-1","Protocol":"rtmp","DriverType":1,
		"SpeechParam":{"Speed":1.1,"TimbreKey":"female_3","Volume":2},
		"Backgrounds":[{"Url":"https://example.com/bg.png","X":0,"Y":0,"Width":1920,"Height":1080}],
		"Foregrounds":[{"Url":"https://example.com/logo.png","X":20,"Y":20}]}`,
	reply: ok(`{"SessionId":"m124","SessionStatus":1,"PlayStreamAddr":"rtmp://liveplay.ivh.qq.com/live/m124"}`),
	want: &ivh.CreateSessionByAssetResponse{SessionID: "m124", SessionStatus: ivh.SessionStatusReady,
		PlayStreamAddr: "rtmp://liveplay.ivh.qq.com/live/m124"},
}, {
	name: "StatSession",
	path: sessionPrefix + "/statsession",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Session.StatSession(ctx, &ivh.StatSessionRequest{ReqID: reqID, SessionID: "m123"})
	},
	wire: `{"ReqId":"` + reqID + `","SessionId":"m123"}`,
	reply: ok(`{"ReqId":"` + reqID + `","SessionStatus":2,"PlayStreamAddr":"","SpeakStatus":"TextOver",
		"IsSessionStarted":true,"ErrorCode":110022,"ErrorMessage":"closed by a new stream of the same UserId"}`),
	want: &ivh.StatSessionResponse{ReqID: reqID, SessionStatus: ivh.SessionStatusClosed, SpeakStatus: ivh.SpeakStatusTextOver,
		IsSessionStarted: true, ErrorCode: 110022, ErrorMessage: "closed by a new stream of the same UserId"},
}, {
	name: "StartSession",
	path: sessionPrefix + "/startsession",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Session.StartSession(ctx, &ivh.StartSessionRequest{ReqID: reqID, SessionID: "m123"})
	},
	wire:  `{"ReqId":"` + reqID + `","SessionId":"m123"}`,
	reply: ok(`{"ReqId":"` + reqID + `"}`),
	want:  &ivh.StartSessionResponse{ReqID: reqID},
}, {
	name: "CloseSession",
	path: sessionPrefix + "/closesession",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Session.CloseSession(ctx, &ivh.CloseSessionRequest{ReqID: reqID, SessionID: "m123"})
	},
	wire:  `{"ReqId":"` + reqID + `","SessionId":"m123"}`,
	reply: ok(`{"ReqId":"` + reqID + `"}`),
	want:  &ivh.CloseSessionResponse{ReqID: reqID},
}, {
	name: "ListSessionOfUin",
	path: sessionPrefix + "/listsessionofuin",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Session.ListSessionOfUin(ctx, &ivh.ListSessionOfUinRequest{ReqID: reqID})
	},
	wire:  `{"ReqId":"` + reqID + `"}`,
	reply: ok(sessionList),
	want:  &ivh.ListSessionOfUinResponse{ReqID: reqID, Sessions: sessionListWant},
}, {
	name: "ListSessionOfProjectID",
	path: sessionPrefix + "/listsessionofprojectid",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Session.ListSessionOfProjectID(ctx, &ivh.ListSessionOfProjectIDRequest{ReqID: reqID, VirtualmanProjectID: "proj-1"})
	},
	wire:  `{"ReqId":"` + reqID + `","VirtualmanProjectId":"proj-1"}`,
	reply: ok(sessionList),
	want:  &ivh.ListSessionOfProjectIDResponse{ReqID: reqID, Sessions: sessionListWant},
}, {
	name: "ListSessionOfAssetVK",
	path: sessionPrefix + "/listsessionofassetvk",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Session.ListSessionOfAssetVK(ctx, &ivh.ListSessionOfAssetVKRequest{ReqID: reqID, AssetVirtualmanKey: "avk-1"})
	},
	wire:  `{"ReqId":"` + reqID + `","AssetVirtualmanKey":"avk-1"}`,
	reply: ok(sessionList),
	want:  &ivh.ListSessionOfAssetVKResponse{ReqID: reqID, Sessions: sessionListWant},
}, {
	name: "SendCommand",
	path: driverPrefix + "/command",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.Session.SendCommand(ctx, &ivh.SendCommandRequest{
			ReqID: reqID, SessionID: "m123", Command: ivh.CommandSendText,
			Data: ivh.CommandData{Text: ivh.Of(`你好<insert-action type="bow"/>`), Interrupt: ivh.Of(true),
				ChatCommand: ivh.Of(ivh.ChatCommandNotUseChat)},
		})
	},
	wire: `{"ReqId":"` + reqID + `","SessionId":"m123","Command":"SEND_TEXT",
		"Data":{"Text":"你好<insert-action type=\"bow\"/>","Interrupt":true,"ChatCommand":"NotUseChat"}}`,
	reply: ok(`{}`),
	want:  &ivh.SendCommandResponse{},
}}

func TestLegacySessionRoundTrips(t *testing.T) { runRoundTrips(t, legacySessionRoundTrips) }

// legacySessionRoundTrips exercises every LegacySession API once.
var legacySessionRoundTrips = []roundTrip{{
	name: "NewStreamSession",
	path: legacyPrefix + "/newsession",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.LegacySession.NewStreamSession(ctx, &ivh.NewStreamSessionRequest{
			UserID: "u-1", Protocol: ivh.Of(ivh.StreamProtocolWebRtc), DriverType: ivh.SessionDriverTypeModulatedVoice,
			ProtocolOption: ivh.LegacyProtocolOption{RTMPPushAddr: ivh.Of("rtmp://push.example/live/x"),
				TrtcUseExternalApp: ivh.Of(false), TrtcAppID: ivh.Of("1400"), TrtcRoomID: ivh.Of(int64(7)),
				TrtcUserSig: ivh.Of("sig"), TrtcPrivateMapKey: ivh.Of("pmk")},
			ExtraInfo: ivh.LegacyExtraInfo{UserInfo: ivh.Of("vip")},
		})
	},
	wire: `{"UserId":"u-1","Protocol":"webrtc","DriverType":2,"ProtocolOption":{"RtmpPushAddr":"rtmp://push.example/live/x",
		"TrtcUseExternalApp":false,"TrtcAppId":"1400","TrtcRoomId":7,"TrtcUserSig":"sig","TrtcPrivateMapKey":"pmk"},
		"ExtraInfo":{"UserInfo":"vip"}}`,
	reply: ok(`{"SessionId":"s-9","SessionStatus":3,"PlayStreamAddr":""}`),
	want:  &ivh.NewStreamSessionResponse{SessionID: "s-9", SessionStatus: ivh.SessionStatusPreparing},
}, {
	name: "StatStreamSession",
	path: legacyPrefix + "/statsession",
	call: func(ctx context.Context, c *ivh.Client) (any, error) {
		return c.LegacySession.StatStreamSession(ctx, &ivh.StatStreamSessionRequest{SessionID: "s-9"})
	},
	wire:  `{"SessionId":"s-9"}`,
	reply: ok(`{"SessionStatus":5,"PlayStreamAddr":"rtmp://liveplay.ivh.qq.com/live/s-9","SpeakStatus":"speak_over","Uninterrupt":true}`),
	want: &ivh.StatStreamSessionResponse{SessionStatus: ivh.SessionStatusTimeout, PlayStreamAddr: "rtmp://liveplay.ivh.qq.com/live/s-9",
		SpeakStatus: ivh.LegacySpeakStatusSpeakOver, Uninterrupt: true},
}}

var reqIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// An empty ReqId is filled with a fresh 32-hex id per call, and the caller
// sees the id that was sent.
func TestSessionReqIDAutofill(t *testing.T) {
	g, c := newGateway(t)
	g.reply(sessionPrefix+"/startsession", ok(`{}`))
	var seen []string
	for range 2 {
		in := &ivh.StartSessionRequest{SessionID: "m123"}
		if _, err := c.Session.StartSession(t.Context(), in); err != nil {
			t.Fatal(err)
		}
		if !reqIDPattern.MatchString(in.ReqID) {
			t.Fatalf("filled ReqID %q is not 32 lower-case hex digits", in.ReqID)
		}
		seen = append(seen, in.ReqID)
	}
	if seen[0] == seen[1] {
		t.Errorf("two calls reused ReqId %s", seen[0])
	}
	for i, p := range g.payloads(sessionPrefix + "/startsession") {
		var body struct{ ReqId string }
		if err := json.Unmarshal(p, &body); err != nil {
			t.Fatal(err)
		}
		if body.ReqId != seen[i] {
			t.Errorf("call %d sent ReqId %q, request holds %q", i, body.ReqId, seen[i])
		}
	}
}
