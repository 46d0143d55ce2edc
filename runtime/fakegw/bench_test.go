package fakegw_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

// BenchmarkBareHTTPTest is the baseline: the same signed POST answered by a
// plain httptest handler that writes a fixed envelope.
func BenchmarkBareHTTPTest(b *testing.B) {
	reply := []byte(`{"Header":{"Code":0,"Message":"success","RequestID":"rid-1"},"Payload":{"TaskId":"t1"}}`)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(reply)
	}))
	defer ts.Close()
	gw := fakegw.New(b)
	benchPost(b, ts.Client(), ts.URL+"/work?"+signedQuery(gw))
}

// BenchmarkGateway is one call through every check, a strictly decoding
// typed handler, and recording.
func BenchmarkGateway(b *testing.B) {
	gw := fakegw.New(b)
	fakegw.HandleFunc(gw, "/work", func(_ context.Context, req *struct{ N int }) (*struct{ TaskId string }, error) {
		return &struct{ TaskId string }{"t1"}, nil
	})
	benchPost(b, gw.HTTPClient(), gw.URL()+"/work?"+signedQuery(gw))
	if n := len(gw.Requests()); n < b.N {
		b.Fatalf("recorded %d of %d requests", n, b.N)
	}
}

func benchPost(b *testing.B, hc *http.Client, u string) {
	body := `{"Header":{"RequestID":"rid-1"},"Payload":{"N":1}}`
	b.ReportAllocs()
	for b.Loop() {
		resp, err := hc.Post(u, "application/json", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(out), `"Code":0`) {
			b.Fatalf("reply %s", out)
		}
	}
}
