package main_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
)

// ivh help <API> prints the request's fields with type, required mark,
// constraints and doc, nested fields as Parent.Field, and an example
// payload holding the required fields; ivh schema <API> the JSON Schema.
func TestHelpAndSchemaOfAnAPI(t *testing.T) {
	r := ivhCmd(t, nil, "", "help", "VideoMake")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Regexp(t, `(?m)^VirtualmanKey +string +yes +Avatar`, r.stdout)
	assert.Regexp(t, `(?m)^SpeechParam\.Speed +number +yes +>=0\.5, <=1\.5 +Speaking rate`, r.stdout)
	assert.Regexp(t, `(?m)^VideoParam\.Format +VideoFormat \(string\) +one of TransparentWebm TransparentMov Mp4 GreenScreenMp4 `, r.stdout)
	assert.Contains(t, r.stdout, "ivh -wait VideoMake")
	example := r.stdout[strings.Index(r.stdout, "Example payload"):]
	example = example[strings.Index(example, "{") : strings.LastIndex(example, "}")+1]
	var req ivh.VideoMakeRequest
	require.NoError(t, json.Unmarshal([]byte(example), &req), example)
	assert.NoError(t, req.Validate(), "the example payload validates")

	r = ivhCmd(t, nil, "", "schema", "videomake")
	require.Equal(t, 0, r.code, r.stderr)
	var schema struct {
		Title    string
		Required []string
		Defs     map[string]any `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &schema), r.stdout)
	assert.Equal(t, "VideoMakeRequest", schema.Title)
	assert.Contains(t, schema.Required, "VirtualmanKey")
	assert.Contains(t, schema.Defs, "SpeechParam")

	r = ivhCmd(t, nil, "", "schema")
	assert.Equal(t, 2, r.code)
	r = ivhCmd(t, nil, "", "help", "NoSuchAPI")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `ivh: unknown API "NoSuchAPI"`)
}

// -all walks every page against a gateway (here a fake serving three
// voices in pages of two) and prints the items as one JSON array; -lines
// prints one per line.
func TestAllPages(t *testing.T) {
	srv := ivhtest.New(t)
	voices := []ivh.TimbreAssetDetail{{TimbreKey: "a"}, {TimbreKey: "b"}, {TimbreKey: "c"}}
	srv.HandleDescribeTimbre(func(_ context.Context, req *ivh.DescribeTimbreRequest) (*ivh.DescribeTimbreResponse, error) {
		from := min(len(voices), (req.PageIndex-1)*req.PageSize)
		to := min(len(voices), from+req.PageSize)
		return &ivh.DescribeTimbreResponse{TimbreAssets: voices[from:to], Total: len(voices)}, nil
	})
	env := []string{"IVH_ENDPOINT=" + srv.URL(), "IVH_APPKEY=" + srv.AppKey(), "IVH_ACCESS_TOKEN=" + srv.AccessToken()}
	r := ivhCmd(t, env, "", "-all", "DescribeTimbre", "-d", `{"PageSize":2}`)
	require.Equal(t, 0, r.code, r.stderr)
	var got []ivh.TimbreAssetDetail
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got), r.stdout)
	assert.Equal(t, []string{"a", "b", "c"}, []string{got[0].TimbreKey, got[1].TimbreKey, got[2].TimbreKey})
	assert.Len(t, srv.RequestsTo("/v2/ivh/crmserver/customerassetservice/describetimbre"), 2)

	r = ivhCmd(t, env, "", "-all", "-lines", "DescribeTimbre", "-d", `{"PageSize":2}`)
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 3)
	assert.Contains(t, lines[2], `"TimbreKey":"c"`)

	r = ivhCmd(t, env, "", "-all", "VideoMake")
	assert.Equal(t, 2, r.code)
	r = ivhCmd(t, env, "", "-lines", "DescribeTimbre")
	assert.Equal(t, 2, r.code)
	r = ivhCmd(t, env, "", "-all", "DescribeTimbre", "-d", `{"PageSize":500}`)
	assert.Equal(t, 2, r.code, "a page size over the maximum fails validation: %s", r.stderr)
}
