package fakegw

import (
	"context"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
	"net/http"
	"time"
)

// DropMode says how a Fault ends the connection without a complete reply.
type DropMode int

// The ways a connection can be dropped.
const (
	// NoDrop replies normally.
	NoDrop DropMode = iota
	// DropBeforeBody closes the connection before reading the request body;
	// the handler does not run.
	DropBeforeBody
	// DropAfterBody reads the body, runs the handler (the gateway did the
	// work) and closes the connection without replying.
	DropAfterBody
	// ResetAfterBody is DropAfterBody with a TCP reset instead of a clean close.
	ResetAfterBody
	// TruncateReply runs the handler, sends the status line, headers and half
	// of the envelope, then closes the connection.
	TruncateReply
)

// Fault is one scripted misbehaviour, applied to one request. Fields
// combine: Delay and Hold wait first (after the body is read; DropBeforeBody
// skips them); then Drop, Status or Code, in that order of precedence,
// replace the normal reply; DateSkew, Header and RetryAfter decorate
// whatever reply is sent. The zero Fault changes nothing.
type Fault struct {
	// Delay waits this long before answering. A client that gives up, or
	// Close, ends the wait and the connection is closed without a reply.
	Delay time.Duration
	// Hold waits until the channel is closed (or the client gives up, or
	// Close) before answering: a slow response without real sleeping.
	Hold <-chan struct{}
	// Drop ends the connection without a complete reply.
	Drop DropMode
	// Status replies with this HTTP status (200 to 599) and Body instead of an
	// envelope; the handler does not run.
	Status int
	// Body is the raw body sent with Status; empty means a small HTML page
	// like a real load balancer's.
	Body string
	// Code replies with an error envelope carrying Code and Message; the
	// handler does not run.
	Code    core.Code
	Message string
	// RetryAfter sets the Retry-After header, verbatim.
	RetryAfter string
	// DateSkew is added to the gateway clock in the Date header.
	DateSkew time.Duration
	// Header holds extra response headers (for example Age).
	Header http.Header
}

// CodeFault replies with an error envelope.
func CodeFault(code core.Code, message string) Fault { return Fault{Code: code, Message: message} }

// StatusFault replies with an HTTP status and an HTML body, no envelope.
func StatusFault(status int) Fault { return Fault{Status: status} }

// RateLimitFault replies 429 with the given Retry-After header value.
func RateLimitFault(retryAfter string) Fault {
	return Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfter}
}

// DelayFault answers normally after d.
func DelayFault(d time.Duration) Fault { return Fault{Delay: d} }

// DropFault ends the connection the given way.
func DropFault(mode DropMode) Fault { return Fault{Drop: mode} }

// SkewDateFault answers normally with a Date header d away from the gateway
// clock. To make the gateway's timestamp check disagree with the client as
// well, move the gateway clock instead (WithClock).
func SkewDateFault(d time.Duration) Fault { return Fault{DateSkew: d} }

// Inject queues faults for requests to path, consumed one per request in
// order. Faults for a path are used before global ones.
func (s *Server) Inject(path string, faults ...Fault) {
	if path == "" {
		s.misuse("Inject: empty path; use InjectGlobal for every path")
		return
	}
	s.enqueue(path, faults)
}

// InjectGlobal queues faults for requests to any API path, consumed one per
// request in order, after the path's own queue is empty.
func (s *Server) InjectGlobal(faults ...Fault) { s.enqueue("", faults) }

// PendingFaults returns how many injected faults have not been used yet.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, q := range s.faults {
		n += len(q)
	}
	return n
}

func (s *Server) enqueue(key string, faults []Fault) {
	for _, f := range faults {
		if f.Status != 0 && (f.Status < 200 || f.Status > 599) {
			s.misuse("fault status %d: want 200 to 599", f.Status)
			return
		}
		if f.Drop < NoDrop || f.Drop > TruncateReply {
			s.misuse("fault drop mode %d is not defined", f.Drop)
			return
		}
	}
	s.mu.Lock()
	s.faults[key] = append(s.faults[key], faults...)
	s.mu.Unlock()
}

// nextFault pops the fault for path; ok is false when none is queued.
func (s *Server) nextFault(path string) (f Fault, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, key := range []string{path, ""} {
		if q := s.faults[key]; len(q) > 0 {
			s.faults[key] = q[1:]
			return q[0], true
		}
	}
	return Fault{}, false
}

// wait applies Delay and Hold. It reports false when the client went away
// or the server is closing, in which case nothing should be written.
func (s *Server) wait(ctx context.Context, f Fault) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return false
		case <-s.done:
			return false
		}
	}
	if f.Hold != nil {
		select {
		case <-f.Hold:
		case <-ctx.Done():
			return false
		case <-s.done:
			return false
		}
	}
	return true
}
