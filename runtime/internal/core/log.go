package core

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/ivhgen/ivhgen/runtime/internal/scrub"
)

// Logging (LOG-2) records metadata only: never the token, the signature,
// a query string, header values or bodies. Every helper is a no-op without
// a logger, so the hot path pays nothing.

func (c *Client) logAttempt(st *callState, req *http.Request, status int, r result, took time.Duration) {
	if c.logger == nil || !c.logger.Enabled(context.Background(), slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("op", st.op.Name), slog.String("method", req.Method),
		slog.String("host", req.URL.Host), slog.String("path", req.URL.Path),
		slog.Int("attempt", st.attempts), slog.String("request_id", st.requestID),
		slog.Int("status", status), slog.Duration("duration", took),
	}
	var ae *APIError
	if errors.As(r.err, &ae) {
		attrs = append(attrs, slog.Int("code", int(ae.Code)))
	}
	if r.err != nil {
		attrs = append(attrs, slog.String("outcome", r.class.String()))
	}
	c.logger.LogAttrs(context.Background(), slog.LevelDebug, "apaas attempt", attrs...)
}

func (c *Client) logTransport(st *callState, err error) {
	if c.logger == nil {
		return
	}
	c.logger.LogAttrs(context.Background(), slog.LevelDebug, "apaas transport error",
		slog.String("op", st.op.Name), slog.String("host", c.base.Host), slog.String("path", c.base.Path+st.op.Path),
		slog.Int("attempt", st.attempts), slog.String("request_id", st.requestID),
		slog.String("error", errString(err)))
}

func (c *Client) logRetry(st *callState, reason string, delay time.Duration) {
	if c.logger == nil {
		return
	}
	c.logger.LogAttrs(context.Background(), slog.LevelInfo, "apaas retry",
		slog.String("op", st.op.Name), slog.Int("attempt", st.attempts), slog.String("request_id", st.requestID),
		slog.String("reason", reason), slog.Duration("delay", delay))
}

// checkRequestID logs a server RequestID that differs from ours.
func (c *Client) checkRequestID(st *callState, got string) {
	if c.logger == nil || got == "" || got == st.requestID {
		return
	}
	c.logger.LogAttrs(context.Background(), slog.LevelDebug, "apaas request id mismatch",
		slog.String("op", st.op.Name), slog.String("request_id", st.requestID), slog.String("server_request_id", scrub.Line(got)))
}
