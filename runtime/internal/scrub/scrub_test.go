package scrub_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ivhgen/ivhgen/runtime/internal/scrub"
)

const sig = "aCNWYzZdplxWVo+JsqzZc9+J9XrwWWITfX3eQpsLVno="

// Every encoding a server may echo a signature in is found (LOG-3).
func TestLOG3_SetEncodings(t *testing.T) {
	s := scrub.New(sig, "tok")
	for _, in := range []string{
		sig,
		"aCNWYzZdplxWVo%2BJsqzZc9%2BJ9XrwWWITfX3eQpsLVno%3D",
		"aCNWYzZdplxWVo%2bJsqzZc9%2bJ9XrwWWITfX3eQpsLVno%3d",
		`aCNWYzZdplxWVo\u002bJsqzZc9\u002BJ9XrwWWITfX3eQpsLVno\u003d`,
		`aCNWYzZdplxWVo\u00252BJsqzZc9%2BJ9XrwWWITfX3eQpsLVno=`,
		"aCNWYzZdplxWVo-JsqzZc9-J9XrwWWITfX3eQpsLVno",
		"YUNOV1l6WmRwbHhXVm8rSnNxelpjOStKOVhyd1dXSVRmWDNlUXBzTFZubz0=",
		"YUNOV1l6WmRwbHhXVm8rSnNxelpjOStKOVhyd1dXSVRmWDNlUXBzTFZubz0",
	} {
		out := s.Text(`{"m":"x ` + in + ` y"}`)
		assert.Equal(t, `{"m":"x [REDACTED] y"}`, strings.TrimRight(out, "="), in)
	}
	assert.Equal(t, "a tok b", s.Text("a tok b"), "secrets under MinLen are not scrubbed")
	assert.Equal(t, "plain", scrub.Set{}.Text("plain"))
}

// A secret split by escapes is replaced whole; the JSON stays valid.
func TestLOG3_SetBytesKeepsJSON(t *testing.T) {
	s := scrub.New("p/q+r")
	in := []byte(`{"a":"p\/q\u002br","b":"keep"}`)
	assert.Equal(t, `{"a":"[REDACTED]","b":"keep"}`, string(s.Bytes(in)))
	clean := []byte(`{"b":"keep"}`)
	assert.Same(t, &clean[0], &s.Bytes(clean)[0], "no copy when nothing matches")
}

// Line escapes control characters and caps the length.
func TestERR3_Line(t *testing.T) {
	assert.Equal(t, `a\x1b[31m\r\nb\a\u202e`, scrub.Line("a\x1b[31m\r\nb\a\u202e"))
	long := scrub.Line(strings.Repeat("x", 5000))
	assert.Len(t, long, scrub.MaxLen)
	assert.True(t, strings.HasSuffix(long, "…[truncated]"))
	assert.LessOrEqual(t, len(scrub.Line(strings.Repeat("\x01", 400))), scrub.MaxLen)
	assert.Equal(t, "see https://h/p and [REDACTED]", scrub.Line("see https://h/p?sig=1 and Signature=abc"))
}

// The queries of URLs in a request body become secrets.
func TestLOG3_QueriesIn(t *testing.T) {
	got := scrub.QueriesIn([]byte(`{"U":"https:\/\/b.example\/o?X-Sig=LONGSECRET1\u0026f=mp4"}`))
	assert.Equal(t, []string{"X-Sig=LONGSECRET1&f=mp4", "LONGSECRET1"}, got)
	assert.Nil(t, scrub.QueriesIn([]byte(`{"a":1}`)))
}
