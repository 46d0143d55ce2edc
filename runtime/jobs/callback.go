package jobs

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// Callbacks is the result-callback fast path (Config.Callbacks). The vendor
// POSTs a task's result once to the CallbackUrl of its create, unsigned;
// so each create the engine sends gets its own URL, the public base with
// job=<input id>, rid=<RequestID> and tok=<HMAC-SHA256(key, job, rid)>.
// CallbackHandler verifies tok in constant time and answers a bad one 401
// before reading the body or touching the journal; a good one ends that
// input's wait at once, or settles it when its create's outcome was
// unknown. Safe for concurrent use.
type Callbacks struct {
	base *url.URL
	key  []byte

	mu      sync.Mutex
	waiting map[string]chan *callbackResult // by job and rid
	early   map[string]*callbackResult      // came before anyone waited
}

// maxEarly bounds the callbacks kept for inputs not waited on yet.
const maxEarly = 4096

// NewCallbacks returns the fast path for callbacks reaching publicURL (an
// absolute http or https URL the vendor can reach; its query is kept),
// with tokens made from key (at least 16 bytes; Journal.CallbackKey gives
// one that a resumed run shares).
func NewCallbacks(publicURL string, key []byte) (*Callbacks, error) {
	u, err := url.Parse(publicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("jobs: callback URL %q: want an absolute http or https URL", publicURL)
	}
	if len(key) < 16 {
		return nil, errors.New("jobs: callback key: want at least 16 bytes")
	}
	return &Callbacks{base: u, key: append([]byte(nil), key...),
		waiting: map[string]chan *callbackResult{}, early: map[string]*callbackResult{}}, nil
}

// URL returns the CallbackUrl of the create of input id sent with
// requestID.
func (c *Callbacks) URL(id, requestID string) string {
	u := *c.base
	q := u.Query()
	q.Set("job", id)
	q.Set("rid", requestID)
	q.Set("tok", base64.RawURLEncoding.EncodeToString(c.mac(id, requestID)))
	u.RawQuery = q.Encode()
	return u.String()
}

func (c *Callbacks) mac(id, rid string) []byte {
	m := hmac.New(sha256.New, c.key)
	fmt.Fprintf(m, "ivh-jobs-callback\x00%s\x00%s", id, rid)
	return m.Sum(nil)
}

// verify returns the input id and RequestID a callback's query names when
// its token is theirs.
func (c *Callbacks) verify(q url.Values) (id, rid string, ok bool) {
	id, rid = q.Get("job"), q.Get("rid")
	tok, err := base64.RawURLEncoding.DecodeString(q.Get("tok"))
	if err != nil || id == "" {
		return "", "", false
	}
	return id, rid, hmac.Equal(tok, c.mac(id, rid))
}

type ticketKey struct{}

type ticket struct{ id, rid string }

// CallbackHandler serves the result callbacks of c: it checks the token of
// the request's URL (401 when it does not verify, and nothing else
// happens), then hands the request to the generated handler that
// generated builds (e.g. ivh.VideoResultHandler), whose decoded payload
// settles the input the token names. Mount it at the path of the public
// URL given to NewCallbacks.
func CallbackHandler[T any](c *Callbacks, generated func(func(context.Context, *T) error) http.Handler) http.Handler {
	inner := generated(func(ctx context.Context, p *T) error {
		t, _ := ctx.Value(ticketKey{}).(ticket)
		c.deliver(t.id, t.rid, p)
		return nil
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, rid, ok := c.verify(r.URL.Query())
		if !ok {
			http.Error(w, "bad callback token", http.StatusUnauthorized)
			return
		}
		inner.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ticketKey{}, ticket{id, rid})))
	})
}

// callbackResult is the part of a result callback the engine reads.
type callbackResult struct {
	TaskID      string `json:"TaskId"`
	Status      string
	FailMessage string
	out         any // the typed payload
}

// deliver routes a verified callback to the wait of its input, or keeps it
// for a wait to come. A status other than SUCCESS or FAIL is ignored.
func (c *Callbacks) deliver(id, rid string, payload any) {
	res := new(callbackResult)
	if b, err := json.Marshal(payload); err != nil || json.Unmarshal(b, res) != nil {
		return
	}
	if res.Status != "SUCCESS" && res.Status != "FAIL" {
		return
	}
	res.out = payload
	c.mu.Lock()
	defer c.mu.Unlock()
	k := id + "\x00" + rid
	if ch, ok := c.waiting[k]; ok {
		select {
		case ch <- res:
		default: // a second callback for the same create
		}
		return
	}
	if len(c.early) < maxEarly {
		c.early[k] = res
	}
}

// expect returns the channel the callback of input id's create requestID
// arrives on.
func (c *Callbacks) expect(id, rid string) chan *callbackResult {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := id + "\x00" + rid
	ch, ok := c.waiting[k]
	if !ok {
		ch = make(chan *callbackResult, 1)
		c.waiting[k] = ch
	}
	if res, ok := c.early[k]; ok {
		delete(c.early, k)
		ch <- res
	}
	return ch
}

// forget drops the expectation of expect.
func (c *Callbacks) forget(id, rid string) {
	c.mu.Lock()
	delete(c.waiting, id+"\x00"+rid)
	c.mu.Unlock()
}

// verdict turns the callback into r's verdict.
func (res *callbackResult) verdict(r *Record) *verdict {
	v := &verdict{r: r, out: res.out, callback: true}
	if res.Status == "FAIL" {
		v.err = &core.TaskFailedError{Op: "callback", ID: res.TaskID, Status: res.Status, FailMessage: res.FailMessage}
	}
	return v
}

// waitOrCallback runs the flow's wait after hold, ending it early when r's
// callback comes (returned as cb).
func (e *engine) waitOrCallback(ctx context.Context, r *Record, h core.TaskHandle, hold time.Duration) (out any, cb *verdict, err error) {
	flow, c := e.cfg.Flows[r.API], e.cfg.Callbacks
	if c == nil || !flow.Callback {
		if err := holdOff(ctx, hold); err != nil {
			return nil, nil, err
		}
		out, err = flow.Wait(ctx, h, e.cfg.WaitOptions...)
		return out, nil, err
	}
	ch := c.expect(r.ID, r.RequestID)
	defer c.forget(r.ID, r.RequestID)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type polled struct {
		out any
		err error
	}
	done := make(chan polled, 1)
	go func() {
		if err := holdOff(wctx, hold); err != nil {
			done <- polled{nil, err}
			return
		}
		o, err := flow.Wait(wctx, h, e.cfg.WaitOptions...)
		done <- polled{o, err}
	}()
	for {
		select {
		case p := <-done:
			return p.out, nil, p.err
		case res := <-ch:
			if res.TaskID != h.TaskID {
				continue // not this task's: keep polling
			}
			cancel()
			<-done
			return nil, res.verdict(r), nil
		}
	}
}

// unknown reports r, whose create's outcome is unknown; with callbacks and
// CallbackWait it first holds the slot that long for r's callback, which
// settles r with the task it names.
func (w *worker) unknown(ctx context.Context, r *Record, err error) {
	e := w.e
	c := e.cfg.Callbacks
	if c == nil || e.cfg.CallbackWait <= 0 || !e.cfg.Flows[r.API].Callback {
		e.finish(ctx, r, nil, err)
		return
	}
	ch := c.expect(r.ID, r.RequestID)
	defer c.forget(r.ID, r.RequestID)
	t := time.NewTimer(e.cfg.CallbackWait)
	defer t.Stop()
	select {
	case res := <-ch:
		r.Handle = core.NewTaskHandle(r.API, res.TaskID, r.RequestID).String()
		w.done = res.verdict(r)
		w.flush(ctx)
	case <-t.C:
		e.finish(ctx, r, nil, err)
	case <-ctx.Done():
		e.finish(ctx, r, nil, err)
	}
}
