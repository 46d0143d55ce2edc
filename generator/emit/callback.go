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
	fn := jen.Func().Params(ctxType(), jen.Op("*").Id(c.Body.GoIdent.GoName)).Error()
	var req []jen.Code
	for _, w := range c.Require {
		req = append(req, jen.Lit(w))
	}
	reqs := jen.Nil()
	if len(req) > 0 {
		reqs = jen.Index().String().Values(req...)
	}
	if c.Signed != nil {
		emitSignedCallback(f, c, doc, fn, reqs)
		return
	}
	f.Add(docComment(doc))
	f.Func().Id(c.Handler).Params(jen.Id("f").Add(fn)).Qual(httpPath, "Handler").Block(
		jen.Return(rt("CallbackHandlerOf").Call(jen.Lit(c.Flat), reqs, jen.Id("f"))),
	)
	f.Line()
}

// emitSignedCallback writes the handler of a signed callback: it takes the
// callback key and verifies the query signature before anything else.
//
//	func DriveHandler(key ivhrt.CallbackKey, f func(context.Context, *DriveCallback) error, opts ...ivhrt.CallbackOption) http.Handler {
//		return ivhimpl.SignedCallbackHandlerOf(ivhimpl.CallbackSignature{...}, key, true, nil, f, opts...)
//	}
func emitSignedCallback(f *jen.File, c *model.Callback, doc string, fn, reqs jen.Code) {
	s := c.Signed
	what := fmt.Sprintf("the query parameters %s", strings.Join(s.Params, ", "))
	doc += fmt.Sprintf(" Before decoding, it verifies %s: the HMAC-SHA256 of %s, sorted, keyed by key "+
		"(the callback key the vendor provides, not the access token), compared in constant time.", s.Param, what)
	if s.Timestamp != "" {
		doc += fmt.Sprintf(" %s must be Unix seconds within ivhrt.DefaultCallbackWindow of now (WithTimestampWindow changes it).", s.Timestamp)
	}
	doc += " A request that fails the check is answered 401 and f is not called."
	f.Add(docComment(doc))
	var params []jen.Code
	for _, p := range s.Params {
		params = append(params, jen.Lit(p))
	}
	sig := rt("CallbackSignature").Values(jen.Dict{
		jen.Id("Params"):    jen.Index().String().Values(params...),
		jen.Id("Param"):     jen.Lit(s.Param),
		jen.Id("Timestamp"): jen.Lit(s.Timestamp),
	})
	f.Func().Id(c.Handler).Params(jen.Id("key").Add(rt("CallbackKey")), jen.Id("f").Add(fn), jen.Id("opts").Op("...").Add(rt("CallbackOption"))).
		Qual(httpPath, "Handler").Block(
		jen.Return(rt("SignedCallbackHandlerOf").Call(sig, jen.Id("key"), jen.Lit(c.Flat), reqs, jen.Id("f"), jen.Id("opts").Op("..."))),
	)
	f.Line()
}
