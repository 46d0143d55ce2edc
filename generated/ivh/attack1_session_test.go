package ivh_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

// hostileSessions answers the session calls; create, stat, start and close
// override the default answers when set.
type hostileSessions struct {
	create, stat, start, close func(n int) (int, string)
}

func (g hostileSessions) answer(op string, n int, _ string) (int, string) {
	pick := map[string]func(int) (int, string){"createsession": g.create, "statsession": g.stat,
		"startsession": g.start, "closesession": g.close}[op]
	if pick != nil {
		return pick(n)
	}
	switch op {
	case "createsession":
		return 200, okEnv(`{"SessionId":"s1","SessionStatus":3}`)
	case "statsession":
		return 200, okEnv(`{"SessionStatus":1,"ErrorCode":0,"ReqId":"x"}`)
	}
	return 200, okEnv(`{}`)
}

func runHostileSession(t *testing.T, ctx context.Context, g hostileSessions) (*hostile, error) {
	t.Helper()
	c, h := newHostile(t, g.answer, ivh.WithoutValidation())
	err := c.Session.RunSession(ctx, &ivh.CreateSessionRequest{}, func(context.Context, *ivh.CommandChannelSession) error {
		return nil
	}, ivh.WithSessionWait(ivh.WithPollInterval(time.Millisecond)), ivh.WithCloseTimeout(time.Second))
	return h, err
}

func TestAttackRunSessionClosesKnownSession(t *testing.T) {
	always := func(s int, env string) func(int) (int, string) { return func(int) (int, string) { return s, env } }
	for name, g := range map[string]hostileSessions{
		"create drift":       {create: always(200, okEnv(`{"SessionId":"s1","SessionStatus":"3","ReqId":5}`))},
		"create id only":     {create: always(200, okEnv(`{"SessionId":"s1","SessionStatus":{"x":1}}`))},
		"create numeric id":  {create: always(200, okEnv(`{"SessionId":17,"SessionStatus":[1]}`))},
		"stat fails":         {stat: always(200, okEnv(`{"SessionStatus":4,"ErrorCode":"801004"}`))},
		"stat protocol":      {stat: always(200, okEnv(`[]`))},
		"start 400":          {start: always(400, `nope`)},
		"start api error":    {start: always(200, failEnv(110001))},
		"channel fails":      {},
		"close 503 then ok":  {close: func(n int) (int, string) { return map[bool]int{true: 503, false: 200}[n == 1], okEnv(`{}`) }},
		"close already gone": {close: always(200, failEnv(110013))},
	} {
		t.Run(name, func(t *testing.T) {
			h, err := runHostileSession(t, context.Background(), g)
			closes := h.count("closesession")
			t.Logf("err=%v closes=%d", err, closes)
			if closes == 0 {
				t.Fatalf("session s1 was never closed")
			}
			var ce *ivh.SessionCloseError
			if name == "close 503 then ok" && (closes != 2 || errors.As(err, &ce)) {
				t.Fatalf("a 503 close is retried once and then succeeds: %d closes, %v", closes, err)
			}
		})
	}
}

func TestAttackRunSessionCancelledCtxCloses(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	h, err := runHostileSession(t, ctx, hostileSessions{stat: func(int) (int, string) {
		cancel()
		return 200, okEnv(`{"SessionStatus":3}`)
	}})
	if h.count("closesession") != 1 || !errors.Is(err, context.Canceled) {
		t.Fatalf("closes=%d err=%v", h.count("closesession"), err)
	}
}

func TestAttackCloseSessionBoundedRetries(t *testing.T) {
	h, err := runHostileSession(t, context.Background(), hostileSessions{close: func(int) (int, string) { return 503, "busy" }})
	var ce *ivh.SessionCloseError
	if !errors.As(err, &ce) || h.count("closesession") > 5 {
		t.Fatalf("closes=%d err=%v", h.count("closesession"), err)
	}
	t.Logf("closes=%d", h.count("closesession"))
}
