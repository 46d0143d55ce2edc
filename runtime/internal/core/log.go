package core

import (
	"context"
	"log/slog"
)

// Logging (LOG-2) records metadata only: never the token, the signature,
// a query string, header values or bodies. The logger is one user of the
// hooks: WithLogger installs loggerHooks, so a client without a logger or
// hooks pays nothing.

func loggerHooks(l *slog.Logger) Hooks {
	return Hooks{AttemptEnd: func(_ context.Context, ci *CallInfo, a *AttemptInfo) { logAttempt(l, ci, a) }}
}

func logAttempt(l *slog.Logger, ci *CallInfo, a *AttemptInfo) {
	ctx := context.Background()
	if a.ServerRequestID != "" && a.ServerRequestID != ci.RequestID {
		l.LogAttrs(ctx, slog.LevelDebug, "apaas request id mismatch",
			slog.String("op", ci.API), slog.String("request_id", ci.RequestID), slog.String("server_request_id", a.ServerRequestID))
	}
	switch {
	case a.Status == 0 && a.Err != nil:
		l.LogAttrs(ctx, slog.LevelDebug, "apaas transport error",
			slog.String("op", ci.API), slog.String("host", ci.Host), slog.String("path", ci.Path),
			slog.Int("attempt", a.Attempt), slog.String("request_id", ci.RequestID), slog.String("error", errString(a.Err)))
	case l.Enabled(ctx, slog.LevelDebug):
		l.LogAttrs(ctx, slog.LevelDebug, "apaas attempt", attemptAttrs(ci, a)...)
	}
	if a.Retry {
		l.LogAttrs(ctx, slog.LevelInfo, "apaas retry",
			slog.String("op", ci.API), slog.Int("attempt", a.Attempt), slog.String("request_id", ci.RequestID),
			slog.String("reason", a.Reason), slog.Duration("delay", a.Backoff))
	}
}

func attemptAttrs(ci *CallInfo, a *AttemptInfo) []slog.Attr {
	attrs := []slog.Attr{
		slog.String("op", ci.API), slog.String("method", ci.Method),
		slog.String("host", ci.Host), slog.String("path", ci.Path),
		slog.Int("attempt", a.Attempt), slog.String("request_id", ci.RequestID),
		slog.Int("status", a.Status), slog.Duration("duration", a.Duration),
	}
	if a.Code != 0 {
		attrs = append(attrs, slog.Int("code", int(a.Code)))
	}
	if a.Err != nil {
		attrs = append(attrs, slog.String("outcome", a.Category))
	}
	return attrs
}

// checkRequestID records the RequestID a response carried; the hooks
// (the logger among them) report one that differs from ours.
func (c *Client) checkRequestID(st *callState, got string) { st.noteServerID(got) }
