package fakegw

import (
	"context"
	"sync"
)

// Created is one successful call of an API that creates what a list API
// pages over: the decoded request and the response it was answered with.
type Created struct {
	Request  any
	Response any
}

// ItemStore keeps what the create APIs of one list API made, in creation
// order, so the list's default handler pages over it. It is safe for
// concurrent use.
type ItemStore struct {
	mu      sync.Mutex
	created []Created
}

// Add records a creation.
func (s *ItemStore) Add(req, resp any) {
	s.mu.Lock()
	s.created = append(s.created, Created{Request: req, Response: resp})
	s.mu.Unlock()
}

// Created returns every creation so far, oldest first.
func (s *ItemStore) Created() []Created {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Created(nil), s.created...)
}

// Reset forgets every creation.
func (s *ItemStore) Reset() {
	s.mu.Lock()
	s.created = nil
	s.mu.Unlock()
}

// Items returns the store of the list API named list (its Go method
// name), or nil when the list pages over nothing created.
func (f *Fake) Items(list string) *ItemStore { return f.items[list] }

// AddItems returns the store of the list API named list, made on first
// use: a second call returns the same store, so the recorders already
// wired to it keep feeding the list.
func (f *Fake) AddItems(list string) *ItemStore {
	if s := f.items[list]; s != nil {
		return s
	}
	s := &ItemStore{}
	if f.items == nil {
		f.items = map[string]*ItemStore{}
	}
	f.items[list] = s
	return s
}

// Recorder wraps the handler of a create API: each call h answers without
// error is added to every store, so the list APIs fed by the API page
// over it. A nil store is skipped.
func Recorder[Req, Resp any](h func(context.Context, *Req) (*Resp, error), stores ...*ItemStore) func(context.Context, *Req) (*Resp, error) {
	return func(ctx context.Context, req *Req) (*Resp, error) {
		resp, err := h(ctx, req)
		if err != nil || resp == nil {
			return resp, err
		}
		for _, s := range stores {
			if s != nil {
				s.Add(req, resp)
			}
		}
		return resp, nil
	}
}

// PageHandler is the default of a list API that pages over what its create
// APIs made: page reads the 1-based page index and the page size from the
// request; each item of the page gets the fields the creation's request,
// then its response, share with it (see Echo; an Opt field of a request-shaped
// item is set from a plain value too); and set puts the items and
// the total count into the response, which echoes the request first. An
// index or size below 1 is answered with CodeBadParameter; a page past the
// end is empty.
func PageHandler[Req, Resp, Item any](store *ItemStore, page func(*Req) (index, size int), set func(resp *Resp, items []Item, total int)) func(context.Context, *Req) (*Resp, error) {
	return func(_ context.Context, req *Req) (*Resp, error) {
		index, size := page(req)
		if index < 1 || size < 1 {
			return nil, Errorf(CodeBadParameter, "page index %d and size %d must be at least 1", index, size)
		}
		all := store.Created()
		lo := len(all) // a page past the end; the product below cannot overflow
		if index-1 <= len(all)/size {
			lo = min(len(all), (index-1)*size)
		}
		hi := lo + min(size, len(all)-lo)
		items := make([]Item, hi-lo)
		for i, c := range all[lo:hi] {
			echo(c.Request, &items[i], true)
			echo(c.Response, &items[i], true)
		}
		resp := new(Resp)
		Echo(req, resp)
		set(resp, items, len(all))
		return resp, nil
	}
}
