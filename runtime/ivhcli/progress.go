package ivhcli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// progress reports the polls of -wait: a redrawn bar when stderr is a
// terminal, one line per poll otherwise.
type progress struct {
	w     io.Writer
	tty   bool
	width int
	name  string
	polls int
	cmd   string
}

func newProgress(env *Env, name string) *progress {
	return &progress{w: env.Stderr, tty: env.TTYErr, width: env.ErrWidth, name: name, cmd: env.Name}
}

// report is called with every poll's status and response.
func (p *progress) report(status string, poll any) {
	p.polls++
	pct, known := percent(poll)
	if !p.tty {
		line := fmt.Sprintf("%s: %s: poll %d: %s", p.cmd, p.name, p.polls, status)
		if known {
			line += fmt.Sprintf(" (%d%%)", pct)
		}
		fmt.Fprintln(p.w, line)
		return
	}
	fmt.Fprint(p.w, "\r"+p.bar(status, pct, known))
}

// bar renders "[#####-----]  50% MAKING (poll 2)" to the terminal width.
func (p *progress) bar(status string, pct int, known bool) string {
	size := max(10, min(40, p.width-40))
	filled := pct * size / 100
	cells := strings.Repeat("#", filled) + strings.Repeat("-", size-filled)
	if !known {
		// No percentage: a marker moves along the bar with each poll.
		i := (p.polls - 1) % size
		cells = strings.Repeat("-", i) + "#" + strings.Repeat("-", size-i-1)
	}
	text := fmt.Sprintf("[%s] %3d%% %s (poll %d)", cells, pct, status, p.polls)
	if !known {
		text = fmt.Sprintf("[%s] %s (poll %d)", cells, status, p.polls)
	}
	if pad := p.width - 1 - len(text); pad > 0 {
		text += strings.Repeat(" ", pad)
	}
	return text
}

// finish ends the bar's line.
func (p *progress) finish() {
	if p.tty && p.polls > 0 {
		fmt.Fprintln(p.w)
	}
}

// percent reads a Progress field of 0 to 100 from a poll response, when it
// has one.
func percent(poll any) (int, bool) {
	var fields struct{ Progress *float64 }
	b, err := json.Marshal(poll)
	if err != nil || json.Unmarshal(b, &fields) != nil || fields.Progress == nil {
		return 0, false
	}
	return max(0, min(100, int(*fields.Progress))), true
}
