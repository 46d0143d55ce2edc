package fakegw

import (
	"context"
	"encoding/json"
)

// SessionAPIPrefix is the path prefix of the session APIs (D1–D5).
const SessionAPIPrefix = "/v2/ivh/sessionmanager/sessionmanagerservice/"

// ServeSessions simulates the session APIs with store — createsession and
// createsessionbyasset create, statsession polls, startsession starts,
// closesession closes — and serves the command channel for its sessions,
// which it returns. The Payloads are read loosely (only SessionId matters);
// typed, strict handlers belong to a generated fake. Handlers registered
// later for the same paths replace these.
func (s *Server) ServeSessions(store *SessionStore) *Channel {
	create := func(_ context.Context, r *Request) (any, error) {
		var in map[string]any
		if err := json.Unmarshal(r.Payload, &in); err != nil {
			return nil, Errorf(CodeBadParameter, "payload: %v", err)
		}
		sess := store.Create(in)
		return sessionPayload(sess, r), nil
	}
	s.Handle(SessionAPIPrefix+"createsession", create)
	s.Handle(SessionAPIPrefix+"createsessionbyasset", create)
	s.Handle(SessionAPIPrefix+"statsession", bySession(store.Stat))
	s.Handle(SessionAPIPrefix+"startsession", bySession(store.Start))
	s.Handle(SessionAPIPrefix+"closesession", bySession(store.Close))
	return s.ServeChannel(store)
}

// bySession adapts a SessionStore method to a Handler of {"SessionId": id}.
func bySession(f func(id string) (Session, error)) Handler {
	return func(_ context.Context, r *Request) (any, error) {
		var in struct {
			SessionID string `json:"SessionId"`
		}
		if err := json.Unmarshal(r.Payload, &in); err != nil || in.SessionID == "" {
			return nil, Errorf(CodeBadParameter, "SessionId is required")
		}
		sess, err := f(in.SessionID)
		if err != nil {
			return nil, err
		}
		return sessionPayload(sess, r), nil
	}
}

// sessionPayload is the union of the session responses' fields.
func sessionPayload(sess Session, r *Request) map[string]any {
	var in struct {
		ReqID string `json:"ReqId"`
	}
	_ = json.Unmarshal(r.Payload, &in)
	return map[string]any{
		"ReqId": in.ReqID, "SessionId": sess.ID, "SessionStatus": sess.Status, "PlayStreamAddr": sess.PlayStreamAddr,
		"IsSessionStarted": sess.Started, "ErrorCode": sess.ErrorCode, "ErrorMessage": sess.ErrorMessage,
	}
}
