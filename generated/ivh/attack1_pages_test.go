package ivh_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/generated/ivh"
)

// anchorPage is a GetAnchor Payload with the given anchor codes and Total.
func anchorPage(total int64, codes ...string) string {
	items := make([]string, len(codes))
	for i, c := range codes {
		items[i] = `{"AnchorCode":"` + c + `"}`
	}
	return fmt.Sprintf(`{"Virtualmans":[%s],"Total":%d}`, strings.Join(items, ","), total)
}

func pageIndex(body string) int {
	var env struct{ Payload struct{ PageIndex int } }
	json.Unmarshal([]byte(body), &env)
	return env.Payload.PageIndex
}

func walkAnchors(t *testing.T, size int, page func(index int) string) (codes []string, calls int, err error) {
	t.Helper()
	c, h := newHostile(t, func(_ string, _ int, body string) (int, string) { return 200, okEnv(page(pageIndex(body))) })
	for a, e := range c.Asset.GetAnchorAll(context.Background(), &ivh.GetAnchorRequest{PageSize: size}, ivh.SkipValidation()) {
		if e != nil {
			err = e
			break
		}
		codes = append(codes, a.AnchorCode)
		if len(codes) > 10000 {
			t.Fatal("runaway pager")
		}
	}
	return codes, h.count("getanchor"), err
}

func TestAttackPagerAlternatingPages(t *testing.T) {
	_, calls, err := walkAnchors(t, 2, func(i int) string {
		if i%2 == 1 {
			return anchorPage(1<<40, "a", "b")
		}
		return anchorPage(1<<40, "c", "d")
	})
	if !errors.Is(err, ivh.ErrPagingStalled) || calls > 3 {
		t.Fatalf("A,B,A,B... with a huge Total: %d calls, err %v", calls, err)
	}
}

// A hostile Total neither overflows the page limit nor loops: a huge one
// walks until the pages run dry, a negative one ends after page 1.
func TestAttackPagerHugeAndNegativeTotal(t *testing.T) {
	for _, total := range []int64{1<<63 - 1, -1 << 63, -5} {
		codes, calls, err := walkAnchors(t, 2, func(i int) string {
			if i > 3 {
				return anchorPage(total)
			}
			return anchorPage(total, fmt.Sprint("x", i), fmt.Sprint("y", i))
		})
		want := 3
		if total < 0 {
			want = 1
		}
		if len(codes) != 2*want || (total > 0) != errors.Is(err, ivh.ErrPagingStalled) {
			t.Errorf("total %d: %d items, %d calls, %v", total, len(codes), calls, err)
		}
	}
}

// A Total that grows by a few items while paging is a valid listing: every
// item is yielded.
func TestAttackPagerGrowingTotal(t *testing.T) {
	all := []string{"a", "b", "c", "d", "e"}
	codes, _, err := walkAnchors(t, 2, func(i int) string {
		total := min(3+i, len(all)) // grows by one item a page
		hi := min(i*2, total)
		lo := min((i-1)*2, hi)
		return anchorPage(int64(total), all[lo:hi]...)
	})
	if err != nil || len(codes) != len(all) {
		t.Fatalf("got %v, %v; want all %d", codes, err, len(all))
	}
}

func TestAttackPagerOversizedPage(t *testing.T) {
	codes, calls, err := walkAnchors(t, 2, func(i int) string {
		return anchorPage(5, "a", "b", "c", "d", "e")
	})
	if err != nil || len(codes) != 5 || calls != 1 {
		t.Fatalf("one oversized page holding all: %v %v %d calls", codes, err, calls)
	}
}
