package fakegw_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// These tests drive the gateway with the project's real client runtime,
// the way generated code and users' tests will.

type videoMakeReq struct {
	VirtualmanKey string
	InputSsml     string
}

type videoMakeResp struct{ TaskId string }

type progressReq struct{ TaskId string }

type progressResp struct {
	Status      string
	Progress    int
	FailCode    int
	FailMessage string
}

var (
	opMake     = &core.Operation{Name: "VideoMake", Path: "/v2/ivh/videomaker/broadcastservice/videomake"}
	opProgress = &core.Operation{Name: "GetProgress", Path: "/v2/ivh/videomaker/broadcastservice/getprogress", Idempotent: true}
)

// videoGateway wires a TaskStore the way a generated layer would.
func videoGateway(t *testing.T, opts ...fakegw.Option) (*fakegw.Server, *fakegw.TaskStore) {
	s := fakegw.New(t, opts...)
	tasks := fakegw.NewTaskStore("")
	fakegw.HandleFunc(s, opMake.Path, func(_ context.Context, req *videoMakeReq) (*videoMakeResp, error) {
		return &videoMakeResp{TaskId: tasks.Create(req).ID}, nil
	})
	fakegw.HandleFunc(s, opProgress.Path, func(_ context.Context, req *progressReq) (*progressResp, error) {
		tk, err := tasks.Poll(req.TaskId)
		if err != nil {
			return nil, err
		}
		return &progressResp{Status: tk.Status, Progress: tk.Progress, FailCode: int(tk.FailCode), FailMessage: tk.FailMessage}, nil
	})
	return s, tasks
}

func newClient(t *testing.T, s *fakegw.Server, token string, opts ...core.Option) *core.Client {
	t.Helper()
	opts = append([]core.Option{core.WithBaseURL(s.URL())}, opts...)
	c, err := core.NewClient(s.AppKey(), token, opts...)
	must(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

type noSleep struct{}

func (noSleep) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

func waitVideo(ctx context.Context, c *core.Client, id string) (*progressResp, error) {
	poll := func(ctx context.Context) (*progressResp, error) {
		return core.Do[progressReq, progressResp](ctx, c, opProgress, &progressReq{TaskId: id})
	}
	classify := func(r *progressResp) (core.TaskState, error) {
		switch r.Status {
		case fakegw.StatusSuccess:
			return core.TaskSucceeded, nil
		case fakegw.StatusFail:
			return core.TaskFailed, &core.TaskFailedError{Op: "GetProgress", ID: id, Status: r.Status, FailCode: core.FailCode(r.FailCode), FailMessage: r.FailMessage}
		}
		return core.TaskPending, nil
	}
	return core.Wait(ctx, poll, classify, core.WithWaitSleeper(noSleep{}))
}

func TestRealClientCreateThenPoll(t *testing.T) {
	s, tasks := videoGateway(t)
	c := newClient(t, s, s.AccessToken())
	ctx := context.Background()
	made, err := core.Do[videoMakeReq, videoMakeResp](ctx, c, opMake, &videoMakeReq{VirtualmanKey: "vk", InputSsml: "hi"})
	must(t, err)
	equal(t, made.TaskId, "task-000001")
	var seen []string
	poll := func(ctx context.Context) (*progressResp, error) {
		r, err := core.Do[progressReq, progressResp](ctx, c, opProgress, &progressReq{TaskId: made.TaskId})
		if r != nil {
			seen = append(seen, r.Status)
		}
		return r, err
	}
	_, err = core.Wait(ctx, poll, func(r *progressResp) (core.TaskState, error) {
		if r.Status == fakegw.StatusSuccess {
			return core.TaskSucceeded, nil
		}
		return core.TaskPending, nil
	}, core.WithWaitSleeper(noSleep{}))
	must(t, err)
	equal(t, seen, []string{"COMMIT", "MAKING", "SUCCESS"})
	equal(t, tasks.Tasks()[0].Input.(*videoMakeReq).InputSsml, "hi")

	recs := s.Requests()
	equal(t, len(recs), 4)
	for _, r := range recs {
		equal(t, r.Code, 0, r.Path, r.Message)
		if r.RequestID == "" || r.HTTPHeader.Get("Idempotency-Key") != "" {
			t.Errorf("request %+v: want a RequestID and no Idempotency-Key", r)
		}
	}
}

func TestRealClientTaskFailure(t *testing.T) {
	s, tasks := videoGateway(t)
	tasks.ScriptNext(fakegw.FailingTaskSteps(801008, "download failed")...)
	c := newClient(t, s, s.AccessToken())
	made, err := core.Do[videoMakeReq, videoMakeResp](context.Background(), c, opMake, &videoMakeReq{})
	must(t, err)
	_, err = waitVideo(context.Background(), c, made.TaskId)
	if !errors.Is(err, core.FailCode(801008)) {
		t.Fatalf("err %v, want fail code 801008", err)
	}
}

func TestRealClientSeesErrorEnvelopes(t *testing.T) {
	s, _ := videoGateway(t)
	c := newClient(t, s, "wrong-token", core.WithoutClockSkewCorrection())
	_, err := core.Do[videoMakeReq, videoMakeResp](context.Background(), c, opMake, &videoMakeReq{}, core.WithRequestID("rid-auth"))
	apiErr := asReply[*core.APIError](t, err)
	equal(t, apiErr.Code, fakegw.CodeUnauthorized)
	equal(t, apiErr.RequestID, "rid-auth")
	contains(t, apiErr.Message, "signature mismatch")

	good := newClient(t, s, s.AccessToken())
	_, err = core.Do[progressReq, progressResp](context.Background(), good, opProgress, &progressReq{TaskId: "missing"})
	equal(t, asReply[*core.APIError](t, err).Code, fakegw.CodeRecordNotFound)

	s.Inject(opMake.Path, fakegw.CodeFault(100008, "concurrency limit"))
	_, err = core.Do[videoMakeReq, videoMakeResp](context.Background(), good, opMake, &videoMakeReq{})
	if !errors.Is(err, core.Code(100008)) {
		t.Errorf("err %v, want code 100008", err)
	}
}

// The gateway clock is six minutes ahead of the client's. Without skew
// correction the client is refused; with it, the runtime learns the offset
// from the Date header of the refusal and the retry is accepted.
func TestRealClientAndGatewayClockSkew(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	gwClock := fakegw.NewManualClock(now.Add(6 * time.Minute))
	s, _ := videoGateway(t, fakegw.WithClock(gwClock))
	clientClock := fakegw.NewManualClock(now)

	strict := newClient(t, s, s.AccessToken(), core.WithClock(clientClock), core.WithoutClockSkewCorrection())
	_, err := core.Do[videoMakeReq, videoMakeResp](context.Background(), strict, opMake, &videoMakeReq{})
	apiErr := asReply[*core.APIError](t, err)
	equal(t, apiErr.Code, fakegw.CodeUnauthorized)
	contains(t, apiErr.Message, "outside the ±5m0s window")

	s.ClearRequests()
	c := newClient(t, s, s.AccessToken(), core.WithClock(clientClock), core.WithSleeper(noSleep{}))
	_, err = core.Do[videoMakeReq, videoMakeResp](context.Background(), c, opMake, &videoMakeReq{})
	must(t, err)
	recs := s.Requests()
	equal(t, len(recs), 2, "refused once, then accepted")
	equal(t, recs[1].Query.Get("timestamp"), "1800000360")
}

func TestRealClientOverTLS(t *testing.T) {
	s, _ := videoGateway(t, fakegw.WithTLS())
	contains(t, s.URL(), "https://")
	c := newClient(t, s, s.AccessToken(), core.WithHTTPClient(s.HTTPClient()))
	_, err := core.Do[videoMakeReq, videoMakeResp](context.Background(), c, opMake, &videoMakeReq{})
	must(t, err)
	equal(t, s.NewConnections(), 1)
	equal(t, len(s.Requests()), 1)
	equal(t, s.Requests()[0].HTTPHeader.Get("Content-Type") != "", true)
}
