package fakegw

import (
	"encoding/json"
	"fmt"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// Recorded is one request the gateway received, with what it did about it.
// A request is recorded before any byte of its reply is written or its
// connection closed, so a client that has seen the outcome can assert on it.
type Recorded struct {
	Time       time.Time       // gateway clock when the request arrived
	Method     string          // HTTP method
	Path       string          // URL path
	Query      url.Values      // parsed query (appkey, timestamp, signature, ...)
	HTTPHeader http.Header     // HTTP request headers
	Body       []byte          // raw body; nil when dropped before reading it
	Header     json.RawMessage // envelope Header, when the body had one
	Payload    json.RawMessage // envelope Payload, when the body had one
	RequestID  string          // Header.RequestID echoed, or the one assigned
	HTTPStatus int             // status written; 0 when no reply was sent
	Code       core.Code       // Header.Code of the reply; 0 for success or no envelope
	Message    string          // Header.Message of an error reply
	Fault      *Fault          // the injected fault applied, if any
	Outcome    string          // "" for a complete reply, else what happened instead
}

// Requests returns every request received so far, oldest first. The result
// is a copy the caller may modify.
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Recorded, len(s.records))
	for i, r := range s.records {
		out[i] = r.clone()
	}
	return out
}

// RequestsTo returns the requests received for path, oldest first.
func (s *Server) RequestsTo(path string) []Recorded {
	var out []Recorded
	for _, r := range s.Requests() {
		if r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// ClearRequests forgets the requests recorded so far.
func (s *Server) ClearRequests() {
	s.mu.Lock()
	s.records = nil
	s.mu.Unlock()
}

func (s *Server) record(r Recorded) {
	s.mu.Lock()
	s.records = append(s.records, r)
	s.mu.Unlock()
}

// newRequestID names a request whose client sent no Header.RequestID.
func (s *Server) newRequestID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("fakegw-%06d", s.seq)
}

func (r Recorded) clone() Recorded {
	r.Query = url.Values(cloneValues(r.Query))
	r.HTTPHeader = http.Header(cloneValues(r.HTTPHeader))
	r.Body = slices.Clone(r.Body)
	r.Header = slices.Clone(r.Header)
	r.Payload = slices.Clone(r.Payload)
	if r.Fault != nil {
		f := *r.Fault
		f.Header = f.Header.Clone()
		r.Fault = &f
	}
	return r
}

func cloneValues(m map[string][]string) map[string][]string {
	if m == nil {
		return nil
	}
	out := maps.Clone(m)
	for k, v := range out {
		out[k] = slices.Clone(v)
	}
	return out
}
