package ivhcli

import (
	"fmt"
	cli "github.com/ivhgen/ivhgen/runtime/ivhcli"
	"io"
	"time"

	"github.com/ivhgen/ivhgen/runtime/jobs"
)

// batchProgress counts inputs by state and shows the counts on stderr: a
// redrawn line on a terminal, a plain line per finished input otherwise.
type batchProgress struct {
	w        io.Writer
	tty      bool
	total    int
	start    time.Time
	state    map[string]jobs.State
	done     int // finished in this run, for the rate
	final    map[jobs.State]int
	inFlight int
}

func newBatchProgress(env environment, total int) *batchProgress {
	return &batchProgress{w: env.Stderr, tty: env.TTYErr, total: total, start: time.Now(),
		state: map[string]jobs.State{}, final: map[jobs.State]int{}}
}

// event tracks in-flight inputs: those submitting or accepted.
func (p *batchProgress) event(e jobs.Event) {
	was, is := flying(p.state[e.ID]), flying(e.To)
	p.state[e.ID] = e.To
	switch {
	case is && !was:
		p.inFlight++
	case was && !is:
		p.inFlight--
	}
	if p.tty {
		p.draw()
	}
}

func flying(s jobs.State) bool { return s == jobs.Submitting || s == jobs.Accepted }

// result counts a reported input; one still accepted is unfinished.
func (p *batchProgress) result(r jobs.Result) {
	if flying(p.state[r.ID]) {
		p.inFlight--
	}
	p.state[r.ID] = r.State
	p.final[r.State]++
	p.done++
	if p.tty {
		p.draw()
		return
	}
	fmt.Fprintf(p.w, "ivh batch: %s %s; %s\n", r.ID, r.State, p.summary())
}

func (p *batchProgress) summary() string {
	reported := p.done
	queued := p.total - reported - p.inFlight
	s := fmt.Sprintf("done %d, failed %d, unknown %d, in flight %d, queued %d",
		p.final[jobs.Succeeded], p.final[jobs.Failed], p.final[jobs.Unknown], p.inFlight, max(queued, 0))
	if el := time.Since(p.start); p.done > 0 && el > 0 {
		rate := float64(p.done) / el.Seconds()
		eta := time.Duration(float64(p.total-p.done) / rate * float64(time.Second)).Round(time.Second)
		s += fmt.Sprintf(", %.2f/s, ETA %v", rate, eta)
	}
	return s
}

func (p *batchProgress) draw() { fmt.Fprintf(p.w, "\r\033[Kivh batch: %s", p.summary()) }

func (p *batchProgress) finish() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}

// exit is the worst outcome's exit code.
func (p *batchProgress) exit() error {
	unfinished := p.total - p.final[jobs.Succeeded] - p.final[jobs.Failed] - p.final[jobs.Unknown]
	switch {
	case unfinished > 0:
		return fail(exitBatchUnfinished, "ivh batch: %d inputs unfinished; run again with the same journal", unfinished)
	case p.final[jobs.Unknown] > 0:
		return fail(exitBatchUnknown, "ivh batch: %d inputs have an unknown outcome (see their request_id)", p.final[jobs.Unknown])
	case p.final[jobs.Failed] > 0:
		return fail(cli.ExitAPI, "ivh batch: %d inputs failed", p.final[jobs.Failed])
	}
	return nil
}
