package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// verdict is a task that ended, not yet journaled: its write rides on the
// next input's commit, so a worker costs about one commit per input.
type verdict struct {
	r        *Record
	out      any
	err      error
	callback bool // the end came from a callback, not from a poll
}

// one takes r from its journaled state as far as it goes in this run and
// returns the input the worker runs next.
func (w *worker) one(ctx context.Context, r *Record) *Record {
	e := w.e
	switch {
	case r.State == Succeeded: // only here to fetch a missing download
		w.flush(ctx)
		e.download(ctx, r, nil)
		return w.p.pop()
	case r.State == Submitting && r.Gate == "" && !e.cfg.ResubmitUnknown: // a crash left the create possibly sent
		w.flush(ctx)
		if r.Error == "" { // resolveGates may have said why
			r.Error = "a crash came while the create was being sent; it may or may not have been processed (request_id=" + r.RequestID + ")"
		}
		if e.put(r, Unknown) {
			w.unknown(ctx, r, nil)
		}
		return w.p.pop()
	case r.State == Accepted: // resumed: nothing to submit
		w.flush(ctx)
	default:
		if !w.submit(ctx, r) {
			return w.p.pop()
		}
	}
	return w.wait(ctx, r)
}

// flush journals the worker's last verdict on its own.
func (w *worker) flush(ctx context.Context) {
	w.e.settle(ctx, w.takeDone(), nil)
}

func (w *worker) takeDone() *verdict {
	v := w.done
	w.done = nil
	return v
}

// submit sends the create until it is accepted, and reports whether it was;
// when not, r has been finished. A create leaves only after a durable
// submitting record for its RequestID: the one armed during the previous
// task's wait (when a poll saw that task end), else one written here, with
// the previous verdict in the same commit.
func (w *worker) submit(ctx context.Context, r *Record) bool {
	e := w.e
	armed := w.armed == r && r.State == Submitting
	w.armed = nil
	if armed && e.j.sent.mark(r.RequestID) != nil {
		armed = false // no marker: journal a plain submitting record instead
	}
	if !armed && r.Gate != "" { // armed, but it may not leave on that record
		r.Gate, r.Boot, r.Attempts = "", "", max(r.Attempts-1, 0)
	}
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return w.stop(ctx, r, Pending, err)
		}
		if !armed {
			r.RequestID, r.Error, r.Code, r.Gate, r.Boot = core.NewRequestID(), "", 0, "", ""
			r.Attempts++
			if !e.settle(ctx, w.takeDone(), &change{r, Submitting}) { // durable before the request leaves
				return false
			}
		}
		armed = false
		h, err := e.send(ctx, r)
		if err == nil {
			w.sent = time.Now()
			r.Handle = h.String()
			return e.settle(ctx, w.takeDone(), &change{r, Accepted})
		}
		if !w.refused(ctx, r, n, err) {
			return false
		}
	}
}

// refused handles a create error: it finishes r and returns false, or
// journals r pending and returns true after the backoff.
func (w *worker) refused(ctx context.Context, r *Record, n int, err error) bool {
	e := w.e
	r.Error, r.Code = err.Error(), apiCode(err)
	requeue := e.cfg.Flows[r.API].Requeue
	if requeue == nil {
		requeue = RejectedNotProcessed
	}
	next := e.classify(ctx, err, requeue)
	if cb := e.cfg.Callbacks; cb != nil && next != Unknown {
		cb.forget(r.ID, r.RequestID) // no task, no callback
	}
	switch {
	case next == Unknown:
		if e.settle(ctx, w.takeDone(), &change{r, Unknown}) {
			w.unknown(ctx, r, err)
		}
		return false
	case next != Pending:
		return w.stop(ctx, r, next, err)
	case ctx.Err() != nil:
		return w.stop(ctx, r, Pending, err)
	case n >= e.cfg.MaxRequeues:
		r.Error = fmt.Sprintf("refused %d times; last: %v", n, err)
		return w.stop(ctx, r, Failed, err)
	}
	if !e.settle(ctx, w.takeDone(), &change{r, Pending}) {
		return false
	}
	if err := e.cfg.Sleeper.Sleep(ctx, e.cfg.Backoff(n)); err != nil {
		return w.stop(ctx, r, Pending, err)
	}
	return true
}

// stop journals r in s (with the worker's verdict) and reports it; it
// returns false for the caller.
func (w *worker) stop(ctx context.Context, r *Record, s State, err error) bool {
	r.Gate, r.Boot = "", ""
	if w.e.settle(ctx, w.takeDone(), &change{r, s}) {
		w.e.finish(ctx, r, nil, err)
	}
	return false
}

// classify maps a create error to the state it proves: Pending when the
// request was refused unprocessed (or never left), Failed when the gateway
// gave a definite answer or nothing was sent, Unknown otherwise.
func (e *engine) classify(ctx context.Context, err error, requeue func(error) bool) State {
	var (
		in  *InputError
		val *core.ValidationError
		api *core.APIError
	)
	switch {
	case errors.As(err, &in), errors.As(err, &val):
		return Failed
	case requeue(err):
		return Pending
	case errors.Is(err, core.ErrOutcomeUnknown):
		return Unknown
	case ctx.Err() != nil:
		return Pending // the runtime returns outcome unknown for a create that may have left
	case errors.As(err, &api):
		return Failed
	}
	return Unknown
}

// settle journals the verdict v (nil: none), with next in the same
// transaction when given, then reports v and fetches its result off the
// worker. A crash before the write leaves v's input accepted, and the next
// run's first poll settles it. It reports whether the write held.
func (e *engine) settle(ctx context.Context, v *verdict, next *change) bool {
	var cs []change
	if v != nil {
		cs = append(cs, change{v.r, v.apply()})
	}
	if next != nil {
		cs = append(cs, *next)
	}
	if len(cs) == 0 {
		return true
	}
	if !e.commit(e.j.putBatch, cs...) {
		return false
	}
	if v != nil {
		e.dlWG.Go(func() { e.report(ctx, v) })
	}
	return true
}

// apply sets the record's fields from the verdict and returns its state.
func (v *verdict) apply() State {
	v.r.Output = marshal(v.out)
	var tf *core.TaskFailedError
	if errors.As(v.err, &tf) {
		v.r.Error, v.r.Code = v.err.Error(), int(tf.FailCode)
		return Failed
	}
	if v.err != nil {
		v.r.Error = v.err.Error()
		return Failed
	}
	v.r.Error = ""
	return Succeeded
}

func (e *engine) report(ctx context.Context, v *verdict) {
	if v.r.State == Failed {
		e.finish(ctx, v.r, v.out, v.err)
		return
	}
	e.dlSem <- struct{}{}
	defer func() { <-e.dlSem }()
	e.download(ctx, v.r, v.out)
}

// download fetches the result of a succeeded r into OutDir, when set.
func (e *engine) download(ctx context.Context, r *Record, out any) {
	var err error
	if e.cfg.OutDir != "" && r.File == "" {
		url := MediaURL(out)
		if url == "" {
			url = mediaURLOf(r.Output)
		}
		var file string
		if file, err = e.cfg.Download(ctx, url, e.cfg.OutDir, r.ID); err == nil {
			r.File = file
			r.Error = ""
		} else {
			r.Error = "download: " + err.Error()
		}
		e.put(r, Succeeded)
	}
	e.finish(ctx, r, out, err)
}

func mediaURLOf(output json.RawMessage) string {
	var v struct{ MediaUrl string }
	_ = json.Unmarshal(output, &v)
	return v.MediaUrl
}

func marshal(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}

func apiCode(err error) int {
	var api *core.APIError
	if errors.As(err, &api) {
		return int(api.Code)
	}
	return 0
}
