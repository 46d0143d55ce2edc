package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// pool is the queue of one concurrency pool, shared by its workers, and
// what they learn of its tasks' durations.
type pool struct {
	name string
	mu   sync.Mutex
	q    []*Record
	took []time.Duration // recent task durations, create to end
}

// pop takes the next input, or nil when the queue is empty.
func (p *pool) pop() *Record {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.q) == 0 {
		return nil
	}
	r := p.q[0]
	p.q = p.q[1:]
	return r
}

// popArmable takes the next input when it is one to send (pending), else
// leaves the queue alone.
func (p *pool) popArmable(resubmit bool) *Record {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.q) == 0 || !armable(p.q[0], resubmit) {
		return nil
	}
	r := p.q[0]
	p.q = p.q[1:]
	return r
}

func armable(r *Record, resubmit bool) bool {
	return r.State == Pending || (resubmit && r.State == Unknown)
}

// observe notes that a task of the pool took d from its create to its end.
func (p *pool) observe(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.took = append(p.took, d)
	if len(p.took) > 8 {
		p.took = p.took[1:]
	}
}

// shortest is the shortest recent task duration; false before any.
func (p *pool) shortest() (time.Duration, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.took) == 0 {
		return 0, false
	}
	d := p.took[0]
	for _, x := range p.took {
		d = min(d, x)
	}
	return d, true
}

// steady returns the shortest recent task duration and their spread when
// at least two are known and they agree within a quarter: only then does
// a wait hold its first poll (pollLead).
func (p *pool) steady() (lo, spread time.Duration, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.took) < 2 {
		return 0, 0, false
	}
	lo, hi := p.took[0], p.took[0]
	for _, x := range p.took {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi - lo, hi-lo <= lo/4
}

// worker holds one pool slot: it runs one input at a time and, shortly
// before its task is expected to end, arms the next input behind it.
type worker struct {
	e     *engine
	p     *pool
	done  *verdict  // the last task that ended, not journaled yet
	armed *Record   // journaled submitting, gated on a task a poll saw end
	sent  time.Time // when the current task's create returned; zero when resumed
}

func (w *worker) run(ctx context.Context) {
	for r := w.p.pop(); r != nil; {
		r = w.one(ctx, r)
	}
	w.flush(ctx)
}

// send makes the create of r with its journaled RequestID, giving it the
// callback URL when the engine has callbacks.
func (e *engine) send(ctx context.Context, r *Record) (core.TaskHandle, error) {
	flow := e.cfg.Flows[r.API]
	payload := r.Payload
	if cb := e.cfg.Callbacks; cb != nil && flow.Callback {
		payload = withCallbackURL(payload, cb.URL(r.ID, r.RequestID))
		cb.expect(r.ID, r.RequestID)
	}
	return flow.Submit(ctx, payload, r.RequestID)
}

// withCallbackURL sets the payload's CallbackUrl unless it has one.
func withCallbackURL(payload json.RawMessage, url string) json.RawMessage {
	var obj map[string]json.RawMessage
	if json.Unmarshal(payload, &obj) != nil || obj == nil {
		return payload // DecodeStrict reports it
	}
	if _, own := obj["CallbackUrl"]; own {
		return payload
	}
	obj["CallbackUrl"], _ = json.Marshal(url)
	b, err := json.Marshal(obj)
	if err != nil {
		return payload
	}
	return b
}

// wait waits on r's task, arming the next input meanwhile, and returns the
// input to run next. A wait that ends without a verdict (context,
// WithMaxWait, transport) leaves r accepted for the next run.
func (w *worker) wait(ctx context.Context, r *Record) *Record {
	e := w.e
	h, err := core.ParseTaskHandle(r.Handle)
	if err != nil {
		r.Error = err.Error()
		w.stop(ctx, r, Unknown, err)
		return w.p.pop()
	}
	start, hold := w.sent, time.Duration(0)
	if start.IsZero() {
		start = time.Now()
	} else if took, spread, ok := w.p.steady(); ok && !e.cfg.NoArming {
		hold = time.Until(start.Add(took - pollLead(took, spread)))
	}
	w.sent = time.Time{}
	a := w.arm(r, start)
	v := e.waitTask(ctx, r, h, hold)
	next, ok := a.stop()
	if v == nil {
		return w.orPop(next)
	}
	if !v.callback {
		w.p.observe(time.Since(start))
		if ok {
			w.armed = next // its gate's end was seen by a poll: it may leave now
		}
	}
	w.done = v
	return w.orPop(next)
}

func (w *worker) orPop(r *Record) *Record {
	if r != nil {
		return r
	}
	return w.p.pop()
}

// waitTask waits on h with the flow's waiter, ending early on r's
// callback; it returns nil when the wait ended without a verdict, after
// reporting r.
func (e *engine) waitTask(ctx context.Context, r *Record, h core.TaskHandle, hold time.Duration) *verdict {
	out, cb, err := e.waitOrCallback(ctx, r, h, hold)
	if cb != nil {
		return cb
	}
	var tf *core.TaskFailedError
	if err != nil && !errors.As(err, &tf) {
		e.finish(ctx, r, out, err)
		return nil
	}
	return &verdict{r: r, out: out, err: err}
}

// pollLead is how long before a task's expected end (the pool's shortest
// steady recent duration, took) its wait starts polling: a tenth of took,
// twice the durations' spread, or 10 ms, whichever is longest, and at most
// half of took. Polls before that would only say "making".
func pollLead(took, spread time.Duration) time.Duration {
	return min(max(took/10, 2*spread, 10*time.Millisecond), took/2)
}

// holdOff sleeps d (nothing when d <= 0), ending early with ctx.
func holdOff(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// arming is the next input being armed behind a running task.
type arming struct {
	timer *time.Timer
	done  chan struct{} // closed once fired
	r     *Record
	ok    bool // its submitting record is durable
}

// arm schedules, shortly before gate's task is expected to end, the
// durable submitting record of the next pending input, gated on gate: the
// create will leave only once a poll sees gate's task end, so a crash
// before that leaves a record the next run proves unsent (see
// resolveGates). The lead covers the recent commit latency.
func (w *worker) arm(gate *Record, start time.Time) *arming {
	a := &arming{done: make(chan struct{})}
	took, ok := w.p.shortest()
	if !ok || w.e.cfg.NoArming {
		return a
	}
	lead := min(2*w.e.j.Stats().Last+5*time.Millisecond, took/2)
	a.timer = time.AfterFunc(time.Until(start.Add(took-lead)), func() {
		defer close(a.done)
		r := w.p.popArmable(w.e.cfg.ResubmitUnknown)
		if r == nil {
			return
		}
		a.r = r
		r.RequestID, r.Error, r.Code, r.Gate, r.Boot = core.NewRequestID(), "", 0, gate.Handle, w.e.j.sent.stamp()
		r.Attempts++
		a.ok = w.e.commit(w.e.j.putBatch, change{r, Submitting})
	})
	return a
}

// stop cancels the arming or waits for it, and returns the input taken
// and whether its armed record is durable.
func (a *arming) stop() (*Record, bool) {
	if a.timer == nil || a.timer.Stop() {
		return nil, false
	}
	<-a.done
	return a.r, a.ok
}
