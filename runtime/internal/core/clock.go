package core

import (
	"context"
	"time"
)

// Clock tells the time used to sign requests and to measure round trips.
// Tests inject a fake one with WithClock.
type Clock interface{ Now() time.Time }

// Sleeper waits between attempts and polls. Sleep returns ctx.Err() as soon
// as ctx is done, and nil after d. Tests inject a fake one with WithSleeper.
type Sleeper interface {
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real clock; it is the only place in this package that
// reads the wall clock (a test enforces that).
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits for d or until ctx is done, releasing its timer either way.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// untilDeadline reports how long remains before ctx's deadline. Context
// deadlines are wall-clock times, so this reads the real clock on purpose.
func untilDeadline(ctx context.Context) (time.Duration, bool) {
	dl, ok := ctx.Deadline()
	if !ok {
		return 0, false
	}
	return time.Until(dl), true
}
