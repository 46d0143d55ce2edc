// Package channel is the WebSocket command channel of an interactive
// digital-human session (aPaaS D10, apaas-api.md §6): a signed connection
// that carries SEND_TEXT, SEND_AUDIO, SEND_STREAMTEXT and SEND_HEARTBEAT up,
// and speak statuses, LLM content and drive failures down.
//
// Dial signs the URL (appkey, requestid = the SessionId, timestamp,
// signature) and opens the socket with github.com/coder/websocket. The Conn
// then
//   - sends any command with Send(ctx, command, reqID, data), wrapping it in
//     {"Header":{},"Payload":{ReqId,SessionId,Command,Data}}; NewReqID makes
//     the 32-hex-character ReqId the protocol wants. SendText, Interrupt,
//     SendAudio (paced PCM) and StreamText (LLM output piece by piece) are
//     built on it;
//   - receives with Recv or Messages. Flat frames and {"Header","Payload"}
//     frames are both accepted; every well-formed frame is delivered, whatever
//     its Type, with typed decoding on demand (Message.Downstream,
//     Message.Decode, Message.Err); a malformed frame is a *FrameError and the
//     channel carries on;
//   - sends SEND_HEARTBEAT {"Text":"PING"} every Config.Heartbeat (30 s to
//     10 min, default 60 s);
//   - when the socket drops, asks Config.SessionAlive and, while the session
//     lives, redials with backoff and a fresh signature; Sends wait for it. If
//     the session has ended, Recv and Send return an error matching
//     ErrSessionEnded. After a reconnect the gateway re-sends the speak
//     statuses of the last three drives, so expect repeats.
//
// A Config.Flat channel (the client-side rendering driver channel, §6.8)
// sends flat frames with SendFrame ({"ReqId":…, <the frame's fields>}),
// needs no SessionID and sends no heartbeat; Config.FreshParams names
// signed parameters (its requestid) that get a fresh NewReqID at every
// handshake. Reading, pings and reconnects work as above.
//
// Close stops everything the Conn started; it does not close the session
// (that is the session helper's job, and it costs money while open).
//
// Errors never contain the access token or the signed query: a failed
// handshake is a *DialError whose URL is scheme, host and path only.
//
// The generated client wraps this package: its Open...(ctx, sessionID) fills
// Config from the client and backs SessionAlive with statsession, and its
// typed Send... methods call Send. Package channeltest is a fake endpoint to
// test against.
//
// Usage:
//
//	conn, err := channel.Dial(ctx, channel.Config{
//		BaseURL: "https://gw-sg.tvs.qq.com", AppKey: appKey, AccessToken: token,
//		SessionID: sessionID,
//		SessionAlive: func(ctx context.Context) (bool, error) { ... statsession ... },
//	})
//	if err != nil {
//		return err
//	}
//	defer conn.Close()
//	if _, err := conn.SendText(ctx, "Hello!"); err != nil {
//		return err
//	}
//	for m, err := range conn.Messages(ctx) {
//		if err != nil {
//			return err // *FrameError values can be logged and skipped instead
//		}
//		d, _ := m.Downstream()
//		fmt.Println(m.Type, d.SpeakStatus)
//	}
package channel
