package ivh_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

// 801004 is both ErrSubmitTooFrequent (an API code) and FailCrashed (a
// task fail code): each error matches only its own table, as the server
// produced it.
func TestAttackCodeTablesDoNotAlias(t *testing.T) {
	c, _ := newHostile(t, func(op string, n int, _ string) (int, string) {
		if op == "videomake" {
			return 200, failEnv(801004)
		}
		return 200, okEnv(`{"Status":"FAIL","FailCode":"801004","Progress":-1}`)
	}, ivh.WithRetryPolicy(ivh.RetryPolicy{MaxAttempts: 1}))
	_, apiErr := c.Video.VideoMake(context.Background(), &ivh.VideoMakeRequest{}, ivh.SkipValidation())
	_, taskErr := c.Video.WaitVideoMake(context.Background(), nil, &ivh.VideoMakeResponse{TaskID: "t"}, ivh.WithPollInterval(time.Millisecond))
	var tf *ivh.TaskFailedError
	if !errors.As(taskErr, &tf) || !errors.Is(taskErr, ivh.FailCrashed) || errors.Is(taskErr, ivh.ErrSubmitTooFrequent) {
		t.Errorf("task failure: %v", taskErr)
	}
	if !errors.Is(apiErr, ivh.ErrSubmitTooFrequent) || errors.Is(apiErr, ivh.FailCrashed) {
		t.Errorf("api error: %v", apiErr)
	}
}

// A WithProgress callback of another response type fails before the
// first poll, naming both types.
func TestAttackWithProgressWrongType(t *testing.T) {
	c, h := newHostile(t, answerAll(`{"Status":"SUCCESS","Progress":100}`))
	called := false
	_, err := c.Video.WaitVideoMake(context.Background(), nil, &ivh.VideoMakeResponse{TaskID: "t"},
		ivh.WithProgress(func(*ivh.StatSessionResponse) { called = true }))
	if err == nil || h.count("getprogress") != 0 || called {
		t.Fatalf("err=%v polls=%d", err, h.count("getprogress"))
	}
	t.Log(err)
}

// A failed task whose FailMessage echoes the token and the poll's
// signature hands neither to the caller (the CLI printed both with -wait).
func TestAttackTaskFailedHidesEcho(t *testing.T) {
	c, h := newHostile(t, nil)
	h.answer = func(string, int, string) (int, string) {
		h.mu.Lock()
		q, _ := url.ParseQuery(h.query[len(h.query)-1])
		h.mu.Unlock()
		msg, _ := json.Marshal("bad " + hostileToken + " " + q.Get("signature"))
		return 200, okEnv(`{"Status":"FAIL","FailCode":801004,"FailMessage":` + string(msg) + `}`)
	}
	_, err := c.Video.WaitVideoMake(context.Background(), nil, &ivh.VideoMakeResponse{TaskID: "t"}, ivh.WithPollInterval(time.Millisecond))
	var tf *ivh.TaskFailedError
	if !errors.As(err, &tf) {
		t.Fatal(err)
	}
	h.mu.Lock()
	sig, _ := url.ParseQuery(h.query[len(h.query)-1])
	h.mu.Unlock()
	for _, s := range []string{tf.FailMessage, err.Error()} {
		if strings.Contains(s, hostileToken) || strings.Contains(s, sig.Get("signature")) {
			t.Errorf("secret in %q", s)
		}
	}
}
