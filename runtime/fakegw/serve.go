package fakegw

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
)

// exchange carries one request through the gateway pipeline.
type exchange struct {
	w       http.ResponseWriter
	r       *http.Request
	fault   Fault
	rec     Recorded
	env     envelope
	bodyErr *ErrorReply
}

// serveAPI is the pipeline for every JSON call: scripted fault, then the
// checks the real gateway makes, then the handler.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	x := s.begin(w, r)
	if x.fault.Drop == DropBeforeBody {
		x.rec.Outcome = "connection dropped before reading the body"
		s.record(x.rec)
		hangUp(w, false, nil)
		return
	}
	// Read the body before waiting: only then does net/http notice a client
	// that hangs up and cancel the request context.
	s.readBody(x)
	if !s.wait(r.Context(), x.fault) {
		x.rec.Outcome = "no reply: the client went away or the server closed during the fault's wait"
		s.record(x.rec)
		hangUp(w, false, nil)
		return
	}
	switch {
	case x.fault.Drop != NoDrop:
		s.dropAfterWork(x)
	case x.fault.Status != 0:
		s.replyRaw(x)
	case x.fault.Code != 0:
		s.replyEnvelope(x, nil, &ErrorReply{Code: x.fault.Code, Message: x.fault.Message})
	default:
		payload, e := s.process(r.Context(), x)
		s.replyEnvelope(x, payload, e)
	}
}

func (s *Server) begin(w http.ResponseWriter, r *http.Request) *exchange {
	x := &exchange{w: w, r: r}
	x.rec = Recorded{
		Time:       s.cfg.clock.Now(),
		Method:     r.Method,
		Path:       r.URL.Path,
		Query:      r.URL.Query(),
		HTTPHeader: r.Header.Clone(),
	}
	if f, ok := s.nextFault(r.URL.Path); ok {
		x.fault = f
		x.rec.Fault = &f
	}
	return x
}

func (s *Server) readBody(x *exchange) {
	// A LimitReader rather than http.MaxBytesReader: the latter makes
	// net/http linger 500 ms on close, which slows every test that hits it.
	body, err := io.ReadAll(io.LimitReader(x.r.Body, s.cfg.maxBody+1))
	switch {
	case err != nil:
		x.bodyErr = Errorf(CodeBadParameter, "reading body: %v", err)
	case int64(len(body)) > s.cfg.maxBody:
		x.bodyErr = Errorf(CodeBadParameter, "body exceeds the %d-byte limit", s.cfg.maxBody)
		body = body[:s.cfg.maxBody]
	}
	x.rec.Body = body
	x.env = parseEnvelope(body)
	x.rec.Header, x.rec.Payload, x.rec.RequestID = x.env.header, x.env.payload, x.env.requestID
	if x.rec.RequestID == "" {
		x.rec.RequestID = s.newRequestID()
	}
}

// process makes the real gateway's checks in its order, then runs the
// handler for the path.
func (s *Server) process(ctx context.Context, x *exchange) (payload []byte, reply *ErrorReply) {
	if x.r.Method != http.MethodPost {
		return nil, Errorf(CodeBadParameter, "method %s is not allowed; the gateway accepts POST only", x.r.Method)
	}
	if e := s.authenticate(x.r.URL.RawQuery); e != nil {
		return nil, e
	}
	if x.bodyErr != nil {
		return nil, x.bodyErr
	}
	if x.env.err != nil {
		return nil, x.env.err
	}
	h := s.handler(x.r.URL.Path)
	if h == nil {
		return nil, Errorf(CodeNotFound, "no API at path %s", x.r.URL.Path)
	}
	return s.call(ctx, h, &Request{
		Path: x.rec.Path, Query: url.Values(cloneValues(x.rec.Query)), HTTP: x.rec.HTTPHeader.Clone(),
		Header: x.env.header, Payload: x.env.payload, RequestID: x.rec.RequestID, Time: x.rec.Time,
	})
}

func (s *Server) replyEnvelope(x *exchange, payload []byte, e *ErrorReply) {
	body := encodeReply(x.rec.RequestID, payload, e)
	if e != nil {
		x.rec.Code, x.rec.Message = e.Code, e.Message
		s.logf("%s %s: code=%d %s (request %s)", x.r.Method, x.rec.Path, e.Code, e.Message, x.rec.RequestID)
	}
	s.write(x, http.StatusOK, "application/json;charset=utf-8", body)
}

func (s *Server) replyRaw(x *exchange) {
	body := x.fault.Body
	if body == "" {
		text := fmt.Sprintf("%d %s", x.fault.Status, http.StatusText(x.fault.Status))
		body = "<html><head><title>" + text + "</title></head><body><center><h1>" + text + "</h1></center></body></html>\n"
	}
	s.write(x, x.fault.Status, "text/html; charset=utf-8", []byte(body))
}

// write records the exchange, then sends the reply with the gateway's
// headers and the fault's decorations.
func (s *Server) write(x *exchange, status int, contentType string, body []byte) {
	h := x.w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Date", s.date(x.fault))
	if x.fault.RetryAfter != "" {
		h.Set("Retry-After", x.fault.RetryAfter)
	}
	for k, v := range x.fault.Header {
		h[k] = append([]string(nil), v...)
	}
	x.rec.HTTPStatus = status
	s.record(x.rec)
	x.w.WriteHeader(status)
	_, _ = x.w.Write(body)
}

func (s *Server) date(f Fault) string {
	return s.cfg.clock.Now().Add(f.DateSkew).UTC().Format(http.TimeFormat)
}

// dropAfterWork runs the call as usual, since the real gateway may have done
// the work, and loses the reply the fault's way.
func (s *Server) dropAfterWork(x *exchange) {
	payload, e := s.process(x.r.Context(), x)
	if e != nil {
		x.rec.Code, x.rec.Message = e.Code, e.Message
	}
	switch x.fault.Drop {
	case DropAfterBody:
		x.rec.Outcome = "connection closed after the handler ran, without a reply"
		s.record(x.rec)
		hangUp(x.w, false, nil)
	case ResetAfterBody:
		x.rec.Outcome = "connection reset after the handler ran, without a reply"
		s.record(x.rec)
		hangUp(x.w, true, nil)
	default: // TruncateReply
		body := encodeReply(x.rec.RequestID, payload, e)
		head := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=utf-8\r\nDate: %s\r\nContent-Length: %d\r\n\r\n",
			s.date(x.fault), len(body))
		x.rec.HTTPStatus = http.StatusOK
		x.rec.Outcome = "reply truncated after half of its body"
		s.record(x.rec)
		hangUp(x.w, false, append([]byte(head), body[:len(body)/2]...))
	}
}

// hangUp takes the connection from net/http, writes partial (if any) and
// closes it, with a TCP reset when asked. Without hijacking support it
// aborts the response, which net/http turns into a closed connection.
func hangUp(w http.ResponseWriter, reset bool, partial []byte) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if len(partial) > 0 {
		_, _ = conn.Write(partial)
	}
	if reset {
		setLingerZero(conn)
	}
	_ = conn.Close()
}

func setLingerZero(conn net.Conn) {
	if tc, ok := conn.(*tls.Conn); ok {
		conn = tc.NetConn()
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
}
