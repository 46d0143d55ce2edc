package core

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// observation is what hooks learn about a call beyond callState; it exists
// only when the client has hooks.
type observation struct {
	info      CallInfo
	status    int
	code      Code
	took      time.Duration
	offset    time.Duration
	serverRID string
	body      []byte // the last response body, for the TaskId of a success
}

// observed is send wrapped in the call hooks.
func (c *Client) observed(ctx context.Context, st *callState, req any) error {
	op := st.op
	st.obs = &observation{info: CallInfo{API: op.Name, Service: op.Service, Method: op.method(), Host: c.base.Host,
		Path: c.base.Path + op.Path, Idempotent: op.Idempotent, RequestID: st.requestID}}
	ctx = c.hooks.callStart(ctx, &st.obs.info)
	start := c.clock.Now()
	err := c.send(ctx, st, req)
	o := st.obs
	res := CallResult{Err: err, Category: ErrorCategory(err), Attempts: st.attempts, Duration: c.clock.Now().Sub(start),
		Status: o.status, Code: o.code, ServerRequestID: o.serverRID}
	if !c.hooks.hasCallEnd() {
		return err // nobody reads the result: skip re-parsing the body for its TaskId
	}
	if err == nil {
		res.TaskID = taskIDOf(o.body)
	}
	c.hooks.callEnd(ctx, &o.info, &res)
	return err
}

func (c *Client) attemptStart(ctx context.Context, st *callState) context.Context {
	if st.obs == nil {
		return ctx
	}
	o := st.obs
	o.status, o.code, o.took, o.serverRID, o.body = 0, 0, 0, "", nil
	return c.hooks.attemptStart(ctx, &o.info, st.attempts)
}

// noteResponse records an attempt's response for the hooks.
func (st *callState) noteResponse(status int, took, offset time.Duration, body []byte) {
	if o := st.obs; o != nil {
		o.status, o.took, o.offset, o.body = status, took, offset, body
	}
}

// noteServerID records the RequestID a response carried.
func (st *callState) noteServerID(id string) {
	if st.obs != nil {
		st.obs.serverRID = id
	}
}

func (c *Client) attemptEnd(ctx context.Context, st *callState, r *result, next step) {
	if st.obs == nil {
		return
	}
	o := st.obs
	var ae *APIError
	if errors.As(r.err, &ae) {
		o.code = ae.Code
	}
	a := AttemptInfo{Attempt: st.attempts, Status: o.status, Code: o.code, Err: r.err, Category: ErrorCategory(r.err),
		Duration: o.took, Retry: r.err != nil && next.err == nil, Reason: next.reason, SkewCorrection: o.offset,
		ServerRequestID: o.serverRID}
	if a.Retry {
		a.Backoff = next.delay
	}
	c.hooks.attemptEnd(ctx, &o.info, &a)
}

// taskIDOf returns Payload.TaskId of a response body, a string or a
// number (the gateway sends both), or "".
func taskIDOf(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	var env struct {
		Payload struct{ TaskId json.RawMessage }
	}
	if json.Unmarshal(body, &env) != nil {
		return ""
	}
	raw := env.Payload.TaskId
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if len(raw) > 0 && raw[0] >= '0' && raw[0] <= '9' {
		return string(raw)
	}
	return ""
}
