package runtime

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// failClass says what a failed attempt proves about the server's state,
// which decides whether a create may be retried (RETRY-3).
type failClass int

const (
	failFinal         failClass = iota // never retried
	failNotSent                        // nothing reached the server: retry any call
	failThrottled                      // HTTP 429, nothing processed: retry any call
	failAmbiguous                      // may have been processed: retry idempotent calls only
	failRetryableCode                  // a definite error a retry may fix: idempotent calls only
	failSkew                           // signature rejected under clock skew: one retry, any call
)

var failClassNames = [...]string{"final", "not sent", "throttled", "ambiguous", "retryable code", "clock skew"}

// String names the class for logs.
func (f failClass) String() string { return failClassNames[f] }

// result is the outcome of one attempt.
type result struct {
	payload       json.RawMessage
	err           error
	class         failClass
	timeout       bool
	retryAfter    time.Duration
	hasRetryAfter bool
}

func (r *result) retryable(idempotent bool) bool {
	switch r.class {
	case failNotSent, failThrottled:
		return true
	case failAmbiguous, failRetryableCode:
		return idempotent
	}
	return false
}

// attempt signs and sends one request and classifies the outcome.
func (c *Client) attempt(ctx context.Context, st *callState) result {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	sent := c.clock.Now()
	offset := c.skew.get()
	req, err := c.newRequest(actx, st, sent.Add(offset))
	if err != nil {
		return result{err: err}
	}
	resp, err := c.doer.Do(req)
	if err != nil {
		return c.transportFailure(ctx, actx, st, err)
	}
	recv := c.clock.Now()
	sample, measured := c.skew.observe(resp.Header, sent, recv, c.logger)
	body, err := readBody(resp, c.maxBody)
	if errors.Is(err, ErrResponseTooLarge) {
		return result{err: &ProtocolError{Op: st.op.Name, RequestID: st.requestID, HTTPStatus: resp.StatusCode,
			Reason: "response body over the size cap", Err: err}}
	}
	if err != nil {
		return c.transportFailure(ctx, actx, st, err)
	}
	r := c.classify(st, resp, body)
	if measured && r.class == failFinal && isSignatureRejected(r.err) && absDur(sample-offset) > skewRetryOver {
		r.class = failSkew
	}
	c.logAttempt(st, req, resp.StatusCode, r, recv.Sub(sent))
	return r
}

func isSignatureRejected(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && Code(ae.Code) == CodeSignatureRejected
}

func (c *Client) newRequest(ctx context.Context, st *callState, at time.Time) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, st.op.method(), "", nil)
	if err != nil {
		return nil, errors.New("apaas " + st.op.Name + ": bad method " + st.op.method())
	}
	var q [160]byte
	*req.URL = url.URL{Scheme: c.base.Scheme, Host: c.base.Host, Path: c.base.Path + st.op.Path,
		RawQuery: string(c.appendSignedQuery(q[:0], at))}
	req.Host = c.base.Host
	req.Body = newBody(st.body)
	req.GetBody = st.getBody
	req.ContentLength = int64(len(st.body))
	req.Header["Content-Type"] = c.ctValue
	req.Header["User-Agent"] = c.uaValue
	for k, v := range c.headers {
		req.Header[k] = v
	}
	return req, nil
}

// body is a request body that can be re-read through GetBody.
type body struct{ bytes.Reader }

func newBody(b []byte) *body { r := &body{}; r.Reset(b); return r }

// Close does nothing: the bytes stay valid for the next attempt.
func (*body) Close() error { return nil }

// transportFailure wraps a send or read error with every URL stripped of
// its query and classifies it.
func (c *Client) transportFailure(ctx, actx context.Context, st *callState, err error) result {
	c.logTransport(st, err)
	var ue *url.Error
	if errors.As(err, &ue) {
		cp := *ue
		cp.URL = stripURL(ue.URL)
		err = &cp
	}
	r := result{err: &TransportError{Op: st.op.Name, RequestID: st.requestID, Err: err}, class: transportClass(err)}
	if ctx.Err() == nil && actx.Err() != nil {
		r.timeout = true
	}
	return r
}

// transportClass sorts transport errors: failures before the request was
// written are safe to retry, certificate and NXDOMAIN errors are final,
// everything else is ambiguous.
func transportClass(err error) failClass {
	var (
		dns  *net.DNSError
		op   *net.OpError
		unk  x509.UnknownAuthorityError
		host x509.HostnameError
		inv  x509.CertificateInvalidError
		ver  *tls.CertificateVerificationError
		rec  tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &unk), errors.As(err, &host), errors.As(err, &inv), errors.As(err, &ver), errors.As(err, &rec):
		return failFinal
	case errors.As(err, &dns):
		if dns.IsNotFound {
			return failFinal
		}
		return failNotSent
	case errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect"):
		return failNotSent
	case strings.Contains(err.Error(), "TLS handshake timeout"):
		return failNotSent
	}
	return failAmbiguous
}

// classify turns a complete response into a result.
func (c *Client) classify(st *callState, resp *http.Response, body []byte) result {
	h, payload, derr := decodeEnvelope(body)
	status := resp.StatusCode
	ok2xx := status >= 200 && status < 300
	r := result{}
	if v := resp.Header.Get("Retry-After"); v != "" {
		r.retryAfter, r.hasRetryAfter = parseRetryAfter(v, c.clock.Now())
	}
	switch {
	case derr == nil && h.Code.v != 0:
		r.class, r.err = c.apiError(st, h, body, status, r.retryAfter)
	case derr == nil && ok2xx:
		r.payload = payload
		c.checkRequestID(st, h.RequestID)
		if st.cc.header != nil {
			*st.cc.header = ResponseHeader{Code: 0, Message: h.Message, RequestID: h.RequestID, Extra: headerExtra(body)}
		}
	case !ok2xx:
		r.err = &HTTPError{Op: st.op.Name, StatusCode: status, RequestID: st.requestID,
			Snippet: c.hideToken(snippet(body)), retryAfter: r.retryAfter}
		r.class = statusClass(status)
	default:
		r.err = &ProtocolError{Op: st.op.Name, RequestID: st.requestID, HTTPStatus: status, Reason: "response is not an aPaaS envelope", Err: derr}
	}
	if status == http.StatusTooManyRequests {
		r.class = failThrottled
	}
	return r
}

func statusClass(status int) failClass {
	switch {
	case status == http.StatusTooManyRequests:
		return failThrottled
	case retryableStatus(status):
		return failAmbiguous
	}
	return failFinal
}

func (c *Client) apiError(st *callState, h wireHeader, body []byte, status int, ra time.Duration) (failClass, error) {
	rid := h.RequestID
	if rid == "" {
		rid = st.requestID
	} else {
		c.checkRequestID(st, rid)
	}
	cat := c.codes.category(h.Code.v)
	e := &APIError{Op: st.op.Name, Code: h.Code.v, Message: c.hideToken(h.Message), RequestID: rid, HTTPStatus: status,
		Category: cat, Extra: headerExtra(body), retryAfter: ra}
	if retryableCategory(cat) {
		return failRetryableCode, e
	}
	return failFinal, e
}

// hideToken replaces the access token in server-provided text, in case a
// gateway or proxy ever echoes it back.
func (c *Client) hideToken(s string) string {
	if tok := c.token.Reveal(); len(tok) >= 4 {
		return strings.ReplaceAll(s, tok, redacted)
	}
	return s
}
