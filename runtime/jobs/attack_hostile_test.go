package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
	"github.com/ivhgen/ivhgen/runtime/jobs"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostile is a gateway written from scratch: it counts every create body
// it receives per InputSsml, and answers creates and polls as told.
type hostile struct {
	mu      sync.Mutex
	creates map[string]int             // by InputSsml
	rids    map[string]map[string]bool // the RequestIDs of those creates
	polls   map[string]int             // by TaskId
	query   string                     // of the last request
	sigs    []string                   // the signatures of every request
	next    int
	srv     *httptest.Server

	// create answers a create (n: the count of creates of this ssml so
	// far, this one included); nil answers a fresh task id.
	create func(w http.ResponseWriter, ssml string, n int, taskID string)
	// onCreate, when set, runs before the create is answered, with the
	// create's CallbackUrl and task id.
	onCreate func(callbackURL, taskID string)
	// poll answers the n-th poll of a task; nil says SUCCESS.
	poll func(w http.ResponseWriter, taskID string, n int)
}

func newHostile(t *testing.T) *hostile {
	h := &hostile{creates: map[string]int{}, rids: map[string]map[string]bool{}, polls: map[string]int{}}
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.srv.Close)
	return h
}

func reply(w http.ResponseWriter, payload string) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"Header":{"Code":0,"Message":"","RequestID":"gw"},"Payload":%s}`, payload)
}

func replyCode(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"Header":{"Code":%d,"Message":%q,"RequestID":"gw"}}`, code, msg)
}

func (h *hostile) serve(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var env struct {
		Header  struct{ RequestID string }
		Payload struct {
			InputSsml   string
			TaskId      string
			CallbackUrl string
		}
	}
	_ = json.Unmarshal(b, &env)
	h.mu.Lock()
	h.query = r.URL.RawQuery
	if sig := r.URL.Query().Get("signature"); sig != "" {
		h.sigs = append(h.sigs, sig)
	}
	h.mu.Unlock()
	switch r.URL.Path {
	case "/v2/ivh/videomaker/broadcastservice/videomake":
		h.mu.Lock()
		h.creates[env.Payload.InputSsml]++
		n := h.creates[env.Payload.InputSsml]
		if h.rids[env.Payload.InputSsml] == nil {
			h.rids[env.Payload.InputSsml] = map[string]bool{}
		}
		h.rids[env.Payload.InputSsml][env.Header.RequestID] = true
		h.next++
		id := fmt.Sprintf("task-%d", h.next)
		h.mu.Unlock()
		if h.onCreate != nil {
			h.onCreate(env.Payload.CallbackUrl, id)
		}
		if h.create != nil {
			h.create(w, env.Payload.InputSsml, n, id)
			return
		}
		reply(w, fmt.Sprintf(`{"TaskId":%q}`, id))
	case "/v2/ivh/videomaker/broadcastservice/getprogress":
		h.mu.Lock()
		h.polls[env.Payload.TaskId]++
		n := h.polls[env.Payload.TaskId]
		h.mu.Unlock()
		if h.poll != nil {
			h.poll(w, env.Payload.TaskId, n)
			return
		}
		reply(w, `{"Progress":100,"Status":"SUCCESS","MediaUrl":"http://127.0.0.1:1/x.mp4"}`)
	default:
		http.NotFound(w, r)
	}
}

func (h *hostile) ridsOf(ssml string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.rids[ssml])
}

func (h *hostile) createsOf(ssml string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.creates[ssml]
}

// hostileRun runs n video inputs ("hello <i>") against h with limit slots
// and returns their results.
func hostileRun(t *testing.T, h *hostile, journal string, n, limit int, mod func(*jobs.Config)) map[string]jobs.Result {
	t.Helper()
	return hostileRunCtx(t.Context(), t, h, journal, n, limit, mod)
}

func hostileRunCtx(ctx context.Context, t *testing.T, h *hostile, journal string, n, limit int, mod func(*jobs.Config)) map[string]jobs.Result {
	t.Helper()
	c, err := ivh.NewClient("ak", "secret-token", ivhrt.WithBaseURL(h.srv.URL), ivhrt.WithTimeout(300*time.Millisecond),
		ivhrt.WithRetryPolicy(ivhrt.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	require.NoError(t, err)
	results := map[string]jobs.Result{}
	var mu sync.Mutex
	cfg := jobs.Config{
		Flows:       map[string]jobs.Flow{"VideoMake": jobs.NewFlow("video", c.Video.VideoMake, c.Video.VideoMakeHandle, c.Video.WaitVideoMakeHandle)},
		Limits:      map[string]int{"video": limit},
		WaitOptions: []ivh.WaitOption{ivh.WithPollInterval(2 * time.Millisecond), ivh.WithMaxPollInterval(2 * time.Millisecond), ivh.WithMaxWait(2 * time.Second)},
		Backoff:     func(int) time.Duration { return time.Millisecond },
		MaxRequeues: 3,
		OnResult: func(r jobs.Result) {
			mu.Lock()
			results[r.ID] = r
			mu.Unlock()
		},
	}
	if mod != nil {
		mod(&cfg)
	}
	j, err := jobs.OpenJournal(journal)
	require.NoError(t, err)
	defer j.Close()
	ins := make([]jobs.Input, n)
	for i := range ins {
		ins[i] = jobs.Input{ID: fmt.Sprintf("in-%d", i), API: "VideoMake",
			Payload: json.RawMessage(fmt.Sprintf(`{"VirtualmanKey":"vk","InputSsml":"hello %d","SpeechParam":{"Speed":1}}`, i))}
	}
	require.NoError(t, jobs.Run(ctx, j, ins, cfg))
	require.Len(t, results, n, "every input reported")
	for id, r := range results {
		assert.NotContains(t, r.Error, "secret-token", id)
	}
	return results
}

// TestAttack_HostileCreates: creates the gateway answers badly are never
// sent twice, and each input still ends in a reported state.
func TestAttack_HostileCreates(t *testing.T) {
	cases := []struct {
		name   string
		create func(w http.ResponseWriter, ssml string, n int, id string)
		want   []jobs.State // acceptable final states
		sends  int          // creates at the gateway, all with one RequestID; 0 means 1
	}{
		{"no TaskId", func(w http.ResponseWriter, _ string, _ int, _ string) { reply(w, `{}`) },
			[]jobs.State{jobs.Unknown, jobs.Failed}, 0},
		{"numeric TaskId", func(w http.ResponseWriter, _ string, _ int, _ string) { reply(w, `{"TaskId":12345}`) },
			[]jobs.State{jobs.Unknown, jobs.Failed, jobs.Succeeded}, 0},
		{"null payload", func(w http.ResponseWriter, _ string, _ int, _ string) { reply(w, `null`) },
			[]jobs.State{jobs.Unknown, jobs.Failed}, 0},
		{"hang past the timeout", func(w http.ResponseWriter, _ string, _ int, _ string) { time.Sleep(600 * time.Millisecond) },
			[]jobs.State{jobs.Unknown}, 0},
		{"reset after reading", func(w http.ResponseWriter, _ string, _ int, _ string) {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		}, []jobs.State{jobs.Unknown}, 0},
		{"HTTP 502 after processing", func(w http.ResponseWriter, _ string, _ int, _ string) {
			http.Error(w, "bad gateway", http.StatusBadGateway)
		}, []jobs.State{jobs.Unknown, jobs.Failed}, 0},
		{"HTTP 503 Retry-After after processing", func(w http.ResponseWriter, _ string, _ int, _ string) {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
		}, []jobs.State{jobs.Unknown, jobs.Failed}, 0},
		// RETRY-3 retries a create on HTTP 429 ("nothing processed"), with
		// the same RequestID: a gateway that lies here sees it again, but
		// the engine adds no attempt of its own.
		{"HTTP 429 after processing", func(w http.ResponseWriter, _ string, _ int, _ string) {
			http.Error(w, "slow down", http.StatusTooManyRequests)
		}, []jobs.State{jobs.Unknown, jobs.Failed}, 3},
		{"garbage JSON", func(w http.ResponseWriter, _ string, _ int, _ string) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"Header":{"Code":0`)
		}, []jobs.State{jobs.Unknown}, 0},
		{"110005 already exists", func(w http.ResponseWriter, _ string, _ int, _ string) { replyCode(w, 110005, "too fast") },
			[]jobs.State{jobs.Failed, jobs.Unknown}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHostile(t)
			h.create = tc.create
			res := hostileRun(t, h, filepath.Join(t.TempDir(), "j.db"), 3, 1, nil)
			for i := range 3 {
				r := res[fmt.Sprintf("in-%d", i)]
				assert.Contains(t, tc.want, r.State, "in-%d: %s", i, r.Error)
				assert.Equal(t, max(tc.sends, 1), h.createsOf(fmt.Sprintf("hello %d", i)), "in-%d: creates at the gateway", i)
				assert.Equal(t, 1, h.ridsOf(fmt.Sprintf("hello %d", i)), "in-%d: RequestIDs at the gateway", i)
			}
		})
	}
}

// TestAttack_RefusedForever: 100008 on every create is requeued up to
// MaxRequeues and then fails; it never becomes succeeded or hangs.
func TestAttack_RefusedForever(t *testing.T) {
	h := newHostile(t)
	h.create = func(w http.ResponseWriter, _ string, _ int, _ string) {
		replyCode(w, 100008, "submission count exceeds the limit")
	}
	res := hostileRun(t, h, filepath.Join(t.TempDir(), "j.db"), 2, 1, nil)
	for id, r := range res {
		assert.Equal(t, jobs.Failed, r.State, id)
		assert.Equal(t, 100008, r.Code, id)
	}
}

// TestAttack_FlappingStatus: polls that say SUCCESS, then RUNNING, then
// FAIL for the same task: the first end seen settles the input, and the
// armed next input is sent once.
func TestAttack_FlappingStatus(t *testing.T) {
	h := newHostile(t)
	h.poll = func(w http.ResponseWriter, id string, n int) {
		switch {
		case n < 5:
			reply(w, `{"Progress":10,"Status":"MAKING"}`)
		case n%3 == 0:
			reply(w, `{"Progress":100,"Status":"SUCCESS","MediaUrl":"http://127.0.0.1:1/x.mp4"}`)
		case n%3 == 1:
			reply(w, `{"Progress":50,"Status":"MAKING"}`)
		default:
			reply(w, `{"Progress":-1,"Status":"FAIL","FailMessage":"boom"}`)
		}
	}
	res := hostileRun(t, h, filepath.Join(t.TempDir(), "j.db"), 8, 1, nil)
	for i := range 8 {
		r := res[fmt.Sprintf("in-%d", i)]
		assert.True(t, r.State.Final(), "in-%d: %s", i, r.State)
		assert.Equal(t, 1, h.createsOf(fmt.Sprintf("hello %d", i)), "in-%d", i)
	}
}

// TestAttack_GateRunningAgain: X was armed behind task G; a poll saw G end,
// X's create left (the gateway has it), the kernel crashed (another boot
// id: the sent log proves nothing). On resume the gateway says G is
// running again. The gate proof takes the vendor's word that an ended
// task stays ended, so X is created a second time.
func TestAttack_GateRunningAgain(t *testing.T) {
	h := newHostile(t)
	h.poll = func(w http.ResponseWriter, id string, n int) {
		if id == "task-G" {
			reply(w, `{"Progress":50,"Status":"MAKING"}`)
			return
		}
		reply(w, `{"Progress":100,"Status":"SUCCESS","MediaUrl":"http://127.0.0.1:1/x.mp4"}`)
	}
	h.creates["hello 0"] = 1 // X's first create reached the gateway
	journal := filepath.Join(t.TempDir(), "j.db")
	j, err := jobs.OpenJournal(journal)
	require.NoError(t, err)
	require.NoError(t, j.Put(&jobs.Record{ID: "in-0", API: "VideoMake",
		Payload: json.RawMessage(`{"VirtualmanKey":"vk","InputSsml":"hello 0","SpeechParam":{"Speed":1}}`),
		State:   jobs.Submitting, RequestID: "rid-x", Gate: "v1:VideoMake:task-G:", Boot: "another-boot another-log", Attempts: 1}))
	require.NoError(t, j.Close())
	res := hostileRun(t, h, journal, 1, 1, nil)
	assert.Equal(t, jobs.Unknown, res["in-0"].State)
	assert.Equal(t, 1, h.createsOf("hello 0"), "X created once")
}

// TestAttack_InterruptDuringCreate: the run is cancelled (Ctrl-C) while a
// create the gateway has read is still unanswered. That create may have
// been processed: it must end outcome-unknown, not pending, and the next
// run must not send it again.
func TestAttack_InterruptDuringCreate(t *testing.T) {
	h := newHostile(t)
	got := make(chan struct{}, 10)
	h.create = func(w http.ResponseWriter, ssml string, n int, id string) {
		got <- struct{}{}
		time.Sleep(250 * time.Millisecond) // under the client's timeout
		reply(w, fmt.Sprintf(`{"TaskId":%q}`, id))
	}
	journal := filepath.Join(t.TempDir(), "j.db")
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-got; time.Sleep(50 * time.Millisecond); cancel() }()
	res := hostileRunCtx(ctx, t, h, journal, 1, 1, nil)
	assert.NotEqual(t, jobs.Pending, res["in-0"].State, "a create the gateway read is not provably unsent: %s", res["in-0"].Error)
	res = hostileRun(t, h, journal, 1, 1, nil)
	assert.Equal(t, 1, h.createsOf("hello 0"), "created once; state now %s", res["in-0"].State)
}

func (h *hostile) lastQuery() url.Values {
	h.mu.Lock()
	defer h.mu.Unlock()
	q, _ := url.ParseQuery(h.query)
	return q
}

// TestAttack_GatewayEchoesSecrets: a gateway that echoes the access token
// and the request's signature in a create's error message and in a failed
// task's FailMessage: neither reaches a Result or the journal.
func TestAttack_GatewayEchoesSecrets(t *testing.T) {
	h := newHostile(t)
	h.create = func(w http.ResponseWriter, ssml string, n int, id string) {
		if ssml == "hello 0" {
			replyCode(w, 100013, "token secret-token signature "+h.lastQuery().Get("signature")+" refused")
			return
		}
		reply(w, fmt.Sprintf(`{"TaskId":%q}`, id))
	}
	h.poll = func(w http.ResponseWriter, id string, n int) {
		msg, _ := json.Marshal("render failed for secret-token sig " + h.lastQuery().Get("signature"))
		reply(w, `{"Progress":-1,"Status":"FAIL","FailMessage":`+string(msg)+`}`)
	}
	journal := filepath.Join(t.TempDir(), "j.db")
	res := hostileRun(t, h, journal, 2, 1, nil)
	sig := h.lastQuery().Get("signature")
	require.NotEmpty(t, sig)
	for id, r := range res {
		assert.Equal(t, jobs.Failed, r.State, id)
		b, _ := json.Marshal(r)
		assert.NotContains(t, string(b), "secret-token", id)
		for _, sig := range h.sigs {
			assert.NotContains(t, string(b), sig, id)
		}
		if r.Err != nil {
			assert.NotContains(t, r.Err.Error(), "secret-token", id)
		}
	}
	j, err := jobs.OpenJournal(journal)
	require.NoError(t, err)
	defer j.Close()
	recs, err := j.All()
	require.NoError(t, err)
	for _, r := range recs {
		b, _ := json.Marshal(r)
		assert.NotContains(t, string(b), "secret-token", "journal record %s: %s", r.ID, b)
		for _, sig := range h.sigs {
			assert.NotContains(t, string(b), sig, "journal record %s: %s", r.ID, b)
		}
	}
}
