package fakegw

import (
	"context"
	"fmt"
	"iter"
	"strconv"

	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// Fake is the base of a generated typed fake (package <pkg>test): the
// gateway, the test it serves and the task stores of its create-then-poll
// flows and the item stores of its list APIs. Generated code adds only what
// varies per descriptor: typed handler setters, the flows' task scripts,
// the lists' page fields and the session fields.
type Fake struct {
	*Server
	tb    TB
	tasks map[string]*TaskStore
	items map[string]*ItemStore // by list API
}

// NewFake starts a gateway for a generated fake; see New.
func NewFake(tb TB, opts ...Option) *Fake {
	if tb != nil {
		tb.Helper()
	}
	return &Fake{Server: New(tb, opts...), tb: tb, tasks: map[string]*TaskStore{}}
}

// StartFake starts a gateway for a generated fake outside tests and hands
// it to serve, which registers the fake's defaults; see Start.
func StartFake[S any](serve func(*Fake) S, opts ...Option) (S, error) {
	gw, err := Start(opts...)
	if err != nil {
		var zero S
		return zero, err
	}
	return serve(&Fake{Server: gw, tasks: map[string]*TaskStore{}}), nil
}

// Tasks returns the simulated tasks polled by the API named poll (its Go
// method name), or nil when no flow polls it.
func (f *Fake) Tasks(poll string) *TaskStore { return f.tasks[poll] }

// AddTasks makes the task store of the flows that poll the API named poll,
// and returns it. Its ids start with prefix; its tasks follow steps.
func (f *Fake) AddTasks(poll, prefix string, steps ...TaskStep) *TaskStore {
	ts := NewTaskStore(prefix, steps...)
	f.tasks[poll] = ts
	return ts
}

// Client calls newClient (a generated NewClient) with the gateway's
// credentials, URL and HTTP client, then opts. An invalid option fails the
// test (or panics when the fake was started without one).
func Client[C any](f *Fake, newClient func(appKey, token string, opts ...ivhrt.Option) (C, error), opts ...ivhrt.Option) C {
	base := []ivhrt.Option{ivhrt.WithBaseURL(f.URL()), ivhrt.WithHTTPClient(f.HTTPClient())}
	c, err := newClient(f.AppKey(), f.AccessToken(), append(base, opts...)...)
	if err != nil && f.tb != nil {
		f.tb.Helper()
		f.tb.Fatalf("fakegw: %v", err)
	} else if err != nil {
		panic("fakegw: " + err.Error())
	}
	return c
}

// EchoHandler is the default of an API no flow involves: it answers with
// the request fields the response shares (see Echo).
func EchoHandler[Req, Resp any](_ context.Context, req *Req) (*Resp, error) {
	resp := new(Resp)
	Echo(req, resp)
	return resp, nil
}

// CreateHandler is the default of an API that starts a task: it echoes
// the request, creates a task in ts and hands its id to setID.
func CreateHandler[Req, Resp any](ts *TaskStore, setID func(resp *Resp, id string)) func(context.Context, *Req) (*Resp, error) {
	return func(_ context.Context, req *Req) (*Resp, error) {
		task, err := ts.Start(req) // refuses a submission over a simulated quota
		if err != nil {
			return nil, err
		}
		resp := new(Resp)
		Echo(req, resp)
		setID(resp, task.ID)
		return resp, nil
	}
}

// PollHandler is the default of a poll API: it advances the task whose id
// id reads from the request by one step, echoes the request and the step
// (so a Progress field gets its percentage) and hands the task to set,
// which fills the status and failure fields.
func PollHandler[Req, Resp any](ts *TaskStore, id func(*Req) string, set func(*Resp, Task)) func(context.Context, *Req) (*Resp, error) {
	return func(_ context.Context, req *Req) (*Resp, error) {
		task, err := ts.Poll(id(req))
		if err != nil {
			return nil, err
		}
		resp := new(Resp)
		Echo(req, resp)
		Echo(&task.TaskStep, resp)
		set(resp, task)
		return resp, nil
	}
}

// SessionHandler answers a session API from a SessionStore: step runs the
// store operation for the request, then the response gets the request
// fields it shares, the session's own (PlayStreamAddr, by Go name, as Echo
// does) and what fill sets from the descriptor (id, status, failure). fill
// may be nil. A store error is the reply.
func SessionHandler[Req, Resp any](step func(*Req) (Session, error), fill func(*Resp, Session)) func(context.Context, *Req) (*Resp, error) {
	return func(_ context.Context, req *Req) (*Resp, error) {
		sess, err := step(req)
		if err != nil {
			return nil, err
		}
		resp := new(Resp)
		Echo(req, resp)
		Echo(&sess, resp)
		if fill != nil {
			fill(resp, sess)
		}
		return resp, nil
	}
}

// Number reads a numeric id or status kept as text in a TaskStore; text
// that is no number gives 0.
func Number[T ~int | ~int64 | ~float64](text string) T {
	n, _ := strconv.ParseInt(text, 0, 64)
	return T(n)
}

// NewRequest returns a new, empty *T as any: the NewRequest of a
// generated Operation.
func NewRequest[T any]() any { return new(T) }

// Call checks that req is a non-nil *Req, calls f and drops the typed nil
// of a failure, so a caller can test the result against nil. Generated
// Operation tables call it.
func Call[Req, Resp any](ctx context.Context, req any, f func(context.Context, *Req, ...ivhrt.CallOption) (*Resp, error), opts []ivhrt.CallOption) (any, error) {
	in, err := arg[Req](req)
	if err != nil {
		return nil, err
	}
	return result(f(ctx, in, opts...))
}

// Wait is Call for a waiter, given the request and response of the call
// that started the work.
func Wait[Req, Started, Poll any](ctx context.Context, req, started any, f func(context.Context, *Req, *Started, ...ivhrt.WaitOption) (*Poll, error), opts []ivhrt.WaitOption) (any, error) {
	in, err := arg[Req](req)
	if err != nil {
		return nil, err
	}
	st, err := arg[Started](started)
	if err != nil {
		return nil, err
	}
	return result(f(ctx, in, st, opts...))
}

// Handle is the Handle of a generated Operation: it checks that started is
// the non-nil response of the create and makes its handle with f.
func Handle[Started any](started any, requestID string, f func(*Started, string) ivhrt.TaskHandle) (ivhrt.TaskHandle, error) {
	st, err := arg[Started](started)
	if err != nil {
		return ivhrt.TaskHandle{}, err
	}
	return f(st, requestID), nil
}

// WaitHandle is the WaitHandle of a generated Operation: Wait from a
// handle alone.
func WaitHandle[Poll any](ctx context.Context, h ivhrt.TaskHandle, f func(context.Context, ivhrt.TaskHandle, ...ivhrt.WaitOption) (*Poll, error), opts []ivhrt.WaitOption) (any, error) {
	return result(f(ctx, h, opts...))
}

// Pages is the Pages of a generated Operation: it checks that req is a
// non-nil *Req and yields every item f, the API's pager, yields, as any.
func Pages[Req, Item any](ctx context.Context, req any, f func(context.Context, *Req, ...ivhrt.CallOption) iter.Seq2[Item, error], opts []ivhrt.CallOption) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		in, err := arg[Req](req)
		if err != nil {
			yield(nil, err)
			return
		}
		for it, err := range f(ctx, in, opts...) {
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(it, nil) {
				return
			}
		}
	}
}

// arg returns v as a non-nil *T, or an error naming the type it wants.
func arg[T any](v any) (*T, error) {
	p, ok := v.(*T)
	if !ok || p == nil {
		return nil, fmt.Errorf("want a non-nil %T, got %T", p, v)
	}
	return p, nil
}

func result[T any](v *T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return v, nil
}
