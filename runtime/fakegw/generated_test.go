package fakegw_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// The generated client against handlers wired the way the generated test
// layer will wire them: generated request types decoded strictly and
// validated, a TaskStore behind create and poll.
func TestGeneratedClient(t *testing.T) {
	s := fakegw.New(t)
	tasks := fakegw.NewTaskStore("")
	const makePath, progressPath = "/v2/ivh/videomaker/broadcastservice/videomake", "/v2/ivh/videomaker/broadcastservice/getprogress"
	fakegw.HandleFunc(s, makePath, func(_ context.Context, req *ivh.VideoMakeRequest) (*ivh.VideoMakeResponse, error) {
		return &ivh.VideoMakeResponse{TaskID: tasks.Create(req).ID}, nil
	})
	fakegw.HandleFunc(s, progressPath, func(_ context.Context, req *ivh.GetProgressRequest) (*ivh.GetProgressResponse, error) {
		tk, err := tasks.Poll(req.TaskID)
		if err != nil {
			return nil, err
		}
		return &ivh.GetProgressResponse{Status: ivh.TaskStatus(tk.Status), Progress: tk.Progress,
			FailCode: tk.FailCode, FailMessage: tk.FailMessage}, nil
	})
	hc := client(s)
	c, err := ivh.NewClient(s.AppKey(), s.AccessToken(), core.WithBaseURL(s.URL()), core.WithHTTPClient(hc))
	must(t, err)
	ctx := context.Background()

	req := &ivh.VideoMakeRequest{VirtualmanKey: "vk", InputSSML: core.Of("hello"), SpeechParam: ivh.SpeechParam{Speed: 1}}
	made, err := c.Video.VideoMake(ctx, req)
	must(t, err)
	var seen []string
	last, err := c.Video.WaitVideoMake(ctx, req, made, core.WithWaitSleeper(noSleep{}),
		core.WithProgress(func(r *ivh.GetProgressResponse) { seen = append(seen, string(r.Status)) }))
	must(t, err)
	equal(t, seen, []string{"COMMIT", "MAKING", "SUCCESS"})
	equal(t, last.Progress, 100)
	got := tasks.Tasks()[0].Input.(*ivh.VideoMakeRequest)
	equal(t, got.InputSSML.Value(), "hello")

	// A request the client is told not to validate is refused by the
	// gateway's own validation, as the real one would.
	_, err = c.Video.VideoMake(ctx, &ivh.VideoMakeRequest{SpeechParam: ivh.SpeechParam{Speed: 9}}, core.SkipValidation())
	var apiErr *core.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != fakegw.CodeBadParameter {
		t.Fatalf("err %v, want an APIError with code %d", err, fakegw.CodeBadParameter)
	}
	contains(t, apiErr.Message, "VirtualmanKey")
	contains(t, apiErr.Message, "Speed")

	tasks.ScriptNext(fakegw.FailingTaskSteps(801008, "download failed")...)
	made, err = c.Video.VideoMake(ctx, req)
	must(t, err)
	_, err = c.Video.WaitVideoMake(ctx, req, made, core.WithWaitSleeper(noSleep{}))
	if !errors.Is(err, core.FailCode(801008)) {
		t.Errorf("err %v, want fail code 801008", err)
	}
}
