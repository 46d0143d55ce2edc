package fakegw

import (
	"net/http"
	"time"
)

// Simulation makes a TaskStore model the vendor's production queue in time
// rather than in polls: each pool (by default 5 video tasks per avatar type,
// 1 TTS task) runs a few tasks at once, each for RenderTime; tasks admitted
// beyond the running ones wait as COMMIT with ArrayCount ahead; a
// submission past running plus queued is refused with 100008.
type Simulation struct {
	Clock        Clock                  // nil: the real clock
	RenderTime   time.Duration          // how long a task is MAKING
	Slots        map[string]int         // tasks in production at once, per pool
	DefaultSlots int                    // for pools not in Slots; 0 means 5
	Queue        int                    // tasks a pool admits beyond its slots, as COMMIT
	Pool         func(input any) string // the pool of a create's input; nil: one pool ""
	MediaURL     func(id string) string // the MediaUrl of a task that succeeded; nil: none
	// CreateLatency delays each Start (real time), widening the window in
	// which a client may crash with its create on the wire.
	CreateLatency time.Duration
	// A create whose input has a CallbackUrl gets its result POSTed there
	// once when its render ends (in real time), as {"Payload": {TaskId,
	// Status, Progress, MediaUrl, FailMessage}}: unsigned and never
	// retried, like the vendor's. NoCallbacks turns that off.
	NoCallbacks bool
	// CallbackClient sends the callbacks; nil: a client with a 10 s timeout.
	CallbackClient *http.Client
}

// SimStats counts what a simulating TaskStore did with submissions.
type SimStats struct {
	Accepted        int // creates given a task
	Rejected        int // creates refused with 100008
	Callbacks       int // result callbacks answered 200
	CallbacksFailed int // result callbacks that failed or were refused
}

type simulation struct {
	Simulation
	pools map[string]*simPool
	stats SimStats
}

// simPool holds when each production slot next becomes free, and the
// tasks scheduled on it, in admission order.
type simPool struct {
	free  []time.Time
	tasks []*simSlot
}

// simSlot is one task's schedule: it queues from created to start, makes
// from start to end.
type simSlot struct {
	created, start, end time.Time
	pool                *simPool
}

// Simulate switches the store to sim for the tasks started from now on (see
// Start); Simulate(Simulation{}) gives 5 slots, no queue and instant renders.
func (ts *TaskStore) Simulate(sim Simulation) {
	if sim.Clock == nil {
		sim.Clock = ClockFunc(time.Now)
	}
	if sim.DefaultSlots <= 0 {
		sim.DefaultSlots = 5
	}
	if sim.Pool == nil {
		sim.Pool = func(any) string { return "" }
	}
	ts.mu.Lock()
	ts.sim = &simulation{Simulation: sim, pools: map[string]*simPool{}}
	ts.mu.Unlock()
}

// SimStats returns the simulation's counters (zero when not simulating).
func (ts *TaskStore) SimStats() SimStats {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.sim == nil {
		return SimStats{}
	}
	return ts.sim.stats
}

func (s *simulation) pool(name string) *simPool {
	p := s.pools[name]
	if p == nil {
		n, ok := s.Slots[name]
		if !ok || n <= 0 {
			n = s.DefaultSlots
		}
		p = &simPool{free: make([]time.Time, n)}
		s.pools[name] = p
	}
	return p
}

// admit schedules a task on its pool's earliest free slot (FIFO), or refuses
// it when the pool already holds slots+Queue unfinished tasks.
func (s *simulation) admit(input any) (*simSlot, error) {
	now := s.Clock.Now()
	p := s.pool(s.Pool(input))
	p.prune(now)
	if limit := len(p.free) + s.Queue; len(p.tasks) >= limit {
		s.stats.Rejected++
		return nil, Errorf(CodeLimitExceeded, "submission count exceeds the limit: %d", limit)
	}
	i := 0
	for j, f := range p.free {
		if f.Before(p.free[i]) {
			i = j
		}
	}
	start := p.free[i]
	if start.Before(now) {
		start = now
	}
	slot := &simSlot{created: now, start: start, end: start.Add(s.RenderTime), pool: p}
	p.free[i] = slot.end
	p.tasks = append(p.tasks, slot)
	s.stats.Accepted++
	return slot, nil
}

// prune forgets finished tasks: they no longer count against the cap.
func (p *simPool) prune(now time.Time) {
	kept := p.tasks[:0]
	for _, t := range p.tasks {
		if t.end.After(now) {
			kept = append(kept, t)
		}
	}
	p.tasks = kept
}

// step is what task st reports now: its script's first step while queued
// (with ArrayCount), its middle while making, its last once done.
func (s *simulation) step(st *taskState) (TaskStep, bool) {
	now, sl := s.Clock.Now(), st.slot
	switch {
	case !now.Before(sl.end):
		last := st.steps[len(st.steps)-1]
		if last.Status == StatusSuccess && s.MediaURL != nil {
			last.MediaURL = s.MediaURL(st.task.ID)
		}
		return last, true
	case now.Before(sl.start):
		first := st.steps[0]
		first.Status, first.ArrayCount = StatusCommit, sl.ahead(now)
		return first, false
	}
	mid := TaskStep{Status: StatusMaking, Progress: 50}
	if len(st.steps) > 2 {
		mid = st.steps[len(st.steps)-2]
	}
	if d := sl.end.Sub(sl.start); d > 0 {
		mid.Progress = int(100 * now.Sub(sl.start) / d)
	}
	return mid, false
}

// ahead counts the tasks of the pool admitted before sl and not yet started.
func (sl *simSlot) ahead(now time.Time) int {
	n := 0
	for _, t := range sl.pool.tasks {
		if t == sl {
			break
		}
		if now.Before(t.start) {
			n++
		}
	}
	return n
}
