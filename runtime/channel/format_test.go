package channel_test

import (
	"fmt"
	"strings"
	"testing"
)

func TestConnPrintsNoToken(t *testing.T) {
	f := newFixture(t)
	c := f.dial(t, nil)
	defer c.Close()
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		s := fmt.Sprintf(verb, c)
		if strings.Contains(s, token) || !strings.Contains(s, session) {
			t.Errorf("%s: %s", verb, s)
		}
	}
	type holder struct{ C any }
	if s := fmt.Sprintf("%+v", holder{c}); strings.Contains(s, token) {
		t.Errorf("nested: %s", s)
	}
}
