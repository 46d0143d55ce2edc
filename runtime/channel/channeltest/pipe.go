package channeltest

import (
	"context"
	"net"
	"net/http"
	"sync"
)

// PipeNet serves an http.Handler over in-memory net.Pipe connections. Tests
// that run in a testing/synctest bubble need it: goroutines blocked on real
// sockets never count as idle there, so the fake clock would not advance.
// Create it inside the bubble, point the client at BaseURL with Client, and
// Close it before the bubble ends.
type PipeNet struct {
	srv  *http.Server
	ln   *pipeListener
	tr   *http.Transport
	done chan struct{}
}

// BaseURL is the base URL to give a client of a PipeNet; the host is never
// resolved.
const BaseURL = "http://pipe.invalid"

// NewPipeNet starts serving h.
func NewPipeNet(h http.Handler) *PipeNet {
	ln := &pipeListener{conns: make(chan net.Conn), closed: make(chan struct{})}
	p := &PipeNet{srv: &http.Server{Handler: h}, ln: ln, done: make(chan struct{})}
	p.tr = &http.Transport{DialContext: ln.dial}
	go func() {
		defer close(p.done)
		p.srv.Serve(ln)
	}()
	return p
}

// Client returns an HTTP client whose connections reach the handler.
func (p *PipeNet) Client() *http.Client { return &http.Client{Transport: p.tr} }

// Close stops the server; connections already upgraded to WebSockets are
// the handler's to close (Handler.Close).
func (p *PipeNet) Close() {
	p.srv.Close()
	<-p.done
	p.tr.CloseIdleConnections()
}

type pipeListener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }
