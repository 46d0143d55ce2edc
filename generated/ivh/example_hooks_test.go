package ivh_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

// Watch every attempt, retry and poll with hooks. The gateway throttles
// the first VideoMake; the client retries it after the Retry-After the
// gateway gave, then polls until the video is done. Hooks see metadata
// only: never the token, a signature or a query string.
func ExampleWithHooks() {
	gw, _ := exampleClient()
	defer gw.Close()
	gw.Inject("/v2/ivh/videomaker/broadcastservice/videomake", fakegw.RateLimitFault("0"))
	hooks := ivh.Hooks{
		AttemptEnd: func(_ context.Context, c *ivh.CallInfo, a *ivh.AttemptInfo) {
			if a.Retry {
				fmt.Printf("%s attempt %d: HTTP %d, retry (%s) after %v\n", c.API, a.Attempt, a.Status, a.Reason, a.Backoff)
			}
		},
		CallEnd: func(_ context.Context, c *ivh.CallInfo, r *ivh.CallResult) {
			if c.API == "VideoMake" {
				fmt.Printf("%s: %d attempts, task %s, error %v\n", c.API, r.Attempts, r.TaskID, r.Err)
			}
		},
		Poll: func(_ context.Context, w *ivh.WaitInfo, p *ivh.PollInfo) {
			fmt.Printf("%s poll %d: %s progress=%d queue=%d\n", w.Waiter, p.Poll, p.Status, p.Progress, p.Queue)
		},
	}
	client, err := ivh.NewClient(gw.AppKey(), gw.AccessToken(), ivh.WithBaseURL(gw.URL()), ivh.WithHooks(hooks))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	req := &ivh.VideoMakeRequest{VirtualmanKey: "vk-demo", InputSSML: ivh.Of("Hello."),
		SpeechParam: ivh.SpeechParam{Speed: 1.0, TimbreKey: ivh.Of("female_3")}}
	started, err := client.Video.VideoMake(ctx, req)
	if err != nil {
		fmt.Println("videomake:", err)
		return
	}
	if _, err := client.Video.WaitVideoMake(ctx, req, started, ivh.WithPollInterval(time.Millisecond)); err != nil {
		fmt.Println("wait:", err)
	}
	// Output:
	// VideoMake attempt 1: HTTP 429, retry (throttled) after 0s
	// VideoMake: 2 attempts, task task-42, error <nil>
	// WaitVideoMake poll 1: COMMIT progress=0 queue=2
	// WaitVideoMake poll 2: MAKING progress=50 queue=0
	// WaitVideoMake poll 3: SUCCESS progress=100 queue=0
}
