package ivhimpl

import (
	"context"

	"github.com/ivhgen/ivhgen/runtime/channel"
	"github.com/ivhgen/ivhgen/runtime/internal/core"
)

// DialChannel opens a command channel with c's gateway, appkey, access
// token, corrected clock, logger and HTTP client. The token goes only into
// the channel's signer: neither the Conn nor any error holds it.
func DialChannel(ctx context.Context, c *core.Client, spec ChannelSpec, opts ...core.ChannelOption) (*channel.Conn, error) {
	ep, s := core.EndpointOf(c, opts)
	cfg := channel.Config{
		BaseURL: ep.BaseURL, AppKey: ep.AppKey, AccessToken: ep.AccessToken,
		Path: spec.Path, SessionID: spec.SessionID, ExtraParams: spec.Signed, FreshParams: spec.Fresh, Flat: spec.Flat,
		SessionAlive: spec.SessionAlive, Clock: ep.Clock, Logger: ep.Logger, HTTPClient: ep.HTTPClient,
		Heartbeat: s.Heartbeat, MaxReconnects: s.MaxReconnects, Backoff: s.Backoff,
	}
	if s.Logger != nil {
		cfg.Logger = s.Logger
	}
	if ep.Observe == nil {
		return channel.Dial(ctx, cfg)
	}
	// Events outlive the dial: they keep its values (the trace) but not its end.
	octx := context.WithoutCancel(ctx)
	emit := func(k core.SessionEventKind, attempt int, err error) {
		ep.Observe(octx, &core.SessionEvent{Kind: k, SessionID: spec.SessionID, Attempt: attempt, Err: err})
	}
	cfg.OnEvent = func(e channel.Event) { emit(channelKinds[e.Kind], e.Attempt, e.Err) }
	conn, err := channel.Dial(ctx, cfg)
	if err == nil {
		emit(core.ChannelOpened, 0, nil)
	}
	return conn, err
}

var channelKinds = map[channel.EventKind]core.SessionEventKind{
	channel.EventLost: core.ChannelLost, channel.EventReconnected: core.ChannelReconnect, channel.EventClosed: core.ChannelClosed,
}

// SendCommand sends one upstream command for generated channel methods: a
// nil data becomes an empty Data object, validate (when not nil) checks it
// under the path "Data", and a fresh ReqId is filled in and returned.
func SendCommand[D any](ctx context.Context, conn *channel.Conn, command string, data *D, validate func(*D, *Violations, string)) (string, error) {
	if data == nil {
		data = new(D)
	}
	if validate != nil {
		var vs Violations
		validate(data, &vs, "Data")
		if err := vs.Err(); err != nil {
			return "", err
		}
	}
	reqID := channel.NewReqID()
	return reqID, conn.Send(ctx, command, reqID, data)
}

// SendFrame sends one flat upstream frame for generated flat-channel
// methods: a nil frame becomes an empty one, validate (when not nil) checks
// it under the path "Frame", and a fresh ReqId is put first and returned.
func SendFrame[F any](ctx context.Context, conn *channel.Conn, frame *F, validate func(*F, *Violations, string)) (string, error) {
	if frame == nil {
		frame = new(F)
	}
	if validate != nil {
		var vs Violations
		validate(frame, &vs, "Frame")
		if err := vs.Err(); err != nil {
			return "", err
		}
	}
	reqID := channel.NewReqID()
	return reqID, conn.SendFrame(ctx, reqID, frame)
}
