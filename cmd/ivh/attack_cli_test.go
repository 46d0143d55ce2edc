package main_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileGateway answers every call with code 0: videomake starts a task
// whose progress never ends, describetimbre repeats one page whatever the
// index.
func hostileGateway(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var env struct{ Header struct{ RequestID string } }
		_ = json.Unmarshal(b, &env)
		var payload any = map[string]any{}
		switch {
		case strings.HasSuffix(r.URL.Path, "/videomake"):
			payload = map[string]any{"TaskId": "task-1"}
		case strings.HasSuffix(r.URL.Path, "/getprogress"):
			payload = map[string]any{"Status": "PROCESSING", "Progress": 10}
		case strings.HasSuffix(r.URL.Path, "/describetimbre"):
			payload = map[string]any{"TimbreAssets": []map[string]any{{"TimbreKey": "a"}}, "Total": 100}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"Header":  map[string]any{"Code": 0, "Message": "", "RequestId": env.Header.RequestID},
			"Payload": payload,
		})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// lockedBuffer is a bytes.Buffer that a running command writes to while
// the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func hostileEnv(t *testing.T) []string {
	return []string{"IVH_APPKEY=ak", "IVH_ACCESS_TOKEN=tok-SECRET", "IVH_ENDPOINT=" + hostileGateway(t)}
}

// Ctrl-C during -wait leaves the task running: the exit code is 6 (a wait
// that did not finish) and the last line names the handle to resume with,
// as -max-wait does; not 4 (transport) with a bare "context canceled".
func TestAttackInterruptedWaitNamesTheHandle(t *testing.T) {
	cmd := exec.Command(binary(t), "-wait", "-poll", "100ms", "VideoMake", "-d", `{"VirtualmanKey":"vk","InputSsml":"Hi","SpeechParam":{"Speed":1}}`)
	cmd.Env = append(cmd.Environ(), hostileEnv(t)...)
	var stdout bytes.Buffer
	stderr := new(lockedBuffer)
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	require.NoError(t, cmd.Start())
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(stderr.String(), "poll 1:") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	err := cmd.Wait()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee, "stderr: %s", stderr.String())
	assert.Equal(t, 6, ee.ExitCode(), "stderr: %s", stderr.String())
	assert.Regexp(t, `ivh wait v1:VideoMake:task-1:\S+\n$`, stderr.String())
	assert.Empty(t, stdout.String())
}

// The errors behind an API call start with the package's name, never
// "apaas": a wait cut by -max-wait and a pager that stalls.
func TestAttackNoApaasPrefixBehindACall(t *testing.T) {
	env := hostileEnv(t)
	r := ivhCmd(t, env, "", "-wait", "-max-wait", "300ms", "-poll", "100ms", "VideoMake", "-d", `{"VirtualmanKey":"vk","InputSsml":"Hi","SpeechParam":{"Speed":1}}`)
	assert.Equal(t, 6, r.code, r.stderr)
	assert.NotContains(t, r.stderr, "apaas")
	r = ivhCmd(t, env, "", "-all", "DescribeTimbre", "-d", `{"PageSize":1}`)
	assert.Equal(t, 4, r.code, r.stderr)
	assert.Contains(t, r.stderr, "paging stalled")
	assert.NotContains(t, r.stderr, "apaas")
}
