package fullclienttest_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generator/internal/fullclient"
	"github.com/ivhgen/ivhgen/generator/internal/fullclient/fullclienttest"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// Each page of ListJobsAll carries a fresh autofilled ReqId (issue 16): the
// fake's server side counts the distinct ids it saw.
func TestPagesGetAFreshReqIdEach(t *testing.T) {
	srv := fullclienttest.New(t)
	var mu sync.Mutex
	seen := map[string]bool{}
	srv.HandleListJobs(func(_ context.Context, req *fullclient.ListJobsRequest) (*fullclient.ListJobsResponse, error) {
		mu.Lock()
		seen[req.ReqID] = true
		mu.Unlock()
		resp := &fullclient.ListJobsResponse{Total: 5}
		for i := (req.PageIndex - 1) * req.PageSize; i < min(req.PageIndex*req.PageSize, 5); i++ {
			resp.Jobs = append(resp.Jobs, fullclient.JobSummary{JobID: strconv.Itoa(i)})
		}
		return resp, nil
	})
	n := 0
	for _, err := range srv.Client().Media.ListJobsAll(context.Background(), &fullclient.ListJobsRequest{PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 5 || len(seen) != 3 || seen[""] {
		t.Errorf("got %d items and ReqIds %v; want 5 items and 3 distinct, non-empty ids", n, seen)
	}
}

// FailNext<API> reports its code and message through the waiter.
func TestFailNextReachesTheWaiter(t *testing.T) {
	srv := fullclienttest.New(t)
	srv.FailNextCreateJob(7, "boom")
	c := srv.Client()
	ctx := context.Background()
	in := &fullclient.CreateJobRequest{Title: "t"}
	started, err := c.Media.CreateJob(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Media.WaitCreateJob(ctx, in, started, ivhrt.WithPollInterval(time.Millisecond))
	var tf *ivhrt.TaskFailedError
	if !errors.As(err, &tf) || tf.FailCode != 7 || tf.FailMessage != "boom" || tf.Status != "FAILED" {
		t.Fatalf("err = %v, want a TaskFailedError with code 7 and message boom", err)
	}
}
