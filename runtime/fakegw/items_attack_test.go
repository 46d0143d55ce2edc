package fakegw_test

import (
	"context"
	"testing"

	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// An item type used in a request too is request-shaped: its optional
// fields are Opt. The page items got none of the created fields, since a
// plain string is not assignable to an Opt[string].
type optItem struct {
	ID    ivhrt.Opt[string]
	Name  ivhrt.Opt[string]
	Speed ivhrt.Opt[float64]
	Tag   string
	Other ivhrt.Opt[int]
}

type optListResp struct {
	Items []optItem
	Total int
}

func TestAttackPageHandlerFillsOptItems(t *testing.T) {
	store := &fakegw.ItemStore{}
	create := fakegw.Recorder(func(_ context.Context, r *createReq) (*createResp, error) {
		return &createResp{ID: "id-" + r.Name.Value()}, nil
	}, store)
	if _, err := create(context.Background(), &createReq{Name: ivhrt.Of("a"), Tag: "t"}); err != nil {
		t.Fatal(err)
	}
	if _, err := create(context.Background(), &createReq{Tag: "u"}); err != nil {
		t.Fatal(err)
	}
	list := fakegw.PageHandler(store, func(r *listReq) (int, int) { return r.Index, r.Size },
		func(r *optListResp, items []optItem, total int) { r.Items, r.Total = items, total })
	resp, err := list(context.Background(), &listReq{Index: 1, Size: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Items) != 2 {
		t.Fatalf("items %+v", resp.Items)
	}
	a, b := resp.Items[0], resp.Items[1]
	if !a.ID.IsSet() || a.ID.Value() != "id-a" || a.Name.Value() != "a" || a.Tag != "t" || a.Other.IsSet() || a.Speed.IsSet() {
		t.Errorf("item 0 = %+v; want ID id-a, Name a, Tag t, Other and Speed unset", a)
	}
	if b.Name.IsSet() || b.ID.Value() != "id-" || b.Tag != "u" {
		t.Errorf("item 1 = %+v; want Name unset (not set on the create), ID id-, Tag u", b)
	}
}

// A second AddItems of one list returns the first store, so a recorder
// wired to it still feeds the list.
func TestAddItemsTwiceKeepsTheStore(t *testing.T) {
	var f fakegw.Fake
	first := f.AddItems("ListVoices")
	if second := f.AddItems("ListVoices"); second != first {
		t.Fatal("a second AddItems replaced the store")
	}
	first.Add(&struct{ Name string }{"a"}, &struct{ ID string }{"1"})
	if got := len(f.Items("ListVoices").Created()); got != 1 {
		t.Fatalf("the list sees %d creations, want 1", got)
	}
}
