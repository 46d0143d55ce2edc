package ivhtest_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/channel/channeltest"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// TestDriverEngineFlatFrameOnTheWire drives the client-side rendering
// channel through the generated client against the typed fake, and checks
// on the server side what arrived: one flat frame with exactly the declared
// keys, and a handshake signed over appkey, a fresh requestid and the
// timestamp.
func TestDriverEngineFlatFrameOnTheWire(t *testing.T) {
	srv := ivhtest.New(t)
	fake := srv.ServeDriverEngine()
	ctx := t.Context()
	ch, err := srv.Client().ClientRender.OpenDriverEngine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	id, err := ch.Drive(ctx, &ivh.DriveFrame{StreamID: "conv-1", VirtualmanProjectID: "proj", InputText: ivhrt.Of("hello"),
		SpeechParam: ivh.DriveSpeechParam{Speed: ivhrt.Of(1.5)}, DriverType: ivh.DriveModeText})
	if err != nil {
		t.Fatal(err)
	}
	ups, err := fake.WaitUpstream(ctx, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"ReqId":"` + id + `","StreamId":"conv-1","VirtualmanProjectId":"proj","InputText":"hello","SpeechParam":{"Speed":1.5},"DriverType":"TEXT"}`
	if string(ups[0].Raw) != want || ups[0].Problem != "" {
		t.Fatalf("server got %s (problem %q), want %s", ups[0].Raw, ups[0].Problem, want)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(ups[0].Raw, &keys); err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(keys)); !slices.Equal(got, []string{"DriverType", "InputText", "ReqId", "SpeechParam", "StreamId", "VirtualmanProjectId"}) {
		t.Fatalf("frame keys %v", got)
	}
	checkDriverHandshake(t, srv, ups[0])
	frames, err := fake.Frames()
	if err != nil || len(frames) != 1 || frames[0].StreamID != "conv-1" || frames[0].InputText.Value() != "hello" || frames[0].DriverType != ivh.DriveModeText {
		t.Fatalf("typed frames %+v, %v", frames, err)
	}
}

// checkDriverHandshake recomputes the signature of u's handshake with an
// HMAC written here, independent of the runtime's signer.
func checkDriverHandshake(t *testing.T, srv *ivhtest.Server, u channeltest.Upstream) {
	t.Helper()
	q := u.Query
	if got := slices.Sorted(maps.Keys(q)); !slices.Equal(got, []string{"appkey", "requestid", "signature", "timestamp"}) {
		t.Fatalf("handshake query keys %v", got)
	}
	ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
	if err != nil || time.Since(time.Unix(ts, 0)).Abs() > time.Minute {
		t.Fatalf("timestamp %q", q.Get("timestamp"))
	}
	if q.Get("appkey") != srv.AppKey() || !channel.ValidReqID(q.Get("requestid")) || q.Get("requestid") == u.ReqID {
		t.Fatalf("handshake %v (frame ReqId %s)", q, u.ReqID)
	}
	mac := hmac.New(sha256.New, []byte(srv.AccessToken()))
	mac.Write([]byte("appkey=" + q.Get("appkey") + "&requestid=" + q.Get("requestid") + "&timestamp=" + q.Get("timestamp")))
	if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); q.Get("signature") != want {
		t.Fatalf("signature %q, want %q", q.Get("signature"), want)
	}
}

// TestDriverEngineRefusesInvalidFramesAndEndsOnDrop: Validate's checks run
// before anything is sent, and a drop ends the channel (no session to
// reconnect to); a second channel signs a new requestid.
func TestDriverEngineRefusesInvalidFramesAndEndsOnDrop(t *testing.T) {
	srv := ivhtest.New(t)
	fake := srv.ServeDriverEngine()
	ctx := t.Context()
	c := srv.Client()
	ch, err := c.ClientRender.OpenDriverEngine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	var ve *ivhrt.ValidationError
	for name, f := range map[string]*ivh.DriveFrame{
		"no StreamId": {VirtualmanProjectID: "p", DriverType: ivh.DriveModeText},
		"speed 3":     {StreamID: "s", VirtualmanProjectID: "p", DriverType: ivh.DriveModeChat, SpeechParam: ivh.DriveSpeechParam{Speed: ivhrt.Of(3.0)}},
		"bad mode":    {StreamID: "s", VirtualmanProjectID: "p", DriverType: "SING"},
		"nil frame":   nil,
	} {
		if _, err := ch.Drive(ctx, f); !errors.As(err, &ve) {
			t.Errorf("%s: %v, want a *ValidationError", name, err)
		}
	}
	if _, err := ch.Drive(ctx, &ivh.DriveFrame{StreamID: "s", VirtualmanProjectID: "p", DriverType: ivh.DriveModeStreamText, Seq: ivhrt.Of(1), IsFinal: ivhrt.Of(true)}); err != nil {
		t.Fatal(err)
	}
	ups, err := fake.WaitUpstream(ctx, 1, nil)
	if err != nil || len(ups) != 1 {
		t.Fatalf("upstream %d frames, %v: invalid frames reached the wire", len(ups), err)
	}
	fake.Drop(ups[0].SessionID)
	if _, err := ch.Recv(ctx); !errors.Is(err, channel.ErrConnectionLost) {
		t.Fatalf("Recv after a drop: %v", err)
	}
	again, err := c.ClientRender.OpenDriverEngine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if _, err := again.Drive(ctx, &ivh.DriveFrame{StreamID: "s", VirtualmanProjectID: "p", DriverType: ivh.DriveModeText, InputText: ivhrt.Of("x")}); err != nil {
		t.Fatal(err)
	}
	ups, err = fake.WaitUpstream(ctx, 2, nil)
	if err != nil || ups[1].Query.Get("requestid") == ups[0].Query.Get("requestid") {
		t.Fatalf("second channel: %v, requestids %q %q", err, ups[0].Query.Get("requestid"), ups[1].Query.Get("requestid"))
	}
}
