package ivh_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

const sessionPath = "/v2/ivh/sessionmanager/sessionmanagerservice/"

// sessionGateway is a fake gateway that simulates the session APIs with a
// SessionStore and serves the command channel for its sessions.
type sessionGateway struct {
	*fakegw.Server
	store *fakegw.SessionStore
	ch    *fakegw.Channel
}

// newSessionGateway starts the gateway (sessions stay preparing for
// preparePolls stat calls) and a client for it with fast polls and
// reconnects.
func newSessionGateway(t *testing.T, preparePolls int) (*sessionGateway, *ivh.Client) {
	t.Helper()
	g := &sessionGateway{Server: fakegw.New(t), store: fakegw.NewSessionStore("", preparePolls)}
	g.ch = g.ServeChannel("", g.store)
	create := func(in any) (*ivh.CreateSessionResponse, error) {
		s := g.store.Create(in)
		return &ivh.CreateSessionResponse{SessionID: s.ID, SessionStatus: ivh.SessionStatus(s.Status), PlayStreamAddr: s.PlayStreamAddr}, nil
	}
	fakegw.HandleFunc(g.Server, sessionPath+"createsession", func(_ context.Context, in *ivh.CreateSessionRequest) (*ivh.CreateSessionResponse, error) {
		return create(in)
	})
	fakegw.HandleFunc(g.Server, sessionPath+"createsessionbyasset", func(_ context.Context, in *ivh.CreateSessionByAssetRequest) (*ivh.CreateSessionResponse, error) {
		return create(in)
	})
	fakegw.HandleFunc(g.Server, sessionPath+"statsession", func(_ context.Context, in *ivh.StatSessionRequest) (*ivh.StatSessionResponse, error) {
		s, err := g.store.Stat(in.SessionID)
		if err != nil {
			return nil, err
		}
		return &ivh.StatSessionResponse{ReqID: in.ReqID, SessionStatus: ivh.SessionStatus(s.Status), PlayStreamAddr: s.PlayStreamAddr,
			IsSessionStarted: s.Started, ErrorCode: ivh.FailCode(s.ErrorCode), ErrorMessage: s.ErrorMessage}, nil
	})
	fakegw.HandleFunc(g.Server, sessionPath+"startsession", func(_ context.Context, in *ivh.StartSessionRequest) (*ivh.StartSessionResponse, error) {
		_, err := g.store.Start(in.SessionID)
		return &ivh.StartSessionResponse{ReqID: in.ReqID}, err
	})
	fakegw.HandleFunc(g.Server, sessionPath+"closesession", func(_ context.Context, in *ivh.CloseSessionRequest) (*ivh.CloseSessionResponse, error) {
		_, err := g.store.Close(in.SessionID)
		return &ivh.CloseSessionResponse{ReqID: in.ReqID}, err
	})
	c, err := ivh.NewClient(g.AppKey(), g.AccessToken(), ivh.WithBaseURL(g.URL()))
	if err != nil {
		t.Fatal(err)
	}
	return g, c
}

// fastSession makes waits and reconnects quick, for real-time tests.
func fastSession() []ivh.SessionOption {
	return []ivh.SessionOption{
		ivh.WithSessionWait(ivh.WithPollInterval(time.Millisecond), ivh.WithMaxPollInterval(2*time.Millisecond)),
		ivh.WithChannelOptions(fastReconnect()),
	}
}

func fastReconnect() ivh.ChannelOption {
	return ivh.WithReconnect(5, func(int) time.Duration { return time.Millisecond })
}

// startedSession creates and starts a session directly in the store.
func (g *sessionGateway) startedSession(t *testing.T) string {
	t.Helper()
	s := g.store.Create("test")
	g.store.Stat(s.ID)
	if _, err := g.store.Start(s.ID); err != nil {
		t.Fatal(err)
	}
	return s.ID
}

// paths lists the session API calls the gateway served, by last segment.
func (g *sessionGateway) paths() []string {
	var out []string
	for _, r := range g.Requests() {
		out = append(out, r.Path[len(sessionPath):])
	}
	return out
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func itoa(n int) string { return strconv.Itoa(n) }

func strconvBool(b bool) string { return strconv.FormatBool(b) }
