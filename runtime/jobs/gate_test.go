package jobs_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/jobs"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun_ArmedResume: a submitting record armed behind a task (Gate)
// goes back to pending, and is sent once, when the run can prove its
// create never left: the gate task still runs, or the kernel is the same
// and the sent log lacks its RequestID. Otherwise it is outcome-unknown
// and nothing is sent.
func TestRun_ArmedResume(t *testing.T) {
	f := newFixtureRender(t, 5, 0, 400*time.Millisecond)
	req := func(s string) *ivh.VideoMakeRequest {
		return &ivh.VideoMakeRequest{VirtualmanKey: "vk", InputSSML: ivh.Of(s), SpeechParam: ivh.SpeechParam{Speed: 1}}
	}
	ended, err := f.c.Video.VideoMake(t.Context(), req("ended"))
	require.NoError(t, err)
	time.Sleep(500 * time.Millisecond)
	running, err := f.c.Video.VideoMake(t.Context(), req("running"))
	require.NoError(t, err)
	endedH := f.c.Video.VideoMakeHandle(ended, "").String()
	runningH := f.c.Video.VideoMakeHandle(running, "").String()
	boot, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
	same := strings.TrimSpace(string(boot))

	ins := videoInputs(4)
	armed := []struct{ gate, boot string }{
		{runningH, "another-boot"}, // 0: gate still running: unsent
		{endedH, "another-boot"},   // 1: gate ended after a reboot: unknown
		{endedH, same},             // 2: same kernel, not in the sent log: unsent
		{endedH, same},             // 3: same kernel, in the sent log: unknown
	}
	j, err := jobs.OpenJournal(f.journal)
	require.NoError(t, err)
	for i, a := range armed {
		require.NoError(t, j.Put(&jobs.Record{ID: ins[i].ID, API: "VideoMake", Payload: ins[i].Payload,
			State: jobs.Submitting, RequestID: "rid-" + ins[i].ID, Gate: a.gate, Boot: a.boot, Attempts: 1}))
	}
	require.NoError(t, j.Close())
	require.NoError(t, os.WriteFile(f.journal+".sent", []byte("rid-"+ins[3].ID+"\n"), 0o600))

	f.run(t, ins, f.config(5))
	want := []jobs.State{jobs.Succeeded, jobs.Unknown, jobs.Succeeded, jobs.Unknown}
	if same == "" { // no boot id here: only the gate proves anything
		want[2] = jobs.Unknown
	}
	for i, w := range want {
		r := f.results[ins[i].ID]
		assert.Equal(t, w, r.State, "case %d: %s", i, r.Error)
		if w == jobs.Succeeded {
			assert.Equal(t, 1, r.Attempts, "case %d: the armed attempt was not counted as sent", i)
		}
	}
	sent := 0
	for _, w := range want {
		if w == jobs.Succeeded {
			sent++
		}
	}
	assert.Equal(t, 2+sent, f.srv.Tasks("GetProgress").SimStats().Accepted, "a create only for the proved-unsent inputs")
	log, err := os.ReadFile(f.journal + ".sent")
	require.NoError(t, err)
	assert.Empty(t, log, "the sent log is emptied once the armed records are resolved")
}

// TestRun_PollsNearTheExpectedEnd: once a pool has seen a task end, a wait
// holds its polls until shortly before the next task is expected to end:
// the fake counts far fewer polls per task after the first, and each task
// still ends seen by a poll.
func TestRun_PollsNearTheExpectedEnd(t *testing.T) {
	f := newFixtureRender(t, 1, 0, 200*time.Millisecond)
	cfg := f.config(1)
	cfg.OutDir = ""
	f.run(t, videoInputs(4), cfg)
	tasks := f.srv.Tasks("GetProgress").Tasks()
	require.Len(t, tasks, 4, "one create each")
	first := tasks[0].Polls
	for _, task := range tasks[1:] {
		assert.Less(t, task.Polls, first/2+1, "%s polled %d times, the first %d", task.ID, task.Polls, first)
		assert.True(t, task.Done, "a poll saw %s end", task.ID)
	}
	for id, r := range f.results {
		assert.Equal(t, jobs.Succeeded, r.State, id)
		assert.Equal(t, 1, r.Attempts, id)
	}
}
