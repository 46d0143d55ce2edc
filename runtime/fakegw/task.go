package fakegw

import (
	"fmt"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
	"sync"
	"time"
)

// The Status values of the video task poller (getprogress).
const (
	StatusCommit  = "COMMIT"
	StatusMaking  = "MAKING"
	StatusSuccess = "SUCCESS"
	StatusFail    = "FAIL"
)

// TaskStep is what one poll of a task reports.
type TaskStep struct {
	Status      string
	Progress    int
	FailCode    core.FailCode
	FailMessage string
	ArrayCount  int    // tasks queued ahead, while COMMIT in a simulation
	MediaURL    string // the result, once done in a simulation with MediaURL
}

// DefaultTaskSteps is the video flow: COMMIT, MAKING, then SUCCESS.
func DefaultTaskSteps() []TaskStep {
	return []TaskStep{
		{Status: StatusCommit},
		{Status: StatusMaking, Progress: 50},
		{Status: StatusSuccess, Progress: 100},
	}
}

// FailingTaskSteps is the video flow ending in FAIL with the given FailCode.
func FailingTaskSteps(failCode core.FailCode, message string) []TaskStep {
	return []TaskStep{
		{Status: StatusCommit},
		{Status: StatusMaking, Progress: 50},
		{Status: StatusFail, Progress: -1, FailCode: failCode, FailMessage: message},
	}
}

// Task is a snapshot of one simulated task.
type Task struct {
	ID    string
	Input any // what Create was given, typically the decoded request
	TaskStep
	Polls int  // how many times Poll has seen it
	Done  bool // the last step has been reported
}

// TaskStore simulates create-then-poll tasks: the n-th poll of a task
// reports the n-th step of its script and the last step from then on. It is
// safe for concurrent use.
type TaskStore struct {
	prefix string

	mu      sync.Mutex
	steps   []TaskStep
	scripts [][]TaskStep
	tasks   map[string]*taskState
	order   []string
	sim     *simulation
}

type taskState struct {
	task  Task
	steps []TaskStep
	slot  *simSlot // set in a simulation
}

// NewTaskStore returns a store whose task ids start with prefix ("task-" if
// empty) and whose tasks follow steps (DefaultTaskSteps if none).
func NewTaskStore(prefix string, steps ...TaskStep) *TaskStore {
	if prefix == "" {
		prefix = "task-"
	}
	if len(steps) == 0 {
		steps = DefaultTaskSteps()
	}
	return &TaskStore{prefix: prefix, steps: steps, tasks: map[string]*taskState{}}
}

// SetSteps changes the script of tasks created from now on; with no steps it
// restores DefaultTaskSteps.
func (ts *TaskStore) SetSteps(steps ...TaskStep) {
	if len(steps) == 0 {
		steps = DefaultTaskSteps()
	}
	ts.mu.Lock()
	ts.steps = steps
	ts.mu.Unlock()
}

// ScriptNext queues a script for the next task created; later calls queue
// scripts for the tasks after it. Tasks without a queued script use the
// store's steps.
func (ts *TaskStore) ScriptNext(steps ...TaskStep) {
	if len(steps) == 0 {
		return
	}
	ts.mu.Lock()
	ts.scripts = append(ts.scripts, steps)
	ts.mu.Unlock()
}

// FailNext queues, for the next task created, the store's steps before its
// last, then fail: the task walks its pending statuses and ends in fail.
func (ts *TaskStore) FailNext(fail TaskStep) {
	ts.mu.Lock()
	script := append(append([]TaskStep(nil), ts.steps[:len(ts.steps)-1]...), fail)
	ts.scripts = append(ts.scripts, script)
	ts.mu.Unlock()
}

// Create starts a task for input and returns it, in its first step. In a
// simulation it ignores the quota; use Start.
func (ts *TaskStore) Create(input any) Task {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.create(input)
}

// Start is Create that, in a simulation (Simulate), refuses a submission
// over its pool's cap with an *ErrorReply of CodeLimitExceeded, as the
// vendor does, and schedules the task on its pool.
func (ts *TaskStore) Start(input any) (Task, error) {
	ts.mu.Lock()
	if ts.sim != nil && ts.sim.CreateLatency > 0 {
		d := ts.sim.CreateLatency
		ts.mu.Unlock() // other creates and polls go on meanwhile
		time.Sleep(d)
		ts.mu.Lock()
	}
	defer ts.mu.Unlock()
	if ts.sim == nil {
		return ts.create(input), nil
	}
	slot, err := ts.sim.admit(input)
	if err != nil {
		return Task{}, err
	}
	t := ts.create(input)
	st := ts.tasks[t.ID]
	st.slot = slot
	st.task.TaskStep, st.task.Done = ts.sim.step(st)
	if url := callbackURLOf(input); url != "" && !ts.sim.NoCallbacks {
		ts.scheduleCallback(st, url)
	}
	return st.task, nil
}

func (ts *TaskStore) create(input any) Task {
	steps := ts.steps
	if len(ts.scripts) > 0 {
		steps, ts.scripts = ts.scripts[0], ts.scripts[1:]
	}
	id := fmt.Sprintf("%s%06d", ts.prefix, len(ts.order)+1)
	st := &taskState{task: Task{ID: id, Input: input, TaskStep: steps[0], Done: len(steps) == 1}, steps: steps}
	ts.tasks[id] = st
	ts.order = append(ts.order, id)
	return st.task
}

// Poll advances task id by one poll and returns it. An unknown id is an
// *ErrorReply with CodeRecordNotFound, as the real poller answers.
func (ts *TaskStore) Poll(id string) (Task, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	st, ok := ts.tasks[id]
	if !ok {
		return Task{}, Errorf(CodeRecordNotFound, "task %q does not exist", id)
	}
	st.task.Polls++
	if st.slot != nil {
		st.task.TaskStep, st.task.Done = ts.sim.step(st)
		return st.task, nil
	}
	i := min(st.task.Polls, len(st.steps)) - 1
	st.task.TaskStep = st.steps[i]
	st.task.Done = i == len(st.steps)-1
	return st.task, nil
}

// Get returns task id without advancing it.
func (ts *TaskStore) Get(id string) (Task, bool) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	st, ok := ts.tasks[id]
	if !ok {
		return Task{}, false
	}
	return st.task, true
}

// Tasks returns every task in creation order.
func (ts *TaskStore) Tasks() []Task {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	out := make([]Task, len(ts.order))
	for i, id := range ts.order {
		out[i] = ts.tasks[id].task
	}
	return out
}
