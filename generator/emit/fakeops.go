package emit

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// operationsFile is operations.go: the Operation table of every API, which
// lets a tool (cmd/ivh, a test loop) call any API by name.
func (fk *fake) operationsFile() *jen.File {
	f := fk.newFile(sources(fk.pkg))
	fk.emitOperationType(f)
	f.Add(docComment("Operations returns every API, in service and declaration order."))
	f.Func().Id("Operations").Params().Index().Id("Operation").Block(
		jen.Return(jen.Index().Id("Operation").ValuesFunc(func(g *jen.Group) {
			for _, s := range fk.pkg.Services {
				for _, a := range s.APIs {
					g.Custom(multiline, fk.operation(s, a)...)
				}
			}
		})),
	)
	f.Line()
	emitCallHelpers(f)
	return f
}

func (fk *fake) emitOperationType(f *jen.File) {
	client := jen.Op("*").Add(fk.q("Client"))
	f.Add(docComment(fmt.Sprintf("Operation describes one API of package %s for code that calls APIs by name. "+
		"Requests and responses are the package's pointer types, passed as any.", fk.pkg.Name)))
	f.Type().Id("Operation").Struct(
		jen.Id("Name").String().Comment("Go method name, e.g. VideoMake"),
		jen.Id("Service").String().Comment("Client field holding the method"),
		jen.Id("Method").String().Comment("HTTP method"),
		jen.Id("Path").String().Comment("wire path"),
		jen.Id("Doc").String().Comment("first sentence of the API's doc"),
		jen.Id("Deprecated").Bool(),
		jen.Line().Comment("NewRequest returns a new, empty request."),
		jen.Id("NewRequest").Func().Params().Any(),
		jen.Comment("Call calls the API with a request from NewRequest."),
		jen.Id("Call").Func().Params(ctxType(), client.Clone(), jen.Any(), jen.Op("...").Add(rt("CallOption"))).Params(jen.Any(), jen.Error()),
		jen.Comment("Wait, for an API that starts work, polls until the work ends, given the request and"),
		jen.Comment("response of Call, and returns the last poll response; it is nil for other APIs."),
		jen.Id("Wait").Func().Params(ctxType(), client.Clone(), jen.Any(), jen.Any(), jen.Op("...").Add(rt("WaitOption"))).Params(jen.Any(), jen.Error()),
		jen.Comment("Status, with Wait, returns a wait option reporting every poll to f: its status"),
		jen.Comment("field as text, and the poll response."),
		jen.Id("Status").Func().Params(jen.Id("f").Func().Params(jen.Id("status").String(), jen.Id("poll").Any())).Add(rt("WaitOption")),
		jen.Comment("Handle, with Wait, returns the resumable handle of the work a response of Call started."),
		jen.Id("Handle").Func().Params(client.Clone(), jen.Any(), jen.String()).Params(rt("TaskHandle"), jen.Error()),
		jen.Comment("WaitHandle, with Wait, waits from a handle alone; it is nil when the poll needs request fields."),
		jen.Id("WaitHandle").Func().Params(ctxType(), client.Clone(), rt("TaskHandle"), jen.Op("...").Add(rt("WaitOption"))).Params(jen.Any(), jen.Error()),
	)
	f.Line()
}

// emitCallHelpers writes the generic helpers the Operation literals call:
//
//	func call[Req, Resp any](ctx context.Context, req any, f func(context.Context, *Req, ...ivhrt.CallOption) (*Resp, error), opts []ivhrt.CallOption) (any, error)
//	func wait[Req, Started, Poll any](ctx context.Context, req, started any, f func(context.Context, *Req, *Started, ...ivhrt.WaitOption) (*Poll, error), opts []ivhrt.WaitOption) (any, error)
//	func arg[T any](v any) (*T, error)
//	func result[T any](v *T, err error) (any, error)
func emitCallHelpers(f *jen.File) {
	ptr := func(t string) *jen.Statement { return jen.Op("*").Id(t) }
	fn := func(opt string, params ...jen.Code) *jen.Statement {
		return jen.Func().Params(append(append([]jen.Code{ctxType()}, params...), jen.Op("...").Add(rt(opt)))...)
	}
	f.Comment("call checks the type of req, calls f and drops the typed nil of a failure.")
	f.Func().Id("call").Types(jen.List(jen.Id("Req"), jen.Id("Resp")).Any()).
		Params(jen.Id("ctx").Add(ctxType()), jen.Id("req").Any(),
			jen.Id("f").Add(fn("CallOption", ptr("Req"))).Params(ptr("Resp"), jen.Error()),
			jen.Id("opts").Index().Add(rt("CallOption"))).
		Params(jen.Any(), jen.Error()).Block(
		jen.List(jen.Id("in"), jen.Err()).Op(":=").Id("arg").Types(jen.Id("Req")).Call(jen.Id("req")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("result").Call(jen.Id("f").Call(jen.Id("ctx"), jen.Id("in"), jen.Id("opts").Op("...")))),
	)
	f.Line()
	f.Comment("wait checks the types of req and started, calls the waiter f and drops the typed nil of a failure.")
	f.Func().Id("wait").Types(jen.List(jen.Id("Req"), jen.Id("Started"), jen.Id("Poll")).Any()).
		Params(jen.Id("ctx").Add(ctxType()), jen.List(jen.Id("req"), jen.Id("started")).Any(),
			jen.Id("f").Add(fn("WaitOption", ptr("Req"), ptr("Started"))).Params(ptr("Poll"), jen.Error()),
			jen.Id("opts").Index().Add(rt("WaitOption"))).
		Params(jen.Any(), jen.Error()).Block(
		jen.List(jen.Id("in"), jen.Err()).Op(":=").Id("arg").Types(jen.Id("Req")).Call(jen.Id("req")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.List(jen.Id("st"), jen.Err()).Op(":=").Id("arg").Types(jen.Id("Started")).Call(jen.Id("started")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("result").Call(jen.Id("f").Call(jen.Id("ctx"), jen.Id("in"), jen.Id("st"), jen.Id("opts").Op("...")))),
	)
	f.Line()
	f.Comment("arg returns v as a non-nil *T, or an error naming the type it wants.")
	f.Func().Id("arg").Types(jen.Id("T").Any()).Params(jen.Id("v").Any()).Params(ptr("T"), jen.Error()).Block(
		jen.List(jen.Id("p"), jen.Id("ok")).Op(":=").Id("v").Assert(ptr("T")),
		jen.If(jen.Op("!").Id("ok").Op("||").Id("p").Op("==").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual(fmtPath, "Errorf").Call(jen.Lit("want a non-nil %T, got %T"), jen.Id("p"), jen.Id("v")))),
		jen.Return(jen.Id("p"), jen.Nil()),
	)
	f.Line()
	f.Comment("result drops the typed nil of a failed call, so a caller can test the result against nil.")
	f.Func().Id("result").Types(jen.Id("T").Any()).Params(jen.Id("v").Op("*").Id("T"), jen.Err().Error()).Params(jen.Any(), jen.Error()).Block(
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("v"), jen.Nil()),
	)
}

// operation is the Operation literal of one API, its fields in the order
// the struct declares them.
func (fk *fake) operation(s *model.Service, a *model.API) []jen.Code {
	ctx, client, opts := jen.Id("ctx").Add(ctxType()), jen.Id("c").Op("*").Add(fk.q("Client")), jen.Id("opts")
	out := []jen.Code{
		kv("Name", jen.Lit(a.Name)),
		kv("Service", jen.Lit(s.Name)),
		kv("Method", jen.Lit(a.Method)),
		kv("Path", jen.Lit(a.Path)),
		kv("Doc", jen.Lit(firstSentence(a.Doc))),
	}
	if a.Deprecated {
		out = append(out, kv("Deprecated", jen.True()))
	}
	out = append(out,
		kv("NewRequest", jen.Func().Params().Any().Block(jen.Return(jen.New(ident(a.Request.GoIdent))))),
		kv("Call", jen.Func().Params(ctx.Clone(), client.Clone(), jen.Id("req").Any(), opts.Clone().Op("...").Add(rt("CallOption"))).
			Params(jen.Any(), jen.Error()).Block(
			jen.Return(jen.Id("call").Call(jen.Id("ctx"), jen.Id("req"), fk.method(s, a), jen.Id("opts"))))),
	)
	if w := a.Async; w != nil {
		out = append(out,
			kv("Wait", jen.Func().Params(ctx.Clone(), client.Clone(), jen.Id("req").Any(), jen.Id("resp").Any(),
				opts.Clone().Op("...").Add(rt("WaitOption"))).Params(jen.Any(), jen.Error()).Block(
				jen.Return(jen.Id("wait").Call(jen.Id("ctx"), jen.Id("req"), jen.Id("resp"), jen.Id("c").Dot(s.Name).Dot(w.Waiter), jen.Id("opts"))))),
			kv("Status", jen.Func().Params(jen.Id("f").Func().Params(jen.String(), jen.Any())).Add(rt("WaitOption")).Block(
				jen.Return(rt("WithProgress").Call(jen.Func().Params(jen.Id("r").Op("*").Add(ident(w.Poll.Response.GoIdent))).Block(
					jen.Id("f").Call(jen.Qual(fmtPath, "Sprint").Call(valueOf("r", w.Status)), jen.Id("r"))))))),
			kv("Handle", jen.Func().Params(client.Clone(), jen.Id("resp").Any(), jen.Id("requestID").String()).Params(rt("TaskHandle"), jen.Error()).Block(
				jen.List(jen.Id("st"), jen.Err()).Op(":=").Id("arg").Types(ident(a.Response.GoIdent)).Call(jen.Id("resp")),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(rt("TaskHandle").Values(), jen.Err())),
				jen.Return(jen.Id("c").Dot(s.Name).Dot(a.Name+"Handle").Call(jen.Id("st"), jen.Id("requestID")), jen.Nil()))),
		)
		if len(w.Copies) == 0 {
			out = append(out, kv("WaitHandle", jen.Func().Params(ctx.Clone(), client.Clone(), jen.Id("h").Add(rt("TaskHandle")),
				opts.Clone().Op("...").Add(rt("WaitOption"))).Params(jen.Any(), jen.Error()).Block(
				jen.Return(jen.Id("result").Call(jen.Id("c").Dot(s.Name).Dot(w.Waiter+"Handle").Call(jen.Id("ctx"), jen.Id("h"), jen.Id("opts").Op("...")))))))
		}
	}
	return out
}

// firstSentence is the first sentence of a doc, on one line.
func firstSentence(doc string) string {
	p := sanitizeOneLine(firstParagraph(doc))
	for i := 0; i+1 < len(p); i++ {
		if p[i] == '.' && p[i+1] == ' ' {
			return p[:i+1]
		}
	}
	return p
}

// method is c.<Service>.<API>. A deprecated API is called through an
// interface of its own, whose method carries no deprecation, so that a
// table listing every API does not trip deprecation linters in its users.
func (fk *fake) method(s *model.Service, a *model.API) *jen.Statement {
	svc := jen.Id("c").Dot(s.Name)
	if !a.Deprecated {
		return svc.Dot(a.Name)
	}
	sig := jen.Id(a.Name).Params(ctxType(), jen.Op("*").Add(ident(a.Request.GoIdent)), jen.Op("...").Add(rt("CallOption"))).
		Params(jen.Op("*").Add(ident(a.Response.GoIdent)), jen.Error())
	return jen.Any().Call(svc).Assert(jen.Interface(sig)).Dot(a.Name)
}
