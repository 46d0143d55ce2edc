package fakegw_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

type createReq struct {
	Name ivhrt.Opt[string]
	Tag  string
}
type createResp struct{ ID string }
type item struct {
	ID, Name, Tag string
	Other         int
}
type listReq struct{ Index, Size int }
type listResp struct {
	Items []item
	Total int
}

func TestRecorderAndPageHandler(t *testing.T) {
	store := &fakegw.ItemStore{}
	n := 0
	create := fakegw.Recorder(func(_ context.Context, r *createReq) (*createResp, error) {
		n++
		if r.Tag == "refuse" {
			return nil, errors.New("refused")
		}
		return &createResp{ID: string(rune('a' + n - 1))}, nil
	}, store, nil)
	ctx := context.Background()
	for _, tag := range []string{"x", "refuse", "y", "z"} {
		_, _ = create(ctx, &createReq{Name: ivhrt.Of("n-" + tag), Tag: tag})
	}
	list := fakegw.PageHandler(store, func(r *listReq) (int, int) { return r.Index, r.Size },
		func(r *listResp, items []item, total int) { r.Items, r.Total = items, total })
	page := func(index, size int) ([]string, int) {
		t.Helper()
		r, err := list(ctx, &listReq{Index: index, Size: size})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, it := range r.Items {
			ids = append(ids, it.ID+":"+it.Name+":"+it.Tag)
		}
		return ids, r.Total
	}
	if ids, total := page(1, 2); !slices.Equal(ids, []string{"a:n-x:x", "c:n-y:y"}) || total != 3 {
		t.Errorf("page 1: %v, total %d", ids, total)
	}
	if ids, _ := page(2, 2); !slices.Equal(ids, []string{"d:n-z:z"}) {
		t.Errorf("page 2: %v", ids)
	}
	if ids, total := page(3, 2); len(ids) != 0 || total != 3 {
		t.Errorf("page 3: %v, total %d", ids, total)
	}
	if ids, _ := page(math.MaxInt, math.MaxInt); len(ids) != 0 {
		t.Errorf("huge page: %v", ids)
	}
	var reply *fakegw.ErrorReply
	if _, err := list(ctx, &listReq{Index: 0, Size: 2}); !errors.As(err, &reply) || reply.Code != fakegw.CodeBadParameter {
		t.Errorf("index 0: %v", err)
	}
	store.Reset()
	if _, total := page(1, 2); total != 0 {
		t.Errorf("after Reset: total %d", total)
	}
}
