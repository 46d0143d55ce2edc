package core_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/internal/stdlibclient"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

const benchResponse = `{"Header":{"Code":0,"Message":"","RequestID":"r-1"},"Payload":{"TaskId":"t-1"}}`

// memTransport answers every request in memory after reading its body.
type memTransport struct{}

func (memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}}, ContentLength: int64(len(benchResponse)),
		Body: io.NopCloser(strings.NewReader(benchResponse)), Request: r}, nil
}

func BenchmarkSign(b *testing.B) {
	tok := core.NewSecret("f68f2d10ae9e4604b76fb05cf46bccec")
	now := time.Unix(1646636485, 0)
	b.ReportAllocs()
	for b.Loop() {
		_ = core.SignedQuery("e38267c0e86411ebb02aed82acb0ed99", tok, now, nil).Encode()
	}
}

// BenchmarkCall is one whole call through the runtime: validate, marshal,
// sign, envelope, send through an in-memory RoundTripper, decode.
func BenchmarkCall(b *testing.B) {
	c, err := core.NewClient(testAppKey, testToken, core.WithHTTPClient(&http.Client{Transport: memTransport{}}))
	if err != nil {
		b.Fatal(err)
	}
	req := &makeReq{Text: "hello world", VideoStorageS3Url: "https://bucket.example/out.mp4"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := core.Do[makeReq, makeResp](ctx, c, createOp, req)
		if err != nil || resp.TaskId != "t-1" {
			b.Fatal(resp, err)
		}
	}
}

// BenchmarkCallBaseline is the same call written by hand with the
// standard library only: sign, marshal the envelope, POST, unmarshal.
func BenchmarkCallBaseline(b *testing.B) {
	hc := &http.Client{Transport: memTransport{}}
	req := &makeReq{Text: "hello world", VideoStorageS3Url: "https://bucket.example/out.mp4"}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := baselineCall(hc, req)
		if err != nil || resp.TaskId != "t-1" {
			b.Fatal(resp, err)
		}
	}
}

func baselineCall(hc *http.Client, req *makeReq) (*makeResp, error) {
	var out makeResp
	if err := stdlibclient.Call(hc, core.International+createOp.Path, testAppKey, testToken, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
