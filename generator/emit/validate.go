package emit

import (
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// emitValidate writes the exported Validate of a request.
//
//	func (r *VideoMakeRequest) Validate() error {
//		var vs ivhimpl.Violations
//		r.validate(&vs, "")
//		return vs.Err()
//	}
func emitValidate(f *jen.File, s *model.Struct) {
	f.Add(docComment("Validate reports every field of r that breaks a documented constraint, " +
		"each with its field path. The client calls it before signing; WithoutValidation and " +
		"SkipValidation turn that off."))
	f.Func().Params(jen.Id("r").Op("*").Id(s.GoIdent.GoName)).Id("Validate").Params().Error().BlockFunc(func(g *jen.Group) {
		if !s.HasChecks {
			g.Return(jen.Nil())
			return
		}
		g.Var().Id("vs").Add(rt("Violations"))
		g.Id("r").Dot("validate").Call(jen.Op("&").Id("vs"), jen.Lit(""))
		g.Return(jen.Id("vs").Dot("Err").Call())
	})
	f.Line()
}

// emitValidateFields writes the unexported walk that nested types share.
//
//	func (r *SpeechParam) validate(vs *ivhimpl.Violations, path string) {
//		if v, ok := r.Speed.Get(); ok {
//			ivhimpl.Max(vs, ivhimpl.Join(path, "Speed"), v, 1.5)
//		}
//	}
func emitValidateFields(f *jen.File, s *model.Struct) {
	f.Func().Params(jen.Id("r").Op("*").Id(s.GoIdent.GoName)).Id("validate").
		Params(jen.Id("vs").Op("*").Add(rt("Violations")), jen.Id("path").String()).BlockFunc(func(g *jen.Group) {
		for _, fd := range s.Fields {
			if model.FieldHasChecks(fd) {
				for _, c := range fieldChecks(fd) {
					g.Add(c)
				}
			}
		}
		for _, c := range s.Constraints {
			g.Add(constraintCheck(c))
		}
	})
	f.Line()
}

// fieldChecks returns the statements that check one field.
func fieldChecks(f *model.Field) []jen.Code {
	p := rt("Join").Call(jen.Id("path"), jen.Lit(f.Wire))
	if f.Opt {
		inner := valueChecks(jen.Id("v"), f.Type, f, p, 0, false)
		return []jen.Code{jen.If(jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id("r").Dot(f.Name).Dot("Get").Call(), jen.Id("ok")).Block(inner...)}
	}
	v := jen.Id("r").Dot(f.Name)
	if f.Type.Kind == model.StructKind && !f.Required {
		checks := valueChecks(v, f.Type, f, p, 0, true)
		if len(checks) == 0 {
			return nil
		}
		return []jen.Code{jen.If(jen.Op("!").Add(rt("IsZero").Call(jen.Op("&").Id("r").Dot(f.Name)))).Block(checks...)}
	}
	return valueChecks(v, f.Type, f, p, 0, f.Required && !f.Autofill && !f.AllowEmpty)
}

// valueChecks returns the checks of value v of type t at path p. depth
// numbers loop variables; bounds apply to the innermost element and
// maxItems to the outermost container.
func valueChecks(v jen.Code, t *model.Type, f *model.Field, p jen.Code, depth int, required bool) []jen.Code {
	switch t.Kind {
	case model.String:
		return stringChecks(v, f, p, required)
	case model.Int, model.Int64, model.Float:
		return numberChecks(v, f, p)
	case model.EnumKind:
		return enumChecks(v, t, f, p, required)
	case model.StructKind:
		if t.Struct.HasChecks {
			return []jen.Code{jen.Add(v).Dot("validate").Call(jen.Id("vs"), p)}
		}
	case model.JSON:
		if required {
			return []jen.Code{rt("RequireItems").Call(jen.Id("vs"), p, jen.Len(v))}
		}
	case model.Array, model.Map:
		var out []jen.Code
		if required {
			out = append(out, rt("RequireItems").Call(jen.Id("vs"), p, jen.Len(v)))
		}
		if depth == 0 && f.MinItems.Set() {
			out = append(out, rt("MinItems").Call(jen.Id("vs"), p, jen.Len(v), intLit(f.MinItems.Value)))
		}
		if depth == 0 && f.MaxItems.Set() {
			out = append(out, rt("MaxItems").Call(jen.Id("vs"), p, jen.Len(v), intLit(f.MaxItems.Value)))
		}
		return append(out, elemLoop(v, t, f, p, depth)...)
	}
	return nil
}

// stringChecks: required, then lengths; an empty required value is
// reported as missing once, not also as too short.
func stringChecks(v jen.Code, f *model.Field, p jen.Code, required bool) []jen.Code {
	var out []jen.Code
	if required {
		out = append(out, rt("RequireString").Call(jen.Id("vs"), p, v))
	}
	if f.MinLength.Set() {
		check := rt("MinLength").Call(jen.Id("vs"), p, v, intLit(f.MinLength.Value))
		if required {
			check = jen.If(jen.Add(v).Op("!=").Lit("")).Block(check)
		}
		out = append(out, check)
	}
	if f.MaxLength.Set() {
		out = append(out, rt("MaxLength").Call(jen.Id("vs"), p, v, intLit(f.MaxLength.Value)))
	}
	if f.MaxBytes.Set() {
		out = append(out, rt("MaxBytes").Call(jen.Id("vs"), p, v, intLit(f.MaxBytes.Value)))
	}
	return out
}

// numberChecks: the inclusive bounds, written as in the descriptor.
func numberChecks(v jen.Code, f *model.Field, p jen.Code) []jen.Code {
	var out []jen.Code
	if f.Min.Set() {
		out = append(out, rt("Min").Call(jen.Id("vs"), p, v, jen.Op(f.Min.Text)))
	}
	if f.Max.Set() {
		out = append(out, rt("Max").Call(jen.Id("vs"), p, v, jen.Op(f.Max.Text)))
	}
	if f.ExclusiveMin.Set() {
		out = append(out, rt("MinExclusive").Call(jen.Id("vs"), p, v, jen.Op(f.ExclusiveMin.Text)))
	}
	if f.ExclusiveMax.Set() {
		out = append(out, rt("MaxExclusive").Call(jen.Id("vs"), p, v, jen.Op(f.ExclusiveMax.Text)))
	}
	return out
}

// enumChecks: a required string enum must be set, and a value that is set
// (or sent, for optional ones) must be known.
func enumChecks(v jen.Code, t *model.Type, f *model.Field, p jen.Code, required bool) []jen.Code {
	known := enumValueCheck(v, t, f, p)
	if known == nil {
		if required && !t.Enum.IsInt {
			return []jen.Code{rt("RequireString").Call(jen.Id("vs"), p, v)}
		}
		return nil
	}
	if !required || t.Enum.IsInt {
		return []jen.Code{known}
	}
	return []jen.Code{
		rt("RequireString").Call(jen.Id("vs"), p, v),
		jen.If(jen.Add(v).Op("!=").Lit("")).Block(known),
	}
}

// elemLoop checks each element of an array, or of a map in key order so
// violations come out in a stable order.
//
//	for i0, e0 := range r.Items { e0.validate(vs, ivhimpl.Index(ivhimpl.Join(path, "Items"), i0)) }
func elemLoop(v jen.Code, t *model.Type, f *model.Field, p jen.Code, depth int) []jen.Code {
	i, e := "i"+strconv.Itoa(depth), "e"+strconv.Itoa(depth)
	if t.Kind == model.Array {
		body := valueChecks(jen.Id(e), t.Elem, f, rt("Index").Call(p, jen.Id(i)), depth+1, false)
		if len(body) == 0 {
			return nil
		}
		return []jen.Code{jen.For(jen.List(jen.Id(i), jen.Id(e)).Op(":=").Range().Add(v)).Block(body...)}
	}
	body := valueChecks(jen.Id(e), t.Elem, f, rt("Key").Call(p, jen.Id(i)), depth+1, false)
	if len(body) == 0 {
		return nil
	}
	keys := jen.Qual(slicesPath, "Sorted").Call(jen.Qual(mapsPath, "Keys").Call(v))
	return []jen.Code{jen.For(jen.List(jen.Id("_"), jen.Id(i)).Op(":=").Range().Add(keys)).Block(
		append([]jen.Code{jen.Id(e).Op(":=").Add(v).Index(jen.Id(i))}, body...)...)}
}
