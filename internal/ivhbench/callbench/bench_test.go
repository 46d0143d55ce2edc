package callbench_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/internal/ivhbench/callbench"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

// BenchmarkVideoMake is the generated client's call; profile it with
// -cpuprofile or -memprofile when part 4 of the report misses its target.
func BenchmarkVideoMake(b *testing.B) {
	ours, err := callbench.Ours(&http.Client{Transport: callbench.MemTransport{}}, callbench.BaseURL)
	if err != nil {
		b.Fatal(err)
	}
	run(b, ours)
}

// BenchmarkVideoMakeBaseline is the hand-written stdlib call.
func BenchmarkVideoMakeBaseline(b *testing.B) {
	run(b, callbench.Baseline(&http.Client{Transport: callbench.MemTransport{}}, callbench.BaseURL))
}

func run(b *testing.B, c callbench.Contender) {
	b.ReportAllocs()
	for b.Loop() {
		if id, err := c.Call(); err != nil || id != "t-1" {
			b.Fatal(id, err)
		}
	}
}

// BenchmarkGatewayParallel is the generated client calling the fake
// gateway over loopback from 32 goroutines per CPU (part 5 of the report).
func BenchmarkGatewayParallel(b *testing.B) {
	gw := startGateway(b)
	ours, err := callbench.Ours(&http.Client{Transport: parallelTransport()}, gw.URL())
	if err != nil {
		b.Fatal(err)
	}
	runParallel(b, ours)
}

// BenchmarkGatewayParallelRaw is the raw net/http loop doing the same.
func BenchmarkGatewayParallelRaw(b *testing.B) {
	gw := startGateway(b)
	runParallel(b, callbench.Baseline(&http.Client{Transport: parallelTransport()}, gw.URL()))
}

func startGateway(b *testing.B) *fakegw.Server {
	gw := fakegw.New(b, fakegw.WithCredentials(callbench.AppKey, callbench.AccessToken))
	fakegw.HandleFunc(gw, callbench.VideoMakePath, func(context.Context, *ivh.VideoMakeRequest) (*ivh.VideoMakeResponse, error) {
		return &ivh.VideoMakeResponse{TaskID: "t-1"}, nil
	})
	return gw
}

func parallelTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}

func runParallel(b *testing.B, c callbench.Contender) {
	b.SetParallelism(32)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if id, err := c.Call(); err != nil || id != "t-1" {
				b.Error(id, err)
				return
			}
		}
	})
}
