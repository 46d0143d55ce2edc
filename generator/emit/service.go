package emit

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// methodSig returns the parameters and results every API method has:
// (ctx context.Context, in *XRequest, opts ...ivhrt.CallOption) (*XResponse, error).
func methodSig(a *model.API) (params, results []jen.Code) {
	params = []jen.Code{
		jen.Id("ctx").Add(ctxType()),
		jen.Id("in").Op("*").Id(a.Request.GoIdent.GoName),
		jen.Id("opts").Op("...").Add(rt("CallOption")),
	}
	results = []jen.Code{jen.Op("*").Id(a.Response.GoIdent.GoName), jen.Error()}
	return params, results
}

// apiDoc is the doc comment of an API method: name, path, doc, deprecation.
func apiDoc(a *model.API) jen.Code {
	paras := []string{fmt.Sprintf("%s calls %s %s.", a.Name, a.Method, a.Path), a.Doc}
	if a.Idempotent {
		paras = append(paras, "The call is idempotent, so the client retries it after an ambiguous failure.")
	}
	if len(a.Autofill) > 0 {
		names := make([]string, len(a.Autofill))
		for i, f := range a.Autofill {
			names[i] = "in." + f.Name
		}
		paras = append(paras, fmt.Sprintf("An empty %s is filled with a fresh request id before sending.", strings.Join(names, ", ")))
	}
	if a.Deprecated {
		note := "Deprecated: the vendor has deprecated this API."
		if a.DeprecatedNote != "" {
			note = "Deprecated: " + sanitizeOneLine(a.DeprecatedNote)
		}
		if a.ReplacedBy != nil && !strings.Contains(note, a.ReplacedBy.Name) {
			note += fmt.Sprintf(" Use %s instead.", a.ReplacedBy.Name)
		}
		paras = append(paras, note)
	}
	return docComment(paras...)
}

// waiterSig is the signature of an async API's waiter.
func waiterSig(a *model.API) (params, results []jen.Code) {
	params = []jen.Code{
		jen.Id("ctx").Add(ctxType()), jen.Id("in").Op("*").Id(a.Request.GoIdent.GoName),
		jen.Id("started").Op("*").Id(a.Response.GoIdent.GoName), jen.Id("opts").Op("...").Add(rt("WaitOption")),
	}
	return params, []jen.Code{jen.Op("*").Id(a.Async.Poll.Response.GoIdent.GoName), jen.Error()}
}

// pagesSig is the signature of a paged API's iterator.
func pagesSig(a *model.API) (params []jen.Code, result *jen.Statement) {
	params, _ = methodSig(a)
	return params, jen.Qual(iterPath, "Seq2").Types(goType(a.Paging.Items.Type.Elem), jen.Error())
}

// openSig is the signature of a channel's open method.
func openSig(c *model.Channel) (params, results []jen.Code) {
	params = []jen.Code{jen.Id("ctx").Add(ctxType()), jen.Id("sessionID").String(), jen.Id("opts").Op("...").Add(rt("ChannelOption"))}
	if c.Flat {
		params = []jen.Code{params[0], params[2]} // no session
	}
	return params, []jen.Code{jen.Op("*").Id(c.Name), jen.Error()}
}

// runSig is the parameter list of a session Run method; it returns error.
func runSig(c *model.Channel, r *model.SessionRun) []jen.Code {
	return []jen.Code{
		jen.Id("ctx").Add(ctxType()), jen.Id("in").Op("*").Id(r.Create.Request.GoIdent.GoName),
		jen.Id("fn").Func().Params(ctxType(), jen.Op("*").Id(c.Session.Type)).Error(), jen.Id("opts").Op("...").Add(rt("SessionOption")),
	}
}

// emitInterface writes the per-service interface used for mocking: every
// exported method of the client, the waiters, iterators, channel openers
// and session runners included, so code written against it loses nothing
// the generator adds.
//
//	type VideoAPI interface {
//		VideoMake(ctx context.Context, in *VideoMakeRequest, opts ...ivhrt.CallOption) (*VideoMakeResponse, error)
//		WaitVideoMake(ctx context.Context, in *VideoMakeRequest, started *VideoMakeResponse, opts ...ivhrt.WaitOption) (*GetProgressResponse, error)
//	}
func emitInterface(f *jen.File, s *model.Service) {
	f.Add(docComment(fmt.Sprintf("%s is the set of %s APIs. *%s implements it; substitute a fake in tests.",
		s.Interface, s.Name, s.ClientType), s.Doc))
	f.Type().Id(s.Interface).InterfaceFunc(func(g *jen.Group) {
		for i, a := range s.APIs {
			if i > 0 {
				g.Line()
			}
			params, results := methodSig(a)
			g.Add(apiDoc(a))
			g.Id(a.Name).Params(params...).Params(results...)
			interfaceFlows(g, a)
		}
		interfaceChannels(g, s.Channels(), len(s.APIs) > 0)
	})
	f.Line()
	f.Var().Id("_").Id(s.Interface).Op("=").Parens(jen.Op("*").Id(s.ClientType)).Parens(jen.Nil())
	f.Line()
}

// interfaceFlows adds the waiter and the iterator of a, if any.
func interfaceFlows(g *jen.Group, a *model.API) {
	if a.Async != nil {
		params, results := waiterSig(a)
		g.Comment(fmt.Sprintf("%s polls %s until the work %s started ends.", a.Async.Waiter, a.Async.Poll.Name, a.Name))
		g.Id(a.Async.Waiter).Params(params...).Params(results...)
		g.Comment(fmt.Sprintf("%sHandle returns the resumable handle of the work %s started.", a.Name, a.Name))
		g.Id(a.Name+"Handle").Params(jen.Id("started").Op("*").Id(a.Response.GoIdent.GoName), jen.Id("requestID").String()).Add(rt("TaskHandle"))
		if len(a.Async.Copies) == 0 {
			g.Comment(fmt.Sprintf("%sHandle is %s from a handle alone.", a.Async.Waiter, a.Async.Waiter))
			g.Id(a.Async.Waiter+"Handle").Params(jen.Id("ctx").Add(ctxType()), jen.Id("h").Add(rt("TaskHandle")),
				jen.Id("opts").Op("...").Add(rt("WaitOption"))).Params(results...)
		}
	}
	if a.Paging != nil {
		params, result := pagesSig(a)
		g.Comment(fmt.Sprintf("%s walks every page of %s.", a.Paging.Method, a.Name))
		g.Id(a.Paging.Method).Params(params...).Add(result)
	}
}

// interfaceChannels adds the open and Run methods of the service's channels.
// after says whether methods come before them, to be set off by a blank line.
func interfaceChannels(g *jen.Group, cs []*model.Channel, after bool) {
	for i, c := range cs {
		params, results := openSig(c)
		if after || i > 0 {
			g.Line()
		}
		what := "of a started session"
		if c.Flat {
			what = "(no session)"
		}
		g.Comment(fmt.Sprintf("%s opens the %s %s.", c.Open, c.Name, what))
		g.Id(c.Open).Params(params...).Params(results...)
		if c.Session == nil {
			continue
		}
		for _, r := range c.Session.Runs {
			g.Comment(fmt.Sprintf("%s runs fn in a session made by %s, then closes it.", r.Method, r.Create.Name))
			g.Id(r.Method).Params(runSig(c, r)...).Error()
		}
	}
}

// emitClientType writes the service's client struct.
//
//	type VideoClient struct{ rt *ivhrt.Client }
func emitClientType(f *jen.File, s *model.Service) {
	f.Add(docComment(fmt.Sprintf("%s calls the %s APIs. Get one from Client.%s.", s.ClientType, s.Name, s.Name)))
	f.Type().Id(s.ClientType).Struct(jen.Id("rt").Op("*").Add(rt("Client")))
	f.Line()
}

// emitOperation writes the static descriptor of one API.
//
//	var opVideoMake = &ivhimpl.Operation{Name: "VideoMake", Service: "Video", Path: "/...", Method: "POST", Idempotent: false, IDField: "TaskId", Package: "ivh"}
//
// IDField names the id an async create returns, so that a success whose
// Payload does not decode still reports it; Package starts its errors.
func emitOperation(f *jen.File, pkg string, a *model.API) {
	fields := []jen.Code{kv("Name", jen.Lit(a.Name)), kv("Service", jen.Lit(a.Service.Name)), kv("Path", jen.Lit(a.Path)),
		kv("Method", jen.Lit(a.Method)), kv("Idempotent", jen.Lit(a.Idempotent))}
	if a.Async != nil {
		fields = append(fields, kv("IDField", jen.Lit(a.Async.ID.Wire)))
	}
	fields = append(fields, kv("Package", jen.Lit(pkg)))
	f.Var().Id(a.OpVar).Op("=").Op("&").Add(rt("Operation")).Values(fields...)
	f.Line()
}

// emitMethod writes the thin method that calls the runtime once.
//
//	func (c *VideoClient) VideoMake(ctx context.Context, in *VideoMakeRequest, opts ...ivhrt.CallOption) (*VideoMakeResponse, error) {
//		if in != nil { ivhimpl.FillRequestID(&in.ReqId) }
//		return ivhimpl.Do[VideoMakeRequest, VideoMakeResponse](ctx, c.rt, opVideoMake, in, opts...)
//	}
func emitMethod(f *jen.File, s *model.Service, a *model.API) {
	params, results := methodSig(a)
	f.Add(apiDoc(a))
	f.Func().Params(jen.Id("c").Op("*").Id(s.ClientType)).Id(a.Name).Params(params...).Params(results...).BlockFunc(func(g *jen.Group) {
		if len(a.Autofill) > 0 {
			g.If(jen.Id("in").Op("!=").Nil()).BlockFunc(func(g *jen.Group) {
				for _, fd := range a.Autofill {
					g.Add(rt("FillRequestID").Call(jen.Op("&").Id("in").Dot(fd.Name)))
				}
			})
		}
		g.Return(rt("Do").Types(jen.Id(a.Request.GoIdent.GoName), jen.Id(a.Response.GoIdent.GoName)).
			Call(jen.Id("ctx"), jen.Id("c").Dot("rt"), jen.Id(a.OpVar), jen.Id("in"), jen.Id("opts").Op("...")))
	})
	f.Line()
}
