// Package channeltest is a fake aPaaS command channel (D10) for tests.
//
// Handler is an http.Handler: it checks the signed query (appkey,
// requestid = SessionId, timestamp within 5 minutes, signature, verified
// with ivhrt.Sign), upgrades to a WebSocket with github.com/coder/websocket,
// records every upstream frame and checks it against the protocol (a
// violation is answered with a Type 9 message, code 100001), answers with
// speak statuses (DefaultResponder, or WithResponder), and lets a test Push
// frames (PushRaw for malformed ones), Drop connections and refuse
// handshakes per session (WithAdmit). WithFlat serves a flat channel (the
// driver channel, §6.8): frames are checked for a top-level ReqId instead,
// and the connection's requestid (fresh per handshake) keys Push and Drop.
// Every recorded frame carries its connection's signed query.
//
// Mount it anywhere, for example in a fake gateway:
//
//	h := channeltest.NewHandler(appKey, token, channeltest.WithAdmit(gw.admitSession))
//	mux.Handle(channel.CommandChannelPath, h)
//	defer h.Close()
//
// Serve it with httptest.NewServer, or, inside a testing/synctest bubble,
// with NewPipeNet, which needs no sockets:
//
//	p := channeltest.NewPipeNet(h)
//	defer p.Close()
//	conn, err := channel.Dial(ctx, channel.Config{BaseURL: channeltest.BaseURL,
//		HTTPClient: p.Client(), AppKey: appKey, AccessToken: token, SessionID: id})
package channeltest
