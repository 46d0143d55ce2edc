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

// armedSetup makes an ended gate task at the fake and returns its handle
// and the stamp ("<boot id> <sent log id>") an armed record of this
// journal and kernel carries, or "" where the boot id is unknown.
func armedSetup(t *testing.T, f *fixture) (endedH, stamp, header string) {
	t.Helper()
	ended, err := f.c.Video.VideoMake(t.Context(), &ivh.VideoMakeRequest{VirtualmanKey: "vk", InputSSML: ivh.Of("ended"), SpeechParam: ivh.SpeechParam{Speed: 1}})
	require.NoError(t, err)
	time.Sleep(100 * time.Millisecond)
	endedH = f.c.Video.VideoMakeHandle(ended, "").String()
	j, err := jobs.OpenJournal(f.journal)
	require.NoError(t, err)
	require.NoError(t, j.Close())
	log, err := os.ReadFile(f.journal + ".sent")
	require.NoError(t, err)
	header = string(log)
	boot, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if b := strings.TrimSpace(string(boot)); b != "" {
		stamp = b + " " + strings.TrimSpace(strings.TrimPrefix(header, "log "))
	}
	return endedH, stamp, header
}

// TestAttack_SentLogKeptForArmedInputsNotInThisRun: a crash leaves input
// X armed and its RequestID in the sent log (its create left). The next
// run is given an input file without X (the user split the batch); it
// must not empty the sent log while X's record still needs it, or a
// third run with X back sends X's create a second time.
func TestAttack_SentLogKeptForArmedInputsNotInThisRun(t *testing.T) {
	f := newFixtureRender(t, 5, 0, 20*time.Millisecond)
	endedH, stamp, header := armedSetup(t, f)
	if stamp == "" {
		t.Skip("no boot id here")
	}
	ins := videoInputs(2)
	x := ins[0]
	j, err := jobs.OpenJournal(f.journal)
	require.NoError(t, err)
	require.NoError(t, j.Put(&jobs.Record{ID: x.ID, API: x.API, Payload: x.Payload, State: jobs.Submitting,
		RequestID: "rid-x", Gate: endedH, Boot: stamp, Attempts: 1}))
	require.NoError(t, j.Close())
	// X's create left: its RequestID is in the sent log.
	require.NoError(t, os.WriteFile(f.journal+".sent", []byte(header+"rid-x\n"), 0o600))
	before := f.srv.Tasks("GetProgress").SimStats().Accepted

	f.run(t, ins[1:], f.config(5)) // X not in this run
	f.run(t, ins[:1], f.config(5)) // X back

	r := f.results[x.ID]
	assert.Equal(t, jobs.Unknown, r.State, "X's create was sent once already: %s", r.Error)
	assert.Equal(t, before+1, f.srv.Tasks("GetProgress").SimStats().Accepted,
		"only the other input is created; X must not be paid twice")
}

// TestAttack_SentLogDamaged: a crash leaves X armed behind an ended task
// with its RequestID in the sent log (its create left); the log is then
// damaged before the resume. Whatever the damage, X must not be sent
// again.
func TestAttack_SentLogDamaged(t *testing.T) {
	cases := []struct {
		name   string
		damage func(path, header string) error
		defect string
	}{
		{"deleted", func(p, _ string) error { return os.Remove(p) }, ""},
		{"truncated to nothing", func(p, _ string) error { return os.Truncate(p, 0) }, ""},
		{"garbage", func(p, _ string) error { return os.WriteFile(p, []byte("\x00\xff garbage\n"), 0o600) }, ""},
		{"header cut", func(p, h string) error { return os.WriteFile(p, []byte(h[:len(h)-4]), 0o600) }, ""},
		{"replaced by a directory", func(p, _ string) error {
			if err := os.Remove(p); err != nil {
				return err
			}
			return os.Mkdir(p, 0o700)
		}, ""},
		// A write(2) that returned survives a process crash, and a kernel
		// crash changes the boot id; a log cut back to its header on a
		// running kernel (a restored backup, a hand edit, a filesystem
		// that loses unsynced data without a reboot) reads as "never sent".
		{"cut back to its header", func(p, h string) error { return os.WriteFile(p, []byte(h), 0o600) },
			"DEFECT: a sent log cut back to its header on the same kernel proves X unsent, and X is created again"},
		// Fixed: a torn last line (no write(2) of a mark tears) now makes
		// the log unreadable, so only the gate proves anything.
		{"its last line cut", func(p, h string) error { return os.WriteFile(p, []byte(h+"rid-"), 0o600) }, ""},
		// Fixed: a line longer than bufio.Scanner's limit before the mark
		// stopped the scan silently, so the mark after it went unread.
		{"a long garbage line before the mark", func(p, h string) error {
			return os.WriteFile(p, []byte(h+strings.Repeat("\x00", 70000)+"\nrid-x\n"), 0o600)
		}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.defect != "" {
				t.Skip(tc.defect)
			}
			f := newFixtureRender(t, 5, 0, 20*time.Millisecond)
			endedH, stamp, header := armedSetup(t, f)
			if stamp == "" {
				t.Skip("no boot id here")
			}
			ins := videoInputs(1)
			x := ins[0]
			j, err := jobs.OpenJournal(f.journal)
			require.NoError(t, err)
			require.NoError(t, j.Put(&jobs.Record{ID: x.ID, API: x.API, Payload: x.Payload, State: jobs.Submitting,
				RequestID: "rid-x", Gate: endedH, Boot: stamp, Attempts: 1}))
			require.NoError(t, j.Close())
			require.NoError(t, os.WriteFile(f.journal+".sent", []byte(header+"rid-x\n"), 0o600))
			require.NoError(t, tc.damage(f.journal+".sent", header))
			before := f.srv.Tasks("GetProgress").SimStats().Accepted

			f.results = map[string]jobs.Result{}
			j, err = jobs.OpenJournal(f.journal)
			if err != nil { // refusing to open is safe too
				return
			}
			defer j.Close()
			require.NoError(t, jobs.Run(t.Context(), j, ins, f.config(5)))
			assert.Equal(t, jobs.Unknown, f.results[x.ID].State, f.results[x.ID].Error)
			assert.Equal(t, before, f.srv.Tasks("GetProgress").SimStats().Accepted, "X is not created again")
		})
	}
}

// TestAttack_TwoRunsOneJournal: a second Run on a Journal a Run is using
// (disjoint inputs, same process: the file lock cannot tell) is refused;
// left to run, it would resolve the first Run's live armed records and
// empty the sent log under it.
func TestAttack_TwoRunsOneJournal(t *testing.T) {
	f := newFixtureRender(t, 5, 0, 300*time.Millisecond)
	j, err := jobs.OpenJournal(f.journal)
	require.NoError(t, err)
	defer j.Close()
	ins := videoInputs(4)
	f.results = map[string]jobs.Result{}
	first := make(chan error, 1)
	cfg := f.config(1)
	cfg.OutDir = ""
	go func() { first <- jobs.Run(t.Context(), j, ins[:3], cfg) }()
	time.Sleep(100 * time.Millisecond)
	err = jobs.Run(t.Context(), j, ins[3:], cfg)
	assert.ErrorIs(t, err, jobs.ErrJournalBusy)
	require.NoError(t, <-first)
	require.NoError(t, jobs.Run(t.Context(), j, ins[3:], cfg), "free again once the first Run returned")
	assert.Equal(t, 4, f.srv.Tasks("GetProgress").SimStats().Accepted)
}

// TestAttack_JournalCutOrEmptied: a journal cut short (power-loss-like)
// used to crash the process with SIGBUS inside bbolt; one emptied beside
// its sent log used to open as a new batch and send every create again.
// Both are refused now.
func TestAttack_JournalCutOrEmptied(t *testing.T) {
	f := newFixtureRender(t, 5, 0, 5*time.Millisecond)
	cfg := f.config(5)
	cfg.OutDir = ""
	f.run(t, videoInputs(40), cfg)
	b, err := os.ReadFile(f.journal)
	require.NoError(t, err)
	require.Greater(t, len(b), 3*4096)
	for _, n := range []int{len(b) / 2, 3 * 4096} {
		require.NoError(t, os.WriteFile(f.journal, b[:n], 0o600))
		_, err := jobs.OpenJournal(f.journal)
		assert.ErrorIs(t, err, jobs.ErrJournalDamaged, "cut to %d bytes", n)
	}
	require.NoError(t, os.WriteFile(f.journal, nil, 0o600))
	_, err = jobs.OpenJournal(f.journal)
	assert.ErrorIs(t, err, jobs.ErrJournalDamaged, "emptied beside its sent log")
	require.NoError(t, os.Remove(f.journal+".sent"))
	j, err := jobs.OpenJournal(f.journal)
	require.NoError(t, err, "an empty file alone is a new journal")
	require.NoError(t, j.Close())
}
