package ivh_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

// lateEcho answers GetProgress with a pending status that echoes the token
// and the request's signature, and DescribeTimbre with the same page every
// time (a stall), echoing them in the items too.
func lateEcho(t *testing.T) (*ivh.Client, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var sigs []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		sig := r.URL.Query().Get("signature")
		mu.Lock()
		sigs = append(sigs, sig)
		mu.Unlock()
		echo, _ := jsonMarshal("RUN " + hostileToken + " " + sig + "\nforged: line")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"Header":{"Code":0,"Message":"ok","RequestID":"r"},"Payload":{"Status":%s,"Progress":1,"Total":100,"TimbreAssets":[{"TimbreKey":%s}]}}`, echo, echo)
	}))
	t.Cleanup(srv.Close)
	c, err := ivh.NewClient("appkey", hostileToken, ivh.WithBaseURL(srv.URL), ivh.WithTimeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string{hostileToken}, sigs...) }
}

func assertNoSecret(t *testing.T, msg string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, f := range echoForms(s) {
			if strings.Contains(msg, f) {
				t.Errorf("secret form %q leaks in %q", f, msg)
			}
		}
	}
	if strings.ContainsAny(msg, "\n\r") {
		t.Errorf("server text breaks the line: %q", msg)
	}
}

// A max-wait timeout names the package and waiter, keeps ErrMaxWait, and
// never prints a token or signature the server echoes in the status.
func TestAttackLate_MaxWaitHidesEchoedSecrets(t *testing.T) {
	c, secrets := lateEcho(t)
	h := ivh.TaskHandle{V: 1, API: "VideoMake", TaskID: "task-1"}
	_, err := c.Video.WaitVideoMakeHandle(t.Context(), h, append(fast, ivh.WithMaxWait(1))...)
	var te *ivh.WaitTimeoutError
	if !errors.As(err, &te) || !errors.Is(err, ivh.ErrMaxWait) {
		t.Fatalf("err = %v, want a *WaitTimeoutError wrapping ErrMaxWait", err)
	}
	if !strings.HasPrefix(err.Error(), "ivh WaitVideoMake: task task-1 still ") {
		t.Errorf("message %q does not start with the package and waiter", err)
	}
	assertNoSecret(t, err.Error(), secrets())
}

// A stalled walk names the package and list call, keeps ErrPagingStalled,
// and many walks and waits sharing one client race on nothing.
func TestAttackLate_StallNamedConcurrently(t *testing.T) {
	c, secrets := lateEcho(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if i%2 == 0 {
				_, err := c.Video.WaitVideoMakeHandle(t.Context(), ivh.TaskHandle{V: 1, API: "VideoMake", TaskID: "t"}, append(fast, ivh.WithMaxWait(1))...)
				if !errors.Is(err, ivh.ErrMaxWait) || !strings.HasPrefix(err.Error(), "ivh WaitVideoMake: ") {
					t.Errorf("wait: %v", err)
				}
				return
			}
			var last error
			for _, err := range c.Asset.DescribeTimbreAll(t.Context(), &ivh.DescribeTimbreRequest{PageSize: 10}) {
				last = err
			}
			if !errors.Is(last, ivh.ErrPagingStalled) || !strings.HasPrefix(last.Error(), "ivh DescribeTimbre: paging stalled: ") {
				t.Errorf("walk: %v", last)
			} else {
				assertNoSecret(t, last.Error(), secrets())
			}
		})
	}
	wg.Wait()
}
