package channel

import "fmt"

// Format prints c without its Config's access token, for every verb: a
// *Conn in a log line or a %+v dump must not reveal the credential.
func (c *Conn) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "channel.Conn{SessionID:%s Endpoint:%s Reconnects:%d}", c.cfg.SessionID, c.cfg.BaseURL+c.cfg.Path, c.Reconnects())
}

// String describes c without secrets.
func (c *Conn) String() string { return fmt.Sprint(c) }

// GoString is String, so %#v hides the token too.
func (c *Conn) GoString() string { return c.String() }
