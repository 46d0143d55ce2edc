package core

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/scrub"
)

// APIError is a response whose Header.Code is not 0.
type APIError struct {
	Op         string
	Code       Code
	Message    string
	RequestID  string // the server's, or the one we sent when it gave none
	HTTPStatus int
	Category   Category                   // from the client's code table; "" when unknown
	Extra      map[string]json.RawMessage // header fields other than Code, Message, RequestID; secrets hidden as in Message
	retryAfter time.Duration

	pkg string // the generated package of the call, for the prefix; set by the runtime
}

// Error returns "apaas <Op>: code=<c> message=<m> request_id=<id>". Text
// from the server is one line: control characters escaped, each field cut
// at 512 bytes, secrets of the call replaced by [REDACTED].
func (e *APIError) Error() string {
	return prefix(e.pkg) + " " + e.Op + ": code=" + strconv.Itoa(int(e.Code)) + " message=" + scrub.Line(e.Message) + " request_id=" + scrub.Line(e.RequestID)
}

// Is matches a Code equal to e.Code.
func (e *APIError) Is(target error) bool {
	c, ok := target.(Code)
	return ok && c == e.Code
}

func (e *APIError) category() Category {
	if e.Category != "" {
		return e.Category
	}
	return defaultCodes[Code(e.Code)]
}

// IsAuth reports a rejected credential or signature.
func (e *APIError) IsAuth() bool { return e.category() == CategoryAuth }

// IsRateLimited reports throttling (a code or HTTP 429).
func (e *APIError) IsRateLimited() bool {
	return e.category() == CategoryRateLimit || e.HTTPStatus == 429
}

// IsQuota reports an exhausted quota, concurrency limit or licence.
func (e *APIError) IsQuota() bool { return e.category() == CategoryQuota }

// IsInvalidArgument reports a request the server refused as malformed.
func (e *APIError) IsInvalidArgument() bool { return e.category() == CategoryInvalidArgument }

// IsNotFound reports a missing resource.
func (e *APIError) IsNotFound() bool { return e.category() == CategoryNotFound }

// IsRetryable reports a code that an idempotent call may retry.
func (e *APIError) IsRetryable() bool { return retryableCode(e.Code, e.category()) }

// RetryAfter returns the server's Retry-After delay, or 0 when none was given.
func (e *APIError) RetryAfter() time.Duration { return e.retryAfter }

// HTTPError is a non-2xx response without an aPaaS envelope.
type HTTPError struct {
	Op         string
	StatusCode int
	RequestID  string // the one we sent
	Snippet    string // at most 512 bytes of the body, one line, scrubbed
	retryAfter time.Duration

	pkg string // the generated package of the call, for the prefix; set by the runtime
}

// Error names the status, our RequestID and the scrubbed snippet.
func (e *HTTPError) Error() string {
	s := prefix(e.pkg) + " " + e.Op + ": http status " + strconv.Itoa(e.StatusCode) + " request_id=" + e.RequestID
	if e.Snippet != "" {
		s += " body=" + strconv.Quote(e.Snippet)
	}
	return s
}

// IsRateLimited reports HTTP 429.
func (e *HTTPError) IsRateLimited() bool { return e.StatusCode == 429 }

// IsRetryable reports a status an idempotent call may retry.
func (e *HTTPError) IsRetryable() bool { return retryableStatus(e.StatusCode) }

// RetryAfter returns the server's Retry-After delay, or 0 when none was given.
func (e *HTTPError) RetryAfter() time.Duration { return e.retryAfter }

// ProtocolError is a response that is not a valid aPaaS envelope: invalid
// JSON, a missing or malformed Header, a Payload of the wrong shape, or a
// body over the size cap. It is never treated as success.
type ProtocolError struct {
	Op         string
	RequestID  string
	HTTPStatus int
	Reason     string
	Err        error
	// Payload is the success Payload that did not decode (secrets hidden),
	// and ID the task or session id it holds, when the operation names one:
	// a create that succeeded on the server is never left without its id.
	Payload json.RawMessage
	ID      string
	unknown bool // a create: errors.Is(err, ErrOutcomeUnknown) holds

	pkg string // the generated package of the call, for the prefix; set by the runtime
}

// Is matches ErrOutcomeUnknown for a create whose success did not decode:
// the server did the work, so a caller that resends on other errors must
// not resend this one.
func (e *ProtocolError) Is(target error) bool { return e.unknown && target == ErrOutcomeUnknown }

// Error names the reason and the scrubbed cause.
func (e *ProtocolError) Error() string {
	s := prefix(e.pkg) + " " + e.Op + ": protocol error: " + e.Reason
	if e.Err != nil {
		s += ": " + scrub.Cause(e.Err.Error())
	}
	if e.unknown {
		// Said in the text too: a user reading only the message must not resend.
		s += " (outcome unknown: the server accepted the call; do not resend)"
	}
	if e.ID != "" {
		s += " id=" + scrub.Line(e.ID)
	}
	return s + " request_id=" + e.RequestID
}

// Unwrap returns the cause.
func (e *ProtocolError) Unwrap() error { return e.Err }

// ErrResponseTooLarge is wrapped by the ProtocolError returned for a body
// over the cap (WithMaxResponseBytes).
var ErrResponseTooLarge = errors.New("response body too large")

// ErrOutcomeUnknown is matched (errors.Is) by an *OutcomeUnknownError.
var ErrOutcomeUnknown = errors.New("outcome unknown")

// OutcomeUnknownError is returned for a non-idempotent call (a create) that
// failed after the request may have reached the server: it may or may not
// have been processed, so it was not retried. Reconcile by listing or
// polling; RequestID is what the server saw in Header.RequestID.
type OutcomeUnknownError struct {
	Op        string
	RequestID string
	Attempts  int
	Err       error // the last cause
	stop      error // why the call stopped early (context), if it did

	pkg string // the generated package of the call, for the prefix; set by the runtime
}

// Error says the outcome is unknown and carries the RequestID.
func (e *OutcomeUnknownError) Error() string {
	return prefix(e.pkg) + " " + e.Op + ": outcome unknown (the request may have been processed; not retried) request_id=" +
		e.RequestID + ": " + strings.TrimSuffix(causeString(e.pkg, e.Op, e.Err), " request_id="+e.RequestID)
}

// Is matches ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// Unwrap returns the cause and, when the context ended the call, its error.
func (e *OutcomeUnknownError) Unwrap() []error {
	if e.stop == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.stop}
}

// TransportError is a failure to get a response: dial, TLS, reset, timeout
// or a truncated body. Err keeps the cause chain (errors.As to *url.Error,
// net.Error) with every URL stripped of its query.
type TransportError struct {
	Op        string
	RequestID string
	Err       error

	pkg string // the generated package of the call, for the prefix; set by the runtime
}

// Error gives the scrubbed cause; it never holds a query string.
func (e *TransportError) Error() string {
	return prefix(e.pkg) + " " + e.Op + ": transport: " + errString(e.Err) + " request_id=" + e.RequestID
}

// Unwrap returns the cause.
func (e *TransportError) Unwrap() error { return e.Err }

// Timeout reports whether the cause was a timeout.
func (e *TransportError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.Err, &t) && t.Timeout()
}

// RetryError ends a call that made more than one attempt, or stopped
// retrying for a reason of its own (context done, retry budget exhausted,
// Retry-After too long). errors.Is/As reach both Stop and the last cause.
type RetryError struct {
	Op        string
	RequestID string
	Attempts  int
	Stop      error // why retrying stopped, nil when attempts ran out
	Err       error // the last attempt's failure

	pkg string // the generated package of the call, for the prefix; set by the runtime
}

// Error gives the attempt count, the stop reason and the last cause.
func (e *RetryError) Error() string {
	s := prefix(e.pkg) + " " + e.Op + ": giving up after " + strconv.Itoa(e.Attempts) + " attempt"
	if e.Attempts != 1 {
		s += "s"
	}
	if e.Stop != nil {
		s += " (" + scrub.Cause(e.Stop.Error()) + ")"
	}
	return s + ": " + causeString(e.pkg, e.Op, e.Err)
}

// Unwrap returns the stop reason and the last cause.
func (e *RetryError) Unwrap() []error {
	if e.Stop == nil {
		return []error{e.Err}
	}
	return []error{e.Stop, e.Err}
}

// RetryAfter returns the last cause's Retry-After delay, or 0.
func (e *RetryError) RetryAfter() time.Duration {
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(e.Err, &ra) {
		return ra.RetryAfter()
	}
	return 0
}

// ErrRetryBudgetExhausted is the Stop reason when the client's retry budget
// has no tokens left.
var ErrRetryBudgetExhausted = errors.New("client-side retry budget exhausted; not retrying")

// ErrRetryAfterTooLong is the Stop reason when the server asks for a wait
// longer than the cap (RetryPolicy.MaxRetryAfter).
var ErrRetryAfterTooLong = errors.New("server asked to retry later than the cap allows")

// ErrDeadlineTooClose is the Stop reason when the context deadline falls
// before the next retry could start.
var ErrDeadlineTooClose = errors.New("context deadline is before the next retry")

// causeString is errString of an error that another error of operation op
// wraps, without the "apaas <op>: " that the wrapper's message already
// starts with, so a message does not say it twice.
func causeString(pkg, op string, err error) string {
	return strings.TrimPrefix(errString(err), prefix(pkg)+" "+op+": ")
}

// prefix is the name that starts the errors of a call: the generated
// package's own (Operation.Package), or "apaas" for an operation that
// names none.
func prefix(pkg string) string {
	if pkg == "" {
		return "apaas"
	}
	return pkg
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return scrub.Cause(err.Error())
}
