package emit

import (
	"fmt"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// FakePackage is the name of the fake gateway package generated next to
// package pkg, and the directory it is written to: "ivh" gives "ivhtest".
func FakePackage(pkg string) string { return pkg + "test" }

// fake renders the fake gateway package of one client package.
type fake struct {
	pkg    *model.Package
	client string // import path of the client package
	name   string // the fake package's name
	flows  map[*model.API]*model.Async
	final  map[*model.Enum]map[string]bool // status values some flow ends on
	number bool                            // some flow converts ids or statuses from text
}

// RenderFake renders package <pkg>test, the typed fake gateway of pkg,
// which imports the client from clientPath. Output names are relative to
// the client's directory: "ivhtest/server.go".
func RenderFake(pkg *model.Package, clientPath string) ([]Output, error) {
	fk := newFake(pkg, clientPath)
	jobs := []job{
		{"server.go", fk.serverFile},
		{"operations.go", fk.operationsFile},
	}
	for _, f := range pkg.Files {
		if f.Service != nil {
			jobs = append(jobs, job{f.Base + "_fake.go", func() *jen.File { return fk.serviceFile(f) }})
		}
		if f.Service != nil && hasSessionChannel(f) {
			jobs = append(jobs, job{f.Base + "_channel_fake.go", func() *jen.File { return fk.channelFile(f) }})
		}
	}
	return renderAll(jobs, fk.name+"/")
}

// newFake indexes the flows: each poll API takes the first flow that polls it.
func newFake(pkg *model.Package, clientPath string) *fake {
	fk := &fake{pkg: pkg, client: clientPath, name: FakePackage(pkg.Name), flows: map[*model.API]*model.Async{},
		final: map[*model.Enum]map[string]bool{}}
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
			if a.Async.ID.Type.Kind != model.String || a.Async.Status.Type.Base() != model.String {
				fk.number = true
			}
		}
	}
	return fk
}

// q returns a name of the client package.
func (fk *fake) q(name string) *jen.Statement { return jen.Qual(fk.client, name) }

func (fk *fake) newFile(source string) *jen.File {
	f := jen.NewFile(fk.name)
	f.HeaderComment(Header(source))
	f.ImportNames(importNames)
	f.ImportName(fk.client, fk.pkg.Name)
	return f
}

// serveFunc is the method that registers a service's defaults.
func serveFunc(s *model.Service) string { return "serve" + s.Name }

// serverFile is server.go: the package doc, Server, New, Start, Client and
// Tasks.
func (fk *fake) serverFile() *jen.File {
	f := fk.newFile(sources(fk.pkg))
	packageDoc(f, fmt.Sprintf("Package %s is a fake aPaaS gateway for testing code that uses package %s, "+
		"with no credentials and no network. It wraps *fakegw.Server (package %s), which checks signatures, "+
		"timestamps and envelopes like the real gateway, records every request and injects scripted faults; "+
		"this package adds one typed handler setter per API (Handle<API>) and a default for every API: "+
		"responses echo the request fields they share, and each create-then-poll flow is simulated, its poll "+
		"walking the status values the descriptors leave pending, then the first success value. "+
		"FailNext<API> scripts a failure instead. Operations lists every API for tools that call them by name.",
		fk.name, fk.pkg.Name, fakegwPath))
	f.Add(docComment("Server is a fake gateway serving every API with a default handler. The embedded " +
		"*fakegw.Server gives its URL, credentials, recorded requests (Requests) and fault injection (Inject)."))
	f.Type().Id("Server").Struct(
		jen.Op("*").Qual(fakegwPath, "Server"),
		jen.Id("tb").Qual(fakegwPath, "TB"),
		jen.Id("tasks").Map(jen.String()).Op("*").Qual(fakegwPath, "TaskStore"),
	)
	f.Line()
	fk.emitConstructors(f)
	fk.emitClient(f)
	f.Add(docComment("Tasks returns the simulated tasks polled by the API named poll (its Go method name), " +
		"or nil when no flow polls it."))
	f.Func().Params(jen.Id("s").Op("*").Id("Server")).Id("Tasks").Params(jen.Id("poll").String()).
		Op("*").Qual(fakegwPath, "TaskStore").Block(jen.Return(jen.Id("s").Dot("tasks").Index(jen.Id("poll"))))
	f.Line()
	if fk.number {
		f.Comment("number reads a numeric id or status kept as text in a fakegw.TaskStore.")
		f.Func().Id("number").Params(jen.Id("text").String()).Int64().Block(
			jen.List(jen.Id("n"), jen.Id("_")).Op(":=").Qual(strconvPath, "ParseInt").Call(jen.Id("text"), jen.Lit(0), jen.Lit(64)),
			jen.Return(jen.Id("n")),
		)
	}
	return f
}

// emitConstructors writes New, Start and serve.
func (fk *fake) emitConstructors(f *jen.File) {
	tb, opts := jen.Qual(fakegwPath, "TB"), jen.Op("...").Qual(fakegwPath, "Option")
	f.Add(docComment("New starts a fake gateway for a test or benchmark; it is closed at tb's cleanup. " +
		"opts are fakegw options (credentials, clock, skew window, ...)."))
	f.Func().Id("New").Params(jen.Id("tb").Add(tb.Clone()), jen.Id("opts").Add(opts.Clone())).Op("*").Id("Server").Block(
		jen.If(jen.Id("tb").Op("!=").Nil()).Block(jen.Id("tb").Dot("Helper").Call()),
		jen.Return(jen.Id("serve").Call(jen.Id("tb"), jen.Qual(fakegwPath, "New").Call(jen.Id("tb"), jen.Id("opts").Op("...")))),
	)
	f.Line()
	f.Add(docComment("Start starts a fake gateway outside tests (a demo, a command); the caller must Close it."))
	f.Func().Id("Start").Params(jen.Id("opts").Add(opts.Clone())).Params(jen.Op("*").Id("Server"), jen.Error()).Block(
		jen.List(jen.Id("gw"), jen.Err()).Op(":=").Qual(fakegwPath, "Start").Call(jen.Id("opts").Op("...")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("serve").Call(jen.Nil(), jen.Id("gw")), jen.Nil()),
	)
	f.Line()
	f.Func().Id("serve").Params(jen.Id("tb").Add(tb), jen.Id("gw").Op("*").Qual(fakegwPath, "Server")).Op("*").Id("Server").BlockFunc(func(g *jen.Group) {
		g.Id("s").Op(":=").Op("&").Id("Server").Custom(multiline,
			kv("Server", jen.Id("gw")), kv("tb", jen.Id("tb")),
			kv("tasks", jen.Map(jen.String()).Op("*").Qual(fakegwPath, "TaskStore").Values()),
		)
		for _, s := range fk.pkg.Services {
			g.Id("s").Dot(serveFunc(s)).Call()
		}
		g.Return(jen.Id("s"))
	})
	f.Line()
}

// emitClient writes Client.
func (fk *fake) emitClient(f *jen.File) {
	f.Add(docComment(fmt.Sprintf("Client returns a *%s.Client wired to the server: its URL, HTTP client and "+
		"credentials, then opts. An invalid option fails the test (or panics under Start).", fk.pkg.Name)))
	f.Func().Params(jen.Id("s").Op("*").Id("Server")).Id("Client").Params(jen.Id("opts").Op("...").Add(rt("Option"))).
		Op("*").Add(fk.q("Client")).Block(
		jen.Id("base").Op(":=").Index().Add(rt("Option")).Values(
			rt("WithBaseURL").Call(jen.Id("s").Dot("URL").Call()), rt("WithHTTPClient").Call(jen.Id("s").Dot("HTTPClient").Call())),
		jen.List(jen.Id("c"), jen.Err()).Op(":=").Add(fk.q("NewClient")).Call(
			jen.Id("s").Dot("AppKey").Call(), jen.Id("s").Dot("AccessToken").Call(), jen.Append(jen.Id("base"), jen.Id("opts").Op("...")).Op("...")),
		jen.If(jen.Err().Op("!=").Nil().Op("&&").Id("s").Dot("tb").Op("!=").Nil()).Block(
			jen.Id("s").Dot("tb").Dot("Helper").Call(),
			jen.Id("s").Dot("tb").Dot("Fatalf").Call(jen.Lit(fk.name+": %v"), jen.Err()),
			jen.Return(jen.Nil()),
		),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Panic(jen.Lit(fk.name+": ").Op("+").Err().Dot("Error").Call())),
		jen.Return(jen.Id("c")),
	)
	f.Line()
}

// serviceFile is <base>_fake.go: the setters and defaults of one service.
func (fk *fake) serviceFile(mf *model.File) *jen.File {
	f := fk.newFile(mf.Source)
	s := mf.Service
	f.Add(docComment(fmt.Sprintf("%s registers the defaults of the %s APIs and the task stores of the flows they poll.", serveFunc(s), s.Name)))
	f.Func().Params(jen.Id("s").Op("*").Id("Server")).Id(serveFunc(s)).Params().BlockFunc(func(g *jen.Group) {
		for _, a := range s.APIs {
			if w := fk.flows[a]; w != nil {
				g.Id("s").Dot("tasks").Index(jen.Lit(a.Name)).Op("=").Qual(fakegwPath, "NewTaskStore").
					Custom(multilineArgs, append([]jen.Code{jen.Lit(storePrefix(w))}, fk.steps(w, nil)...)...)
			}
		}
		for _, a := range s.APIs {
			g.Id("s").Dot("Handle" + a.Name).Call(jen.Id("s").Dot(defaultName(a)))
		}
	})
	f.Line()
	for _, a := range s.APIs {
		fk.emitSetter(f, a)
		fk.emitDefault(f, a)
		if a.Async != nil && len(a.Async.Failure) > 0 {
			fk.emitFailNext(f, a)
		}
	}
	return f
}

func defaultName(a *model.API) string { return "default" + a.Name }

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
	f.Add(docComment(fmt.Sprintf("Handle%s answers %s (%s %s) with f instead of the default. The payload is decoded "+
		"strictly into the request and validated before f runs; an *fakegw.ErrorReply error becomes an error envelope.",
		a.Name, a.Name, a.Method, a.Path)))
	f.Func().Params(jen.Id("s").Op("*").Id("Server")).Id("Handle" + a.Name).Params(jen.Id("f").Add(fk.handlerType(a))).Block(
		jen.Qual(fakegwPath, "HandleFunc").Call(jen.Id("s").Dot("Server"), jen.Lit(a.Path), jen.Id("f")),
	)
	f.Line()
}

func (fk *fake) handlerType(a *model.API) *jen.Statement {
	return jen.Func().Params(ctxType(), jen.Op("*").Add(ident(a.Request.GoIdent))).
		Params(jen.Op("*").Add(ident(a.Response.GoIdent)), jen.Error())
}

// emitDefault writes the default handler: an echo, plus the flow's part.
func (fk *fake) emitDefault(f *jen.File, a *model.API) {
	w, isPoll := fk.flows[a]
	what := "echoes the request fields the response shares"
	switch {
	case isPoll:
		what = "advances the task named in the request by one step and reports its status"
	case a.Async != nil:
		what = fmt.Sprintf("starts a task that %s reports, and echoes the request fields the response shares", a.Async.Poll.Name)
	}
	f.Add(docComment(fmt.Sprintf("%s is the default %s: it %s.", defaultName(a), a.Name, what)))
	f.Func().Params(jen.Id("s").Op("*").Id("Server")).Id(defaultName(a)).
		Params(jen.Id("_").Add(ctxType()), jen.Id("req").Op("*").Add(ident(a.Request.GoIdent))).
		Params(jen.Op("*").Add(ident(a.Response.GoIdent)), jen.Error()).BlockFunc(func(g *jen.Group) {
		if isPoll {
			g.List(jen.Id("task"), jen.Err()).Op(":=").Id("s").Dot("tasks").Index(jen.Lit(a.Name)).Dot("Poll").Call(idText(w.PollID))
			g.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err()))
		}
		if !isPoll && a.Async != nil {
			// Start refuses a submission over a simulated quota.
			g.List(jen.Id("task"), jen.Err()).Op(":=").Id("s").Dot("tasks").Index(jen.Lit(a.Async.Poll.Name)).Dot("Start").Call(jen.Id("req"))
			g.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err()))
		}
		g.Id("resp").Op(":=").Op("&").Add(ident(a.Response.GoIdent)).Values()
		g.Qual(fakegwPath, "Echo").Call(jen.Id("req"), jen.Id("resp"))
		switch {
		case isPoll:
			fk.pollFields(g, w)
		case a.Async != nil:
			g.Add(assign("resp", a.Async.ID, fromText(a.Async.ID.Type, fk, jen.Id("task").Dot("ID"))))
		}
		g.Return(jen.Id("resp"), jen.Nil())
	})
	f.Line()
}

// pollFields sets the status and failure fields of a poll response.
func (fk *fake) pollFields(g *jen.Group, w *model.Async) {
	task := func(name string) *jen.Statement { return jen.Id("task").Dot(name) }
	g.Comment("A Progress field of the response gets the step's percentage.")
	g.Qual(fakegwPath, "Echo").Call(jen.Op("&").Id("task").Dot("TaskStep"), jen.Id("resp"))
	g.Add(assign("resp", w.Status, fromText(w.Status.Type, fk, task("Status"))))
	if w.FailCode != nil {
		if v := fromInt(w.FailCode.Type, fk, task("FailCode")); v != nil {
			g.Add(assign("resp", w.FailCode, v))
		}
	}
	if w.FailMessage != nil && w.FailMessage.Type.Kind == model.String {
		g.Add(assign("resp", w.FailMessage, task("FailMessage")))
	}
}

// idText is the poll request's id as TaskStore text.
func idText(f *model.Field) jen.Code {
	v := valueOf("req", f)
	if f.Type.Base() == model.String {
		if f.Type.Kind == model.EnumKind {
			return jen.String().Call(v)
		}
		return v
	}
	return jen.Qual(strconvPath, "FormatInt").Call(jen.Int64().Call(v), jen.Lit(10))
}

// fromText converts TaskStore text to a value of type t.
func fromText(t *model.Type, fk *fake, text *jen.Statement) jen.Code {
	switch {
	case t.Kind == model.EnumKind:
		if t.Enum.IsInt {
			return ident(t.Enum.GoIdent).Call(jen.Id("number").Call(text))
		}
		return ident(t.Enum.GoIdent).Call(text)
	case t.Kind == model.String:
		return text
	case t.Kind == model.Int64:
		return jen.Id("number").Call(text)
	}
	return goType(t).Call(jen.Id("number").Call(text))
}

// fromInt converts a TaskStep's int fail code to a value of type t, or
// returns nil when the field cannot hold one.
func fromInt(t *model.Type, fk *fake, v *jen.Statement) jen.Code {
	switch t.Kind {
	case model.Int, model.Int64, model.Float:
		return goType(t).Call(v)
	case model.String:
		return jen.Qual(strconvPath, "Itoa").Call(jen.Int().Call(v))
	case model.EnumKind:
		if t.Enum.IsInt {
			return ident(t.Enum.GoIdent).Call(v)
		}
	}
	return nil
}

// emitFailNext writes FailNext<API>.
func (fk *fake) emitFailNext(f *jen.File, a *model.API) {
	w := a.Async
	fail := jen.Qual(fakegwPath, "TaskStep").Values(jen.Id("Status").Op(":").Lit(statusText(w.Failure[0])),
		jen.Id("FailCode").Op(":").Id("failCode"), jen.Id("FailMessage").Op(":").Id("message"))
	f.Add(docComment(fmt.Sprintf("FailNext%s makes the next task polled by %s (started by %s or any API "+
		"sharing its poll) end in status %s with failCode and message, after its pending polls.",
		a.Name, w.Poll.Name, a.Name, statusText(w.Failure[0]))))
	f.Func().Params(jen.Id("s").Op("*").Id("Server")).Id("FailNext"+a.Name).
		Params(jen.Id("failCode").Add(rt("FailCode")), jen.Id("message").String()).Block(
		jen.Id("s").Dot("tasks").Index(jen.Lit(w.Poll.Name)).Dot("ScriptNext").Custom(multilineArgs, fk.steps(w, fail)...),
	)
	f.Line()
}

// steps lists the pending steps of a flow, then last (or the first success
// value when last is nil).
func (fk *fake) steps(w *model.Async, last jen.Code) []jen.Code {
	pend := fk.pending(w)
	step := func(i int, status string) jen.Code {
		fields := []jen.Code{jen.Id("Status").Op(":").Lit(status)}
		if i > 0 {
			fields = append(fields, jen.Id("Progress").Op(":").Lit(i*100/len(pend)))
		}
		return jen.Qual(fakegwPath, "TaskStep").Values(fields...)
	}
	var out []jen.Code
	for i, p := range pend {
		out = append(out, step(i, p))
	}
	if last == nil {
		last = step(len(pend), statusText(w.Success[0]))
	}
	return append(out, last)
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
