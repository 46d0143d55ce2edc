package ivh_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

// creators are the APIs that start work (a task, a session, a drive) or
// change state; the descriptors mark them idempotent: false. Every other
// API is a query. CloseSession is idempotent: a repeat is answered "session
// closed", which Run counts as closed.
var creators = []string{
	"TTS", "VideoMake", "VideoMakeAdvanced", "VideoMakeNoTrain", "PhotoToVideoNoTrain",
	"MakeCustomization", "CustomerConfirm", "FaceDetect", "AudioEvaluation", "DetectAudioQuality",
	"CreateSession", "CreateSessionByAsset", "StartSession", "SendCommand", "NewStreamSession",
}

// noSleep skips retry backoff so the test does not wait.
type noSleep struct{}

func (noSleep) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// A retryable code (-101001, insufficient compute) is retried for queries
// only: a create that failed is reported, never silently sent twice.
func TestRetriesFollowIdempotence(t *testing.T) {
	all := slices.Concat(videoRoundTrips, assetRoundTrips, customizationRoundTrips, sessionRoundTrips, legacySessionRoundTrips)
	if len(all) != 39 {
		t.Fatalf("%d APIs in the round trips, want the 39 documented", len(all))
	}
	for _, tc := range all {
		t.Run(tc.name, func(t *testing.T) {
			g, c := newGateway(t, ivh.WithSleeper(noSleep{}))
			g.reply(tc.path, failure(int(ivh.ErrInsufficientCompute), "insufficient compute"), tc.reply)
			_, err := tc.call(t.Context(), c)
			attempts := len(g.payloads(tc.path))
			if slices.Contains(creators, tc.name) {
				if attempts != 1 || !errors.Is(err, ivh.ErrInsufficientCompute) {
					t.Errorf("create: %d attempts, err %v; want 1 attempt and the code", attempts, err)
				}
				return
			}
			if attempts != 2 || err != nil {
				t.Errorf("query: %d attempts, err %v; want a retry that succeeds", attempts, err)
			}
		})
	}
}
