package ivh_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

// exampleClient starts an in-process gateway that answers the way the
// documents describe, and a client pointed at it. Real code creates the
// client with ivh.NewClient(appKey, accessToken) and talks to
// ivh.International (the default) or ivh.Mainland.
func exampleClient() (*fakegw.Server, *ivh.Client) {
	gw, err := fakegw.Start()
	if err != nil {
		panic(err)
	}
	playVideo(gw)
	playTimbres(gw)
	playSessions(gw)
	client, err := ivh.NewClient(gw.AppKey(), gw.AccessToken(), ivh.WithBaseURL(gw.URL()))
	if err != nil {
		panic(err)
	}
	return gw, client
}

// playVideo answers videomake with a task that is queued, then in
// production, then done.
func playVideo(gw *fakegw.Server) {
	const prefix = "/v2/ivh/videomaker/broadcastservice"
	fakegw.HandleFunc(gw, prefix+"/videomake", func(context.Context, *ivh.VideoMakeRequest) (*ivh.VideoMakeResponse, error) {
		return &ivh.VideoMakeResponse{TaskID: "task-42"}, nil
	})
	var polls atomic.Int32
	fakegw.HandleFunc(gw, prefix+"/getprogress", func(_ context.Context, req *ivh.GetProgressRequest) (*ivh.GetProgressResponse, error) {
		switch polls.Add(1) {
		case 1:
			return &ivh.GetProgressResponse{Status: ivh.TaskStatusCommit, ArrayCount: 2}, nil
		case 2:
			return &ivh.GetProgressResponse{Status: ivh.TaskStatusMaking, Progress: 50}, nil
		}
		return &ivh.GetProgressResponse{Status: ivh.TaskStatusSuccess, Progress: 100, Duration: 4200,
			MediaURL: "https://videomaker-resources.ivh.qq.com/" + req.TaskID + ".mp4"}, nil
	})
}

// playTimbres answers describetimbre from a catalogue of five voices.
func playTimbres(gw *fakegw.Server) {
	voices := []string{"female_1", "female_2", "female_3", "male_1", "male_2"}
	fakegw.HandleFunc(gw, "/v2/ivh/crmserver/customerassetservice/describetimbre",
		func(_ context.Context, req *ivh.DescribeTimbreRequest) (*ivh.DescribeTimbreResponse, error) {
			from := min((req.PageIndex-1)*req.PageSize, len(voices))
			to := min(from+req.PageSize, len(voices))
			resp := &ivh.DescribeTimbreResponse{Total: len(voices)}
			for _, v := range voices[from:to] {
				resp.TimbreAssets = append(resp.TimbreAssets, ivh.TimbreAssetDetail{TimbreKey: v, PurchaseType: ivh.PurchaseTypeLease})
			}
			return resp, nil
		})
}

// playSessions answers the session APIs: a project session is prepared
// for two polls; an asset session fails for lack of concurrency quota.
func playSessions(gw *fakegw.Server) {
	const prefix = "/v2/ivh/sessionmanager/sessionmanagerservice"
	fakegw.HandleFunc(gw, prefix+"/createsession", func(_ context.Context, req *ivh.CreateSessionRequest) (*ivh.CreateSessionResponse, error) {
		return &ivh.CreateSessionResponse{ReqID: req.ReqID, SessionID: "m-7", SessionStatus: ivh.SessionStatusPreparing}, nil
	})
	var polls atomic.Int32
	fakegw.HandleFunc(gw, prefix+"/statsession", func(_ context.Context, req *ivh.StatSessionRequest) (*ivh.StatSessionResponse, error) {
		if polls.Add(1) < 3 {
			return &ivh.StatSessionResponse{ReqID: req.ReqID, SessionStatus: ivh.SessionStatusPreparing}, nil
		}
		return &ivh.StatSessionResponse{ReqID: req.ReqID, SessionStatus: ivh.SessionStatusReady,
			PlayStreamAddr: "rtmp://liveplay.ivh.qq.com/live/" + req.SessionID}, nil
	})
	fakegw.HandleFunc(gw, prefix+"/startsession", func(_ context.Context, req *ivh.StartSessionRequest) (*ivh.StartSessionResponse, error) {
		return &ivh.StartSessionResponse{ReqID: req.ReqID}, nil
	})
	fakegw.HandleFunc(gw, prefix+"/closesession", func(_ context.Context, req *ivh.CloseSessionRequest) (*ivh.CloseSessionResponse, error) {
		return &ivh.CloseSessionResponse{ReqID: req.ReqID}, nil
	})
	fakegw.HandleFunc(gw, prefix+"/createsessionbyasset", func(context.Context, *ivh.CreateSessionByAssetRequest) (*ivh.CreateSessionByAssetResponse, error) {
		return nil, fakegw.Errorf(100014, "AssetConcurrencyQuotaNotFound")
	})
}

// Produce a video of an avatar reading a text, and wait until it is ready.
func ExampleVideoClient_WaitVideoMake() {
	gw, client := exampleClient()
	defer gw.Close()
	ctx := context.Background()

	req := &ivh.VideoMakeRequest{
		VirtualmanKey: "vk-demo",
		InputSSML:     ivh.Of("Hello from a digital human."),
		SpeechParam:   ivh.SpeechParam{Speed: 1.0, TimbreKey: ivh.Of("female_3")},
		VideoParam:    ivh.VideoParam{Format: ivh.Of(ivh.VideoFormatMp4)},
	}
	started, err := client.Video.VideoMake(ctx, req)
	if err != nil {
		fmt.Println("videomake:", err)
		return
	}
	done, err := client.Video.WaitVideoMake(ctx, req, started,
		ivh.WithPollInterval(10*time.Millisecond),
		ivh.WithProgress(func(p *ivh.GetProgressResponse) { fmt.Println("status:", p.Status) }))
	var failed *ivh.TaskFailedError
	switch {
	case errors.As(err, &failed):
		fmt.Println("task failed:", failed.FailCode, failed.FailMessage)
		return
	case err != nil:
		fmt.Println("wait:", err)
		return
	}
	fmt.Println("video:", done.MediaURL, done.Duration, "ms")
	// Output:
	// status: COMMIT
	// status: MAKING
	// status: SUCCESS
	// video: https://videomaker-resources.ivh.qq.com/task-42.mp4 4200 ms
}

// List every timbre, two per page; the iterator fetches the pages.
func ExampleAssetClient_DescribeTimbreAll() {
	gw, client := exampleClient()
	defer gw.Close()

	for timbre, err := range client.Asset.DescribeTimbreAll(context.Background(), &ivh.DescribeTimbreRequest{PageSize: 2}) {
		if err != nil {
			fmt.Println("describetimbre:", err)
			return
		}
		fmt.Println(timbre.TimbreKey, timbre.PurchaseType)
	}
	fmt.Println("pages fetched:", len(gw.RequestsTo("/v2/ivh/crmserver/customerassetservice/describetimbre")))
	// Output:
	// female_1 Lease
	// female_2 Lease
	// female_3 Lease
	// male_1 Lease
	// male_2 Lease
	// pages fetched: 3
}

// Create an interactive session, wait until it is ready, start it, and
// close it when done. ReqId is filled in by the client.
func ExampleSessionClient_WaitCreateSession() {
	gw, client := exampleClient()
	defer gw.Close()
	ctx := context.Background()

	req := &ivh.CreateSessionRequest{
		VirtualmanProjectID: "project-1",
		UserID:              "visitor-9",
		Protocol:            ivh.StreamProtocolRTMP,
		DriverType:          ivh.SessionDriverTypeText,
	}
	created, err := client.Session.CreateSession(ctx, req)
	if err != nil {
		fmt.Println("createsession:", err)
		return
	}
	fmt.Println("created:", created.SessionID, "status", created.SessionStatus)
	stat := created.SessionStatus
	addr := created.PlayStreamAddr
	if stat == ivh.SessionStatusPreparing {
		ready, err := client.Session.WaitCreateSession(ctx, req, created, ivh.WithPollInterval(10*time.Millisecond))
		if err != nil {
			fmt.Println("session did not become ready:", err)
			return
		}
		stat, addr = ready.SessionStatus, ready.PlayStreamAddr
	}
	fmt.Println("ready:", stat == ivh.SessionStatusReady, addr)
	defer func() {
		_, err := client.Session.CloseSession(ctx, &ivh.CloseSessionRequest{SessionID: created.SessionID})
		fmt.Println("closed:", err == nil)
	}()
	if _, err := client.Session.StartSession(ctx, &ivh.StartSessionRequest{SessionID: created.SessionID}); err != nil {
		fmt.Println("startsession:", err)
		return
	}
	fmt.Println("started")
	// Output:
	// created: m-7 status preparing
	// ready: true rtmp://liveplay.ivh.qq.com/live/m-7
	// started
	// closed: true
}

// Handle an API error by its documented code; the category tells what kind
// of failure it is, and the request id identifies the call to support.
func Example_handleAPIError() {
	gw, client := exampleClient()
	defer gw.Close()

	_, err := client.Session.CreateSessionByAsset(context.Background(), &ivh.CreateSessionByAssetRequest{
		AssetVirtualmanKey: "asset-1",
		UserID:             "visitor-9",
		Protocol:           ivh.StreamProtocolWebRtc,
		DriverType:         ivh.SessionDriverTypeAudio,
	})
	switch {
	case errors.Is(err, ivh.ErrNoConcurrencyQuota):
		fmt.Println("no concurrency left for this avatar; buy more or close a session")
	case errors.Is(err, ivh.ErrAvatarExpired):
		fmt.Println("the avatar expired")
	case err != nil:
		fmt.Println("other failure:", err)
	}
	var apiErr *ivh.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("code:", int(apiErr.Code), "category:", apiErr.Category, "quota:", apiErr.IsQuota(), "has request id:", apiErr.RequestID != "")
	}
	// Output:
	// no concurrency left for this avatar; buy more or close a session
	// code: 100014 category: quota quota: true has request id: true
}

// Receive the production result at the CallbackUrl given to VideoMake. The
// gateway POSTs it once and does not retry, so record it before answering.
func ExampleVideoResultHandler() {
	results := make(chan *ivh.VideoResultCallback, 1)
	mux := http.NewServeMux()
	mux.Handle("POST /ivh/result", ivh.VideoResultHandler(func(_ context.Context, r *ivh.VideoResultCallback) error {
		results <- r
		return nil
	}))
	srv := httptest.NewServer(mux) // real code: http.ListenAndServe
	defer srv.Close()

	// What the gateway sends when a task ends.
	body := `{"Payload":{"TaskId":"task-42","Status":"SUCCESS","Progress":100,
		"MediaUrl":"https://videomaker-resources.ivh.qq.com/task-42.mp4","SubtitlesUrl":"","FailMessage":""}}`
	resp, err := http.Post(srv.URL+"/ivh/result", "application/json", strings.NewReader(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()

	r := <-results
	fmt.Println(resp.StatusCode, r.TaskID, r.Status, r.MediaURL)
	// Output:
	// 200 task-42 SUCCESS https://videomaker-resources.ivh.qq.com/task-42.mp4
}
