package emit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// fake renders the fake gateway package of one client package.
type fake struct {
	pkg   *model.Package
	names *model.Fake
	flows map[*model.API]*model.Async
	final map[*model.Enum]map[string]bool // status values some flow ends on
}

// RenderFake renders package pkg.Fake, the typed fake gateway of pkg.
// Output names are relative to the client's directory: "ivhtest/server.go".
// The fake declares only what varies per descriptor; package fakegw does
// the rest.
func RenderFake(pkg *model.Package) ([]Output, error) {
	fk := newFake(pkg)
	jobs := []job{
		{"server.go", fk.serverFile},
		{"operations.go", fk.operationsFile},
	}
	for _, f := range pkg.Files {
		if hasAPIFile(f) {
			jobs = append(jobs, job{f.Base + "_fake.go", func() *jen.File { return fk.serviceFile(f) }})
		}
		if f.Service != nil && hasFakeChannel(f) {
			jobs = append(jobs, job{f.Base + "_channel_fake.go", func() *jen.File { return fk.channelFile(f) }})
		}
	}
	return renderAll(jobs, fk.names.Name+"/")
}

// newFake indexes the flows: each poll API takes the first flow that polls it.
func newFake(pkg *model.Package) *fake {
	fk := &fake{pkg: pkg, names: pkg.Fake, flows: map[*model.API]*model.Async{}, final: map[*model.Enum]map[string]bool{}}
	for _, s := range pkg.Services {
		for _, a := range s.APIs {
			if a.Async == nil {
				continue
			}
			if e := a.Async.Status.Type.Enum; e != nil {
				if fk.final[e] == nil {
					fk.final[e] = map[string]bool{}
				}
				for _, l := range append(append([]model.Literal(nil), a.Async.Success...), a.Async.Failure...) {
					fk.final[e][statusText(l)] = true
				}
			}
			if _, ok := fk.flows[a.Async.Poll]; !ok {
				fk.flows[a.Async.Poll] = a.Async
			}
		}
	}
	return fk
}

// q returns a name of the client package.
func (fk *fake) q(name string) *jen.Statement { return jen.Qual(fk.pkg.ImportPath, name) }

func (fk *fake) newFile(source string) *jen.File {
	f := jen.NewFile(fk.names.Name)
	f.HeaderComment(Header(source))
	f.ImportNames(importNames)
	if fk.names.Client == fk.pkg.Name {
		f.ImportName(fk.pkg.ImportPath, fk.pkg.Name)
	} else {
		f.ImportAlias(fk.pkg.ImportPath, fk.names.Client)
	}
	return f
}

// serverFile is server.go: the package doc, Server, New, Start, serve and
// Client.
func (fk *fake) serverFile() *jen.File {
	f := fk.newFile(sources(fk.pkg))
	packageDoc(f, fmt.Sprintf("Package %s is a fake aPaaS gateway for testing code that uses package %s, "+
		"with no credentials and no network. It wraps *fakegw.Fake (package %s), which checks signatures, "+
		"timestamps and envelopes like the real gateway, records every request and injects scripted faults; "+
		"this package adds one typed handler setter per API (Handle<API>) and a default for every API: "+
		"responses echo the request fields they share, and each create-then-poll flow is simulated, its poll "+
		"walking the status values the descriptors leave pending, then the first success value. "+
		"FailNext<API> scripts a failure instead. Operations lists every API for tools that call them by name.",
		fk.names.Name, fk.pkg.Name, fakegwPath))
	f.Add(docComment("Server is a fake gateway serving every API with a default handler. The embedded " +
		"*fakegw.Fake gives its URL, credentials, recorded requests (Requests), fault injection (Inject) " +
		"and the simulated tasks of each poll API (Tasks)."))
	f.Type().Id("Server").Struct(jen.Op("*").Qual(fakegwPath, "Fake"))
	f.Line()
	fk.emitConstructors(f)
	f.Add(docComment(fmt.Sprintf("Client returns a *%s.Client wired to the server: its URL, HTTP client and "+
		"credentials, then opts. An invalid option fails the test (or panics under Start).", fk.pkg.Name)))
	f.Func().Params(jen.Id("s").Op("*").Id("Server")).Id("Client").Params(jen.Id("opts").Op("...").Add(rt("Option"))).
		Op("*").Add(fk.q("Client")).Block(
		jen.Return(jen.Qual(fakegwPath, "Client").Call(jen.Id("s").Dot("Fake"), fk.q("NewClient"), jen.Id("opts").Op("..."))))
	return f
}

// emitConstructors writes New, Start and serve.
func (fk *fake) emitConstructors(f *jen.File) {
	opts := jen.Op("...").Qual(fakegwPath, "Option")
	f.Add(docComment("New starts a fake gateway for a test or benchmark; it is closed at tb's cleanup. " +
		"opts are fakegw options (credentials, clock, skew window, ...)."))
	f.Func().Id("New").Params(jen.Id("tb").Qual(fakegwPath, "TB"), jen.Id("opts").Add(opts.Clone())).Op("*").Id("Server").Block(
		jen.If(jen.Id("tb").Op("!=").Nil()).Block(jen.Id("tb").Dot("Helper").Call()),
		jen.Return(jen.Id("serve").Call(jen.Qual(fakegwPath, "NewFake").Call(jen.Id("tb"), jen.Id("opts").Op("...")))),
	)
	f.Line()
	f.Add(docComment("Start starts a fake gateway outside tests (a demo, a command); the caller must Close it."))
	f.Func().Id("Start").Params(jen.Id("opts").Add(opts)).Params(jen.Op("*").Id("Server"), jen.Error()).Block(
		jen.Return(jen.Qual(fakegwPath, "StartFake").Call(jen.Id("serve"), jen.Id("opts").Op("..."))),
	)
	f.Line()
	f.Comment("serve makes the task store of each poll API and the item store of each list API fed by creates, then registers every default.")
	f.Func().Id("serve").Params(jen.Id("f").Op("*").Qual(fakegwPath, "Fake")).Op("*").Id("Server").BlockFunc(func(g *jen.Group) {
		g.Id("s").Op(":=").Op("&").Id("Server").Values(jen.Id("f"))
		for _, s := range fk.pkg.Services {
			for _, a := range s.APIs {
				if w := fk.flows[a]; w != nil {
					g.Id("s").Dot("AddTasks").Custom(multilineArgs, append([]jen.Code{jen.Lit(a.Name), jen.Lit(storePrefix(w))}, fk.steps(w, nil)...)...)
				}
			}
		}
		for _, s := range fk.pkg.Services {
			for _, a := range s.APIs {
				if a.Paging != nil && len(a.Paging.CreatedBy) > 0 {
					g.Id("s").Dot("AddItems").Call(jen.Lit(a.Name))
				}
			}
		}
		for _, s := range fk.pkg.Services {
			g.Id("s").Dot(s.FakeServe).Call()
		}
		g.Return(jen.Id("s"))
	})
	f.Line()
}

// serviceFile is <base>_fake.go: the setters of the file's APIs and, in
// the service's home file, the defaults of the whole service.
func (fk *fake) serviceFile(mf *model.File) *jen.File {
	f := fk.newFile(mf.Source)
	s := mf.Service
	if s.File == mf {
		f.Add(docComment(fmt.Sprintf("%s registers the defaults of the %s APIs.", s.FakeServe, s.Name)))
		f.Func().Params(jen.Id("s").Op("*").Id("Server")).Id(s.FakeServe).Params().BlockFunc(func(g *jen.Group) {
			for _, a := range s.APIs {
				g.Id("s").Dot(a.Handle).Call(fk.defaultHandler(a))
			}
		})
		f.Line()
	}
	for _, a := range mf.APIs {
		fk.emitSetter(f, a)
		if a.FailNext != "" {
			fk.emitFailNext(f, a)
		}
	}
	return f
}

// storePrefix makes task ids that parse as numbers when the id field is one.
func storePrefix(w *model.Async) string {
	if w.ID.Type.Kind == model.String {
		return ""
	}
	return "1"
}

// emitSetter writes Handle<API>.
//
//	func (s *Server) HandleVideoMake(f func(context.Context, *ivh.VideoMakeRequest) (*ivh.VideoMakeResponse, error)) {
//		fakegw.HandleFunc(s.Server, "/v2/.../videomake", f)
//	}
func (fk *fake) emitSetter(f *jen.File, a *model.API) {
	doc := fmt.Sprintf("%s answers %s (%s %s) with f instead of the default. The payload is decoded "+
		"strictly into the request and validated before f runs; an *fakegw.ErrorReply error becomes an error envelope.",
		a.Handle, a.Name, a.Method, a.Path)
	handler := jen.Id("f")
	if len(a.Feeds) > 0 {
		doc += fmt.Sprintf(" Each call f answers without error is kept for the default of %s, which pages over it.", apiNames(a.Feeds))
		stores := []jen.Code{jen.Id("f")}
		for _, l := range a.Feeds {
			stores = append(stores, jen.Id("s").Dot("Items").Call(jen.Lit(l.Name)))
		}
		handler = jen.Qual(fakegwPath, "Recorder").Call(stores...)
	}
	f.Add(docComment(doc))
	f.Func().Params(jen.Id("s").Op("*").Id("Server")).Id(a.Handle).Params(jen.Id("f").Add(fk.handlerType(a))).Block(
		jen.Qual(fakegwPath, "HandleFunc").Call(jen.Id("s").Dot("Server"), jen.Lit(a.Path), handler),
	)
	f.Line()
}

// apiNames joins the names of apis with "and".
func apiNames(apis []*model.API) string {
	names := make([]string, len(apis))
	for i, a := range apis {
		names[i] = a.Name
	}
	return strings.Join(names, " and ")
}

func (fk *fake) handlerType(a *model.API) *jen.Statement {
	return jen.Func().Params(ctxType(), jen.Op("*").Add(ident(a.Request.GoIdent))).
		Params(jen.Op("*").Add(ident(a.Response.GoIdent)), jen.Error())
}

// defaultHandler is the default of a: an echo, a task start or a poll.
//
//	fakegw.EchoHandler
//	fakegw.CreateHandler[ivh.TTSRequest](s.Tasks("GetProgress"), func(r *ivh.TTSResponse, id string) { r.TaskID = id })
//	fakegw.PollHandler(s.Tasks("GetProgress"), func(r *ivh.GetProgressRequest) string { return r.TaskID }, func(r *ivh.GetProgressResponse, t fakegw.Task) { ... })
func (fk *fake) defaultHandler(a *model.API) jen.Code {
	resp := jen.Op("*").Add(ident(a.Response.GoIdent))
	if w, isPoll := fk.flows[a]; isPoll {
		id := jen.Func().Params(jen.Id("r").Op("*").Add(ident(a.Request.GoIdent))).String().Block(jen.Return(idText(w.PollID)))
		set := jen.Func().Params(jen.Id("r").Add(resp), jen.Id("t").Qual(fakegwPath, "Task")).BlockFunc(func(g *jen.Group) { fk.pollFields(g, w) })
		return jen.Qual(fakegwPath, "PollHandler").Call(fk.tasks(a), id, set)
	}
	if p := a.Paging; p != nil && len(p.CreatedBy) > 0 {
		return fk.pageHandler(a)
	}
	if w := a.Async; w != nil {
		set := jen.Func().Params(jen.Id("r").Add(resp), jen.Id("id").String()).Block(assign("r", w.ID, fromText(w.ID.Type, jen.Id("id"))))
		return jen.Qual(fakegwPath, "CreateHandler").Types(ident(a.Request.GoIdent)).Call(fk.tasks(w.Poll), set)
	}
	return jen.Qual(fakegwPath, "EchoHandler")
}

// pageHandler is the default of a list API fed by creates: it pages over
// what they made.
//
//	fakegw.PageHandler(s.Items("ListVoices"),
//		func(r *ivh.ListVoicesRequest) (int, int) { return int(r.PageIndex), int(r.PageSize) },
//		func(r *ivh.ListVoicesResponse, items []ivh.Voice, total int) { r.Voices = items; r.Total = total })
func (fk *fake) pageHandler(a *model.API) jen.Code {
	p := a.Paging
	page := jen.Func().Params(jen.Id("r").Op("*").Add(ident(a.Request.GoIdent))).Params(jen.Int(), jen.Int()).Block(
		jen.Return(jen.Int().Call(valueOf("r", p.Index)), jen.Int().Call(valueOf("r", p.Size))))
	set := jen.Func().Params(jen.Id("r").Op("*").Add(ident(a.Response.GoIdent)), jen.Id("items").Index().Add(goType(p.Items.Type.Elem)),
		jen.Id("total").Int()).Block(
		assign("r", p.Items, jen.Id("items")),
		assign("r", p.Total, goType(p.Total.Type).Call(jen.Id("total"))),
	)
	return jen.Qual(fakegwPath, "PageHandler").Call(jen.Id("s").Dot("Items").Call(jen.Lit(a.Name)), page, set)
}

// tasks is the task store of poll API a.
func (fk *fake) tasks(a *model.API) *jen.Statement {
	return jen.Id("s").Dot("Tasks").Call(jen.Lit(a.Name))
}

// pollFields sets the status and failure fields of a poll response r from
// task t.
func (fk *fake) pollFields(g *jen.Group, w *model.Async) {
	task := func(name string) *jen.Statement { return jen.Id("t").Dot(name) }
	g.Add(assign("r", w.Status, fromText(w.Status.Type, task("Status"))))
	if w.FailCode != nil {
		g.Add(assign("r", w.FailCode, fromInt(w.FailCode.Type, task("FailCode"))))
	}
	if w.FailMessage != nil {
		g.Add(assign("r", w.FailMessage, fromText(w.FailMessage.Type, task("FailMessage"))))
	}
}

// idText is the poll request's id as TaskStore text.
func idText(f *model.Field) jen.Code {
	v := valueOf("r", f)
	if f.Type.Base() == model.String {
		if f.Type.Kind == model.EnumKind {
			return jen.String().Call(v)
		}
		return v
	}
	return jen.Qual(strconvPath, "FormatInt").Call(jen.Int64().Call(v), jen.Lit(10))
}

// fromText converts TaskStore text to a value of type t, a string, an
// integer or an enum of either.
func fromText(t *model.Type, text *jen.Statement) jen.Code {
	switch {
	case t.Kind == model.EnumKind && !t.Enum.IsInt:
		return ident(t.Enum.GoIdent).Call(text)
	case t.Kind == model.EnumKind:
		return jen.Qual(fakegwPath, "Number").Types(ident(t.Enum.GoIdent)).Call(text)
	case t.Kind == model.String:
		return text
	}
	return jen.Qual(fakegwPath, "Number").Types(goType(t)).Call(text)
}

// fromInt converts an int (a fail code) to a value of type t: an integer,
// an int enum or a string.
func fromInt(t *model.Type, v *jen.Statement) jen.Code {
	switch t.Kind {
	case model.Int, model.Int64, model.Float:
		return goType(t).Call(v)
	case model.String:
		return jen.Qual(strconvPath, "Itoa").Call(jen.Int().Call(v))
	case model.EnumKind:
		if !t.Enum.IsInt {
			return ident(t.Enum.GoIdent).Call(jen.Qual(strconvPath, "Itoa").Call(v))
		}
		return ident(t.Enum.GoIdent).Call(v)
	}
	return goType(t).Call(v)
}

// emitFailNext writes FailNext<API>. It takes a code and a message only
// when the flow declares the fields that report them, so no argument is
// silently dropped.
func (fk *fake) emitFailNext(f *jen.File, a *model.API) {
	w := a.Async
	fields := []jen.Code{kv("Status", jen.Lit(statusText(w.Failure[0])))}
	var params []jen.Code
	with := ""
	if w.FailCode != nil {
		params = append(params, jen.Id("failCode").Add(rt("FailCode")))
		fields = append(fields, kv("FailCode", jen.Id("failCode")))
		with = " with failCode"
	}
	if w.FailMessage != nil {
		params = append(params, jen.Id("message").String())
		fields = append(fields, kv("FailMessage", jen.Id("message")))
		with += map[bool]string{true: " and message", false: " with message"}[with != ""]
	}
	f.Add(docComment(fmt.Sprintf("%s makes the next task polled by %s (started by %s or any API "+
		"sharing its poll) end in status %s%s, after its pending polls.",
		a.FailNext, w.Poll.Name, a.Name, statusText(w.Failure[0]), with)))
	f.Func().Params(jen.Id("s").Op("*").Id("Server")).Id(a.FailNext).Params(params...).Block(
		fk.tasks(w.Poll).Dot("FailNext").Call(jen.Qual(fakegwPath, "TaskStep").Values(fields...)),
	)
	f.Line()
}

// steps lists the pending steps of a flow, then last (or the final value
// of the path when last is nil).
func (fk *fake) steps(w *model.Async, last jen.Code) []jen.Code {
	pend, final := fk.path(w)
	step := func(i int, status string) jen.Code {
		fields := []jen.Code{jen.Id("Status").Op(":").Lit(status)}
		switch {
		case i == len(pend): // the final step, also when nothing is pending
			fields = append(fields, jen.Id("Progress").Op(":").Lit(100))
		case i > 0:
			fields = append(fields, jen.Id("Progress").Op(":").Lit(i*100/len(pend)))
		}
		return jen.Qual(fakegwPath, "TaskStep").Values(fields...)
	}
	var out []jen.Code
	for i, p := range pend {
		out = append(out, step(i, p))
	}
	if last == nil {
		last = step(len(pend), final)
	}
	return append(out, last)
}

// path is the status path of the flow's simulated tasks: the poll's
// declared fakePath, or the pending values, then the first success value.
func (fk *fake) path(w *model.Async) (pending []string, final string) {
	if p := w.Poll.FakePath; p != nil {
		for _, l := range p[:len(p)-1] {
			pending = append(pending, statusText(l))
		}
		return pending, statusText(p[len(p)-1])
	}
	return fk.pending(w), statusText(w.Success[0])
}

// statusText is a status literal as TaskStore text: the value itself, with
// integers in decimal.
func statusText(l model.Literal) string { return l.Value.Text() }

// pending lists the status values a simulated task reports before it ends:
// the enum values no flow on the enum ends on, in declaration order, or one
// made-up value when the status is no enum.
func (fk *fake) pending(w *model.Async) []string {
	final := map[string]bool{}
	for _, l := range append(append([]model.Literal(nil), w.Success...), w.Failure...) {
		final[statusText(l)] = true
	}
	t := w.Status.Type
	if t.Kind == model.EnumKind {
		var out []string
		for _, v := range t.Enum.Values {
			text := v.Value.Text()
			if !fk.final[t.Enum][text] {
				out = append(out, text)
			}
		}
		return out
	}
	if t.Kind == model.String {
		v := "PENDING"
		for final[v] {
			v += "_"
		}
		return []string{v}
	}
	n := 0
	for final[strconv.Itoa(n)] {
		n++
	}
	return []string{strconv.Itoa(n)}
}

// packageDoc writes one paragraph as the package comment, a // line at a
// time (jennifer would make a multi-line comment a block comment).
func packageDoc(f *jen.File, text string) {
	for _, line := range wrap(sanitize(text), wrapWidth) {
		f.PackageComment(line)
	}
}
