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
// goes back to pending, and is sent once, only when the run can prove its
// create never left: the kernel and the sent log are the ones it was armed
// with and the log lacks its RequestID. Otherwise (a reboot, another log,
// the RequestID logged) it is outcome-unknown and nothing is sent, even
// when the vendor says the gate task still runs.
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
	j, err := jobs.OpenJournal(f.journal)
	require.NoError(t, err)
	log, err := os.ReadFile(f.journal + ".sent") // its header names it: "log <id>"
	require.NoError(t, err)
	header := string(log)
	boot, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
	same := ""
	if b := strings.TrimSpace(string(boot)); b != "" {
		same = b + " " + strings.TrimSpace(strings.TrimPrefix(header, "log "))
	}

	ins := videoInputs(5)
	armed := []struct{ gate, boot string }{
		{runningH, "another-boot x"}, // 0: gate still running, after a reboot: unknown
		{endedH, "another-boot x"},   // 1: gate ended after a reboot: unknown
		{endedH, same},               // 2: same kernel and log, not in the log: unsent
		{endedH, same},               // 3: same kernel and log, in the log: unknown
		{endedH, strings.Fields(same + " b")[0] + " another-log"}, // 4: another sent log: unknown
	}
	for i, a := range armed {
		require.NoError(t, j.Put(&jobs.Record{ID: ins[i].ID, API: "VideoMake", Payload: ins[i].Payload,
			State: jobs.Submitting, RequestID: "rid-" + ins[i].ID, Gate: a.gate, Boot: a.boot, Attempts: 1}))
	}
	require.NoError(t, j.Close())
	require.NoError(t, os.WriteFile(f.journal+".sent", []byte(header+"rid-"+ins[3].ID+"\n"), 0o600))

	f.run(t, ins, f.config(5))
	want := []jobs.State{jobs.Unknown, jobs.Unknown, jobs.Succeeded, jobs.Unknown, jobs.Unknown}
	if same == "" { // no boot id here: nothing proves a create unsent
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
	log, err = os.ReadFile(f.journal + ".sent")
	require.NoError(t, err)
	assert.Equal(t, header, string(log), "the sent log is emptied to its header once the armed records are resolved")
}

// TestRun_PollsNearTheExpectedEnd: once a pool has seen two tasks take
// about as long, a wait holds its polls until shortly before the next task is expected to end:
// the fake counts far fewer polls per task after the second, and each
// task still ends seen by a poll.
func TestRun_PollsNearTheExpectedEnd(t *testing.T) {
	f := newFixtureRender(t, 1, 0, 200*time.Millisecond)
	cfg := f.config(1)
	cfg.OutDir = ""
	f.run(t, videoInputs(4), cfg)
	tasks := f.srv.Tasks("GetProgress").Tasks()
	require.Len(t, tasks, 4, "one create each")
	first := tasks[0].Polls
	for _, task := range tasks[2:] { // two durations that agree come first

		assert.Less(t, task.Polls, first*3/4, "%s polled %d times, the first %d", task.ID, task.Polls, first)
		assert.True(t, task.Done, "a poll saw %s end", task.ID)
	}
	for id, r := range f.results {
		assert.Equal(t, jobs.Succeeded, r.State, id)
		assert.Equal(t, 1, r.Attempts, id)
	}
}
