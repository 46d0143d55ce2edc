package fakegw

import (
	"fmt"

	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// The result codes the fake gateway itself puts in Header.Code. They are the
// vendor's documented codes for the same situations (apaas-api.md §5); the
// vendor does not document which code a bad signature gets, so the fake uses
// 100005 "unauthorised operation" for every authentication failure.
const (
	// CodeOK is success.
	CodeOK core.Code = 0
	// CodeInternal is returned when a handler fails with a plain error or
	// panics, or its payload cannot be encoded.
	CodeInternal core.Code = 100000
	// CodeBadParameter is returned for a missing, repeated or malformed query
	// parameter, a method other than POST, a body that is not the
	// {"Header":{},"Payload":{}} envelope, a body over the size limit, and a
	// Payload that does not decode strictly or fails validation.
	CodeBadParameter core.Code = 100001
	// CodeUnauthorized is returned for a wrong appkey, a timestamp outside the
	// skew window and a signature that does not match.
	CodeUnauthorized core.Code = 100005
	// CodeNotFound is returned for a path with no handler.
	CodeNotFound core.Code = 100009
	// CodeLimitExceeded is returned by a simulating TaskStore for a
	// submission over its pool's cap ("submission count exceeds the limit").
	CodeLimitExceeded core.Code = 100008
	// CodeRecordNotFound is returned by TaskStore for an unknown task id.
	CodeRecordNotFound core.Code = 110006
	// CodeSessionClosed is returned by SessionStore for a session already closed.
	CodeSessionClosed core.Code = 110013
	// CodeSessionNotReady is returned by SessionStore when a session is started
	// before it is ready.
	CodeSessionNotReady core.Code = 110014
	// CodeSessionNotFound is returned by SessionStore for an unknown session id.
	CodeSessionNotFound = 110018
)

// ErrorReply is an error a Handler returns to make the gateway answer with
// an error envelope: HTTP 200 with Header.Code and Header.Message set.
type ErrorReply struct {
	Code    core.Code
	Message string
}

// Errorf returns an *ErrorReply with the given code and formatted message.
func Errorf(code core.Code, format string, args ...any) *ErrorReply {
	return &ErrorReply{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Error returns the code and message, as a handler's test log shows them.
func (e *ErrorReply) Error() string {
	return fmt.Sprintf("fakegw: code=%d message=%s", e.Code, e.Message)
}
