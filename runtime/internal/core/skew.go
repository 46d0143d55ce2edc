package core

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"sync"
	"time"
)

// Skew tracking (SKEW-1..4): the gateway rejects timestamps more than
// five minutes off, so each client estimates server time from the Date
// header of every response and signs at now+offset.
const (
	maxSkewRoundTrip = 30 * time.Second // a slower round trip is not trusted
	skewRetryOver    = 4 * time.Minute  // a rejected signature this far off is retried once
	skewWarnOver     = time.Minute      // offset changes above this are logged at Warn
	maxSkewSample    = 24 * time.Hour   // a Date further off is a broken or lying server, not skew
	refutedBand      = time.Minute      // samples this close to a refuted offset are ignored
)

// skewTracker keeps the client's offset. An offset counts as confirmed
// once a call signed with it was not rejected; a rejected call signed
// with an unconfirmed offset refutes it: the tracker goes back to the
// last confirmed offset and ignores samples near the refuted one until a
// call signed with it succeeds. So a Date header that lies costs one
// skew retry, not every later call.
type skewTracker struct {
	disabled  bool
	mu        sync.Mutex
	offset    time.Duration // added to the local clock when signing
	confirmed time.Duration
	refuted   time.Duration
	hasRefute bool
}

func (s *skewTracker) get() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.offset
}

// settle digests one response to a call signed with offset used: it
// re-validates the offset, takes the Date sample and reports whether a
// rejected signature deserves the one skew retry.
func (s *skewTracker) settle(used time.Duration, h http.Header, sent, recv time.Time, callErr error, log *slog.Logger) bool {
	if s.disabled {
		return false
	}
	rejected := callErr != nil && isSignatureRejected(callErr)
	accepted := callErr == nil || !rejected && isAPIError(callErr)
	s.mu.Lock()
	defer s.mu.Unlock()
	retry := false
	switch {
	case rejected && used != s.confirmed:
		s.refuted, s.hasRefute = used, true
		s.set(s.confirmed, log)
		retry = true
	case accepted:
		s.confirmed = used
		s.hasRefute = s.hasRefute && used != s.refuted
	}
	sample, ok := skewSample(h, sent, recv)
	if !ok || s.hasRefute && absDur(sample-s.refuted) <= refutedBand {
		return retry
	}
	retry = retry || rejected && absDur(sample-used) > skewRetryOver
	s.set(sample, log)
	return retry
}

// isAPIError reports an answer with an aPaaS envelope: the gateway got
// past authentication.
func isAPIError(err error) bool {
	var ae *APIError
	return errors.As(err, &ae)
}

// set changes the offset, logging large changes (SKEW-4).
func (s *skewTracker) set(d time.Duration, log *slog.Logger) {
	if log != nil && absDur(d-s.offset) > skewWarnOver {
		log.Warn("apaas clock offset changed", "old_offset", s.offset, "new_offset", d)
	}
	s.offset = d
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
	if absDur(sample) > maxSkewSample {
		return 0, false // also a saturated Sub
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
