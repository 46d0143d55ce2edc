package main_test

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// freeAddr returns a loopback address nothing listens on (just now).
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

// TestBatchCallbacksEndWaits: with -callback-url and a poll interval of an
// hour, only the standalone fake's result callbacks can end the waits;
// the batch finishes in seconds with every input succeeded, one callback
// per video, and the fake saw no duplicate create.
func TestBatchCallbacksEndWaits(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	env := standaloneFake(t, "-render", "300ms")
	dir := t.TempDir()
	in, journal := filepath.Join(dir, "in.jsonl"), filepath.Join(dir, "j.db")
	const videos = 8
	writeInputs(t, in, videos, 0)
	addr := freeAddr(t)
	cmd := exec.Command(binary(t), "batch", "-journal", journal, "-in", in, "-poll", "1h",
		"-callback-url", "http://"+addr+"/ivh/callback", "-callback-listen", addr)
	cmd.Env = append(os.Environ(), env...)
	start := time.Now()
	out, err := cmd.Output()
	require.NoError(t, err, "exit 0")
	assert.Less(t, time.Since(start), 30*time.Second)
	assert.Equal(t, videos, strings.Count(string(out), `"state":"succeeded"`))
	st := statsOf(t, env)
	assert.Equal(t, videos, st.Accepted["VideoMake"])
	assert.Zero(t, st.Duplicates)
	assert.Equal(t, videos, st.Callbacks, "one callback per task, each answered 200")
}

// TestBatchCallbackFlagsMisuse: -callback-url without -callback-listen is
// misuse (exit 2).
func TestBatchCallbackFlagsMisuse(t *testing.T) {
	cmd := exec.Command(binary(t), "batch", "-journal", filepath.Join(t.TempDir(), "j.db"), "-callback-url", "http://127.0.0.1:1/cb")
	cmd.Stdin = strings.NewReader("")
	err := cmd.Run()
	require.Error(t, err)
	assert.Equal(t, 2, cmd.ProcessState.ExitCode())
}
