package runtime

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
	return func(yield func(Item, error) bool) {
		var zero Item
		if size <= 0 {
			yield(zero, fmt.Errorf("apaas: page size %d must be positive", size))
			return
		}
		seen := 0
		for index := 1; ; index++ {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			p, err := fetch(ctx, index, size)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range p.Items {
				if !yield(it, nil) {
					return
				}
			}
			seen += len(p.Items)
			if seen >= p.Total {
				return
			}
			if len(p.Items) == 0 {
				yield(zero, fmt.Errorf("apaas: %w: page %d is empty but total %d says %d more remain", ErrPagingStalled, index, p.Total, p.Total-seen))
				return
			}
		}
	}
}
