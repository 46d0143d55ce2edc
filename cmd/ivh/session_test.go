package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildOut  []byte
)

// ivhBinary builds cmd/ivh once per test run.
func ivhBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ivh-session-test")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "ivh")
		buildOut, buildErr = exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("go build: %v\n%s", buildErr, buildOut)
	}
	return binPath
}

func TestSessionCommandSendsLinesAndClosesAtEOF(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, ivhBinary(t), "session", "-fake", "-project", "p1", "-protocol", "webrtc")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")} // no credentials: -fake needs none
	cmd.Stdin = strings.NewReader("Hello there\n\nSecond line\n")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ivh session: %v\nstdout:\n%s\nstderr:\n%s", err, &stdout, &stderr)
	}
	out := stdout.String()
	if !regexp.MustCompile(`(?m)^session fake-session-000001 ready; play: rtmp://fakegw.invalid/live/fake-session-000001$`).MatchString(out) {
		t.Errorf("no ready line:\n%s", out)
	}
	ids := regexp.MustCompile(`(?m)^> SEND_TEXT ([0-9a-f]{32})$`).FindAllStringSubmatch(out, -1)
	if len(ids) != 2 {
		t.Fatalf("want 2 texts sent (the empty line skipped):\n%s", out)
	}
	for _, id := range ids {
		for _, st := range []string{"TextStart", "TextOver"} {
			if !strings.Contains(out, `"ReqId":"`+id[1]+`","SpeakStatus":"`+st+`"`) {
				t.Errorf("no %s printed for %s:\n%s", st, id[1], out)
			}
		}
	}
	if !strings.Contains(stderr.String(), "session fake-session-000001: status 2, started true") {
		t.Errorf("session not closed:\n%s", &stderr)
	}
}

func TestSessionCommandClosesOnInterrupt(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, ivhBinary(t), "session", "-fake", "-asset", "a1")
	stdin, err := cmd.StdinPipe() // kept open: only the signal ends the session
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() || !strings.Contains(lines.Text(), "ready; play:") {
		t.Fatalf("first line %q, stderr:\n%s", lines.Text(), &stderr)
	}
	if _, err := stdin.Write([]byte("hi\n")); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() && !strings.Contains(lines.Text(), "TextOver") {
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() {
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v\n%s", err, &stderr)
	}
	if !strings.Contains(stderr.String(), "interrupted; session closed") || !strings.Contains(stderr.String(), "status 2, started true") {
		t.Fatalf("stderr:\n%s", &stderr)
	}
}

func TestSessionCommandMisuse(t *testing.T) {
	for _, args := range [][]string{
		{"session", "-fake"},
		{"session", "-fake", "-project", "p", "-asset", "a"},
		{"session", "-fake", "-asset", "a", "-protocol", "hls"},
		{"session", "-fake", "-asset", "a", "-driver", "2"},
		{"session", "-fake", "-asset", "a", "extra"},
	} {
		var stderr bytes.Buffer
		code := run(environment{args: args, stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &stderr})
		if code != exitUsage || !strings.HasPrefix(stderr.String(), "ivh: ") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr.String())
		}
	}
}
