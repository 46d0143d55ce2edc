package ivhotel_test

import (
	"context"
	"fmt"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
	"github.com/ivhgen/ivhgen/runtime/ivhotel"
)

// Trace a video job against the fake gateway: the create call, then a
// wait whose three polls are events on its span and calls under it. Real
// code passes its own providers (an OTLP exporter, say), or none to use
// the global ones.
func Example() {
	srv, err := ivhtest.Start()
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	hooks, err := ivhotel.Hooks(ivhotel.WithTracerProvider(tp))
	if err != nil {
		panic(err)
	}
	client := srv.Client(ivh.WithHooks(hooks))

	ctx, job := tp.Tracer("example").Start(context.Background(), "render greeting")
	req := &ivh.VideoMakeRequest{VirtualmanKey: "vk-demo", InputSSML: ivh.Of("Hello."),
		SpeechParam: ivh.SpeechParam{Speed: 1, TimbreKey: ivh.Of("female_3")}}
	started, err := client.Video.VideoMake(ctx, req)
	if err == nil {
		_, err = client.Video.WaitVideoMake(ctx, req, started, ivh.WithPollInterval(time.Millisecond))
	}
	job.End()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range spans.Ended() { // children end before their parents
		fmt.Println(s.Name(), len(s.Events()), "events")
	}
	// Output:
	// POST /v2/ivh/videomaker/broadcastservice/videomake 0 events
	// Video.VideoMake 0 events
	// POST /v2/ivh/videomaker/broadcastservice/getprogress 0 events
	// Video.GetProgress 0 events
	// POST /v2/ivh/videomaker/broadcastservice/getprogress 0 events
	// Video.GetProgress 0 events
	// POST /v2/ivh/videomaker/broadcastservice/getprogress 0 events
	// Video.GetProgress 0 events
	// WaitVideoMake 3 events
	// render greeting 0 events
}
