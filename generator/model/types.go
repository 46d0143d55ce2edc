package model

import (
	"fmt"

	"github.com/ivhgen/ivhgen/generator/descriptor"
	"github.com/ivhgen/ivhgen/generator/naming"
)

// provenanceNotes are the fixed sentences spec/README.md promises.
var provenanceNotes = map[string]string{
	"code":       "Seen only in public code that calls the API.",
	"unverified": "Inferred, not confirmed by the vendor's documents.",
	"cn-only":    "Documented only on the mainland site.",
	"documented": "", // confirmed: overrides a default, adds no note
}

// define fills in the fields of everything a file declares.
func (b *builder) define(f *descriptor.File, mf *File) {
	for _, t := range f.Types {
		if s := b.types[t.Name.Value]; s != nil && s.File == mf {
			mf.Structs = append(mf.Structs, s)
			s.Fields = b.fields(s, t.Fields)
		}
	}
	for _, a := range mf.APIs {
		b.defineAPI(a, b.specs[a])
	}
	for _, c := range f.Callbacks {
		b.callback(c, mf)
	}
}

func (b *builder) defineAPI(a *API, sa *descriptor.API) {
	a.Request = &Struct{Pos: a.Pos, GoIdent: b.ident(a.Name + "Request"), Role: RoleRequest, Owner: a, File: a.File, Validates: true}
	a.Response = &Struct{Pos: a.Pos, GoIdent: b.ident(a.Name + "Response"), Role: RoleResponse, Owner: a, File: a.File}
	if sa.Request != nil {
		a.Request.Fields = b.fields(a.Request, sa.Request.Fields)
		b.bodyConstraints(a.Request, sa.Request.Constraints)
	}
	if sa.Response != nil {
		a.Response.Fields = b.fields(a.Response, sa.Response.Fields)
		b.bodyConstraints(a.Response, sa.Response.Constraints)
	}
	for _, f := range a.Request.Fields {
		if f.Autofill {
			a.Autofill = append(a.Autofill, f)
		}
	}
}

func (b *builder) callback(c *descriptor.Callback, mf *File) {
	name, ok := b.goName(c.Name, "callback name")
	if !ok {
		return
	}
	body := &Struct{Pos: c.Name.Pos, GoIdent: b.ident(name + "Callback"), Doc: c.Doc.Value, Role: RoleCallback, File: mf}
	mc := &Callback{Pos: c.Pos, Name: name, Doc: c.Doc.Value, Body: body, Handler: name + "Handler"}
	b.pkgScope.add(body.GoIdent.GoName, origin{c.Name.Pos, fmt.Sprintf("callback %q body type", name)})
	b.pkgScope.add(mc.Handler, origin{c.Name.Pos, fmt.Sprintf("callback %q handler", name)})
	mf.Structs = append(mf.Structs, body)
	body.Fields = b.fields(body, c.Fields)
	mc.Flat = c.Body.Value == "flat"
	if s := c.Signature; s != nil {
		mc.Signed = &CallbackSig{Param: s.Param.Value, Timestamp: s.Timestamp.Value}
		for _, p := range s.Params {
			mc.Signed.Params = append(mc.Signed.Params, p.Value)
		}
	}
	for _, f := range body.Fields {
		if f.Required {
			mc.Require = append(mc.Require, f.Wire)
		}
	}
	mf.Callbacks = append(mf.Callbacks, mc)
}

// fields resolves the fields of owner and checks their names for collisions.
func (b *builder) fields(owner *Struct, fs []*descriptor.Field) []*Field {
	goNames, wires := newScope(&b.errs, "set goName on one"), map[string]descriptor.Pos{}
	if owner.Role == RoleRequest {
		goNames.add("Validate", origin{what: "the generated Validate method of " + owner.GoIdent.GoName})
	}
	var out []*Field
	for _, sf := range fs {
		f := b.field(owner, sf)
		switch {
		case f == nil:
		case wires[f.Wire].IsValid():
			b.errs = append(b.errs, descriptor.Errorf(sf.Name.Pos, "field %q is declared twice in %s (first at %s)", f.Wire, owner.GoIdent.GoName, wires[f.Wire]))
			continue
		case goNames.add(f.Name, origin{sf.Name.Pos, fmt.Sprintf("field %q of %s", f.Wire, owner.GoIdent.GoName)}):
			wires[f.Wire] = sf.Name.Pos
			out = append(out, f)
			continue
		}
		b.drop(owner, sf.Name.Value)
	}
	b.declareJSONTexts(owner, goNames, out, fs)
	return out
}

// drop records a field left out after an error was reported, so that a
// reference to it is not reported again as "not a field".
func (b *builder) drop(owner *Struct, wire string) {
	if b.dropped[owner] == nil {
		b.dropped[owner] = map[string]bool{}
	}
	b.dropped[owner][wire] = true
}

func (b *builder) field(owner *Struct, sf *descriptor.Field) *Field {
	if sf.Type == nil || !sf.Name.Set() {
		return nil // already reported by package spec
	}
	f := &Field{Pos: sf.Pos, Wire: sf.Name.Value, Required: sf.Required.Value, Doc: sf.Doc.Value,
		Provenance: provenanceNotes[sf.Provenance.Value], Min: sf.Min, Max: sf.Max,
		MinLength: sf.MinLength, MaxLength: sf.MaxLength, MaxItems: sf.MaxItems, Autofill: sf.Autofill.Set()}
	var err error
	if sf.GoName.Set() {
		f.Name, err = sf.GoName.Value, naming.CheckExported(sf.GoName.Value)
		if err != nil {
			b.errs = append(b.errs, descriptor.Errorf(sf.GoName.Pos, "goName %v", err))
			return nil
		}
	} else if f.Name, err = naming.Exported(sf.Name.Value); err != nil {
		b.errs = append(b.errs, descriptor.Errorf(sf.Name.Pos, "field name: %v", err))
		return nil
	}
	f.Type = b.typeOf(owner, f, sf, sf.Type)
	if f.Type == nil {
		return nil
	}
	if provenanceNotes[sf.Provenance.Value] != "" {
		f.ProvenanceTag = sf.Provenance.Value
	}
	b.checkConstraints(owner, f, sf)
	b.fieldII(f, sf)
	return f
}

// typeOf resolves a type expression; inline objects become new structs.
func (b *builder) typeOf(owner *Struct, f *Field, sf *descriptor.Field, t *descriptor.TypeExpr) *Type {
	switch t.Kind {
	case descriptor.KindArray, descriptor.KindMap:
		elem := b.typeOf(owner, f, sf, t.Elem)
		if elem == nil {
			return nil
		}
		k := Array
		if t.Kind == descriptor.KindMap {
			k = Map
		}
		return &Type{Kind: k, Elem: elem}
	case descriptor.KindObject:
		if s := b.inline(owner, f, sf); s != nil {
			return &Type{Kind: StructKind, Struct: s}
		}
		return nil
	case descriptor.KindRef:
		return b.ref(t)
	}
	return &Type{Kind: builtinKinds[t.Kind]}
}

var builtinKinds = map[descriptor.TypeKind]Kind{
	descriptor.KindString: String, descriptor.KindInt: Int, descriptor.KindInt64: Int64, descriptor.KindFloat: Float,
	descriptor.KindBool: Bool, descriptor.KindJSON: JSON,
}

// ref resolves a reference to a named type or enum.
func (b *builder) ref(t *descriptor.TypeExpr) *Type {
	if s := b.types[t.Name]; s != nil {
		return &Type{Kind: StructKind, Struct: s}
	}
	if e := b.enums[t.Name]; e != nil {
		return &Type{Kind: EnumKind, Enum: e}
	}
	if _, ok := b.declared[t.Name]; ok {
		return nil // declared but broken; reported where declared
	}
	if pos, ok := b.badNames[t.Name]; ok {
		b.errs = append(b.errs, descriptor.Errorf(t.Pos, "type %q is declared at %s, but that name cannot be a Go type; rename the declaration and this use", t.Name, pos))
		return nil
	}
	if alt, ok := descriptor.TypeAlias(t.Name); ok {
		b.errs = append(b.errs, descriptor.Errorf(t.Pos, "unknown type %q; did you mean %q?", t.Name, alt))
		return nil
	}
	cands := append([]string{}, descriptor.BuiltinNames...)
	for n := range b.declared {
		cands = append(cands, n)
	}
	sortStrings(cands)
	b.errs = append(b.errs, descriptor.Errorf(t.Pos, "unknown type %q%s", t.Name, descriptor.Suggest(t.Name, cands)))
	return nil
}

// inline creates the struct of an inline object field.
func (b *builder) inline(owner *Struct, f *Field, sf *descriptor.Field) *Struct {
	name, pos, what := owner.GoIdent.GoName+f.Name, sf.Name.Pos, fmt.Sprintf("%s of field %q of %s", inlineWhat, f.Wire, owner.GoIdent.GoName)
	if sf.TypeName.Set() {
		var ok bool
		if name, ok = b.goName(sf.TypeName, "typeName"); !ok {
			return nil
		}
		pos = sf.TypeName.Pos
	}
	s := &Struct{Pos: pos, GoIdent: b.ident(name), Doc: sf.Doc.Value, Role: RoleInline, File: owner.File}
	b.pkgScope.add(name, origin{pos, what})
	s.Fields = b.fields(s, sf.Fields)
	owner.File.Structs = append(owner.File.Structs, s)
	return s
}
