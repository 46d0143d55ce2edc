package fakegw_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// Small assertion helpers: testify's current release needs a go.sum entry
// this module does not have, so the tests use the standard library only.

func equal[T any](t testing.TB, got, want T, context ...any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v %v", got, want, context)
	}
}

func contains(t testing.TB, s, sub string) {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Errorf("%q does not contain %q", s, sub)
	}
}

func notContains(t testing.TB, s, sub string) {
	t.Helper()
	if strings.Contains(s, sub) {
		t.Errorf("%q contains %q", s, sub)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func jsonEq(t testing.TB, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Errorf("got invalid JSON %q: %v", got, err)
		return
	}
	must(t, json.Unmarshal([]byte(want), &w))
	if !reflect.DeepEqual(g, w) {
		t.Errorf("JSON %s, want %s", got, want)
	}
}

// asReply extracts the *ErrorReply in err, failing the test if there is none.
func asReply[E error](t testing.TB, err error) E {
	t.Helper()
	var e E
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a %T", err, err, e)
	}
	return e
}
