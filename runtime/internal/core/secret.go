package core

import (
	"fmt"
	"log/slog"

	"github.com/ivhgen/ivhgen/runtime/internal/scrub"
)

const redacted = scrub.Redacted

// Secret holds a credential (the access token) and never prints it: every
// fmt verb, %#v, JSON and slog show [REDACTED]. The value sits behind a
// closure, so printers that walk fields by reflection (fmt on a struct
// holding a Secret, testify's diff, spew) see only a func. Reveal is the
// only way out.
type Secret struct{ v func() string }

// NewSecret wraps s.
func NewSecret(s string) Secret { return Secret{v: func() string { return s }} }

// Reveal returns the wrapped value. Call it only to compute a signature.
func (s Secret) Reveal() string {
	if s.v == nil {
		return ""
	}
	return s.v()
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.Reveal() == "" }

// String returns "[REDACTED]".
func (Secret) String() string { return redacted }

// GoString returns "[REDACTED]" so %#v hides the value too.
func (Secret) GoString() string { return redacted }

// Format prints "[REDACTED]" under every verb.
func (Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalJSON encodes the secret as the string "[REDACTED]".
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText encodes the secret as "[REDACTED]".
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue makes slog print "[REDACTED]".
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }
