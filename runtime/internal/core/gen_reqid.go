package core

import (
	"crypto/rand"
	"encoding/hex"
)

// FillRequestID sets *id to a fresh request id when it is empty. Generated
// methods call it for descriptor fields marked `autofill: reqid` before the
// request is validated, so callers may leave such ids out.
func FillRequestID(id *string) {
	if *id == "" {
		*id = NewRequestID()
	}
}

// NewRequestID returns 32 random lower-case hex digits (a UUID without
// dashes), the form the aPaaS ReqId fields take.
func NewRequestID() string {
	b := uuid4()
	return hex.EncodeToString(b[:])
}

// uuid4 returns the 16 bytes of a random UUID version 4 from crypto/rand.
func uuid4() [16]byte {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return b
}
