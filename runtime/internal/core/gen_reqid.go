package core

import "github.com/ivhgen/ivhgen/runtime/internal/reqid"

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
func NewRequestID() string { return reqid.Hex() }
