package ivhotel_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/ivhotel"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

const videoPath = "/v2/ivh/videomaker/broadcastservice/videomake"

// noSleep makes every retry and poll wait instant.
type noSleep struct{}

func (noSleep) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// rig is a fake gateway, a client traced and measured in memory, and a
// root span the test's calls run under.
type rig struct {
	srv    *ivhtest.Server
	client *ivh.Client
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
	ctx    context.Context
	root   sdktrace.ReadWriteSpan
}

func newRig(t *testing.T, opts ...fakegw.Option) *rig {
	r := &rig{srv: ivhtest.New(t, opts...), spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.spans))
	h, err := ivhotel.Hooks(ivhotel.WithTracerProvider(tp),
		ivhotel.WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(r.reader))))
	if err != nil {
		t.Fatal(err)
	}
	r.client = r.srv.Client(ivh.WithHooks(h), ivh.WithSleeper(noSleep{}))
	ctx, span := tp.Tracer("test").Start(t.Context(), "test")
	r.ctx, r.root = ctx, span.(sdktrace.ReadWriteSpan)
	return r
}

// tree renders the ended spans under the root, children in start order,
// with each span's events in brackets.
func (r *rig) tree() string {
	r.root.End()
	byParent := map[string][]sdktrace.ReadOnlySpan{}
	for _, s := range r.spans.Ended() {
		p := s.Parent().SpanID().String()
		byParent[p] = append(byParent[p], s)
	}
	var b strings.Builder
	var walk func(id string, depth int)
	walk = func(id string, depth int) {
		kids := byParent[id]
		slices.SortStableFunc(kids, func(a, b sdktrace.ReadOnlySpan) int { return a.StartTime().Compare(b.StartTime()) })
		for _, s := range kids {
			var evs []string
			for _, e := range s.Events() {
				evs = append(evs, e.Name)
			}
			fmt.Fprintf(&b, "%s%s %v\n", strings.Repeat("  ", depth), s.Name(), evs)
			walk(s.SpanContext().SpanID().String(), depth+1)
		}
	}
	walk(r.root.SpanContext().SpanID().String(), 0)
	return b.String()
}

func (r *rig) span(t *testing.T, name string, nth int) sdktrace.ReadOnlySpan {
	t.Helper()
	for _, s := range r.spans.Ended() {
		if s.Name() == name {
			if nth == 0 {
				return s
			}
			nth--
		}
	}
	t.Fatalf("no span %q", name)
	return nil
}

func attr(s sdktrace.ReadOnlySpan, k attribute.Key) attribute.Value {
	for _, kv := range s.Attributes() {
		if kv.Key == k {
			return kv.Value
		}
	}
	return attribute.Value{}
}

func videoReq() *ivh.VideoMakeRequest {
	return &ivh.VideoMakeRequest{VirtualmanKey: "vk", InputSSML: ivh.Of("hi"), SpeechParam: ivh.SpeechParam{Speed: 1, TimbreKey: ivh.Of("f")}}
}

// TestCallThatRetries: one call span under the caller's span, with a
// CLIENT child per attempt; the throttled one says it is retried and why.
func TestCallThatRetries(t *testing.T) {
	r := newRig(t)
	r.srv.Inject(videoPath, fakegw.RateLimitFault("0"))
	started, err := r.client.Video.VideoMake(r.ctx, videoReq())
	if err != nil {
		t.Fatal(err)
	}
	want := "Video.VideoMake []\n  POST " + videoPath + " []\n  POST " + videoPath + " []\n"
	if got := r.tree(); got != want {
		t.Fatalf("tree:\n%s\nwant:\n%s", got, want)
	}
	call, first, second := r.span(t, "Video.VideoMake", 0), r.span(t, "POST "+videoPath, 0), r.span(t, "POST "+videoPath, 1)
	checks := []struct {
		s    sdktrace.ReadOnlySpan
		k    attribute.Key
		want any
	}{
		{call, ivhotel.KeyTaskID, started.TaskID}, {call, ivhotel.KeyAttempts, int64(2)},
		{call, "http.request.method", "POST"}, {call, "url.template", videoPath}, {call, ivhotel.KeyIdempotent, false},
		{first, "http.response.status_code", int64(429)}, {first, ivhotel.KeyRetry, true},
		{first, ivhotel.KeyRetryReason, "throttled"}, {first, "error.type", "http"}, {first, ivhotel.KeyAttempt, int64(1)},
		{second, "http.request.resend_count", int64(1)}, {second, "http.response.status_code", int64(200)},
		{second, ivhotel.KeyRetry, false}, {second, "server.address", hostOf(t, r.srv.URL())},
	}
	for _, c := range checks {
		if got := attr(c.s, c.k).AsInterface(); got != c.want {
			t.Errorf("%s %s = %v, want %v", c.s.Name(), c.k, got, c.want)
		}
	}
	if attr(call, ivhotel.KeyRequestID).AsString() == "" {
		t.Error("call span has no RequestID")
	}
	if got := sum(t, r, "ivh.client.retries", "ivh.retry.reason", "throttled"); got != 1 {
		t.Errorf("retries = %d", got)
	}
}

func hostOf(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// TestWaitPollsThreeTimes: the wait is a span with one event per poll and
// a call span per poll under it.
func TestWaitPollsThreeTimes(t *testing.T) {
	r := newRig(t)
	started, err := r.client.Video.VideoMake(r.ctx, videoReq())
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.client.Video.WaitVideoMake(r.ctx, videoReq(), started, ivh.WithWaitSleeper(noSleep{}))
	if err != nil {
		t.Fatal(err)
	}
	poll := "    POST /v2/ivh/videomaker/broadcastservice/getprogress []\n"
	call := "  Video.GetProgress []\n" + poll
	want := "Video.VideoMake []\n  POST " + videoPath + " []\n" +
		"WaitVideoMake [poll poll poll]\n" + call + call + call
	if got := r.tree(); got != want {
		t.Fatalf("tree:\n%s\nwant:\n%s", got, want)
	}
	var statuses []string
	for _, e := range r.span(t, "WaitVideoMake", 0).Events() {
		for _, kv := range e.Attributes {
			if kv.Key == ivhotel.KeyStatus || kv.Key == ivhotel.KeyProgress || kv.Key == ivhotel.KeyState {
				statuses = append(statuses, kv.Value.Emit())
			}
		}
	}
	want3 := []string{"COMMIT", "pending", "0", "MAKING", "pending", "50", "SUCCESS", "succeeded", "100"}
	slices.Sort(statuses)
	slices.Sort(want3)
	if !slices.Equal(statuses, want3) {
		t.Errorf("poll attributes %v, want %v", statuses, want3)
	}
	if got := sum(t, r, "ivh.client.polls", "ivh.waiter", "WaitVideoMake"); got != 3 {
		t.Errorf("polls = %d", got)
	}
	if got := sum(t, r, "ivh.client.calls", "ivh.api", "GetProgress"); got != 3 {
		t.Errorf("GetProgress calls = %d", got)
	}
}

// TestSession: a session span carries the lifecycle events and the calls
// of the session as children; the open-sessions gauge returns to zero.
func TestSession(t *testing.T) {
	r := newRig(t)
	store := fakegw.NewSessionStore("live-", 2)
	r.srv.ServeCommandChannel(store)
	in := &ivh.CreateSessionRequest{VirtualmanProjectID: "p", UserID: "u", Protocol: ivh.StreamProtocolTrtc, DriverType: ivh.SessionDriverTypeText}
	open := int64(-1)
	err := r.client.Session.RunSession(r.ctx, in, func(ctx context.Context, s *ivh.CommandChannelSession) error {
		open = sum(t, r, "ivh.client.sessions.open", "", "")
		return nil
	}, ivhrt.WithSessionWait(ivhrt.WithWaitSleeper(noSleep{})))
	if err != nil {
		t.Fatal(err)
	}
	stat := "    Session.StatSession []\n      POST /v2/ivh/sessionmanager/sessionmanagerservice/statsession []\n"
	want := "Session [created ready started channel-opened channel-closed closed]\n" +
		"  Session.CreateSession []\n    POST /v2/ivh/sessionmanager/sessionmanagerservice/createsession []\n" +
		"  WaitCreateSession [poll poll poll]\n" + stat + stat + stat +
		"  Session.StartSession []\n    POST /v2/ivh/sessionmanager/sessionmanagerservice/startsession []\n" +
		"  Session.CloseSession []\n    POST /v2/ivh/sessionmanager/sessionmanagerservice/closesession []\n"
	if got := r.tree(); got != want {
		t.Fatalf("tree:\n%s\nwant:\n%s", got, want)
	}
	if id := attr(r.span(t, "Session", 0), ivhotel.KeySessionID).AsString(); !strings.HasPrefix(id, "live-") {
		t.Errorf("session id %q", id)
	}
	if open != 1 || sum(t, r, "ivh.client.sessions.open", "", "") != 0 {
		t.Errorf("open sessions: %d while running, %d after", open, sum(t, r, "ivh.client.sessions.open", "", ""))
	}
}

// TestFailedCall: errors count by API and category, and the span is
// marked failed with the code.
func TestFailedCall(t *testing.T) {
	r := newRig(t)
	r.srv.Inject(videoPath, fakegw.CodeFault(100008, "quota"))
	if _, err := r.client.Video.VideoMake(r.ctx, videoReq()); err == nil {
		t.Fatal("no error")
	}
	call := r.span(t, "Video.VideoMake", 0)
	if call.Status().Code.String() != "Error" || attr(call, ivhotel.KeyCode).AsInt64() != 100008 || attr(call, "error.type").AsString() != "quota" {
		t.Errorf("status %v attrs %v", call.Status(), call.Attributes())
	}
	if got := sum(t, r, "ivh.client.errors", "error.type", "quota"); got != 1 {
		t.Errorf("errors = %d", got)
	}
}

// sum adds the int points of metric name whose attribute k is v ("" for
// any).
func sum(t *testing.T, r *rig, name string, k attribute.Key, v string) int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := r.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if s, ok := m.Data.(metricdata.Sum[int64]); ok && m.Name == name {
				for _, p := range s.DataPoints {
					if got, ok := p.Attributes.Value(k); k == "" || ok && got.Emit() == v {
						n += p.Value
					}
				}
			}
		}
	}
	return n
}
