package runtime_test

// A small stand-in for testify's assert/require: testify v1.12.1 needs a
// module (go.yaml.in/yaml/v3) that go.sum does not list, and go.mod is not
// ours to change.

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

type asserter struct{ fatal bool }

var (
	assert  = asserter{}
	require = asserter{fatal: true}
)

func (a asserter) fail(t testing.TB, msg string, extra []any) bool {
	t.Helper()
	if len(extra) > 0 {
		if f, ok := extra[0].(string); ok {
			msg += ": " + fmt.Sprintf(f, extra[1:]...)
		}
	}
	if a.fatal {
		t.Fatal(msg)
	}
	t.Error(msg)
	return false
}

func (a asserter) True(t testing.TB, v bool, extra ...any) bool {
	t.Helper()
	if !v {
		return a.fail(t, "expected true", extra)
	}
	return true
}

func (a asserter) False(t testing.TB, v bool, extra ...any) bool {
	t.Helper()
	return a.True(t, !v, extra...)
}

func (a asserter) NoError(t testing.TB, err error, extra ...any) bool {
	t.Helper()
	if err != nil {
		return a.fail(t, fmt.Sprintf("unexpected error: %v", err), extra)
	}
	return true
}

func (a asserter) Error(t testing.TB, err error, extra ...any) bool {
	t.Helper()
	if err == nil {
		return a.fail(t, "expected an error", extra)
	}
	return true
}

func (a asserter) Equal(t testing.TB, want, got any, extra ...any) bool {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		return a.fail(t, fmt.Sprintf("not equal:\nwant %#v\ngot  %#v", want, got), extra)
	}
	return true
}

func (a asserter) NotEqual(t testing.TB, x, y any, extra ...any) bool {
	t.Helper()
	if reflect.DeepEqual(x, y) {
		return a.fail(t, fmt.Sprintf("should differ: %#v", x), extra)
	}
	return true
}

func (a asserter) ErrorIs(t testing.TB, err, target error, extra ...any) bool {
	t.Helper()
	if !errors.Is(err, target) {
		return a.fail(t, fmt.Sprintf("error %v is not %v", err, target), extra)
	}
	return true
}

func (a asserter) NotErrorIs(t testing.TB, err, target error, extra ...any) bool {
	t.Helper()
	if errors.Is(err, target) {
		return a.fail(t, fmt.Sprintf("error %v is %v", err, target), extra)
	}
	return true
}

func (a asserter) ErrorAs(t testing.TB, err error, target any, extra ...any) bool {
	t.Helper()
	if !errors.As(err, target) {
		return a.fail(t, fmt.Sprintf("error %v (%T) is not a %T", err, err, target), extra)
	}
	return true
}

func (a asserter) Contains(t testing.TB, s, sub string, extra ...any) bool {
	t.Helper()
	if !strings.Contains(s, sub) {
		return a.fail(t, fmt.Sprintf("%q does not contain %q", s, sub), extra)
	}
	return true
}

func (a asserter) NotContains(t testing.TB, s, sub string, extra ...any) bool {
	t.Helper()
	if strings.Contains(s, sub) {
		i := strings.Index(s, sub)
		return a.fail(t, fmt.Sprintf("leak of %q near %q", sub, s[max(0, i-80):min(len(s), i+80)]), extra)
	}
	return true
}

func (a asserter) Len(t testing.TB, v any, n int, extra ...any) bool {
	t.Helper()
	if l := reflect.ValueOf(v).Len(); l != n {
		return a.fail(t, fmt.Sprintf("length %d, want %d", l, n), extra)
	}
	return true
}

func (a asserter) Empty(t testing.TB, v any, extra ...any) bool {
	t.Helper()
	if v != nil && reflect.ValueOf(v).Len() != 0 {
		return a.fail(t, fmt.Sprintf("not empty: %#v", v), extra)
	}
	return true
}

func (a asserter) NotEmpty(t testing.TB, v any, extra ...any) bool {
	t.Helper()
	if v == nil || reflect.ValueOf(v).Len() == 0 {
		return a.fail(t, "empty", extra)
	}
	return true
}

func (a asserter) Zero(t testing.TB, v any, extra ...any) bool {
	t.Helper()
	if v != nil && !reflect.ValueOf(v).IsZero() {
		return a.fail(t, fmt.Sprintf("not zero: %#v", v), extra)
	}
	return true
}

func (a asserter) NotZero(t testing.TB, v any, extra ...any) bool {
	t.Helper()
	if v == nil || reflect.ValueOf(v).IsZero() {
		return a.fail(t, "zero", extra)
	}
	return true
}

func (a asserter) Nil(t testing.TB, v any, extra ...any) bool {
	t.Helper()
	if v != nil && !reflect.ValueOf(v).IsNil() {
		return a.fail(t, fmt.Sprintf("not nil: %#v", v), extra)
	}
	return true
}

func (a asserter) LessOrEqual(t testing.TB, x, y any, extra ...any) bool {
	t.Helper()
	if toFloat(x) > toFloat(y) {
		return a.fail(t, fmt.Sprintf("%v is above %v", x, y), extra)
	}
	return true
}

func toFloat(v any) float64 {
	r := reflect.ValueOf(v)
	switch {
	case r.CanInt():
		return float64(r.Int())
	case r.CanUint():
		return float64(r.Uint())
	}
	return r.Float()
}
