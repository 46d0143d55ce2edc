package core_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/internal/hostile"
	"github.com/ivhgen/ivhgen/runtime/internal/core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
)

// h2Want is what one operation kind must see against a hostile H2 server:
// complete bodies the server received, and how the call ends.
type h2Want struct {
	deliveries int
	ok         bool // else an error; for a create, ErrOutcomeUnknown unless notUnknown
	notUnknown bool
}

// h2Case is one FAULT scenario played by the raw-frame HTTP/2 server.
type h2Case struct {
	id, name     string
	answer       func(n int) hostile.Action // by arrival number
	idem, create h2Want
	// foreignCreate is the create's outcome through a caller's transport
	// (net/http's bundled HTTP/2), where a refused rewind proves nothing.
	foreignCreate *h2Want
}

// warmOp opens the connection before a case that needs it open.
var warmOp = &core.Operation{Name: "Warm", Path: "/warm", Idempotent: true}

func firstThenOK(a hostile.Action) func(int) hostile.Action {
	return func(n int) hostile.Action {
		if n == 1 {
			return a
		}
		return okAction()
	}
}

func always(a hostile.Action) func(int) hostile.Action { return func(int) hostile.Action { return a } }

func rst(code http2.ErrCode) hostile.Action { return hostile.Action{Kind: hostile.Reset, Code: code} }

func goAway(delta int) hostile.Action {
	return hostile.Action{Kind: hostile.GoAway, Delta: delta, Code: http2.ErrCodeNo}
}

var (
	unknownOnce = h2Want{deliveries: 1}
	okTwice     = h2Want{deliveries: 2, ok: true}
)

func h2Cases() []h2Case {
	return []h2Case{
		{id: "F1", name: "ok", answer: always(okAction()), idem: h2Want{1, true, false}, create: h2Want{1, true, false}},
		{id: "F9", name: "close after reading body", answer: always(hostile.Action{Kind: hostile.Close}),
			idem: h2Want{deliveries: 3}, create: unknownOnce},
		{id: "F10", name: "TCP RST after reading body", answer: always(hostile.Action{Kind: hostile.ResetTCP}),
			idem: h2Want{deliveries: 3}, create: unknownOnce},
		{id: "F11", name: "headers sent, body truncated", answer: always(hostile.Action{Kind: hostile.Truncate, Body: `{"Header":{"Co`}),
			idem: h2Want{deliveries: 3}, create: unknownOnce},
		{id: "F21a", name: "RST_STREAM(PROTOCOL_ERROR) once", answer: firstThenOK(rst(http2.ErrCodeProtocol)),
			idem: okTwice, create: unknownOnce},
		{id: "F21b", name: "RST_STREAM(PROTOCOL_ERROR) always", answer: always(rst(http2.ErrCodeProtocol)),
			idem: h2Want{deliveries: 3}, create: unknownOnce},
		{id: "F22a", name: "RST_STREAM(INTERNAL_ERROR)", answer: always(rst(http2.ErrCodeInternal)),
			idem: h2Want{deliveries: 3}, create: unknownOnce},
		{id: "F22b", name: "RST_STREAM(CANCEL)", answer: always(rst(http2.ErrCodeCancel)),
			idem: h2Want{deliveries: 3}, create: unknownOnce},
		{id: "F23", name: "RST_STREAM(REFUSED_STREAM) then ok", answer: firstThenOK(rst(http2.ErrCodeRefusedStream)),
			idem: okTwice, create: okTwice, foreignCreate: &unknownOnce},
		{id: "F24a", name: "GOAWAY below the stream then ok", answer: firstThenOK(goAway(-2)),
			idem: okTwice, create: okTwice, foreignCreate: &unknownOnce},
		{id: "F24b", name: "GOAWAY at the stream", answer: firstThenOK(goAway(0)),
			idem: okTwice, create: unknownOnce},
		{id: "F24c", name: "GOAWAY above the stream", answer: firstThenOK(goAway(2)),
			idem: okTwice, create: unknownOnce},
		{id: "F25", name: "1xx forever", answer: always(hostile.Action{Kind: hostile.Flood1xx}),
			idem: h2Want{deliveries: 3}, create: unknownOnce},
	}
}

// TestFAULT_H2Hostile plays the HTTP/2 rows of the FAULT matrix (and the
// rows that need a raw connection) against the raw-frame server, through
// the runtime's own transport and through a caller's net/http transport,
// counting complete bodies on the server (RETRY-3, RETRY-7).
func TestFAULT_H2Hostile(t *testing.T) {
	for _, tc := range h2Cases() {
		for _, transport := range []string{"own", "foreign"} {
			for _, op := range []*core.Operation{idemOp, createOp} {
				want := tc.idem
				if op == createOp {
					want = tc.create
					if transport == "foreign" && tc.foreignCreate != nil {
						want = *tc.foreignCreate
					}
				}
				name := fmt.Sprintf("%s_%s_%s", tc.id, transport, op.Name)
				t.Run(name, func(t *testing.T) {
					t.Parallel() // each case has its own server and client
					runH2Case(t, tc, transport, op, want)
				})
			}
		}
	}
}

func runH2Case(t *testing.T, tc h2Case, transport string, op *core.Operation, want h2Want) {
	s := hostile.NewH2(t, func(r hostile.Request) hostile.Action {
		if r.Path == warmOp.Path {
			return okAction()
		}
		return tc.answer(r.N)
	})
	opt := core.WithTLSConfig(hostile.ClientTLS())
	if transport == "foreign" {
		opt = foreignTLS(t)
	}
	// Only F25 waits for the per-attempt timeout; elsewhere a generous one
	// keeps a slow TLS handshake on a loaded machine from changing the row.
	timeout := 2 * time.Second
	if tc.id == "F25" {
		timeout = 300 * time.Millisecond
	}
	var logs logBuffer
	c, _ := hostileClient(t, s.URL(), opt, core.WithTimeout(timeout), core.WithLogger(logs.logger()))
	if tc.id == "F25" {
		// Connect first, so that the short timeout only covers the flood,
		// not a TLS handshake slowed by a loaded machine.
		require.NoError(t, call(t, c, warmOp))
	}
	err := call(t, c, op)
	got := s.Complete(op.Path)
	attempts := 1 + strings.Count(logs.String(), `"msg":"apaas retry"`)
	logMatrix(t, tc.id, "h2/"+transport, op, got, attempts, err)
	if op == createOp {
		// An attempt that wrote nothing (a handshake slowed by load) may
		// be retried; it adds an attempt, never a delivery.
		assert.GreaterOrEqual(t, attempts, want.deliveries, "a create's attempts cover its deliveries")
	}
	if op == idemOp && transport == "foreign" && !want.ok {
		// The caller's transport may replay an idempotent body once per
		// attempt on its own; bounded, and harmless for a query.
		assert.LessOrEqual(t, got, 2*want.deliveries, "complete bodies")
	} else {
		assert.Equal(t, want.deliveries, got, "complete bodies")
	}
	switch {
	case want.ok:
		assert.NoError(t, err)
	case op == createOp && !want.notUnknown:
		assert.ErrorIs(t, err, core.ErrOutcomeUnknown)
	default:
		assert.Error(t, err)
		assert.NotErrorIs(t, err, core.ErrOutcomeUnknown)
	}
}

// logMatrix prints one row of the closing note's matrix (go test -v).
func logMatrix(t *testing.T, id, proto string, op *core.Operation, deliveries, attempts int, err error) {
	t.Helper()
	t.Logf("MATRIX|%s|%s|%s|%d|%d|%s", id, proto, op.Name, deliveries, attempts, errKind(err))
}

func errKind(err error) string {
	if err == nil {
		return "ok"
	}
	for _, k := range []struct {
		name   string
		target any
	}{{"OutcomeUnknownError", new(*core.OutcomeUnknownError)}, {"APIError", new(*core.APIError)},
		{"HTTPError", new(*core.HTTPError)}, {"ProtocolError", new(*core.ProtocolError)},
		{"TransportError", new(*core.TransportError)}} {
		if errors.As(err, k.target) {
			if re := new(*core.RetryError); errors.As(err, re) {
				return "RetryError>" + k.name
			}
			return k.name
		}
	}
	return fmt.Sprintf("%T", err)
}
