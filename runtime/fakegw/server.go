package fakegw

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
)

// TB is the part of testing.TB the server uses: a *testing.T or *testing.B
// can be passed directly. It is an interface of its own so that programs
// (such as a command-line demo) can run the gateway without linking the
// testing package.
type TB interface {
	Helper()
	Cleanup(func())
	Logf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Server is an in-process aPaaS gateway. All methods are safe for
// concurrent use.
type Server struct {
	cfg  config
	ln   net.Listener // from WithAddr, or nil
	tb   TB
	ts   *httptest.Server
	mux  *http.ServeMux
	done chan struct{}
	once sync.Once

	conns atomic.Int64

	mu       sync.Mutex
	handlers map[string]Handler
	faults   map[string][]Fault // key "" holds the global queue
	records  []Recorded
	seq      int
}

// New starts a gateway. When tb is not nil, an invalid option fails the
// test, the server is closed by tb.Cleanup, and rejected requests are logged
// with tb.Logf. With a nil tb an invalid option panics; use Start to get an
// error instead.
func New(tb TB, opts ...Option) *Server {
	if tb != nil {
		tb.Helper()
	}
	s, err := newServer(tb, opts)
	if err != nil {
		if tb != nil {
			tb.Fatalf("fakegw: %v", err)
			return nil
		}
		panic("fakegw: " + err.Error())
	}
	s.start()
	if tb != nil {
		tb.Cleanup(s.Close)
	}
	return s
}

// Start starts a gateway for use outside tests. The caller must Close it.
func Start(opts ...Option) (*Server, error) {
	s, err := newServer(nil, opts)
	if err != nil {
		return nil, fmt.Errorf("fakegw: %w", err)
	}
	s.start()
	return s, nil
}

func newServer(tb TB, opts []Option) (*Server, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	var ln net.Listener
	if cfg.addr != "" {
		var err error
		if ln, err = net.Listen("tcp", cfg.addr); err != nil {
			return nil, fmt.Errorf("WithAddr: %w", err)
		}
	}
	s := &Server{
		ln:       ln,
		cfg:      cfg,
		tb:       tb,
		mux:      http.NewServeMux(),
		done:     make(chan struct{}),
		handlers: map[string]Handler{},
		faults:   map[string][]Fault{},
	}
	return s, nil
}

func (s *Server) start() {
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.route))
	if s.ln != nil {
		s.ts.Listener.Close()
		s.ts.Listener = s.ln
	}
	s.ts.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	if s.cfg.tls {
		s.ts.StartTLS()
	} else {
		s.ts.Start()
	}
}

// URL returns the base URL, e.g. "http://127.0.0.1:41234", to give a client
// as its endpoint.
func (s *Server) URL() string { return s.ts.URL }

// HTTPClient returns an HTTP client configured for the server (it trusts
// the certificate under WithTLS). It is closed with the server.
func (s *Server) HTTPClient() *http.Client { return s.ts.Client() }

// AppKey returns the appkey the gateway accepts.
func (s *Server) AppKey() string { return s.cfg.appKey }

// AccessToken returns the access token signatures are verified with.
func (s *Server) AccessToken() string { return s.cfg.token }

// Clock returns the gateway clock.
func (s *Server) Clock() Clock { return s.cfg.clock }

// NewConnections returns how many TCP connections clients have opened.
func (s *Server) NewConnections() int { return int(s.conns.Load()) }

// Close releases requests held by Delay or Hold faults, shuts the server
// down and waits for running handlers. It may be called more than once.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.done)
		s.ts.Close()
	})
}

func (s *Server) misuse(format string, args ...any) {
	if s.tb != nil {
		s.tb.Helper()
		s.tb.Fatalf("fakegw: "+format, args...)
		return
	}
	panic(fmt.Sprintf("fakegw: "+format, args...))
}

func (s *Server) logf(format string, args ...any) {
	if s.tb != nil {
		s.tb.Logf("fakegw: "+format, args...)
	}
}
