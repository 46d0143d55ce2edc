package emit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// lit returns the Go literal of a value: an untyped int or string.
func lit(v model.Value) jen.Code {
	if v.IsInt {
		return jen.Lit(int(v.Int))
	}
	return jen.Lit(v.Str)
}

// emitEnum writes a defined type, its constants and Known.
//
//	type TaskStatus string
//	const (
//		// TaskStatusCommit is "COMMIT". Queued.
//		TaskStatusCommit TaskStatus = "COMMIT"
//	)
//	func (e TaskStatus) Known() bool { switch e { case TaskStatusCommit: return true }; return false }
func emitEnum(f *jen.File, e *model.Enum) {
	doc := e.Doc
	if doc == "" {
		doc = "An enum of the aPaaS API."
	}
	note := "A value the server sends that is not listed here still decodes; Known reports false for it."
	if e.Open {
		note = "The server may extend this set: Validate accepts any value, and Known reports false for one not listed here."
	}
	f.Add(docComment(leadSentence(e.GoIdent.GoName, firstParagraph(doc)), restParagraphs(doc), note))
	base := jen.String()
	if e.IsInt {
		base = jen.Int()
	}
	f.Type().Id(e.GoIdent.GoName).Add(base)
	f.Line()
	f.Const().DefsFunc(func(g *jen.Group) {
		for _, v := range e.Values {
			g.Add(docComment(strings.TrimSpace(fmt.Sprintf("%s is %s. %s", v.GoIdent.GoName, literalText(v.Value), v.Doc))))
			g.Id(v.GoIdent.GoName).Id(e.GoIdent.GoName).Op("=").Add(lit(v.Value))
		}
	})
	f.Line()
	f.Add(docComment(fmt.Sprintf("Known reports whether e is one of the %s values this package declares.", e.GoIdent.GoName)))
	f.Func().Params(jen.Id("e").Id(e.GoIdent.GoName)).Id("Known").Params().Bool().Block(
		jen.Switch(jen.Id("e")).Block(jen.Case(enumConsts(e)...).Block(jen.Return(jen.True()))),
		jen.Return(jen.False()),
	)
	f.Line()
}

func enumConsts(e *model.Enum) []jen.Code {
	out := make([]jen.Code, len(e.Values))
	for i, v := range e.Values {
		out[i] = jen.Id(v.GoIdent.GoName)
	}
	return out
}

// literalText writes a value for a doc comment, quoted when a string.
func literalText(v model.Value) string {
	if v.IsInt {
		return v.Text()
	}
	return strconv.Quote(v.Str)
}
