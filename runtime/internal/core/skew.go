package core

import (
	"log/slog"
	"math"
	"net/http"
	"sync/atomic"
	"time"
)

// Skew tracking (SKEW-1..4): the gateway rejects timestamps more than
// five minutes off, so each client estimates server time from the Date
// header of every response and signs at now+offset.
const (
	maxSkewRoundTrip = 30 * time.Second // a slower round trip is not trusted
	skewRetryOver    = 4 * time.Minute  // a rejected signature this far off is retried once
	skewWarnOver     = time.Minute      // offset changes above this are logged at Warn
)

type skewTracker struct {
	disabled bool
	offset   atomic.Int64 // nanoseconds to add to the local clock
}

func (s *skewTracker) get() time.Duration { return time.Duration(s.offset.Load()) }

// observe updates the offset from one response and reports the sample
// (server time minus local midpoint) and whether it was usable.
func (s *skewTracker) observe(h http.Header, sent, recv time.Time, log *slog.Logger) (time.Duration, bool) {
	if s.disabled {
		return 0, false
	}
	sample, ok := skewSample(h, sent, recv)
	if !ok {
		return 0, false
	}
	old := time.Duration(s.offset.Swap(int64(sample)))
	if log != nil && absDur(sample-old) > skewWarnOver {
		log.Warn("apaas clock offset changed", "old_offset", old, "new_offset", sample)
	}
	return sample, true
}

// skewSample computes Date − midpoint(sent, recv), refusing cached
// responses (Age), missing or bad Dates and untrustworthy round trips.
func skewSample(h http.Header, sent, recv time.Time) (time.Duration, bool) {
	if h.Get("Age") != "" {
		return 0, false
	}
	ds := h.Get("Date")
	if ds == "" {
		return 0, false
	}
	date, err := http.ParseTime(ds)
	if err != nil {
		return 0, false
	}
	rtt := recv.Sub(sent)
	if rtt < 0 || rtt > maxSkewRoundTrip {
		return 0, false
	}
	sample := date.Sub(sent.Add(rtt / 2))
	if sample == math.MinInt64 || sample == math.MaxInt64 {
		return 0, false // Sub saturated: a Date ~292 years off is garbage, not skew
	}
	if absDur(sample) <= time.Second+rtt/2 {
		sample = 0 // within the error of a 1 s Date over this round trip
	}
	return sample, true
}

// absDur is |d|, saturating: -MinInt64 would overflow back to negative.
func absDur(d time.Duration) time.Duration {
	if d == math.MinInt64 {
		return math.MaxInt64
	}
	if d < 0 {
		return -d
	}
	return d
}
