package core_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTaskHandle_TextRoundTrip: ids with the separator survive; JSON holds
// the text form; another version is refused.
func TestTaskHandle_TextRoundTrip(t *testing.T) {
	h := core.NewTaskHandle("VideoMake", "a:b/c d", "rid-1")
	b, err := json.Marshal(map[string]core.TaskHandle{"h": h})
	require.NoError(t, err)
	assert.JSONEq(t, `{"h":"v1:VideoMake:a%3Ab%2Fc+d:rid-1"}`, string(b))
	var back map[string]core.TaskHandle
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, h, back["h"])

	_, err = core.ParseTaskHandle("v2:VideoMake:t:")
	assert.ErrorContains(t, err, "not of version 1")
	_, err = core.ParseTaskHandle("v1::t:")
	assert.Error(t, err)
	_, err = core.TaskHandle{API: "VideoMake"}.MarshalText()
	assert.Error(t, err, "no task id")
	n := core.NewTaskHandle("CreateJob", 42, "")
	assert.Equal(t, "42", n.TaskID)
}

// TestHandleID_Kinds: the id is converted to the poll request's id type and
// a handle of another API is refused.
func TestHandleID_Kinds(t *testing.T) {
	s, err := core.HandleID[string](core.NewTaskHandle("A", "x", ""), "A")
	require.NoError(t, err)
	assert.Equal(t, "x", s)
	n, err := core.HandleID[int64](core.NewTaskHandle("A", 7, ""), "A")
	require.NoError(t, err)
	assert.Equal(t, int64(7), n)
	_, err = core.HandleID[int](core.NewTaskHandle("A", "x", ""), "A")
	assert.ErrorContains(t, err, "not an integer")
	_, err = core.HandleID[string](core.NewTaskHandle("B", "x", ""), "A")
	assert.ErrorContains(t, err, "not a v1 handle of A")
}

// TestWaitTask_MaxWait: a task still pending at the bound ends in a
// *WaitTimeoutError carrying the handle and last status, after one poll at
// the bound itself.
func TestWaitTask_MaxWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		var at []time.Duration
		poll := func(context.Context) (*progress, error) {
			at = append(at, time.Since(start))
			return &progress{Status: "MAKING"}, nil
		}
		h := core.NewTaskHandle("VideoMake", "t1", "r1")
		_, err := core.WaitTask(context.Background(), h, poll, classify, func(p *progress) string { return p.Status },
			core.WithPollInterval(2*time.Second), core.WithMaxWait(5*time.Second))
		var te *core.WaitTimeoutError
		require.ErrorAs(t, err, &te)
		assert.True(t, errors.Is(err, core.ErrMaxWait))
		assert.Equal(t, h, te.Handle)
		assert.Equal(t, "MAKING", te.Status)
		assert.Equal(t, []time.Duration{0, 2 * time.Second, 5 * time.Second}, at)
	})
}

// TestWaitTask_NoBoundByDefault: without WithMaxWait a long task ends normally.
func TestWaitTask_NoBoundByDefault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := 0
		poll := func(context.Context) (*progress, error) {
			n++
			if n == 40 {
				return &progress{Status: "SUCCESS"}, nil
			}
			return &progress{Status: "MAKING"}, nil
		}
		r, err := core.WaitTask(context.Background(), core.TaskHandle{}, poll, classify, func(p *progress) string { return p.Status })
		require.NoError(t, err)
		assert.Equal(t, "SUCCESS", r.Status)
	})
}
