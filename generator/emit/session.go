package emit

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// emitAlive writes the session check behind a channel's reconnects.
//
//	func (c *SessionClient) aliveCommandChannel(sessionID string) func(context.Context) (bool, error) {
//		return func(ctx context.Context) (bool, error) {
//			r, err := c.StatSession(ctx, &StatSessionRequest{SessionId: sessionID})
//			if err != nil { return ivhimpl.SessionGone(err, ErrSessionClosed, ErrSessionNotFound) }
//			switch r.SessionStatus {
//			case SessionStatusReady, SessionStatusPreparing: return true, nil
//			case SessionStatusClosed, SessionStatusFailed: return false, nil
//			}
//			return false, ivhimpl.UnknownSessionStatus(sessionID, r.SessionStatus)
//		}
//	}
func emitAlive(f *jen.File, c *model.Channel) {
	s := c.Session
	codes := append([]jen.Code{jen.Err()}, endedCodes(s)...)
	status := valueOf("r", s.Status)
	sig := jen.Func().Params(ctxType()).Params(jen.Bool(), jen.Error())
	f.Add(docComment(fmt.Sprintf("%s asks %s whether the session of a dropped %s still lives.", c.Alive, s.Stat.Name, c.Name)))
	f.Func().Params(jen.Id("c").Op("*").Id(c.Service.ClientType)).Id(c.Alive).Params(jen.Id("sessionID").String()).Add(sig).Block(
		jen.Return(jen.Func().Params(jen.Id("ctx").Add(ctxType())).Params(jen.Bool(), jen.Error()).Block(
			jen.List(jen.Id("r"), jen.Err()).Op(":=").Add(statCall(c, jen.Id("c"), jen.Id("sessionID"))),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(rt("SessionGone").Call(codes...))),
			jen.Switch(status.Clone()).Block(
				jen.Case(literals(s.Alive)...).Block(jen.Return(jen.True(), jen.Nil())),
				jen.Case(literals(s.Ended)...).Block(jen.Return(jen.False(), jen.Nil())),
			),
			jen.Return(jen.False(), rt("UnknownSessionStatus").Call(jen.Id("sessionID"), status.Clone())),
		)),
	)
	f.Line()
}

// statCall calls the stat API for a session id.
func statCall(c *model.Channel, client, id jen.Code) jen.Code {
	s := c.Session
	return jen.Add(client).Dot(s.Stat.Name).Call(jen.Id("ctx"), jen.Op("&").Id(s.Stat.Request.GoIdent.GoName).Values(fieldValue(s.StatID, id)))
}

// emitSessionType writes what a Run callback receives.
func emitSessionType(f *jen.File, c *model.Channel) {
	s := c.Session
	f.Add(docComment(fmt.Sprintf("%s is a started session with its open %s, as a Run method hands it to its "+
		"callback. The Run method closes both when the callback returns.", s.Type, c.Name)))
	f.Type().Id(s.Type).Struct(
		docComment("ID is the session id."),
		jen.Id("ID").String(),
		jen.Line(),
		docComment(fmt.Sprintf("Ready is the %s response that reported the session ready (it has the stream address).", s.Stat.Name)),
		jen.Id("Ready").Op("*").Id(s.Stat.Response.GoIdent.GoName),
		jen.Line(),
		docComment("Channel is the open command channel."),
		jen.Id("Channel").Op("*").Id(c.Name),
	)
	f.Line()
}

// emitRun writes one Run method: create, wait, start, open, run, close.
func emitRun(f *jen.File, c *model.Channel, r *model.SessionRun) {
	s := c.Session
	create := r.Create
	f.Add(docComment(fmt.Sprintf("%s creates a session with %s, waits until it is ready, starts it with %s, opens "+
		"its %s and calls fn. The session is closed with %s on every way out, also when ctx is cancelled "+
		"or fn panics (the panic goes on after the close); the close gets a fresh context bounded by "+
		"WithCloseTimeout. A failed close is a *SessionCloseError joined to the result.",
		r.Method, create.Name, s.Start.Name, c.Name, s.Close.Name)))
	idCall := func(api *model.API, idf *model.Field) jen.Code {
		return jen.Func().Params(jen.Id("ctx").Add(ctxType()), jen.Id("id").String()).Error().Block(
			jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("c").Dot(api.Name).Call(jen.Id("ctx"),
				jen.Op("&").Id(api.Request.GoIdent.GoName).Values(fieldValue(idf, jen.Id("id")))),
			jen.Return(jen.Err()),
		)
	}
	codes := endedCodes(s)
	f.Func().Params(jen.Id("c").Op("*").Id(c.Service.ClientType)).Id(r.Method).Params(runSig(c, r)...).Error().Block(
		jen.Id("cfg").Op(":=").Add(rt("NewSessionConfig")).Call(jen.Id("opts").Op("...")),
		jen.Id("s").Op(":=").Op("&").Id(s.Type).Values(),
		jen.Var().Id("created").Op("*").Id(create.Response.GoIdent.GoName),
		jen.Id("steps").Op(":=").Add(rt("SessionSteps")).Custom(multiline,
			kv("Client", jen.Id("c").Dot("rt")),
			kv("Create", jen.Func().Params(jen.Id("ctx").Add(ctxType())).Params(jen.String(), jen.Error()).Block(
				jen.Var().Err().Error(),
				jen.If(jen.List(jen.Id("created"), jen.Err()).Op("=").Id("c").Dot(create.Name).Call(jen.Id("ctx"), jen.Id("in")),
					jen.Err().Op("!=").Nil()).Block(jen.Return(rt("CreatedID").Call(jen.Err()), jen.Err())),
				jen.Id("s").Dot("ID").Op("=").Add(valueOf("created", r.ID)),
				jen.Return(jen.Id("s").Dot("ID"), jen.Nil()),
			)),
			kv("Ready", jen.Func().Params(jen.Id("ctx").Add(ctxType()), jen.Id("_").String()).Params(jen.Err().Error()).Block(
				jen.List(jen.Id("s").Dot("Ready"), jen.Err()).Op("=").Id("c").Dot(create.Async.Waiter).Call(
					jen.Id("ctx"), jen.Id("in"), jen.Id("created"), jen.Id("cfg").Dot("Wait").Op("...")),
				jen.Return(jen.Err()),
			)),
			kv("Start", idCall(s.Start, s.StartID)),
			kv("Close", idCall(s.Close, s.CloseID)),
		),
		jen.Return(rt("RunSession").Call(append([]jen.Code{jen.Id("ctx"), jen.Id("steps"), jen.Id("cfg"),
			jen.Func().Params(jen.Id("ctx").Add(ctxType()), jen.Id("id").String()).Error().Block(
				jen.List(jen.Id("opened"), jen.Err()).Op(":=").Id("c").Dot(c.Open).Call(jen.Id("ctx"), jen.Id("id"), jen.Id("cfg").Dot("Channel").Op("...")),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
				jen.Defer().Id("opened").Dot("Close").Call(),
				jen.Id("s").Dot("Channel").Op("=").Id("opened"),
				jen.Return(jen.Id("fn").Call(jen.Id("ctx"), jen.Id("s"))),
			)}, codes...)...)),
	)
	f.Line()
}

// endedCodes lists the codes that mean the session is gone, by constant
// where an API code table declares one: ErrSessionClosed, or 110013.
func endedCodes(s *model.SessionFlow) []jen.Code {
	out := make([]jen.Code, len(s.EndedCodes))
	for i, c := range s.EndedCodes {
		out[i] = intLit(c.Value)
		if c.Const != "" {
			out[i] = jen.Id(c.Const)
		}
	}
	return out
}
