package core_test

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGeneratedHelpers covers the small helpers generated code calls.
func TestGeneratedHelpers(t *testing.T) {
	id := ""
	core.FillRequestID(&id)
	assert.True(t, regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id), id)
	kept := "mine"
	core.FillRequestID(&kept)
	assert.Equal(t, "mine", kept)
	assert.NotEqual(t, core.NewRequestID(), core.NewRequestID())

	type nested struct{ A int }
	assert.True(t, core.IsZero(&nested{}))
	assert.False(t, core.IsZero(&nested{A: 1}))
}

// TestSecretAndClientStrings: the Stringer forms hide the token.
func TestSecretAndClientStrings(t *testing.T) {
	s := core.NewSecret("v")
	assert.Equal(t, "[REDACTED]", s.String())
	assert.Equal(t, "[REDACTED]", s.GoString())
	assert.False(t, s.IsZero())
	c, err := core.NewClient("ak", "tok-x")
	require.NoError(t, err)
	assert.Equal(t, c.String(), c.GoString())
	assert.NotContains(t, c.GoString(), "tok-x")
	assert.Zero(t, (&core.RetryError{Err: errors.New("x")}).RetryAfter())
}

// TestSystemClock_Sleep: returns after d, at once for d ≤ 0, and with the
// context error when cancelled (synctest time).
func TestSystemClock_Sleep(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var clk core.SystemClock
		start := clk.Now()
		require.NoError(t, clk.Sleep(context.Background(), 3*time.Second))
		assert.Equal(t, 3*time.Second, time.Since(start))
		require.NoError(t, clk.Sleep(context.Background(), 0))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		assert.ErrorIs(t, clk.Sleep(ctx, time.Hour), context.Canceled)
		assert.Equal(t, 3*time.Second, time.Since(start))
	})
}
