package fakegw_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/fakegw"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSimulation_QuotaQueueRender: 2 slots and 1 queued place per pool; the
// fourth submission is refused with 100008; the queued task reports
// ArrayCount, then MAKING when a slot frees, then SUCCESS after the render.
func TestSimulation_QuotaQueueRender(t *testing.T) {
	clk := fakegw.NewManualClock(time.Unix(1000, 0))
	ts := fakegw.NewTaskStore("")
	ts.Simulate(fakegw.Simulation{Clock: clk, RenderTime: 10 * time.Second, Slots: map[string]int{"v": 2}, Queue: 1,
		Pool: func(in any) string { return in.(string) }})
	a, err := ts.Start("v")
	require.NoError(t, err)
	_, err = ts.Start("v")
	require.NoError(t, err)
	q, err := ts.Start("v")
	require.NoError(t, err)
	assert.Equal(t, fakegw.StatusMaking, a.Status)
	assert.Equal(t, fakegw.StatusCommit, q.Status)
	_, err = ts.Start("v")
	var rep *fakegw.ErrorReply
	require.True(t, errors.As(err, &rep))
	assert.Equal(t, fakegw.CodeLimitExceeded, rep.Code)
	_, err = ts.Start("tts")
	assert.NoError(t, err, "another pool has its own cap")

	clk.Advance(5 * time.Second)
	p, _ := ts.Poll(a.ID)
	assert.Equal(t, 50, p.Progress)
	clk.Advance(5 * time.Second)
	p, _ = ts.Poll(a.ID)
	assert.True(t, p.Done)
	assert.Equal(t, fakegw.StatusSuccess, p.Status)
	p, _ = ts.Poll(q.ID)
	assert.Equal(t, fakegw.StatusMaking, p.Status, "the queued task took the freed slot")
	clk.Advance(10 * time.Second)
	p, _ = ts.Poll(q.ID)
	assert.Equal(t, fakegw.StatusSuccess, p.Status)
	assert.Equal(t, fakegw.SimStats{Accepted: 4, Rejected: 1}, ts.SimStats())
}

// TestSimulation_ArrayCount: queued tasks count those ahead of them.
func TestSimulation_ArrayCount(t *testing.T) {
	clk := fakegw.NewManualClock(time.Unix(1000, 0))
	ts := fakegw.NewTaskStore("")
	ts.Simulate(fakegw.Simulation{Clock: clk, RenderTime: time.Second, DefaultSlots: 1, Queue: 3})
	var last fakegw.Task
	for range 4 {
		var err error
		last, err = ts.Start(nil)
		require.NoError(t, err)
	}
	assert.Equal(t, 2, last.ArrayCount, "one making, two queued ahead")
	clk.Advance(time.Second)
	p, _ := ts.Poll(last.ID)
	assert.Equal(t, 1, p.ArrayCount)
}

// TestSimulation_CallbackOnce: a create whose input carries a CallbackUrl
// gets its result POSTed there once when its render ends, unsigned, as
// {"Payload": {...}}; NoCallbacks sends none.
func TestSimulation_CallbackOnce(t *testing.T) {
	got := make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- r.URL.RawQuery + " " + string(b)
	}))
	defer srv.Close()
	type input struct{ CallbackUrl string }
	ts := fakegw.NewTaskStore("")
	ts.Simulate(fakegw.Simulation{RenderTime: 20 * time.Millisecond, MediaURL: func(id string) string { return "m/" + id }})
	task, err := ts.Start(&input{CallbackUrl: srv.URL + "/cb?job=a"})
	require.NoError(t, err)
	select {
	case cb := <-got:
		assert.Equal(t, `job=a {"Payload":{"FailMessage":"","MediaUrl":"m/`+task.ID+`","Progress":100,"Status":"SUCCESS","TaskId":"`+task.ID+`"}}`, cb)
	case <-time.After(5 * time.Second):
		t.Fatal("no callback")
	}
	assert.Eventually(t, func() bool { return ts.SimStats().Callbacks == 1 }, 5*time.Second, time.Millisecond)

	quiet := fakegw.NewTaskStore("")
	quiet.Simulate(fakegw.Simulation{RenderTime: time.Millisecond, NoCallbacks: true})
	_, err = quiet.Start(&input{CallbackUrl: srv.URL})
	require.NoError(t, err)
	time.Sleep(50 * time.Millisecond)
	assert.Empty(t, got, "no second callback, none with NoCallbacks")
}
