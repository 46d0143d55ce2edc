package callbench

import (
	"context"
	"net/http"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/internal/stdlibclient"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// VideoMakePath is the wire path of VideoMake.
const VideoMakePath = "/v2/ivh/videomaker/broadcastservice/videomake"

// Ours is the generated client: validate, marshal, sign, envelope, send,
// decode, classify the result code.
func Ours(hc *http.Client, baseURL string) (Contender, error) {
	c, err := ivh.NewClient(AppKey, AccessToken, ivhrt.WithBaseURL(baseURL), ivhrt.WithHTTPClient(hc))
	if err != nil {
		return Contender{}, err
	}
	in := OurRequest()
	ctx := context.Background()
	return Contender{Name: "ivhgen", Call: func() (string, error) {
		out, err := c.Video.VideoMake(ctx, in)
		if err != nil {
			return "", err
		}
		return out.TaskID, nil
	}}, nil
}

// OurRequest is the benchmark request as the generated type.
func OurRequest() *ivh.VideoMakeRequest {
	return &ivh.VideoMakeRequest{
		VirtualmanKey:     VirtualmanKey,
		InputSSML:         ivhrt.Of(InputSSML),
		SpeechParam:       ivh.SpeechParam{Speed: Speed},
		VideoStorageS3URL: ivhrt.Of(VideoURL),
	}
}

// Baseline is the same call written by hand with the standard library
// only: sign, marshal the envelope, POST, unmarshal, check the code. It is
// package stdlibclient, shared with BenchmarkCallBaseline of the runtime.
func Baseline(hc *http.Client, baseURL string) Contender {
	in := &baselineRequest{VirtualmanKey: VirtualmanKey, InputSsml: InputSSML, VideoStorageS3Url: VideoURL}
	in.SpeechParam.Speed = Speed
	u := baseURL + VideoMakePath
	return Contender{Name: "stdlib", Call: func() (string, error) {
		out, err := baselineCall(hc, u, in)
		if err != nil {
			return "", err
		}
		return out.TaskId, nil
	}}
}

type baselineRequest struct {
	VirtualmanKey string
	InputSsml     string `json:",omitempty"`
	SpeechParam   struct {
		Speed float64
	}
	VideoStorageS3Url string `json:",omitempty"`
}

type baselineResponse struct{ TaskId string }

func baselineCall(hc *http.Client, u string, req *baselineRequest) (*baselineResponse, error) {
	var out baselineResponse
	if err := stdlibclient.Call(hc, u, AppKey, AccessToken, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// SignedQuery is the hand-written signing of package stdlibclient with
// this benchmark's credentials.
func SignedQuery(now time.Time) string { return stdlibclient.SignedQuery(AppKey, AccessToken, now) }
