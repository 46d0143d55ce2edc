package emit

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// enumValueCheck checks that an enum value that is set is accepted: one of
// the field's values subset, else a declared value; nil for an open enum
// without a subset, which accepts any value.
func enumValueCheck(v jen.Code, t *model.Type, f *model.Field, p jen.Code) jen.Code {
	if f.Values != nil {
		args := []jen.Code{jen.Id("vs"), p, v}
		for _, ev := range f.Values {
			args = append(args, jen.Id(ev.GoIdent.GoName))
		}
		return rt("OneOf").Call(args...)
	}
	if t.Enum.Open {
		return nil
	}
	return rt("KnownEnum").Call(jen.Id("vs"), p, v)
}

// constraintCheck checks a constraint across fields of r.
//
//	ivhimpl.MaxTotalItems(vs, path, []string{"Backgrounds", "Foregrounds"}, 5, len(r.Backgrounds), len(r.Foregrounds))
func constraintCheck(c *model.Constraint) jen.Code {
	var names, vals []jen.Code
	for _, f := range c.Fields {
		names = append(names, jen.Lit(f.Wire))
		if c.Kind == model.MaxTotalItems {
			vals = append(vals, jen.Len(jen.Id("r").Dot(f.Name)))
		} else {
			vals = append(vals, jen.Op("!").Add(rt("IsZero").Call(jen.Op("&").Id("r").Dot(f.Name))))
		}
	}
	args := []jen.Code{jen.Id("vs"), jen.Id("path"), jen.Index().String().Values(names...)}
	switch c.Kind {
	case model.ExactlyOne:
		return rt("ExactlyOne").Call(append(args, vals...)...)
	case model.AtMostOne:
		return rt("AtMostOne").Call(append(args, vals...)...)
	}
	return rt("MaxTotalItems").Call(append(append(args, jen.Lit(c.Max)), vals...)...)
}

// constraintsDoc is a paragraph naming the constraints across fields.
func constraintsDoc(s *model.Struct) string {
	var out []string
	for _, c := range s.Constraints {
		out = append(out, c.Sentence())
	}
	return strings.Join(out, " ")
}

// constraintTextII lists the format II checks on f for its doc comment.
func constraintTextII(f *model.Field) []string {
	var out []string
	if f.ExclusiveMin.Set() {
		out = append(out, "above "+f.ExclusiveMin.Text)
	}
	if f.ExclusiveMax.Set() {
		out = append(out, "below "+f.ExclusiveMax.Text)
	}
	if f.MaxBytes.Set() {
		out = append(out, "at most "+plural(f.MaxBytes.Value, "byte")+" of UTF-8")
	}
	if f.MinItems.Set() {
		out = append(out, "at least "+plural(f.MinItems.Value, "item"))
	}
	if f.Values != nil {
		var vs []string
		for _, v := range f.Values {
			vs = append(vs, v.GoIdent.GoName)
		}
		out = append(out, "one of "+strings.Join(vs, ", "))
	}
	return out
}
