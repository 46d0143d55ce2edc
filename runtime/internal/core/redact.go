package core

import (
	"encoding/json"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/ivhgen/ivhgen/runtime/internal/scrub"
)

// Every text a server controls passes through package scrub: the secrets
// of the call (token, header values, every signature sent, request URL
// queries) in any encoding, then secrets by shape, control characters and
// the length cap.

// shape removes secrets by shape (URL queries, signature= values).
func shape(s string) string { return scrub.Shape(s) }

// stripURL returns u without userinfo, query or fragment.
func stripURL(raw string) string { return scrub.URL(raw) }

// snippet returns at most 512 bytes of text as one scrubbed line, line
// breaks turned into spaces. It scrubs before it cuts, so a secret
// straddling the cut cannot leave a prefix behind.
func snippet(text string) string {
	return scrub.Line(strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, text)))
}

// callSecrets is what a call adds to the client's secrets: every
// signature it sent and the URL queries of its request body.
type callSecrets struct {
	sigs    []scrub.Set
	queries scrub.Set
	set     scrub.Set
	covers  int // signatures set covers
	built   bool
}

// secrets returns the scrubber of the call, rebuilt once per new
// signature: the client's secrets, the request's URL queries, every
// signature of the call and the client's recent ones (a server may echo
// an earlier call's, still a valid credential).
func (st *callState) secrets(c *Client) scrub.Set {
	cs := &st.sec
	if cs.built && cs.covers == len(cs.sigs) {
		return cs.set
	}
	if !cs.built {
		cs.queries = scrub.New(scrub.QueriesIn(st.body)...)
	}
	sets := make([]scrub.Set, 0, 2+len(cs.sigs)+recentSize)
	sets = append(append(sets, c.secrets, cs.queries), cs.sigs...)
	cs.set, cs.covers, cs.built = scrub.Join(c.recent().appendTo(sets)...), len(cs.sigs), true
	return cs.set
}

// noteSignature records the signature of a query about to be sent.
func (c *Client) noteSignature(st *callState, rawQuery string) {
	sig, err := url.QueryUnescape(signatureOf(rawQuery))
	if err != nil || sig == "" {
		return
	}
	set := scrub.New(sig)
	st.sec.sigs = append(st.sec.sigs, set)
	c.recent().add(&set)
}

// recentSigs remembers the client's last signatures, lock-free.
type recentSigs struct {
	next  atomic.Uint32
	slots [recentSize]atomic.Pointer[scrub.Set]
}

// recentSize is how many of the client's last signatures are scrubbed
// from every call's server text besides the call's own.
const recentSize = 16

func (r *recentSigs) add(s *scrub.Set) { r.slots[r.next.Add(1)%uint32(len(r.slots))].Store(s) }

func (r *recentSigs) appendTo(sets []scrub.Set) []scrub.Set {
	for i := range r.slots {
		if s := r.slots[i].Load(); s != nil {
			sets = append(sets, *s)
		}
	}
	return sets
}

// hideSecrets removes the call's secrets and secrets by shape from
// server-provided text, keeping its length and characters (JSON in Extra
// stays JSON); Error() caps and escapes.
func (c *Client) hideSecrets(st *callState, s string) string {
	return shape(st.secrets(c).Text(s))
}

// redactedError keeps a cause's chain but shows its text with the call's
// secrets removed: foreign error text (net/http's) may quote server bytes.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redactErr wraps err when its text holds a secret of the call.
func (c *Client) redactErr(st *callState, err error) error {
	text := err.Error()
	if clean := st.secrets(c).Text(text); clean != text {
		return &redactedError{msg: clean, err: err}
	}
	return err
}

// signatureOf returns the signature parameter of a raw query, still
// escaped, or "".
func signatureOf(rawQuery string) string {
	for rawQuery != "" {
		var kv string
		kv, rawQuery, _ = strings.Cut(rawQuery, "&")
		if v, ok := strings.CutPrefix(kv, "signature="); ok {
			return v
		}
	}
	return ""
}

// hideSecretsJSON is hideSecrets for raw JSON kept in an error: the
// scrubber replaces a secret in any encoding whole, so the JSON stays valid.
func (c *Client) hideSecretsJSON(st *callState, raw json.RawMessage) json.RawMessage {
	return json.RawMessage(c.hideSecrets(st, string(raw)))
}
