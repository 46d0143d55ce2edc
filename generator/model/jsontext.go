package model

import (
	"fmt"
	"slices"

	"github.com/ivhgen/ivhgen/generator/descriptor"
)

// pendingJSON is a jsonText field waiting for every type to be defined.
type pendingJSON struct {
	owner *Struct
	field *Field
	spec  *descriptor.JSONText
}

// declareJSONTexts names the Decode method and result type of each
// jsonText field of owner, checking them against its fields and the
// package, and queues the field for resolveJSONTexts.
func (b *builder) declareJSONTexts(owner *Struct, methods *scope, out []*Field, fs []*descriptor.Field) {
	byWire := map[string]*Field{}
	for _, f := range out {
		byWire[f.Wire] = f
	}
	for _, sf := range fs {
		f := byWire[sf.Name.Value]
		if sf.JSONText == nil || f == nil {
			continue
		}
		what := fmt.Sprintf("the decode method of jsonText field %q of %s", f.Wire, owner.GoIdent.GoName)
		method := "Decode" + f.Name
		result := owner.GoIdent.GoName + f.Name
		if !methods.add(method, origin{sf.JSONText.Pos, what}) ||
			!b.pkgScope.add(result, origin{sf.JSONText.Pos, fmt.Sprintf("the decoded type of jsonText field %q of %s", f.Wire, owner.GoIdent.GoName)}) {
			continue
		}
		j := &JSONText{Field: f, Method: method, Result: b.ident(result)}
		owner.JSONTexts = append(owner.JSONTexts, j)
		b.jsonTexts = append(b.jsonTexts, pendingJSON{owner, f, sf.JSONText})
	}
}

// resolveJSONTexts resolves by and the types of every jsonText field.
func (b *builder) resolveJSONTexts() {
	for _, p := range b.jsonTexts {
		j := p.owner.JSONTexts[slices.IndexFunc(p.owner.JSONTexts, func(j *JSONText) bool { return j.Field == p.field })]
		if p.field.Type.Kind != String {
			b.errs = append(b.errs, descriptor.Errorf(p.spec.Pos, "jsonText needs a field of type string, not %s", typeText(p.field.Type)))
			continue
		}
		j.By = b.fieldRef(p.spec.By, p.owner, "jsonText by", String, Int, Int64)
		if j.By == p.field {
			b.errs = append(b.errs, descriptor.Errorf(p.spec.By.Pos, "jsonText by names the field itself; name the field whose value picks the type"))
			continue
		}
		if j.By == nil {
			continue
		}
		for _, c := range p.spec.Cases {
			if jc := b.jsonCase(j.By, c); jc != nil {
				j.Cases = append(j.Cases, jc)
				if !slices.Contains(j.Holds, jc.Struct) {
					j.Holds = append(j.Holds, jc.Struct)
				}
			}
		}
	}
}

// jsonCase resolves one value of by and the named type the text holds.
func (b *builder) jsonCase(by *Field, c *descriptor.JSONCase) *JSONCase {
	lit, ok := b.caseValue(by, c.Value)
	s := b.types[c.Type.Value]
	if s == nil && c.Type.Set() {
		var names []string
		for n := range b.types {
			names = append(names, n)
		}
		slices.Sort(names)
		what := "is not a declared type"
		if b.enums[c.Type.Value] != nil {
			what = "is an enum; JSON text holds an object"
		}
		b.errs = append(b.errs, descriptor.Errorf(c.Type.Pos, "jsonText type %q %s%s", c.Type.Value, what, descriptor.Suggest(c.Type.Value, names)))
	}
	if s != nil && s.GoIdent.GoName == "Raw" {
		// The result type holds the text in a field Raw beside one field
		// per type, named for the type.
		b.errs = append(b.errs, descriptor.Errorf(c.Type.Pos, "jsonText type %q clashes with the field Raw of the decoded type, which holds the text; rename the type", c.Type.Value))
		return nil
	}
	if !ok || s == nil {
		return nil
	}
	return &JSONCase{Value: lit, Struct: s}
}

// caseValue types a value of by: a declared value of its enum, or a
// literal of its type (an int unquoted, a string quoted when it looks like
// a number).
func (b *builder) caseValue(by *Field, v descriptor.Scalar) (Literal, bool) {
	wantInt := by.Type.Base() != String
	if wantInt != v.IsInt {
		hint := map[bool]string{true: "write an int unquoted", false: "quote it"}[wantInt]
		b.errs = append(b.errs, descriptor.Errorf(v.Pos, "jsonText value %s does not fit field %q of type %s; %s", v.Value, by.Wire, typeText(by.Type), hint))
		return Literal{}, false
	}
	if by.Type.Base() == Int && !descriptor.FitsInt(v.Value) {
		b.errs = append(b.errs, descriptor.Errorf(v.Pos, "jsonText value %s is out of range of int on 32-bit platforms (%s)", v.Value, descriptor.IntRange))
		return Literal{}, false
	}
	if e := by.Type.Enum; e != nil {
		return b.enumLiteral(e, v, "jsonText value")
	}
	val, err := valueOf(v, wantInt)
	if err != nil {
		b.errs = append(b.errs, descriptor.Errorf(v.Pos, "jsonText value %s: %v", v.Value, err))
		return Literal{}, false
	}
	return Literal{Value: val}, true
}
