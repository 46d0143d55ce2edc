package jobs

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// resolveGates settles, before anything is sent, each submitting record an
// earlier run armed ahead (Record.Gate set). That run let such a create
// leave only after appending its RequestID to the sent log, and only after
// a poll saw the gate task end. So the create provably never left, and the
// input goes back to pending, when the log lacks its RequestID and the
// kernel has not restarted since it was armed (a returned write(2)
// survives a process crash), or when the vendor still reports the gate
// task running (a task that ended stays ended). Otherwise it stays
// submitting, rewritten without its gate, and becomes outcome-unknown. The
// log is emptied afterwards, once those writes held.
func (e *engine) resolveGates(ctx context.Context, recs []*Record) {
	sent, serr := e.j.sent.read()
	if serr != nil {
		sent = nil // unreadable or torn: rely on the gates alone
	}
	var err error
	// Armed records of inputs not in this run need the sent log too: it is
	// emptied below, so they are resolved now as well.
	in := make(map[string]bool, len(recs))
	for _, r := range recs {
		in[r.ID] = true
	}
	all, aerr := e.j.All()
	if aerr != nil {
		err = aerr // not every armed record is resolved: keep the log
	}
	for _, r := range all {
		if !in[r.ID] && r.State == Submitting && r.Gate != "" {
			recs = append(recs, r)
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for _, r := range recs {
		if r.State != Submitting || r.Gate == "" {
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			e.resolveGate(ctx, r, sent)
		})
	}
	wg.Wait()
	if e.journalErr() == nil && err == nil {
		e.j.sent.reset()
	}
}

func (e *engine) resolveGate(ctx context.Context, r *Record, sent map[string]bool) {
	gate, boot := r.Gate, r.Boot
	r.Gate, r.Boot = "", ""
	marked := sent[r.RequestID]
	unsent := sent != nil && !marked && boot != "" && boot == e.j.sent.stamp()
	if !unsent && !marked {
		unsent, _ = e.stillRunning(ctx, gate)
	}
	if unsent {
		r.Attempts = max(r.Attempts-1, 0)
		r.Error = ""
		e.put(r, Pending)
		return
	}
	r.Error = "a crash came as the create was about to leave (after its slot's task " + gate + " ended); it may or may not have been processed (request_id=" + r.RequestID + ")"
	e.put(r, Submitting) // no longer armed: durable before the sent log is emptied
}

// stillRunning polls the task of handle once and reports whether the
// vendor says it has not ended.
func (e *engine) stillRunning(ctx context.Context, handle string) (bool, error) {
	h, err := core.ParseTaskHandle(handle)
	if err != nil {
		return false, err
	}
	flow, ok := e.cfg.Flows[h.API]
	if !ok || flow.Wait == nil {
		return false, errors.New("jobs: no flow for the gate's API " + h.API)
	}
	_, err = flow.Wait(ctx, h, core.WithWaitSleeper(core.SystemClock{}), core.WithMaxWait(time.Nanosecond))
	return errors.Is(err, core.ErrMaxWait), err
}
