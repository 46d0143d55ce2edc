package main_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds cmd/ivh once per test run, as a user would.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ivh-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "ivh")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

// ivhCmd runs the binary with env replacing every IVH_ variable.
func ivhCmd(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "IVH_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	code := 0
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return result{code, stdout.String(), stderr.String()}
}

const videoPayload = `{"VirtualmanKey":"vk-1","InputSsml":"hello","SpeechParam":{"Speed":1}}`

func TestList(t *testing.T) {
	r := ivhCmd(t, nil, "", "list")
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	ops := ivhtest.Operations()
	require.Len(t, lines, len(ops))
	for i, op := range ops {
		f := strings.Fields(lines[i])
		assert.Equal(t, []string{op.Name, op.Path}, f[:2])
		assert.Contains(t, lines[i], op.Doc)
	}
	assert.Contains(t, r.stdout, "VideoMake ")
	assert.Contains(t, r.stdout, "[-wait]")
}

// A call against the embedded fake prints the response Payload and shows
// the signed request on stderr.
func TestFakeCall(t *testing.T) {
	r := ivhCmd(t, nil, "", "-fake", "gettimbre", "-d", `{"VirtualmanKey":"vk-1"}`)
	require.Equal(t, 0, r.code, r.stderr)
	var payload map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &payload), r.stdout)
	assert.Contains(t, r.stderr, "POST /v2/ivh/videomaker/broadcastservice/gettimbre?appkey=fake-appkey&signature=REDACTED&timestamp=")
	assert.Contains(t, r.stderr, "-> code 0")
	assert.NotContains(t, r.stdout, "-fake", "the fake's request log stays off stdout")

	// The payload may come from a file or from standard input too.
	file := filepath.Join(t.TempDir(), "req.json")
	require.NoError(t, os.WriteFile(file, []byte(videoPayload), 0o644))
	r = ivhCmd(t, nil, "", "-fake", "VideoMake", "-d", "@"+file)
	require.Equal(t, 0, r.code, r.stderr)
	assert.JSONEq(t, `{"TaskId":"task-000001"}`, r.stdout)
	r = ivhCmd(t, nil, videoPayload, "-fake", "VideoMake")
	require.Equal(t, 0, r.code, r.stderr)
	assert.JSONEq(t, `{"TaskId":"task-000001"}`, r.stdout)
}

// -wait polls until the task ends; stderr is no terminal, so one line per
// poll.
func TestWait(t *testing.T) {
	r := ivhCmd(t, nil, "", "VideoMake", "-fake", "-wait", "-d", videoPayload)
	require.Equal(t, 0, r.code, r.stderr)
	// One JSON document on stdout, the last poll: ivh -wait ... | jq -r .MediaUrl.
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	var last ivh.GetProgressResponse
	require.NoError(t, dec.Decode(&last))
	assert.False(t, dec.More(), "a second document on stdout: %s", r.stdout)
	assert.Equal(t, ivh.TaskStatusSuccess, last.Status)
	assert.Contains(t, r.stderr, `ivh: VideoMake: started {"TaskId":"task-000001"}`+"\n")
	assert.Contains(t, r.stderr, "ivh: VideoMake: poll 1: COMMIT (0%)\n")
	assert.Contains(t, r.stderr, "ivh: VideoMake: poll 2: MAKING (50%)\n")
	assert.Contains(t, r.stderr, "ivh: VideoMake: poll 3: SUCCESS (100%)\n")
	assert.NotContains(t, r.stderr, "\r")

	r = ivhCmd(t, nil, "", "-fake", "-wait", "GetVideoAnchor", "-d", `{"VirtualmanKey":"vk-1"}`)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "GetVideoAnchor starts no task")
}

func TestBadPayload(t *testing.T) {
	for _, tc := range []struct{ payload, want string }{
		{`{"VirtualmanKey":"vk","Bogus":1}`, `unknown field "Bogus"`},
		{`{"VirtualmanKey":7}`, "field VirtualmanKey: want string, got JSON number"},
		{`{"VirtualmanKey":`, "VideoMake payload:"},
		{`{} {}`, "data after the JSON object"},
		{`{"SpeechParam":{"Speed":9}}`, "VirtualmanKey"},
	} {
		r := ivhCmd(t, nil, "", "-fake", "VideoMake", "-d", tc.payload)
		assert.Equal(t, 2, r.code, tc.payload)
		assert.Contains(t, r.stderr, tc.want, tc.payload)
		assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line for %s: %q", tc.payload, r.stderr)
		assert.Empty(t, r.stdout)
	}
	r := ivhCmd(t, nil, "", "-fake", "VideoMak")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `unknown API "VideoMak"; did you mean VideoMake`)
}

func TestMissingCredentials(t *testing.T) {
	r := ivhCmd(t, []string{"IVH_APPKEY=ak-only"}, "", "VideoMake", "-d", videoPayload)
	assert.Equal(t, 3, r.code)
	assert.Contains(t, r.stderr, "IVH_ACCESS_TOKEN")
	assert.Contains(t, r.stderr, "-fake")
	assert.NotContains(t, r.stderr, "ak-only")
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"))
}

// An error code from -fake-fault: exit 1, one line with the code and the
// request id.
func TestFakeFault(t *testing.T) {
	r := ivhCmd(t, nil, "", "-fake", "-fake-fault", "801004", "VideoMake", "-d", videoPayload)
	assert.Equal(t, 1, r.code)
	var errLines []string
	for _, l := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		if !strings.HasPrefix(l, "ivh: -fake: ") {
			errLines = append(errLines, l)
		}
	}
	require.Len(t, errLines, 1, r.stderr)
	assert.Regexp(t, `^ivh: ivh VideoMake: code=801004 message=scripted by -fake-fault request_id=[0-9a-f-]{36}$`, errLines[0])
	assert.Contains(t, r.stderr, "-> code 801004")
}

// Against a gateway named by IVH_ENDPOINT, with the credentials from the
// environment: a call succeeds, and an API error never shows the token.
func TestEnvironmentEndpoint(t *testing.T) {
	const token = "s3cret-token-value"
	srv := ivhtest.New(t, fakegw.WithCredentials("ak-1", token))
	env := []string{"IVH_APPKEY=ak-1", "IVH_ACCESS_TOKEN=" + token, "IVH_ENDPOINT=" + srv.URL()}
	r := ivhCmd(t, env, "", "VideoMake", "-d", videoPayload)
	require.Equal(t, 0, r.code, r.stderr)
	assert.JSONEq(t, `{"TaskId":"task-000001"}`, r.stdout)
	require.Len(t, srv.Requests(), 1)
	assert.Equal(t, "ak-1", srv.Requests()[0].Query.Get("appkey"))

	srv.Inject("/v2/ivh/videomaker/broadcastservice/videomake", fakegw.CodeFault(ivh.ErrUnauthorized, "bad token "+token))
	r = ivhCmd(t, env, "", "VideoMake", "-d", videoPayload)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "code=100005")
	assert.Contains(t, r.stderr, "request_id="+srv.Requests()[1].RequestID)
	assert.NotContains(t, r.stderr, token)
	assert.NotContains(t, r.stderr, srv.Requests()[1].Query.Get("signature"))

	r = ivhCmd(t, []string{"IVH_APPKEY=ak-1", "IVH_ACCESS_TOKEN=" + token, "IVH_ENDPOINT=http://127.0.0.1:1"}, "", "VideoMake", "-d", videoPayload)
	assert.Equal(t, 4, r.code, r.stderr)
	assert.NotContains(t, r.stderr, token)
}

func TestUsage(t *testing.T) {
	for _, help := range [][]string{{"-h"}, {"-help"}, {"help"}, {"session", "-h"}} {
		r := ivhCmd(t, nil, "", help...)
		assert.Equal(t, 0, r.code, "%v", help)
		assert.Contains(t, r.stdout, "Usage", "%v: the usage goes to stdout", help)
		assert.Contains(t, r.stdout, "-fake", "%v: flags on stdout", help)
		assert.Empty(t, r.stderr, "%v", help)
	}
	r := ivhCmd(t, nil, "", "-h")
	assert.Contains(t, r.stdout, "Exit codes: 0 success; 1 API error")
	r = ivhCmd(t, nil, "", "-version")
	assert.Equal(t, 0, r.code)
	assert.Regexp(t, `^ivh (v\d+\.\d+\.\d+\S*|\(devel\).*)\n$`, r.stdout)
	r = ivhCmd(t, []string{"IVH_APPKEY=a", "IVH_ACCESS_TOKEN=b", "IVH_ENDPOINT=ftp://x"}, "", "VideoMake", "-d", videoPayload)
	assert.Equal(t, 3, r.code)
	assert.Contains(t, r.stderr, "IVH_ENDPOINT")
	assert.NotContains(t, r.stderr, "-fake", "a bad endpoint is not cured by -fake")
	r = ivhCmd(t, nil, "", "-nosuchflag")
	assert.Contains(t, r.stderr, "Usage")
	assert.Empty(t, r.stdout)
	r = ivhCmd(t, nil, "")
	assert.Equal(t, 2, r.code)
	assert.Empty(t, r.stdout)
	r = ivhCmd(t, nil, "", "-nosuchflag", "list")
	assert.Equal(t, 2, r.code)
	r = ivhCmd(t, nil, "", "list", "extra")
	assert.Equal(t, 2, r.code)
	r = ivhCmd(t, nil, "", "-fake-fault", "1", "VideoMake", "-d", videoPayload)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "-fake-fault needs -fake")
	for _, bad := range [][]string{{"-timeout", "0"}, {"-timeout", "-1s"}, {"-poll", "-1s", "-wait"}} {
		r = ivhCmd(t, nil, "", append(append([]string{"-fake"}, bad...), "VideoMake", "-d", videoPayload)...)
		assert.Equal(t, 2, r.code, "%v", bad)
		assert.Contains(t, r.stderr, "ivh: "+bad[0]+" ", "%v", bad)
		assert.NotContains(t, r.stderr, "deadline exceeded", "%v", bad)
	}
}

// CreateSession -wait leaves a billed session open: ivh says so loudly, and
// how to close it, against a real gateway (here one named by IVH_ENDPOINT).
func TestWaitWarnsOfOpenSession(t *testing.T) {
	srv := ivhtest.New(t, fakegw.WithCredentials("ak-1", "tok"))
	env := []string{"IVH_APPKEY=ak-1", "IVH_ACCESS_TOKEN=tok", "IVH_ENDPOINT=" + srv.URL()}
	r := ivhCmd(t, env, "", "-wait", "-poll", "10ms", "CreateSession", "-d", `{"VirtualmanProjectId":"p","UserId":"u","Protocol":"rtmp","DriverType":1}`)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "poll 1: preparing")
	assert.Regexp(t, `ivh: WARNING: session \S+ is OPEN and billed`, r.stderr)
	assert.Contains(t, r.stderr, `ivh CloseSession -d '{"SessionId":"`)
	var last map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &last), r.stdout)
}
