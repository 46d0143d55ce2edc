package core

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
)

// Page is one page returned by a paged API.
type Page[Item any] struct {
	Items []Item
	Total int
}

// ErrPagingStalled is wrapped by the error Pages yields when the server
// stops making progress: an empty page while Total says items remain, a
// page identical to the one before, or more pages than the first Total
// allows.
var ErrPagingStalled = errors.New("paging stalled")

// Pages walks every page from index 1 with the given size. It stops after
// the last item counted by Total or on an empty page once Total is reached.
// It yields an error wrapping ErrPagingStalled, and stops, when a page adds
// nothing while Total says more remain, when a page repeats any page before
// (a server that ignores or cycles the index), or when the walk goes past the pages
// the first Total allows (plus one, for items added meanwhile), so that it
// can never loop forever.
func Pages[Item any](ctx context.Context, size int, fetch func(ctx context.Context, index, size int) (Page[Item], error)) iter.Seq2[Item, error] {
	// Only these closures are instantiated per item type; walkPages holds
	// the loop.
	return func(yield func(Item, error) bool) {
		var items []Item
		walkPages(ctx, size, func(ctx context.Context, index, size int) (pageInfo, error) {
			p, err := fetch(ctx, index, size)
			items = p.Items
			return pageInfo{n: len(p.Items), total: p.Total, sum: fingerprint(p.Items)}, err
		}, func(i int, err error) bool {
			if err != nil {
				var zero Item
				return yield(zero, err)
			}
			return yield(items[i], nil)
		})
	}
}

// pageInfo is what walkPages needs of a page: its item count, the Total it
// reports and a fingerprint of its items.
type pageInfo struct {
	n, total int
	sum      [sha256.Size]byte
}

// fingerprint hashes a page's items, to tell a repeated page.
func fingerprint(items any) [sha256.Size]byte {
	b, _ := json.Marshal(items)
	return sha256.Sum256(b)
}

// walkPages is Pages without type parameters: fetch loads a page; emit
// yields item i of the page last fetched, or err, and reports whether to
// go on.
func walkPages(ctx context.Context, size int, fetch func(ctx context.Context, index, size int) (pageInfo, error), emit func(i int, err error) bool) {
	if size <= 0 {
		emit(0, fmt.Errorf("apaas: page size %d must be positive", size))
		return
	}
	seen, limit := 0, 0
	pages := map[[sha256.Size]byte]int{} // every page's fingerprint: servers may cycle A,B,A,B
	sink := &secretSink{}                // names the list call in a stall's error
	ctx = context.WithValue(ctx, secretSinkKey{}, sink)
	stalled := func(format string, args ...any) error {
		return fmt.Errorf("%s: %w: "+format, append([]any{sink.name(""), ErrPagingStalled}, args...)...)
	}
	for index := 1; ; index++ {
		if err := ctx.Err(); err != nil {
			emit(0, err)
			return
		}
		if index > 1 && index > limit {
			emit(0, stalled("page %d is past the %d pages the first Total allows", index, limit))
			return
		}
		p, err := fetch(ctx, index, size)
		if err != nil {
			emit(0, err)
			return
		}
		if at, ok := pages[p.sum]; ok && p.n > 0 {
			emit(0, stalled("page %d repeats page %d (the server ignores the page index)", index, at))
			return
		}
		if index == 1 {
			limit = pageLimit(p.total, size)
		}
		pages[p.sum] = index
		for i := range p.n {
			if !emit(i, nil) {
				return
			}
		}
		seen += p.n
		if seen >= p.total {
			return
		}
		if p.n == 0 {
			emit(0, stalled("page %d is empty but total %d says %d more remain", index, p.total, p.total-seen))
			return
		}
	}
}

// pageLimit is how many pages a first Total allows, one more for items
// added meanwhile; it cannot overflow on a hostile Total.
func pageLimit(total, size int) int {
	n := max(total, 0) / size
	if total%size > 0 {
		n++
	}
	return min(n, math.MaxInt-1) + 1
}
