package main_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivhgen/ivhgen/runtime/jobs"
)

// standaloneFake runs ivh fake as a child process and returns the IVH_*
// variables it printed.
func standaloneFake(t *testing.T, args ...string) []string {
	cmd := exec.Command(binary(t), append([]string{"fake", "-addr", "127.0.0.1:0"}, args...)...)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	var env []string
	for len(env) < 3 && sc.Scan() {
		env = append(env, sc.Text())
	}
	require.Len(t, env, 3, "the fake prints three variables")
	return env
}

type fakeStats struct {
	Accepted   map[string]int
	Refused    map[string]int
	Duplicates int
	Callbacks  int
}

func statsOf(t *testing.T, env []string) fakeStats {
	url := strings.TrimPrefix(env[0], "IVH_ENDPOINT=")
	resp, err := http.Get(url + "/_fake/stats")
	require.NoError(t, err)
	defer resp.Body.Close()
	var st fakeStats
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&st))
	return st
}

func writeInputs(t *testing.T, path string, videos, tts int) {
	var b strings.Builder
	for i := range videos {
		fmt.Fprintf(&b, `{"id":"v%03d","api":"VideoMake","payload":{"VirtualmanKey":"vk","InputSsml":"video %d","SpeechParam":{"Speed":1}}}`+"\n", i, i)
	}
	for i := range tts {
		fmt.Fprintf(&b, `{"id":"a%03d","api":"TTS","payload":{"TimbreKey":"k","InputSsml":"audio %d","Speed":1}}`+"\n", i, i)
	}
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
}

func journalStates(t *testing.T, path string) map[jobs.State]int {
	j, err := jobs.OpenJournal(path)
	require.NoError(t, err)
	defer j.Close()
	recs, err := j.All()
	require.NoError(t, err)
	out := map[jobs.State]int{}
	for _, r := range recs {
		out[r.State]++
		if r.State == jobs.Submitting && r.Gate != "" {
			out[armedState]++ // also counted as submitting
		}
	}
	return out
}

// armedState counts, beside submitting, the submitting records armed
// behind a running task (Record.Gate set).
const armedState = jobs.State("submitting, armed")

// TestBatchSurvivesSIGKILL kills ivh batch at random moments, resumes it
// each time with the same journal, and checks that every input ends
// succeeded or outcome-unknown and that the fake accepted no create twice.
func TestBatchSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes for several seconds")
	}
	env := standaloneFake(t, "-render", "150ms", "-create-latency", "25ms")
	dir := t.TempDir()
	in, journal, out := filepath.Join(dir, "in.jsonl"), filepath.Join(dir, "j.db"), filepath.Join(dir, "out")
	const videos, tts = 60, 4
	writeInputs(t, in, videos, tts)
	seen := map[jobs.State]int{}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 14))
	for round := range 24 {
		cmd := exec.Command(binary(t), "batch", "-journal", journal, "-in", in, "-out", out, "-poll", "10ms")
		cmd.Env = append(os.Environ(), env...)
		require.NoError(t, cmd.Start())
		time.Sleep(time.Duration(20+rng.IntN(250)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if _, err := os.Stat(journal); err != nil {
			continue // killed before the journal existed
		}
		st := journalStates(t, journal)
		t.Logf("round %d: %v", round, st)
		for s, n := range st {
			seen[s] += n
		}
	}
	cmd := exec.Command(binary(t), "batch", "-journal", journal, "-in", in, "-out", out, "-poll", "10ms")
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.Output()
	code := cmd.ProcessState.ExitCode()
	require.Contains(t, []int{0, 5}, code, "all succeeded (0) or some unknown (5): %v", err)

	succeeded, unknown := 0, 0
	for l := range strings.Lines(string(stdout)) {
		var r struct {
			ID, State, File string
		}
		require.NoError(t, json.Unmarshal([]byte(l), &r))
		switch r.State {
		case string(jobs.Succeeded):
			succeeded++
			fi, err := os.Stat(r.File)
			require.NoError(t, err, r.ID)
			assert.Positive(t, fi.Size())
		case string(jobs.Unknown):
			unknown++
		default:
			t.Errorf("%s ended %s", r.ID, r.State)
		}
	}
	assert.Equal(t, videos+tts, succeeded+unknown)
	st := statsOf(t, env)
	accepted := st.Accepted["VideoMake"] + st.Accepted["TTS"]
	assert.Zero(t, st.Duplicates, "no create body was accepted twice")
	assert.GreaterOrEqual(t, accepted, succeeded)
	assert.LessOrEqual(t, accepted, succeeded+unknown, "every task made is succeeded or reported unknown")
	table, err := exec.Command(binary(t), "batch-status", "-journal", journal).Output()
	require.NoError(t, err)
	assert.Contains(t, string(table), fmt.Sprintf("%d inputs:", videos+tts))
	assert.Contains(t, string(table), fmt.Sprintf("succeeded %d failed 0 outcome-unknown %d", succeeded, unknown))
	parts, _ := filepath.Glob(filepath.Join(out, ".*.part-*"))
	assert.Empty(t, parts, "no partial download left")
	for _, s := range []jobs.State{jobs.Pending, jobs.Submitting, armedState, jobs.Accepted, jobs.Succeeded} {
		assert.Positive(t, seen[s], "a kill caught an input %s", s)
	}
	t.Logf("kill-time states summed over rounds: %v; final: %d succeeded, %d unknown; fake: %+v", seen, succeeded, unknown, st)
}
