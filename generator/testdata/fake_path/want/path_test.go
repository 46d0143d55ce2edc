package fake_path_test

import (
	"context"
	"slices"
	"testing"
	"time"

	train "github.com/ivhgen/ivhgen/generator/internal/goldencheck/fake_path"
	"github.com/ivhgen/ivhgen/generator/internal/goldencheck/fake_path/fake_pathtest"
)

// walk starts a task with start and polls it until it stops changing.
func walk(t *testing.T, c *train.Client, start func(context.Context) (string, error)) []train.TrainState {
	t.Helper()
	ctx := context.Background()
	id, err := start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var seen []train.TrainState
	for range 6 {
		r, err := c.Train.GetTrain(ctx, &train.GetTrainRequest{TaskID: id})
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, r.State)
	}
	return seen
}

// The fake walks the declared fakePath, not the enum's declaration order;
// a flow sharing the poll takes the same path, and FailNext ends it early.
func TestFakePath(t *testing.T) {
	srv := fake_pathtest.New(t)
	c := srv.Client()
	train1 := func(ctx context.Context) (string, error) {
		r, err := c.Train.Train(ctx, &train.TrainRequest{})
		if err != nil {
			return "", err
		}
		return r.TaskID, nil
	}
	retrain := func(ctx context.Context) (string, error) {
		r, err := c.Train.Retrain(ctx, &train.RetrainRequest{})
		if err != nil {
			return "", err
		}
		return r.TaskID, nil
	}
	want := []train.TrainState{"QUEUED", "QUEUED", "TRAINING", "TRAINED", "TRAINED", "TRAINED"}
	if got := walk(t, c, train1); !slices.Equal(got, want) {
		t.Errorf("Train walked %v, want %v", got, want)
	}
	if got := walk(t, c, retrain); !slices.Equal(got, want) {
		t.Errorf("Retrain walked %v, want %v", got, want)
	}
	srv.FailNextTrain(7)
	wantFail := []train.TrainState{"QUEUED", "QUEUED", "TRAINING", "FAIL", "FAIL", "FAIL"}
	if got := walk(t, c, train1); !slices.Equal(got, wantFail) {
		t.Errorf("after FailNextTrain walked %v, want %v", got, wantFail)
	}
	in := &train.TrainRequest{}
	started, err := c.Train.Train(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	done, err := c.Train.WaitTrain(context.Background(), in, started, train.WithPollInterval(time.Millisecond))
	if err != nil || done.State != "TRAINED" {
		t.Fatalf("WaitTrain = %v, %v; want TRAINED", done, err)
	}
}
