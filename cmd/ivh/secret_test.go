package main_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ivhgen/ivhgen/internal/hostile"
)

// The built ivh against a gateway that echoes every secret it sees, in
// every encoding, into every field (issue 11, item 6): neither standard
// output nor standard error may show the token, a signature or the
// payload's pre-signed URL query.
func TestLOG3_EchoGatewayCLI(t *testing.T) {
	const (
		token = "cli+TOKEN/echo=77"
		s3Sig = "S3SIG-CLI-ECHO-31d"
	)
	script := func(path string, n int, echo string) hostile.Reply {
		switch {
		case strings.HasSuffix(path, "/videomake"):
			return hostile.Reply{Status: 200, Body: `{"Header":{"Code":0,"Message":"` + echo + `"},"Payload":{"TaskId":"t-1","Echo":"` + echo + `"}}`}
		case strings.HasSuffix(path, "/getprogress") && n == 1:
			return hostile.Reply{Status: 200, Body: `{"Header":{"Code":0},"Payload":{"Status":"FAIL","FailCode":801001,"FailMessage":"` +
				echo + `","MediaUrl":"` + echo + `"}}`}
		}
		return hostile.Reply{Status: 503, RetryAfter: echo[:200], Body: `{"Header":{"Code":100000,"Message":"` + echo + `"}}`}
	}
	// One gateway per process: a gateway echoing what another process
	// signed shows this one a signature it never made (each is valid
	// for its second only), which no scrubber can know.
	// The second gateway answers as the first would a second poll.
	srv := hostile.NewEcho(t, script, token)
	srv2 := hostile.NewEcho(t, func(path string, n int, echo string) hostile.Reply { return script(path, n+1, echo) }, token)
	env := func(e *hostile.Echo) []string {
		return []string{"IVH_APPKEY=ak-cli", "IVH_ACCESS_TOKEN=" + token, "IVH_ENDPOINT=" + e.URL}
	}
	payload := `{"VirtualmanKey":"vk-1","InputSsml":"hello","SpeechParam":{"Speed":1},` +
		`"VideoStorageS3Url":"https://bucket.example/v.mp4?X-Amz-Signature=` + s3Sig + `"}`

	waited := ivhCmd(t, env(srv), "", "-wait", "-poll", "1ms", "VideoMake", "-d", payload)
	assert.Equal(t, 1, waited.code, waited.stderr)
	assert.Contains(t, waited.stderr, "fail_code=801001")
	failed := ivhCmd(t, env(srv2), "", "GetProgress", "-d", `{"TaskId":"t-1"}`)
	assert.NotEqual(t, 0, failed.code)
	assert.Contains(t, failed.stderr, "code=100000")

	out := waited.stdout + waited.stderr + failed.stdout + failed.stderr
	assert.NotContains(t, out, "\x1b", "control characters are escaped")
	for _, s := range append(append([]string{token, s3Sig}, srv.Signatures()...), srv2.Signatures()...) {
		for _, f := range hostile.Forms(s) {
			assert.NotContains(t, out, f, "secret %q leaked as %q", s, f)
		}
	}
}
