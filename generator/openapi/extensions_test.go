package openapi_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/ivhgen/ivhgen/generator"
)

// A jsonText field is JSON text in the export, with the field that picks
// its schema and the schema of each value.
func TestJSONTextExported(t *testing.T) {
	data, err := os.ReadFile("../testdata/json_text/input.yaml")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := generator.OpenAPI([]generator.Source{{Name: "input.yaml", Data: data}}, generator.Config{Package: "chat"})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Type     string `json:"type"`
					Media    string `json:"contentMediaType"`
					JSONText *struct {
						By      string
						Schemas map[string]struct {
							Ref string `json:"$ref"`
						}
					} `json:"x-ivh-json-text"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	p := doc.Components.Schemas["GetMessageResponse"].Properties["MsgData"]
	if p.Type != "string" || p.Media != "application/json" || p.JSONText == nil || p.JSONText.By != "MsgType" {
		t.Fatalf("MsgData = %+v", p)
	}
	if got := p.JSONText.Schemas["image"].Ref; got != "#/components/schemas/ImageMsg" {
		t.Errorf("image schema %q", got)
	}
	if len(p.JSONText.Schemas) != 2 {
		t.Errorf("schemas %v, want text and image", p.JSONText.Schemas)
	}
	if q := doc.Components.Schemas["GetMessageResponse"].Properties["MsgType"]; q.JSONText != nil {
		t.Errorf("MsgType carries x-ivh-json-text")
	}
}

// A list's createdBy reaches x-ivh-paging.
func TestPagingCreatedByExported(t *testing.T) {
	data, err := os.ReadFile("../testdata/fake_pages/input.yaml")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := generator.OpenAPI([]generator.Source{{Name: "input.yaml", Data: data}}, generator.Config{Package: "voice"})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Paging struct{ CreatedBy []string } `json:"x-ivh-paging"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if got := doc.Paths["/v2/voice/list"]["post"].Paging.CreatedBy; len(got) != 2 || got[0] != "CreateVoice" || got[1] != "CloneVoice" {
		t.Errorf("createdBy %v", got)
	}
	if got := doc.Paths["/v2/voice/anything"]["post"].Paging.CreatedBy; got != nil {
		t.Errorf("createdBy of a list no create feeds: %v", got)
	}
}

// Provenance, declared or defaulted, reaches x-ivh-provenance; documented
// adds nothing.
func TestProvenanceExported(t *testing.T) {
	data, err := os.ReadFile("../testdata/provenance_defaults/input.yaml")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := generator.OpenAPI([]generator.Source{{Name: "input.yaml", Data: data}}, generator.Config{Package: "probe"})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Provenance string `json:"x-ivh-provenance"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Components.Schemas
	for _, c := range []struct{ schema, field, want string }{
		{"Voice", "Key", "code"}, {"Voice", "Speed", ""}, {"CnOnlyRequest", "Query", "cn-only"},
		{"CnOnlyRequestFilter", "Tag", "cn-only"}, {"CnOnlyResponse", "Hint", "unverified"}, {"FileDefaultResponse", "Voice", "code"},
	} {
		if got := s[c.schema].Properties[c.field].Provenance; got != c.want {
			t.Errorf("%s.%s: x-ivh-provenance %q, want %q", c.schema, c.field, got, c.want)
		}
	}
}
