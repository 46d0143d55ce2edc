package emit

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// emitCallback writes the handler constructor of a callback.
//
//	func VideoResultHandler(f func(context.Context, *VideoResultCallback) error) http.Handler {
//		return ivhimpl.CallbackHandlerOf(false, []string{"TaskId"}, f)
//	}
func emitCallback(f *jen.File, c *model.Callback) {
	shape := `{"Payload": ...} body`
	if c.Flat {
		shape = "body (the fields at the top level)"
	}
	doc := fmt.Sprintf("%s returns an http.Handler for the %s callback: it decodes the POSTed "+
		"%s into a %s and calls f; f's error becomes a 500.", c.Handler, c.Name, shape, c.Body.GoIdent.GoName)
	if len(c.Require) > 0 {
		doc += fmt.Sprintf(" A body without %s is a 400 and f is not called.", strings.Join(c.Require, ", "))
	}
	f.Add(docComment(doc))
	fn := jen.Func().Params(ctxType(), jen.Op("*").Id(c.Body.GoIdent.GoName)).Error()
	var req []jen.Code
	for _, w := range c.Require {
		req = append(req, jen.Lit(w))
	}
	reqs := jen.Nil()
	if len(req) > 0 {
		reqs = jen.Index().String().Values(req...)
	}
	f.Func().Id(c.Handler).Params(jen.Id("f").Add(fn)).Qual(httpPath, "Handler").Block(
		jen.Return(rt("CallbackHandlerOf").Call(jen.Lit(c.Flat), reqs, jen.Id("f"))),
	)
	f.Line()
}
