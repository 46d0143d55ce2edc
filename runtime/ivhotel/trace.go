package ivhotel

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// The ivh.* attribute keys.
const (
	KeyAPI             = attribute.Key("ivh.api")
	KeyService         = attribute.Key("ivh.service")
	KeyRequestID       = attribute.Key("ivh.request_id")
	KeyServerRequestID = attribute.Key("ivh.server_request_id")
	KeyIdempotent      = attribute.Key("ivh.idempotent")
	KeyTaskID          = attribute.Key("ivh.task_id")
	KeySessionID       = attribute.Key("ivh.session_id")
	KeyCode            = attribute.Key("ivh.code") // Header.Code
	KeyFailCode        = attribute.Key("ivh.fail_code")
	KeyAttempt         = attribute.Key("ivh.attempt")
	KeyAttempts        = attribute.Key("ivh.attempts")
	KeyRetry           = attribute.Key("ivh.retry")
	KeyRetryReason     = attribute.Key("ivh.retry.reason")
	KeyBackoff         = attribute.Key("ivh.retry.backoff")   // seconds
	KeySkewCorrection  = attribute.Key("ivh.skew_correction") // seconds
	KeyWaiter          = attribute.Key("ivh.waiter")
	KeyPoll            = attribute.Key("ivh.poll")
	KeyStatus          = attribute.Key("ivh.status")
	KeyProgress        = attribute.Key("ivh.progress")
	KeyQueue           = attribute.Key("ivh.queue")
	KeyState           = attribute.Key("ivh.state") // pending, succeeded, failed
)

type tracer struct {
	t trace.Tracer
	m *meters
}

func httpAttrs(c *ivhrt.CallInfo) []attribute.KeyValue {
	return []attribute.KeyValue{semconv.HTTPRequestMethodKey.String(c.Method),
		semconv.ServerAddress(c.Host), semconv.URLTemplate(c.Path)}
}

func (t *tracer) callStart(ctx context.Context, c *ivhrt.CallInfo) context.Context {
	attrs := append(httpAttrs(c), KeyAPI.String(c.API), KeyService.String(c.Service),
		KeyRequestID.String(c.RequestID), KeyIdempotent.Bool(c.Idempotent))
	ctx, _ = t.t.Start(ctx, c.Service+"."+c.API, trace.WithSpanKind(trace.SpanKindInternal), trace.WithAttributes(attrs...))
	return ctx
}

func (t *tracer) callEnd(ctx context.Context, c *ivhrt.CallInfo, r *ivhrt.CallResult) {
	span := trace.SpanFromContext(ctx)
	span.SetAttributes(KeyAttempts.Int(r.Attempts))
	setIf(span, KeyServerRequestID, r.ServerRequestID)
	setIf(span, KeyTaskID, r.TaskID)
	if r.Code != 0 {
		span.SetAttributes(KeyCode.Int(int(r.Code)))
	}
	fail(span, r.Err, r.Category)
	span.End()
	t.m.call(ctx, c, r)
}

func (t *tracer) attemptStart(ctx context.Context, c *ivhrt.CallInfo, n int) context.Context {
	attrs := append(httpAttrs(c), KeyAPI.String(c.API), KeyAttempt.Int(n))
	if n > 1 {
		attrs = append(attrs, semconv.HTTPRequestResendCount(n-1))
	}
	ctx, _ = t.t.Start(ctx, c.Method+" "+c.Path, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	return ctx
}

func (t *tracer) attemptEnd(ctx context.Context, c *ivhrt.CallInfo, a *ivhrt.AttemptInfo) {
	span := trace.SpanFromContext(ctx)
	if a.Status != 0 {
		span.SetAttributes(semconv.HTTPResponseStatusCode(a.Status))
	}
	if a.Code != 0 {
		span.SetAttributes(KeyCode.Int(int(a.Code)))
	}
	setIf(span, KeyServerRequestID, a.ServerRequestID)
	setIf(span, KeyRetryReason, a.Reason)
	span.SetAttributes(KeyRetry.Bool(a.Retry), KeySkewCorrection.Float64(a.SkewCorrection.Seconds()))
	if a.Retry {
		span.SetAttributes(KeyBackoff.Float64(a.Backoff.Seconds()))
		t.m.retry(ctx, c, a)
	}
	fail(span, a.Err, a.Category)
	span.End()
}

func (t *tracer) waitStart(ctx context.Context, w *ivhrt.WaitInfo) context.Context {
	ctx, _ = t.t.Start(ctx, w.Waiter, trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(KeyWaiter.String(w.Waiter), KeyAPI.String(w.API), KeyTaskID.String(w.ID)))
	return ctx
}

func (t *tracer) poll(ctx context.Context, w *ivhrt.WaitInfo, p *ivhrt.PollInfo) {
	attrs := []attribute.KeyValue{KeyPoll.Int(p.Poll), KeyStatus.String(p.Status), KeyState.String(p.State.String())}
	if p.Progress >= 0 {
		attrs = append(attrs, KeyProgress.Int(p.Progress))
	}
	if p.Queue >= 0 {
		attrs = append(attrs, KeyQueue.Int(p.Queue))
	}
	if p.Err != nil {
		attrs = append(attrs, semconv.ErrorTypeKey.String(ivhrt.ErrorCategory(p.Err)))
	}
	trace.SpanFromContext(ctx).AddEvent("poll", trace.WithAttributes(attrs...))
	t.m.poll(ctx, w)
}

func (t *tracer) waitEnd(ctx context.Context, w *ivhrt.WaitInfo, err error) {
	span := trace.SpanFromContext(ctx)
	var tf *ivhrt.TaskFailedError
	if asTaskFailed(err, &tf) {
		span.SetAttributes(KeyFailCode.Int(int(tf.FailCode)))
	}
	fail(span, err, ivhrt.ErrorCategory(err))
	span.End()
}

func (t *tracer) session(ctx context.Context, e *ivhrt.SessionEvent) context.Context {
	if e.Kind == ivhrt.SessionBegin {
		ctx, _ = t.t.Start(ctx, "Session", trace.WithSpanKind(trace.SpanKindInternal))
		return ctx
	}
	span := trace.SpanFromContext(ctx)
	attrs := []attribute.KeyValue{}
	if e.Attempt > 0 {
		attrs = append(attrs, KeyAttempt.Int(e.Attempt))
	}
	if e.Err != nil {
		attrs = append(attrs, semconv.ErrorTypeKey.String(category(e.Err)))
	}
	span.AddEvent(string(e.Kind), trace.WithAttributes(attrs...))
	switch e.Kind {
	case ivhrt.SessionCreated:
		span.SetAttributes(KeySessionID.String(e.SessionID))
		t.m.sessions.Add(ctx, 1)
	case ivhrt.SessionClosed:
		if e.SessionID != "" {
			t.m.sessions.Add(ctx, -1)
		}
		fail(span, e.Err, category(e.Err))
		span.End()
	}
	return nil
}

// category is ErrorCategory, with "channel" for the channel's own errors.
func category(err error) string {
	if c := ivhrt.ErrorCategory(err); c != "other" {
		return c
	}
	return "channel"
}

func setIf(span trace.Span, k attribute.Key, v string) {
	if v != "" {
		span.SetAttributes(k.String(v))
	}
}

// fail marks a span failed; err's text is scrubbed by the runtime.
func fail(span trace.Span, err error, cat string) {
	if err == nil {
		return
	}
	span.SetAttributes(semconv.ErrorTypeKey.String(cat))
	span.SetStatus(codes.Error, err.Error())
}
