package ivhcli

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// observe returns the client options -v and -trace ask for, and what to
// run once the command is done (it writes the trace).
func observe(env *Env, verbose bool, trace string) ([]ivhrt.Option, func(), error) {
	var opts []ivhrt.Option
	if verbose {
		opts = append(opts, ivhrt.WithHooks(verboseHooks(env.Stderr, env.Name)))
	}
	if trace == "" {
		return opts, func() {}, nil
	}
	if env.trace == nil {
		return nil, nil, fail(ExitUsage, "-trace is not built into %s; the OpenTelemetry build of ivh has it: go install github.com/ivhgen/ivhgen/runtime/ivhotel/cmd/ivh@latest", env.Name)
	}
	h, flush, err := env.trace(trace)
	if err != nil {
		return nil, nil, fail(ExitUsage, "-trace: %v", err)
	}
	finish := func() {
		if err := flush(); err != nil {
			env.Printf("-trace: %s", oneLine(err.Error()))
		}
	}
	return append(opts, ivhrt.WithHooks(h)), finish, nil
}

// verboseHooks print one line per attempt, poll and session event on w.
// They print metadata only, as every hook gets: no token, signature or
// query.
func verboseHooks(w io.Writer, name string) ivhrt.Hooks {
	var mu sync.Mutex // channel events come from the channel's goroutine
	say := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, name+": -v: "+format+"\n", args...)
	}
	return ivhrt.Hooks{
		AttemptEnd: func(_ context.Context, c *ivhrt.CallInfo, a *ivhrt.AttemptInfo) {
			line := fmt.Sprintf("%s attempt %d: HTTP %d code %d in %v", c.API, a.Attempt, a.Status, a.Code, a.Duration.Round(1e6))
			if a.Err != nil {
				line += " (" + a.Category + ")"
			}
			switch {
			case a.Retry:
				line += fmt.Sprintf("; retry in %v: %s", a.Backoff, a.Reason)
			case a.Err != nil:
				line += "; no retry: " + a.Reason
			}
			say("%s request_id=%s", line, c.RequestID)
		},
		Poll: func(_ context.Context, wi *ivhrt.WaitInfo, p *ivhrt.PollInfo) {
			say("%s poll %d of %s: status %s, %s, progress %d, queue %d", wi.Waiter, p.Poll, wi.ID, p.Status, p.State, p.Progress, p.Queue)
		},
		Session: func(ctx context.Context, e *ivhrt.SessionEvent) context.Context {
			line := fmt.Sprintf("session %s %s", e.SessionID, e.Kind)
			if e.Attempt > 0 {
				line += fmt.Sprintf(" (attempt %d)", e.Attempt)
			}
			if e.Err != nil {
				line += ": " + oneLine(e.Err.Error())
			}
			say("%s", line)
			return nil
		},
	}
}
