package core_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// BenchmarkCallHooks is BenchmarkCall with an empty Hooks set: the cost of
// the observation bookkeeping itself.
func BenchmarkCallHooks(b *testing.B) {
	benchCall(b, []core.Option{core.WithHooks(core.Hooks{})})
}

// BenchmarkCallRawResponse is BenchmarkCall keeping the raw response.
func BenchmarkCallRawResponse(b *testing.B) {
	var raw core.RawResponse
	benchCall(b, nil, core.WithRawResponse(&raw))
}

func benchCall(b *testing.B, opts []core.Option, callOpts ...core.CallOption) {
	opts = append(opts, core.WithHTTPClient(&http.Client{Transport: memTransport{}}))
	c, err := core.NewClient(testAppKey, testToken, opts...)
	if err != nil {
		b.Fatal(err)
	}
	req := &makeReq{Text: "hello world", VideoStorageS3Url: "https://bucket.example/out.mp4"}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := core.Do[makeReq, makeResp](context.Background(), c, createOp, req, callOpts...)
		if err != nil || resp.TaskId != "t-1" {
			b.Fatal(resp, err)
		}
	}
}
