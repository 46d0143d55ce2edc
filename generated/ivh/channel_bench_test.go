package ivh_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/channel/channeltest"
)

// benchChannel opens the generated channel to a loopback endpoint that
// records frames and does not answer.
func benchChannel(b *testing.B) *ivh.CommandChannel {
	h := channeltest.NewHandler("app", "tok", channeltest.WithResponder(nil))
	srv := httptest.NewServer(h)
	b.Cleanup(func() { h.Close(); srv.Close() })
	c, err := ivh.NewClient("app", "tok", ivh.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	ch, err := c.Session.OpenCommandChannel(context.Background(), "session-1")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ch.Close() })
	return ch
}

// BenchmarkSendTextRuntime is the baseline: the runtime's untyped SendText.
func BenchmarkSendTextRuntime(b *testing.B) {
	ch := benchChannel(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := ch.Conn().SendText(ctx, "Hello, how can I help you today?"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSendTextGenerated is the generated typed SendText: validation
// and Opt fields on top of the same send.
func BenchmarkSendTextGenerated(b *testing.B) {
	ch := benchChannel(b)
	ctx := context.Background()
	data := &ivh.SendTextData{Text: ivh.Of("Hello, how can I help you today?")}
	for b.Loop() {
		if _, err := ch.SendText(ctx, data); err != nil {
			b.Fatal(err)
		}
	}
}
