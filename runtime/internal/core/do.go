package core

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Operation is the static description of one API that generated code hands
// to Do. Generated packages declare one package-level *Operation per API.
type Operation struct {
	Name       string // Go method name, e.g. "VideoMake"
	Service    string // service group, e.g. "Video"
	Path       string // wire path, e.g. "/v2/ivh/videomaker/broadcastservice/videomake"
	Method     string // HTTP method; "" means POST
	Idempotent bool   // safe to retry after an ambiguous failure
	IDField    string // wire name of the id a create returns (TaskId, SessionId), or ""
	Package    string // name of the generated package, which starts the call's errors; "" means "apaas"
}

func (op *Operation) method() string {
	if op.Method == "" {
		return http.MethodPost
	}
	return op.Method
}

// Validator is implemented by generated request types.
type Validator interface{ Validate() error }

// Do sends one call of op with req as the Payload and decodes the response
// Payload into a new Resp. Generated methods call it exactly once. It
// validates req (unless disabled), signs every attempt afresh, retries what
// is safe to retry and returns typed errors.
func Do[Req, Resp any](ctx context.Context, c *Client, op *Operation, req *Req, opts ...CallOption) (*Resp, error) {
	// Only this wrapper is instantiated per API; the work is in c.do.
	var in any
	if req != nil {
		in = req
	}
	out := new(Resp)
	if err := c.do(ctx, op, in, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// do is Do without type parameters: req is nil or a pointer to the
// request, out a pointer the response Payload is decoded into.
func (c *Client) do(ctx context.Context, op *Operation, req, out any, opts []CallOption) error {
	if !c.usable() || op == nil {
		return errors.New("apaas: Do needs a client from NewClient and an operation")
	}
	if c.closed.Load() {
		return fmt.Errorf("%s %s: %w", prefix(op.Package), op.Name, ErrClientClosed)
	}
	var cc callConfig
	for _, o := range opts {
		if o != nil {
			o(&cc)
		}
	}
	rid := cc.requestID
	if rid == "" {
		rid = newRequestID()
	}
	st := &callState{op: op, cc: &cc, requestID: rid, out: out}
	if c.hooks == nil {
		return c.send(ctx, st, req)
	}
	return c.observed(ctx, st, req)
}

// send validates, encodes and runs the call.
func (c *Client) send(ctx context.Context, st *callState, req any) error {
	if req != nil && c.validate && !st.cc.skipValidate {
		if err := validate(st.op, req); err != nil {
			return err
		}
	}
	body, err := marshalEnvelope(st.requestID, req)
	if err != nil {
		return fmt.Errorf("%s %s: encode request: %w", prefix(st.op.Package), st.op.Name, err)
	}
	st.body = body
	if err := c.call(ctx, st); err != nil {
		return err
	}
	return requireID(st.op, st.requestID, st.out)
}

func validate(op *Operation, req any) error {
	v, ok := req.(Validator)
	if !ok {
		return nil
	}
	err := v.Validate()
	var ve *ValidationError
	if errors.As(err, &ve) {
		ve.Op, ve.pkg = op.Name, op.Package
	}
	return err
}

// callState is what one logical call carries across its attempts.
type callState struct {
	op             *Operation
	cc             *callConfig
	requestID      string
	query          string      // signed query of the attempt in flight
	sec            callSecrets // signatures sent, to scrub their echoes
	body           []byte
	out            any // where the success Payload is decoded
	attempts       int
	skewRetried    bool         // the one skew retry is spent
	maybeProcessed bool         // an attempt failed after the server may have acted
	lastCost       int          // budget tokens taken for the attempt in flight
	lastErr        error        // the failure of the previous attempt
	obs            *observation // nil without hooks
}

// call runs the attempts of one call. A success Payload that does not fit
// st.out still settles the call as a success: the server acted on it.
func (c *Client) call(ctx context.Context, st *callState) error {
	for {
		if err := ctx.Err(); err != nil {
			return st.final(err, st.lastErr)
		}
		st.attempts++
		actx := c.attemptStart(ctx, st)
		r := c.attempt(actx, st)
		if r.err == nil {
			c.settleSuccess(st)
			c.attemptEnd(actx, st, &r, step{})
			c.sinkSecrets(ctx, st)
			return r.payloadErr
		}
		st.lastErr = r.err
		next := c.nextAttempt(ctx, st, &r)
		c.attemptEnd(actx, st, &r, next)
		if next.err != nil {
			return next.err
		}
		if next.now {
			continue
		}
		if err := c.sleeper.Sleep(ctx, next.delay); err != nil {
			return st.final(err, r.err)
		}
	}
}

// retries counts the retries made so far under the policy: every attempt
// after the first but the one skew retry.
func (st *callState) retries() int {
	if st.skewRetried {
		return st.attempts - 2
	}
	return st.attempts - 1
}

func (c *Client) settleSuccess(st *callState) {
	if st.attempts == 1 {
		c.budget.succeeded()
		return
	}
	c.budget.release(st.lastCost)
}

// stopped builds the error of a call that ends after its last failure
// last (nil when no attempt ran), for reason stop (nil: attempts ran out).
func (st *callState) stopped(stop, last error) error {
	if last == nil {
		return fmt.Errorf("%s %s: %w", prefix(st.op.Package), st.op.Name, stop)
	}
	if st.attempts == 1 && stop == nil {
		return last
	}
	return &RetryError{Op: st.op.Name, pkg: st.op.Package, RequestID: st.requestID, Attempts: st.attempts, Stop: stop, Err: last}
}

// final is the error ending a call: outcome unknown for a create that
// may have been processed by any attempt, else the last failure.
func (st *callState) final(stop, last error) error {
	if st.maybeProcessed && !st.op.Idempotent {
		return &OutcomeUnknownError{Op: st.op.Name, pkg: st.op.Package, RequestID: st.requestID, Attempts: st.attempts, Err: last, stop: stop}
	}
	return st.stopped(stop, last)
}

// step is the retry decision after a failed attempt: the call's final
// error, or the wait before the next attempt; reason says why.
type step struct {
	err    error
	delay  time.Duration
	now    bool // retry at once, without sleeping (the skew retry)
	reason string
}

// nextAttempt decides whether the failed attempt r is retried.
func (c *Client) nextAttempt(ctx context.Context, st *callState, r *result) step {
	if r.class == failAmbiguous {
		st.maybeProcessed = true
	}
	if err := ctx.Err(); err != nil {
		return step{err: st.final(err, r.err), reason: "context done"}
	}
	if r.class == failSkew && !st.skewRetried {
		st.skewRetried = true
		return step{now: true, reason: "clock skew"}
	}
	if !r.retryable(st.op.Idempotent || st.cc.retryNonIdem) {
		c.budget.release(st.lastCost)
		return step{err: st.final(nil, r.err), reason: "not retryable: " + r.class.String()}
	}
	if st.retries()+1 >= c.policy.MaxAttempts {
		return step{err: st.final(nil, r.err), reason: "attempts exhausted"}
	}
	return c.backOff(ctx, st, r)
}

// backOff pays for a retry from the budget and picks the wait before it.
func (c *Client) backOff(ctx context.Context, st *callState, r *result) step {
	delay, stop := c.delay(ctx, st, r)
	if stop != nil {
		return step{err: st.final(stop, r.err), reason: stop.Error()}
	}
	cost, ok := c.budget.acquire(r.timeout)
	if !ok {
		return step{err: st.final(ErrRetryBudgetExhausted, r.err), reason: ErrRetryBudgetExhausted.Error()}
	}
	st.lastCost = cost
	return step{delay: delay, reason: r.class.String()}
}

// delay picks the wait before the next attempt: Retry-After when the
// server gave a usable one, else jittered backoff. It refuses waits the
// caller's deadline or the Retry-After cap would not allow.
func (c *Client) delay(ctx context.Context, st *callState, r *result) (d time.Duration, stop error) {
	if r.hasRetryAfter {
		if r.retryAfter > c.policy.MaxRetryAfter {
			return 0, ErrRetryAfterTooLong
		}
		d = r.retryAfter
	} else {
		d = c.policy.backoff(st.retries()+1, c.rand)
	}
	if left, ok := untilDeadline(ctx); ok && left < d {
		return 0, fmt.Errorf("%w: %w", ErrDeadlineTooClose, context.DeadlineExceeded)
	}
	return d, nil
}
