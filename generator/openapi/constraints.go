package openapi

import (
	"encoding/json"

	"github.com/ivhgen/ivhgen/generator/model"
)

// addEnumSubset narrows a field's shared enum to the values it accepts;
// OpenAPI 3.1 allows keywords beside $ref.
func addEnumSubset(o obj, f *model.Field) {
	if f.Values == nil {
		return
	}
	var vals []any
	for _, v := range f.Values {
		if v.Value.IsInt {
			vals = append(vals, v.Value.Int)
		} else {
			vals = append(vals, v.Value.Str)
		}
	}
	o["enum"] = vals
}

// addDefault documents the server's default of a scalar field.
func addDefault(o obj, t *model.Type, f *model.Field) {
	if f.Default == "" {
		return
	}
	switch t.Base() {
	case model.Int, model.Int64, model.Float:
		o["default"] = json.Number(f.Default)
	case model.Bool:
		o["default"] = f.Default == "true"
	default:
		o["default"] = f.Default
	}
}

// addConstraints writes the constraints across fields: exactlyOne and
// atMostOne as JSON Schema, maxTotalItems (which JSON Schema cannot say)
// as an extension; each also in the description.
func addConstraints(o obj, s *model.Struct) {
	if len(s.Constraints) == 0 {
		return
	}
	var ext []any
	for _, c := range s.Constraints {
		wires := c.Wires()
		switch c.Kind {
		case model.ExactlyOne, model.AtMostOne:
			var alts []any
			for _, w := range wires {
				alts = append(alts, obj{"required": []any{w}})
			}
			if c.Kind == model.AtMostOne {
				alts = append(alts, obj{"not": obj{"anyOf": alts}})
			}
			all, _ := o["allOf"].([]any)
			o["allOf"] = append(all, obj{"oneOf": alts})
		}
		e := obj{"kind": kindName[c.Kind], "fields": wires, "description": c.Sentence()}
		if c.Kind == model.MaxTotalItems {
			e["max"] = c.Max
		}
		ext = append(ext, e)
		if d, _ := o["description"].(string); d != "" {
			o["description"] = d + " " + c.Sentence()
		} else {
			o["description"] = c.Sentence()
		}
	}
	o["x-constraints"] = ext
}

var kindName = map[model.ConstraintKind]string{model.ExactlyOne: "exactlyOne", model.AtMostOne: "atMostOne", model.MaxTotalItems: "maxTotalItems"}
