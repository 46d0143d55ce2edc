package fakegw_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

func TestTaskStoreFailNextKeepsThePendingSteps(t *testing.T) {
	ts := fakegw.NewTaskStore("")
	ts.FailNext(fakegw.TaskStep{Status: fakegw.StatusFail, FailCode: 7, FailMessage: "boom"})
	failing, plain := ts.Create(nil), ts.Create(nil)
	equal(t, pollStatuses(t, ts, failing.ID, 3), []string{fakegw.StatusCommit, fakegw.StatusMaking, fakegw.StatusFail})
	equal(t, pollStatuses(t, ts, plain.ID, 3), []string{fakegw.StatusCommit, fakegw.StatusMaking, fakegw.StatusSuccess})
	last, _ := ts.Get(failing.ID)
	equal(t, last.FailCode, ivhrt.FailCode(7))
	equal(t, last.FailMessage, "boom")
}

type pollReq struct{ ID, Note string }

type pollResp struct {
	Note     string
	Progress int
	State    string
}

func TestPollHandlerEchoesAndSets(t *testing.T) {
	ts := fakegw.NewTaskStore("", fakegw.TaskStep{Status: "A"}, fakegw.TaskStep{Status: "B", Progress: 100})
	h := fakegw.PollHandler(ts, func(r *pollReq) string { return r.ID }, func(r *pollResp, tk fakegw.Task) { r.State = tk.Status })
	id := ts.Create(nil).ID
	h(context.Background(), &pollReq{ID: id})
	resp, err := h(context.Background(), &pollReq{ID: id, Note: "n"})
	must(t, err)
	equal(t, *resp, pollResp{Note: "n", Progress: 100, State: "B"})
	if _, err := h(context.Background(), &pollReq{ID: "nope"}); err == nil {
		t.Error("polling an unknown task succeeded")
	}
}

func TestCallChecksTheRequestType(t *testing.T) {
	f := func(_ context.Context, r *pollReq, _ ...ivhrt.CallOption) (*pollResp, error) {
		return nil, errors.New("failed")
	}
	if _, err := fakegw.Call(context.Background(), &pollResp{}, f, nil); err == nil {
		t.Error("a request of the wrong type was passed on")
	}
	v, err := fakegw.Call(context.Background(), &pollReq{}, f, nil)
	if v != nil || err == nil {
		t.Errorf("a failed call gave %#v, %v; want a nil any and the error", v, err)
	}
	equal(t, fakegw.Number[int64]("42"), int64(42))
}
