package core

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// attempt signs and sends one request and classifies the outcome.
func (c *Client) attempt(ctx context.Context, st *callState) result {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	g := &sendGuard{b: st.body, replay: st.op.Idempotent}
	sent := c.clock.Now()
	offset := c.skew.get()
	req, err := c.newRequest(g.with(actx, cancel), st, sent.Add(offset), g)
	if err != nil {
		return result{err: err}
	}
	st.query = req.URL.RawQuery
	c.noteSignature(st, st.query)
	resp, err := c.doer().Do(req)
	if err != nil {
		st.noteResponse(0, c.clock.Now().Sub(sent), offset, nil)
		return c.transportFailure(ctx, actx, st, err, g)
	}
	recv := c.clock.Now()
	st.noteResponse(resp.StatusCode, recv.Sub(sent), offset, nil)
	if resp.StatusCode < 200 {
		return c.informational(st, resp)
	}
	body, err := c.readBounded(actx, resp)
	if errors.Is(err, ErrResponseTooLarge) {
		return result{err: &ProtocolError{Op: st.op.Name, pkg: st.op.Package, RequestID: st.requestID, HTTPStatus: resp.StatusCode,
			Reason: "response body over the size cap", Err: err}}
	}
	if err != nil {
		return c.transportFailure(ctx, actx, st, err, nil)
	}
	body = st.secrets(c).Bytes(body)
	st.noteResponse(resp.StatusCode, recv.Sub(sent), offset, body)
	c.keepRaw(st, resp, body)
	r := c.classify(st, resp, body)
	if c.skew.settle(offset, resp.Header, sent, recv, r.err, c.logger) && r.class == failFinal {
		r.class = failSkew
	}
	return r
}

// readBounded reads the body with the attempt's context closing it when
// done: a caller's Doer may not watch the context once it has handed over
// a body. net/http's transport does (101 never gets here).
func (c *Client) readBounded(actx context.Context, resp *http.Response) ([]byte, error) {
	if c.transport.ctxBodies {
		return readBody(resp, c.maxBody)
	}
	stop := context.AfterFunc(actx, func() { _ = resp.Body.Close() })
	defer stop()
	return readBody(resp, c.maxBody)
}

// informational ends an attempt answered with a 1xx status that net/http
// returned as final (101 Switching Protocols): nothing this client can use,
// and the server may have acted on the request.
func (c *Client) informational(st *callState, resp *http.Response) result {
	_ = resp.Body.Close()
	return result{class: failAmbiguous, err: &ProtocolError{Op: st.op.Name, pkg: st.op.Package, RequestID: st.requestID,
		HTTPStatus: resp.StatusCode, Reason: "informational status " + strconv.Itoa(resp.StatusCode) + " as the final answer"}}
}

// newRequest builds one attempt's request, signed at time at.
func (c *Client) newRequest(ctx context.Context, st *callState, at time.Time, g *sendGuard) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, st.op.method(), "", nil)
	if err != nil {
		return nil, errors.New(prefix(st.op.Package) + " " + st.op.Name + ": bad method " + st.op.method())
	}
	var q [160]byte
	*req.URL = url.URL{Scheme: c.base.Scheme, Host: c.base.Host, Path: c.base.Path + st.op.Path,
		RawQuery: string(c.appendSignedQuery(q[:0], at))}
	req.Host = c.base.Host
	req.Body = g.body()
	req.GetBody = g.getBody
	req.ContentLength = int64(len(st.body))
	req.Header["Content-Type"] = c.ctValue
	req.Header["User-Agent"] = c.uaValue
	for k, v := range c.headers() {
		req.Header[k] = v
	}
	return req, nil
}

// transportFailure wraps a send or read error with every URL stripped of
// its query and classifies it.
func (c *Client) transportFailure(ctx, actx context.Context, st *callState, err error, g *sendGuard) result {
	var ue *url.Error
	if errors.As(err, &ue) {
		cp := *ue
		cp.URL = stripURL(ue.URL)
		err = &cp
	}
	if g != nil && g.redialled() {
		err = errors.Join(errRedialLimit, err)
	}
	err = c.redactErr(st, err)
	r := result{err: &TransportError{Op: st.op.Name, pkg: st.op.Package, RequestID: st.requestID, Err: err}, class: transportClass(err, g, c.transport.trusted)}
	if ctx.Err() == nil && actx.Err() != nil {
		r.timeout = true
	}
	return r
}
