package main_test

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestSessionCommandSendsLinesAndClosesAtEOF(t *testing.T) {
	r := ivhCmd(t, nil, "Hello there\n\nSecond line\n", "session", "-fake", "-project", "p1", "-protocol", "webrtc")
	if r.code != 0 {
		t.Fatalf("ivh session: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout
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
	if !strings.Contains(r.stderr, "session fake-session-000001: status 2, started true") {
		t.Errorf("session not closed:\n%s", r.stderr)
	}
}

func TestSessionCommandClosesOnInterrupt(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), "session", "-fake", "-asset", "a1")
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
		{"session", "-asset", "a"}, // no credentials and no -fake: exit 3
		{"session", "-fake"},
		{"session", "-fake", "-project", "p", "-asset", "a"},
		{"session", "-fake", "-asset", "a", "-protocol", "hls"},
		{"session", "-fake", "-asset", "a", "-driver", "2"},
		{"session", "-fake", "-asset", "a", "extra"},
	} {
		want := 2
		if len(args) == 3 {
			want = 3
		}
		r := ivhCmd(t, nil, "", args...)
		if r.code != want || !strings.HasPrefix(r.stderr, "ivh: ") || r.stdout != "" {
			t.Errorf("%v: exit %d (want %d), stderr %q", args, r.code, want, r.stderr)
		}
	}
}

func TestSessionCommandRejectsBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-fake"}, "give exactly one of -project and -asset"},
		{[]string{"-fake", "-project", "p", "-asset", "a"}, "give exactly one of -project and -asset"},
		{[]string{"-fake", "-project", "p", "-protocol", "udp"}, `-protocol "udp" is not rtmp, trtc or webrtc`},
		{[]string{"-fake", "-project", "p", "-driver", "2"}, "-driver 2 is not 1 (text) or 3 (audio)"},
		{[]string{"-fake", "-project", "p", "-reply-wait", "-1s"}, "-reply-wait -1s must not be negative"},
		{[]string{"-fake", "-project", "p", "extra"}, "unexpected arguments: extra"},
	} {
		r := ivhCmd(t, nil, "", append([]string{"session"}, tc.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, "ivh: "+tc.want) {
			t.Errorf("session %v: exit %d, stderr %q; want exit 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}
