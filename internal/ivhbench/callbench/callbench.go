// Package callbench measures the cost of one VideoMake call through an
// in-memory RoundTripper, for internal/ivhbench. It is a package of its own so
// that the program ivhbench writes into a temporary module (to compare with
// an oapi-codegen client without our module depending on it) runs the very
// same contenders and the same statistics as the in-process run.
package callbench

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// AppKey and AccessToken are the credentials every contender signs with.
const (
	AppKey      = "e38267c0e86411ebb02aed82acb0ed99"
	AccessToken = "f68f2d10ae9e4604b76fb05cf46bccec"
)

// BaseURL is the gateway every contender is pointed at; the transport never
// dials it.
const BaseURL = "https://gateway.example"

// Response is the envelope MemTransport answers with.
const Response = `{"Header":{"Code":0,"Message":"","RequestID":"r-1"},"Payload":{"TaskId":"t-1"}}`

// The request every contender sends: the same four fields.
const (
	VirtualmanKey = "vm-0123456789abcdef"
	InputSSML     = "Hello world, this is a benchmark of one call."
	Speed         = 1.0
	VideoURL      = "https://bucket.example/out.mp4"
)

// MemTransport answers every request in memory after reading its body, so
// a benchmark measures the client and nothing of the network.
type MemTransport struct{}

// RoundTrip implements http.RoundTripper.
func (MemTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}}, ContentLength: int64(len(Response)),
		Body: io.NopCloser(strings.NewReader(Response)), Request: r}, nil
}

// Contender is one way of making the call. Call returns the TaskId.
type Contender struct {
	Name string
	Call func() (string, error)
}

// Sample is one testing.Benchmark run of one contender.
type Sample struct {
	NsPerOp     float64
	BytesPerOp  float64
	AllocsPerOp float64
}

// Measure runs one benchmark of c (testing.Benchmark's default of about
// one second) and checks every answer.
func Measure(c Contender) (Sample, error) {
	var failed error
	r := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			id, err := c.Call()
			if err == nil && id != "t-1" {
				err = errBadTaskID(id)
			}
			if err != nil {
				failed = err
				b.SkipNow()
			}
		}
	})
	if failed != nil {
		return Sample{}, failed
	}
	return Sample{
		NsPerOp:     float64(r.T.Nanoseconds()) / float64(r.N),
		BytesPerOp:  float64(r.MemBytes) / float64(r.N),
		AllocsPerOp: float64(r.MemAllocs) / float64(r.N),
	}, nil
}

// Rounds measures every contender rounds times, interleaved (A B C A B C
// ...) so that drift in the machine hits all of them alike. The result maps
// a contender's name to its samples in round order.
func Rounds(cs []Contender, rounds int) (map[string][]Sample, error) {
	out := make(map[string][]Sample, len(cs))
	for range rounds {
		for _, c := range cs {
			s, err := Measure(c)
			if err != nil {
				return nil, &ContenderError{Name: c.Name, Err: err}
			}
			out[c.Name] = append(out[c.Name], s)
		}
	}
	return out, nil
}

// ContenderError is a failed call of one contender.
type ContenderError struct {
	Name string
	Err  error
}

func (e *ContenderError) Error() string { return e.Name + ": " + e.Err.Error() }

// Unwrap returns the call's error.
func (e *ContenderError) Unwrap() error { return e.Err }

type errBadTaskID string

func (e errBadTaskID) Error() string { return "unexpected TaskId " + string(e) }
