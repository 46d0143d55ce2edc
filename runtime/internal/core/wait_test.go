package core_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type progress struct {
	Status string
	N      int
}

func classify(p *progress) (core.TaskState, error) {
	switch p.Status {
	case "SUCCESS":
		return core.TaskSucceeded, nil
	case "FAIL":
		return core.TaskFailed, &core.TaskFailedError{Op: "GetProgress", ID: "t", Status: "FAIL", FailCode: 801001, FailMessage: "bad"}
	case "FAIL-NIL":
		return core.TaskFailed, nil
	}
	return core.TaskPending, nil
}

// TestWait_BackoffAndProgress: intervals grow ×1.5 to the cap; every poll
// is reported; time is synctest's fake time.
func TestWait_BackoffAndProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		var at []time.Duration
		var seen []int
		n := 0
		poll := func(context.Context) (*progress, error) {
			n++
			at = append(at, time.Since(start))
			if n == 6 {
				return &progress{Status: "SUCCESS", N: n}, nil
			}
			return &progress{Status: "MAKING", N: n}, nil
		}
		r, err := core.Wait(context.Background(), poll, classify, core.WithPollInterval(2*time.Second),
			core.WithMaxPollInterval(5*time.Second), core.WithProgress(func(*makeResp) { t.Error("replaced option called") }),
			core.WithProgress(func(p *progress) { seen = append(seen, p.N) }))
		require.NoError(t, err)
		assert.Equal(t, 6, r.N)
		assert.Equal(t, "[0s 2s 5s 9.5s 14.5s 19.5s]", fmt.Sprint(at))
		assert.Equal(t, []int{1, 2, 3, 4, 5, 6}, seen, "the last WithProgress replaces earlier ones")
	})
	synctest.Test(t, func(t *testing.T) {
		var seen []int
		n := 0
		poll := func(context.Context) (*progress, error) {
			n++
			if n == 3 {
				return &progress{Status: "SUCCESS", N: n}, nil
			}
			return &progress{N: n}, nil
		}
		_, err := core.Wait(context.Background(), poll, classify, core.WithProgress(func(p *progress) { seen = append(seen, p.N) }))
		require.NoError(t, err)
		assert.Equal(t, []int{1, 2, 3}, seen)
	})
}

// TestWait_ProgressOfAnotherTypeFails: a callback that could never be
// called is an error before the first poll, not silence.
func TestWait_ProgressOfAnotherTypeFails(t *testing.T) {
	polls := 0
	poll := func(context.Context) (*progress, error) { polls++; return &progress{Status: "SUCCESS"}, nil }
	_, err := core.Wait(context.Background(), poll, classify, core.WithProgress(func(*makeResp) {}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithProgress takes *core_test.makeResp, but this waiter polls *core_test.progress")
	assert.Zero(t, polls)
}

// TestWait_Failure returns the last response and the classifier's error.
func TestWait_Failure(t *testing.T) {
	poll := func(context.Context) (*progress, error) { return &progress{Status: "FAIL"}, nil }
	r, err := core.Wait(context.Background(), poll, classify)
	assert.Equal(t, "FAIL", r.Status)
	assert.ErrorIs(t, err, core.FailCode(801001))
	assert.Equal(t, "apaas GetProgress: task t ended FAIL: fail_code=801001 message=bad", err.Error())

	poll = func(context.Context) (*progress, error) { return &progress{Status: "FAIL-NIL"}, nil }
	_, err = core.Wait(context.Background(), poll, classify)
	assert.Error(t, err)

	boom := errors.New("boom")
	_, err = core.Wait(context.Background(), func(context.Context) (*progress, error) { return nil, boom }, classify)
	assert.ErrorIs(t, err, boom)
}

// TestWait_CancelStopsAtOnce: cancelling during a 30 s interval returns
// immediately (synctest time), with the last response.
func TestWait_CancelStopsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		start := time.Now()
		time.AfterFunc(time.Second, cancel)
		r, err := core.Wait(ctx, func(context.Context) (*progress, error) { return &progress{N: 1}, nil }, classify,
			core.WithPollInterval(30*time.Second))
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, time.Second, time.Since(start))
		assert.Equal(t, 1, r.N)
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	polled := false
	_, err := core.Wait(ctx, func(context.Context) (*progress, error) { polled = true; return nil, nil }, classify)
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, polled)
}

// TestWait_InjectedSleeper: a fake sleeper sees the growing intervals.
func TestWait_InjectedSleeper(t *testing.T) {
	clk := newFakeClock()
	n := 0
	_, err := core.Wait(context.Background(), func(context.Context) (*progress, error) {
		n++
		if n == 40 {
			return &progress{Status: "SUCCESS"}, nil
		}
		return &progress{}, nil
	}, classify, core.WithWaitSleeper(clk), core.WithPollInterval(time.Second))
	require.NoError(t, err)
	s := clk.Sleeps()
	require.Len(t, s, 39)
	assert.Equal(t, []time.Duration{time.Second, 1500 * time.Millisecond, 2250 * time.Millisecond}, s[:3])
	assert.Equal(t, core.DefaultMaxPollInterval, s[38])
}

func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// TestPages: walks pages, stops at Total, and refuses to loop when a page
// adds nothing while Total says more remain.
func TestPages(t *testing.T) {
	data := []int{1, 2, 3, 4, 5}
	fetch := func(total int, stallAt int) func(context.Context, int, int) (core.Page[int], error) {
		return func(_ context.Context, index, size int) (core.Page[int], error) {
			if index == stallAt {
				return core.Page[int]{Total: total}, nil
			}
			lo := min((index-1)*size, len(data))
			return core.Page[int]{Items: data[lo:min(lo+size, len(data))], Total: total}, nil
		}
	}
	got, err := collect(core.Pages(context.Background(), 2, fetch(5, 0)))
	require.NoError(t, err)
	assert.Equal(t, data, got)

	got, err = collect(core.Pages(context.Background(), 2, fetch(5, 2)))
	assert.ErrorIs(t, err, core.ErrPagingStalled)
	assert.Equal(t, []int{1, 2}, got)
	assert.Contains(t, err.Error(), "page 2 is empty but total 5 says 3 more remain")

	got, err = collect(core.Pages(context.Background(), 2, fetch(99, 0)))
	assert.ErrorIs(t, err, core.ErrPagingStalled, "total larger than the data")
	assert.Equal(t, data, got)

	got, err = collect(core.Pages(context.Background(), 10, fetch(0, 0)))
	require.NoError(t, err)
	assert.Equal(t, data, got, "a first page beyond a zero total is still yielded")

	_, err = collect(core.Pages(context.Background(), 0, fetch(5, 0)))
	assert.Error(t, err)

	boom := errors.New("boom")
	_, err = collect(core.Pages(context.Background(), 2, func(context.Context, int, int) (core.Page[int], error) {
		return core.Page[int]{}, boom
	}))
	assert.ErrorIs(t, err, boom)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = collect(core.Pages(ctx, 2, fetch(5, 0)))
	assert.ErrorIs(t, err, context.Canceled)

	n := 0
	for v := range core.Pages(context.Background(), 2, fetch(5, 0)) {
		n++
		if v == 3 {
			break
		}
	}
	assert.Equal(t, 3, n, "break stops the walk")
}

// TestCallbackHandler: POST only, bounded body, errors mapped.
func TestCallbackHandler(t *testing.T) {
	type cb struct{ TaskId, Status string }
	var got *cb
	h := core.CallbackHandler(func(_ context.Context, p *cb) error {
		got = p
		if p.Status == "FAIL" {
			return errors.New("handler failed")
		}
		return nil
	})
	do := func(method, body string) int {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(method, "/cb", strings.NewReader(body)))
		return w.Code
	}
	assert.Equal(t, http.StatusOK, do("POST", `{"Payload":{"TaskId":"t-1","Status":"SUCCESS"}}`))
	assert.Equal(t, "t-1", got.TaskId)
	assert.Equal(t, http.StatusInternalServerError, do("POST", `{"Payload":{"Status":"FAIL"}}`))
	assert.Equal(t, http.StatusBadRequest, do("POST", `{"Payload":`))
	assert.Equal(t, http.StatusBadRequest, do("POST", `{}`))
	assert.Equal(t, http.StatusBadRequest, do("POST", `{"Payload":"`+strings.Repeat("x", core.MaxCallbackBytes)+`"}`))
	assert.Equal(t, http.StatusMethodNotAllowed, do("GET", ""))
}

// TestWait_NonPositiveIntervals: zero or negative intervals keep the
// defaults instead of polling in a busy loop.
func TestWait_NonPositiveIntervals(t *testing.T) {
	for _, d := range []time.Duration{0, -time.Second} {
		synctest.Test(t, func(t *testing.T) {
			start := time.Now()
			var at []time.Duration
			poll := func(context.Context) (*progress, error) {
				at = append(at, time.Since(start))
				if len(at) == 3 {
					return &progress{Status: "SUCCESS"}, nil
				}
				return &progress{Status: "MAKING"}, nil
			}
			_, err := core.Wait(context.Background(), poll, classify, core.WithPollInterval(d), core.WithMaxPollInterval(d))
			require.NoError(t, err)
			assert.Equal(t, "[0s 2s 5s]", fmt.Sprint(at), "interval %v", d)
		})
	}
}
