package fakegw_test

import (
	"sync"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

func pollStatuses(t *testing.T, ts *fakegw.TaskStore, id string, n int) []string {
	t.Helper()
	var out []string
	for range n {
		tk, err := ts.Poll(id)
		must(t, err)
		out = append(out, tk.Status)
	}
	return out
}

func TestTaskStoreDefaultFlow(t *testing.T) {
	ts := fakegw.NewTaskStore("")
	tk := ts.Create("input")
	equal(t, tk.ID, "task-000001")
	equal(t, tk.Status, fakegw.StatusCommit)
	equal(t, tk.Input, any("input"))
	equal(t, tk.Done, false)
	var progress []int
	var done []bool
	for range 4 {
		p, err := ts.Poll(tk.ID)
		must(t, err)
		progress = append(progress, p.Progress)
		done = append(done, p.Done)
	}
	equal(t, progress, []int{0, 50, 100, 100})
	equal(t, done, []bool{false, false, true, true})
	got, ok := ts.Get(tk.ID)
	equal(t, ok, true)
	equal(t, got.Polls, 4)
	equal(t, got.Status, fakegw.StatusSuccess)
	again, _ := ts.Get(tk.ID)
	equal(t, again.Polls, 4, "Get does not count as a poll")
}

func TestTaskStoreFailureAndScripts(t *testing.T) {
	ts := fakegw.NewTaskStore("vid-", fakegw.FailingTaskSteps(801008, "download failed")...)
	a := ts.Create(nil)
	equal(t, pollStatuses(t, ts, a.ID, 3), []string{"COMMIT", "MAKING", "FAIL"})
	last, _ := ts.Get(a.ID)
	equal(t, last.FailCode, 801008)
	equal(t, last.FailMessage, "download failed")
	equal(t, last.Progress, -1)

	ts.SetSteps()
	ts.ScriptNext(fakegw.TaskStep{Status: "WAITING"}, fakegw.TaskStep{Status: "SUCCESS"})
	ts.ScriptNext(fakegw.TaskStep{Status: "DONE"})
	ts.ScriptNext() // ignored
	b, c, d := ts.Create(nil), ts.Create(nil), ts.Create(nil)
	equal(t, b.ID, "vid-000002")
	equal(t, pollStatuses(t, ts, b.ID, 3), []string{"WAITING", "SUCCESS", "SUCCESS"})
	equal(t, c.Done, true, "a one-step script is done at once")
	equal(t, pollStatuses(t, ts, c.ID, 2), []string{"DONE", "DONE"})
	equal(t, pollStatuses(t, ts, d.ID, 3), []string{"COMMIT", "MAKING", "SUCCESS"}, "SetSteps() restores the default")

	ts.SetSteps(fakegw.TaskStep{Status: "MAKING"}, fakegw.TaskStep{Status: "SUCCESS"})
	e := ts.Create(nil)
	equal(t, pollStatuses(t, ts, e.ID, 2), []string{"MAKING", "SUCCESS"})

	var ids []string
	for _, tk := range ts.Tasks() {
		ids = append(ids, tk.ID)
	}
	equal(t, ids, []string{"vid-000001", "vid-000002", "vid-000003", "vid-000004", "vid-000005"})
}

func TestTaskStoreUnknownID(t *testing.T) {
	ts := fakegw.NewTaskStore("")
	_, err := ts.Poll("nope")
	e := asReply[*fakegw.ErrorReply](t, err)
	equal(t, e.Code, fakegw.CodeRecordNotFound)
	contains(t, e.Error(), `task "nope" does not exist`)
	_, ok := ts.Get("nope")
	equal(t, ok, false)
}

func TestTaskStoreConcurrent(t *testing.T) {
	ts := fakegw.NewTaskStore("")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				tk := ts.Create(nil)
				if _, err := ts.Poll(tk.ID); err != nil {
					t.Error(err)
				}
				ts.Tasks()
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, tk := range ts.Tasks() {
		seen[tk.ID] = true
		equal(t, tk.Polls, 1)
	}
	equal(t, len(seen), 400)
}

func statuses(t *testing.T, ss *fakegw.SessionStore, id string, n int) []int {
	t.Helper()
	var out []int
	for range n {
		s, err := ss.Stat(id)
		must(t, err)
		out = append(out, s.Status)
	}
	return out
}

func TestSessionStoreLifecycle(t *testing.T) {
	ss := fakegw.NewSessionStore("", 2)
	s := ss.Create("req")
	equal(t, s.ID, "session-000001")
	equal(t, s.Status, fakegw.SessionPreparing)
	equal(t, s.PlayStreamAddr, "rtmp://fakegw.invalid/live/session-000001")
	equal(t, s.Input, any("req"))

	_, err := ss.Start(s.ID)
	equal(t, asReply[*fakegw.ErrorReply](t, err).Code, fakegw.CodeSessionNotReady)
	equal(t, statuses(t, ss, s.ID, 3), []int{3, 3, 1})

	started, err := ss.Start(s.ID)
	must(t, err)
	equal(t, started.Started, true)
	closed, err := ss.Close(s.ID)
	must(t, err)
	equal(t, closed.Status, fakegw.SessionClosed)
	equal(t, statuses(t, ss, s.ID, 1), []int{2}, "a closed session stays closed")

	_, err = ss.Close(s.ID)
	equal(t, asReply[*fakegw.ErrorReply](t, err).Code, fakegw.CodeSessionClosed)
	_, err = ss.Start(s.ID)
	equal(t, asReply[*fakegw.ErrorReply](t, err).Code, fakegw.CodeSessionClosed)

	got, ok := ss.Get(s.ID)
	equal(t, ok, true)
	equal(t, got.Polls, 4)
}

func TestSessionStoreReadyAtOnceAndFailures(t *testing.T) {
	ss := fakegw.NewSessionStore("s-", -1)
	ready := ss.Create(nil)
	equal(t, ready.Status, fakegw.SessionReady)

	ss = fakegw.NewSessionStore("s-", 1)
	ss.FailNext(-111003, "model load error")
	bad, good := ss.Create(nil), ss.Create(nil)
	equal(t, statuses(t, ss, bad.ID, 2), []int{3, 4})
	failed, _ := ss.Get(bad.ID)
	equal(t, failed.ErrorCode, -111003)
	equal(t, failed.ErrorMessage, "model load error")
	_, err := ss.Start(bad.ID)
	equal(t, asReply[*fakegw.ErrorReply](t, err).Code, fakegw.CodeSessionNotReady)
	equal(t, statuses(t, ss, good.ID, 2), []int{3, 1})

	preparing := ss.Create(nil)
	closed, err := ss.Close(preparing.ID)
	must(t, err)
	equal(t, closed.Status, fakegw.SessionClosed)
	equal(t, len(ss.Sessions()), 3)
	equal(t, ss.Sessions()[2].ID, "s-000003")
}

func TestSessionStoreUnknownID(t *testing.T) {
	ss := fakegw.NewSessionStore("", 0)
	for _, f := range []func(string) (fakegw.Session, error){ss.Stat, ss.Start, ss.Close} {
		_, err := f("nope")
		equal(t, asReply[*fakegw.ErrorReply](t, err).Code, fakegw.CodeSessionNotFound)
	}
	_, ok := ss.Get("nope")
	equal(t, ok, false)
}
