package emit

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// emitCallback writes the handler constructor of a callback.
//
//	func VideoResultHandler(f func(context.Context, *VideoResultCallback) error) http.Handler {
//		return ivhimpl.CallbackHandler(f)
//	}
func emitCallback(f *jen.File, c *model.Callback) {
	f.Add(docComment(fmt.Sprintf("%s returns an http.Handler for the %s callback: it decodes the POSTed "+
		"{\"Payload\": ...} body into a %s and calls f; f's error becomes a 500.", c.Handler, c.Name, c.Body.GoIdent.GoName)))
	fn := jen.Func().Params(ctxType(), jen.Op("*").Id(c.Body.GoIdent.GoName)).Error()
	f.Func().Id(c.Handler).Params(jen.Id("f").Add(fn)).Qual(httpPath, "Handler").Block(
		jen.Return(rt("CallbackHandler").Call(jen.Id("f"))),
	)
	f.Line()
}
