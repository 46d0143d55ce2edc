package ivhotel

import (
	"context"
	"errors"

	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"

	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

type meters struct {
	calls, errs, retries, polls metric.Int64Counter
	duration                    metric.Float64Histogram
	sessions                    metric.Int64UpDownCounter
}

func newMeters(m metric.Meter) (*meters, error) {
	var ms meters
	var errs [6]error
	ms.calls, errs[0] = m.Int64Counter("ivh.client.calls", metric.WithDescription("API calls made"), metric.WithUnit("{call}"))
	ms.errs, errs[1] = m.Int64Counter("ivh.client.errors", metric.WithDescription("API calls that failed, by error.type"), metric.WithUnit("{call}"))
	ms.retries, errs[2] = m.Int64Counter("ivh.client.retries", metric.WithDescription("HTTP attempts retried"), metric.WithUnit("{retry}"))
	ms.polls, errs[3] = m.Int64Counter("ivh.client.polls", metric.WithDescription("waiter polls"), metric.WithUnit("{poll}"))
	ms.duration, errs[4] = m.Float64Histogram("ivh.client.call.duration", metric.WithDescription("call latency, retries included"), metric.WithUnit("s"))
	ms.sessions, errs[5] = m.Int64UpDownCounter("ivh.client.sessions.open", metric.WithDescription("sessions created and not yet closed"), metric.WithUnit("{session}"))
	return &ms, errors.Join(errs[:]...)
}

func (m *meters) call(ctx context.Context, c *ivhrt.CallInfo, r *ivhrt.CallResult) {
	api := metric.WithAttributes(KeyAPI.String(c.API))
	m.calls.Add(ctx, 1, api)
	m.duration.Record(ctx, r.Duration.Seconds(), api)
	if r.Err != nil {
		m.errs.Add(ctx, 1, metric.WithAttributes(KeyAPI.String(c.API), semconv.ErrorTypeKey.String(r.Category)))
	}
}

func (m *meters) retry(ctx context.Context, c *ivhrt.CallInfo, a *ivhrt.AttemptInfo) {
	m.retries.Add(ctx, 1, metric.WithAttributes(KeyAPI.String(c.API), KeyRetryReason.String(a.Reason)))
}

func (m *meters) poll(ctx context.Context, w *ivhrt.WaitInfo) {
	m.polls.Add(ctx, 1, metric.WithAttributes(KeyWaiter.String(w.Waiter), KeyAPI.String(w.API)))
}
