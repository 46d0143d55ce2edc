package emit

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/ivhgen/ivhgen/generator/model"
)

// ch returns channel.<name>.
func ch(name string) *jen.Statement { return jen.Qual(channelPath, name) }

// channelFile is <base>_channel.go: the channels of a service and their
// session helpers.
func channelFile(pkg *model.Package, mf *model.File) *jen.File {
	f := newFile(pkg, mf.Source)
	for _, c := range mf.Channels {
		emitChannelType(f, c)
		emitOpen(f, c)
		for _, cmd := range c.Commands {
			emitSend(f, c, cmd)
		}
		emitChannelPlumbing(f, c)
		emitMessageType(f, c)
		emitDecode(f, c)
		if c.Session != nil {
			emitAlive(f, c)
			emitSessionType(f, c)
			for _, r := range c.Session.Runs {
				emitRun(f, c, r)
			}
		}
	}
	return f
}

// emitChannelType writes the open-channel type.
//
//	type CommandChannel struct{ conn *channel.Conn }
func emitChannelType(f *jen.File, c *model.Channel) {
	life := fmt.Sprintf("Open one with %s.%s. Its methods are safe for concurrent use. Heartbeats are sent "+
		"automatically and a dropped connection is reconnected while the session lives; Conn gives the "+
		"runtime helpers (paced audio, streamed text, interrupts).", c.Service.ClientType, c.Open)
	if c.Flat {
		life = fmt.Sprintf("Open one with %s.%s. Its methods are safe for concurrent use. Its frames are flat "+
			"JSON objects; it sends no heartbeat command (a silent peer is pinged), and a dropped connection "+
			"is not reconnected: Recv then returns an error matching channel.ErrConnectionLost, and a new "+
			"channel is opened with a fresh signature.", c.Service.ClientType, c.Open)
	}
	f.Add(docComment(fmt.Sprintf("%s: %s", c.Name, firstParagraph(c.Doc)), restParagraphs(c.Doc), life))
	f.Type().Id(c.Name).Struct(jen.Id("conn").Op("*").Add(ch("Conn")))
	f.Line()
}

// emitOpen writes the service method that opens the channel.
//
//	func (c *SessionClient) OpenCommandChannel(ctx context.Context, sessionID string, opts ...ivhrt.ChannelOption) (*CommandChannel, error) {
//		conn, err := ivhimpl.DialChannel(ctx, c.rt, ivhimpl.ChannelSpec{Path: "/...", SessionID: sessionID,
//			Signed: url.Values{"requestid": {sessionID}}, SessionAlive: c.aliveCommandChannel(sessionID)}, opts...)
//		if err != nil { return nil, err }
//		return &CommandChannel{conn: conn}, nil
//	}
func emitOpen(f *jen.File, c *model.Channel) {
	f.Add(docComment(openDoc(c)))
	spec := channelSpec(c)
	if c.Alive != "" {
		spec = append(spec, kv("SessionAlive", jen.Id("c").Dot(c.Alive).Call(jen.Id("sessionID"))))
	}
	params, results := openSig(c)
	f.Func().Params(jen.Id("c").Op("*").Id(c.Service.ClientType)).Id(c.Open).Params(params...).Params(results...).Block(
		jen.List(jen.Id("conn"), jen.Err()).Op(":=").Add(rt("DialChannel")).Call(
			jen.Id("ctx"), jen.Id("c").Dot("rt"), rt("ChannelSpec").Custom(multiline, spec...), jen.Id("opts").Op("...")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Op("&").Id(c.Name).Values(jen.Dict{jen.Id("conn"): jen.Id("conn")}), jen.Nil()),
	)
	f.Line()
}

// openDoc is the doc comment of a channel's Open method.
func openDoc(c *model.Channel) string {
	if c.Flat {
		return fmt.Sprintf("%s opens the %s at %s, signed with the client's credentials%s. Errors are typed "+
			"by package channel (*channel.DialError for a refused handshake).", c.Open, c.Name, c.Path, freshText(c))
	}
	return fmt.Sprintf("%s opens the %s of a started session, signed with the client's "+
		"credentials, at %s. Errors are typed by package channel (*channel.DialError for a refused handshake).",
		c.Open, c.Name, c.Path)
}

// freshText tells which signed parameters get a fresh id per handshake.
func freshText(c *model.Channel) string {
	if len(c.Fresh) == 0 {
		return ""
	}
	return fmt.Sprintf(" and a fresh %s (32 hex digits) at every handshake", strings.Join(c.Fresh, ", "))
}

// channelSpec is the ivhimpl.ChannelSpec of an Open method, without the
// session check.
//
//	ivhimpl.ChannelSpec{Path: "/...", SessionID: sessionID, Signed: url.Values{"requestid": {sessionID}}}
//	ivhimpl.ChannelSpec{Path: "/...", Signed: url.Values{}, Fresh: []string{"requestid"}, Flat: true}
func channelSpec(c *model.Channel) []jen.Code {
	signed := jen.Dict{}
	for _, p := range c.Signed {
		signed[jen.Lit(p.Name)] = jen.Values(jen.Id("sessionID")) // the one source besides reqid
	}
	spec := []jen.Code{kv("Path", jen.Lit(c.Path))}
	if !c.Flat {
		spec = append(spec, kv("SessionID", jen.Id("sessionID")))
	}
	spec = append(spec, kv("Signed", jen.Qual(urlPath, "Values").Values(signed)))
	if len(c.Fresh) > 0 {
		fresh := make([]jen.Code, len(c.Fresh))
		for i, p := range c.Fresh {
			fresh[i] = jen.Lit(p)
		}
		spec = append(spec, kv("Fresh", jen.Index().String().Values(fresh...)))
	}
	if c.Flat {
		spec = append(spec, kv("Flat", jen.True()))
	}
	return spec
}

// emitSend writes one typed command method.
//
//	func (ch *CommandChannel) SendText(ctx context.Context, data *SendTextData) (string, error) {
//		return ivhimpl.SendCommand(ctx, ch.conn, "SEND_TEXT", data, (*SendTextData).validate)
//	}
func emitSend(f *jen.File, c *model.Channel, cmd *model.Command) {
	if c.Flat {
		emitSendFrame(f, c, cmd)
		return
	}
	f.Add(docComment(fmt.Sprintf("%s sends a %s command. %s", cmd.Method, cmd.Wire, firstParagraph(cmd.Doc)), restParagraphs(cmd.Doc),
		"It checks data as Validate would, fills a fresh ReqId (32 lower-case hex digits) and returns it; "+
			"downstream messages about this command carry it. A nil data sends an empty Data object."))
	validate := jen.Nil()
	if cmd.Data.HasChecks {
		validate = jen.Parens(jen.Op("*").Id(cmd.Data.GoIdent.GoName)).Dot("validate")
	}
	f.Func().Params(jen.Id("ch").Op("*").Id(c.Name)).Id(cmd.Method).Params(
		jen.Id("ctx").Add(ctxType()), jen.Id("data").Op("*").Id(cmd.Data.GoIdent.GoName),
	).Params(jen.String(), jen.Error()).Block(
		jen.Return(rt("SendCommand").Call(jen.Id("ctx"), jen.Id("ch").Dot("conn"), jen.Lit(cmd.Wire), jen.Id("data"), validate)),
	)
	f.Line()
}

// emitSendFrame writes the frame method of a flat channel.
//
//	func (ch *DriverEngine) Drive(ctx context.Context, frame *DriveFrame) (string, error) {
//		return ivhimpl.SendFrame(ctx, ch.conn, frame, (*DriveFrame).validate)
//	}
func emitSendFrame(f *jen.File, c *model.Channel, cmd *model.Command) {
	t := cmd.Data.GoIdent.GoName
	f.Add(docComment(fmt.Sprintf("%s sends a %s frame. %s", cmd.Method, cmd.Method, firstParagraph(cmd.Doc)), restParagraphs(cmd.Doc),
		fmt.Sprintf("It checks frame as Validate would, sends its fields flat with a fresh ReqId (32 lower-case hex "+
			"digits) first, {\"ReqId\":...,...}, and returns the ReqId. A nil frame is checked and sent as an empty one (the ReqId alone when no field "+
			"is required). Errors "+
			"are a validation error or a *channel.SendError (%s is safe for concurrent use).", c.Name)))
	validate := jen.Nil()
	if cmd.Data.HasChecks {
		validate = jen.Parens(jen.Op("*").Id(t)).Dot("validate")
	}
	f.Func().Params(jen.Id("ch").Op("*").Id(c.Name)).Id(cmd.Method).Params(
		jen.Id("ctx").Add(ctxType()), jen.Id("frame").Op("*").Id(t),
	).Params(jen.String(), jen.Error()).Block(
		jen.Return(rt("SendFrame").Call(jen.Id("ctx"), jen.Id("ch").Dot("conn"), jen.Id("frame"), validate)),
	)
	f.Line()
}

// emitChannelPlumbing writes Recv, Messages, Close, Conn and, on an
// envelope channel, SessionID.
func emitChannelPlumbing(f *jen.File, c *model.Channel) {
	recv := jen.Id("ch").Op("*").Id(c.Name)
	msg := jen.Op("*").Id(c.MessageType)
	f.Add(docComment("Recv returns the next downstream message. A message of a Type the descriptor does not list " +
		"is returned like any other, with no typed field set. A frame that cannot be decoded gives a " +
		"*channel.FrameError (with the message, when its envelope was readable) and the channel carries on. " +
		"Once the channel has ended Recv returns its terminal error (see channel.Conn.Recv)."))
	f.Func().Params(recv.Clone()).Id("Recv").Params(jen.Id("ctx").Add(ctxType())).Params(msg.Clone(), jen.Error()).Block(
		jen.List(jen.Id("m"), jen.Err()).Op(":=").Id("ch").Dot("conn").Dot("Recv").Call(jen.Id("ctx")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id(c.Decode).Call(jen.Id("m"))),
	)
	f.Line()
	f.Add(docComment("Messages iterates over downstream messages like Recv. A *channel.FrameError is yielded and " +
		"iteration goes on; the channel's terminal error (other than channel.ErrClosed) or ctx's error is " +
		"yielded once and ends it."))
	f.Func().Params(recv.Clone()).Id("Messages").Params(jen.Id("ctx").Add(ctxType())).
		Qual(iterPath, "Seq2").Types(msg.Clone(), jen.Error()).Block(
		jen.Return(jen.Func().Params(jen.Id("yield").Func().Params(msg.Clone(), jen.Error()).Bool()).Block(
			jen.For(jen.List(jen.Id("m"), jen.Err()).Op(":=").Range().Id("ch").Dot("conn").Dot("Messages").Call(jen.Id("ctx"))).Block(
				jen.If(jen.Err().Op("==").Nil()).Block(jen.List(jen.Id("out"), jen.Id("derr")).Op(":=").Id(c.Decode).Call(jen.Id("m")),
					jen.If(jen.Op("!").Id("yield").Call(jen.Id("out"), jen.Id("derr"))).Block(jen.Return()),
					jen.Continue()),
				jen.If(jen.Op("!").Id("yield").Call(jen.Nil(), jen.Err())).Block(jen.Return()),
			),
		)),
	)
	f.Line()
	closeDoc := "Close stops the heartbeat, closes the socket and waits for the channel's goroutines. " +
		"It does not close the session. Later calls return nil."
	if c.Flat {
		closeDoc = "Close closes the socket and waits for the channel's goroutines. Later calls return nil."
	}
	f.Add(docComment(closeDoc))
	f.Func().Params(recv.Clone()).Id("Close").Params().Error().Block(jen.Return(jen.Id("ch").Dot("conn").Dot("Close").Call()))
	f.Line()
	conn := "Conn returns the runtime channel, for its helpers: SendAudio (paced PCM from an io.Reader), " +
		"StreamText (LLM output piece by piece), Interrupt and Reconnects."
	if c.Flat {
		conn = "Conn returns the runtime channel (SendFrame sends any flat frame; Reconnects counts redials)."
	}
	f.Add(docComment(conn))
	f.Func().Params(recv.Clone()).Id("Conn").Params().Op("*").Add(ch("Conn")).Block(jen.Return(jen.Id("ch").Dot("conn")))
	f.Line()
	if c.Flat {
		return
	}
	f.Add(docComment("SessionID returns the session the channel drives."))
	f.Func().Params(recv.Clone()).Id("SessionID").Params().String().Block(jen.Return(jen.Id("ch").Dot("conn").Dot("SessionID").Call()))
	f.Line()
}

// emitMessageType writes the downstream message type: the runtime message
// and one pointer per declared Type.
func emitMessageType(f *jen.File, c *model.Channel) {
	head := "envelope fields (Type, SessionID, ReqID, Seq)"
	if c.Flat {
		head = "common fields (Type, ReqID, Seq)"
	}
	f.Add(docComment(fmt.Sprintf("%s is one downstream message of %s. The embedded channel.Message has the "+
		"%s and the raw frame; at most one typed field below is set, the one of its Type. Err reports a "+
		"drive failure.", c.MessageType, c.Name, head)))
	f.Type().Id(c.MessageType).StructFunc(func(g *jen.Group) {
		g.Add(ch("Message"))
		for _, m := range c.Messages {
			g.Line()
			g.Add(docComment(fmt.Sprintf("%s is set for Type %d. %s", m.Field, m.Type, firstParagraph(m.Doc))))
			g.Id(m.Field).Op("*").Id(m.Payload.GoIdent.GoName)
		}
	})
	f.Line()
}

// emitDecode writes the decoder of downstream messages.
//
//	func decodeCommandChannelMessage(m channel.Message) (*CommandChannelMessage, error) {
//		out := &CommandChannelMessage{Message: m}
//		var err error
//		switch m.Type {
//		case 3:
//			p := new(SpeakStatusMessage)
//			if err = m.Decode(p); err == nil {
//				out.SpeakStatus = p
//			}
//		}
//		return out, err
//	}
func emitDecode(f *jen.File, c *model.Channel) {
	f.Add(docComment(fmt.Sprintf("%s decodes the typed payload of a known Type; an unknown Type is kept as it is.", c.Decode)))
	f.Func().Id(c.Decode).Params(jen.Id("m").Add(ch("Message"))).Params(jen.Op("*").Id(c.MessageType), jen.Error()).BlockFunc(func(g *jen.Group) {
		g.Id("out").Op(":=").Op("&").Id(c.MessageType).Values(jen.Dict{jen.Id("Message"): jen.Id("m")})
		if len(c.Messages) == 0 {
			g.Return(jen.Id("out"), jen.Nil())
			return
		}
		g.Var().Err().Error()
		g.Switch(jen.Id("m").Dot("Type")).BlockFunc(func(sw *jen.Group) {
			for _, m := range c.Messages {
				sw.Case(intLit(m.Type)).Block(
					jen.Id("p").Op(":=").New(jen.Id(m.Payload.GoIdent.GoName)),
					jen.If(jen.Err().Op("=").Id("m").Dot("Decode").Call(jen.Id("p")), jen.Err().Op("==").Nil()).Block(
						jen.Id("out").Dot(m.Field).Op("=").Id("p")),
				)
			}
		})
		g.Return(jen.Id("out"), jen.Err())
	})
	f.Line()
}
