package core

import (
	"errors"
	"strings"
	"testing"
)

// The errors of a call start with the generated package's name, and
// "apaas" for an operation that names none.
func TestErrorPrefixIsThePackageName(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&APIError{Op: "Greet", pkg: "weather", Code: 1}, "weather Greet: code=1"},
		{&APIError{Op: "Greet", Code: 1}, "apaas Greet: code=1"},
		{&TransportError{Op: "Greet", pkg: "weather", Err: errors.New("x")}, "weather Greet: transport: x"},
		{&OutcomeUnknownError{Op: "Greet", pkg: "weather", Err: &TransportError{Op: "Greet", pkg: "weather", Err: errors.New("reset")}},
			"weather Greet: outcome unknown"},
		{&TaskFailedError{Op: "GetProgress", pkg: "weather"}, "weather GetProgress: task"},
		{&ValidationError{Op: "Greet", pkg: "weather"}, "weather Greet: invalid request"},
	} {
		if got := tc.err.Error(); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%T: %q, want prefix %q", tc.err, got, tc.want)
		}
		if strings.Count(tc.err.Error(), "weather Greet:") > 1 {
			t.Errorf("%T repeats its prefix: %q", tc.err, tc.err.Error())
		}
	}
}
