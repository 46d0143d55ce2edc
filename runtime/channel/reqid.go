package channel

import "github.com/ivhgen/ivhgen/runtime/internal/reqid"

// NewReqID returns a fresh drive ID as the protocol wants it: 32 lowercase
// hex characters, no dashes, from crypto/rand.
func NewReqID() string { return reqid.Hex() }

// ValidReqID reports whether id is 32 lowercase hex characters.
func ValidReqID(id string) bool { return reqid.ValidHex(id) }
