package ivhotel_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

const canaryToken = "TOKEN-CANARY-0tel-5c1e"

// TestSecretCanary runs a retried call, a failed call, a wait and a
// session with a planted token, then looks for the token, any signature
// the gateway saw and any query string in every span name, attribute,
// event, status and metric label.
func TestSecretCanary(t *testing.T) {
	r := newRig(t, fakegw.WithCredentials("appkey-canary", canaryToken))
	r.srv.Inject(videoPath, fakegw.RateLimitFault("0"))
	started, err := r.client.Video.VideoMake(r.ctx, videoReq())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.client.Video.WaitVideoMake(r.ctx, videoReq(), started, ivh.WithWaitSleeper(noSleep{})); err != nil {
		t.Fatal(err)
	}
	r.srv.Inject(videoPath, fakegw.CodeFault(100005, "echo "+canaryToken))
	if _, err := r.client.Video.VideoMake(r.ctx, videoReq()); err == nil {
		t.Fatal("no error")
	}
	r.srv.ServeCommandChannel(fakegw.NewSessionStore("s-", 1))
	in := &ivh.CreateSessionRequest{VirtualmanProjectID: "p", UserID: "u", Protocol: ivh.StreamProtocolTrtc, DriverType: ivh.SessionDriverTypeText}
	boom := errors.New("fn failed")
	err = r.client.Session.RunSession(r.ctx, in, func(context.Context, *ivh.CommandChannelSession) error { return boom },
		ivhrt.WithSessionWait(ivhrt.WithWaitSleeper(noSleep{})))
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	r.root.End()
	out := r.everything(t)
	if !strings.Contains(out, "ivh.request_id") || !strings.Contains(out, "ivh.client.calls") || !strings.Contains(out, "echo [REDACTED]") {
		t.Fatalf("nothing recorded:\n%s", out)
	}
	secrets := []string{canaryToken, "signature", "timestamp=", "appkey=", "?", "url.full"}
	for _, rec := range r.srv.Requests() {
		sig := rec.Query.Get("signature")
		secrets = append(secrets, sig, url.QueryEscape(sig))
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("%q leaked into telemetry", s)
		}
	}
}

// everything renders every span and metric point with all their text.
func (r *rig) everything(t *testing.T) string {
	var b strings.Builder
	kvs := func(set []attribute.KeyValue) {
		for _, kv := range set {
			fmt.Fprintf(&b, " %s=%s", kv.Key, kv.Value.Emit())
		}
	}
	for _, s := range r.spans.Ended() {
		fmt.Fprintf(&b, "span %s status=%s %s", s.Name(), s.Status().Code, s.Status().Description)
		kvs(s.Attributes())
		for _, e := range s.Events() {
			b.WriteString("\n  event " + e.Name)
			kvs(e.Attributes)
		}
		b.WriteString("\n")
	}
	var rm metricdata.ResourceMetrics
	if err := r.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			b.WriteString("metric " + m.Name)
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					kvs(p.Attributes.ToSlice())
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					kvs(p.Attributes.ToSlice())
				}
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
