package openapi_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/ivhgen/ivhgen/generator"
	"github.com/ivhgen/ivhgen/generator/openapi"
	"github.com/ivhgen/ivhgen/spec"
)

// Every request schema of the shipped descriptors stands alone: each
// $ref points into its own $defs, which hold nothing unreferenced.
func TestRequestSchemasAreSelfContained(t *testing.T) {
	srcs, err := generator.LoadFS(spec.Files, "spec")
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := generator.Model(srcs, generator.Config{Package: "ivh"})
	if err != nil {
		t.Fatal(err)
	}
	schemas := openapi.NewSchemas(pkg)
	refRE := regexp.MustCompile(`"\$ref":"#/\$defs/(\w+)"`)
	n := 0
	for _, f := range pkg.Files {
		if f.Service == nil {
			continue
		}
		for _, a := range f.Service.APIs {
			raw := schemas.Request(a)
			var doc struct {
				Title string
				Defs  map[string]json.RawMessage `json:"$defs"`
			}
			if err := json.Unmarshal([]byte(raw), &doc); err != nil {
				t.Fatalf("%s: %v", a.Name, err)
			}
			if doc.Title != a.Request.GoIdent.GoName || strings.Contains(raw, "#/components/") {
				t.Errorf("%s: title %q, or a components ref left: %s", a.Name, doc.Title, raw)
			}
			used := map[string]bool{}
			for _, m := range refRE.FindAllStringSubmatch(raw, -1) {
				used[m[1]] = true
				if doc.Defs[m[1]] == nil {
					t.Errorf("%s: $ref %s has no $defs entry", a.Name, m[1])
				}
			}
			for name := range doc.Defs {
				if !used[name] {
					t.Errorf("%s: $defs holds unreferenced %s", a.Name, name)
				}
			}
			n++
		}
	}
	if n < 30 {
		t.Fatalf("checked %d APIs", n)
	}
}
