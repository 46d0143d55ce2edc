package fullclient

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// gateway is a minimal aPaaS gateway: it records each call's path and
// Payload and answers with the reply function's Payload or error code.
type gateway struct {
	mu       sync.Mutex
	paths    []string
	payloads []map[string]any
	reply    func(path string, payload map[string]any) (code int, out any)
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var env struct {
		Header  map[string]any
		Payload map[string]any
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Header == nil {
		http.Error(w, "bad envelope", http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	g.paths = append(g.paths, r.URL.Path)
	g.payloads = append(g.payloads, env.Payload)
	g.mu.Unlock()
	code, out := g.reply(r.URL.Path, env.Payload)
	rid, _ := env.Header["RequestID"].(string)
	resp := map[string]any{"Header": map[string]any{"Code": code, "Message": "msg", "RequestID": rid}}
	if code == 0 {
		resp["Payload"] = out
	}
	_ = json.NewEncoder(w).Encode(resp)
}

func newTestClient(t *testing.T, reply func(string, map[string]any) (int, any)) (*Client, *gateway) {
	t.Helper()
	g := &gateway{reply: reply}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	c, err := NewClient("appkey", "token", ivhrt.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	return c, g
}

func TestCreateJobSendsWireNamesAndFillsReqID(t *testing.T) {
	c, g := newTestClient(t, func(string, map[string]any) (int, any) { return 0, map[string]any{"JobId": "j1", "New": 1} })
	in := &CreateJobRequest{Title: "t", Draft: ivhrt.Of(false), Voice: Voice{TimbreKey: "v", Speed: ivhrt.Of(1.0)}}
	out, err := c.Media.CreateJob(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if out.JobID != "j1" {
		t.Errorf("JobID = %q", out.JobID)
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(in.ReqID) {
		t.Errorf("ReqID = %q, want 32 lower-case hex digits", in.ReqID)
	}
	if g.paths[0] != "/v2/media/createjob" {
		t.Errorf("path = %s", g.paths[0])
	}
	p := g.payloads[0]
	if p["ReqId"] != in.ReqID || p["Title"] != "t" || p["Draft"] != false {
		t.Errorf("payload = %v", p)
	}
	for _, absent := range []string{"callback_url", "Quality", "Priority", "Layout", "Voices", "Labels", "Extra"} {
		if _, ok := p[absent]; ok {
			t.Errorf("unset optional field %s was sent: %v", absent, p)
		}
	}
	if v := p["Voice"].(map[string]any); v["Speed"] != 1.0 || v["TimbreKey"] != "v" {
		t.Errorf("Voice = %v", v)
	}
}

func TestValidationReportsEveryViolationWithoutSending(t *testing.T) {
	c, g := newTestClient(t, func(string, map[string]any) (int, any) { return 0, map[string]any{"JobId": "j1"} })
	in := &CreateJobRequest{
		Title:   "much too long a title",
		Voice:   Voice{Speed: ivhrt.Of(2.0)},
		Voices:  []Voice{{TimbreKey: "a"}, {TimbreKey: "b", Tags: []string{"x", "123456789"}}, {}},
		Quality: ivhrt.Of(Quality(7)),
		Layout:  CreateJobRequestLayout{Anchor: ivhrt.Of(JobStatus("ELSEWHERE"))},
	}
	_, err := c.Media.CreateJob(context.Background(), in)
	var ve *ivhrt.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a *ivhrt.ValidationError", err)
	}
	want := []string{
		"Title: length 21 is above the maximum 10",
		"Voice.TimbreKey: is required",
		"Voice.Speed: 2 is above the maximum 1.5",
		"Voices: 3 items is above the maximum 2",
		"Voices[1].Tags[1]: length 9 is above the maximum 8",
		"Voices[2].TimbreKey: is required",
		"Quality: 7 is not a known value",
		"Layout.Width: 0 is below the minimum 1",
		`Layout.Anchor: ELSEWHERE is not a known value`,
	}
	var got []string
	for _, v := range ve.Violations {
		got = append(got, v.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(g.paths) != 0 {
		t.Errorf("an invalid request was sent")
	}
	if _, err := c.Media.CreateJob(context.Background(), in, ivhrt.SkipValidation()); err != nil {
		t.Errorf("SkipValidation: %v", err)
	}
}

func TestUnknownEnumValueDecodes(t *testing.T) {
	c, _ := newTestClient(t, func(string, map[string]any) (int, any) {
		return 0, map[string]any{"Status": "PAUSED", "Progress": 5, "Unknown": true}
	})
	out, err := c.Media.GetJob(context.Background(), &GetJobRequest{JobID: "j"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != "PAUSED" || out.Status.Known() || !JobStatusDone.Known() {
		t.Errorf("Status = %q, Known = %v", out.Status, out.Status.Known())
	}
}

func TestWaiterReportsProgressAndTypedFailure(t *testing.T) {
	polls := 0
	c, g := newTestClient(t, func(path string, _ map[string]any) (int, any) {
		polls++
		if polls < 3 {
			return 0, map[string]any{"Status": "RUNNING", "Progress": polls * 10}
		}
		return 0, map[string]any{"Status": "FAILED", "FailCode": 5001, "FailMessage": "gpu on fire"}
	})
	var seen []int
	in := &CreateJobRequest{Title: "t"}
	last, err := c.Media.WaitCreateJob(context.Background(), in, &CreateJobResponse{JobID: "j9"},
		ivhrt.WithPollInterval(time.Millisecond),
		ivhrt.WithProgress(func(r *GetJobResponse) { seen = append(seen, r.Progress) }))
	var tf *ivhrt.TaskFailedError
	if !errors.As(err, &tf) || !errors.Is(err, FailRenderFailed) {
		t.Fatalf("err = %v, want a TaskFailedError matching FailRenderFailed", err)
	}
	if tf.ID != "j9" || tf.Status != "FAILED" || tf.FailMessage != "gpu on fire" || tf.Op != "GetJob" {
		t.Errorf("failure = %+v", tf)
	}
	if last == nil || last.Status != JobStatusBroken {
		t.Errorf("last = %+v", last)
	}
	if len(seen) != 3 || seen[0] != 10 || seen[1] != 20 {
		t.Errorf("progress = %v", seen)
	}
	for _, p := range g.payloads {
		if p["JobId"] != "j9" || p["Title"] != "t" {
			t.Errorf("poll payload = %v", p)
		}
	}
}

func TestPagesWalksEveryPage(t *testing.T) {
	c, g := newTestClient(t, func(_ string, p map[string]any) (int, any) {
		idx := int(p["PageIndex"].(float64))
		jobs := []map[string]any{{"JobId": "a"}, {"JobId": "b"}}
		if idx == 3 {
			jobs = jobs[:1]
		}
		for _, j := range jobs {
			j["JobId"] = j["JobId"].(string) + string(rune('0'+idx))
			j["Status"] = "DONE"
		}
		return 0, map[string]any{"Total": 5, "Jobs": jobs}
	})
	var ids []string
	for job, err := range c.Media.ListJobsAll(context.Background(), &ListJobsRequest{PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, job.JobID)
	}
	if strings.Join(ids, ",") != "a1,b1,a2,b2,a3" {
		t.Errorf("ids = %v", ids)
	}
	if len(g.payloads) != 3 {
		t.Errorf("%d calls, want 3", len(g.payloads))
	}
}

func TestAPIErrorMatchesCodeConstant(t *testing.T) {
	c, _ := newTestClient(t, func(string, map[string]any) (int, any) { return 100001, nil })
	_, err := c.Media.GetJob(context.Background(), &GetJobRequest{JobID: "j"})
	var ae *ivhrt.APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrBadParam) || errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v", err)
	}
	if !ae.IsInvalidArgument() {
		t.Errorf("code table not registered: category of %v", ae)
	}
}

func TestCallbackHandlerDecodesTypedBody(t *testing.T) {
	var got *JobResultCallback
	h := JobResultHandler(func(_ context.Context, cb *JobResultCallback) error { got = cb; return nil })
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader(`{"Payload":{"JobId":"j","Status":"DONE"}}`)))
	if rec.Code != http.StatusOK || got == nil || got.JobID != "j" || got.Status != JobStatusDone {
		t.Errorf("code %d, got %+v", rec.Code, got)
	}
}

// The service interface lets callers substitute a fake.
var _ MediaAPI = (*MediaClient)(nil)
