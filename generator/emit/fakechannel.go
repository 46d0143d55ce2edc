package emit

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// channelFile is <base>_channel_fake.go of the fake package: a Serve<channel>
// method per channel with a session flow or flat frames.
func (fk *fake) channelFile(mf *model.File) *jen.File {
	f := fk.newFile(mf.Source)
	for _, c := range mf.Channels {
		switch {
		case c.Session != nil:
			fk.emitServeChannel(f, c)
		case c.Flat && len(c.Commands) == 1:
			emitServeFlat(f, c)
		}
	}
	return f
}

// emitServeFlat writes the fake of a flat channel: a Serve method that
// mounts a fakegw.FlatChannel typed by the channel's frame.
//
//	func (s *Server) ServeDriverEngine(opts ...channeltest.Option) *fakegw.FlatChannel[ivh.DriveFrame] {
//		return fakegw.ServeFlat[ivh.DriveFrame](s.Server, "/v2/ws/...", opts...)
//	}
func emitServeFlat(f *jen.File, c *model.Channel) {
	frame := ident(c.Commands[0].Data.GoIdent)
	f.Add(docComment(fmt.Sprintf("%s serves the fake %s at %s. The result checks each handshake's signature, "+
		"records every flat frame with its connection's signed query (Upstream), decodes them into %s values "+
		"(Frames), pushes frames (Push, PushRaw; the connection's requestid, if signed, names it) and drops connections "+
		"(Drop). It answers nothing unless opts give channeltest.WithResponder.",
		c.Serve, c.Name, c.Path, c.Commands[0].Data.GoIdent.GoName)))
	f.Func().Params(jen.Id("s").Op("*").Id("Server")).Id(c.Serve).Params(
		jen.Id("opts").Op("...").Qual(channeltestPath, "Option"),
	).Op("*").Qual(fakegwPath, "FlatChannel").Types(frame).Block(
		jen.Return(jen.Qual(fakegwPath, "ServeFlat").Types(frame).Call(jen.Id("s").Dot("Server"), jen.Lit(c.Path), jen.Id("opts").Op("..."))),
	)
	f.Line()
}

// emitServeChannel writes the method that simulates a channel's sessions.
// The generator fills the fields the descriptor names (session id, status,
// fail code and message); fakegw.SessionHandler does the rest.
//
//	func (s *Server) ServeCommandChannel(store *fakegw.SessionStore, opts ...channeltest.Option) *fakegw.Channel {
//		s.HandleCreateSession(fakegw.SessionHandler(func(r *ivh.CreateSessionRequest) (fakegw.Session, error) {
//			return store.Create(r), nil
//		}, func(r *ivh.CreateSessionResponse, sess fakegw.Session) { r.SessionID = sess.ID; ... }))
//		s.HandleStatSession(fakegw.SessionHandler(func(r *ivh.StatSessionRequest) (fakegw.Session, error) {
//			return store.Stat(r.SessionID)
//		}, func(r *ivh.StatSessionResponse, sess fakegw.Session) { r.SessionStatus = ivh.SessionStatus(sess.Status); ... }))
//		... // start and close like stat, without fill
//		return s.Server.ServeChannel("/v2/ws/...", store, opts...)
//	}
func (fk *fake) emitServeChannel(f *jen.File, c *model.Channel) {
	s := c.Session
	var names []string
	for _, r := range s.Runs {
		names = append(names, r.Create.Name)
	}
	names = append(names, s.Stat.Name, s.Start.Name, s.Close.Name)
	f.Add(docComment(fmt.Sprintf("%s serves %s at %s for the sessions of store, and answers %s from store "+
		"instead of their defaults: sessions prepare for the store's polls, become ready, start and close as the "+
		"gateway's do, and the channel admits only started, open ones. opts tune the channel (see package "+
		"channeltest); Push, Drop and Upstream on the result script and inspect it.",
		c.Serve, c.Name, c.Path, strings.Join(names, ", "))))
	f.Func().Params(jen.Id("s").Op("*").Id("Server")).Id(c.Serve).Params(
		jen.Id("store").Op("*").Qual(fakegwPath, "SessionStore"), jen.Id("opts").Op("...").Qual(channeltestPath, "Option"),
	).Op("*").Qual(fakegwPath, "Channel").BlockFunc(func(g *jen.Group) {
		flow := s.Runs[0].Create.Async
		for _, r := range s.Runs {
			fill := []jen.Code{assign("r", r.ID, jen.Id("sess").Dot("ID"))}
			if r.Status != nil {
				fill = append(fill, sessionField(r.Status, "Status"))
			}
			g.Add(fk.sessionHandler(r.Create, jen.List(jen.Id("store").Dot("Create").Call(jen.Id("r")), jen.Nil()), fill))
		}
		g.Add(fk.sessionHandler(s.Stat, jen.Id("store").Dot("Stat").Call(valueOf("r", s.StatID)), statFill(flow)))
		g.Add(fk.sessionHandler(s.Start, jen.Id("store").Dot("Start").Call(valueOf("r", s.StartID)), nil))
		g.Add(fk.sessionHandler(s.Close, jen.Id("store").Dot("Close").Call(valueOf("r", s.CloseID)), nil))
		g.Return(jen.Id("s").Dot("Server").Dot("ServeChannel").Call(jen.Lit(c.Path), jen.Id("store"), jen.Id("opts").Op("...")))
	})
	f.Line()
}

// statFill sets the stat response's status and failure fields.
func statFill(w *model.Async) []jen.Code {
	out := []jen.Code{sessionField(w.Status, "Status")}
	if w.FailCode != nil {
		out = append(out, sessionField(w.FailCode, "ErrorCode"))
	}
	if w.FailMessage != nil {
		out = append(out, assign("r", w.FailMessage, fromText(w.FailMessage.Type, jen.Id("sess").Dot("ErrorMessage"))))
	}
	return out
}

// sessionField sets field f of r from the int field name of sess.
func sessionField(f *model.Field, name string) jen.Code {
	return assign("r", f, fromInt(f.Type, jen.Id("sess").Dot(name)))
}

// sessionHandler registers a fakegw.SessionHandler for a: step runs the
// store operation on request r; fill (nil for none) sets response fields.
func (fk *fake) sessionHandler(a *model.API, step jen.Code, fill []jen.Code) jen.Code {
	req, resp := jen.Op("*").Add(ident(a.Request.GoIdent)), jen.Op("*").Add(ident(a.Response.GoIdent))
	stepFn := jen.Func().Params(jen.Id("r").Add(req)).Params(jen.Qual(fakegwPath, "Session"), jen.Error()).Block(jen.Return(step))
	fillFn := jen.Nil()
	if fill != nil {
		fillFn = jen.Func().Params(jen.Id("r").Add(resp), jen.Id("sess").Qual(fakegwPath, "Session")).Block(fill...)
	}
	return jen.Id("s").Dot(a.Handle).Call(jen.Qual(fakegwPath, "SessionHandler").
		Types(ident(a.Request.GoIdent), ident(a.Response.GoIdent)).Call(stepFn, fillFn))
}

// hasFakeChannel reports whether mf declares a channel the fake serves: one
// with a session flow or flat frames.
func hasFakeChannel(mf *model.File) bool {
	for _, c := range mf.Channels {
		if c.Session != nil || c.Flat {
			return true
		}
	}
	return false
}
