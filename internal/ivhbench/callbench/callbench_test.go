package callbench_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/internal/ivhbench/callbench"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

// TestContendersPassTheGateway sends each contender's request to the fake
// gateway, which checks the signature, the envelope and the payload
// strictly: both make the same, valid call.
func TestContendersPassTheGateway(t *testing.T) {
	gw := fakegw.New(t, fakegw.WithCredentials(callbench.AppKey, callbench.AccessToken))
	var got []*ivh.VideoMakeRequest
	fakegw.HandleFunc(gw, callbench.VideoMakePath, func(_ context.Context, req *ivh.VideoMakeRequest) (*ivh.VideoMakeResponse, error) {
		got = append(got, req)
		return &ivh.VideoMakeResponse{TaskID: "t-1"}, nil
	})
	ours, err := callbench.Ours(gw.HTTPClient(), gw.URL())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []callbench.Contender{ours, callbench.Baseline(gw.HTTPClient(), gw.URL())} {
		if id, err := c.Call(); err != nil || id != "t-1" {
			t.Errorf("%s: %q, %v", c.Name, id, err)
		}
	}
	if len(got) != 2 {
		t.Fatalf("gateway saw %d calls, want 2", len(got))
	}
	a, b := got[0], got[1]
	if a.VirtualmanKey != b.VirtualmanKey || a.InputSSML != b.InputSSML || a.SpeechParam.Speed != b.SpeechParam.Speed ||
		a.VideoStorageS3URL != b.VideoStorageS3URL || a.VirtualmanKey != callbench.VirtualmanKey {
		t.Errorf("the contenders sent different requests:\n%+v\n%+v", a, b)
	}
}

func TestMeasureThroughMemTransport(t *testing.T) {
	hc := &http.Client{Transport: callbench.MemTransport{}}
	ours, err := callbench.Ours(hc, callbench.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := ours.Call(); err != nil || id != "t-1" {
		t.Fatalf("ours: %q, %v", id, err)
	}
	if id, err := callbench.Baseline(hc, callbench.BaseURL).Call(); err != nil || id != "t-1" {
		t.Fatalf("baseline: %q, %v", id, err)
	}
}

func TestRoundsReportsTheFailingContender(t *testing.T) {
	if testing.Short() {
		t.Skip("runs testing.Benchmark")
	}
	boom := errors.New("boom")
	calls := 0
	flaky := callbench.Contender{Name: "flaky", Call: func() (string, error) {
		calls++
		if calls > 3 {
			return "", boom
		}
		return "t-1", nil
	}}
	_, err := callbench.Rounds([]callbench.Contender{flaky}, 2)
	var ce *callbench.ContenderError
	if !errors.As(err, &ce) || ce.Name != "flaky" || !errors.Is(err, boom) {
		t.Fatalf("err = %v, want a ContenderError for flaky wrapping boom", err)
	}
	wrong := callbench.Contender{Name: "wrong", Call: func() (string, error) { return "t-2", nil }}
	if _, err := callbench.Rounds([]callbench.Contender{wrong}, 1); err == nil {
		t.Error("a wrong TaskId was not reported")
	}
}
