package core

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/scrub"
)

// failClass says what a failed attempt proves about the server's state,
// which decides whether a create may be retried (RETRY-3).
type failClass int

const (
	failFinal         failClass = iota // never retried
	failNotSent                        // nothing reached the server: retry any call
	failThrottled                      // HTTP 429, nothing processed: retry any call
	failAmbiguous                      // may have been processed: retry idempotent calls only
	failRetryableCode                  // a definite error a retry may fix: idempotent calls only
	failSkew                           // signature rejected under clock skew: one retry, any call
)

var failClassNames = [...]string{"final", "not sent", "throttled", "ambiguous", "retryable code", "clock skew"}

// String names the class for logs.
func (f failClass) String() string { return failClassNames[f] }

// result is the outcome of one attempt.
type result struct {
	payloadErr    error // a success whose Payload does not fit the response type
	err           error
	class         failClass
	timeout       bool
	retryAfter    time.Duration
	hasRetryAfter bool
}

func (r *result) retryable(idempotent bool) bool {
	switch r.class {
	case failNotSent, failThrottled:
		return true
	case failAmbiguous, failRetryableCode:
		return idempotent
	}
	return false
}

func isSignatureRejected(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && Code(ae.Code) == CodeSignatureRejected
}

// classify turns a complete response into a result. A 2xx success is
// decoded in one pass straight into st.out; everything else is parsed
// again by decodeEnvelope to say what went wrong.
func (c *Client) classify(st *callState, resp *http.Response, body []byte) result {
	status := resp.StatusCode
	ok2xx := status >= 200 && status < 300
	if ok2xx {
		if h, ok := decodeSuccess(body, st.out); ok {
			c.succeeded(st, h, body)
			return result{}
		}
	}
	h, payload, derr := decodeEnvelope(body)
	r := result{}
	if v := resp.Header.Get("Retry-After"); v != "" {
		r.retryAfter, r.hasRetryAfter = parseRetryAfter(v, c.clock.Now())
	}
	switch {
	case derr == nil && h.Code.v != 0:
		r.class, r.err = c.apiError(st, h, body, status, r.retryAfter)
	case derr == nil && ok2xx:
		c.succeeded(st, h, body)
		if err := decodePayload(payload, st.out); err != nil {
			r.payloadErr = c.payloadError(st, payload, status, err)
		}
	case !ok2xx:
		r.err = &HTTPError{Op: st.op.Name, pkg: st.op.Package, StatusCode: status, RequestID: st.requestID,
			Snippet: snippet(c.hideSecrets(st, string(body))), retryAfter: r.retryAfter}
		r.class = statusClass(status)
	default:
		r.err = &ProtocolError{Op: st.op.Name, pkg: st.op.Package, RequestID: st.requestID, HTTPStatus: status, Reason: "response is not an aPaaS envelope", Err: derr}
	}
	if status == http.StatusTooManyRequests {
		r.class = failThrottled
	}
	return r
}

// succeeded records what a successful response's header tells the caller.
func (c *Client) succeeded(st *callState, h wireHeader, body []byte) {
	c.checkRequestID(st, h.RequestID)
	if st.cc.header != nil {
		*st.cc.header = ResponseHeader{Code: 0, Message: h.Message, RequestID: h.RequestID, Extra: headerExtra(body)}
	}
}

// payloadError is the error of a success whose Payload does not decode even
// tolerantly. It keeps the Payload and the id the operation names, so that
// the work a create started is not lost.
func (c *Client) payloadError(st *callState, payload json.RawMessage, status int, err error) *ProtocolError {
	return &ProtocolError{Op: st.op.Name, pkg: st.op.Package, RequestID: st.requestID, HTTPStatus: status,
		Reason: "Payload does not match the response type", Err: err,
		Payload: c.hideSecretsJSON(st, payload), ID: idIn(payload, st.op.IDField),
		unknown: !st.op.Idempotent}
}

func statusClass(status int) failClass {
	switch {
	case status == http.StatusTooManyRequests:
		return failThrottled
	case retryableStatus(status):
		return failAmbiguous
	}
	return failFinal
}

func (c *Client) apiError(st *callState, h wireHeader, body []byte, status int, ra time.Duration) (failClass, error) {
	rid := h.RequestID
	if rid == "" {
		rid = st.requestID
	} else {
		c.checkRequestID(st, rid)
	}
	cat := c.codes.category(h.Code.v)
	extra := headerExtra(body)
	for k, v := range extra {
		extra[k] = c.hideSecretsJSON(st, v)
	}
	e := &APIError{Op: st.op.Name, pkg: st.op.Package, Code: Code(h.Code.v), Message: scrub.Line(c.hideSecrets(st, h.Message)), RequestID: scrub.Line(rid), HTTPStatus: status,
		Category: cat, Extra: extra, retryAfter: ra}
	if retryableCode(Code(h.Code.v), cat) {
		return failRetryableCode, e
	}
	return failFinal, e
}
