package ivhcli

import (
	"bytes"
	"errors"
	"iter"
	"testing"
)

// endless yields 2^21 items, as a pager does against a server whose Total
// claims 2^31-1 items and that makes every page distinct (bounded, so that
// the test fails rather than hangs without the cap).
func endless(yield func(any, error) bool) {
	for i := range 1 << 21 {
		if !yield(i, nil) {
			return
		}
	}
}

var _ iter.Seq2[any, error] = endless

// -all against a server that pages (nearly) forever ends in an error that
// points at -lines, with nothing on stdout, instead of collecting until
// memory runs out.
func TestAttackAllIsBounded(t *testing.T) {
	var out bytes.Buffer
	err := printPages(&out, endless, false)
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != ExitUsage {
		t.Fatalf("printPages(endless) = %v, want an ExitUsage error", err)
	}
	if out.Len() != 0 {
		t.Errorf("stdout has %d bytes, want none", out.Len())
	}
	if !bytes.Contains([]byte(err.Error()), []byte("-lines")) {
		t.Errorf("error %q does not point at -lines", err)
	}
}
