package channel

// EventKind names what Config.OnEvent hears of.
type EventKind string

// The channel events.
const (
	EventLost        EventKind = "lost"        // the socket dropped; Err is the cause
	EventReconnected EventKind = "reconnected" // a redial succeeded; Attempt counts the tries
	EventClosed      EventKind = "closed"      // the channel ended; Err is the terminal error, nil after Close
)

// Event is one channel event. It never holds a secret: errors are the
// channel's own, which carry no query or token.
type Event struct {
	Kind    EventKind
	Attempt int
	Err     error
}
