package ivh_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

// a3Transport answers every request in memory with a VideoMake success.
type a3Transport struct{}

func (a3Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Request: r,
		Body: io.NopCloser(strings.NewReader(`{"Header":{"Code":0,"Message":"","RequestID":"r"},"Payload":{"TaskId":"t-1"}}`))}, nil
}

func a3Bench(b *testing.B, opts ...ivh.Option) {
	opts = append(opts, ivh.WithHTTPClient(&http.Client{Transport: a3Transport{}}))
	c, err := ivh.NewClient("appkey", hostileToken, opts...)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	req := &ivh.VideoMakeRequest{}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Video.VideoMake(ctx, req, ivh.SkipValidation()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAttack3CallNoHooks(b *testing.B)    { a3Bench(b) }
func BenchmarkAttack3CallEmptyHooks(b *testing.B) { a3Bench(b, ivh.WithHooks(ivh.Hooks{})) }
func BenchmarkAttack3CallNoopHooks(b *testing.B) {
	a3Bench(b, ivh.WithHooks(ivh.Hooks{
		CallStart:    func(ctx context.Context, _ *ivh.CallInfo) context.Context { return ctx },
		CallEnd:      func(context.Context, *ivh.CallInfo, *ivh.CallResult) {},
		AttemptStart: func(ctx context.Context, _ *ivh.CallInfo, _ int) context.Context { return ctx },
		AttemptEnd:   func(context.Context, *ivh.CallInfo, *ivh.AttemptInfo) {},
	}))
}
