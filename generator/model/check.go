package model

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ivhgen/ivhgen/generator/descriptor"
)

func sortStrings(s []string) { sort.Strings(s) }

// reqIDLen is the length of the id autofill writes (32 hex digits).
const reqIDLen = 32

// fitsInt reports whether v fits Go's int on every supported platform.
func fitsInt(v int64) bool { return v >= -1<<31 && v <= 1<<31-1 }

// checkConstraints rejects bounds that do not fit the field's type.
func (b *builder) checkConstraints(owner *Struct, f *Field, sf *descriptor.Field) {
	inner := f.Type.Innermost()
	for _, n := range []descriptor.Number{f.Min, f.Max} {
		b.checkBound(n, f.Type, "min and max")
	}
	for _, n := range []descriptor.Int{f.MinLength, f.MaxLength} {
		if n.Set() && inner.Kind != String {
			b.errs = append(b.errs, descriptor.Errorf(n.Pos, "minLength and maxLength need type string, not %s", typeText(f.Type)))
		}
	}
	if f.MaxItems.Set() && f.Type.Kind != Array && f.Type.Kind != Map {
		b.errs = append(b.errs, descriptor.Errorf(f.MaxItems.Pos, "maxItems needs an array or map type, not %s", typeText(f.Type)))
	}
	if f.Autofill && (owner.Role != RoleRequest || f.Type.Kind != String) {
		b.errs = append(b.errs, descriptor.Errorf(sf.Autofill.Pos, "autofill needs a top-level request field of type string"))
	}
	if f.Autofill && (f.MaxLength.Set() && f.MaxLength.Value < reqIDLen || f.MinLength.Set() && f.MinLength.Value > reqIDLen) {
		b.errs = append(b.errs, descriptor.Errorf(sf.Autofill.Pos, "autofill writes a %d-character id, which the field's minLength/maxLength reject; widen the bounds", reqIDLen))
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
		for _, a := range f.APIs {
			all = append(all, a.Request, a.Response)
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
	if len(s.Constraints) > 0 {
		return true
	}
	for _, f := range s.Fields {
		if FieldHasChecks(f) {
			return true
		}
	}
	return false
}

// FieldHasChecks reports whether validating f can find a violation.
func FieldHasChecks(f *Field) bool {
	if f.Min.Set() || f.Max.Set() || f.MinLength.Set() || f.MaxLength.Set() || f.MaxItems.Set() || hasChecksII(f) {
		return true
	}
	if f.Required && !f.Autofill && ((f.Type.Kind == String && !f.AllowEmpty) || f.Type.Kind == Array || f.Type.Kind == Map || f.Type.Kind == JSON) {
		return true
	}
	in := f.Type.Innermost()
	return (in.Kind == EnumKind && (!in.Enum.Open || (f.Required && !in.Enum.IsInt))) || (in.Kind == StructKind && in.Struct.HasChecks)
}

// checkCycles rejects a struct that holds itself by value, which Go cannot
// represent; through an array or a map it is fine. Each cycle is reported
// once, at the field that closes it, with the path around it.
func (b *builder) checkCycles(all []*Struct) {
	c := cycles{b: b, state: map[*Struct]int{}, reported: map[*Struct]bool{}}
	for _, s := range all {
		c.visit(s)
	}
}

// cycles is the depth-first walk of checkCycles.
type cycles struct {
	b        *builder
	state    map[*Struct]int // 1 on the path, 2 done
	path     []*Field        // fields from the root to the struct visited
	owners   []*Struct       // owner of each field of path
	reported map[*Struct]bool
}

func (c *cycles) visit(s *Struct) {
	if c.state[s] != 0 {
		return
	}
	c.state[s] = 1
	for _, f := range s.Fields {
		if f.Type.Kind != StructKind {
			continue
		}
		c.path, c.owners = append(c.path, f), append(c.owners, s)
		if c.state[f.Type.Struct] == 1 {
			c.report(f.Type.Struct)
		} else {
			c.visit(f.Type.Struct)
		}
		c.path, c.owners = c.path[:len(c.path)-1], c.owners[:len(c.owners)-1]
	}
	c.state[s] = 2
}

// report describes the cycle that returns to s, unless one of its structs
// is in a cycle reported already.
func (c *cycles) report(s *Struct) {
	start := len(c.owners) - 1
	for c.owners[start] != s {
		start--
	}
	var steps []string
	for i := start; i < len(c.path); i++ {
		if c.reported[c.owners[i]] {
			return
		}
		steps = append(steps, fmt.Sprintf("field %q of %s", c.path[i].Wire, c.owners[i].GoIdent.GoName))
	}
	for _, o := range c.owners[start:] {
		c.reported[o] = true
	}
	last := c.path[len(c.path)-1]
	msg := fmt.Sprintf("type %s contains itself through field %q", s.GoIdent.GoName, last.Wire)
	if len(steps) > 1 {
		msg = fmt.Sprintf("type %s contains itself by value through %s", s.GoIdent.GoName, strings.Join(steps, ", "))
	}
	c.b.errs = append(c.b.errs, descriptor.Errorf(last.Pos, "%s; use an array or a map", msg))
}
