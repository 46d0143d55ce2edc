package callbench

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
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
// the approach of BenchmarkCallBaseline in runtime/bench_test.go.
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
	body, err := json.Marshal(struct {
		Header  struct{ RequestID string }
		Payload *baselineRequest
	}{Payload: req})
	if err != nil {
		return nil, err
	}
	resp, err := hc.Post(u+"?"+SignedQuery(time.Now()), "application/json;charset=utf-8", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var env struct {
		Header struct {
			Code      int
			Message   string
			RequestID string
		}
		Payload baselineResponse
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return nil, err
	}
	// Read to EOF so that the connection goes back to the pool.
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return nil, err
	}
	if env.Header.Code != 0 {
		return nil, errors.New(env.Header.Message)
	}
	return &env.Payload, nil
}

// SignedQuery is the hand-written signing: appkey and timestamp, and the
// base64 HMAC-SHA256 of "appkey=..&timestamp=.." keyed by the token.
func SignedQuery(now time.Time) string {
	q := url.Values{"appkey": {AppKey}, "timestamp": {strconv.FormatInt(now.Unix(), 10)}}
	m := hmac.New(sha256.New, []byte(AccessToken))
	m.Write([]byte("appkey=" + q.Get("appkey") + "&timestamp=" + q.Get("timestamp")))
	q.Set("signature", base64.StdEncoding.EncodeToString(m.Sum(nil)))
	return q.Encode()
}
