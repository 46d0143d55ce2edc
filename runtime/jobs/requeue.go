package jobs

import (
	"errors"
	"slices"

	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// RequeueCodes are the Header.Code values that prove a create was refused
// without being processed, so sending it again cannot make a second task.
// The package doc gives the reasoning for each code of the catalogue.
var RequeueCodes = []core.Code{100008}

// RateLimitCodes are refusals the catalogue describes as "too frequent";
// they are not in RequeueCodes because the vendor has not confirmed they are
// refused before queueing (runtime-requirements §1.3 asks for that). Add
// them with Config.Requeue when you accept that risk.
var RateLimitCodes = []core.Code{801004, 100012}

// RejectedNotProcessed reports an error that proves the create was not
// processed: an *APIError whose code is in RequeueCodes, or a failure the
// runtime classifies as never sent (it returns *OutcomeUnknownError for
// every create that may have reached the gateway, RETRY-3).
func RejectedNotProcessed(err error) bool {
	var api *core.APIError
	if errors.As(err, &api) {
		return slices.Contains(RequeueCodes, api.Code)
	}
	return notSent(err)
}

// notSent reports a transport failure the runtime did not mark as outcome
// unknown: for a create, that means nothing reached the gateway.
func notSent(err error) bool {
	if errors.Is(err, core.ErrOutcomeUnknown) {
		return false
	}
	var te *core.TransportError
	return errors.As(err, &te)
}

// RequeueCodesIn returns a Requeue func accepting RejectedNotProcessed and
// also the given codes, e.g. RequeueCodesIn(RateLimitCodes...).
func RequeueCodesIn(codes ...core.Code) func(error) bool {
	return func(err error) bool {
		var api *core.APIError
		if errors.As(err, &api) && slices.Contains(codes, api.Code) {
			return true
		}
		return RejectedNotProcessed(err)
	}
}
