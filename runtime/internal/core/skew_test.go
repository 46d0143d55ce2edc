package core_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type skewResponse struct {
	DateOffsetS *int64 `json:"date_offset_s"`
	Age         string `json:"age"`
	RTTS        int64  `json:"rtt_s"`
	Code        int    `json:"code"`
}

type skewCall struct {
	Responses      []skewResponse `json:"responses"`
	WantAttempts   int            `json:"want_attempts"`
	WantTSOffsetsS []int64        `json:"want_ts_offsets_s"`
	WantOffsetS    int64          `json:"want_offset_s"`
	WantCode       int            `json:"want_code"`
}

// skewServer answers from a script, dating responses against the fake
// clock and advancing it by the scripted round trip.
type skewServer struct {
	mu     sync.Mutex
	clk    *fakeClock
	script []skewResponse
}

func (s *skewServer) handle(_ *gateway, _ int, w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	r := s.script[0]
	s.script = s.script[1:]
	s.mu.Unlock()
	if r.DateOffsetS != nil {
		w.Header().Set("Date", s.clk.Now().Add(time.Duration(*r.DateOffsetS)*time.Second).UTC().Format(http.TimeFormat))
	}
	if r.Age != "" {
		w.Header().Set("Age", r.Age)
	}
	s.clk.Advance(time.Duration(r.RTTS) * time.Second)
	envelope(w, 200, r.Code, "", `{"TaskId":"t-1"}`)
}

// TestSKEW3_Vectors runs the AWS clock-skew cases ported to aPaaS
// semantics, for an idempotent operation and a create (SKEW-1, SKEW-2).
func TestSKEW3_Vectors(t *testing.T) {
	b, err := os.ReadFile("testdata/clock_skew_vectors.json")
	require.NoError(t, err)
	var cases []struct {
		Name  string     `json:"name"`
		Calls []skewCall `json:"calls"`
	}
	require.NoError(t, json.Unmarshal(b, &cases))
	require.True(t, len(cases) >= 6)
	for _, tc := range cases {
		for _, op := range []*core.Operation{idemOp, createOp} {
			t.Run(tc.Name+"/"+op.Name, func(t *testing.T) { runSkewCase(t, op, tc.Calls) })
		}
	}
}

func runSkewCase(t *testing.T, op *core.Operation, calls []skewCall) {
	clk := newFakeClock()
	ss := &skewServer{clk: clk}
	g := newGateway(t, false, ss.handle)
	c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()), core.WithClock(clk), core.WithSleeper(clk))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	seen := 0
	for i, call := range calls {
		ss.script = append(ss.script, call.Responses...)
		start := clk.Now().Unix()
		_, err := core.Do[makeReq, makeResp](context.Background(), c, op, &makeReq{})
		if call.WantCode != 0 {
			var ae *core.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, core.Code(call.WantCode), ae.Code)
			assert.True(t, ae.IsAuth())
		} else {
			require.NoError(t, err, "call %d", i)
		}
		reqs := g.requests()[seen:]
		seen += len(reqs)
		require.Len(t, reqs, call.WantAttempts, "call %d attempts", i)
		for j, r := range reqs {
			assert.Equal(t, strconv.FormatInt(start+call.WantTSOffsetsS[j], 10), r.Query.Get("timestamp"), "call %d attempt %d", i, j)
		}
		assert.Equal(t, time.Duration(call.WantOffsetS)*time.Second, c.ClockOffset(), "call %d offset", i)
	}
	assert.Empty(t, clk.Sleeps(), "the skew retry does not back off")
}

// TestSKEW1_Disabled: WithoutClockSkewCorrection ignores Date.
func TestSKEW1_Disabled(t *testing.T) {
	clk := newFakeClock()
	off := int64(360)
	ss := &skewServer{clk: clk, script: []skewResponse{{DateOffsetS: &off, Code: 100005}}}
	g := newGateway(t, false, ss.handle)
	c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()), core.WithClock(clk),
		core.WithoutClockSkewCorrection())
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	assert.ErrorIs(t, err, core.CodeSignatureRejected)
	assert.Equal(t, 1, g.count())
	assert.Zero(t, c.ClockOffset())
	assert.Equal(t, clk.Now(), c.Now())
}

// TestSKEW1_NoiseIgnored: a sample within the 1 s Date granularity keeps
// the offset at zero.
func TestSKEW1_NoiseIgnored(t *testing.T) {
	clk := newFakeClock()
	clk.Advance(900 * time.Millisecond)
	zero := int64(0)
	ss := &skewServer{clk: clk, script: []skewResponse{{DateOffsetS: &zero}}}
	g := newGateway(t, false, ss.handle)
	c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()), core.WithClock(clk))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	require.NoError(t, err)
	assert.Zero(t, c.ClockOffset())
}

// TestSKEW2_SignedQueryUsesOffset: the WebSocket helper signs at the
// corrected time.
func TestSKEW1_SignedQueryUsesOffset(t *testing.T) {
	clk := newFakeClock()
	off := int64(400)
	ss := &skewServer{clk: clk, script: []skewResponse{{DateOffsetS: &off}}}
	g := newGateway(t, false, ss.handle)
	c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()), core.WithClock(clk))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
	require.NoError(t, err)
	q := c.SignedQuery(map[string][]string{"requestid": {"sess-1"}})
	assert.Equal(t, strconv.FormatInt(clk.Now().Unix()+400, 10), q.Get("timestamp"))
	assert.Equal(t, refSign(testToken, q), q.Get("signature"))
	assert.Equal(t, "sess-1", q.Get("requestid"))
}

// TestSKEW4_WarnOnLargeChange: an offset change above 60 s is logged once
// at Warn with old and new values.
func TestSKEW4_WarnOnLargeChange(t *testing.T) {
	clk := newFakeClock()
	off, small := int64(120), int64(150)
	ss := &skewServer{clk: clk, script: []skewResponse{{DateOffsetS: &off}, {DateOffsetS: &small}}}
	g := newGateway(t, false, ss.handle)
	var logs logBuffer
	c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()), core.WithClock(clk), core.WithLogger(logs.logger()))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	for range 2 {
		_, err = core.Do[makeReq, makeResp](context.Background(), c, idemOp, &makeReq{})
		require.NoError(t, err)
	}
	out := logs.String()
	assert.Equal(t, 1, strings.Count(out, "clock offset changed"))
	assert.Contains(t, out, `"level":"WARN"`)
	assert.Contains(t, out, `"new_offset":120000000000`)
	assert.NotContains(t, out, testToken)
}

// TestSKEW2_RetriedOnce: a rejected signature under a skew above 4 min is
// retried once, immediately, for both operation kinds; a second rejection
// ends the call.
func TestSKEW2_RetriedOnce(t *testing.T) {
	for _, op := range []*core.Operation{idemOp, createOp} {
		clk := newFakeClock()
		off := int64(300)
		ss := &skewServer{clk: clk, script: []skewResponse{{DateOffsetS: &off, Code: 100005}, {DateOffsetS: &off, Code: 100005}, {}}}
		g := newGateway(t, false, ss.handle)
		c, err := core.NewClient(testAppKey, testToken, core.WithBaseURL(g.URL()), core.WithClock(clk), core.WithSleeper(clk))
		require.NoError(t, err)
		_, err = core.Do[makeReq, makeResp](context.Background(), c, op, &makeReq{})
		assert.ErrorIs(t, err, core.CodeSignatureRejected)
		assert.Equal(t, 2, g.count(), op.Name)
		assert.Empty(t, clk.Sleeps())
		var re *core.RetryError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, 2, re.Attempts)
		c.CloseIdleConnections()
	}
}
