package fullclienttest_test

import (
	"errors"
	"testing"

	"github.com/ivhgen/ivhgen/generator/internal/fullclient"
	"github.com/ivhgen/ivhgen/generator/internal/fullclient/fullclienttest"
	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// TestFlatChannelTypedBothWays drives a generated flat channel against its
// generated fake: the frame goes up flat and exactly as declared, and typed
// downstream messages decode as tolerantly as the command channel's, an
// undeclared Type untyped and a bad payload as a FrameError that does not
// end the channel.
func TestFlatChannelTypedBothWays(t *testing.T) {
	srv := fullclienttest.New(t)
	fake := srv.ServeDriver()
	ctx := t.Context()
	ch, err := srv.Client().Render.OpenDriver(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	var ve *ivhrt.ValidationError
	if _, err := ch.Drive(ctx, &fullclient.DriveFrame{StreamID: "s", InputText: ivhrt.Of("ééééééé")}); !errors.As(err, &ve) {
		t.Fatalf("14-byte InputText under maxBytes 12: %v", err)
	}
	id, err := ch.Drive(ctx, &fullclient.DriveFrame{StreamID: "s", InputText: ivhrt.Of("héllo"), Voice: fullclient.Voice{TimbreKey: "v"}, Seq: ivhrt.Of(1)})
	if err != nil {
		t.Fatal(err)
	}
	ups, err := fake.WaitUpstream(ctx, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"ReqId":"` + id + `","StreamId":"s","InputText":"héllo","Voice":{"TimbreKey":"v"},"Seq":1}`; len(ups) != 1 || string(ups[0].Raw) != want {
		t.Fatalf("server got %d frames, first %s; want only %s", len(ups), ups[0].Raw, want)
	}
	conn := ups[0].SessionID // the connection's fresh requestid
	for _, raw := range []string{
		`{"Type":"1","ReqId":"` + id + `","Seq":"2","IsFinal":"true","Quality":"2"}`,
		`{"Type":7,"ReqId":"` + id + `","Anything":[1]}`,
		`{"Type":1,"Seq":"two"}`,
		`{"Type":1,"Seq":3,"IsFinal":1}`,
	} {
		if err := fake.PushRaw(conn, []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	m, err := ch.Recv(ctx)
	if err != nil || m.Chunk == nil || m.ReqID != id || *m.Chunk != (fullclient.ChunkMessage{Seq: 2, IsFinal: true, Quality: fullclient.QualityHigh}) {
		t.Fatalf("loose scalars: %+v (%v)", m, err)
	}
	if m, err = ch.Recv(ctx); err != nil || m.Type != 7 || m.Chunk != nil {
		t.Fatalf("undeclared Type: %+v (%v)", m, err)
	}
	var fe *channel.FrameError
	if _, err = ch.Recv(ctx); !errors.As(err, &fe) {
		t.Fatalf("bad payload: %v, want a *channel.FrameError", err)
	}
	if m, err = ch.Recv(ctx); err != nil || m.Chunk == nil || m.Chunk.Seq != 3 || !m.Chunk.IsFinal {
		t.Fatalf("after a bad frame: %+v (%v)", m, err)
	}
	frames, err := fake.Frames()
	if err != nil || len(frames) != 1 || frames[0].Voice.TimbreKey != "v" || frames[0].Seq.Value() != 1 {
		t.Fatalf("typed frames %+v, %v", frames, err)
	}
}
