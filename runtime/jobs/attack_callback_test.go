package jobs_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/runtime/jobs"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func callbackBody(taskID, status string) string {
	return fmt.Sprintf(`{"Payload":{"TaskId":%q,"Status":%q,"Progress":100,"MediaUrl":"http://127.0.0.1:1/x.mp4","FailMessage":"cb says no"}}`, taskID, status)
}

// callbackServer serves cb's handler and returns its public URL.
func hostileCallbackServer(t *testing.T) (*jobs.Callbacks, *httptest.Server) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	cb, err := jobs.NewCallbacks(srv.URL+"/cb", []byte("0123456789abcdef0123456789abcdef"))
	require.NoError(t, err)
	mux.Handle("POST /cb", jobs.CallbackHandler(cb, ivh.VideoResultHandler))
	return cb, srv
}

// TestAttack_ForgedCallbacks: forged, replayed and malformed callbacks
// are refused and change nothing: the inputs' polls (MAKING for a while,
// then SUCCESS) settle them, each created once.
func TestAttack_ForgedCallbacks(t *testing.T) {
	cb, srv := hostileCallbackServer(t)
	h := newHostile(t)
	var forge func(cbURL, taskID string)
	var forged atomic.Int32
	var mu sync.Mutex
	forgedDone := map[string]bool{} // by task: its forgeries are over
	var wg sync.WaitGroup
	defer wg.Wait()
	h.onCreate = func(cbURL, taskID string) {
		wg.Go(func() { forge(cbURL, taskID); mu.Lock(); forgedDone[taskID] = true; mu.Unlock() })
	}
	forge = func(cbURL, taskID string) {
		u, err := url.Parse(cbURL)
		if err != nil || u.Query().Get("tok") == "" {
			return
		}
		q := u.Query()
		try := func(mut func(url.Values), ct, body string, want int) {
			v := url.Values{}
			for k, x := range q {
				v[k] = append([]string(nil), x...)
			}
			mut(v)
			uu := *u
			uu.RawQuery = v.Encode()
			resp, err := http.Post(uu.String(), ct, strings.NewReader(body))
			if err != nil {
				return
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("%s: forged callback answered %d, want %d", taskID, resp.StatusCode, want)
			}
			forged.Add(1)
		}
		fail := callbackBody(taskID, "FAIL")
		try(func(v url.Values) { v.Del("tok") }, "application/json", fail, 401)
		try(func(v url.Values) { v.Set("tok", "AAAA") }, "application/json", fail, 401)
		try(func(v url.Values) { v.Set("rid", "another-rid") }, "application/json", fail, 401)
		try(func(v url.Values) { v.Set("job", "in-other") }, "application/json", fail, 401)
		try(func(v url.Values) { v.Set("job", "") }, "application/json", fail, 401)
		// good token, a body naming another task: ignored
		try(func(url.Values) {}, "application/json", callbackBody("task-999", "FAIL"), 200)
		// good token, garbage or wrong content: refused by the decoder
		try(func(url.Values) {}, "text/plain", "not json", 400)
		try(func(url.Values) {}, "application/json", `{"Payload":`+strings.Repeat(" ", 2<<20)+`{}}`, 400)
		// a status that does not end anything
		try(func(url.Values) {}, "application/json", callbackBody(taskID, "MAKING"), 200)
	}
	h.poll = func(w http.ResponseWriter, id string, n int) {
		mu.Lock()
		done := forgedDone[id]
		mu.Unlock()
		if !done { // the task ends only after its forgeries
			reply(w, `{"Progress":10,"Status":"MAKING"}`)
			return
		}
		reply(w, `{"Progress":100,"Status":"SUCCESS","MediaUrl":"http://127.0.0.1:1/x.mp4"}`)
	}
	res := hostileRun(t, h, filepath.Join(t.TempDir(), "j.db"), 4, 2, func(c *jobs.Config) { c.Callbacks = cb })
	assert.Positive(t, forged.Load())
	for i := range 4 {
		r := res[fmt.Sprintf("in-%d", i)]
		assert.Equal(t, jobs.Succeeded, r.State, "in-%d: %s", i, r.Error)
		assert.Equal(t, 1, h.createsOf(fmt.Sprintf("hello %d", i)))
	}
	// a bad token is refused before the body is read: a request that
	// announces 100 MB and sends a few bytes still gets its 401 at once
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(5*time.Second)))
	_, err = fmt.Fprintf(conn, "POST /cb?job=in-0&rid=x&tok=AAAA HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{\"Payload\":")
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "a bad token's 401 waited for the body")
	assert.Equal(t, 401, resp.StatusCode)
}

// TestAttack_CallbackBeforeCreateAnswer: the gateway POSTs each result
// callback before it answers the create; polls say MAKING far beyond the
// test. The callbacks alone end every wait, each input created once.
func TestAttack_CallbackBeforeCreateAnswer(t *testing.T) {
	cb, _ := hostileCallbackServer(t)
	h := newHostile(t)
	h.onCreate = func(cbURL, taskID string) {
		resp, err := http.Post(cbURL, "application/json", strings.NewReader(callbackBody(taskID, "SUCCESS")))
		if err == nil {
			resp.Body.Close()
		}
	}
	h.poll = func(w http.ResponseWriter, id string, n int) { reply(w, `{"Progress":10,"Status":"MAKING"}`) }
	start := time.Now()
	res := hostileRun(t, h, filepath.Join(t.TempDir(), "j.db"), 6, 1, func(c *jobs.Config) { c.Callbacks = cb })
	assert.Less(t, time.Since(start), 1500*time.Millisecond, "callbacks, not WithMaxWait, ended the waits")
	for i := range 6 {
		r := res[fmt.Sprintf("in-%d", i)]
		assert.Equal(t, jobs.Succeeded, r.State, "in-%d: %s", i, r.Error)
		assert.Equal(t, 1, h.createsOf(fmt.Sprintf("hello %d", i)), "in-%d", i)
	}
}

// TestAttack_CallbackContradictsPoll: a callback says FAIL for a task
// every poll says succeeded. Whichever comes first settles the input,
// once; nothing is created twice and the next inputs still run.
func TestAttack_CallbackContradictsPoll(t *testing.T) {
	cb, _ := hostileCallbackServer(t)
	h := newHostile(t)
	h.onCreate = func(cbURL, taskID string) {
		go func() {
			resp, err := http.Post(cbURL, "application/json", strings.NewReader(callbackBody(taskID, "FAIL")))
			if err == nil {
				resp.Body.Close()
			}
		}()
	}
	res := hostileRun(t, h, filepath.Join(t.TempDir(), "j.db"), 6, 1, func(c *jobs.Config) { c.Callbacks = cb })
	for i := range 6 {
		r := res[fmt.Sprintf("in-%d", i)]
		assert.Contains(t, []jobs.State{jobs.Succeeded, jobs.Failed}, r.State, "in-%d: %s", i, r.Error)
		assert.Equal(t, 1, h.createsOf(fmt.Sprintf("hello %d", i)), "in-%d", i)
	}
}
