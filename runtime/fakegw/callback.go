package fakegw

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// callbackURLOf returns the CallbackUrl a create's input carries, or "".
func callbackURLOf(input any) string {
	b, err := json.Marshal(input)
	if err != nil {
		return ""
	}
	var v struct{ CallbackUrl string }
	if json.Unmarshal(b, &v) != nil {
		return ""
	}
	return v.CallbackUrl
}

// scheduleCallback posts st's result to url once, when its simulated render
// ends (in real time), as the vendor does: once, unsigned, not retried.
func (ts *TaskStore) scheduleCallback(st *taskState, url string) {
	d := st.slot.end.Sub(ts.sim.Clock.Now())
	time.AfterFunc(max(d, 0), func() { ts.sendCallback(st, url) })
}

func (ts *TaskStore) sendCallback(st *taskState, url string) {
	ts.mu.Lock()
	last := st.steps[len(st.steps)-1]
	if last.Status == StatusSuccess && ts.sim.MediaURL != nil {
		last.MediaURL = ts.sim.MediaURL(st.task.ID)
	}
	body, _ := json.Marshal(map[string]any{"Payload": map[string]any{
		"TaskId": st.task.ID, "Status": last.Status, "Progress": last.Progress,
		"MediaUrl": last.MediaURL, "FailMessage": last.FailMessage,
	}})
	hc := ts.sim.CallbackClient
	ts.mu.Unlock()
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ok := false
	if req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body)); err == nil {
		req.Header.Set("Content-Type", "application/json")
		if resp, err := hc.Do(req); err == nil {
			resp.Body.Close()
			ok = resp.StatusCode == http.StatusOK
		}
	}
	ts.mu.Lock()
	if ok {
		ts.sim.stats.Callbacks++
	} else {
		ts.sim.stats.CallbacksFailed++
	}
	ts.mu.Unlock()
}
