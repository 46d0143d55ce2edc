package openapi

import (
	"encoding/json"
	"strings"

	"github.com/ivhgen/ivhgen/generator/model"
)

// Schemas holds the JSON Schema of every type of a package, for the
// request schemas a generated Operation table carries (ivh schema <API>).
type Schemas struct {
	all obj
}

// NewSchemas computes the schemas of pkg's types once.
func NewSchemas(pkg *model.Package) *Schemas {
	all := obj{}
	for _, f := range pkg.Files {
		addTypes(all, f)
		if s := f.Service; s != nil {
			for _, a := range s.APIs {
				addStruct(all, a.Request)
			}
		}
	}
	return &Schemas{all: all}
}

// Request is the self-contained JSON Schema (draft 2020-12) of a's
// request, compact: the request's own schema at the top, every type it
// refers to under $defs. Every value in it comes from the model, whose
// numbers were checked, so it always encodes.
func (s *Schemas) Request(a *model.API) string {
	name := a.Request.GoIdent.GoName
	defs := obj{}
	s.collect(s.all[name], defs)
	top := obj{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": name}
	for k, v := range s.all[name].(obj) {
		top[k] = v
	}
	if len(defs) > 0 {
		top["$defs"] = defs
	}
	b, _ := json.Marshal(top)
	return strings.ReplaceAll(string(b), `"#/components/schemas/`, `"#/$defs/`)
}

// collect adds to defs every schema v refers to, transitively.
func (s *Schemas) collect(v any, defs obj) {
	switch v := v.(type) {
	case obj:
		if r, ok := v["$ref"].(string); ok {
			name := strings.TrimPrefix(r, "#/components/schemas/")
			if _, seen := defs[name]; !seen && s.all[name] != nil {
				defs[name] = s.all[name]
				s.collect(s.all[name], defs)
			}
		}
		for _, e := range v {
			s.collect(e, defs)
		}
	case []any:
		for _, e := range v {
			s.collect(e, defs)
		}
	}
}
