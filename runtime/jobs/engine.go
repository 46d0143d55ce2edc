package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// Input is one unit of work: the caller's id (unique in the journal, and the
// name of its downloaded result), the API and its request payload as JSON.
type Input struct {
	ID      string          `json:"id"`
	API     string          `json:"api"`
	Payload json.RawMessage `json:"payload"`
	Pool    string          `json:"pool,omitempty"` // overrides the Flow's pool
}

// Result is what became of one input when Run let go of it.
type Result struct {
	Record       // the journal entry as last written
	Out    any   // the last poll response (typed, e.g. *ivh.GetProgressResponse) or callback payload, when this run waited
	Err    error // why it failed, is unknown, or is still accepted
}

// Config tells Run what to do.
type Config struct {
	Flows           map[string]Flow                                                // by API name
	Limits          map[string]int                                                 // tasks in flight per pool; DefaultLimit for others
	WaitOptions     []core.WaitOption                                              // for every wait (poll interval, WithMaxWait)
	ResubmitUnknown bool                                                           // send outcome-unknown inputs again (may pay twice)
	MaxRequeues     int                                                            // refusals per input before it fails; 0 means 100
	Backoff         func(n int) time.Duration                                      // delay after the n-th refusal; nil: 500 ms ×2 to 8 s, jittered
	Sleeper         core.Sleeper                                                   // waits the backoff; nil: the real clock
	OutDir          string                                                         // download results here when set
	Download        func(ctx context.Context, url, dir, id string) (string, error) // nil: DownloadTo with http.DefaultClient
	OnResult        func(Result)                                                   // called once per input, serially
	OnEvent         func(Event)                                                    // called on each state change, serially
	// Callbacks, when set, gives each create that takes a CallbackUrl one
	// naming its input and attempt with a token (see Callbacks): a result
	// callback ends the wait at once, polling stays the fallback.
	Callbacks *Callbacks
	// CallbackWait is how long, with Callbacks, an input whose create
	// became outcome-unknown in this run holds its slot waiting for its
	// callback, which settles it; 0 does not wait.
	CallbackWait time.Duration
	// NoArming writes each submitting record just before its create, on the
	// critical path, instead of arming it ahead, and polls from the start
	// of each wait (for measurements; see the package doc).
	NoArming bool
}

// Event is one state change, for progress displays.
type Event struct {
	ID   string
	From State
	To   State
}

// DefaultLimit returns the vendor's default cap for a pool: 5 for video
// pools ("video", "video:<avatar type>"), 1 for TTS and anything else.
func DefaultLimit(pool string) int {
	if pool == "video" || strings.HasPrefix(pool, "video:") {
		return 5
	}
	return 1
}

var validID = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$`)

// ErrJournalBusy is returned by a Run given a Journal another Run is
// using.
var ErrJournalBusy = errors.New("jobs: another Run is using this journal")

// Run brings every input to a final state, or as far as it can before ctx
// ends, journaling each step in j; see the package doc for the states and
// what a second Run with the same journal does. It returns an error only
// for bad inputs or a journal failure; per-input failures are Results.
func Run(ctx context.Context, j *Journal, inputs []Input, cfg Config) error {
	if err := check(inputs, cfg); err != nil {
		return err
	}
	// Two Runs on one Journal would resolve and reset each other's armed
	// records and sent log, as two processes would (the file lock keeps
	// those apart).
	if !j.running.CompareAndSwap(false, true) {
		return ErrJournalBusy
	}
	defer j.running.Store(false)
	recs, err := j.addPending(inputs)
	if err != nil {
		return err
	}
	removeParts(cfg.OutDir)
	e := newEngine(j, cfg)
	e.resolveGates(recs)
	byPool := map[string][]*Record{}
	var order []string
	for i, r := range recs {
		if r.Pool == "" {
			r.Pool = poolOf(inputs[i], cfg)
		}
		fetch := r.State == Succeeded && cfg.OutDir != "" && r.File == ""
		if r.State.Final() && !(r.State == Unknown && cfg.ResubmitUnknown) && !fetch {
			e.finish(ctx, r, nil, nil)
			continue
		}
		if _, seen := byPool[r.Pool]; !seen {
			order = append(order, r.Pool)
		}
		byPool[r.Pool] = append(byPool[r.Pool], r)
	}
	var wg sync.WaitGroup
	for _, p := range order {
		e.runPool(ctx, &wg, &pool{name: p, q: prioritise(byPool[p])})
	}
	wg.Wait()
	e.dlWG.Wait()
	return e.journalErr()
}

func check(inputs []Input, cfg Config) error {
	seen := map[string]bool{}
	for _, in := range inputs {
		switch {
		case !validID.MatchString(in.ID):
			return fmt.Errorf("jobs: input id %q: want 1-128 of A-Z a-z 0-9 . _ -, not starting with . or -", in.ID)
		case seen[in.ID]:
			return fmt.Errorf("jobs: input id %q appears twice", in.ID)
		case cfg.Flows[in.API].Submit == nil:
			return fmt.Errorf("jobs: input %s: no flow for API %q", in.ID, in.API)
		}
		seen[in.ID] = true
	}
	return nil
}

func poolOf(in Input, cfg Config) string {
	if in.Pool != "" {
		return in.Pool
	}
	if p := cfg.Flows[in.API].Pool; p != "" {
		return p
	}
	return in.API
}

// prioritise puts accepted tasks first: they hold vendor slots already.
func prioritise(rs []*Record) []*Record {
	var acc, rest []*Record
	for _, r := range rs {
		if r.State == Accepted {
			acc = append(acc, r)
		} else {
			rest = append(rest, r)
		}
	}
	return append(acc, rest...)
}

// engine runs the inputs of every pool; mu serialises the callbacks.
type engine struct {
	j   *Journal
	cfg Config
	mu  sync.Mutex
	err error // first journal failure

	dlWG  sync.WaitGroup
	dlSem chan struct{} // bounds concurrent downloads
}

func newEngine(j *Journal, cfg Config) *engine {
	if cfg.MaxRequeues <= 0 {
		cfg.MaxRequeues = 100
	}
	if cfg.Backoff == nil {
		cfg.Backoff = defaultBackoff
	}
	if cfg.Sleeper == nil {
		cfg.Sleeper = core.SystemClock{}
	}
	if cfg.Download == nil {
		cfg.Download = func(ctx context.Context, url, dir, id string) (string, error) {
			return DownloadTo(ctx, nil, url, dir, id)
		}
	}
	return &engine{j: j, cfg: cfg, dlSem: make(chan struct{}, 8)}
}

// defaultBackoff is the runtime's retry schedule (RETRY-4): 500 ms ×2 up to
// 8 s, times U[0.5, 1).
func defaultBackoff(n int) time.Duration {
	d := 500 * time.Millisecond << min(max(n-1, 0), 4)
	return time.Duration(float64(d) * (0.5 + rand.Float64()/2))
}

// runPool starts limit workers that share the pool's queue: a worker holds
// its slot from the submit until the task ends.
func (e *engine) runPool(ctx context.Context, wg *sync.WaitGroup, p *pool) {
	limit := e.cfg.Limits[p.name]
	if limit <= 0 {
		limit = DefaultLimit(p.name)
	}
	for range min(limit, len(p.q)) {
		wg.Go(func() { (&worker{e: e, p: p}).run(ctx) })
	}
}

func (e *engine) journalErr() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err
}

// put journals r in state s; a journal failure stops the input there.
func (e *engine) put(r *Record, s State) bool {
	return e.commit(e.j.putBatch, change{r, s})
}

// change is one record moving to a state.
type change struct {
	r *Record
	s State
}

// commit writes the changes in one transaction and reports the events.
func (e *engine) commit(write func(...*Record) error, cs ...change) bool {
	from := make([]State, len(cs))
	rs := make([]*Record, len(cs))
	for i, c := range cs {
		from[i], rs[i] = c.r.State, c.r
		c.r.State = c.s
	}
	if err := write(rs...); err != nil {
		e.mu.Lock()
		if e.err == nil {
			e.err = fmt.Errorf("jobs: journal: %w", err)
		}
		e.mu.Unlock()
		return false
	}
	if e.cfg.OnEvent != nil {
		e.mu.Lock()
		for i, c := range cs {
			if from[i] != c.s {
				e.cfg.OnEvent(Event{ID: c.r.ID, From: from[i], To: c.s})
			}
		}
		e.mu.Unlock()
	}
	return true
}

// finish reports r; out and err come from this run, when it did anything.
func (e *engine) finish(_ context.Context, r *Record, out any, err error) {
	if err == nil && r.Error != "" && r.State != Succeeded {
		err = errors.New(r.Error)
	}
	if e.cfg.OnResult != nil {
		e.mu.Lock()
		e.cfg.OnResult(Result{Record: *r, Out: out, Err: err})
		e.mu.Unlock()
	}
}
