package emit

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// emitCodes writes a table's constants and its []ivhimpl.CodeInfo.
//
//	const (
//		// ErrInvalidParamValue is code 100002 (invalid-argument): A parameter value is wrong.
//		ErrInvalidParamValue ivhrt.Code = 100002
//	)
//	var codesVideoAPI = []ivhimpl.CodeInfo{{Code: ErrInvalidParamValue, Name: "InvalidParamValue", Category: "invalid-argument", Message: "..."}}
func emitCodes(f *jen.File, t *model.CodeTable) {
	what := "Header.Code of an API response; errors.Is(err, code) matches a *APIError"
	if t.Task {
		what = "the fail code of an async task; errors.Is(err, code) matches a *TaskFailedError"
	}
	f.Add(docComment(fmt.Sprintf("Codes of table %s: %s.", t.Name, what), t.Doc))
	f.Const().DefsFunc(func(g *jen.Group) {
		for _, c := range t.Codes {
			g.Add(docComment(fmt.Sprintf("%s is code %d (%s): %s", c.Const, c.Value, c.Category, c.Doc)))
			g.Id(c.Const).Add(rt(codeType(t))).Op("=").Lit(int(c.Value))
		}
	})
	f.Line()
	if t.Task {
		return // task codes carry no category for ivhimpl.WithCodes
	}
	f.Add(docComment(fmt.Sprintf("%s lists table %s for the client's code registry.", t.Var, t.Name)))
	f.Var().Id(t.Var).Op("=").Index().Add(rt("CodeInfo")).ValuesFunc(func(g *jen.Group) {
		for _, c := range t.Codes {
			g.Custom(multiline,
				kv("Code", jen.Id(c.Const)),
				kv("Name", jen.Lit(c.Name)),
				kv("Category", jen.Lit(c.Category)),
				kv("Message", jen.Lit(sanitizeOneLine(c.Doc))),
			)
		}
	})
	f.Line()
}

// codeType is the runtime type of a table's constants: API result codes
// and task fail codes are distinct types, so errors.Is keeps them apart.
func codeType(t *model.CodeTable) string {
	if t.Task {
		return "FailCode"
	}
	return "Code"
}

// sanitizeOneLine is descriptor text as a one-line message.
func sanitizeOneLine(s string) string {
	return strings.Join(splitParagraphs(s), " ")
}
