package descriptor

import "gopkg.in/yaml.v3"

// envelopeChannel checks what an envelope channel needs: a wire command on
// every upstream entry, at least one downstream type, and requestid signed
// as the session id.
func (d *decoder) envelopeChannel(n *yaml.Node, c *Channel, seen map[string]*yaml.Node) {
	d.require(n, label("channel", c.Name.Value), seen, "downstream")
	for _, u := range c.Upstream {
		switch {
		case u.Name.Set():
			d.errs = append(d.errs, Errorf(u.Name.Pos, "name is for the frame of a flat channel; an envelope channel's upstream entry names its wire command with command: (and goName: for the method)"))
		case u.keys != nil && u.keys["command"] == nil:
			d.errs = append(d.errs, Errorf(u.Pos, "%s is missing the required key \"command\"", label("command", "")))
		}
	}
	for _, p := range c.Signed {
		if p.Name.Value == "requestid" && p.Value.Set() && p.Value.Value != SignedSessionID {
			d.errs = append(d.errs, Errorf(p.Value.Pos, "an envelope channel signs requestid as the session id; use value: %s, or frame: flat for a channel without a session", SignedSessionID))
		}
	}
}

// flatChannel checks what a flat channel cannot have: Command names (its
// frames carry none, so one frame type is all a server can tell apart), a
// session, or a session id to sign.
func (d *decoder) flatChannel(c *Channel) {
	for i, u := range c.Upstream {
		switch {
		case u.Command.Set():
			d.errs = append(d.errs, Errorf(u.Command.Pos, "a flat channel's frames carry no Command; name the frame with name: (e.g. name: %s) instead of command:", flatHint(u)))
		case u.GoName.Set():
			d.errs = append(d.errs, Errorf(u.GoName.Pos, "goName is for envelope commands; a flat frame's name: is its Go method already"))
		case u.keys != nil && u.keys["name"] == nil:
			d.errs = append(d.errs, Errorf(u.Pos, "flat frame is missing the required key \"name\""))
		}
		if i == 1 {
			d.errs = append(d.errs, Errorf(u.Pos, "a flat channel has exactly one upstream frame type: frames carry no Command to tell several apart; merge the fields into the first"))
		}
	}
	if c.Session != nil {
		d.errs = append(d.errs, Errorf(c.Session.Pos, "a flat channel has no session id, so it cannot have session:; use frame: envelope for a session's command channel"))
	}
	for _, p := range c.Signed {
		if p.Value.Value == SignedSessionID {
			d.errs = append(d.errs, Errorf(p.Value.Pos, "a flat channel is opened without a session id; sign %q with value: %s (a fresh id per handshake)", p.Name.Value, SignedReqID))
		}
	}
}

// flatHint is a method name for a frame misdeclared with command:.
func flatHint(u *Command) string {
	if u.GoName.Set() {
		return u.GoName.Value
	}
	return "Drive"
}
