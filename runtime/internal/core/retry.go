package core

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy bounds the retries of one call. The zero value of a field
// means its default.
type RetryPolicy struct {
	MaxAttempts   int           // total attempts including the first; default 3, 1 disables retries
	BaseDelay     time.Duration // first backoff; default 500ms, doubled per retry
	MaxDelay      time.Duration // backoff cap before jitter; default 8s
	MaxRetryAfter time.Duration // longest Retry-After honoured; default 30s, longer ends the call
}

// DefaultRetryPolicy returns the defaults: 3 attempts, 500ms ×2 up to 8s,
// Retry-After honoured up to 30s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, BaseDelay: 500 * time.Millisecond, MaxDelay: 8 * time.Second, MaxRetryAfter: 30 * time.Second}
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = d.MaxDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = d.MaxRetryAfter
	}
	return p
}

// backoff returns the delay before retry number n (1 for the first retry):
// BaseDelay·2^(n-1) capped at MaxDelay, times a jitter factor in [0.5, 1)
// drawn from rnd (which returns values in [0, 1)). Jitter applies at the
// cap too, and the result is never 0 nor wrapped negative by a huge cap.
func (p RetryPolicy) backoff(n int, rnd func() float64) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		if d > p.MaxDelay/2 {
			d = p.MaxDelay // doubling would pass the cap, or overflow
			break
		}
		d *= 2
	}
	d = min(d, p.MaxDelay)
	x := float64(d) * (0.5 + 0.5*clamp01(rnd()))
	if x >= math.MaxInt64 {
		return math.MaxInt64
	}
	return max(time.Duration(x), 1)
}

func clamp01(x float64) float64 {
	if !(x >= 0) { // also NaN
		return 0
	}
	if x >= 1 {
		return math.Nextafter(1, 0)
	}
	return x
}

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP
// date (relative to now; a past date means 0). ok is false for anything
// unusable (negative, non-integer, beyond what a Duration holds, garbage),
// which falls back to backoff. A far-future date saturates (time.Sub does)
// and so ends the call as too long rather than wrapping negative.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if v[0] >= '0' && v[0] <= '9' {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0, false
		}
		if n > int64(math.MaxInt64/time.Second) {
			return 0, false // overflows a Duration
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}

func retryableStatus(s int) bool {
	switch s {
	case 408, 429, 500, 502, 503, 504:
		return true
	}
	return false
}
