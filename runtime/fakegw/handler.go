package fakegw

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
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

// DecodeStrict decodes a Payload into v, refusing unknown fields and
// trailing data. A failure is an *ErrorReply with CodeBadParameter whose
// message names the offending field.
func DecodeStrict(payload json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data after the object")
	}
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return Errorf(CodeBadParameter, "Payload.%s: cannot use JSON %s as %s", te.Field, te.Value, te.Type)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	return Errorf(CodeBadParameter, "Payload: %s", msg)
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
