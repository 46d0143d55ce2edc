package emit

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// emitJSONTexts writes the result type and Decode method of each jsonText
// field of s.
func emitJSONTexts(f *jen.File, s *model.Struct) {
	for _, j := range s.JSONTexts {
		if j.By == nil {
			continue // reported by the model
		}
		emitJSONResult(f, s, j)
		emitJSONDecode(f, s, j)
	}
}

// emitJSONResult writes the decoded form of a jsonText field: the raw text
// and one pointer per type the text may hold.
//
//	type GetProgressResponseStageInfo struct {
//		Raw string
//		CustomerConfirmContent *CustomerConfirmContent
//	}
func emitJSONResult(f *jen.File, s *model.Struct, j *model.JSONText) {
	f.Add(docComment(fmt.Sprintf("%s is %s of %s decoded by %s: the text as received and, when %s has a value listed below, the value it holds.",
		j.Result.GoName, j.Field.Name, s.GoIdent.GoName, j.Method, j.By.Name)))
	f.Type().Id(j.Result.GoName).StructFunc(func(g *jen.Group) {
		g.Comment("Raw is the JSON text as received.")
		g.Id("Raw").String()
		for _, h := range j.Holds {
			g.Line()
			g.Add(docComment(fmt.Sprintf("%s is set when %s is %s.", h.GoIdent.GoName, j.By.Name, strings.Join(caseTexts(j, h), " or "))))
			g.Id(h.GoIdent.GoName).Op("*").Add(ident(h.GoIdent))
		}
	})
	f.Line()
}

// caseTexts lists the values of by that select type h.
func caseTexts(j *model.JSONText, h *model.Struct) []string {
	var out []string
	for _, c := range j.Cases {
		if c.Struct == h {
			out = append(out, c.Value.Value.Text())
		}
	}
	return out
}

// emitJSONDecode writes the Decode method of a jsonText field.
//
//	func (r *GetProgressResponse) DecodeStageInfo() (GetProgressResponseStageInfo, error) {
//		out := GetProgressResponseStageInfo{}
//		if r == nil || r.StageInfo == "" { return out, nil }
//		out.Raw = r.StageInfo
//		var err error
//		switch r.StageV2 {
//		case CustomizationStageConfirm:
//			v := new(CustomerConfirmContent)
//			err = ivhimpl.DecodeJSONText(r.StageInfo, v)
//			out.CustomerConfirmContent = v
//		}
//		if err != nil { return GetProgressResponseStageInfo{Raw: r.StageInfo}, fmt.Errorf("decoding StageInfo: %w", err) }
//		return out, nil
//	}
func emitJSONDecode(f *jen.File, s *model.Struct, j *model.JSONText) {
	result := jen.Id(j.Result.GoName)
	text := valueOf("r", j.Field)
	f.Add(docComment(fmt.Sprintf("%s decodes the JSON text of %s into the type %s picks. The result keeps the text in Raw; "+
		"when %s is empty or %s has a value not listed, it holds only Raw and the error is nil. Scalars decode as "+
		"tolerantly as responses (\"640\" for 640); text that does not decode is an error, and the result then holds only Raw.", j.Method, j.Field.Name, j.By.Name, j.Field.Name, j.By.Name)))
	f.Func().Params(jen.Id("r").Op("*").Id(s.GoIdent.GoName)).Id(j.Method).Params().Params(result.Clone(), jen.Error()).Block(
		jen.Id("out").Op(":=").Add(result.Clone()).Values(),
		jen.If(jen.Id("r").Op("==").Nil().Op("||").Add(text.Clone()).Op("==").Lit("")).Block(jen.Return(jen.Id("out"), jen.Nil())),
		jen.Id("out").Dot("Raw").Op("=").Add(text.Clone()),
		jen.Var().Id("err").Error(),
		jen.Switch(valueOf("r", j.By)).BlockFunc(func(g *jen.Group) {
			for _, h := range j.Holds {
				g.Case(caseValues(j, h)...).Block(
					jen.Id("v").Op(":=").New(ident(h.GoIdent)),
					jen.Id("err").Op("=").Add(rt("DecodeJSONText")).Call(text.Clone(), jen.Id("v")),
					jen.Id("out").Dot(h.GoIdent.GoName).Op("=").Id("v"),
				)
			}
		}),
		jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(result.Clone().Values(jen.Dict{jen.Id("Raw"): text.Clone()}),
			jen.Qual(fmtPath, "Errorf").Call(jen.Lit(fmt.Sprintf("decoding %s as JSON: %%w", j.Field.Wire)), jen.Id("err")))),
		jen.Return(jen.Id("out"), jen.Nil()),
	)
	f.Line()
}

// caseValues are the case expressions selecting type h: enum constants or
// literals.
func caseValues(j *model.JSONText, h *model.Struct) []jen.Code {
	var out []jen.Code
	for _, c := range j.Cases {
		switch {
		case c.Struct != h:
		case c.Value.Enum != nil:
			out = append(out, ident(c.Value.Enum.GoIdent))
		case c.Value.Value.IsInt:
			// Written as text: an int64 by may take values over 32 bits, and
			// int() would wrap them when the generator runs on GOARCH=386.
			out = append(out, intLit(c.Value.Value.Int))
		default:
			out = append(out, jen.Lit(c.Value.Value.Str))
		}
	}
	return out
}
