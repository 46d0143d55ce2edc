package channel_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/coder/websocket"

	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/channel/channeltest"
)

// hostileGateway is a WebSocket endpoint written from scratch (not
// channeltest's fake): it accepts every handshake, then behaves as serve
// says, and counts the connections it accepted.
type hostileGateway struct {
	serve    func(ctx context.Context, ws *websocket.Conn)
	accepted atomic.Int32
	ctx      context.Context
	stop     context.CancelFunc
	wg       sync.WaitGroup
}

func (g *hostileGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	g.accepted.Add(1)
	g.wg.Add(1)
	defer g.wg.Done()
	defer ws.CloseNow()
	g.serve(g.ctx, ws)
}

// startGateway serves g over an in-memory network, inside the bubble.
func startGateway(t *testing.T, serve func(context.Context, *websocket.Conn)) (*hostileGateway, channel.Config) {
	g := &hostileGateway{serve: serve}
	g.ctx, g.stop = context.WithCancel(context.Background())
	p := channeltest.NewPipeNet(g)
	t.Cleanup(func() { g.stop(); g.wg.Wait(); p.Close() })
	cfg := channel.Config{BaseURL: channeltest.BaseURL, HTTPClient: p.Client(), AppKey: appKey, AccessToken: token,
		SessionID: session, SessionAlive: func(context.Context) (bool, error) { return true, nil }}
	return g, cfg
}

func dropAtOnce(context.Context, *websocket.Conn) {}

// A gateway that accepts and drops at once, with MaxReconnects 3: a
// connection that dies before any frame is a failed attempt, so the
// channel makes 3 attempts with growing backoff and gives up (issue 11,
// item 8: it used to reconnect 13 times in 5 s, forever).
func TestReconnectStormIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, cfg := startGateway(t, dropAtOnce)
		cfg.MaxReconnects = 3
		var delays []int
		cfg.Backoff = func(n int) time.Duration { delays = append(delays, n); return time.Duration(n) * time.Second }
		c, err := channel.Dial(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		time.Sleep(time.Minute)
		_, err = c.Recv(t.Context())
		var re *channel.ReconnectError
		if !errors.As(err, &re) || re.Attempts != 3 {
			t.Fatalf("Recv = %v", err)
		}
		if n := g.accepted.Load(); n != 4 {
			t.Fatalf("gateway accepted %d connections, want 1 + 3 attempts", n)
		}
		if len(delays) != 3 || delays[2] != 3 {
			t.Fatalf("backoff attempts = %v, want growing 1, 2, 3", delays)
		}
	})
}

// Connections that live past the stable bound and carry a frame reset the
// backoff, but no more than MaxReconnectsPerWindow reconnects happen in
// one ReconnectWindow.
func TestReconnectsPerWindowAreCapped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, cfg := startGateway(t, func(ctx context.Context, ws *websocket.Conn) {
			ws.Write(ctx, websocket.MessageText, []byte(`{"Header":{"Code":0},"Payload":{}}`))
			select {
			case <-time.After(channel.StableAfter + time.Second):
			case <-ctx.Done():
			}
		})
		cfg.MaxReconnects = 2
		cfg.Backoff = func(int) time.Duration { return time.Second }
		c, err := channel.Dial(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		go func() {
			for range c.Messages(t.Context()) {
			}
		}()
		time.Sleep(channel.DefaultReconnectWindow)
		synctest.Wait()
		err = c.Send(t.Context(), "SEND_TEXT", channel.NewReqID(), nil)
		if !errors.Is(err, channel.ErrTooManyReconnects) {
			t.Fatalf("Send = %v, want ErrTooManyReconnects", err)
		}
		if n := g.accepted.Load(); n != 1+channel.DefaultMaxReconnectsPerWindow {
			t.Fatalf("gateway accepted %d connections, want %d", n, 1+channel.DefaultMaxReconnectsPerWindow)
		}
	})
}

// A SessionAlive that keeps failing ends the channel after a bound instead
// of redialling for as long as the gateway accepts.
func TestSessionCheckErrorsEndReconnecting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, cfg := startGateway(t, dropAtOnce)
		errDown := errors.New("statsession: 503")
		cfg.SessionAlive = func(context.Context) (bool, error) { return false, errDown }
		cfg.Backoff = func(int) time.Duration { return time.Second }
		c, err := channel.Dial(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		time.Sleep(time.Hour)
		_, err = c.Recv(t.Context())
		if !errors.Is(err, errDown) {
			t.Fatalf("Recv = %v, want the session check's error", err)
		}
		if n := g.accepted.Load(); n != channel.MaxSessionCheckErrors {
			t.Fatalf("gateway accepted %d connections, want %d", n, channel.MaxSessionCheckErrors)
		}
	})
}

// A peer that accepts and then neither sends a frame nor answers a ping is
// treated as dropped: never before PeerTimeout/2 of silence, always within
// 1.5 × PeerTimeout; the session check then decides (here: ended).
func TestSilentPeerIsDetected(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, cfg := startGateway(t, func(ctx context.Context, ws *websocket.Conn) { <-ctx.Done() })
		var checked atomic.Bool
		cfg.SessionAlive = func(context.Context) (bool, error) { checked.Store(true); return false, nil }
		cfg.PeerTimeout = 40 * time.Second
		c, err := channel.Dial(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		time.Sleep(cfg.PeerTimeout/2 - time.Second)
		synctest.Wait()
		if checked.Load() {
			t.Fatal("a peer silent for less than PeerTimeout/2 was dropped")
		}
		time.Sleep(cfg.PeerTimeout + 2*time.Second)
		synctest.Wait()
		_, err = c.Recv(t.Context())
		if !errors.Is(err, channel.ErrSessionEnded) || !errors.Is(err, channel.ErrPeerSilent) {
			t.Fatalf("Recv = %v, want session ended after a silent peer", err)
		}
		if g.accepted.Load() != 1 {
			t.Fatal("redialled an ended session")
		}
	})
}

// A peer that sends no frame but answers pings is alive: no drop, however
// long the quiet lasts.
func TestQuietPeerThatPongsIsKept(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, cfg := startGateway(t, func(ctx context.Context, ws *websocket.Conn) {
			for {
				if _, _, err := ws.Read(ctx); err != nil { // reading answers pings
					return
				}
			}
		})
		cfg.SessionAlive = func(context.Context) (bool, error) { return false, nil }
		cfg.PeerTimeout = 40 * time.Second
		c, err := channel.Dial(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		time.Sleep(10 * cfg.PeerTimeout)
		synctest.Wait()
		if err := c.Send(t.Context(), "SEND_TEXT", channel.NewReqID(), nil); err != nil {
			t.Fatalf("Send after a quiet spell = %v", err)
		}
		if g.accepted.Load() != 1 {
			t.Fatal("a peer that answers pings was dropped")
		}
	})
}
