package jobs_test

import (
	"os"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/jobs"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sameStamp is the Boot an armed record carries in this kernel beside the
// fixture's sent log, and the log's header; "" when the boot id is unknown.
func sameStamp(t *testing.T, f *fixture) (stamp, header string) {
	t.Helper()
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
	return stamp, header
}

// TestAttackLate_TornLogThenArmedResend: a torn sent log (a kernel crash)
// proves nothing, but must still be emptied once the armed records are
// resolved. Kept torn, the next run's mark is appended to the torn tail
// ("rid-tornrid-R\n"), the log reads whole again without "rid-R", and a
// crash after R's create left makes the run after that prove R unsent and
// send it a second time.
func TestAttackLate_TornLogThenArmedResend(t *testing.T) {
	f := newFixture(t, 5, 0)
	stamp, header := sameStamp(t, f)
	if stamp == "" {
		t.Skip("no boot id: nothing is ever proved unsent")
	}
	require.NoError(t, os.WriteFile(f.journal+".sent", []byte(header+"rid-torn"), 0o600))
	ins := videoInputs(2)
	f.run(t, ins[:1], f.config(5))
	log, err := os.ReadFile(f.journal + ".sent")
	require.NoError(t, err)
	assert.Equal(t, header, string(log), "a torn sent log is emptied once no armed record needs it")

	// A later run arms ins[1], marks it (one O_APPEND write, as mark does),
	// sends it, and the process crashes.
	j, err := jobs.OpenJournal(f.journal)
	require.NoError(t, err)
	require.NoError(t, j.Put(&jobs.Record{ID: ins[1].ID, API: "VideoMake", Payload: ins[1].Payload,
		State: jobs.Submitting, RequestID: "rid-R", Gate: "v1:VideoMake:gone:", Boot: stamp, Attempts: 1}))
	require.NoError(t, j.Close())
	lf, err := os.OpenFile(f.journal+".sent", os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	_, err = lf.Write([]byte("rid-R\n"))
	require.NoError(t, err)
	require.NoError(t, lf.Close())

	f.run(t, ins[1:], f.config(5))
	assert.Equal(t, jobs.Unknown, f.results[ins[1].ID].State, "a create whose RequestID was logged is never proved unsent")
}

// TestAttackLate_ArmedOutsideRun: armed records of inputs not in this run
// are resolved too, and none is left armed or resent.
func TestAttackLate_ArmedOutsideRun(t *testing.T) {
	f := newFixture(t, 5, 0)
	stamp, header := sameStamp(t, f)
	ins := videoInputs(3)
	j, err := jobs.OpenJournal(f.journal)
	require.NoError(t, err)
	for i, id := range []string{"rid-a", "rid-b"} {
		require.NoError(t, j.Put(&jobs.Record{ID: ins[i].ID, API: "VideoMake", Payload: ins[i].Payload,
			State: jobs.Submitting, RequestID: id, Gate: "v1:VideoMake:gone:", Boot: stamp, Attempts: 1}))
	}
	require.NoError(t, j.Close())
	require.NoError(t, os.WriteFile(f.journal+".sent", []byte(header+"rid-b\n"), 0o600))
	f.run(t, ins[2:], f.config(5))

	j, err = jobs.OpenJournal(f.journal)
	require.NoError(t, err)
	defer j.Close()
	a, err := j.Get(ins[0].ID)
	require.NoError(t, err)
	b, err := j.Get(ins[1].ID)
	require.NoError(t, err)
	want := jobs.Pending
	if stamp == "" {
		want = jobs.Submitting
	}
	assert.Equal(t, want, a.State, "unsent by the log: pending again")
	assert.Equal(t, jobs.Submitting, b.State, "logged: stays submitting, outcome unknown")
	assert.Empty(t, a.Gate+a.Boot+b.Gate+b.Boot, "no record left armed")
	assert.Equal(t, 0, a.Attempts, "the unsent attempt is not counted")
	assert.Equal(t, 0, f.srv.Tasks("GetProgress").SimStats().Accepted-1, "only this run's input was sent")
}
