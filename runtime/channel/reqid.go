package channel

import (
	"crypto/rand"
	"encoding/hex"
)

// NewReqID returns a fresh drive ID as the protocol wants it: 32 lowercase
// hex characters, no dashes, from crypto/rand.
func NewReqID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails since Go 1.24 (it crashes the program instead)
	return hex.EncodeToString(b[:])
}

// ValidReqID reports whether id is 32 lowercase hex characters.
func ValidReqID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
