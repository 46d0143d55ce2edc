package emit

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// channelFile is <base>_channel_fake.go of the fake package: a Serve<channel>
// method per channel with a session flow.
func (fk *fake) channelFile(mf *model.File) *jen.File {
	f := fk.newFile(mf.Source)
	for _, c := range mf.Channels {
		if c.Session != nil {
			fk.emitServeChannel(f, c)
		}
	}
	return f
}

// emitServeChannel writes the method that simulates a channel's sessions.
//
//	func (s *Server) ServeCommandChannel(store *fakegw.SessionStore, opts ...channeltest.Option) *fakegw.Channel {
//		s.HandleCreateSession(func(_ context.Context, req *ivh.CreateSessionRequest) (*ivh.CreateSessionResponse, error) {
//			resp := &ivh.CreateSessionResponse{}
//			fakegw.Echo(req, resp)
//			return resp, fakegw.FillSession(resp, store.Create(req), nil)
//		})
//		s.HandleStatSession(func(_ context.Context, req *ivh.StatSessionRequest) (*ivh.StatSessionResponse, error) {
//			resp := &ivh.StatSessionResponse{}
//			fakegw.Echo(req, resp)
//			sess, err := store.Stat(req.SessionID)
//			return resp, fakegw.FillSession(resp, sess, err)
//		})
//		... // start and close like stat
//		return s.Server.ServeChannel("/v2/ws/...", store, opts...)
//	}
func (fk *fake) emitServeChannel(f *jen.File, c *model.Channel) {
	s := c.Session
	var names []string
	for _, r := range s.Runs {
		names = append(names, r.Create.Name)
	}
	names = append(names, s.Stat.Name, s.Start.Name, s.Close.Name)
	f.Add(docComment(fmt.Sprintf("Serve%s serves %s at %s for the sessions of store, and answers %s from store "+
		"instead of their defaults: sessions prepare for the store's polls, become ready, start and close as the "+
		"gateway's do, and the channel admits only started, open ones. opts tune the channel (see package "+
		"channeltest); Push, Drop and Upstream on the result script and inspect it.",
		c.Name, c.Name, c.Path, strings.Join(names, ", "))))
	f.Func().Params(jen.Id("s").Op("*").Id("Server")).Id("Serve"+c.Name).Params(
		jen.Id("store").Op("*").Qual(fakegwPath, "SessionStore"), jen.Id("opts").Op("...").Qual(channeltestPath, "Option"),
	).Op("*").Qual(fakegwPath, "Channel").BlockFunc(func(g *jen.Group) {
		for _, r := range s.Runs {
			g.Add(fk.sessionHandler(r.Create, jen.Qual(fakegwPath, "FillSession").Call(jen.Id("resp"), jen.Id("store").Dot("Create").Call(jen.Id("req")), jen.Nil())))
		}
		for _, step := range []struct {
			api    *model.API
			id     *model.Field
			method string
		}{{s.Stat, s.StatID, "Stat"}, {s.Start, s.StartID, "Start"}, {s.Close, s.CloseID, "Close"}} {
			g.Add(fk.sessionHandler(step.api,
				jen.List(jen.Id("sess"), jen.Err()).Op(":=").Id("store").Dot(step.method).Call(valueOf("req", step.id)),
				jen.Qual(fakegwPath, "FillSession").Call(jen.Id("resp"), jen.Id("sess"), jen.Err())))
		}
		g.Return(jen.Id("s").Dot("Server").Dot("ServeChannel").Call(jen.Lit(c.Path), jen.Id("store"), jen.Id("opts").Op("...")))
	})
	f.Line()
}

// sessionHandler registers a handler of a that echoes the request into the
// response and returns the last of body as the error.
func (fk *fake) sessionHandler(a *model.API, body ...jen.Code) jen.Code {
	stmts := []jen.Code{
		jen.Id("resp").Op(":=").Op("&").Add(ident(a.Response.GoIdent)).Values(),
		jen.Qual(fakegwPath, "Echo").Call(jen.Id("req"), jen.Id("resp")),
	}
	stmts = append(stmts, body[:len(body)-1]...)
	stmts = append(stmts, jen.Return(jen.Id("resp"), body[len(body)-1]))
	return jen.Id("s").Dot("Handle" + a.Name).Call(jen.Func().Params(jen.Id("_").Add(ctxType()), jen.Id("req").Op("*").Add(ident(a.Request.GoIdent))).
		Params(jen.Op("*").Add(ident(a.Response.GoIdent)), jen.Error()).Block(stmts...))
}

// hasSessionChannel reports whether mf declares a channel with a session flow.
func hasSessionChannel(mf *model.File) bool {
	for _, c := range mf.Channels {
		if c.Session != nil {
			return true
		}
	}
	return false
}
