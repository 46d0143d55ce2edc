package core

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

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
	st.query = req.URL.RawQuery
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

// newRequest builds one attempt's request, signed at time at.
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

// newBody returns a fresh reader over the request bytes, which every
// attempt and GetBody replay unchanged. It must stay an io.NopCloser over a
// *bytes.Reader: net/http recognises that pair and writes headers and a small
// body in one syscall, while any other type costs a separate write.
func newBody(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }

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

// hideSecrets replaces the access token and the attempt's signature (as
// sent, and decoded) in server-provided text, in case a gateway or proxy
// ever echoes them back.
func (c *Client) hideSecrets(st *callState, s string) string {
	if tok := c.token.Reveal(); len(tok) >= 4 {
		s = strings.ReplaceAll(s, tok, redacted)
	}
	sent := signatureOf(st.query)
	if sent == "" {
		return s
	}
	s = strings.ReplaceAll(s, sent, redacted)
	if plain, err := url.QueryUnescape(sent); err == nil && plain != "" {
		s = strings.ReplaceAll(s, plain, redacted)
	}
	return s
}

// signatureOf returns the signature parameter of a raw query, still
// escaped, or "".
func signatureOf(rawQuery string) string {
	for rawQuery != "" {
		var kv string
		kv, rawQuery, _ = strings.Cut(rawQuery, "&")
		if v, ok := strings.CutPrefix(kv, "signature="); ok {
			return v
		}
	}
	return ""
}
