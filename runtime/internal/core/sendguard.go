package core

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http/httptrace"
	"sync"

	"golang.org/x/net/http2"
)

// Per-attempt limits on what the transport may do on its own.
const (
	maxRewinds = 1 // transport replays of an idempotent body per attempt
	maxDials   = 3 // redials (connections beyond the first) per attempt
)

// errRedialLimit ends an attempt whose transport kept redialling.
var errRedialLimit = errors.New("transport dialled too many times in one attempt")

// errRewindLimit refuses a replay of an idempotent body past maxRewinds.
var errRewindLimit = errors.New("transport replayed the request body too often in one attempt")

// rewindRefusedError is what a create's GetBody returns: the transport
// wanted to send the body again, which only the runtime may decide.
type rewindRefusedError struct {
	untouched bool // the transport had not read a byte of the body
}

func (e *rewindRefusedError) Error() string {
	return "transport asked to replay a non-idempotent request; refused"
}

// sendGuard is one attempt's watch over the transport, in one allocation:
// it hands out the body and decides whether the transport may rewind it
// (RETRY-7: creates never, idempotent calls at most maxRewinds times), and
// it records through httptrace what the transport did.
type sendGuard struct {
	mu       sync.Mutex
	b        []byte
	cur      *bytes.Reader
	replay   bool
	rewinds  int
	conns    int  // connections asked for (GetConn): the transport runs the hooks
	wrote    bool // request headers were written to some connection
	response bool // response headers started to arrive
	overDial bool // the attempt was cancelled for asking too many connections
	cancel   context.CancelFunc
	trace    httptrace.ClientTrace
}

// with returns ctx carrying the guard's hooks; cancel ends the attempt.
func (g *sendGuard) with(ctx context.Context, cancel context.CancelFunc) context.Context {
	g.cancel = cancel
	g.trace = httptrace.ClientTrace{GetConn: g.getConn, WroteHeaders: g.wroteHeaders, GotFirstResponseByte: g.gotResponse}
	return httptrace.WithClientTrace(ctx, &g.trace)
}

// body returns a fresh reader over the bytes. It stays an io.NopCloser
// over a *bytes.Reader: net/http recognises that pair and writes headers
// and a small body in one syscall.
func (g *sendGuard) body() io.ReadCloser {
	g.cur = bytes.NewReader(g.b)
	return io.NopCloser(g.cur)
}

// getBody is the request's GetBody. The transport calls it only once it
// is done with the previous body, so reading cur's length is not a race.
func (g *sendGuard) getBody() (io.ReadCloser, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.response:
		// http.Client wants a body for a 307/308 before CheckRedirect
		// refuses to follow it: nothing is sent.
		return g.body(), nil
	case !g.replay:
		return nil, &rewindRefusedError{untouched: g.cur.Len() == len(g.b)}
	case g.rewinds >= maxRewinds:
		return nil, errRewindLimit
	}
	g.rewinds++
	return g.body(), nil
}

// getConn counts connections; past maxDials+1 the transport is looping
// (redialling for replays) and the attempt ends.
func (g *sendGuard) getConn(string) {
	g.mu.Lock()
	g.conns++
	over := g.conns > maxDials+1
	g.overDial = g.overDial || over
	g.mu.Unlock()
	if over {
		g.cancel()
	}
}

func (g *sendGuard) wroteHeaders() {
	g.mu.Lock()
	g.wrote = true
	g.mu.Unlock()
}

func (g *sendGuard) gotResponse() {
	g.mu.Lock()
	g.response = true
	g.mu.Unlock()
}

// redialled reports whether the attempt was ended for redialling.
func (g *sendGuard) redialled() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.overDial
}

// nothingWritten reports a transport that ran the hooks and never wrote
// request headers: the server cannot have seen the request.
func (g *sendGuard) nothingWritten() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.conns > 0 && !g.wrote
}

// transportClass sorts transport errors by type, never by text (RETRY-2,
// RETRY-3): certificate, TLS record and NXDOMAIN errors are final; errors
// that prove nothing reached the server (or nothing was processed) are
// "not sent"; everything else is ambiguous. trusted says the transport is
// the runtime's own, whose refused rewinds happen only on such proof.
func transportClass(err error, g *sendGuard, trusted bool) failClass {
	switch {
	case finalTransport(err):
		return failFinal
	case provenUnprocessed(err, trusted):
		return failNotSent
	case g != nil && g.nothingWritten():
		return failNotSent
	}
	return failAmbiguous
}

func finalTransport(err error) bool {
	var (
		dns  *net.DNSError
		unk  x509.UnknownAuthorityError
		host x509.HostnameError
		inv  x509.CertificateInvalidError
		ver  *tls.CertificateVerificationError
		rec  tls.RecordHeaderError
	)
	return errors.As(err, &unk) || errors.As(err, &host) || errors.As(err, &inv) || errors.As(err, &ver) ||
		errors.As(err, &rec) || errors.As(err, &dns) && dns.IsNotFound
}

// provenUnprocessed: a dial or proxy connect that failed, a DNS failure,
// HTTP/2 REFUSED_STREAM (RFC 9113 §8.7), or a refused rewind that the
// trusted transport (or an unread body) makes safe.
func provenUnprocessed(err error, trusted bool) bool {
	var (
		dns *net.DNSError
		op  *net.OpError
		se  http2.StreamError
		rr  *rewindRefusedError
	)
	switch {
	case errors.As(err, &dns):
		return true
	case errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect"):
		return true
	case errors.As(err, &se):
		return se.Code == http2.ErrCodeRefusedStream
	case errors.As(err, &rr):
		return trusted || rr.untouched
	}
	return false
}
