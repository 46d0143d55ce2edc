package core

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// Page is one page returned by a paged API.
type Page[Item any] struct {
	Items []Item
	Total int
}

// ErrPagingStalled is wrapped by the error Pages yields when the server
// stops making progress: an empty page while Total says items remain.
var ErrPagingStalled = errors.New("paging stalled")

// Pages walks every page from index 1 with the given size. It stops after
// the last item counted by Total or on an empty page once Total is reached,
// and yields an error wrapping ErrPagingStalled when a page adds nothing
// while Total says more remain, so it can never loop forever.
func Pages[Item any](ctx context.Context, size int, fetch func(ctx context.Context, index, size int) (Page[Item], error)) iter.Seq2[Item, error] {
	// Only these closures are instantiated per item type; walkPages holds
	// the loop.
	return func(yield func(Item, error) bool) {
		var items []Item
		walkPages(ctx, size, func(ctx context.Context, index, size int) (int, int, error) {
			p, err := fetch(ctx, index, size)
			items = p.Items
			return len(p.Items), p.Total, err
		}, func(i int, err error) bool {
			if err != nil {
				var zero Item
				return yield(zero, err)
			}
			return yield(items[i], nil)
		})
	}
}

// walkPages is Pages without type parameters: fetch loads a page and
// reports its item count and Total; emit yields item i of the page last
// fetched, or err, and reports whether to go on.
func walkPages(ctx context.Context, size int, fetch func(ctx context.Context, index, size int) (n, total int, err error), emit func(i int, err error) bool) {
	if size <= 0 {
		emit(0, fmt.Errorf("apaas: page size %d must be positive", size))
		return
	}
	seen := 0
	for index := 1; ; index++ {
		if err := ctx.Err(); err != nil {
			emit(0, err)
			return
		}
		n, total, err := fetch(ctx, index, size)
		if err != nil {
			emit(0, err)
			return
		}
		for i := range n {
			if !emit(i, nil) {
				return
			}
		}
		seen += n
		if seen >= total {
			return
		}
		if n == 0 {
			emit(0, fmt.Errorf("apaas: %w: page %d is empty but total %d says %d more remain", ErrPagingStalled, index, total, total-seen))
			return
		}
	}
}
