package ivh_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

// fast keeps waiter tests quick: polls 1 ms apart.
var fast = []ivh.WaitOption{ivh.WithPollInterval(time.Millisecond), ivh.WithMaxPollInterval(time.Millisecond)}

// waiterCase is one create-then-poll flow: wait starts waiting for the
// work identified by id; the poll API answers pending, then final.
type waiterCase struct {
	name     string
	pollPath string
	idField  string // poll request field carrying the id
	id       string
	wait     func(context.Context, *ivh.Client, ...ivh.WaitOption) (any, error)
	pending  string
	success  string
	failure  string
	failCode ivh.FailCode // expected code of the failure, 0 when none is reported
	// noPending marks a flow whose status has no pending value: the first
	// poll ends the wait.
	noPending bool
}

var waiterCases = []waiterCase{{
	name: "TTS", pollPath: videoPrefix + "/getprogress", idField: "TaskId", id: "t-1",
	wait: func(ctx context.Context, c *ivh.Client, o ...ivh.WaitOption) (any, error) {
		return c.Video.WaitTTS(ctx, &ivh.TTSRequest{}, &ivh.TTSResponse{TaskID: "t-1"}, o...)
	},
	pending:  ok(`{"Status":"COMMIT","ArrayCount":3,"Progress":0}`),
	success:  ok(`{"Status":"SUCCESS","Progress":100,"MediaUrl":"https://r/a.mp3","Duration":900}`),
	failure:  ok(`{"Status":"FAIL","Progress":-1,"FailCode":801403,"FailMessage":"receive audio failed"}`),
	failCode: ivh.FailAudioReceiveFailed,
}, {
	name: "VideoMake", pollPath: videoPrefix + "/getprogress", idField: "TaskId", id: "t-2",
	wait: func(ctx context.Context, c *ivh.Client, o ...ivh.WaitOption) (any, error) {
		return c.Video.WaitVideoMake(ctx, &ivh.VideoMakeRequest{}, &ivh.VideoMakeResponse{TaskID: "t-2"}, o...)
	},
	pending:  ok(`{"Status":"MAKING","Progress":40}`),
	success:  ok(`{"Status":"SUCCESS","Progress":100,"MediaUrl":"https://r/v.webm","SubtitlesUrl":"https://r/v.srt"}`),
	failure:  ok(`{"Status":"FAIL","Progress":-1,"FailCode":801008,"FailMessage":"download failed"}`),
	failCode: ivh.FailDownloadFailed,
}, {
	name: "VideoMakeAdvanced", pollPath: videoPrefix + "/getprogress", idField: "TaskId", id: "t-3",
	wait: func(ctx context.Context, c *ivh.Client, o ...ivh.WaitOption) (any, error) {
		return c.Video.WaitVideoMakeAdvanced(ctx, nil, &ivh.VideoMakeAdvancedResponse{TaskID: "t-3"}, o...)
	},
	pending:  ok(`{"Status":"MAKING"}`),
	success:  ok(`{"Status":"SUCCESS","MediaUrl":"https://r/v.mp4"}`),
	failure:  ok(`{"Status":"FAIL","FailCode":801015,"FailMessage":"upload to S3 failed"}`),
	failCode: ivh.FailUploadFailed,
}, {
	name: "VideoMakeNoTrain", pollPath: videoPrefix + "/getprogress", idField: "TaskId", id: "t-4",
	wait: func(ctx context.Context, c *ivh.Client, o ...ivh.WaitOption) (any, error) {
		return c.Video.WaitVideoMakeNoTrain(ctx, nil, &ivh.VideoMakeNoTrainResponse{TaskID: "t-4"}, o...)
	},
	pending:  ok(`{"Status":"COMMIT"}`),
	success:  ok(`{"Status":"SUCCESS","MediaUrl":"https://r/v.mp4"}`),
	failure:  ok(`{"Status":"FAIL","FailCode":801007,"FailMessage":"timeout"}`),
	failCode: ivh.FailTimeout,
}, {
	name: "PhotoToVideoNoTrain", pollPath: videoPrefix + "/getprogress", idField: "TaskId", id: "t-5",
	wait: func(ctx context.Context, c *ivh.Client, o ...ivh.WaitOption) (any, error) {
		return c.Video.WaitPhotoToVideoNoTrain(ctx, nil, &ivh.PhotoToVideoNoTrainResponse{TaskID: "t-5"}, o...)
	},
	pending:  ok(`{"Status":"MAKING"}`),
	success:  ok(`{"Status":"SUCCESS","MediaUrl":"https://r/p.mp4"}`),
	failure:  ok(`{"Status":"FAIL","FailCode":802000,"FailMessage":"policy"}`),
	failCode: ivh.FailPolicyRejected,
}, {
	name: "MakeCustomization", pollPath: customPrefix + "/getprogress", idField: "TaskId", id: "mk-1",
	wait: func(ctx context.Context, c *ivh.Client, o ...ivh.WaitOption) (any, error) {
		return c.Customization.WaitMakeCustomization(ctx, nil, &ivh.MakeCustomizationResponse{TaskID: "mk-1"}, o...)
	},
	pending: ok(`{"Status":"MAKING","StageV2":"TRAIN","StatusV2":"PROCESSING"}`),
	success: ok(`{"Status":"SUCCESS","StageV2":"END","StatusV2":"SUCCESS","AssetList":[{"VirtualmanKey":"vk-new"}]}`),
	failure: ok(`{"Status":"FAIL","FailMessage":"material rejected"}`),
}, {
	name: "FaceDetect", pollPath: facePrefix + "/getfacedetectstate", idField: "TaskId", id: "fd-1",
	wait: func(ctx context.Context, c *ivh.Client, o ...ivh.WaitOption) (any, error) {
		return c.Customization.WaitFaceDetect(ctx, nil, &ivh.FaceDetectResponse{TaskID: "fd-1"}, o...)
	},
	pending:  ok(`{"TaskId":"fd-1","TaskState":"WAITING"}`),
	success:  ok(`{"TaskId":"fd-1","TaskState":"SUCCESS","IsPassDetect":true}`),
	failure:  ok(`{"TaskId":"fd-1","TaskState":"FAILED","ErrorCode":-101002,"ErrorMsg":"image download failed"}`),
	failCode: ivh.FailCode(ivh.ErrImageDownloadFailed), // an API code reported as the task's fail code
}, {
	name: "AudioEvaluation", pollPath: algoPrefix + "/getaudioevaluationstate", idField: "TaskId", id: "ae-1",
	wait: func(ctx context.Context, c *ivh.Client, o ...ivh.WaitOption) (any, error) {
		return c.Customization.WaitAudioEvaluation(ctx, nil, &ivh.AudioEvaluationResponse{TaskID: "ae-1"}, o...)
	},
	pending: ok(`{"TaskState":"QUEUING"}`),
	success: ok(`{"TaskState":"SUCCESS","Result":{"Snr":{"Value":30}}}`),
	failure: ok(`{"TaskState":"FAIL"}`),
}, {
	name: "DetectAudioQuality", pollPath: zeroShotPrefix + "/getdetectprogress", idField: "TaskId", id: "dq-1",
	wait: func(ctx context.Context, c *ivh.Client, o ...ivh.WaitOption) (any, error) {
		return c.Customization.WaitDetectAudioQuality(ctx, nil, &ivh.DetectAudioQualityResponse{TaskID: "dq-1"}, o...)
	},
	// The wait ends on DetectionCode, the verdict the page marks required:
	// TaskState is optional, and SUCCESS may come with -2 or -3.
	noPending: true,
	success:   ok(`{"AudioId":"aud-1","DetectionCode":0}`),
	failure:   ok(`{"TaskState":"SUCCESS","DetectionCode":-3,"DetectionMsg":"too noisy"}`),
	// DetectionCode -3 is reported as the fail code.
	failCode: ivh.FailCode(ivh.DetectionCodeTooNoisy),
}, {
	name: "CreateSession", pollPath: sessionPrefix + "/statsession", idField: "SessionId", id: "m123",
	wait: func(ctx context.Context, c *ivh.Client, o ...ivh.WaitOption) (any, error) {
		return c.Session.WaitCreateSession(ctx, nil, &ivh.CreateSessionResponse{SessionID: "m123"}, o...)
	},
	pending:  ok(`{"SessionStatus":3,"ErrorCode":0}`),
	success:  ok(`{"SessionStatus":1,"PlayStreamAddr":"rtmp://liveplay.ivh.qq.com/live/m123","ErrorCode":0}`),
	failure:  ok(`{"SessionStatus":4,"ErrorCode":-111003,"ErrorMessage":"model load failed"}`),
	failCode: ivh.FailCode(ivh.ErrModelLoadFailed),
}, {
	name: "CreateSessionByAsset", pollPath: sessionPrefix + "/statsession", idField: "SessionId", id: "m124",
	wait: func(ctx context.Context, c *ivh.Client, o ...ivh.WaitOption) (any, error) {
		return c.Session.WaitCreateSessionByAsset(ctx, nil, &ivh.CreateSessionByAssetResponse{SessionID: "m124"}, o...)
	},
	pending: ok(`{"SessionStatus":3}`),
	success: ok(`{"SessionStatus":1}`),
	// A session closed while preparing also ends the wait.
	failure:  ok(`{"SessionStatus":2,"ErrorCode":110022,"ErrorMessage":"replaced"}`),
	failCode: ivh.FailCode(ivh.ErrSessionReplaced),
}, {
	name: "NewStreamSession", pollPath: legacyPrefix + "/statsession", idField: "SessionId", id: "s-9",
	wait: func(ctx context.Context, c *ivh.Client, o ...ivh.WaitOption) (any, error) {
		return c.LegacySession.WaitNewStreamSession(ctx, nil, &ivh.NewStreamSessionResponse{SessionID: "s-9"}, o...)
	},
	pending: ok(`{"SessionStatus":3}`),
	success: ok(`{"SessionStatus":1}`),
	// 5 (creation timeout) exists only for legacy sessions.
	failure: ok(`{"SessionStatus":5}`),
}}

// Every waiter polls with the id of the work until a success value.
func TestWaitersSucceed(t *testing.T) {
	for _, tc := range waiterCases {
		t.Run(tc.name, func(t *testing.T) {
			g, c := newGateway(t)
			want := 3
			if tc.noPending {
				g.reply(tc.pollPath, tc.success)
				want = 1
			} else {
				g.reply(tc.pollPath, tc.pending, tc.pending, tc.success)
			}
			got, err := tc.wait(t.Context(), c, fast...)
			if err != nil {
				t.Fatalf("wait: %v", err)
			}
			polls := g.payloads(tc.pollPath)
			if len(polls) != want {
				t.Fatalf("%d polls, want %d (pending polls, then success)", len(polls), want)
			}
			for i, p := range polls {
				if id := field(t, p, tc.idField); id != tc.id {
					t.Errorf("poll %d sent %s %q, want %q", i, tc.idField, id, tc.id)
				}
			}
			jsonEqual(t, "last poll response", sparse(t, payloadOf(t, tc.success)), marshal(t, got))
		})
	}
}

// A failure value ends the wait with a *ivh.TaskFailedError that
// carries the id and the fail code, and the last poll response.
func TestWaitersFail(t *testing.T) {
	for _, tc := range waiterCases {
		t.Run(tc.name, func(t *testing.T) {
			g, c := newGateway(t)
			if tc.noPending {
				g.reply(tc.pollPath, tc.failure)
			} else {
				g.reply(tc.pollPath, tc.pending, tc.failure)
			}
			got, err := tc.wait(t.Context(), c, fast...)
			var tf *ivh.TaskFailedError
			if !errors.As(err, &tf) {
				t.Fatalf("err = %v, want a *ivh.TaskFailedError", err)
			}
			if tf.ID != tc.id {
				t.Errorf("TaskFailedError.ID = %q, want %q", tf.ID, tc.id)
			}
			if tf.FailCode != tc.failCode {
				t.Errorf("FailCode = %d, want %d", tf.FailCode, tc.failCode)
			}
			if tc.failCode != 0 && !errors.Is(err, tc.failCode) {
				t.Errorf("errors.Is(err, %d) = false", tc.failCode)
			}
			want := 2
			if tc.noPending {
				want = 1
			}
			if n := len(g.payloads(tc.pollPath)); n != want {
				t.Errorf("%d polls, want %d", n, want)
			}
			jsonEqual(t, "last poll response", sparse(t, payloadOf(t, tc.failure)), marshal(t, got))
		})
	}
}

func TestWaitVideoMakeFailureDetails(t *testing.T) {
	g, c := newGateway(t)
	g.reply(videoPrefix+"/getprogress", ok(`{"Status":"FAIL","Progress":-1,"FailCode":801009,"FailMessage":"Speed out of range"}`))
	res, err := c.Video.WaitVideoMake(t.Context(), nil, &ivh.VideoMakeResponse{TaskID: "t-9"}, fast...)
	if !errors.Is(err, ivh.FailBadTaskParam) {
		t.Fatalf("err = %v, want FailBadTaskParam", err)
	}
	if errors.Is(err, ivh.FailDownloadFailed) {
		t.Error("err matches an unrelated fail code")
	}
	var tf *ivh.TaskFailedError
	errors.As(err, &tf)
	if tf.Status != "FAIL" || tf.FailMessage != "Speed out of range" || tf.Op != "GetProgress" {
		t.Errorf("TaskFailedError = %+v", tf)
	}
	if res == nil || res.FailMessage != "Speed out of range" {
		t.Errorf("last response = %+v, want the FAIL poll", res)
	}
}

// Each StatSession poll of the session waiter carries its own fresh ReqId.
func TestWaitCreateSessionFreshReqIDPerPoll(t *testing.T) {
	g, c := newGateway(t)
	g.reply(sessionPrefix+"/statsession", ok(`{"SessionStatus":3}`), ok(`{"SessionStatus":3}`), ok(`{"SessionStatus":1}`))
	if _, err := c.Session.WaitCreateSession(t.Context(), nil, &ivh.CreateSessionResponse{SessionID: "m1"}, fast...); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range g.payloads(sessionPrefix + "/statsession") {
		id := field(t, p, "ReqId")
		if !reqIDPattern.MatchString(id) || seen[id] {
			t.Errorf("poll ReqId %q is not a fresh 32-hex id", id)
		}
		seen[id] = true
	}
}

// Cancelling the context stops the wait between polls with ctx.Err().
func TestWaitCancelled(t *testing.T) {
	g, c := newGateway(t)
	g.reply(videoPrefix+"/getprogress", ok(`{"Status":"MAKING"}`))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	polls := 0
	watch := ivh.WithProgress(func(r *ivh.GetProgressResponse) {
		if polls++; polls == 3 {
			cancel()
		}
	})
	res, err := c.Video.WaitVideoMake(ctx, nil, &ivh.VideoMakeResponse{TaskID: "t-1"}, append(fast, watch)...)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if res != nil && res.Status != ivh.TaskStatusMaking {
		t.Errorf("response %+v returned with a cancelled wait, want none or the last MAKING poll", res)
	}
	if n := len(g.payloads(videoPrefix + "/getprogress")); n != 3 {
		t.Errorf("%d polls after cancel at the third, want 3", n)
	}
}

// A deadline bounds a wait on a task that never finishes.
func TestWaitDeadline(t *testing.T) {
	g, c := newGateway(t)
	g.reply(sessionPrefix+"/statsession", ok(`{"SessionStatus":3}`))
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Session.WaitCreateSession(ctx, nil, &ivh.CreateSessionResponse{SessionID: "m1"}, fast...)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
}

// field returns the string field name of a JSON object.
func field(t testing.TB, obj json.RawMessage, name string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(obj, &m); err != nil {
		t.Fatal(err)
	}
	s, _ := m[name].(string)
	return s
}

// payloadOf extracts the Payload of an envelope.
func payloadOf(t testing.TB, envelope string) string {
	t.Helper()
	var env struct{ Payload json.RawMessage }
	if err := json.Unmarshal([]byte(envelope), &env); err != nil {
		t.Fatal(err)
	}
	return string(env.Payload)
}

// sparse drops the zero fields of a JSON object, as marshal does.
func sparse(t testing.TB, obj string) string {
	t.Helper()
	var m any
	if err := json.Unmarshal([]byte(obj), &m); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(dropZero(m))
	return string(b)
}

// marshal encodes v, dropping zero fields so it compares with a sparse
// sample: a decoded response re-encodes every field, the sample only some.
func marshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(dropZero(m))
	return b
}

func dropZero(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if e = dropZero(e); e != nil {
				out[k] = e
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case []any:
		if len(x) == 0 {
			return nil
		}
		for i := range x {
			x[i] = dropZero(x[i])
		}
		return x
	case string:
		if x == "" {
			return nil
		}
	case float64:
		if x == 0 {
			return nil
		}
	case bool:
		if !x {
			return nil
		}
	}
	return v
}

// The CONFIRM stage needs the customer: a progress callback confirms and
// the wait goes on to the end of the task.
func TestWaitMakeCustomizationConfirmsFromProgress(t *testing.T) {
	g, c := newGateway(t)
	g.reply(customPrefix+"/getprogress",
		ok(`{"Status":"MAKING","StageV2":"CONFIRM","StatusV2":"WAIT_PROCESS","StageInfo":"{\"TrainResult\":[\"https://r/d.mp4\"]}"}`),
		ok(`{"Status":"MAKING","StageV2":"CONFIRM","StatusV2":"PROCESSING"}`),
		ok(`{"Status":"SUCCESS","StageV2":"END","StatusV2":"SUCCESS","AssetList":[{"VirtualmanKey":"vk-new"}]}`))
	g.reply(customPrefix+"/customerconfirm", ok(`{}`))
	ctx := t.Context()
	confirm := ivh.WithProgress(func(p *ivh.GetCustomizationProgressResponse) {
		if p.StageV2 != ivh.CustomizationStageConfirm || p.StatusV2 != ivh.CustomizationStageStatusWaitProcess {
			return
		}
		var content ivh.CustomerConfirmContent
		if err := json.Unmarshal([]byte(p.StageInfo), &content); err != nil || len(content.TrainResult) != 1 {
			t.Errorf("StageInfo %q: %v", p.StageInfo, err)
		}
		if _, err := c.Customization.CustomerConfirm(ctx, &ivh.CustomerConfirmRequest{TaskID: "mk-1", Operate: ivh.ConfirmOperationAgree}); err != nil {
			t.Errorf("confirm: %v", err)
		}
	})
	done, err := c.Customization.WaitMakeCustomization(ctx, nil, &ivh.MakeCustomizationResponse{TaskID: "mk-1"}, append(fast, confirm)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(done.AssetList) != 1 || done.AssetList[0].VirtualmanKey != "vk-new" {
		t.Errorf("AssetList = %+v", done.AssetList)
	}
	confirms := g.payloads(customPrefix + "/customerconfirm")
	if len(confirms) != 1 {
		t.Fatalf("%d confirmations, want 1", len(confirms))
	}
	jsonEqual(t, "confirmation", `{"TaskId":"mk-1","Operate":"AGREE"}`, confirms[0])
}

// Every waiter, given a nil started response (and a nil request), returns
// an error naming itself and sends nothing, instead of panicking on the id.
// It finds the waiters by reflection so a new one is covered too.
func TestWaitersNilStarted(t *testing.T) {
	g, c := newGateway(t)
	n := 0
	services := reflect.ValueOf(c).Elem()
	for i := range services.NumField() {
		svc := services.Field(i)
		if !svc.CanInterface() || svc.Kind() != reflect.Pointer {
			continue
		}
		for j := range svc.NumMethod() {
			name := svc.Type().Method(j).Name
			if !strings.HasPrefix(name, "Wait") {
				continue
			}
			m := svc.Method(j)
			args := []reflect.Value{reflect.ValueOf(t.Context()), reflect.Zero(m.Type().In(1)), reflect.Zero(m.Type().In(2))}
			if strings.HasSuffix(name, "Handle") { // a zero handle instead of nil arguments
				args = args[:2]
			} else {
				n++
			}
			out := m.Call(args)
			err, _ := out[1].Interface().(error)
			if err == nil || !strings.Contains(err.Error(), name+": ") || !strings.Contains(err.Error(), "nil") && !strings.Contains(err.Error(), "handle") {
				t.Errorf("%s(nil, nil) = %v, want an error naming %s and nil", name, err, name)
			}
			if !out[0].IsNil() {
				t.Errorf("%s(nil, nil) returned a response", name)
			}
		}
	}
	if n != len(waiterCases) {
		t.Errorf("found %d waiters, waiterCases has %d", n, len(waiterCases))
	}
	if r := g.Requests(); len(r) != 0 {
		t.Errorf("nil waits sent %d requests", len(r))
	}
}

// A progress callback of another waiter's response type fails the wait
// before anything is polled, instead of compiling and never being called.
func TestWaitProgressOfAnotherTypeFails(t *testing.T) {
	g, c := newGateway(t)
	g.reply(videoPrefix+"/getprogress", ok(`{"Status":"SUCCESS"}`))
	wrong := ivh.WithProgress(func(*ivh.StatSessionResponse) {})
	_, err := c.Video.WaitVideoMake(t.Context(), nil, &ivh.VideoMakeResponse{TaskID: "t-1"}, append(fast, wrong)...)
	if err == nil || !strings.Contains(err.Error(), "WithProgress takes *ivh.StatSessionResponse") {
		t.Fatalf("err = %v, want the WithProgress type mismatch", err)
	}
	if n := len(g.payloads(videoPrefix + "/getprogress")); n != 0 {
		t.Errorf("%d polls, want 0", n)
	}
}
