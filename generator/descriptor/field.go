package descriptor

import (
	"go/token"
	"strings"

	"gopkg.in/yaml.v3"
)

var fieldKeys = []string{"name", "goName", "type", "typeName", "required", "doc", "min", "max",
	"minLength", "maxLength", "maxItems", "provenance", "autofill", "fields",
	"values", "exclusiveMin", "exclusiveMax", "minItems", "maxBytes", "default", "allowEmpty", "jsonText"}

// fields decodes a list of fields.
func (d *decoder) fields(n *yaml.Node) []*Field {
	var out []*Field
	d.list(n, "fields", func(item *yaml.Node) {
		if f := d.field(item); f != nil {
			out = append(out, f)
		}
	})
	return out
}

func (d *decoder) field(n *yaml.Node) *Field {
	f := &Field{Pos: d.pos(n)}
	var typeNode *yaml.Node
	seen := d.mapping(n, "a field", fieldKeys, func(key string, v *yaml.Node) {
		switch key {
		case "type":
			typeNode = v
			f.Type = d.typeExpr(v)
		case "fields":
			f.FieldsPos = d.pos(v)
			f.Fields = d.fields(v)
		case "jsonText":
			f.JSONText = d.jsonText(v)
		default:
			if !d.fieldValueII(f, key, v) {
				d.fieldValue(f, key, v)
			}
		}
	})
	if seen == nil {
		return nil
	}
	d.require(n, label("field", f.Name.Value), seen, "name", "type", "doc")
	d.checkBounds(f)
	d.checkBoundsII(f)
	if f.Type != nil {
		d.checkInline(f, typeNode)
	}
	return f
}

// fieldValue decodes the scalar keys of a field.
func (d *decoder) fieldValue(f *Field, key string, v *yaml.Node) {
	switch key {
	case "name":
		f.Name = d.wireName(v)
	case "goName":
		f.GoName = d.str(v, "goName")
	case "typeName":
		f.TypeName = d.str(v, "typeName")
	case "required":
		f.Required = d.boolean(v, "required")
	case "doc":
		f.Doc = d.text(v, "doc")
	case "min":
		f.Min = d.number(v, "min")
	case "max":
		f.Max = d.number(v, "max")
	case "minLength":
		f.MinLength = d.count(v, "minLength")
	case "maxLength":
		f.MaxLength = d.count(v, "maxLength")
	case "maxItems":
		f.MaxItems = d.count(v, "maxItems")
	case "provenance":
		f.Provenance = d.provenance(v)
	case "autofill":
		f.Autofill = d.oneOf(v, "autofill", "reqid")
	}
}

// checkBounds rejects bounds that no value can meet.
func (d *decoder) checkBounds(f *Field) {
	if f.Min.Set() && f.Max.Set() && f.Max.Less(f.Min) {
		d.errs = append(d.errs, Errorf(f.Max.Pos, "max %s is below min %s", f.Max.Text, f.Min.Text))
	}
	if f.MinLength.Set() && f.MaxLength.Set() && f.MinLength.Value > f.MaxLength.Value {
		d.errs = append(d.errs, Errorf(f.MaxLength.Pos, "maxLength %d is below minLength %d", f.MaxLength.Value, f.MinLength.Value))
	}
}

// checkInline ties fields: and typeName: to an inline object type.
func (d *decoder) checkInline(f *Field, typeNode *yaml.Node) {
	inline := f.Type.Innermost().Kind == KindObject
	switch {
	case inline && f.FieldsPos == (Pos{}):
		d.errorf(typeNode, "field %q has type object but no fields", f.Name.Value)
	case !inline && f.FieldsPos.IsValid():
		d.errs = append(d.errs, Errorf(f.FieldsPos, "fields is only allowed with type object, []object or map[object]"))
	case !inline && f.TypeName.Set():
		d.errs = append(d.errs, Errorf(f.TypeName.Pos, "typeName is only allowed with type object, []object or map[object]"))
	}
}

// maxTypeDepth bounds nesting such as [][]map[...]; deeper types are surely
// mistakes and would only slow the generator down.
const maxTypeDepth = 4

// typeExpr decodes a type expression.
func (d *decoder) typeExpr(n *yaml.Node) *TypeExpr {
	s := d.str(n, "type")
	if !s.Set() {
		return nil
	}
	t, msg := parseType(s.Value, s.Pos, 0)
	if msg == errTooDeep {
		msg = "type " + quote(s.Value) + " nests more than 4 arrays or maps"
	}
	if msg != "" {
		d.errorf(n, "%s", msg)
		return nil
	}
	return t
}

const errTooDeep = "too deep"

// parseType parses text; on failure it returns a message.
func parseType(text string, p Pos, depth int) (*TypeExpr, string) {
	if depth > maxTypeDepth {
		return nil, errTooDeep
	}
	if rest, ok := strings.CutPrefix(text, "[]"); ok {
		elem, msg := parseType(rest, p, depth+1)
		return &TypeExpr{Kind: KindArray, Elem: elem, Pos: p}, msg
	}
	if rest, ok := strings.CutPrefix(text, "map["); ok {
		inner, ok := strings.CutSuffix(rest, "]")
		if !ok {
			return nil, "type " + quote(text) + " is missing the closing ] of map[T]"
		}
		elem, msg := parseType(inner, p, depth+1)
		return &TypeExpr{Kind: KindMap, Elem: elem, Pos: p}, msg
	}
	if k, ok := Builtins[text]; ok {
		return &TypeExpr{Kind: k, Pos: p}, ""
	}
	if token.IsIdentifier(text) && token.IsExported(text) {
		// A declared Text or List is a type; package model resolves it
		// and gives the alias hint only when nothing declares it.
		return &TypeExpr{Kind: KindRef, Name: text, Pos: p}, ""
	}
	if alt, ok := TypeAlias(text); ok {
		return nil, "unknown type " + quote(text) + "; did you mean " + quote(alt) + "?"
	}
	if token.IsIdentifier(text) && Suggest(text, BuiltinNames) == "" {
		// Package model resolves it, and knows whether a declaration
		// with a name Go cannot use (foo, 日本) is what was meant.
		return &TypeExpr{Kind: KindRef, Name: text, Pos: p}, ""
	}
	return nil, "unknown type " + quote(text) + Suggest(text, BuiltinNames)
}

// typeAliases maps type names from other languages to ours, for suggestions.
var typeAliases = map[string]string{
	"integer": "int", "int32": "int", "long": "int64", "number": "float", "double": "float",
	"float64": "float", "boolean": "bool", "str": "string", "text": "string",
	"array": "[]T", "list": "[]T", "map": "map[T]", "dict": "map[T]", "any": "json", "raw": "json",
}

// TypeAlias returns the descriptor type that another language's name for
// a type (integer, Str, List) means.
func TypeAlias(text string) (string, bool) {
	alt, ok := typeAliases[strings.ToLower(text)]
	return alt, ok
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
