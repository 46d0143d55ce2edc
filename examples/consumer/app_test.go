package consumer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"example.com/consumer"
	"example.com/consumer/apaas"
	"example.com/consumer/apaas/apaastest"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

type noSleep struct{}

func (noSleep) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// newGateway is the fake gateway with a greeter: the default Greet only
// echoes the name, and Welcome needs a text to render.
func newGateway(t *testing.T) *apaastest.Server {
	srv := apaastest.New(t)
	srv.HandleGreet(func(_ context.Context, req *apaas.GreetRequest) (*apaas.GreetResponse, error) {
		return &apaas.GreetResponse{VisitorName: req.VisitorName, Text: "Hello, " + req.VisitorName + "!"}, nil
	})
	return srv
}

func TestWelcome(t *testing.T) {
	srv := newGateway(t)
	if _, err := consumer.Welcome(t.Context(), srv.Client(), "Ada", apaas.WithWaitSleeper(noSleep{})); err != nil {
		t.Fatal(err)
	}
	tasks := srv.Tasks("GetProgress").Tasks()
	if len(tasks) != 1 || tasks[0].Input.(*apaas.VideoMakeRequest).InputSSML != "Hello, Ada!" {
		t.Fatalf("tasks %+v: want one video of the greeting", tasks)
	}
	if n := len(srv.RequestsTo("/v2/ivh/videomaker/broadcastservice/getprogress")); n != 3 {
		t.Errorf("%d polls, want 3 (COMMIT, MAKING, SUCCESS)", n)
	}
}

func TestWelcomeReportsFailures(t *testing.T) {
	srv := newGateway(t)
	srv.Inject("/v2/example/greeting/greet", fakegw.CodeFault(100001, "no visitors today"))
	_, err := consumer.Welcome(t.Context(), srv.Client(), "Ada")
	var apiErr *apaas.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 100001 {
		t.Fatalf("err %v, want the gateway's code 100001", err)
	}

	srv.FailNextVideoMake(801004, "crashed")
	_, err = consumer.Welcome(t.Context(), srv.Client(), "Ada", apaas.WithWaitSleeper(noSleep{}))
	if !errors.Is(err, apaas.FailCode(801004)) {
		t.Fatalf("err %v, want the task's fail code", err)
	}
}
