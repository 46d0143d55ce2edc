package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// one takes r from its journaled state as far as it goes in this run.
func (e *engine) one(ctx context.Context, r *Record) {
	switch r.State {
	case Succeeded: // only here to fetch a missing download
		e.download(ctx, r, nil)
		return
	case Submitting: // a crash left the create possibly sent
		if !e.cfg.ResubmitUnknown {
			r.Error = "a crash came while the create was being sent; it may or may not have been processed (request_id=" + r.RequestID + ")"
			if e.put(r, Unknown) {
				e.finish(ctx, r, nil, nil)
			}
			return
		}
	}
	if r.State != Accepted && !e.submit(ctx, r) {
		return
	}
	e.wait(ctx, r)
}

// submit sends the create until it is accepted, and reports whether it was;
// when not, r has been finished.
func (e *engine) submit(ctx context.Context, r *Record) bool {
	flow := e.cfg.Flows[r.API]
	requeue := flow.Requeue
	if requeue == nil {
		requeue = RejectedNotProcessed
	}
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return e.stop(ctx, r, Pending, err)
		}
		r.RequestID, r.Error, r.Code = core.NewRequestID(), "", 0
		r.Attempts++
		if !e.put(r, Submitting) { // durable before the request leaves
			return false
		}
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

// wait waits from the journaled handle; a wait that ends without a verdict
// (context, WithMaxWait, transport) leaves r accepted for the next run.
func (e *engine) wait(ctx context.Context, r *Record) {
	h, err := core.ParseTaskHandle(r.Handle)
	if err != nil {
		r.Error = err.Error()
		e.stop(ctx, r, Unknown, err)
		return
	}
	out, err := e.cfg.Flows[r.API].Wait(ctx, h, e.cfg.WaitOptions...)
	var tf *core.TaskFailedError
	switch {
	case err == nil:
		r.Output, r.Error = marshal(out), ""
		if !e.put(r, Succeeded) {
			return
		}
		e.dlWG.Go(func() { // off the worker: the pool slot is free once the task ends
			e.dlSem <- struct{}{}
			defer func() { <-e.dlSem }()
			e.download(ctx, r, out)
		})
	case errors.As(err, &tf):
		r.Output, r.Error, r.Code = marshal(out), err.Error(), tf.FailCode
		e.stop(ctx, r, Failed, err)
	default:
		e.finish(ctx, r, out, err)
	}
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
		return api.Code
	}
	return 0
}
