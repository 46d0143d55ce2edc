// Package fakegw is an in-process aPaaS gateway for tests: it listens on
// httptest, checks every request the way the real gateway does, routes it
// to a handler by path, and records it. Generated packages build a typed
// layer on top of it (one handler per API, with simulated defaults); users
// can also use it directly:
//
//	gw := fakegw.New(t) // closed at t's cleanup
//	fakegw.HandleFunc(gw, "/v2/ivh/videomaker/broadcastservice/videomake",
//		func(ctx context.Context, req *VideoMakeRequest) (*VideoMakeResponse, error) {
//			return &VideoMakeResponse{TaskId: "t1"}, nil
//		})
//	client := newClient(gw.URL(), gw.AppKey(), gw.AccessToken())
//	gw.Inject("/v2/ivh/videomaker/broadcastservice/videomake", fakegw.CodeFault(100008, "busy"))
//	... // call, then assert on gw.Requests()
//
// # What it checks
//
// Every JSON call goes through, in order:
//
//  1. the method must be POST;
//  2. the query must carry appkey, timestamp and signature once each; the
//     appkey must be the configured one; the timestamp (Unix seconds) must
//     be within the skew window (default ±5 minutes) of the gateway's own
//     Clock; the signature must be the base64 HMAC-SHA256, keyed by the
//     access token, of the other query parameters sorted by key and joined
//     as k=v&k=v, and URL-encoded in the query (an unencoded '+' arrives as
//     a space and fails);
//  3. the body must be at most the size limit (default 10 MiB) and a JSON
//     object with a "Header" object and a "Payload" object; Header.RequestID,
//     when present, must be a string;
//  4. a handler must be registered for the path, matched exactly (no
//     cleaning of "//" or "..", no trailing-slash redirects).
//
// A failed check is answered, like everything the gateway says, with HTTP
// 200 and an error envelope {"Header":{"Code":c,"Message":m,"RequestID":id}}
// whose RequestID echoes the request's (or a generated one when it had
// none). The codes are:
//
//	100001 CodeBadParameter  bad method, missing/repeated/malformed query
//	                         parameter, bad envelope, body too large,
//	                         payload that fails strict decoding or Validate
//	100005 CodeUnauthorized  wrong appkey, timestamp outside the window,
//	                         signature mismatch
//	100009 CodeNotFound      no handler for the path
//	100000 CodeInternal      handler returned a plain error or panicked
//
// Every response carries a Date header from the gateway Clock, so a client
// that corrects its clock from Date sees the gateway's time.
//
// # Handlers and simulated flows
//
// Handle registers a Handler for a path; HandleFunc registers a typed
// function and decodes the Payload strictly. A handler returns a value for
// the Payload or an error; an *ErrorReply error becomes an error envelope.
// TaskStore and SessionStore simulate the create-then-poll flows
// (COMMIT → MAKING → SUCCESS across polls; session preparing → ready).
//
// # Recording and faults
//
// Requests returns every request with what the gateway did about it; a
// request is recorded before any byte of its reply is sent, so a client that
// has its answer can assert on the record at once. Inject and InjectGlobal
// queue Faults, used one per request in order, ahead of the checks above:
// error envelopes, HTTP errors with an HTML body, 429 with Retry-After,
// delays that end when the client gives up, dropped, reset or truncated
// connections, and a skewed Date header.
//
// Mount adds endpoints that are not JSON calls (a WebSocket channel, for
// example) to the same server; they call Authenticate themselves.
package fakegw
