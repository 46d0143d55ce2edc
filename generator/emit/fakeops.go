package emit

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
	"github.com/ivhgen/ivhgen/generator/openapi"
)

// operationsFile is operations.go: the Operation table of every API, which
// lets a tool (cmd/ivh, a test loop) call any API by name.
func (fk *fake) operationsFile() *jen.File {
	f := fk.newFile(sources(fk.pkg))
	fk.emitOperationType(f)
	schemas := openapi.NewSchemas(fk.pkg)
	f.Add(docComment("Operations returns every API, in service and declaration order."))
	f.Func().Id("Operations").Params().Index().Id("Operation").Block(
		jen.Return(jen.Index().Id("Operation").ValuesFunc(func(g *jen.Group) {
			for _, s := range fk.pkg.Services {
				for _, a := range s.APIs {
					g.Custom(multiline, fk.operation(s, a, schemas.Request(a))...)
				}
			}
		})),
	)
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
		jen.Id("RequestSchema").String().Comment("JSON Schema (draft 2020-12) of the request, compact"),
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
		jen.Comment("Pages, for a paged API, walks every page from page 1 and yields each item; nil otherwise."),
		jen.Id("Pages").Func().Params(ctxType(), client.Clone(), jen.Any(), jen.Op("...").Add(rt("CallOption"))).Qual(iterPath, "Seq2").Types(jen.Any(), jen.Error()),
	)
	f.Line()
}

// operation is the Operation literal of one API, its fields in the order
// the struct declares them.
func (fk *fake) operation(s *model.Service, a *model.API, schema string) []jen.Code {
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
	out = append(out, kv("RequestSchema", jen.Lit(schema)))
	out = append(out,
		kv("NewRequest", jen.Qual(fakegwPath, "NewRequest").Types(ident(a.Request.GoIdent))),
		kv("Call", jen.Func().Params(ctx.Clone(), client.Clone(), jen.Id("req").Any(), opts.Clone().Op("...").Add(rt("CallOption"))).
			Params(jen.Any(), jen.Error()).Block(
			jen.Return(jen.Qual(fakegwPath, "Call").Call(jen.Id("ctx"), jen.Id("req"), fk.method(s, a), jen.Id("opts"))))),
	)
	if w := a.Async; w != nil {
		out = append(out,
			kv("Wait", jen.Func().Params(ctx.Clone(), client.Clone(), jen.Id("req").Any(), jen.Id("resp").Any(),
				opts.Clone().Op("...").Add(rt("WaitOption"))).Params(jen.Any(), jen.Error()).Block(
				jen.Return(jen.Qual(fakegwPath, "Wait").Call(jen.Id("ctx"), jen.Id("req"), jen.Id("resp"), jen.Id("c").Dot(s.Name).Dot(w.Waiter), jen.Id("opts"))))),
			kv("Status", jen.Func().Params(jen.Id("f").Func().Params(jen.String(), jen.Any())).Add(rt("WaitOption")).Block(
				jen.Return(rt("WithProgress").Call(jen.Func().Params(jen.Id("r").Op("*").Add(ident(w.Poll.Response.GoIdent))).Block(
					jen.Id("f").Call(jen.Qual(fmtPath, "Sprint").Call(valueOf("r", w.Status)), jen.Id("r"))))))),
			kv("Handle", jen.Func().Params(client.Clone(), jen.Id("resp").Any(), jen.Id("requestID").String()).Params(rt("TaskHandle"), jen.Error()).Block(
				jen.Return(jen.Qual(fakegwPath, "Handle").Call(jen.Id("resp"), jen.Id("requestID"), jen.Id("c").Dot(s.Name).Dot(a.Name+"Handle"))))),
		)
		if len(w.Copies) == 0 {
			out = append(out, kv("WaitHandle", jen.Func().Params(ctx.Clone(), client.Clone(), jen.Id("h").Add(rt("TaskHandle")),
				opts.Clone().Op("...").Add(rt("WaitOption"))).Params(jen.Any(), jen.Error()).Block(
				jen.Return(jen.Qual(fakegwPath, "WaitHandle").Call(jen.Id("ctx"), jen.Id("h"), jen.Id("c").Dot(s.Name).Dot(w.Waiter+"Handle"), jen.Id("opts"))))))
		}
	}
	if p := a.Paging; p != nil {
		out = append(out, kv("Pages", jen.Func().Params(ctx.Clone(), client.Clone(), jen.Id("req").Any(), opts.Clone().Op("...").Add(rt("CallOption"))).
			Qual(iterPath, "Seq2").Types(jen.Any(), jen.Error()).Block(
			jen.Return(jen.Qual(fakegwPath, "Pages").Call(jen.Id("ctx"), jen.Id("req"), jen.Id("c").Dot(s.Name).Dot(p.Method), jen.Id("opts"))))))
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
