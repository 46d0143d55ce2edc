package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAttack_BatchMisuseSendsNothing: a second ivh batch on a journal in
// use, an input file whose payload changed, one with an id twice, and a
// journal cut in half are refused with the documented exit codes, and
// none of them sends a create.
func TestAttack_BatchMisuseSendsNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	env := standaloneFake(t, "-render", "1500ms")
	dir := t.TempDir()
	in, journal := filepath.Join(dir, "in.jsonl"), filepath.Join(dir, "j.db")
	writeInputs(t, in, 3, 0)
	batch := func(journal, input string) *exec.Cmd {
		cmd := exec.Command(binary(t), "batch", "-journal", journal, "-in", input, "-poll", "20ms")
		cmd.Env = append(os.Environ(), env...)
		return cmd
	}
	first := batch(journal, in)
	require.NoError(t, first.Start())
	time.Sleep(300 * time.Millisecond)
	second := batch(journal, in)
	out, _ := second.CombinedOutput()
	assert.Equal(t, 4, second.ProcessState.ExitCode(), "a second runner is refused: %s", out)
	require.NoError(t, first.Wait(), "the first runner succeeds")
	accepted := statsOf(t, env).Accepted["VideoMake"]
	assert.Equal(t, 3, accepted)

	b, err := os.ReadFile(in)
	require.NoError(t, err)
	changed := filepath.Join(dir, "changed.jsonl")
	require.NoError(t, os.WriteFile(changed, []byte(strings.Replace(string(b), "video 1", "video one", 1)), 0o600))
	cmd := batch(journal, changed)
	out, _ = cmd.CombinedOutput()
	assert.Equal(t, 2, cmd.ProcessState.ExitCode(), "a changed payload: %s", out)

	twice := filepath.Join(dir, "twice.jsonl")
	require.NoError(t, os.WriteFile(twice, append(b, []byte(strings.SplitAfter(string(b), "\n")[0])...), 0o600))
	cmd = batch(filepath.Join(dir, "fresh.db"), twice)
	out, _ = cmd.CombinedOutput()
	assert.Equal(t, 2, cmd.ProcessState.ExitCode(), "an id twice: %s", out)

	jb, err := os.ReadFile(journal)
	require.NoError(t, err)
	cut := filepath.Join(dir, "cut.db")
	require.NoError(t, os.WriteFile(cut, jb[:len(jb)/2], 0o600))
	cmd = batch(cut, in)
	out, _ = cmd.CombinedOutput()
	assert.Equal(t, 4, cmd.ProcessState.ExitCode(), "a journal cut in half: %s", out)

	// emptied (a lost journal beside its sent log): not a new batch
	empty := filepath.Join(dir, "empty.db")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	sent, err := os.ReadFile(journal + ".sent")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(empty+".sent", sent, 0o600))
	cmd = batch(empty, in)
	out, _ = cmd.CombinedOutput()
	assert.Equal(t, 4, cmd.ProcessState.ExitCode(), "an emptied journal: %s", out)

	assert.Equal(t, accepted, statsOf(t, env).Accepted["VideoMake"], "nothing more was sent")
}
