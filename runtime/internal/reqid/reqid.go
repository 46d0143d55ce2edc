// Package reqid makes the random ids of the protocol: the RequestID of an
// envelope (a UUID) and the ReqId of a command or an autofilled field (the
// same 16 random bytes as 32 lower-case hex digits). One source serves the
// HTTP core and the channel.
package reqid

import (
	"crypto/rand"
	"encoding/hex"
)

// UUID4 returns the 16 bytes of a random UUID version 4 from crypto/rand.
func UUID4() [16]byte {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return b
}

// Hex returns a fresh UUID as 32 lower-case hex digits, no dashes.
func Hex() string {
	b := UUID4()
	return hex.EncodeToString(b[:])
}

// ValidHex reports whether id is 32 lower-case hex digits.
func ValidHex(id string) bool {
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
