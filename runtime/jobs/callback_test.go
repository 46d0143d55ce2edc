package jobs_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/jobs"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// callbackServer serves cb's handler over the generated VideoResult
// handler and counts the requests it answered by status.
type callbackServer struct {
	*httptest.Server
	cb           *jobs.Callbacks
	ok, rejected atomic.Int32
}

func newCallbackServer(t *testing.T) *callbackServer {
	cs := &callbackServer{}
	h := http.NewServeMux()
	cs.Server = httptest.NewServer(h)
	t.Cleanup(cs.Close)
	cb, err := jobs.NewCallbacks(cs.URL+"/ivh/callback", []byte("0123456789abcdef-test-key"))
	require.NoError(t, err)
	cs.cb = cb
	inner := jobs.CallbackHandler(cb, ivh.VideoResultHandler)
	h.Handle("/ivh/callback", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		inner.ServeHTTP(rec, r)
		switch rec.Code {
		case http.StatusOK:
			cs.ok.Add(1)
		case http.StatusUnauthorized:
			cs.rejected.Add(1)
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	}))
	return cs
}

// post sends a callback body to the handler with the given query.
func (cs *callbackServer) post(t *testing.T, query, status, taskID string) int {
	body := fmt.Sprintf(`{"Payload":{"TaskId":%q,"Status":%q,"Progress":-1,"MediaUrl":"","FailMessage":"forged"}}`, taskID, status)
	resp, err := http.Post(cs.URL+"/ivh/callback?"+query, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// TestCallbacks_SettleBeforeAnyPollSeesTheEnd: with a poll interval of an
// hour, every wait polls once at its start and then only the fake's
// callbacks can end it; all succeed quickly, and the fake counts one poll
// per task, none of which saw the task end.
func TestCallbacks_SettleBeforeAnyPollSeesTheEnd(t *testing.T) {
	// Long renders: once durations agree, the first poll is held until a
	// tenth of the render before the expected end, a margin a loaded
	// machine must not eat.
	f := newFixtureRender(t, 4, 0, 1500*time.Millisecond)
	cs := newCallbackServer(t)
	cfg := f.config(4)
	cfg.WaitOptions = []ivh.WaitOption{ivh.WithPollInterval(time.Hour), ivh.WithMaxPollInterval(time.Hour)}
	cfg.Callbacks = cs.cb
	start := time.Now()
	f.run(t, videoInputs(8), cfg)
	assert.Less(t, time.Since(start), 30*time.Second, "no wait reached its second poll")
	for id, r := range f.results {
		assert.Equal(t, jobs.Succeeded, r.State, id)
		assert.FileExists(t, r.File, "the callback's MediaUrl was downloaded")
	}
	tasks := f.srv.Tasks("GetProgress").Tasks()
	require.Len(t, tasks, 8, "one create each")
	for _, task := range tasks {
		assert.LessOrEqual(t, task.Polls, 1, task.ID)
		assert.False(t, task.Done, "no poll saw %s end", task.ID)
	}
	st := f.srv.Tasks("GetProgress").SimStats()
	assert.Equal(t, 8, st.Callbacks, "the fake sent one callback per task")
	assert.EqualValues(t, 8, cs.ok.Load())
}

// TestCallbacks_ForgedTokenRejected: a callback with a token not made by
// the key (or for another attempt) is 401, leaves the journal as it was,
// and does not settle the input, which the real callback then settles.
func TestCallbacks_ForgedTokenRejected(t *testing.T) {
	f := newFixture(t, 1, 0)
	cs := newCallbackServer(t)
	cfg := f.config(1)
	cfg.Callbacks = cs.cb
	cfg.WaitOptions = []ivh.WaitOption{ivh.WithPollInterval(time.Hour), ivh.WithMaxPollInterval(time.Hour)}
	var codes []int
	var before, after *jobs.Record
	cfg.OnEvent = func(e jobs.Event) {
		if e.To != jobs.Accepted {
			return
		}
		j := f.journalOpen
		before, _ = j.Get(e.ID)
		tok := strings.Repeat("A", 43)
		codes = append(codes,
			cs.post(t, "job="+e.ID+"&rid="+before.RequestID+"&tok="+tok, "FAIL", "task-000001"),
			cs.post(t, "job="+e.ID+"&rid="+before.RequestID, "FAIL", "task-000001"),
			cs.post(t, forgedQuery(t, cs.cb, e.ID, before.RequestID), "FAIL", "task-000001"))
		after, _ = j.Get(e.ID)
	}
	f.runOpen(t, videoInputs(1), cfg)
	assert.Equal(t, []int{401, 401, 401}, codes)
	assert.EqualValues(t, 3, cs.rejected.Load())
	require.NotNil(t, before)
	assert.Equal(t, before, after, "a rejected callback does not touch the journal")
	assert.Equal(t, jobs.Succeeded, f.results["in-00"].State, "the forged FAIL did not settle it")
	assert.EqualValues(t, 1, cs.ok.Load(), "the fake's real callback settled it")
}

// forgedQuery is a real token of input id for another attempt, moved onto
// attempt rid: a token binds both.
func forgedQuery(t *testing.T, cb *jobs.Callbacks, id, rid string) string {
	u := cb.URL(id, "another-attempt")
	q := u[strings.Index(u, "?")+1:]
	return strings.Replace(q, "rid=another-attempt", "rid="+rid, 1)
}

// TestCallbacks_ResolveUnknown: the gateway makes the task but the
// create's reply is lost, so the create's outcome is unknown; the task's
// callback, arriving while the input waits CallbackWait, settles it as
// succeeded with the task it names, and nothing is sent twice.
func TestCallbacks_ResolveUnknown(t *testing.T) {
	f := newFixture(t, 5, 0)
	cs := newCallbackServer(t)
	f.srv.Inject("/v2/ivh/videomaker/broadcastservice/videomake", fakegw.DropFault(fakegw.DropAfterBody))
	cfg := f.config(5)
	cfg.Callbacks = cs.cb
	cfg.CallbackWait = 20 * time.Second
	var unknown atomic.Bool
	cfg.OnEvent = func(e jobs.Event) { unknown.CompareAndSwap(false, e.To == jobs.Unknown) }
	f.run(t, videoInputs(1), cfg)
	assert.True(t, unknown.Load(), "the create's outcome became unknown first")
	r := f.results["in-00"]
	assert.Equal(t, jobs.Succeeded, r.State)
	assert.Contains(t, r.Handle, ":task-000001:")
	assert.Equal(t, 1, r.Attempts)
	assert.Equal(t, 1, f.srv.Tasks("GetProgress").SimStats().Accepted, "one create reached the gateway")
	out, ok := jobs.Output[ivh.GetProgressResponse](r)
	require.True(t, ok)
	assert.Equal(t, ivh.TaskStatusSuccess, out.Status)
}

// TestNewCallbacks_Misuse: a relative URL or a short key is an error.
func TestNewCallbacks_Misuse(t *testing.T) {
	_, err := jobs.NewCallbacks("/relative", []byte("0123456789abcdef"))
	assert.Error(t, err)
	_, err = jobs.NewCallbacks("https://example.test/cb", []byte("short"))
	assert.Error(t, err)
	cb, err := jobs.NewCallbacks("https://example.test/cb?x=1", []byte("0123456789abcdef"))
	require.NoError(t, err)
	u := cb.URL("in-1", "rid-1")
	assert.Contains(t, u, "x=1")
	assert.Contains(t, u, "job=in-1")
	assert.Less(t, len(u), 999, "fits the CallbackUrl limit")
	var payload map[string]any
	require.NoError(t, json.Unmarshal([]byte(`{}`), &payload))
}
