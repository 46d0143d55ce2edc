// Package ivhotel traces and measures ivhgen clients with OpenTelemetry.
// It is a module of its own, so that clients that do not use it do not get
// its dependencies.
//
//	h, err := ivhotel.Hooks()        // the global providers, or WithTracerProvider / WithMeterProvider
//	client, err := ivh.NewClient(appKey, token, ivh.WithHooks(h))
//
// Spans: one per call (INTERNAL, named "<Service>.<API>"), a CLIENT child
// per HTTP attempt (named "<METHOD> <url.template>"), one per wait with an
// event per poll, one per session run (the generated RunSession methods)
// with an event per lifecycle step and channel drop or reconnect. They
// start under the span in the caller's context. Attributes follow the HTTP
// client semantic conventions where they fit (http.request.method,
// server.address, url.template, http.response.status_code,
// http.request.resend_count, error.type), never url.full, which would carry
// the signature; the ivh.* attributes add the API, RequestID, TaskId,
// Header.Code, fail code and attempt number.
//
// Metrics: ivh.client.calls and ivh.client.errors (by ivh.api and
// error.type), ivh.client.call.duration (seconds), ivh.client.retries,
// ivh.client.polls and ivh.client.sessions.open.
//
// Nothing recorded holds the access token, a signature or a query string:
// the hooks never see them.
package ivhotel
