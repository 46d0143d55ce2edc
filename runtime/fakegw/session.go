package fakegw

import (
	"fmt"
	"sync"
)

// The SessionStatus values of the interactive session APIs.
const (
	SessionReady     = 1
	SessionClosed    = 2
	SessionPreparing = 3
	SessionFailed    = 4
)

// Session is a snapshot of one simulated interactive session.
type Session struct {
	ID             string
	Input          any // what Create was given, typically the decoded request
	Status         int // one of SessionReady, SessionClosed, SessionPreparing, SessionFailed
	Started        bool
	Polls          int // how many times Stat has seen it
	PlayStreamAddr string
	ErrorCode      int
	ErrorMessage   string
}

// SessionStore simulates the session lifecycle: Create reports preparing,
// Stat reports preparing for the configured number of polls and then ready
// (or failed, if scripted), Start needs a ready session, Close ends it. It is
// safe for concurrent use.
type SessionStore struct {
	prefix  string
	prepare int

	mu       sync.Mutex
	failures []Session // ErrorCode and ErrorMessage for the next sessions to fail
	sessions map[string]*Session
	order    []string
}

// NewSessionStore returns a store whose session ids start with prefix
// ("session-" if empty) and whose sessions stay preparing for preparePolls
// Stat calls (0 makes them ready at once; negative counts as 0).
func NewSessionStore(prefix string, preparePolls int) *SessionStore {
	if prefix == "" {
		prefix = "session-"
	}
	return &SessionStore{prefix: prefix, prepare: max(preparePolls, 0), sessions: map[string]*Session{}}
}

// FailNext makes the next session created end its preparation in
// SessionFailed with the given ErrorCode; later calls script the sessions
// after it.
func (ss *SessionStore) FailNext(code int, message string) {
	ss.mu.Lock()
	ss.failures = append(ss.failures, Session{ErrorCode: code, ErrorMessage: message})
	ss.mu.Unlock()
}

// Create opens a session for input and returns it.
func (ss *SessionStore) Create(input any) Session {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	id := fmt.Sprintf("%s%06d", ss.prefix, len(ss.order)+1)
	s := &Session{ID: id, Input: input, Status: SessionPreparing,
		PlayStreamAddr: "rtmp://fakegw.invalid/live/" + id}
	if len(ss.failures) > 0 {
		s.ErrorCode, s.ErrorMessage = ss.failures[0].ErrorCode, ss.failures[0].ErrorMessage
		ss.failures = ss.failures[1:]
	}
	if ss.prepare == 0 {
		settle(s)
	}
	ss.sessions[id] = s
	ss.order = append(ss.order, id)
	return *s
}

// settle ends the preparation of s, as scripted.
func settle(s *Session) {
	if s.Status != SessionPreparing {
		return
	}
	s.Status = SessionReady
	if s.ErrorCode != 0 {
		s.Status = SessionFailed
	}
}

// Stat counts one status poll of session id and returns it. An unknown id
// is an *ErrorReply with CodeSessionNotFound.
func (ss *SessionStore) Stat(id string) (Session, error) {
	return ss.update(id, func(s *Session) *ErrorReply {
		s.Polls++
		if s.Polls > ss.prepare {
			settle(s)
		}
		return nil
	})
}

// Start marks a ready session started. A session that is not ready gets
// CodeSessionNotReady, a closed one CodeSessionClosed.
func (ss *SessionStore) Start(id string) (Session, error) {
	return ss.update(id, func(s *Session) *ErrorReply {
		switch s.Status {
		case SessionClosed:
			return Errorf(CodeSessionClosed, "session %q is closed", id)
		case SessionReady:
			s.Started = true
			return nil
		}
		return Errorf(CodeSessionNotReady, "session %q is not ready (status %d)", id, s.Status)
	})
}

// Close ends session id. Closing it twice gets CodeSessionClosed.
func (ss *SessionStore) Close(id string) (Session, error) {
	return ss.update(id, func(s *Session) *ErrorReply {
		if s.Status == SessionClosed {
			return Errorf(CodeSessionClosed, "session %q is already closed", id)
		}
		s.Status = SessionClosed
		return nil
	})
}

func (ss *SessionStore) update(id string, f func(*Session) *ErrorReply) (Session, error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.sessions[id]
	if !ok {
		return Session{}, Errorf(CodeSessionNotFound, "session %q does not exist", id)
	}
	if e := f(s); e != nil {
		return *s, e
	}
	return *s, nil
}

// Get returns session id without counting a poll.
func (ss *SessionStore) Get(id string) (Session, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.sessions[id]
	if !ok {
		return Session{}, false
	}
	return *s, true
}

// Sessions returns every session in creation order.
func (ss *SessionStore) Sessions() []Session {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	out := make([]Session, len(ss.order))
	for i, id := range ss.order {
		out[i] = *ss.sessions[id]
	}
	return out
}
