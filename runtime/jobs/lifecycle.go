package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// verdict is a task that ended, not yet journaled: its write rides on the
// next submit's transaction, so a wave of workers costs one commit each.
type verdict struct {
	r   *Record
	out any
	err error
}

// one takes r from its journaled state as far as it goes in this run, and
// returns the verdict of its task when it ended. done is the previous
// input's verdict, journaled here.
func (e *engine) one(ctx context.Context, r *Record, done *verdict) *verdict {
	switch r.State {
	case Succeeded: // only here to fetch a missing download
		e.settle(ctx, done, nil)
		e.download(ctx, r, nil)
		return nil
	case Submitting: // a crash left the create possibly sent
		if !e.cfg.ResubmitUnknown {
			e.settle(ctx, done, nil)
			r.Error = "a crash came while the create was being sent; it may or may not have been processed (request_id=" + r.RequestID + ")"
			if e.put(r, Unknown) {
				e.finish(ctx, r, nil, nil)
			}
			return nil
		}
	}
	if r.State == Accepted { // resumed: nothing to submit
		e.settle(ctx, done, nil)
	} else if !e.submit(ctx, r, done) {
		return nil
	}
	return e.wait(ctx, r)
}

// submit sends the create until it is accepted, and reports whether it was;
// when not, r has been finished. The first submitting write also journals
// done.
func (e *engine) submit(ctx context.Context, r *Record, done *verdict) bool {
	flow := e.cfg.Flows[r.API]
	requeue := flow.Requeue
	if requeue == nil {
		requeue = RejectedNotProcessed
	}
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			e.settle(ctx, done, nil)
			return e.stop(ctx, r, Pending, err)
		}
		r.RequestID, r.Error, r.Code = core.NewRequestID(), "", 0
		r.Attempts++
		if !e.settle(ctx, done, &change{r, Submitting}) { // durable before the request leaves
			return false
		}
		done = nil
		h, err := flow.Submit(ctx, r.Payload, r.RequestID)
		if err == nil {
			r.Handle = h.String()
			return e.put(r, Accepted)
		}
		r.Error, r.Code = err.Error(), apiCode(err)
		switch next := e.classify(ctx, err, requeue); {
		case next != Pending:
			return e.stop(ctx, r, next, err)
		case ctx.Err() != nil:
			return e.stop(ctx, r, Pending, err)
		case n >= e.cfg.MaxRequeues:
			r.Error = fmt.Sprintf("refused %d times; last: %v", n, err)
			return e.stop(ctx, r, Failed, err)
		}
		if !e.put(r, Pending) {
			return false
		}
		if err := e.cfg.Sleeper.Sleep(ctx, e.cfg.Backoff(n)); err != nil {
			return e.stop(ctx, r, Pending, err)
		}
	}
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

// stop journals r in s and reports it; it returns false for the caller.
func (e *engine) stop(ctx context.Context, r *Record, s State, err error) bool {
	if e.put(r, s) {
		e.finish(ctx, r, nil, err)
	}
	return false
}

// wait waits from the journaled handle and returns the verdict; a wait
// that ends without one (context, WithMaxWait, transport) leaves r accepted
// for the next run.
func (e *engine) wait(ctx context.Context, r *Record) *verdict {
	h, err := core.ParseTaskHandle(r.Handle)
	if err != nil {
		r.Error = err.Error()
		e.stop(ctx, r, Unknown, err)
		return nil
	}
	out, err := e.cfg.Flows[r.API].Wait(ctx, h, e.cfg.WaitOptions...)
	var tf *core.TaskFailedError
	if err != nil && !errors.As(err, &tf) {
		e.finish(ctx, r, out, err)
		return nil
	}
	return &verdict{r: r, out: out, err: err}
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
	if !e.commit(e.j.putNow, cs...) {
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
