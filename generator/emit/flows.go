package emit

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// emitWaiter writes the waiters of an async API: Wait<API> from the request
// and response, and, when the poll request needs nothing but the id,
// <API>Handle and Wait<API>Handle, which wait from a persisted handle alone.
//
//	func (c *VideoClient) WaitVideoMake(ctx context.Context, in *VideoMakeRequest, started *VideoMakeResponse, opts ...ivhrt.WaitOption) (*GetProgressResponse, error) {
//		if started == nil { return nil, errors.New(...) }
//		return c.WaitVideoMakeHandle(ctx, c.VideoMakeHandle(started, ""), opts...)
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
		"tune the backoff; WithMaxWait bounds the wait with a *WaitTimeoutError.", w.Waiter, poll.Name, a.Name, a.Name, nilArgs, poll.Response.GoIdent.GoName)))
	params, results := waiterSig(a)
	f.Func().Params(jen.Id("c").Op("*").Id(s.ClientType)).Id(w.Waiter).Params(params...).Params(results...).BlockFunc(func(g *jen.Group) {
		g.Add(nilArgsGuard(w, a))
		h := jen.Id("c").Dot(a.Name+"Handle").Call(jen.Id("started"), jen.Lit(""))
		if len(w.Copies) == 0 {
			g.Return(jen.Id("c").Dot(w.Waiter+"Handle").Call(jen.Id("ctx"), h, jen.Id("opts").Op("...")))
			return
		}
		g.Id("h").Op(":=").Add(h)
		g.Id("id").Op(":=").Add(valueOf("started", w.ID))
		waitBody(g, s, a, jen.Id("id"))
	})
	f.Line()
	emitHandle(f, s, a)
	if len(w.Copies) == 0 {
		emitHandleWaiter(f, s, a)
	}
}

// emitHandle writes <API>Handle, the resumable handle of a started task.
func emitHandle(f *jen.File, s *model.Service, a *model.API) {
	w := a.Async
	f.Add(docComment(fmt.Sprintf("%sHandle returns the handle of the work that %s started: a small versioned value "+
		"whose text form (MarshalText) can be stored and given later to %s. requestID is the "+
		"Header.RequestID of the create call (set it with WithRequestID), or empty. A nil started gives the zero handle, "+
		"which no waiter accepts.", a.Name, a.Name, handleUser(a))))
	f.Func().Params(jen.Id("c").Op("*").Id(s.ClientType)).Id(a.Name+"Handle").Params(
		jen.Id("started").Op("*").Id(a.Response.GoIdent.GoName), jen.Id("requestID").String(),
	).Add(rt("TaskHandle")).Block(
		jen.If(jen.Id("started").Op("==").Nil()).Block(jen.Return(rt("TaskHandle").Values())),
		jen.Return(rt("NewTaskHandle").Call(jen.Lit(a.Name), valueOf("started", w.ID), jen.Id("requestID"))),
	)
	f.Line()
}

func handleUser(a *model.API) string {
	if len(a.Async.Copies) > 0 {
		return "support (this API's poll needs request fields, so it is waited on with " + a.Async.Waiter + ")"
	}
	return a.Async.Waiter + "Handle"
}

// emitHandleWaiter writes Wait<API>Handle.
//
//	func (c *VideoClient) WaitVideoMakeHandle(ctx context.Context, h ivhrt.TaskHandle, opts ...ivhrt.WaitOption) (*GetProgressResponse, error) {
//		id, err := ivhimpl.HandleID[string](h, "VideoMake")
//		if err != nil { return nil, err }
//		poll := func(ctx context.Context) (*GetProgressResponse, error) {
//			return c.GetProgress(ctx, &GetProgressRequest{TaskId: id})
//		}
//		classify := func(r *GetProgressResponse) (ivhimpl.TaskState, error) { return classifyVideoMake(h.TaskID, r) }
//		status := func(r *GetProgressResponse) string { return fmt.Sprint(r.Status) }
//		return ivhimpl.WaitTask(ctx, h, poll, classify, status, opts...)
//	}
func emitHandleWaiter(f *jen.File, s *model.Service, a *model.API) {
	w := a.Async
	f.Add(docComment(fmt.Sprintf("%sHandle is %s from a handle made by %sHandle, in this process or another: "+
		"it needs neither the request nor the response. A handle of another API or version is an error.",
		w.Waiter, w.Waiter, a.Name)))
	f.Func().Params(jen.Id("c").Op("*").Id(s.ClientType)).Id(w.Waiter+"Handle").Params(
		jen.Id("ctx").Add(ctxType()), jen.Id("h").Add(rt("TaskHandle")), jen.Id("opts").Op("...").Add(rt("WaitOption")),
	).Params(jen.Op("*").Id(w.Poll.Response.GoIdent.GoName), jen.Error()).BlockFunc(func(g *jen.Group) {
		g.List(jen.Id("id"), jen.Err()).Op(":=").Add(rt("HandleID")).Types(goType(w.PollID.Type)).Call(jen.Id("h"), jen.Lit(a.Name))
		g.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err()))
		waitBody(g, s, a, jen.Id("id"))
	})
	f.Line()
}

// waitBody writes the poll, classify and status closures and the WaitTask
// call, for a handle h and an id of the poll request's id type.
func waitBody(g *jen.Group, s *model.Service, a *model.API, id jen.Code) {
	w, poll := a.Async, a.Async.Poll
	resp := jen.Op("*").Id(poll.Response.GoIdent.GoName)
	poller := "c"
	if poll.Service != s {
		poller = "poller"
		g.Id(poller).Op(":=").Op("&").Id(poll.Service.ClientType).Values(jen.Dict{jen.Id("rt"): jen.Id("c").Dot("rt")})
	}
	g.Id("poll").Op(":=").Func().Params(jen.Id("ctx").Add(ctxType())).Params(resp.Clone(), jen.Error()).Block(
		jen.Return(jen.Id(poller).Dot(poll.Name).Call(jen.Id("ctx"), jen.Op("&").Id(poll.Request.GoIdent.GoName).Values(pollRequest(w, id)...))),
	)
	g.Id("classify").Op(":=").Func().Params(jen.Id("r").Add(resp.Clone())).Params(rt("TaskState"), jen.Error()).Block(
		jen.Return(jen.Id(w.Classify).Call(jen.Id("h").Dot("TaskID"), jen.Id("r"))),
	)
	g.Id("status").Op(":=").Func().Params(jen.Id("r").Add(resp.Clone())).String().Block(
		jen.Return(jen.Qual("fmt", "Sprint").Call(valueOf("r", w.Status))),
	)
	g.Return(rt("WaitFor").Call(jen.Id("ctx"), waiterValue(w), jen.Id("opts").Op("...")))
}

// waiterValue builds the ivhimpl.Waiter a waiter hands to WaitFor.
func waiterValue(w *model.Async) jen.Code {
	info := rt("WaitInfo").Values(jen.Dict{
		jen.Id("Waiter"): jen.Lit(w.Waiter),
		jen.Id("API"):    jen.Lit(w.Poll.Name),
		jen.Id("ID"):     jen.Id("h").Dot("TaskID"),
	})
	return rt("Waiter").Types(jen.Id(w.Poll.Response.GoIdent.GoName)).Custom(multiline,
		kv("Client", jen.Id("c").Dot("rt")), kv("Info", info), kv("Poll", jen.Id("poll")),
		kv("Classify", jen.Id("classify")), kv("Describe", jen.Id(describeName(w))),
		kv("Handle", jen.Id("h")), kv("Status", jen.Id("status")))
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
func pollRequest(w *model.Async, id jen.Code) []jen.Code {
	out := []jen.Code{fieldValue(w.PollID, id)}
	for _, c := range w.Copies {
		if c.From.Opt == c.To.Opt {
			out = append(out, jen.Id(c.To.Name).Op(":").Id("in").Dot(c.From.Name))
		} else {
			out = append(out, fieldValue(c.To, valueOf("in", c.From)))
		}
	}
	return out
}

// emitClassify writes the function that maps a poll response to a state;
// the flows that share it pass their task id as text.
//
//	func classifyGetProgress(id string, r *GetProgressResponse) (ivhimpl.TaskState, error) {
//		switch r.Status {
//		case TaskStatusSuccess:
//			return ivhimpl.TaskSucceeded, nil
//		case TaskStatusFail:
//			return ivhimpl.TaskFailed, &ivhrt.TaskFailedError{Op: "GetProgress", ID: id, ...}
//		}
//		return ivhimpl.TaskPending, nil
//	}
func emitClassify(f *jen.File, w *model.Async) {
	f.Func().Id(w.Classify).Params(
		jen.Id("id").String(), jen.Id("r").Op("*").Id(w.Poll.Response.GoIdent.GoName),
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
		kv("ID", jen.Id("id")),
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
// Each page copies the caller's request afresh, so an autofilled field (a
// ReqId) left empty gets a new value per page, as each poll of a waiter does.
//
//	func (c *AssetClient) DescribeTimbreAll(ctx context.Context, in *DescribeTimbreRequest, opts ...ivhrt.CallOption) iter.Seq2[TimbreAsset, error] {
//		var first DescribeTimbreRequest
//		if in != nil { first = *in }
//		fetch := func(ctx context.Context, index, size int) (ivhimpl.Page[TimbreAsset], error) {
//			req := first
//			req.PageIndex, req.PageSize = index, size
//			r, err := c.DescribeTimbre(ctx, &req, opts...)
//			if err != nil { return ivhimpl.Page[TimbreAsset]{}, err }
//			return ivhimpl.Page[TimbreAsset]{Items: r.TimbreAssets, Total: int(r.Total)}, nil
//		}
//		return ivhimpl.Pages(ctx, int(first.PageSize), fetch)
//	}
func emitPages(f *jen.File, s *model.Service, a *model.API) {
	p := a.Paging
	item := goType(p.Items.Type.Elem)
	page := rt("Page").Types(item.Clone())
	f.Add(docComment(fmt.Sprintf("%s walks every page of %s from page 1, with the page size set in in.%s, "+
		"and yields each item. It stops with an error when a page makes no progress, and at the first "+
		"error of a call.", p.Method, a.Name, p.Size.Name)))
	params, result := pagesSig(a)
	f.Func().Params(jen.Id("c").Op("*").Id(s.ClientType)).Id(p.Method).Params(params...).Add(result).Block(
		jen.Var().Id("first").Id(a.Request.GoIdent.GoName),
		jen.If(jen.Id("in").Op("!=").Nil()).Block(jen.Id("first").Op("=").Op("*").Id("in")),
		jen.Id("fetch").Op(":=").Func().Params(jen.Id("ctx").Add(ctxType()), jen.List(jen.Id("index"), jen.Id("size")).Int()).
			Params(page.Clone(), jen.Error()).Block(
			jen.Id("req").Op(":=").Id("first"),
			assign("req", p.Index, convertInt(jen.Id("index"), p.Index.Type)),
			assign("req", p.Size, convertInt(jen.Id("size"), p.Size.Type)),
			jen.List(jen.Id("r"), jen.Err()).Op(":=").Id("c").Dot(a.Name).Call(jen.Id("ctx"), jen.Op("&").Id("req"), jen.Id("opts").Op("...")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(page.Clone().Values(), jen.Err())),
			jen.Return(page.Clone().Values(jen.Dict{
				jen.Id("Items"): jen.Id("r").Dot(p.Items.Name),
				jen.Id("Total"): jen.Int().Call(jen.Id("r").Dot(p.Total.Name)),
			}), jen.Nil()),
		),
		jen.Return(rt("Pages").Call(jen.Id("ctx"), jen.Int().Call(valueOf("first", p.Size)), jen.Id("fetch"))),
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
