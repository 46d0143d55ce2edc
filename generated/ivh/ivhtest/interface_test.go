package ivhtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
)

// Code written against the service interfaces reaches the waiters and the
// iterators the generator adds (issue 10), here against the fake.
func TestInterfacesCarryWaitersAndIterators(t *testing.T) {
	c := ivhtest.New(t).Client()
	var video ivh.VideoAPI = c.Video
	var asset ivh.AssetAPI = c.Asset
	ctx := context.Background()
	in := &ivh.VideoMakeRequest{VirtualmanKey: "vk", InputSSML: ivh.Of("hi"), SpeechParam: ivh.SpeechParam{Speed: 1}}
	started, err := video.VideoMake(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	done, err := video.WaitVideoMake(ctx, in, started, ivh.WithPollInterval(time.Millisecond))
	if err != nil || done.Status != ivh.TaskStatusSuccess {
		t.Fatalf("WaitVideoMake through VideoAPI: %+v, %v", done, err)
	}
	for _, err := range asset.DescribeTimbreAll(ctx, &ivh.DescribeTimbreRequest{PageSize: 10}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	var _ interface {
		RunSession(context.Context, *ivh.CreateSessionRequest, func(context.Context, *ivh.CommandChannelSession) error, ...ivh.SessionOption) error
	} = ivh.SessionAPI(c.Session)
}
