package model

import (
	"sort"

	"github.com/ivhgen/ivhgen/generator/spec"
)

func sortStrings(s []string) { sort.Strings(s) }

// checkConstraints rejects bounds that do not fit the field's type.
func (b *builder) checkConstraints(owner *Struct, f *Field, sf *spec.Field) {
	inner := f.Type.Innermost()
	numeric := inner.Kind == Int || inner.Kind == Int64 || inner.Kind == Float
	for _, n := range []spec.Number{f.Min, f.Max} {
		switch {
		case !n.Set():
		case !numeric:
			b.errs = append(b.errs, spec.Errorf(n.Pos, "min and max need a number type (int, int64 or float), not %s", typeText(f.Type)))
		case inner.Kind != Float && !n.IsInt:
			b.errs = append(b.errs, spec.Errorf(n.Pos, "bound %s of an integer field must be an integer", n.Text))
		}
	}
	for _, n := range []spec.Int{f.MinLength, f.MaxLength} {
		if n.Set() && inner.Kind != String {
			b.errs = append(b.errs, spec.Errorf(n.Pos, "minLength and maxLength need type string, not %s", typeText(f.Type)))
		}
	}
	if f.MaxItems.Set() && f.Type.Kind != Array && f.Type.Kind != Map {
		b.errs = append(b.errs, spec.Errorf(f.MaxItems.Pos, "maxItems needs an array or map type, not %s", typeText(f.Type)))
	}
	if f.Autofill && (owner.Role != RoleRequest || f.Type.Kind != String) {
		b.errs = append(b.errs, spec.Errorf(sf.Autofill.Pos, "autofill needs a top-level request field of type string"))
	}
}

// typeText writes t the way descriptors do, for messages.
func typeText(t *Type) string {
	switch t.Kind {
	case Array:
		return "[]" + typeText(t.Elem)
	case Map:
		return "map[" + typeText(t.Elem) + "]"
	case StructKind:
		return t.Struct.GoIdent.GoName
	case EnumKind:
		return t.Enum.GoIdent.GoName
	}
	return [...]string{String: "string", Int: "int", Int64: "int64", Float: "float", Bool: "bool", JSON: "json"}[t.Kind]
}

// markRequests marks the structs reachable from requests, decides which
// fields are Opt, works out which structs have checks, and rejects structs
// that contain themselves.
func (b *builder) markRequests() {
	var all []*Struct
	for _, f := range b.pkg.Files {
		all = append(all, f.Structs...)
		if f.Service != nil {
			for _, a := range f.Service.APIs {
				all = append(all, a.Request, a.Response)
			}
		}
	}
	for _, s := range all {
		if s.Role == RoleRequest {
			markValidates(s)
		}
	}
	for _, s := range all {
		for _, f := range s.Fields {
			f.Opt = s.Validates && !f.Required && !f.Autofill && f.Type.IsScalar()
		}
	}
	for changed := true; changed; {
		changed = false
		for _, s := range all {
			if s.Validates && !s.HasChecks && structHasChecks(s) {
				s.HasChecks, changed = true, true
			}
		}
	}
	b.checkCycles(all)
}

func markValidates(s *Struct) {
	s.Validates = true
	for _, f := range s.Fields {
		if in := f.Type.Innermost(); in.Kind == StructKind && !in.Struct.Validates {
			markValidates(in.Struct)
		}
	}
}

func structHasChecks(s *Struct) bool {
	for _, f := range s.Fields {
		if FieldHasChecks(f) {
			return true
		}
	}
	return false
}

// FieldHasChecks reports whether validating f can find a violation.
func FieldHasChecks(f *Field) bool {
	if f.Min.Set() || f.Max.Set() || f.MinLength.Set() || f.MaxLength.Set() || f.MaxItems.Set() {
		return true
	}
	if f.Required && !f.Autofill && (f.Type.Kind == String || f.Type.Kind == Array || f.Type.Kind == Map || f.Type.Kind == JSON) {
		return true
	}
	in := f.Type.Innermost()
	return in.Kind == EnumKind || (in.Kind == StructKind && in.Struct.HasChecks)
}

// checkCycles rejects a struct that holds itself by value, which Go cannot
// represent; through an array or a map it is fine.
func (b *builder) checkCycles(all []*Struct) {
	state := map[*Struct]int{} // 1 visiting, 2 done
	var visit func(s *Struct, via *Field) bool
	visit = func(s *Struct, via *Field) bool {
		switch state[s] {
		case 1:
			b.errs = append(b.errs, spec.Errorf(via.Pos, "type %s contains itself through field %q; use an array or a map", s.GoIdent.GoName, via.Wire))
			return false
		case 2:
			return true
		}
		state[s] = 1
		for _, f := range s.Fields {
			if f.Type.Kind == StructKind && !visit(f.Type.Struct, f) {
				return false
			}
		}
		state[s] = 2
		return true
	}
	for _, s := range all {
		visit(s, nil)
	}
}
