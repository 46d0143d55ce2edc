package hostile

import (
	"crypto/tls"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// base is what both servers share: a loopback listener, the open
// connections (closed at cleanup so no goroutine outlives the test) and
// the delivery counter.
type base struct {
	Deliveries
	ln    net.Listener
	conns atomic.Int32
	mu    sync.Mutex
	open  map[net.Conn]struct{}
	wg    sync.WaitGroup
	done  chan struct{}
}

func (b *base) start(t testing.TB, useTLS bool, nextProtos []string, serve func(net.Conn)) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if useTLS {
		cert, _ := certOnce()
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: nextProtos})
	}
	b.ln, b.open, b.done = ln, map[net.Conn]struct{}{}, make(chan struct{})
	b.wg.Add(1)
	go b.accept(serve)
	t.Cleanup(b.close)
}

func (b *base) accept(serve func(net.Conn)) {
	defer b.wg.Done()
	for {
		c, err := b.ln.Accept()
		if err != nil {
			return
		}
		b.conns.Add(1)
		b.mu.Lock()
		b.open[c] = struct{}{}
		b.mu.Unlock()
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			defer b.forget(c)
			serve(c)
		}()
	}
}

func (b *base) forget(c net.Conn) {
	_ = c.Close()
	b.mu.Lock()
	delete(b.open, c)
	b.mu.Unlock()
}

// close stops the listener, closes every connection and waits for the
// handlers to return.
func (b *base) close() {
	close(b.done)
	_ = b.ln.Close()
	b.mu.Lock()
	for c := range b.open {
		_ = c.Close()
	}
	b.mu.Unlock()
	b.wg.Wait()
}

// Addr returns the listener's host:port.
func (b *base) Addr() string { return b.ln.Addr().String() }

// Conns returns how many connections the server accepted.
func (b *base) Conns() int { return int(b.conns.Load()) }

// Done is closed when the test's cleanup shuts the server down; handlers
// that hold a connection select on it.
func (b *base) Done() <-chan struct{} { return b.done }

// resetTCP closes c with SO_LINGER 0, so the peer sees a TCP RST.
func resetTCP(c net.Conn) {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}
