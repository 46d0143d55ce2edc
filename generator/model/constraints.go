package model

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ivhgen/ivhgen/generator/descriptor"
)

// Constraint ties fields of one struct together.
type Constraint struct {
	Pos    descriptor.Pos
	Kind   ConstraintKind
	Fields []*Field
	Max    int // for MaxTotalItems
	Doc    string
}

// ConstraintKind says what a Constraint checks.
type ConstraintKind int

// The constraint kinds.
const (
	ExactlyOne ConstraintKind = iota + 1
	AtMostOne
	MaxTotalItems
)

// fieldII resolves and checks the format II keys of a field.
func (b *builder) fieldII(f *Field, sf *descriptor.Field) {
	f.ExclusiveMin, f.ExclusiveMax, f.MinItems, f.MaxBytes = sf.ExclusiveMin, sf.ExclusiveMax, sf.MinItems, sf.MaxBytes
	f.AllowEmpty = sf.AllowEmpty.Value
	if f.AllowEmpty && f.Type.Kind != String {
		b.errs = append(b.errs, descriptor.Errorf(sf.AllowEmpty.Pos, "allowEmpty needs type string, not %s", typeText(f.Type)))
	}
	inner := f.Type.Innermost()
	for _, n := range []descriptor.Number{f.ExclusiveMin, f.ExclusiveMax} {
		b.checkBound(n, f.Type, "exclusiveMin and exclusiveMax")
	}
	if f.MaxBytes.Set() && inner.Kind != String {
		b.errs = append(b.errs, descriptor.Errorf(f.MaxBytes.Pos, "maxBytes needs type string, not %s", typeText(f.Type)))
	}
	if f.MinItems.Set() && f.Type.Kind != Array && f.Type.Kind != Map {
		b.errs = append(b.errs, descriptor.Errorf(f.MinItems.Pos, "minItems needs an array or map type, not %s", typeText(f.Type)))
	}
	if f.MinItems.Set() && f.MaxItems.Set() && f.MinItems.Value > f.MaxItems.Value {
		b.errs = append(b.errs, descriptor.Errorf(f.MaxItems.Pos, "maxItems %d is below minItems %d", f.MaxItems.Value, f.MinItems.Value))
	}
	if sf.ValuesPos.IsValid() {
		b.valueSubset(f, sf)
	}
	if sf.Default.Pos.IsValid() {
		b.defaultValue(f, sf.Default)
	}
}

// checkBound reports a numeric bound n (min, max, exclusiveMin or
// exclusiveMax, named by keys) that type t cannot hold: a non-number type,
// a fraction on an integer type, or an int bound beyond 32 bits.
func (b *builder) checkBound(n descriptor.Number, t *Type, keys string) {
	inner := t.Innermost()
	switch {
	case !n.Set():
	case inner.Kind != Int && inner.Kind != Int64 && inner.Kind != Float:
		b.errs = append(b.errs, descriptor.Errorf(n.Pos, "%s need a number type (int, int64 or float), not %s", keys, typeText(t)))
	case inner.Kind != Float && !n.IsInt:
		b.errs = append(b.errs, descriptor.Errorf(n.Pos, "bound %s of an integer field must be an integer", n.Text))
	case inner.Kind == Int && !fitsInt(n.Int):
		b.errs = append(b.errs, descriptor.Errorf(n.Pos, "bound %s is out of range of int on 32-bit platforms (%s); use type int64", n.Text, descriptor.IntRange))
	}
}

// valueSubset resolves values:, the declared values of a shared enum that
// this field accepts.
func (b *builder) valueSubset(f *Field, sf *descriptor.Field) {
	inner := f.Type.Innermost()
	if inner.Kind != EnumKind {
		b.errs = append(b.errs, descriptor.Errorf(sf.ValuesPos, "values needs an enum type, not %s; declare an enum", typeText(f.Type)))
		return
	}
	e := inner.Enum
	seen := map[string]bool{}
	for _, v := range sf.Values {
		var hit *EnumValue
		var names []string
		for _, ev := range e.Values {
			names = append(names, ev.Value.Text())
			if ev.Value.Text() == v.Value && ev.Value.IsInt == v.IsInt {
				hit = ev
			}
		}
		switch {
		case hit == nil:
			b.errs = append(b.errs, descriptor.Errorf(v.Pos, "%q is not a value of enum %s%s", v.Value, e.GoIdent.GoName, descriptor.Suggest(v.Value, names)))
		case seen[v.Value]:
			b.errs = append(b.errs, descriptor.Errorf(v.Pos, "values lists %q twice", v.Value))
		default:
			seen[v.Value] = true
			f.Values = append(f.Values, hit)
		}
	}
}

// defaultValue checks that a documented default fits the field's type.
func (b *builder) defaultValue(f *Field, d descriptor.Scalar) {
	ok := true
	switch t := f.Type; t.Kind {
	case String:
		ok = !d.IsInt
	case Int, Int64:
		_, err := strconv.ParseInt(d.Value, 10, 64)
		ok = err == nil
	case Float:
		_, err := strconv.ParseFloat(d.Value, 64)
		ok = err == nil
	case Bool:
		ok = d.Value == "true" || d.Value == "false"
	case EnumKind:
		ok = false
		for _, ev := range t.Enum.Values {
			if ev.Value.Text() == d.Value && ev.Value.IsInt == d.IsInt {
				ok = true
			}
		}
	default:
		b.errs = append(b.errs, descriptor.Errorf(d.Pos, "default needs a scalar or enum type, not %s", typeText(f.Type)))
		return
	}
	if !ok {
		b.errs = append(b.errs, descriptor.Errorf(d.Pos, "default %s is not a value of type %s", d.Value, typeText(f.Type)))
		return
	}
	if f.Type.Kind == Int || f.Type.Kind == Int64 {
		b.intDefault(f, d)
	}
	f.Default = d.Value
}

// intDefault reports an integer default that the field's type or its own
// bounds reject: the server would use a value no client may send.
func (b *builder) intDefault(f *Field, d descriptor.Scalar) {
	v, _ := strconv.ParseInt(d.Value, 10, 64)
	if f.Type.Kind == Int && !fitsInt(v) {
		b.errs = append(b.errs, descriptor.Errorf(d.Pos, "default %s is out of range of int on 32-bit platforms (%s); use type int64", d.Value, descriptor.IntRange))
	}
	n := descriptor.Number{Int: v, Value: float64(v), Text: d.Value, IsInt: true, Pos: d.Pos}
	low := f.Min.Set() && n.Less(f.Min) || f.ExclusiveMin.Set() && !f.ExclusiveMin.Less(n)
	high := f.Max.Set() && f.Max.Less(n) || f.ExclusiveMax.Set() && !n.Less(f.ExclusiveMax)
	if low || high {
		b.errs = append(b.errs, descriptor.Errorf(d.Pos, "default %s lies outside the field's own bounds; change the default or the bounds", d.Value))
	}
}

// bodyConstraints resolves the constraints of a request or response body.
func (b *builder) bodyConstraints(s *Struct, cs []*descriptor.Constraint) {
	byWire := map[string]*Field{}
	var wires []string
	for _, f := range s.Fields {
		byWire[f.Wire] = f
		wires = append(wires, f.Wire)
	}
	for _, c := range cs {
		mc := &Constraint{Pos: c.Pos, Doc: c.Doc.Value}
		names := c.ExactlyOne
		switch {
		case c.ExactlyOne != nil:
			mc.Kind = ExactlyOne
		case c.AtMostOne != nil:
			mc.Kind, names = AtMostOne, c.AtMostOne
		default:
			mc.Kind, names, mc.Max = MaxTotalItems, c.Fields, int(c.MaxTotalItems.Value)
		}
		ok := true
		seen := map[string]bool{}
		for _, n := range names {
			f := byWire[n.Value]
			switch {
			case f == nil:
				b.errs = append(b.errs, descriptor.Errorf(n.Pos, "constraint names field %q, which %s does not have%s", n.Value, s.GoIdent.GoName, descriptor.Suggest(n.Value, wires)))
				ok = false
			case seen[n.Value]:
				b.errs = append(b.errs, descriptor.Errorf(n.Pos, "constraint names field %q twice", n.Value))
				ok = false
			case mc.Kind == MaxTotalItems && f.Type.Kind != Array && f.Type.Kind != Map:
				b.errs = append(b.errs, descriptor.Errorf(n.Pos, "maxTotalItems counts arrays and maps; field %q is %s", n.Value, typeText(f.Type)))
				ok = false
			case mc.Kind != MaxTotalItems && f.Required:
				b.errs = append(b.errs, descriptor.Errorf(n.Pos, "field %q is required, so it is always set; drop required or the field from the constraint", n.Value))
				ok = false
			default:
				seen[n.Value] = true
				mc.Fields = append(mc.Fields, f)
			}
		}
		if len(names) < 2 && ok {
			b.errs = append(b.errs, descriptor.Errorf(c.Pos, "a constraint needs at least two fields"))
			ok = false
		}
		if ok {
			s.Constraints = append(s.Constraints, mc)
		}
	}
}

// Wires returns the wire names of the constraint's fields.
func (c *Constraint) Wires() []string {
	out := make([]string, len(c.Fields))
	for i, f := range c.Fields {
		out[i] = f.Wire
	}
	return out
}

// Sentence describes the constraint for doc comments and OpenAPI.
func (c *Constraint) Sentence() string {
	list := strings.Join(c.Wires(), ", ")
	switch c.Kind {
	case ExactlyOne:
		return fmt.Sprintf("Exactly one of %s must be set.", list)
	case AtMostOne:
		return fmt.Sprintf("At most one of %s may be set.", list)
	}
	return fmt.Sprintf("%s hold at most %d items together.", list, c.Max)
}

// hasChecksII reports whether the format II keys of f give Validate work.
func hasChecksII(f *Field) bool {
	return f.ExclusiveMin.Set() || f.ExclusiveMax.Set() || f.MinItems.Set() || f.MaxBytes.Set() || f.Values != nil
}
