package descriptor

import (
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Channel declares a WebSocket command channel of the file's service: the
// commands sent up, the messages received down and, optionally, the session
// lifecycle that wraps it.
type Channel struct {
	Pos        Pos
	Name       String
	Doc        String
	Path       String
	Frame      String // "envelope" (the default) or "flat"; see Flat
	Signed     []*SignedParam
	Upstream   []*Command
	Downstream []*Message
	Session    *SessionFlow
}

// Flat reports whether c's frames are flat objects (frame: flat) rather
// than {"Header","Payload"} envelopes.
func (c *Channel) Flat() bool { return c.Frame.Value == FrameFlat }

// Frame shapes of a channel.
const (
	FrameEnvelope = "envelope" // {"Header":{},"Payload":{ReqId, SessionId, Command, Data}}
	FrameFlat     = "flat"     // {"ReqId":..., <the frame's fields>}
)

// SignedParam is an extra signed query parameter and where its value comes
// from.
type SignedParam struct {
	Pos   Pos
	Name  String
	Value String // one of SignedValues
}

// Command is one upstream command and its Data, or, on a flat channel, the
// one upstream frame type and its fields.
type Command struct {
	Pos     Pos
	Command String // wire name, e.g. SEND_TEXT; envelope channels only
	Name    String // Go method of a flat frame, e.g. Drive; flat channels only
	GoName  String
	Doc     String
	Fields  []*Field
	keys    map[string]*yaml.Node // the keys written, for the frame checks
}

// Message is one downstream message type and its payload.
type Message struct {
	Pos    Pos
	Type   Int // the Type field on the wire
	Name   String
	Doc    String
	Fields []*Field
}

// SessionFlow names the APIs of the session lifecycle around a channel.
type SessionFlow struct {
	Pos        Pos
	Create     []String // APIs that create a session; each has async polling stat
	Start      String
	Close      String
	Stat       String
	Alive      []Scalar // stat status values of a live session
	Ended      []Scalar // stat status values of an ended session
	EndedCodes []Int    // API error codes that mean the session is gone
}

// Sources of a signed parameter's value.
const (
	SignedSessionID = "sessionId" // the session id the channel is opened for
	SignedReqID     = "reqid"     // a fresh 32-hex id at every handshake
)

// SignedValues are the sources a signed parameter may take its value from.
var SignedValues = []string{SignedSessionID, SignedReqID}

// reservedParams are signed by every channel already.
var reservedParams = []string{"appkey", "timestamp", "signature"}

var channelKeys = []string{"name", "doc", "path", "frame", "signedParams", "upstream", "downstream", "session"}

func (d *decoder) channel(n *yaml.Node) *Channel {
	c := &Channel{Pos: d.pos(n)}
	seen := d.mapping(n, "a channel", channelKeys, func(key string, v *yaml.Node) {
		switch key {
		case "name":
			c.Name = d.str(v, "name")
		case "doc":
			c.Doc = d.text(v, "doc")
		case "path":
			c.Path = d.path(v, "path")
		case "frame":
			c.Frame = d.oneOf(v, "frame", FrameEnvelope, FrameFlat)
		case "signedParams":
			d.list(v, "signedParams", func(it *yaml.Node) { c.Signed = append(c.Signed, d.signedParam(it)) })
		case "upstream":
			d.nonEmptyList(v, "upstream", func(it *yaml.Node) { c.Upstream = append(c.Upstream, d.command(it)) })
		case "downstream":
			d.nonEmptyList(v, "downstream", func(it *yaml.Node) { c.Downstream = append(c.Downstream, d.message(it)) })
		case "session":
			c.Session = d.sessionFlow(v)
		}
	})
	d.require(n, label("channel", c.Name.Value), seen, "name", "doc", "path", "upstream")
	d.channelDuplicates(c)
	switch {
	case seen != nil && seen["frame"] != nil && !c.Frame.Set():
		return c // a bad frame: reported; either shape's checks would mislead
	case !c.Frame.Set():
		c.Frame = String{Value: FrameEnvelope, Pos: c.Pos}
	}
	if c.Flat() {
		d.flatChannel(c)
	} else {
		d.envelopeChannel(n, c, seen)
	}
	return c
}

func (d *decoder) signedParam(n *yaml.Node) *SignedParam {
	p := &SignedParam{Pos: d.pos(n)}
	seen := d.mapping(n, "a signed parameter", []string{"name", "value"}, func(key string, v *yaml.Node) {
		switch key {
		case "name":
			p.Name = d.str(v, "name")
			if !p.Name.Set() {
				break
			}
			if slices.ContainsFunc(reservedParams, func(r string) bool { return strings.EqualFold(r, p.Name.Value) }) {
				d.errorf(v, "signed parameter %q is signed by every channel already; list only extra ones", p.Name.Value)
			} else if i := strings.IndexFunc(p.Name.Value, func(r rune) bool { return !paramNameRune(r) }); i >= 0 {
				// '&' or '=' would make the string to sign ambiguous.
				d.errorf(v, "signed parameter %q holds %q; use ASCII letters, digits and _ - .", p.Name.Value, []rune(p.Name.Value[i:])[0])
			}
		case "value":
			p.Value = d.oneOf(v, "value", SignedValues...)
		}
	})
	d.require(n, label("signed parameter", p.Name.Value), seen, "name", "value")
	return p
}

// paramNameRune reports whether r may appear in a signed parameter's name.
func paramNameRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.'
}

var commandKeys = []string{"command", "name", "goName", "doc", "fields"}

func (d *decoder) command(n *yaml.Node) *Command {
	c := &Command{Pos: d.pos(n)}
	seen := d.mapping(n, "an upstream command", commandKeys, func(key string, v *yaml.Node) {
		switch key {
		case "command":
			c.Command = d.str(v, "command")
		case "name":
			c.Name = d.str(v, "name")
		case "goName":
			c.GoName = d.str(v, "goName")
		case "doc":
			c.Doc = d.text(v, "doc")
		case "fields":
			c.Fields = d.fields(v)
		}
	})
	name := c.Command.Value
	if name == "" {
		name = c.Name.Value
	}
	d.require(n, label("command", name), seen, "doc", "fields")
	c.keys = seen
	return c
}

func (d *decoder) message(n *yaml.Node) *Message {
	m := &Message{Pos: d.pos(n)}
	seen := d.mapping(n, "a downstream message", []string{"type", "name", "doc", "fields"}, func(key string, v *yaml.Node) {
		switch key {
		case "type":
			m.Type = d.count(v, "type")
		case "name":
			m.Name = d.str(v, "name")
		case "doc":
			m.Doc = d.text(v, "doc")
		case "fields":
			m.Fields = d.fields(v)
		}
	})
	d.require(n, label("downstream message", m.Name.Value), seen, "type", "name", "doc", "fields")
	return m
}

var sessionKeys = []string{"create", "start", "close", "stat", "alive", "ended", "endedCodes"}

func (d *decoder) sessionFlow(n *yaml.Node) *SessionFlow {
	s := &SessionFlow{Pos: d.pos(n)}
	seen := d.mapping(n, "session", sessionKeys, func(key string, v *yaml.Node) {
		switch key {
		case "create":
			d.nonEmptyList(v, "create", func(it *yaml.Node) { s.Create = append(s.Create, d.str(it, "a create api")) })
		case "start":
			s.Start = d.str(v, "start")
		case "close":
			s.Close = d.str(v, "close")
		case "stat":
			s.Stat = d.str(v, "stat")
		case "alive":
			d.nonEmptyList(v, "alive", func(it *yaml.Node) { s.Alive = append(s.Alive, d.scalar(it, "an alive value")) })
		case "ended":
			d.nonEmptyList(v, "ended", func(it *yaml.Node) { s.Ended = append(s.Ended, d.scalar(it, "an ended value")) })
		case "endedCodes":
			d.list(v, "endedCodes", func(it *yaml.Node) { s.EndedCodes = append(s.EndedCodes, d.endedCode(it)) })
		}
	})
	d.require(n, "session", seen, "create", "start", "close", "stat", "alive", "ended")
	return s
}

// endedCode decodes an API error code, which the runtime compares as an int.
func (d *decoder) endedCode(n *yaml.Node) Int {
	c := d.integer(n, "an ended code")
	if c.Set() && !FitsInt(strconv.FormatInt(c.Value, 10)) {
		d.errorf(n, "ended code %d is out of range of int on 32-bit platforms (%s)", c.Value, IntRange)
		return Int{}
	}
	return c
}

// channelDuplicates rejects a signed parameter, command or message type
// declared twice.
func (d *decoder) channelDuplicates(c *Channel) {
	params := map[string]Pos{}
	for _, p := range c.Signed {
		if prev, dup := seenBefore(params, p.Name.Set(), p.Name.Value, p.Name.Pos); dup {
			d.errs = append(d.errs, Errorf(p.Name.Pos, "signed parameter %q is listed twice (first at %s)", p.Name.Value, prev))
		}
	}
	cmds := map[string]Pos{}
	for _, u := range c.Upstream {
		if prev, dup := seenBefore(cmds, u.Command.Set(), u.Command.Value, u.Command.Pos); dup {
			d.errs = append(d.errs, Errorf(u.Command.Pos, "command %q is declared twice (first at %s)", u.Command.Value, prev))
		}
	}
	types := map[int64]Pos{}
	for _, m := range c.Downstream {
		if prev, dup := seenBefore(types, m.Type.Set(), m.Type.Value, m.Type.Pos); dup {
			d.errs = append(d.errs, Errorf(m.Type.Pos, "downstream type %d is declared twice (first at %s)", m.Type.Value, prev))
		}
	}
}

// seenBefore records key k at pos in seen and reports the position of an
// earlier k; an unset key is neither recorded nor reported.
func seenBefore[K comparable](seen map[K]Pos, set bool, k K, pos Pos) (Pos, bool) {
	if !set {
		return Pos{}, false
	}
	prev, dup := seen[k]
	seen[k] = pos
	return prev, dup
}
