package service_spans_files_test

import (
	"context"
	"testing"
	"time"

	video "github.com/ivhgen/ivhgen/generator/internal/goldencheck/service_spans_files"
	"github.com/ivhgen/ivhgen/generator/internal/goldencheck/service_spans_files/service_spans_filestest"
)

// One Video service spans two files: the API from the second file is on
// the same client and interface, and its flow polls the first file's API.
func TestServiceSpansFiles(t *testing.T) {
	srv := service_spans_filestest.New(t)
	c := srv.Client()
	var api video.VideoAPI = c.Video
	ctx := context.Background()
	in := &video.AudioMakeRequest{Text: "hi"}
	started, err := api.AudioMake(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	done, err := api.WaitAudioMake(ctx, in, started, video.WithPollInterval(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != video.TaskStatusSuccess {
		t.Fatalf("status %q, want SUCCESS", done.Status)
	}
	if _, err := api.VideoMake(ctx, &video.VideoMakeRequest{Text: "hi"}); err != nil {
		t.Fatal(err)
	}
	if got := len(srv.Tasks("GetProgress").Tasks()); got != 2 {
		t.Fatalf("%d tasks in GetProgress's store, want 2 (one per file's create)", got)
	}
}
