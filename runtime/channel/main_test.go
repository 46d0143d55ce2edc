package channel_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/channel/channeltest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	appKey  = "test_appkey"
	token   = "test_accesstoken_SECRET"
	session = "m1234567890session"
)

// fixture is a fake channel endpoint served over real loopback sockets.
type fixture struct {
	h   *channeltest.Handler
	srv *httptest.Server
}

func newFixture(t *testing.T, opts ...channeltest.Option) *fixture {
	t.Helper()
	h := channeltest.NewHandler(appKey, token, opts...)
	srv := httptest.NewServer(h)
	t.Cleanup(func() { h.Close(); srv.Close() })
	return &fixture{h: h, srv: srv}
}

func (f *fixture) config() channel.Config {
	return channel.Config{BaseURL: f.srv.URL, AppKey: appKey, AccessToken: token, SessionID: session}
}

func (f *fixture) dial(t *testing.T, mutate func(*channel.Config)) *channel.Conn {
	t.Helper()
	cfg := f.config()
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := channel.Dial(ctx(t), cfg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	// Dial returns once the 101 arrives, which may be before the handler
	// has registered the connection for Push and Drop.
	if err := f.h.WaitLive(ctx(t), session, 1); err != nil {
		t.Fatal(err)
	}
	return c
}

// ctx bounds a real-network test so that a bug fails it instead of hanging.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// pipeFixture is the same endpoint over net.Pipe, for synctest bubbles.
type pipeFixture struct {
	h *channeltest.Handler
	p *channeltest.PipeNet
}

func newPipeFixture(opts ...channeltest.Option) *pipeFixture {
	h := channeltest.NewHandler(appKey, token, opts...)
	return &pipeFixture{h: h, p: channeltest.NewPipeNet(h)}
}

func (f *pipeFixture) config() channel.Config {
	return channel.Config{BaseURL: channeltest.BaseURL, HTTPClient: f.p.Client(), AppKey: appKey, AccessToken: token, SessionID: session}
}

func (f *pipeFixture) close() { f.h.Close(); f.p.Close() }

// recvStatus reads messages until one with a SpeakStatus arrives.
func recvDownstream(t *testing.T, c *channel.Conn) channel.Downstream {
	t.Helper()
	m, err := c.Recv(ctx(t))
	if err != nil {
		t.Fatalf("Recv: %v", err)
	}
	d, err := m.Downstream()
	if err != nil {
		t.Fatalf("Downstream: %v", err)
	}
	return d
}

// drop cuts the session's one connection, once the server has registered it
// (Dial can return before the handler has).
func drop(t *testing.T, h *channeltest.Handler) {
	t.Helper()
	if err := h.WaitLive(ctx(t), session, 1); err != nil {
		t.Fatal(err)
	}
	if n := h.Drop(session); n != 1 {
		t.Fatalf("dropped %d connections, want 1", n)
	}
}
