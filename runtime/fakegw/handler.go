package fakegw

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"time"
)

// Request is one authenticated call as a Handler sees it.
type Request struct {
	Path      string
	Query     url.Values
	HTTP      http.Header     // the HTTP request headers
	Header    json.RawMessage // the envelope Header object
	Payload   json.RawMessage // the envelope Payload object
	RequestID string          // Header.RequestID, or the one the gateway assigned
	Time      time.Time       // gateway clock when the request arrived
}

// Handler answers one API. The returned value is JSON-encoded into the
// response Payload (nil gives {}). An *ErrorReply error becomes an error
// envelope with its code; any other error, or a panic, becomes CodeInternal.
type Handler func(ctx context.Context, r *Request) (any, error)

// HandleFunc routes path to f, decoding the Payload strictly into a new Req:
// an unknown field or a value of the wrong type is answered with
// CodeBadParameter naming the field. When *Req has a Validate() error method
// it is called too (unless WithoutPayloadValidation), and a failure is
// answered with CodeBadParameter and the validation message.
func HandleFunc[Req, Resp any](s *Server, path string, f func(ctx context.Context, req *Req) (*Resp, error)) {
	validate := s.cfg.validate
	s.Handle(path, func(ctx context.Context, r *Request) (any, error) {
		req := new(Req)
		if err := DecodeStrict(r.Payload, req); err != nil {
			return nil, err
		}
		if v, ok := any(req).(interface{ Validate() error }); ok && validate {
			if err := v.Validate(); err != nil {
				return nil, Errorf(CodeBadParameter, "%v", err)
			}
		}
		resp, err := f(ctx, req)
		if err != nil || resp == nil {
			return nil, err
		}
		return resp, nil
	})
}

// call runs h, turning its outcome into an encoded payload or an error reply.
func (s *Server) call(ctx context.Context, h Handler, r *Request) (payload json.RawMessage, reply *ErrorReply) {
	defer func() {
		if p := recover(); p != nil {
			payload, reply = nil, Errorf(CodeInternal, "handler for %s panicked: %v", r.Path, p)
		}
	}()
	v, err := h(ctx, r)
	if err != nil {
		return nil, asReply(err)
	}
	if v == nil {
		return json.RawMessage("{}"), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, Errorf(CodeInternal, "encoding the %s response: %v", r.Path, err)
	}
	return b, nil
}

func asReply(err error) *ErrorReply {
	var e *ErrorReply
	if !errors.As(err, &e) {
		return Errorf(CodeInternal, "%v", err)
	}
	if e.Code == CodeOK {
		return Errorf(CodeInternal, "handler returned an ErrorReply with code 0: %s", e.Message)
	}
	return e
}
