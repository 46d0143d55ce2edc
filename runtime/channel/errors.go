package channel

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors; match them with errors.Is.
var (
	// ErrClosed is returned once Close has been called.
	ErrClosed = errors.New("channel: closed")
	// ErrSessionEnded means the connection dropped and SessionAlive reported
	// that the session is over, so there is nothing to reconnect to.
	ErrSessionEnded = errors.New("channel: session has ended")
	// ErrConnectionLost means the WebSocket failed under a send, or dropped
	// with no SessionAlive to decide on a reconnect.
	ErrConnectionLost = errors.New("channel: connection lost")
	// ErrStreamFinished is returned by a TextStream after Finish or Interrupt.
	ErrStreamFinished = errors.New("channel: text stream already finished")
	// ErrEmptyAudio is returned by SendAudio when the reader yields no bytes.
	ErrEmptyAudio = errors.New("channel: audio reader is empty")
	// ErrPeerSilent is the drop cause when the gateway sent no frame and
	// answered no ping for PeerTimeout.
	ErrPeerSilent = errors.New("channel: peer silent (no frame, no pong)")
	// ErrTooManyReconnects ends a channel that reconnected
	// MaxReconnectsPerWindow times within one ReconnectWindow.
	ErrTooManyReconnects = errors.New("channel: too many reconnects in the window")
	// ErrSessionCheckFailing ends a channel whose SessionAlive failed
	// MaxSessionCheckErrors times in a row: nobody can say the session lives.
	ErrSessionCheckFailing = errors.New("channel: session check keeps failing")
)

// ConfigError reports a Config field that cannot be used.
type ConfigError struct {
	Field   string
	Problem string
}

// Error names the field and what is wrong with it.
func (e *ConfigError) Error() string {
	return "channel: config " + e.Field + ": " + e.Problem
}

// DialError reports a failed WebSocket handshake. URL holds scheme, host and
// path only: the signed query is a bearer credential and is never kept.
type DialError struct {
	URL        string // scheme://host/path, no query
	StatusCode int    // HTTP status of a refused handshake, 0 if none arrived
	Code       int    // aPaaS Header.Code from a refused handshake's body, 0 if none
	Message    string // aPaaS Header.Message, if any
	Err        error  // cause, with any URL rewritten to URL
}

// Error names the endpoint (no query), the refusal and the cause.
func (e *DialError) Error() string {
	s := "channel: dial " + e.URL
	if e.StatusCode != 0 {
		s += ": status " + strconv.Itoa(e.StatusCode)
	}
	if e.Code != 0 {
		s += fmt.Sprintf(": code=%d message=%s", e.Code, e.Message)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *DialError) Unwrap() error { return e.Err }

// FrameError reports a downstream frame that could not be decoded. The
// connection stays up; the next Recv reads the next frame.
type FrameError struct {
	Raw []byte // the frame as received, cut to at most maxRawKept bytes
	Err error
}

const maxRawKept = 4096

func newFrameError(raw []byte, err error) *FrameError {
	if len(raw) > maxRawKept {
		raw = raw[:maxRawKept]
	}
	return &FrameError{Raw: raw, Err: err}
}

// Error gives the frame's size and the decoding error, not its bytes.
func (e *FrameError) Error() string {
	return fmt.Sprintf("channel: malformed downstream frame (%d bytes): %v", len(e.Raw), e.Err)
}

// Unwrap returns the decoding error.
func (e *FrameError) Unwrap() error { return e.Err }

// SendError reports an upstream message that was not sent.
type SendError struct {
	Command string
	ReqID   string
	Seq     int // packet or fragment sequence, 0 when not applicable
	Err     error
}

// Error names the command, its req_id, the sequence if any, and the cause.
func (e *SendError) Error() string {
	s := "channel: send " + e.Command + " req_id=" + e.ReqID
	if e.Seq != 0 {
		s += " seq=" + strconv.Itoa(e.Seq)
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *SendError) Unwrap() error { return e.Err }

// SessionEndedError is the terminal error when the session is over. It
// matches ErrSessionEnded.
type SessionEndedError struct {
	SessionID string
	Cause     error // what dropped the connection
}

// Error names the session and what dropped the connection.
func (e *SessionEndedError) Error() string {
	s := "channel: session " + e.SessionID + " has ended"
	if e.Cause != nil {
		s += " (connection: " + e.Cause.Error() + ")"
	}
	return s
}

// Is matches ErrSessionEnded.
func (e *SessionEndedError) Is(target error) bool { return target == ErrSessionEnded }

// Unwrap returns the cause of the drop.
func (e *SessionEndedError) Unwrap() error { return e.Cause }

// ReconnectError is the terminal error when reconnecting gave up while the
// session still seemed alive.
type ReconnectError struct {
	Attempts int
	Err      error // last failure
}

// Error gives the number of attempts and the last failure.
func (e *ReconnectError) Error() string {
	return fmt.Sprintf("channel: reconnect failed after %d attempts: %v", e.Attempts, e.Err)
}

// Unwrap returns the last failure.
func (e *ReconnectError) Unwrap() error { return e.Err }

// DriveError is a downstream report that a drive failed: a Type 9 message,
// or a wrapped frame whose Header.Code is not 0.
type DriveError struct {
	Code      int
	Message   string
	ReqID     string
	SessionID string
}

// Error gives the server's code, message and the drive's req_id.
func (e *DriveError) Error() string {
	return fmt.Sprintf("channel: drive failed: code=%d message=%s req_id=%s", e.Code, e.Message, e.ReqID)
}
