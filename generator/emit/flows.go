package emit

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// emitWaiter writes the waiter of an async API.
//
//	func (c *VideoClient) WaitVideoMake(ctx context.Context, in *VideoMakeRequest, started *VideoMakeResponse, opts ...ivhrt.WaitOption) (*GetProgressResponse, error) {
//		if started == nil { return nil, errors.New(...) }
//		poll := func(ctx context.Context) (*GetProgressResponse, error) {
//			return c.GetProgress(ctx, &GetProgressRequest{TaskId: started.TaskId})
//		}
//		classify := func(r *GetProgressResponse) (ivhimpl.TaskState, error) { return classifyVideoMake(started, r) }
//		return ivhimpl.WaitFor(ctx, ivhimpl.Waiter[GetProgressResponse]{Client: c.rt,
//			Info: ivhrt.WaitInfo{Waiter: "WaitVideoMake", API: "GetProgress", ID: started.TaskId},
//			Poll: poll, Classify: classify, Describe: describeVideoMake}, opts...)
//	}
//
// When the poll API belongs to another service, the waiter first makes that
// service's client: poller := &SessionClient{rt: c.rt}.
func emitWaiter(f *jen.File, s *model.Service, a *model.API) {
	w, poll := a.Async, a.Async.Poll
	nilArgs := "started"
	if len(w.Copies) > 0 {
		nilArgs = "in or started"
	}
	f.Add(docComment(fmt.Sprintf("%s polls %s with backoff until the work that %s started ends, and returns the "+
		"last poll response. A failure value yields a *TaskFailedError carrying the fail code, so "+
		"errors.Is(err, code) works. in and started are the request and response of %s; a nil %s is an error. "+
		"Watch each poll with WithProgress (its callback takes *%s); WithPollInterval and WithMaxPollInterval "+
		"tune the backoff.", w.Waiter, poll.Name, a.Name, a.Name, nilArgs, poll.Response.GoIdent.GoName)))
	resp := jen.Op("*").Id(poll.Response.GoIdent.GoName)
	f.Func().Params(jen.Id("c").Op("*").Id(s.ClientType)).Id(w.Waiter).Params(
		jen.Id("ctx").Add(ctxType()), jen.Id("in").Op("*").Id(a.Request.GoIdent.GoName),
		jen.Id("started").Op("*").Id(a.Response.GoIdent.GoName), jen.Id("opts").Op("...").Add(rt("WaitOption")),
	).Params(resp.Clone(), jen.Error()).BlockFunc(func(g *jen.Group) {
		g.Add(nilArgsGuard(w, a))
		poller := "c"
		if poll.Service != s {
			poller = "poller"
			g.Id(poller).Op(":=").Op("&").Id(poll.Service.ClientType).Values(jen.Dict{jen.Id("rt"): jen.Id("c").Dot("rt")})
		}
		g.Id("poll").Op(":=").Func().Params(jen.Id("ctx").Add(ctxType())).Params(resp.Clone(), jen.Error()).Block(
			jen.Return(jen.Id(poller).Dot(poll.Name).Call(jen.Id("ctx"), jen.Op("&").Id(poll.Request.GoIdent.GoName).Values(pollRequest(w)...))),
		)
		g.Id("classify").Op(":=").Func().Params(jen.Id("r").Add(resp.Clone())).Params(rt("TaskState"), jen.Error()).Block(
			jen.Return(jen.Id(w.Classify).Call(jen.Id("started"), jen.Id("r"))),
		)
		g.Return(rt("WaitFor").Call(jen.Id("ctx"), waiterValue(w), jen.Id("opts").Op("...")))
	})
	f.Line()
}

// waiterValue builds the ivhimpl.Waiter a waiter hands to WaitFor.
func waiterValue(w *model.Async) jen.Code {
	info := rt("WaitInfo").Values(jen.Dict{
		jen.Id("Waiter"): jen.Lit(w.Waiter),
		jen.Id("API"):    jen.Lit(w.Poll.Name),
		jen.Id("ID"):     toString(valueOf("started", w.ID), w.ID.Type),
	})
	return rt("Waiter").Types(jen.Id(w.Poll.Response.GoIdent.GoName)).Custom(multiline,
		kv("Client", jen.Id("c").Dot("rt")), kv("Info", info), kv("Poll", jen.Id("poll")),
		kv("Classify", jen.Id("classify")), kv("Describe", jen.Id(describeName(w))))
}

func describeName(w *model.Async) string { return "describe" + w.Classify[len("classify"):] }

// emitDescribe writes what reads a poll response for the Poll hook.
//
//	func describeVideoMake(r *GetProgressResponse) ivhrt.PollInfo {
//		return ivhrt.PollInfo{Status: string(r.Status), Progress: r.Progress, Queue: r.ArrayCount}
//	}
func emitDescribe(f *jen.File, a *model.API) {
	w := a.Async
	f.Func().Id(describeName(w)).Params(jen.Id("r").Op("*").Id(w.Poll.Response.GoIdent.GoName)).Add(rt("PollInfo")).Block(
		jen.Return(rt("PollInfo").Values(jen.Dict{
			jen.Id("Status"):   toString(jen.Id("r").Dot(w.Status.Name), w.Status.Type),
			jen.Id("Progress"): intOrNone(w.Progress),
			jen.Id("Queue"):    intOrNone(w.Queue),
		})),
	)
	f.Line()
}

// intOrNone reads an int field of the poll response, or -1 without one.
func intOrNone(fl *model.Field) jen.Code {
	if fl == nil {
		return jen.Lit(-1)
	}
	return jen.Int().Call(valueOf("r", fl))
}

// nilArgsGuard returns early with an error when started (or in, when the
// poll request copies fields from it) is nil: the waiter would otherwise
// panic reading the task id.
//
//	if started == nil {
//		return nil, errors.New("apaas WaitVideoMake: started is nil; pass the response of VideoMake")
//	}
func nilArgsGuard(w *model.Async, a *model.API) jen.Code {
	cond := jen.Id("started").Op("==").Nil()
	msg := fmt.Sprintf("apaas %s: started is nil; pass the response of %s", w.Waiter, a.Name)
	if len(w.Copies) > 0 {
		cond = jen.Id("in").Op("==").Nil().Op("||").Add(cond)
		msg = fmt.Sprintf("apaas %s: in or started is nil; pass the request and response of %s", w.Waiter, a.Name)
	}
	return jen.If(cond).Block(jen.Return(jen.Nil(), jen.Qual(errorsPath, "New").Call(jen.Lit(msg))))
}

// pollRequest lists the poll request's fields: the id and the copies.
// The request is built afresh for every poll, so autofilled ids are new.
func pollRequest(w *model.Async) []jen.Code {
	out := []jen.Code{fieldValue(w.PollID, valueOf("started", w.ID))}
	for _, c := range w.Copies {
		if c.From.Opt == c.To.Opt {
			out = append(out, jen.Id(c.To.Name).Op(":").Id("in").Dot(c.From.Name))
		} else {
			out = append(out, fieldValue(c.To, valueOf("in", c.From)))
		}
	}
	return out
}

// emitClassify writes the function that maps a poll response to a state.
//
//	func classifyVideoMake(started *VideoMakeResponse, r *GetProgressResponse) (ivhimpl.TaskState, error) {
//		switch r.Status {
//		case TaskStatusSuccess:
//			return ivhimpl.TaskSucceeded, nil
//		case TaskStatusFail:
//			return ivhimpl.TaskFailed, &ivhrt.TaskFailedError{Op: "GetProgress", ID: started.TaskId, ...}
//		}
//		return ivhimpl.TaskPending, nil
//	}
func emitClassify(f *jen.File, a *model.API) {
	w := a.Async
	f.Func().Id(w.Classify).Params(
		jen.Id("started").Op("*").Id(a.Response.GoIdent.GoName), jen.Id("r").Op("*").Id(w.Poll.Response.GoIdent.GoName),
	).Params(rt("TaskState"), jen.Error()).Block(
		jen.Switch(jen.Id("r").Dot(w.Status.Name)).Block(
			jen.Case(literals(w.Success)...).Block(jen.Return(rt("TaskSucceeded"), jen.Nil())),
			jen.Case(literals(w.Failure)...).Block(jen.Return(rt("TaskFailed"), taskFailed(w))),
		),
		jen.Return(rt("TaskPending"), jen.Nil()),
	)
	f.Line()
}

func literals(ls []model.Literal) []jen.Code {
	out := make([]jen.Code, len(ls))
	for i, l := range ls {
		switch {
		case l.Enum != nil:
			out[i] = jen.Id(l.Enum.GoIdent.GoName)
		default:
			out[i] = lit(l.Value)
		}
	}
	return out
}

// taskFailed builds the *TaskFailedError of a failure value.
func taskFailed(w *model.Async) jen.Code {
	fields := []jen.Code{
		kv("Op", jen.Lit(w.Poll.Name)),
		kv("ID", toString(jen.Id("started").Dot(w.ID.Name), w.ID.Type)),
		kv("Status", toString(jen.Id("r").Dot(w.Status.Name), w.Status.Type)),
	}
	if w.FailCode != nil {
		fields = append(fields, kv("FailCode", rt("FailCode").Call(jen.Id("r").Dot(w.FailCode.Name))))
	}
	if w.FailMessage != nil {
		fields = append(fields, kv("FailMessage", jen.Id("r").Dot(w.FailMessage.Name)))
	}
	return jen.Op("&").Add(rt("TaskFailedError")).Custom(multiline, fields...)
}

// toString converts a string, integer or enum value to a string, with a
// conversion only where the type needs one.
//
//	v  string(v)  strconv.Itoa(v)  strconv.Itoa(int(v))  strconv.FormatInt(v, 10)
func toString(v *jen.Statement, t *model.Type) jen.Code {
	enum := t.Kind == model.EnumKind
	switch {
	case t.Base() == model.String && enum:
		return jen.String().Call(v)
	case t.Base() == model.String:
		return v
	case t.Kind == model.Int64:
		return jen.Qual(strconvPath, "FormatInt").Call(v, jen.Lit(10))
	case enum:
		return jen.Qual(strconvPath, "Itoa").Call(jen.Int().Call(v))
	}
	return jen.Qual(strconvPath, "Itoa").Call(v)
}

// emitPages writes the iterator of a paged API.
//
//	func (c *AssetClient) DescribeTimbreAll(ctx context.Context, in *DescribeTimbreRequest, opts ...ivhrt.CallOption) iter.Seq2[TimbreAsset, error] {
//		var req DescribeTimbreRequest
//		if in != nil { req = *in }
//		fetch := func(ctx context.Context, index, size int) (ivhimpl.Page[TimbreAsset], error) {
//			req.PageIndex, req.PageSize = index, size
//			r, err := c.DescribeTimbre(ctx, &req, opts...)
//			if err != nil { return ivhimpl.Page[TimbreAsset]{}, err }
//			return ivhimpl.Page[TimbreAsset]{Items: r.TimbreAssets, Total: int(r.Total)}, nil
//		}
//		return ivhimpl.Pages(ctx, int(req.PageSize), fetch)
//	}
func emitPages(f *jen.File, s *model.Service, a *model.API) {
	p := a.Paging
	item := goType(p.Items.Type.Elem)
	page := rt("Page").Types(item.Clone())
	f.Add(docComment(fmt.Sprintf("%s walks every page of %s from page 1, with the page size set in in.%s, "+
		"and yields each item. It stops with an error when a page makes no progress, and at the first "+
		"error of a call.", p.Method, a.Name, p.Size.Name)))
	params, _ := methodSig(a)
	f.Func().Params(jen.Id("c").Op("*").Id(s.ClientType)).Id(p.Method).Params(params...).
		Qual(iterPath, "Seq2").Types(item.Clone(), jen.Error()).Block(
		jen.Var().Id("req").Id(a.Request.GoIdent.GoName),
		jen.If(jen.Id("in").Op("!=").Nil()).Block(jen.Id("req").Op("=").Op("*").Id("in")),
		jen.Id("fetch").Op(":=").Func().Params(jen.Id("ctx").Add(ctxType()), jen.List(jen.Id("index"), jen.Id("size")).Int()).
			Params(page.Clone(), jen.Error()).Block(
			assign("req", p.Index, convertInt(jen.Id("index"), p.Index.Type)),
			assign("req", p.Size, convertInt(jen.Id("size"), p.Size.Type)),
			jen.List(jen.Id("r"), jen.Err()).Op(":=").Id("c").Dot(a.Name).Call(jen.Id("ctx"), jen.Op("&").Id("req"), jen.Id("opts").Op("...")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(page.Clone().Values(), jen.Err())),
			jen.Return(page.Clone().Values(jen.Dict{
				jen.Id("Items"): jen.Id("r").Dot(p.Items.Name),
				jen.Id("Total"): jen.Int().Call(jen.Id("r").Dot(p.Total.Name)),
			}), jen.Nil()),
		),
		jen.Return(rt("Pages").Call(jen.Id("ctx"), jen.Int().Call(valueOf("req", p.Size)), jen.Id("fetch"))),
	)
	f.Line()
}

// convertInt converts an int to the field's integer type.
func convertInt(v jen.Code, t *model.Type) jen.Code {
	if t.Kind == model.Int64 {
		return jen.Int64().Call(v)
	}
	return v
}
