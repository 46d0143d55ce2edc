package hostile

import (
	"net/http"
	"net/url"
	"sync"
)

// Request is one request as a hostile server read it.
type Request struct {
	N        int // 1-based arrival order across the server
	Method   string
	Path     string
	Query    url.Values
	Header   http.Header
	Body     []byte
	Complete bool // the whole body arrived (END_STREAM, or Content-Length bytes)
}

// Deliveries counts complete request bodies per path. It is safe for
// concurrent use.
type Deliveries struct {
	mu     sync.Mutex
	reqs   []Request
	byPath map[string]int
}

// add records r and returns its arrival number.
func (d *Deliveries) add(r Request) Request {
	d.mu.Lock()
	defer d.mu.Unlock()
	r.N = len(d.reqs) + 1
	d.reqs = append(d.reqs, r)
	if r.Complete {
		if d.byPath == nil {
			d.byPath = map[string]int{}
		}
		d.byPath[r.Path]++
	}
	return r
}

// Complete returns how many complete bodies arrived for path.
func (d *Deliveries) Complete(path string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.byPath[path]
}

// Requests returns every request read so far, complete or not.
func (d *Deliveries) Requests() []Request {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Request(nil), d.reqs...)
}
