package ivhcli

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

// On a terminal the bar is redrawn in place and ends with a newline.
func TestProgressBarOnTerminal(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&Env{Stderr: &buf, TTYErr: true, ErrWidth: 60, Name: "ivh"}, "VideoMake")
	p.report("MAKING", struct{ Progress int }{50})
	p.report("SUCCESS", struct{ Progress int }{100})
	p.finish()
	want := "\r[##########----------]  50% MAKING (poll 1)" + pad(60-1-43) +
		"\r[####################] 100% SUCCESS (poll 2)" + pad(60-1-44) + "\n"
	assert.Equal(t, want, buf.String())
}

// Without a Progress field a marker moves one cell per poll.
func TestProgressBarWithoutPercent(t *testing.T) {
	p := &progress{tty: true, width: 20, polls: 2}
	assert.Equal(t, "[-#--------] 3 (poll 2)", p.bar("3", 0, false))
	assert.Equal(t, 0, mustPercent(t, struct{ Status string }{"x"}, false))
	assert.Equal(t, 100, mustPercent(t, map[string]any{"Progress": 250}, true))
}

func mustPercent(t *testing.T, v any, known bool) int {
	pct, ok := percent(v)
	assert.Equal(t, known, ok)
	return pct
}

func pad(n int) string { return string(bytes.Repeat([]byte(" "), n)) }
