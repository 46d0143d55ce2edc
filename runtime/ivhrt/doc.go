// Package ivhrt is the user API of the runtime under every ivhgen-generated
// client: client options, call, wait and session options, optional values
// (Opt, Of), the signing helpers and the error types.
//
// Most programs never import it: every generated package re-exports these
// names (ivh.WithTimeout, ivh.Of, ivh.APIError, ...), and they are
// identical types. Import ivhrt to write code that serves several generated
// packages at once. It follows semantic versioning with the module.
//
// The package links no WebSocket library: interactive session channels live
// in package channel and are opened by generated code.
//
// Credentials: FromEnv is the one helper that reads the environment
// (IVH_APPKEY, IVH_ACCESS_TOKEN and optionally IVH_ENDPOINT: "international",
// "mainland" or a base URL). The access token is kept in a Secret, which
// prints as [REDACTED]; the signature is treated as a secret too, so no
// error string or log record ever holds a query string.
//
// Retries: idempotent operations retry transient failures (3 attempts,
// jittered backoff, Retry-After up to 30 s, a per-client retry budget).
// Operations that create work are retried only after failures that prove
// the server processed nothing; any other failure returns an
// *OutcomeUnknownError carrying the RequestID, never a silent duplicate.
//
// Connections: clients built without WithProxy, WithTLSConfig,
// WithHTTPClient or WithDoer share one default transport, so a dropped
// client leaves no pool of its own behind. Client.Close makes later calls
// fail with ErrClientClosed and releases the idle connections of a
// transport the client built for itself.
//
// Sessions: generated Run methods close the session on every way out (a
// *SessionCloseError when that fails); tune them with SessionOption values
// (WithChannelOptions, WithSessionWait, WithCloseTimeout) and their command
// channels with ChannelOption values (WithHeartbeat, WithReconnect,
// WithChannelLogger).
package ivhrt

//go:generate go run ../internal/facadegen -root ../..
