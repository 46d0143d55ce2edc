package main_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestVerbose: -v prints every attempt and poll on stderr, without the
// signature or the query the fake trace shows.
func TestVerbose(t *testing.T) {
	r := ivhCmd(t, nil, "", "-fake", "-v", "-wait", "-poll", "1ms", "VideoMake", "-d", videoPayload)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var verbose []string
	for _, l := range strings.Split(r.stderr, "\n") {
		if strings.HasPrefix(l, "ivh: -v: ") {
			verbose = append(verbose, l)
		}
	}
	want := []*regexp.Regexp{
		regexp.MustCompile(`^ivh: -v: VideoMake attempt 1: HTTP 200 code 0 in \S+ request_id=\S+$`),
		regexp.MustCompile(`^ivh: -v: GetProgress attempt 1: HTTP 200`),
		regexp.MustCompile(`^ivh: -v: WaitVideoMake poll 1 of task-\d+: status COMMIT, pending, progress 0, queue 0$`),
	}
	if len(verbose) != 7 {
		t.Fatalf("want 7 -v lines (2 calls, 3 polls each with a call):\n%s", strings.Join(verbose, "\n"))
	}
	for i, re := range want {
		if !re.MatchString(verbose[i]) {
			t.Errorf("line %d = %q, want %s", i, verbose[i], re)
		}
	}
	if !strings.Contains(verbose[6], "status SUCCESS, succeeded, progress 100") {
		t.Errorf("last line %q", verbose[6])
	}
	for _, l := range verbose {
		if strings.Contains(l, "signature") || strings.Contains(l, "?") {
			t.Errorf("secret-shaped text in %q", l)
		}
	}
}

// TestVerboseSession: -v reports the session's lifecycle.
func TestVerboseSession(t *testing.T) {
	r := ivhCmd(t, nil, "hi\n", "session", "-fake", "-v", "-project", "p1")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var kinds []string
	for _, m := range regexp.MustCompile(`(?m)^ivh: -v: session \S* (\S+)`).FindAllStringSubmatch(r.stderr, -1) {
		kinds = append(kinds, m[1])
	}
	want := "begin created ready started channel-opened channel-closed closed"
	if strings.Join(kinds, " ") != want {
		t.Errorf("session events %v, want %s\n%s", kinds, want, r.stderr)
	}
}

// TestTraceNeedsTheOTelBuild: this module's ivh has no OpenTelemetry, so
// -trace is a usage error that names the build that has it.
func TestTraceNeedsTheOTelBuild(t *testing.T) {
	r := ivhCmd(t, nil, "", "-fake", "-trace", t.TempDir()+"/t.json", "VideoMake", "-d", videoPayload)
	if r.code != 2 || !strings.Contains(r.stderr, "runtime/ivhotel/cmd/ivh") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
}
