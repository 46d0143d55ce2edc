package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/jobs"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixture is a simulating fake gateway, a media server and a journal.
type fixture struct {
	srv     *ivhtest.Server
	c       *ivh.Client
	journal string
	out     string
	mu      sync.Mutex
	results map[string]jobs.Result

	journalOpen *jobs.Journal // the journal during runOpen
}

func newFixture(t *testing.T, slots, queue int) *fixture {
	return newFixtureRender(t, slots, queue, 20*time.Millisecond)
}

// newFixtureRender is newFixture with another render time.
func newFixtureRender(t *testing.T, slots, queue int, render time.Duration) *fixture {
	media := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "video of %s", r.URL.Path)
	}))
	t.Cleanup(media.Close)
	srv := ivhtest.New(t)
	srv.Tasks("GetProgress").Simulate(fakegw.Simulation{
		RenderTime: render, DefaultSlots: slots, Queue: queue,
		MediaURL: func(id string) string { return media.URL + "/" + id + ".mp4" },
	})
	dir := t.TempDir()
	return &fixture{srv: srv, c: srv.Client(), journal: filepath.Join(dir, "j.db"), out: filepath.Join(dir, "out")}
}

func (f *fixture) config(limit int) jobs.Config {
	return jobs.Config{
		Flows:       map[string]jobs.Flow{"VideoMake": jobs.NewFlow("video", f.c.Video.VideoMake, f.c.Video.VideoMakeHandle, f.c.Video.WaitVideoMakeHandle)},
		Limits:      map[string]int{"video": limit},
		WaitOptions: []ivh.WaitOption{ivh.WithPollInterval(2 * time.Millisecond), ivh.WithMaxPollInterval(2 * time.Millisecond)},
		Backoff:     func(int) time.Duration { return time.Millisecond },
		OutDir:      f.out,
		OnResult: func(r jobs.Result) {
			f.mu.Lock()
			f.results[r.ID] = r
			f.mu.Unlock()
		},
	}
}

func (f *fixture) run(t *testing.T, ins []jobs.Input, cfg jobs.Config) {
	t.Helper()
	f.results = map[string]jobs.Result{}
	j, err := jobs.OpenJournal(f.journal)
	require.NoError(t, err)
	defer j.Close()
	require.NoError(t, jobs.Run(t.Context(), j, ins, cfg))
	require.Len(t, f.results, len(ins), "one result per input")
}

// runOpen is run with the journal opened first, so callbacks can read it.
func (f *fixture) runOpen(t *testing.T, ins []jobs.Input, cfg jobs.Config) {
	t.Helper()
	f.results = map[string]jobs.Result{}
	j, err := jobs.OpenJournal(f.journal)
	require.NoError(t, err)
	defer j.Close()
	f.journalOpen = j
	require.NoError(t, jobs.Run(t.Context(), j, ins, cfg))
	require.Len(t, f.results, len(ins), "one result per input")
}

func videoInputs(n int) []jobs.Input {
	out := make([]jobs.Input, n)
	for i := range out {
		p := fmt.Sprintf(`{"VirtualmanKey":"vk","InputSsml":"hello %d","SpeechParam":{"Speed":1}}`, i)
		out[i] = jobs.Input{ID: fmt.Sprintf("in-%02d", i), API: "VideoMake", Payload: json.RawMessage(p)}
	}
	return out
}

// TestRun_QuotaAwareNoRejections: with the engine's limit at the vendor's
// cap, 12 videos succeed with no 100008, one create each, and each result
// is downloaded under its input id.
func TestRun_QuotaAwareNoRejections(t *testing.T) {
	f := newFixture(t, 5, 0)
	f.run(t, videoInputs(12), f.config(5))
	assert.Equal(t, fakegw.SimStats{Accepted: 12}, f.srv.Tasks("GetProgress").SimStats())
	for id, r := range f.results {
		assert.Equal(t, jobs.Succeeded, r.State, id)
		assert.Equal(t, 1, r.Attempts, id)
		out, ok := jobs.Output[ivh.GetProgressResponse](r)
		require.True(t, ok, "typed result")
		assert.Equal(t, ivh.TaskStatusSuccess, out.Status)
		b, err := os.ReadFile(filepath.Join(f.out, id+".mp4"))
		require.NoError(t, err)
		assert.Contains(t, string(b), "video of /task-")
	}
}

// TestRun_RequeuesOn100008: an engine limit above the gateway's cap meets
// 100008 refusals, requeues them, and still makes exactly one task each.
func TestRun_RequeuesOn100008(t *testing.T) {
	f := newFixture(t, 2, 0)
	f.run(t, videoInputs(8), f.config(4))
	st := f.srv.Tasks("GetProgress").SimStats()
	assert.Equal(t, 8, st.Accepted, "no duplicate create")
	assert.Positive(t, st.Rejected)
	tries := 0
	for _, r := range f.results {
		assert.Equal(t, jobs.Succeeded, r.State)
		tries += r.Attempts
	}
	assert.Equal(t, 8+st.Rejected, tries, "every refusal was retried, every acceptance kept")
}

// TestRun_ResumeStates: a second run waits on accepted tasks without a
// create, reports a crashed submit as outcome-unknown with its RequestID
// (nothing sent), and resubmits it only when asked.
func TestRun_ResumeStates(t *testing.T) {
	f := newFixture(t, 5, 0)
	ins := videoInputs(2)
	made, err := f.c.Video.VideoMake(t.Context(), &ivh.VideoMakeRequest{VirtualmanKey: "vk", InputSSML: ivh.Of("hello 0"), SpeechParam: ivh.SpeechParam{Speed: 1}})
	require.NoError(t, err)
	j, err := jobs.OpenJournal(f.journal)
	require.NoError(t, err)
	require.NoError(t, j.Put(&jobs.Record{ID: ins[0].ID, API: "VideoMake", Payload: ins[0].Payload, State: jobs.Accepted,
		Handle: f.c.Video.VideoMakeHandle(made, "r0").String()}))
	require.NoError(t, j.Put(&jobs.Record{ID: ins[1].ID, API: "VideoMake", Payload: ins[1].Payload, State: jobs.Submitting, RequestID: "r1"}))
	require.NoError(t, j.Close())

	f.run(t, ins, f.config(5))
	assert.Equal(t, jobs.Succeeded, f.results[ins[0].ID].State)
	unk := f.results[ins[1].ID]
	assert.Equal(t, jobs.Unknown, unk.State)
	assert.Contains(t, unk.Error, "request_id=r1")
	assert.Equal(t, 1, f.srv.Tasks("GetProgress").SimStats().Accepted, "the run sent no create")

	f.run(t, ins, f.config(5))
	assert.Equal(t, jobs.Unknown, f.results[ins[1].ID].State, "unknown stays unknown")
	done, ok := jobs.Output[ivh.GetProgressResponse](f.results[ins[0].ID])
	require.True(t, ok, "a result from the journal alone is typed too")
	assert.Equal(t, ivh.TaskStatusSuccess, done.Status)
	cfg := f.config(5)
	cfg.ResubmitUnknown = true
	f.run(t, ins, cfg)
	assert.Equal(t, jobs.Succeeded, f.results[ins[1].ID].State)
	assert.Equal(t, 2, f.srv.Tasks("GetProgress").SimStats().Accepted)
}

// TestRun_Failures: a task ending FAIL and a payload that does not decode
// both fail; the bad payload sends nothing.
func TestRun_Failures(t *testing.T) {
	f := newFixture(t, 5, 0)
	f.srv.FailNextVideoMake(ivh.FailCrashed, "boom")
	ins := videoInputs(1)
	ins = append(ins, jobs.Input{ID: "bad", API: "VideoMake", Payload: json.RawMessage(`{"Nope":1}`)})
	f.run(t, ins, f.config(5))
	assert.Equal(t, jobs.Failed, f.results["in-00"].State)
	assert.Equal(t, int(ivh.FailCrashed), f.results["in-00"].Code)
	assert.Equal(t, jobs.Failed, f.results["bad"].State)
	assert.Equal(t, 0, f.results["bad"].Attempts-1, "decoding failed after the submitting step, before sending")
	assert.Equal(t, 1, f.srv.Tasks("GetProgress").SimStats().Accepted)
}

// TestRun_ChangedInputRefused: an id journaled with another payload is an
// error, not a silent new job.
func TestRun_ChangedInputRefused(t *testing.T) {
	f := newFixture(t, 5, 0)
	ins := videoInputs(1)
	f.run(t, ins, f.config(5))
	ins[0].Payload = json.RawMessage(`{"VirtualmanKey":"other","SpeechParam":{"Speed":1}}`)
	j, err := jobs.OpenJournal(f.journal)
	require.NoError(t, err)
	defer j.Close()
	assert.ErrorIs(t, jobs.Run(t.Context(), j, ins, f.config(5)), jobs.ErrPayloadChanged)
}

// TestDownloadFile_ShortBodyLeavesNothing: a body shorter than its
// Content-Length is an error and leaves no file.
func TestDownloadFile_ShortBodyLeavesNothing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.Write([]byte("short"))
	}))
	defer srv.Close()
	dst := filepath.Join(t.TempDir(), "x.mp4")
	err := jobs.DownloadFile(context.Background(), nil, srv.URL, dst)
	assert.Error(t, err)
	_, statErr := os.Stat(dst)
	assert.True(t, os.IsNotExist(statErr))
	entries, _ := os.ReadDir(filepath.Dir(dst))
	assert.Empty(t, entries, "no temporary file left")
}
