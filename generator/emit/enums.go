package emit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// enumLit returns the Go literal of an enum value.
func enumLit(e *model.Enum, value string) jen.Code {
	if e.IsInt {
		n, _ := strconv.ParseInt(value, 0, 64) // checked by package spec
		return jen.Lit(int(n))
	}
	return jen.Lit(value)
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
		doc = "an enum of the aPaaS API."
	}
	f.Add(docComment(e.Name+": "+firstParagraph(doc), restParagraphs(doc),
		"A value the server sends that is not listed here still decodes; Known reports false for it."))
	base := jen.String()
	if e.IsInt {
		base = jen.Int()
	}
	f.Type().Id(e.Name).Add(base)
	f.Line()
	f.Const().DefsFunc(func(g *jen.Group) {
		for _, v := range e.Values {
			g.Add(docComment(strings.TrimSpace(fmt.Sprintf("%s is %s. %s", v.Const, literalText(e, v.Value), v.Doc))))
			g.Id(v.Const).Id(e.Name).Op("=").Add(enumLit(e, v.Value))
		}
	})
	f.Line()
	f.Add(docComment(fmt.Sprintf("Known reports whether e is one of the %s values this package declares.", e.Name)))
	f.Func().Params(jen.Id("e").Id(e.Name)).Id("Known").Params().Bool().Block(
		jen.Switch(jen.Id("e")).Block(jen.Case(enumConsts(e)...).Block(jen.Return(jen.True()))),
		jen.Return(jen.False()),
	)
	f.Line()
}

func enumConsts(e *model.Enum) []jen.Code {
	out := make([]jen.Code, len(e.Values))
	for i, v := range e.Values {
		out[i] = jen.Id(v.Const)
	}
	return out
}

// literalText writes a value for a doc comment, quoted when a string.
func literalText(e *model.Enum, value string) string {
	if e.IsInt {
		return value
	}
	return strconv.Quote(value)
}
