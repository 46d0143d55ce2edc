package descriptor

import "gopkg.in/yaml.v3"

// This file decodes the constraints of descriptor format II: per-field
// value subsets of a shared enum, exclusive bounds, minItems, maxBytes,
// documented defaults, and constraints that tie several fields of one body
// together.

// callbackKeys are the keys of a callback.
var callbackKeys = []string{"name", "doc", "fields", "body", "signature"}

// CallbackSignature declares how a callback is signed.
type CallbackSignature struct {
	Pos       Pos
	Params    []String // signed query parameters
	Param     String   // parameter carrying the signature
	Timestamp String   // signed parameter with Unix seconds, checked against a window
	Key       String   // "callback": a key provided offline, not the access token
}

var signatureKeys = []string{"params", "param", "timestamp", "key"}

// callbackSignature decodes the signature: of a callback.
func (d *decoder) callbackSignature(n *yaml.Node) *CallbackSignature {
	s := &CallbackSignature{Pos: d.pos(n)}
	seen := d.mapping(n, "signature", signatureKeys, func(key string, v *yaml.Node) {
		switch key {
		case "params":
			d.nonEmptyList(v, "params", func(it *yaml.Node) { s.Params = append(s.Params, d.str(it, "a signed parameter")) })
		case "param":
			s.Param = d.str(v, "param")
		case "timestamp":
			s.Timestamp = d.str(v, "timestamp")
		case "key":
			s.Key = d.oneOf(v, "key", "callback")
		}
	})
	if seen == nil {
		return nil
	}
	d.require(n, "signature", seen, "params", "param", "key")
	names := map[string]bool{}
	for _, p := range s.Params {
		if names[p.Value] {
			d.errs = append(d.errs, Errorf(p.Pos, "signed parameter %q is listed twice", p.Value))
		}
		names[p.Value] = true
		if p.Value == s.Param.Value && s.Param.Set() {
			d.errs = append(d.errs, Errorf(p.Pos, "the signature parameter %q cannot sign itself; drop it from params", p.Value))
		}
	}
	if s.Timestamp.Set() && !names[s.Timestamp.Value] {
		d.errs = append(d.errs, Errorf(s.Timestamp.Pos, "timestamp %q must be one of the signed params%s", s.Timestamp.Value, Suggest(s.Timestamp.Value, paramNames(s.Params))))
	}
	return s
}

func paramNames(ps []String) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Value)
	}
	return out
}

// bodyKeys are the keys of a request or response body.
var bodyKeys = []string{"fields", "constraints"}

// Constraint ties fields of one body together. Exactly one of ExactlyOne
// and MaxTotalItems is set.
type Constraint struct {
	Pos           Pos
	ExactlyOne    []String // names of fields of which exactly one must be set
	AtMostOne     []String // names of fields of which at most one may be set
	MaxTotalItems Int      // the items of Fields together are at most this
	Fields        []String // for MaxTotalItems
	Doc           String
}

// fieldValueII decodes the format II keys of a field; it reports whether
// key was one of them.
func (d *decoder) fieldValueII(f *Field, key string, v *yaml.Node) bool {
	switch key {
	case "values":
		f.ValuesPos = d.pos(v)
		d.nonEmptyList(v, "values", func(it *yaml.Node) { f.Values = append(f.Values, d.scalar(it, "a value")) })
	case "exclusiveMin":
		f.ExclusiveMin = d.number(v, "exclusiveMin")
	case "exclusiveMax":
		f.ExclusiveMax = d.number(v, "exclusiveMax")
	case "minItems":
		f.MinItems = d.count(v, "minItems")
	case "allowEmpty":
		f.AllowEmpty = d.boolean(v, "allowEmpty")
	case "maxBytes":
		f.MaxBytes = d.count(v, "maxBytes")
	case "default":
		if v.Kind == yaml.ScalarNode && (v.Tag == "!!bool" || v.Tag == "!!float") {
			f.Default = Scalar{Value: v.Value, Pos: d.pos(v)}
		} else {
			f.Default = d.scalar(v, "default")
		}
	default:
		return false
	}
	return true
}

// checkBoundsII rejects format II bounds that no value can meet or that
// contradict the inclusive ones.
func (d *decoder) checkBoundsII(f *Field) {
	if f.Min.Set() && f.ExclusiveMin.Set() {
		d.errs = append(d.errs, Errorf(f.ExclusiveMin.Pos, "give min or exclusiveMin, not both"))
	}
	if f.Max.Set() && f.ExclusiveMax.Set() {
		d.errs = append(d.errs, Errorf(f.ExclusiveMax.Pos, "give max or exclusiveMax, not both"))
	}
	lo, hi := f.Min, f.Max
	if f.ExclusiveMin.Set() {
		lo = f.ExclusiveMin
	}
	if f.ExclusiveMax.Set() {
		hi = f.ExclusiveMax
	}
	if lo.Set() && hi.Set() && (f.ExclusiveMin.Set() || f.ExclusiveMax.Set()) && lo.Value >= hi.Value {
		d.errs = append(d.errs, Errorf(hi.Pos, "no value lies between the bounds %s and %s", lo.Text, hi.Text))
	}
	if f.AllowEmpty.Value && !f.Required.Value {
		d.errs = append(d.errs, Errorf(f.AllowEmpty.Pos, "allowEmpty needs required: true; an optional field may be empty anyway"))
	}
	if f.MaxLength.Set() && f.MaxBytes.Set() {
		d.errs = append(d.errs, Errorf(f.MaxBytes.Pos, "give maxLength (characters) or maxBytes (UTF-8 bytes), not both"))
	}
}

var constraintKeys = []string{"exactlyOne", "atMostOne", "maxTotalItems", "fields", "doc"}

// constraints decodes the constraints: list of a body.
func (d *decoder) constraints(n *yaml.Node) []*Constraint {
	var out []*Constraint
	d.list(n, "constraints", func(item *yaml.Node) {
		c := &Constraint{Pos: d.pos(item)}
		names := func(v *yaml.Node, what string) []String {
			var s []String
			d.nonEmptyList(v, what, func(it *yaml.Node) { s = append(s, d.str(it, "a field name")) })
			return s
		}
		seen := d.mapping(item, "a constraint", constraintKeys, func(key string, v *yaml.Node) {
			switch key {
			case "exactlyOne":
				c.ExactlyOne = names(v, key)
			case "atMostOne":
				c.AtMostOne = names(v, key)
			case "maxTotalItems":
				c.MaxTotalItems = d.count(v, key)
			case "fields":
				c.Fields = names(v, key)
			case "doc":
				c.Doc = d.text(v, key)
			}
		})
		if seen == nil {
			return
		}
		kinds := 0
		for _, k := range []string{"exactlyOne", "atMostOne", "maxTotalItems"} {
			if seen[k] != nil {
				kinds++
			}
		}
		switch {
		case kinds != 1:
			d.errorf(item, "a constraint needs exactly one of exactlyOne, atMostOne or maxTotalItems")
			return
		case seen["maxTotalItems"] != nil && seen["fields"] == nil:
			d.errorf(item, "maxTotalItems needs fields: the arrays whose items it counts")
			return
		case seen["maxTotalItems"] == nil && seen["fields"] != nil:
			d.errorf(seen["fields"], "fields is only allowed with maxTotalItems; list the fields in exactlyOne or atMostOne")
			return
		}
		out = append(out, c)
	})
	return out
}
