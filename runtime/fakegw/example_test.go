package fakegw_test

import (
	"context"
	"fmt"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// A test starts a gateway, registers a typed handler backed by a TaskStore,
// and points the real client at it. In a test, pass t instead of nil and
// drop the Close: the server closes itself at cleanup.
func Example() {
	gw := fakegw.New(nil)
	defer gw.Close()

	type makeReq struct{ InputSsml string }
	type makeResp struct{ TaskId string }
	tasks := fakegw.NewTaskStore("task-")
	fakegw.HandleFunc(gw, "/v2/ivh/videomaker/broadcastservice/videomake",
		func(_ context.Context, req *makeReq) (*makeResp, error) {
			return &makeResp{TaskId: tasks.Create(req).ID}, nil
		})

	client, err := core.NewClient(gw.AppKey(), gw.AccessToken(), core.WithBaseURL(gw.URL()))
	if err != nil {
		panic(err)
	}
	defer client.CloseIdleConnections()
	op := &core.Operation{Name: "VideoMake", Path: "/v2/ivh/videomaker/broadcastservice/videomake"}

	resp, err := core.Do[makeReq, makeResp](context.Background(), client, op, &makeReq{InputSsml: "Hello"})
	fmt.Println(resp.TaskId, err)

	// A scripted fault: the next call gets an error envelope.
	gw.Inject(op.Path, fakegw.CodeFault(100008, "concurrency limit"))
	_, err = core.Do[makeReq, makeResp](context.Background(), client, op, &makeReq{InputSsml: "Again"})
	fmt.Println(err != nil)

	for _, r := range gw.Requests() {
		fmt.Println(r.Path, int(r.Code), string(r.Payload))
	}
	// Output:
	// task-000001 <nil>
	// true
	// /v2/ivh/videomaker/broadcastservice/videomake 0 {"InputSsml":"Hello"}
	// /v2/ivh/videomaker/broadcastservice/videomake 100008 {"InputSsml":"Again"}
}
