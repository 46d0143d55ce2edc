package fake_pages_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	voice "github.com/ivhgen/ivhgen/generator/internal/goldencheck/fake_pages"
	"github.com/ivhgen/ivhgen/generator/internal/goldencheck/fake_pages/fake_pagestest"
)

// The fake's list pages over what both create APIs made, in creation
// order, including creations answered by a handler the test set.
func TestFakePagesOverCreated(t *testing.T) {
	srv := fake_pagestest.New(t)
	c := srv.Client()
	ctx := context.Background()
	srv.HandleCloneVoice(func(_ context.Context, r *voice.CloneVoiceRequest) (*voice.CloneVoiceResponse, error) {
		return &voice.CloneVoiceResponse{VoiceID: "clone-" + r.Name}, nil
	})
	var want []string
	for i := range 5 {
		name := fmt.Sprintf("v%d", i)
		if i%2 == 0 {
			if _, err := c.Voice.CreateVoice(ctx, &voice.CreateVoiceRequest{Name: name, Language: voice.Of("en")}); err != nil {
				t.Fatal(err)
			}
			want = append(want, "/"+name+"/en")
			continue
		}
		if _, err := c.Voice.CloneVoice(ctx, &voice.CloneVoiceRequest{Name: name, AudioURL: "u"}); err != nil {
			t.Fatal(err)
		}
		want = append(want, "clone-"+name+"/"+name+"/")
	}
	show := func(v voice.VoiceInfo) string { return v.VoiceID + "/" + v.Name + "/" + v.Language }
	var sizes []int
	for index := 1; index <= 4; index++ {
		r, err := c.Voice.ListVoices(ctx, &voice.ListVoicesRequest{PageIndex: index, PageSize: 2})
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != 5 {
			t.Fatalf("page %d: Total %d, want 5", index, r.Total)
		}
		sizes = append(sizes, len(r.Voices))
		for j, v := range r.Voices {
			if got := show(v); got != want[(index-1)*2+j] {
				t.Errorf("page %d item %d = %s, want %s", index, j, got, want[(index-1)*2+j])
			}
		}
	}
	if !slices.Equal(sizes, []int{2, 2, 1, 0}) {
		t.Errorf("page sizes %v, want [2 2 1 0]", sizes)
	}
	var all []string
	for v, err := range c.Voice.ListVoicesAll(ctx, &voice.ListVoicesRequest{PageSize: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, show(v))
	}
	if !slices.Equal(all, want) {
		t.Errorf("ListVoicesAll = %v, want %v", all, want)
	}
	r, err := c.Voice.ListAnything(ctx, &voice.ListAnythingRequest{PageIndex: 1})
	if err != nil || len(r.Items) != 0 {
		t.Errorf("ListAnything = %+v, %v; want an empty page", r, err)
	}
}
