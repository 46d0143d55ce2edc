package ivh_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

// timbrePage is a DescribeTimbre reply holding the given keys.
func timbrePage(total int, keys ...string) string {
	items := make([]string, len(keys))
	for i, k := range keys {
		items[i] = fmt.Sprintf(`{"TimbreKey":%q,"TimbreName":"n-%s","PurchaseType":"Lease"}`, k, k)
	}
	return ok(fmt.Sprintf(`{"Total":%d,"TimbreAssets":[%s]}`, total, strings.Join(items, ",")))
}

type pageRequest struct {
	PageIndex    int
	PageSize     int
	PurchaseType string
}

func pageRequests(t *testing.T, g *gateway, path string) []pageRequest {
	t.Helper()
	var out []pageRequest
	for _, p := range g.payloads(path) {
		var r pageRequest
		if err := json.Unmarshal(p, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// All walks every page in order with the caller's page size and filters,
// and stops once Total items were seen.
func TestDescribeTimbreAllWalksPages(t *testing.T) {
	g, c := newGateway(t)
	path := assetPrefix + "/describetimbre"
	g.reply(path, timbrePage(5, "a", "b"), timbrePage(5, "c", "d"), timbrePage(5, "e"))
	var keys []string
	for tb, err := range c.Asset.DescribeTimbreAll(t.Context(), &ivh.DescribeTimbreRequest{
		PageSize: 2, PurchaseType: ivh.Of(ivh.PurchaseTypeLease),
	}) {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tb.TimbreKey)
	}
	if got := strings.Join(keys, ","); got != "a,b,c,d,e" {
		t.Errorf("items = %s, want a,b,c,d,e", got)
	}
	want := []pageRequest{{1, 2, "Lease"}, {2, 2, "Lease"}, {3, 2, "Lease"}}
	deepEqual(t, "page requests", want, pageRequests(t, g, path))
}

// A page that adds nothing while Total says more remain ends the walk
// with ivh.ErrPagingStalled instead of looping.
func TestPagingStallsWhenTotalDoesNotAdvance(t *testing.T) {
	g, c := newGateway(t)
	path := assetPrefix + "/describetimbre"
	g.reply(path, timbrePage(10, "a", "b"), timbrePage(10))
	var keys []string
	var gotErr error
	for tb, err := range c.Asset.DescribeTimbreAll(t.Context(), &ivh.DescribeTimbreRequest{PageSize: 2}) {
		if err != nil {
			gotErr = err
			break
		}
		keys = append(keys, tb.TimbreKey)
	}
	if !errors.Is(gotErr, ivh.ErrPagingStalled) {
		t.Fatalf("err = %v, want ErrPagingStalled", gotErr)
	}
	if strings.Join(keys, ",") != "a,b" {
		t.Errorf("items before the stall = %v", keys)
	}
	if n := len(g.payloads(path)); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// An API error on a later page is yielded and ends the walk.
func TestPagingStopsOnAPIError(t *testing.T) {
	g, c := newGateway(t)
	path := assetPrefix + "/getanchor"
	g.reply(path,
		ok(`{"Total":4,"Virtualmans":[{"AnchorCode":"a"},{"AnchorCode":"b"}]}`),
		failure(100005, "unauthorised"))
	var codes []string
	var gotErr error
	for a, err := range c.Asset.GetAnchorAll(t.Context(), &ivh.GetAnchorRequest{
		VirtualmanTypeCode: ivh.VirtualmanTypeCodeRealMan3D, PageSize: 2,
	}) {
		if err != nil {
			gotErr = err
			continue
		}
		codes = append(codes, a.AnchorCode)
	}
	if !errors.Is(gotErr, ivh.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", gotErr)
	}
	if strings.Join(codes, ",") != "a,b" {
		t.Errorf("items = %v", codes)
	}
}

// Breaking out of the loop stops fetching.
func TestPagingBreakStopsFetching(t *testing.T) {
	g, c := newGateway(t)
	path := assetPrefix + "/getimagebyanchor"
	g.reply(path, ok(`{"Total":100,"Virtualmans":[{"VirtualmanKey":"1"},{"VirtualmanKey":"2"},{"VirtualmanKey":"3"}]}`),
		ok(`{"Total":100,"Virtualmans":[{"VirtualmanKey":"4"},{"VirtualmanKey":"5"},{"VirtualmanKey":"6"}]}`))
	n := 0
	for _, err := range c.Asset.GetImageByAnchorAll(t.Context(), &ivh.GetImageByAnchorRequest{
		VirtualmanTypeCode: ivh.VirtualmanTypeCodeRealMan2D, PageSize: 3,
	}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 4 {
			break
		}
	}
	if got := len(g.payloads(path)); got != 2 {
		t.Errorf("%d pages fetched for 4 items of 3 per page, want 2", got)
	}
}

// Every paged API has an All iterator over its item type.
func TestEveryPagedAPIIterates(t *testing.T) {
	g, c := newGateway(t)
	g.reply(assetPrefix+"/describesmallsampleimage", ok(`{"Total":1,"Virtualmans":[{"VirtualmanKey":"s1"}]}`))
	g.reply(assetPrefix+"/getserviceasset", ok(`{"Total":1,"ServiceAssetInfos":[{"ServiceType":"TimbreAsset"}]}`))
	ctx := t.Context()
	var got []string
	for s, err := range c.Asset.DescribeSmallSampleImageAll(ctx, &ivh.DescribeSmallSampleImageRequest{PageSize: 10}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, s.VirtualmanKey)
	}
	for a, err := range c.Asset.GetServiceAssetAll(ctx, &ivh.GetServiceAssetRequest{PageSize: 10}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(a.ServiceType))
	}
	deepEqual(t, "items", []string{"s1", "TimbreAsset"}, got)
}

// A server that ignores the page index, answering the same page with a
// growing Total, is caught on the second page instead of paged forever.
func TestPagingStopsOnARepeatedPage(t *testing.T) {
	g, c := newGateway(t)
	path := assetPrefix + "/getimagebyanchor"
	var pages []string
	for total := 6; total < 60; total += 3 {
		pages = append(pages, ok(fmt.Sprintf(`{"Total":%d,"Virtualmans":[{"VirtualmanKey":"1"},{"VirtualmanKey":"2"},{"VirtualmanKey":"3"}]}`, total)))
	}
	g.reply(path, pages...)
	var err error
	n := 0
	for _, e := range c.Asset.GetImageByAnchorAll(t.Context(), &ivh.GetImageByAnchorRequest{
		VirtualmanTypeCode: ivh.VirtualmanTypeCodeRealMan2D, PageSize: 3,
	}) {
		if e != nil {
			err = e
			break
		}
		n++
	}
	if !errors.Is(err, ivh.ErrPagingStalled) {
		t.Fatalf("err = %v, want ErrPagingStalled", err)
	}
	if got := len(g.payloads(path)); got != 2 || n != 3 {
		t.Errorf("%d pages fetched and %d items yielded, want 2 and 3", got, n)
	}
}

// A server whose Total keeps growing with fresh items is stopped past the
// pages the first Total allowed.
func TestPagingStopsPastTheFirstTotal(t *testing.T) {
	g, c := newGateway(t)
	path := assetPrefix + "/getimagebyanchor"
	var pages []string
	for i := range 50 {
		pages = append(pages, ok(fmt.Sprintf(`{"Total":%d,"Virtualmans":[{"VirtualmanKey":"k%d"}]}`, 3+i*10, i)))
	}
	g.reply(path, pages...)
	var err error
	for _, e := range c.Asset.GetImageByAnchorAll(t.Context(), &ivh.GetImageByAnchorRequest{
		VirtualmanTypeCode: ivh.VirtualmanTypeCodeRealMan2D, PageSize: 1,
	}) {
		if e != nil {
			err = e
			break
		}
	}
	if !errors.Is(err, ivh.ErrPagingStalled) {
		t.Fatalf("err = %v, want ErrPagingStalled", err)
	}
	if got := len(g.payloads(path)); got != 4 {
		t.Errorf("%d pages fetched with a first Total of 3 at 1 per page, want 4 (3 and one spare)", got)
	}
}
