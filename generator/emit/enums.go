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

// emitCodes writes a table's constants and its []runtime.CodeInfo.
//
//	const (
//		// ErrInvalidParamValue is code 100002 (invalid-argument): A parameter value is wrong.
//		ErrInvalidParamValue runtime.Code = 100002
//	)
//	var codesVideoAPI = []runtime.CodeInfo{{Code: ErrInvalidParamValue, Name: "InvalidParamValue", Category: "invalid-argument", Message: "..."}}
func emitCodes(f *jen.File, t *model.CodeTable) {
	what := "Header.Code of an API response; errors.Is(err, code) matches a *runtime.APIError"
	if t.Task {
		what = "the fail code of an async task; errors.Is(err, code) matches a *runtime.TaskFailedError"
	}
	f.Add(docComment(fmt.Sprintf("Codes of table %s: %s.", t.Name, what), t.Doc))
	f.Const().DefsFunc(func(g *jen.Group) {
		for _, c := range t.Codes {
			g.Add(docComment(fmt.Sprintf("%s is code %d (%s): %s", c.Const, c.Value, c.Category, c.Doc)))
			g.Id(c.Const).Add(rt("Code")).Op("=").Lit(int(c.Value))
		}
	})
	f.Line()
	if t.Task {
		return // task codes carry no category for runtime.WithCodes
	}
	f.Add(docComment(fmt.Sprintf("%s lists table %s for runtime.WithCodes.", t.Var, t.Name)))
	f.Var().Id(t.Var).Op("=").Index().Add(rt("CodeInfo")).ValuesFunc(func(g *jen.Group) {
		for _, c := range t.Codes {
			g.Values(jen.Dict{
				jen.Id("Code"):     jen.Id(c.Const),
				jen.Id("Name"):     jen.Lit(c.Name),
				jen.Id("Category"): jen.Lit(c.Category),
				jen.Id("Message"):  jen.Lit(sanitizeOneLine(c.Doc)),
			})
		}
	})
	f.Line()
}

// sanitizeOneLine is descriptor text as a one-line message.
func sanitizeOneLine(s string) string {
	out := ""
	for i, p := range splitParagraphs(s) {
		if i > 0 {
			out += " "
		}
		out += p
	}
	return out
}

// emitCallback writes the handler constructor of a callback.
//
//	func VideoResultHandler(f func(context.Context, *VideoResultCallback) error) http.Handler {
//		return runtime.CallbackHandler(f)
//	}
func emitCallback(f *jen.File, c *model.Callback) {
	f.Add(docComment(fmt.Sprintf("%s returns an http.Handler for the %s callback: it decodes the POSTed "+
		"{\"Payload\": ...} body into a %s and calls f; f's error becomes a 500.", c.Handler, c.Name, c.Body.Name)))
	fn := jen.Func().Params(ctxType(), jen.Op("*").Id(c.Body.Name)).Error()
	f.Func().Id(c.Handler).Params(jen.Id("f").Add(fn)).Qual(httpPath, "Handler").Block(
		jen.Return(rt("CallbackHandler").Call(jen.Id("f"))),
	)
	f.Line()
}
