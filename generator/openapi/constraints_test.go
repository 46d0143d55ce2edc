package openapi_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/generator"
)

// The format II constraints reach the OpenAPI export.
func TestConstraintsExported(t *testing.T) {
	data, err := os.ReadFile("../testdata/constraints/input.yaml")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := generator.OpenAPI([]generator.Source{{Name: "input.yaml", Data: data}}, generator.Config{Package: "constraints"})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties   map[string]map[string]any `json:"properties"`
				AllOf        []any                     `json:"allOf"`
				XConstraints []map[string]any          `json:"x-constraints"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	req, ok := doc.Components.Schemas["MakeRequest"]
	if !ok {
		t.Fatalf("no MakeRequest schema in %s", raw)
	}
	p := req.Properties
	check := func(field, key string, want any) {
		t.Helper()
		got, _ := json.Marshal(p[field][key])
		w, _ := json.Marshal(want)
		if string(got) != string(w) {
			t.Errorf("%s.%s = %s, want %s", field, key, got, w)
		}
	}
	check("Format", "enum", []string{"Mp4", "Mov"})
	check("Format", "default", "Mp4")
	check("Mode", "enum", []int{1, 3})
	check("Ratio", "exclusiveMinimum", 0)
	check("Count", "exclusiveMaximum", 100)
	check("Count", "default", 10)
	check("Tags", "minItems", 1)
	check("Text", "x-maxBytes", 4000)
	if len(req.AllOf) != 2 {
		t.Errorf("allOf has %d entries, want the exactlyOne and atMostOne groups", len(req.AllOf))
	}
	if len(req.XConstraints) != 3 || req.XConstraints[2]["kind"] != "maxTotalItems" || req.XConstraints[2]["max"] != float64(5) {
		t.Errorf("x-constraints = %v", req.XConstraints)
	}
	if !strings.Contains(string(raw), "Backgrounds, Foregrounds hold at most 5 items together.") {
		t.Error("the constraint sentence is not in a description")
	}
}
