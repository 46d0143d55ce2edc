package main

// audience says who may use an exported identifier of package core.
type audience int

const (
	user     audience = iota + 1 // package ivhrt, and re-exported by generated packages
	userOnly                     // package ivhrt only: a generated package has its own
	impl                         // package ivhimpl: generated code only
	internal                     // neither: used by hand-written code under runtime/
)

// generatedOnly lists what only generated code calls. Every other exported
// identifier of core is user API unless listed in userOnly or internalOnly.
var generatedOnly = []string{
	// calls
	"Do", "Operation", "Validator", "CodeInfo", "WithCodes",
	// polling and paging
	"Wait", "WaitFor", "Waiter", "WaitTask", "HandleID", "TaskState", "TaskPending", "TaskSucceeded", "TaskFailed", "Pages", "Page",
	// callbacks
	"CallbackHandler", "CallbackHandlerOf", "SignedCallbackHandlerOf", "CallbackSignature",
	// validation
	"Violations", "Number", "Enum", "Min", "Max", "MinLength", "MaxLength", "MaxItems",
	"RequireString", "RequireItems", "KnownEnum", "Join", "Index", "Key", "IsZero",
	"MinExclusive", "MaxExclusive", "MinItems", "MaxBytes", "OneOf", "ExactlyOne", "AtMostOne", "MaxTotalItems",
	"FillRequestID", "NewRequestID",
	// sessions and channels
	"RunSession", "SessionSteps", "SessionConfig", "NewSessionConfig", "ChannelSpec",
	"SessionGone", "UnknownSessionStatus", "CreatedID",
	// JSON carried in strings
	"DecodeJSONText",
}

// userOnlyNames are user API that generated packages define for themselves.
var userOnlyNames = []string{"Client", "NewClient"}

// internalOnly are for the hand-written packages under runtime/ alone.
var internalOnly = []string{"ChannelEndpoint", "ChannelSettings", "EndpointOf", "DecodeTolerant"}

// audiences returns the audience of every listed name.
func audiences() map[string]audience {
	m := map[string]audience{}
	for _, n := range generatedOnly {
		m[n] = impl
	}
	for _, n := range userOnlyNames {
		m[n] = userOnly
	}
	for _, n := range internalOnly {
		m[n] = internal
	}
	return m
}

func audienceOf(m map[string]audience, name string) audience {
	if a, ok := m[name]; ok {
		return a
	}
	return user
}
