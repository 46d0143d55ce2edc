package openapi_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/generator"
)

func TestDocumentModelsEnvelopes(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/fullclient/*.yaml")
	var srcs []generator.Source
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, generator.Source{Name: filepath.Base(p), Data: data})
	}
	raw, err := generator.OpenAPI(srcs, generator.Config{Package: "fullclient"})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Deprecated  bool   `json:"deprecated"`
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Required   []string                   `json:"required"`
						Properties map[string]json.RawMessage `json:"properties"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
			Async *struct{ Poll string } `json:"x-ivh-async"`
		} `json:"paths"`
		Webhooks   map[string]json.RawMessage `json:"webhooks"`
		Components struct {
			Schemas map[string]struct {
				Required   []string                   `json:"required"`
				Properties map[string]json.RawMessage `json:"properties"`
				Enum       []any                      `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
		Codes []struct {
			Code int    `json:"code"`
			Kind string `json:"kind"`
		} `json:"x-ivh-codes"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	create := doc.Paths["/v2/media/createjob"]["post"]
	body := create.RequestBody.Content["application/json"].Schema
	if create.OperationID != "CreateJob" || len(body.Required) != 2 || refOf(body.Properties["Payload"]) != "#/components/schemas/CreateJobRequest" {
		t.Errorf("CreateJob = %+v", create)
	}
	if create.Async == nil || create.Async.Poll != "GetJob" {
		t.Errorf("async = %+v", create.Async)
	}
	if _, ok := doc.Paths["/v2/media/ping"]["get"]; !ok || !doc.Paths["/v2/media/ping"]["get"].Deprecated {
		t.Errorf("Ping: %+v", doc.Paths["/v2/media/ping"])
	}
	if req := doc.Components.Schemas["CreateJobRequest"]; len(req.Required) != 1 || req.Required[0] != "Title" || req.Properties["callback_url"] == nil {
		t.Errorf("CreateJobRequest schema = %+v", req)
	}
	if len(doc.Components.Schemas["JobStatus"].Enum) != 4 || len(doc.Components.Schemas["Quality"].Enum) != 2 {
		t.Error("enum schemas missing values")
	}
	if doc.Webhooks["JobResult"] == nil || len(doc.Codes) != 3 {
		t.Errorf("webhooks %v, codes %v", doc.Webhooks, doc.Codes)
	}
	again, _ := generator.OpenAPI(srcs, generator.Config{Package: "fullclient"})
	if string(again) != string(raw) {
		t.Error("OpenAPI output is not deterministic")
	}
}

func refOf(raw json.RawMessage) string {
	var r struct {
		Ref string `json:"$ref"`
	}
	_ = json.Unmarshal(raw, &r)
	return r.Ref
}

// TestIntegerBoundsStayExact: bounds beyond 2^53 reach the document as
// written, not rounded through float64.
func TestIntegerBoundsStayExact(t *testing.T) {
	data, err := os.ReadFile("../testdata/bounds_exact/input.yaml")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := generator.OpenAPI([]generator.Source{{Name: "input.yaml", Data: data}}, generator.Config{Package: "bounds"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"maximum": 9223372036854775807`, `"minimum": 9007199254740993`,
		`"minimum": -9223372036854775808`, `"maximum": -9007199254740993`, `"minimum": 5e-324`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("document lacks %s", want)
		}
	}
}
