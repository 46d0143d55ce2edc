package model

import (
	"fmt"
	"strings"

	"github.com/ivhgen/ivhgen/generator/descriptor"
	"github.com/ivhgen/ivhgen/generator/naming"
)

// Channel is a WebSocket command channel of a service.
type Channel struct {
	Pos         descriptor.Pos
	Name        string // Go type of the open channel
	Doc         string
	Path        string
	Flat        bool           // frames are flat objects (frame: flat): no session id, no Command, no heartbeat
	Open        string         // service method that opens it
	MessageType string         // Go type of one downstream message
	Decode      string         // package-level func that decodes a message
	Alive       string         // service method backing SessionAlive, "" without session
	Signed      []*SignedParam // signed with the session id
	Fresh       []string       // signed with a fresh id at every handshake (value: reqid)
	Commands    []*Command     // on a flat channel, the one frame type
	Messages    []*Message
	Session     *SessionFlow
	Service     *Service
	Serve       string // the fake's method serving it, "" without session on an envelope channel
}

// SignedParam is an extra signed query parameter; Value names its source
// (descriptor.SignedValues).
type SignedParam struct {
	Name  string
	Value string
}

// Command is one upstream command: a Send method and its Data type. On a
// flat channel it is the frame type: Wire is "" and Data is <Method>Frame,
// the whole frame but its ReqId.
type Command struct {
	Pos    descriptor.Pos
	Wire   string
	Method string
	Doc    string
	Data   *Struct
}

// Message is one downstream message type: a field of the message type and
// its payload type.
type Message struct {
	Pos     descriptor.Pos
	Type    int64
	Field   string
	Doc     string
	Payload *Struct
}

// SessionFlow is the session lifecycle around a channel.
type SessionFlow struct {
	Type       string // Go type handed to the Run callback
	Runs       []*SessionRun
	Start      *API
	Close      *API
	Stat       *API
	StartID    *Field // the session id field of each request
	CloseID    *Field
	StatID     *Field
	Status     *Field // in the stat response
	Alive      []Literal
	Ended      []Literal
	EndedCodes []EndedCode
}

// EndedCode is an API error code that means the session is gone, with the
// constant of the first api code table that declares it ("" when none does).
type EndedCode struct {
	Value int64
	Const string
}

// SessionRun is one Run method: create with Create, wait, start, open.
type SessionRun struct {
	Method string
	Create *API
	ID     *Field // session id in Create's response
	// Status is the field of Create's response with the wire name and type
	// of the stat status, or nil; the fake reports the new session's
	// status in it.
	Status *Field
}

// reservedMessageFields are the fields and methods the message type gets
// from the embedded runtime channel.Message.
var reservedMessageFields = []string{"Message", "Type", "SessionID", "ReqID", "Seq", "Raw", "Payload", "Header", "Downstream", "Decode", "Err"}

// reservedChannelMethods are the methods every channel type has.
var reservedChannelMethods = []string{"Recv", "Messages", "Close", "Conn", "SessionID"}

// defineChannels declares the channel types of every file and defines their
// Data and payload structs, before markRequests shapes them.
func (b *builder) defineChannels(files []*descriptor.File, mfiles []*File) {
	for i, f := range files {
		for _, sc := range f.Channels {
			if mfiles[i].Service == nil {
				continue // reported by package spec, or the service name is bad
			}
			if c := b.channel(sc, mfiles[i]); c != nil {
				mfiles[i].Channels = append(mfiles[i].Channels, c)
				b.chanSpecs[c] = sc
			}
		}
	}
}

func (b *builder) channel(sc *descriptor.Channel, mf *File) *Channel {
	name, ok := b.goName(sc.Name, "channel name")
	if !ok {
		return nil
	}
	c := &Channel{Pos: sc.Name.Pos, Name: name, Doc: sc.Doc.Value, Path: sc.Path.Value, Flat: sc.Flat(), Open: "Open" + name,
		MessageType: name + "Message", Decode: "decode" + name + "Message", Service: mf.Service}
	what := fmt.Sprintf("channel %q", name)
	// A channel's path is a wire path like an api's: the fake serves each
	// channel at its path, so two on one path cannot both be served.
	if prev, dup := b.paths[c.Path]; dup {
		b.errs = append(b.errs, descriptor.Errorf(sc.Path.Pos, "%s has wire path %s, which api %s at %s has already; each api and channel needs its own path",
			what, c.Path, prev.what, prev.pos))
	} else if prev, dup := b.chanPaths[c.Path]; dup {
		b.errs = append(b.errs, descriptor.Errorf(sc.Path.Pos, "%s has wire path %s, which %s at %s has already; each api and channel needs its own path",
			what, c.Path, prev.what, prev.pos))
	} else if c.Path != "" {
		b.chanPaths[c.Path] = origin{sc.Path.Pos, what}
	}
	b.pkgScope.add(name, origin{sc.Name.Pos, what + " type"})
	b.pkgScope.add(c.MessageType, origin{sc.Name.Pos, what + " message type"})
	for _, p := range sc.Signed {
		if p.Value.Value == descriptor.SignedReqID {
			c.Fresh = append(c.Fresh, p.Name.Value)
			continue
		}
		c.Signed = append(c.Signed, &SignedParam{Name: p.Name.Value, Value: p.Value.Value})
	}
	fix := "set goName on the command"
	if c.Flat {
		fix = "rename the frame (name:)" // goName is an error on a flat frame
	}
	methods := newScope(&b.errs, fix)
	for _, m := range reservedChannelMethods {
		methods.add(m, origin{what: "the generated " + m + " method of " + name})
	}
	for _, sc := range sc.Upstream {
		if cmd := b.command(c, sc, mf, methods); cmd != nil {
			c.Commands = append(c.Commands, cmd)
		}
	}
	fields := newScope(&b.errs, "rename the message")
	for _, r := range reservedMessageFields {
		fields.add(r, origin{what: "field " + r + " of the embedded channel.Message"})
	}
	for _, sm := range sc.Downstream {
		if m := b.message(c, sm, mf, fields); m != nil {
			c.Messages = append(c.Messages, m)
		}
	}
	return c
}

func (b *builder) command(c *Channel, sc *descriptor.Command, mf *File, methods *scope) *Command {
	if c.Flat {
		return b.frame(c, sc, mf, methods)
	}
	if !sc.Command.Set() || sc.Name.Set() {
		return nil // reported by package descriptor
	}
	method, err := naming.Exported(sc.Command.Value)
	pos := sc.Command.Pos
	if sc.GoName.Set() {
		method, err, pos = sc.GoName.Value, naming.CheckExported(sc.GoName.Value), sc.GoName.Pos
	}
	if err != nil {
		b.errs = append(b.errs, descriptor.Errorf(pos, "command method name: %v", err))
		return nil
	}
	what := fmt.Sprintf("command %q", sc.Command.Value)
	data := b.upstreamStruct(sc, mf, methods, method, pos, what, "Data")
	if data == nil {
		return nil
	}
	data.Doc = fmt.Sprintf("The Data of a %s command on %s. %s", sc.Command.Value, c.Name, sc.Doc.Value)
	return &Command{Pos: sc.Pos, Wire: sc.Command.Value, Method: method, Doc: sc.Doc.Value, Data: data}
}

// frame resolves the one upstream frame type of a flat channel: method
// <name>, type <name>Frame, and no ReqId field (the channel fills it).
func (b *builder) frame(c *Channel, sc *descriptor.Command, mf *File, methods *scope) *Command {
	if !sc.Name.Set() || sc.Command.Set() || sc.GoName.Set() {
		return nil // reported by package descriptor
	}
	if err := naming.CheckExported(sc.Name.Value); err != nil {
		b.errs = append(b.errs, descriptor.Errorf(sc.Name.Pos, "frame method name: %v", err))
		return nil
	}
	what := fmt.Sprintf("flat frame %q", sc.Name.Value)
	data := b.upstreamStruct(sc, mf, methods, sc.Name.Value, sc.Name.Pos, what, "Frame")
	if data == nil {
		return nil
	}
	data.Doc = fmt.Sprintf("A %s frame of %s, sent flat with a fresh ReqId first. %s", sc.Name.Value, c.Name, sc.Doc.Value)
	for _, f := range data.Fields {
		// Case-insensitive: a "reqid" key beside the channel's "ReqId" would
		// overwrite it in a case-insensitive decoder (encoding/json's).
		if strings.EqualFold(f.Wire, "ReqId") {
			b.errs = append(b.errs, descriptor.Errorf(f.Pos, "a flat frame's ReqId is filled by the channel (a fresh id per frame, which %s returns); remove the field", sc.Name.Value))
		}
	}
	return &Command{Pos: sc.Pos, Method: sc.Name.Value, Doc: sc.Doc.Value, Data: data}
}

// upstreamStruct adds method to the channel's methods and defines its
// <method><suffix> struct from sc's fields; nil when the method clashes.
func (b *builder) upstreamStruct(sc *descriptor.Command, mf *File, methods *scope, method string, pos descriptor.Pos, what, suffix string) *Struct {
	if !methods.add(method, origin{pos, what}) {
		return nil
	}
	data := &Struct{Pos: pos, GoIdent: b.ident(method + suffix), Role: RoleNamed, File: mf}
	b.pkgScope.add(data.GoIdent.GoName, origin{pos, what + " " + strings.ToLower(suffix) + " type"})
	data.Fields = b.fields(data, sc.Fields)
	mf.Structs = append(mf.Structs, data)
	markValidates(data)
	return data
}

func (b *builder) message(c *Channel, sm *descriptor.Message, mf *File, fields *scope) *Message {
	name, ok := b.goName(sm.Name, "downstream message name")
	if !ok || !sm.Type.Set() {
		return nil
	}
	if !fields.add(name, origin{sm.Name.Pos, fmt.Sprintf("downstream message %q", name)}) {
		return nil
	}
	p := &Struct{Pos: sm.Name.Pos, GoIdent: b.ident(name + "Message"), Role: RoleNamed, File: mf,
		Doc: fmt.Sprintf("The payload of a Type %d message on %s. %s", sm.Type.Value, c.Name, sm.Doc.Value)}
	b.pkgScope.add(p.GoIdent.GoName, origin{sm.Name.Pos, fmt.Sprintf("downstream message %q payload type", name)})
	p.Fields = b.fields(p, sm.Fields)
	mf.Structs = append(mf.Structs, p)
	return &Message{Pos: sm.Pos, Type: sm.Type.Value, Field: name, Doc: sm.Doc.Value, Payload: p}
}

// resolveChannels resolves the session flows, once async flows are known.
func (b *builder) resolveChannels() {
	for _, f := range b.pkg.Files {
		for _, c := range f.Channels {
			if sc := b.chanSpecs[c]; sc.Session != nil {
				c.Session = b.sessionFlow(c, sc.Session)
			}
		}
	}
}

func (b *builder) sessionFlow(c *Channel, ss *descriptor.SessionFlow) *SessionFlow {
	s := &SessionFlow{Type: c.Name + "Session"}
	s.Start = b.apiRef(ss.Start, "session start")
	s.Close = b.apiRef(ss.Close, "session close")
	s.Stat = b.apiRef(ss.Stat, "session stat")
	if s.Start == nil || s.Close == nil || s.Stat == nil {
		return nil
	}
	ok := true
	for _, cr := range ss.Create {
		run := b.sessionRun(s, cr)
		ok = ok && run != nil
		s.Runs = append(s.Runs, run)
	}
	if !ok {
		return nil
	}
	idName := descriptor.String{Value: s.Runs[0].ID.Wire, Pos: ss.Pos}
	s.StartID = b.plainRef(idName, s.Start.Request, "session id", String)
	s.CloseID = b.plainRef(idName, s.Close.Request, "session id", String)
	s.StatID = b.plainRef(idName, s.Stat.Request, "session id", String)
	s.Status = s.Runs[0].Create.Async.Status
	seen := map[string]descriptor.Pos{}
	s.Alive = b.literals(s.Status, ss.Alive, seen)
	s.Ended = b.literals(s.Status, ss.Ended, seen)
	for _, code := range ss.EndedCodes {
		s.EndedCodes = append(s.EndedCodes, EndedCode{Value: code.Value, Const: b.apiCodeConst(code.Value)})
	}
	if s.StartID == nil || s.CloseID == nil || s.StatID == nil {
		return nil
	}
	b.pkgScope.add(s.Type, origin{ss.Pos, fmt.Sprintf("channel %q session type", c.Name)})
	c.Alive = "alive" + c.Name
	return s
}

// sessionRun resolves one create API: it must wait by polling stat and
// report the session id as a string.
func (b *builder) sessionRun(s *SessionFlow, cr descriptor.String) *SessionRun {
	a := b.apiRef(cr, "session create")
	switch {
	case a == nil || b.badFlow[a]:
		return nil // reported already
	case a.Async == nil || a.Async.ID == nil || a.Async.Status == nil:
		b.errs = append(b.errs, descriptor.Errorf(cr.Pos, "session create api %q needs an async flow that polls %s", a.Name, s.Stat.Name))
		return nil
	case a.Async.Poll != s.Stat:
		b.errs = append(b.errs, descriptor.Errorf(cr.Pos, "session create api %q polls %s, not the session stat %s", a.Name, a.Async.Poll.Name, s.Stat.Name))
		return nil
	case a.Async.ID.Type.Kind != String:
		b.errs = append(b.errs, descriptor.Errorf(cr.Pos, "session create api %q has a session id of type %s; it needs string", a.Name, typeText(a.Async.ID.Type)))
		return nil
	}
	run := &SessionRun{Method: "Run" + strings.TrimPrefix(a.Name, "Create"), Create: a, ID: a.Async.ID}
	for _, f := range a.Response.Fields {
		if f.Wire == a.Async.Status.Wire && typeText(f.Type) == typeText(a.Async.Status.Type) {
			run.Status = f
		}
	}
	return run
}

// apiCodeConst is the constant of the first api code table entry with value
// v, or "".
func (b *builder) apiCodeConst(v int64) string {
	for _, t := range b.pkg.CodeTables {
		if t.Task {
			continue
		}
		for _, c := range t.Codes {
			if c.Value == v {
				return c.Const
			}
		}
	}
	return ""
}
