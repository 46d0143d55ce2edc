package ivhcli_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

// A call on a closed client fails with the package's prefix only
// ("ivh GetProgress: client is closed"), not "ivh GetProgress: apaas:
// client is closed"; errors.Is still finds ErrClientClosed.
func TestAttackClosedClientErrorHasNoApaas(t *testing.T) {
	c, err := ivh.NewClient("ak", "tok", ivh.WithBaseURL("http://127.0.0.1:1"))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	_, err = c.Video.GetProgress(t.Context(), &ivh.GetProgressRequest{TaskID: "t"})
	if !errors.Is(err, ivh.ErrClientClosed) {
		t.Fatalf("err = %v, want ErrClientClosed", err)
	}
	if s := err.Error(); !strings.HasPrefix(s, "ivh GetProgress: ") || strings.Contains(s, "apaas") {
		t.Errorf("err = %q, want it to start with \"ivh GetProgress: \" and not name apaas", s)
	}
}
