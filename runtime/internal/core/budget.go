package core

import "sync"

// RetryBudget configures the per-client token bucket that limits retries
// when the service is failing (the AWS "retry quota", with its defects
// fixed: tokens come back when a call ends on a non-retryable outcome, and
// the exhaustion error says what happened). Each client builds its own
// bucket from this configuration; buckets are never shared.
type RetryBudget struct {
	Capacity    int // tokens at start and at most; default 500
	RetryCost   int // taken per retry; default 5
	TimeoutCost int // taken per retry after a timeout; default 10
	SuccessGain int // added by a first-attempt success; default 1
}

// DefaultRetryBudget returns capacity 500, cost 5 (10 after a timeout),
// +1 per first-attempt success.
func DefaultRetryBudget() *RetryBudget {
	return &RetryBudget{Capacity: 500, RetryCost: 5, TimeoutCost: 10, SuccessGain: 1}
}

type bucket struct {
	mu     sync.Mutex
	cfg    RetryBudget
	tokens int
}

func newBucket(cfg *RetryBudget) *bucket {
	if cfg == nil {
		return nil
	}
	c := *cfg
	d := DefaultRetryBudget()
	if c.Capacity <= 0 {
		c.Capacity = d.Capacity
	}
	if c.RetryCost <= 0 {
		c.RetryCost = d.RetryCost
	}
	if c.TimeoutCost <= 0 {
		c.TimeoutCost = d.TimeoutCost
	}
	if c.SuccessGain < 0 {
		c.SuccessGain = 0
	}
	return &bucket{cfg: c, tokens: c.Capacity}
}

// acquire takes the cost of one retry; it returns the cost taken, or false
// when the budget cannot pay it. A nil bucket always pays 0.
func (b *bucket) acquire(timeout bool) (int, bool) {
	if b == nil {
		return 0, true
	}
	cost := b.cfg.RetryCost
	if timeout {
		cost = b.cfg.TimeoutCost
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens < cost {
		return 0, false
	}
	b.tokens -= cost
	return cost, true
}

// release returns n tokens (a retry that succeeded or ended the call on a
// non-retryable outcome), capped at capacity.
func (b *bucket) release(n int) {
	if b == nil || n <= 0 {
		return
	}
	b.mu.Lock()
	b.tokens = min(b.cfg.Capacity, b.tokens+n)
	b.mu.Unlock()
}

// succeeded records a first-attempt success.
func (b *bucket) succeeded() {
	if b != nil {
		b.release(b.cfg.SuccessGain)
	}
}

func (b *bucket) remaining() int {
	if b == nil {
		return -1
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tokens
}
