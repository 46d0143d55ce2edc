package ivhtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// noSleep makes waits poll back to back.
type noSleep struct{}

func (noSleep) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// TestEveryOperation calls every API through Operations with a request whose
// scalar fields are all set, and checks what the default answers: a signed
// request reached the API's path, the response echoes every field it shares
// with the request, and each flow walks its pending statuses to success.
// Validation is off on both sides: the filler does not know enum values.
func TestEveryOperation(t *testing.T) {
	srv := ivhtest.New(t, fakegw.WithoutPayloadValidation())
	c := srv.Client(ivhrt.WithoutValidation())
	ops := ivhtest.Operations()
	require.Len(t, ops, countAPIs(t))
	polls := map[string]bool{}
	for _, op := range ops {
		if srv.Tasks(op.Name) != nil {
			polls[op.Name] = true
		}
	}
	flows := 0
	for _, op := range ops {
		t.Run(op.Name, func(t *testing.T) {
			srv.ClearRequests()
			req := op.NewRequest()
			fill(t, req)
			resp, err := op.Call(t.Context(), c, req)
			if polls[op.Name] {
				// Polling a task nobody started is refused as the real
				// gateway does; the flows below poll real ones.
				var apiErr *ivhrt.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, fakegw.CodeRecordNotFound, apiErr.Code)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, op.Name+"Response", reflect.TypeOf(resp).Elem().Name())
			recs := srv.Requests()
			require.Len(t, recs, 1)
			assert.Equal(t, op.Path, recs[0].Path)
			assert.Equal(t, fakegw.CodeOK, recs[0].Code)
			assert.NotEmpty(t, recs[0].Query.Get("signature"))
			assertEchoed(t, req, resp)
			if op.Wait == nil {
				assert.Nil(t, op.Status)
				return
			}
			flows++
			var seen []string
			last, err := op.Wait(t.Context(), c, req, resp, ivhrt.WithWaitSleeper(noSleep{}),
				op.Status(func(s string, poll any) {
					seen = append(seen, s)
					assert.Equal(t, s, statusOf(t, poll), "status text of the poll response")
				}))
			require.NoError(t, err)
			require.NotNil(t, last)
			// A flow whose status has no pending value (DetectAudioQuality
			// ends on its verdict) succeeds on the first poll.
			assert.GreaterOrEqual(t, len(seen), 1, "statuses %v: want pending ones, then success", seen)
			assert.Len(t, srv.Requests(), 1+len(seen))
		})
	}
	assert.Equal(t, countFlows(t), flows, "create-then-poll flows in spec/")
	assert.NotEmpty(t, polls)
}

// countAPIs counts the APIs of the client's service interfaces,
// independently of Operations: every method but waiters and page iterators.
func countAPIs(t *testing.T) int {
	n := 0
	for _, iface := range []reflect.Type{
		reflect.TypeFor[ivh.VideoAPI](), reflect.TypeFor[ivh.SessionAPI](), reflect.TypeFor[ivh.AssetAPI](),
		reflect.TypeFor[ivh.CustomizationAPI](), reflect.TypeFor[ivh.LegacySessionAPI](),
	} {
		for i := range iface.NumMethod() {
			// An API method takes its own <Name>Request; waiters,
			// iterators, openers and runners do not.
			m := iface.Method(i)
			if in := m.Type.In(1); in.Kind() == reflect.Pointer && in.Elem().Name() == m.Name+"Request" {
				n++
			}
		}
	}
	if n == 0 {
		t.Fatal("no APIs found")
	}
	return n
}

// statusOf finds the status field of a poll response by the declared
// names the spec uses, as text.
func statusOf(t *testing.T, poll any) string {
	var m map[string]any
	b, _ := json.Marshal(poll)
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"Status", "SessionStatus", "DetectionCode", "TaskState"} {
		if v, ok := m[k]; ok {
			return fmt.Sprint(v)
		}
	}
	t.Fatalf("no status field in %s", b)
	return ""
}

// countFlows counts the async declarations of the descriptors.
func countFlows(t *testing.T) int {
	paths, err := filepath.Glob("../../../spec/*.yaml")
	require.NoError(t, err)
	n := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		n += strings.Count(string(data), "\n    async:")
	}
	require.NotZero(t, n)
	return n
}

// fill sets every string, number and bool field of the request (plain or
// Opt), and string lists, through JSON, as a user's payload would.
func fill(t *testing.T, req any) {
	t.Helper()
	typ := reflect.TypeOf(req).Elem()
	obj := map[string]any{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if v, ok := sample(f.Type, name); ok && name != "" && name != "-" {
			obj[name] = v
		}
	}
	data, err := json.Marshal(obj)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, req))
}

func sample(typ reflect.Type, name string) (any, bool) {
	if m, ok := typ.MethodByName("Value"); ok && typ.Kind() == reflect.Struct {
		typ = m.Type.Out(0) // ivhrt.Opt[T]
	}
	switch typ.Kind() {
	case reflect.String:
		return "v-" + name, true
	case reflect.Int, reflect.Int64:
		return 1, true
	case reflect.Float64:
		return 1.0, true
	case reflect.Bool:
		return true, true
	case reflect.Slice:
		if typ.Elem().Kind() == reflect.String {
			return []string{"v-" + name}, true
		}
	}
	return nil, false
}

// assertEchoed checks that every response field also in the request holds
// the request's value, except the id a flow's default assigns.
func assertEchoed(t *testing.T, req, resp any) {
	t.Helper()
	var in, out map[string]any
	b, _ := json.Marshal(req)
	require.NoError(t, json.Unmarshal(b, &in))
	b, _ = json.Marshal(resp)
	require.NoError(t, json.Unmarshal(b, &out))
	shared := 0
	for k, v := range in {
		got, ok := out[k]
		if !ok || (k == "SessionId" && strings.HasPrefix(fmt.Sprint(got), "task-")) {
			continue
		}
		shared++
		assert.Equal(t, v, got, "response field %s", k)
	}
	t.Logf("%d shared fields echoed", shared)
}

func timbres() *ivh.DescribeTimbreRequest {
	return &ivh.DescribeTimbreRequest{PageIndex: 1, PageSize: 10, TimbreKey: ivhrt.Of("k-1")}
}

func videoRequest() *ivh.VideoMakeRequest {
	return &ivh.VideoMakeRequest{VirtualmanKey: "vk-1", InputSSML: ivhrt.Of("hello"), SpeechParam: ivh.SpeechParam{Speed: 1}}
}

// The video flow goes COMMIT → MAKING → SUCCESS across polls, and the store
// holds what the client sent.
func TestVideoFlow(t *testing.T) {
	srv := ivhtest.New(t)
	c := srv.Client()
	req := videoRequest()
	made, err := c.Video.VideoMake(t.Context(), req)
	require.NoError(t, err)
	assert.Equal(t, "task-000001", made.TaskID)
	var seen []ivh.TaskStatus
	last, err := c.Video.WaitVideoMake(t.Context(), req, made, ivhrt.WithWaitSleeper(noSleep{}),
		ivhrt.WithProgress(func(r *ivh.GetProgressResponse) { seen = append(seen, r.Status) }))
	require.NoError(t, err)
	assert.Equal(t, []ivh.TaskStatus{ivh.TaskStatusCommit, ivh.TaskStatusMaking, ivh.TaskStatusSuccess}, seen)
	assert.Equal(t, ivh.TaskStatusSuccess, last.Status)
	assert.Equal(t, 100, last.Progress)
	tasks := srv.Tasks("GetProgress").Tasks()
	require.Len(t, tasks, 1)
	assert.Equal(t, req, tasks[0].Input)
	assert.True(t, tasks[0].Done)
	assert.Len(t, srv.RequestsTo("/v2/ivh/videomaker/broadcastservice/getprogress"), 3)
	assert.Nil(t, srv.Tasks("VideoMake"), "VideoMake is no poll")
}

// A session goes from preparing to ready.
func TestSessionFlow(t *testing.T) {
	srv := ivhtest.New(t)
	c := srv.Client()
	req := &ivh.CreateSessionRequest{VirtualmanProjectID: "p-1", UserID: "u-1",
		Protocol: ivh.StreamProtocolRTMP, DriverType: ivh.SessionDriverTypeText}
	created, err := c.Session.CreateSession(t.Context(), req)
	require.NoError(t, err)
	require.NotEmpty(t, created.SessionID)
	var seen []ivh.SessionStatus
	_, err = c.Session.WaitCreateSession(t.Context(), req, created, ivhrt.WithWaitSleeper(noSleep{}),
		ivhrt.WithProgress(func(r *ivh.StatSessionResponse) { seen = append(seen, r.SessionStatus) }))
	require.NoError(t, err)
	assert.Equal(t, []ivh.SessionStatus{ivh.SessionStatusPreparing, ivh.SessionStatusReady}, seen)
}

// FailNext scripts the failure of the next task; the waiter reports it as a
// task failure matching the task code.
func TestFailNext(t *testing.T) {
	srv := ivhtest.New(t)
	c := srv.Client()
	srv.FailNextVideoMake(ivh.FailCrashed, "out of ink")
	req := videoRequest()
	made, err := c.Video.VideoMake(t.Context(), req)
	require.NoError(t, err)
	_, err = c.Video.WaitVideoMake(t.Context(), req, made, ivhrt.WithWaitSleeper(noSleep{}))
	var failed *ivhrt.TaskFailedError
	require.ErrorAs(t, err, &failed)
	assert.True(t, errors.Is(err, ivh.FailCrashed))
	assert.Equal(t, "out of ink", failed.FailMessage)
	assert.Equal(t, made.TaskID, failed.ID)

	// The next task is back to the default walk.
	made, err = c.Video.VideoMake(t.Context(), req)
	require.NoError(t, err)
	_, err = c.Video.WaitVideoMake(t.Context(), req, made, ivhrt.WithWaitSleeper(noSleep{}))
	require.NoError(t, err)
}

// A typed handler replaces the default and sees the decoded request; the
// gateway's validation runs before it.
func TestTypedHandler(t *testing.T) {
	srv := ivhtest.New(t)
	c := srv.Client()
	var got *ivh.DescribeTimbreRequest
	srv.HandleDescribeTimbre(func(_ context.Context, req *ivh.DescribeTimbreRequest) (*ivh.DescribeTimbreResponse, error) {
		got = req
		return &ivh.DescribeTimbreResponse{Total: 42}, nil
	})
	resp, err := c.Asset.DescribeTimbre(t.Context(), timbres())
	require.NoError(t, err)
	assert.Equal(t, 42, resp.Total)
	require.NotNil(t, got)
	assert.Equal(t, "k-1", got.TimbreKey.Value())

	srv.HandleDescribeTimbre(func(context.Context, *ivh.DescribeTimbreRequest) (*ivh.DescribeTimbreResponse, error) {
		return nil, fakegw.Errorf(ivh.ErrInvalidParamValue, "no such timbre")
	})
	_, err = c.Asset.DescribeTimbre(t.Context(), timbres())
	assert.True(t, errors.Is(err, ivh.ErrInvalidParamValue), "err %v", err)
}

// Scripted faults reach the client as typed errors with the request id.
func TestFaults(t *testing.T) {
	srv := ivhtest.New(t)
	c := srv.Client(ivhrt.WithRetryPolicy(ivhrt.RetryPolicy{MaxAttempts: 1}))
	const path = "/v2/ivh/videomaker/broadcastservice/videomake"
	srv.Inject(path, fakegw.CodeFault(ivh.ErrSubmitTooFrequent, "slow down"))
	_, err := c.Video.VideoMake(t.Context(), videoRequest())
	var apiErr *ivhrt.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.True(t, apiErr.IsRateLimited())
	assert.NotEmpty(t, apiErr.RequestID)
	assert.Equal(t, apiErr.RequestID, srv.RequestsTo(path)[0].RequestID)

	srv.Inject(path, fakegw.RateLimitFault("1"))
	_, err = c.Video.VideoMake(t.Context(), videoRequest())
	var httpErr *ivhrt.HTTPError
	require.ErrorAs(t, err, &httpErr)
	assert.Equal(t, 429, httpErr.StatusCode)
	assert.Equal(t, time.Second, httpErr.RetryAfter())
	assert.Zero(t, srv.PendingFaults())
}

// The gateway checks what the real one checks: a client with the wrong
// token gets an error envelope, not a response.
func TestWrongToken(t *testing.T) {
	srv := ivhtest.New(t)
	c, err := ivh.NewClient(srv.AppKey(), "not-the-token", ivhrt.WithBaseURL(srv.URL()), ivhrt.WithHTTPClient(srv.HTTPClient()))
	require.NoError(t, err)
	_, err = c.Asset.DescribeTimbre(t.Context(), timbres())
	var apiErr *ivhrt.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, fakegw.CodeUnauthorized, apiErr.Code)
	assert.NotContains(t, err.Error(), "not-the-token")
}

// Start serves outside a test, and Client panics on an invalid option there.
func TestStart(t *testing.T) {
	srv, err := ivhtest.Start()
	require.NoError(t, err)
	defer srv.Close()
	_, err = srv.Client().Asset.DescribeTimbre(t.Context(), timbres())
	require.NoError(t, err)
	assert.Panics(t, func() { srv.Client(ivhrt.WithBaseURL("::bad")) })
}

// TestOperationsRejectWrongArguments: Call and Wait given nil or a request of
// another type return an error naming the wanted type; nothing panics and
// nothing is sent.
func TestOperationsRejectWrongArguments(t *testing.T) {
	srv := ivhtest.New(t)
	c := srv.Client()
	ctx := context.Background()
	for _, op := range ivhtest.Operations() {
		for _, bad := range []any{nil, "text", (*int)(nil)} {
			out, err := op.Call(ctx, c, bad)
			require.Error(t, err, op.Name)
			assert.Nil(t, out, op.Name)
			assert.Contains(t, err.Error(), fmt.Sprintf("%T", op.NewRequest()), op.Name)
		}
		if op.Wait != nil {
			_, err := op.Wait(ctx, c, op.NewRequest(), nil)
			require.Error(t, err, op.Name)
			_, err = op.Wait(ctx, c, nil, nil)
			require.Error(t, err, op.Name)
		}
	}
	assert.Empty(t, srv.Requests())
}
