package core_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/require"
)

// TestTEST5_LiveSmoke runs only with IVH_APPKEY and IVH_ACCESS_TOKEN
// set: one signed call to the real gateway, and a call signed 10 minutes
// in the past to record which code the gateway gives a stale timestamp.
// IVH_LIVE_TASK_ID, when set, names a task whose progress must be readable.
func TestTEST5_LiveSmoke(t *testing.T) {
	ak, tok, opts, err := core.FromEnv()
	if err != nil {
		t.Skip("live smoke test: ", err)
	}
	type progressReq struct {
		TaskId string `json:"TaskId"`
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := core.NewClient(ak, tok, opts...)
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	task := os.Getenv("IVH_LIVE_TASK_ID")
	_, err = core.Do[progressReq, map[string]any](ctx, c, idemOp, &progressReq{TaskId: task})
	var ae *core.APIError
	if err != nil && (!errors.As(err, &ae) || ae.IsAuth() || task != "") {
		t.Fatalf("signed call rejected: %v", err)
	}

	stale, err := core.NewClient(ak, tok, append(opts, core.WithClock(offsetClock(-10*time.Minute)),
		core.WithoutClockSkewCorrection(), core.WithRetryPolicy(core.RetryPolicy{MaxAttempts: 1}))...)
	require.NoError(t, err)
	defer stale.CloseIdleConnections()
	_, err = core.Do[progressReq, map[string]any](ctx, stale, idemOp, &progressReq{TaskId: task})
	require.ErrorAs(t, err, &ae)
	t.Logf("a timestamp 10 min old gives code %d (%s); signature-rejected code is %d", ae.Code, ae.Message, core.CodeSignatureRejected)
}

// offsetClock is the system clock shifted by a fixed offset.
type offsetClock time.Duration

func (o offsetClock) Now() time.Time { return core.SystemClock{}.Now().Add(time.Duration(o)) }
