package main

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/internal/ivhbench/callbench"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

// workers is the number of goroutines calling at once in part 5.
const workers = 64

// loadResult is one throughput run of one side.
type loadResult struct {
	perSec   float64
	p50, p99 time.Duration
	errors   int
	leaked   int
	conns    int // connections the gateway accepted
}

// throughput is part 5: our client and a raw net/http loop (the stdlib
// baseline: sign, envelope, POST, decode) each make -calls calls to the
// in-process fake gateway with 64 goroutines. Both get a transport of the
// same settings, sized for 64 connections; runs alternate between them.
func (b *bench) throughput() ([]row, error) {
	gw, err := fakegw.Start(fakegw.WithCredentials(callbench.AppKey, callbench.AccessToken))
	if err != nil {
		return nil, err
	}
	defer gw.Close()
	fakegw.HandleFunc(gw, callbench.VideoMakePath, func(context.Context, *ivh.VideoMakeRequest) (*ivh.VideoMakeResponse, error) {
		return &ivh.VideoMakeResponse{TaskID: "t-1"}, nil
	})
	oursTr, rawTr := loadTransport(), loadTransport()
	ours, err := callbench.Ours(&http.Client{Transport: oursTr}, gw.URL())
	if err != nil {
		return nil, err
	}
	raw := callbench.Baseline(&http.Client{Transport: rawTr}, gw.URL())
	base := runtime.NumGoroutine()
	side := func(c callbench.Contender, tr *http.Transport, calls int) loadResult {
		before := gw.NewConnections()
		r := load(c.Call, calls, workers)
		r.conns = gw.NewConnections() - before
		tr.CloseIdleConnections()
		gw.ClearRequests()
		r.leaked = settle(base, 5*time.Second)
		return r
	}
	side(ours, oursTr, b.cfg.calls/4) // warm-up, not counted
	side(raw, rawTr, b.cfg.calls/4)
	var o, r []loadResult
	for range b.cfg.rounds {
		o = append(o, side(ours, oursTr, b.cfg.calls))
		r = append(r, side(raw, rawTr, b.cfg.calls))
	}
	return throughputRows(b.cfg.calls, o, r), nil
}

func loadTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = workers
	return t
}

// load makes calls calls of f from n goroutines and times each.
func load(f func() (string, error), calls, n int) loadResult {
	lat := make([]time.Duration, calls)
	var next, errs atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range n {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(calls); i = next.Add(1) - 1 {
				t := time.Now()
				id, err := f()
				lat[i] = time.Since(t)
				if err != nil || id != "t-1" {
					errs.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	return loadResult{perSec: float64(calls) / elapsed.Seconds(), p50: percentile(lat, 50), p99: percentile(lat, 99), errors: int(errs.Load())}
}

// settle waits until no more goroutines run than base, and returns how
// many are left over when the timeout passes first.
func settle(base int, timeout time.Duration) int {
	deadline := time.Now().Add(timeout)
	for {
		n := runtime.NumGoroutine()
		if n <= base || time.Now().After(deadline) {
			return max(n-base, 0)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func throughputRows(calls int, ours, raw []loadResult) []row {
	med := func(rs []loadResult, f func(loadResult) float64) float64 {
		xs := make([]float64, len(rs))
		for i, r := range rs {
			xs[i] = f(r)
		}
		return median(xs)
	}
	sum := func(rs []loadResult, f func(loadResult) int) (n int) {
		for _, r := range rs {
			n += f(r)
		}
		return n
	}
	rate := func(r loadResult) float64 { return r.perSec }
	p50 := func(r loadResult) float64 { return r.p50.Seconds() }
	p99 := func(r loadResult) float64 { return r.p99.Seconds() }
	errs := func(r loadResult) int { return r.errors }
	left := func(r loadResult) int { return r.leaked }
	conns := func(r loadResult) float64 { return float64(r.conns) }
	or, rr := med(ours, rate), med(raw, rate)
	g := ratio(or, rr)
	name := fmt.Sprintf("%d goroutines x %d calls to the fake gateway over loopback", workers, calls)
	oe, re, ol, rl := sum(ours, errs), sum(raw, errs), sum(ours, left), sum(raw, left)
	return []row{
		{item: "5", measure: name + ": calls/s", ours: fmt.Sprintf("%.0f/s", or), other: fmt.Sprintf("raw net/http %.0f/s", rr),
			ratio: fmtRatio(g), target: "≥ 0.8x", met: verdict(g >= 0.8)},
		{item: "5", measure: "  p50 latency", ours: fmtSeconds(med(ours, p50)), other: fmtSeconds(med(raw, p50)),
			ratio: fmtRatio(ratio(med(ours, p50), med(raw, p50))), target: "—", met: "—"},
		{item: "5", measure: "  p99 latency", ours: fmtSeconds(med(ours, p99)), other: fmtSeconds(med(raw, p99)),
			ratio: fmtRatio(ratio(med(ours, p99), med(raw, p99))), target: "—", met: "—"},
		{item: "5", measure: "  connections opened per run", ours: fmt.Sprintf("%.0f", med(ours, conns)), other: fmt.Sprintf("%.0f", med(raw, conns)),
			ratio: "—", target: "—", met: "—"},
		{item: "5", measure: "  errors (all runs)", ours: fmt.Sprint(oe), other: fmt.Sprint(re), ratio: "—", target: "0", met: verdict(oe == 0 && re == 0)},
		{item: "5", measure: "  goroutines left after each run (sum)", ours: fmt.Sprint(ol), other: fmt.Sprint(rl), ratio: "—", target: "0", met: verdict(ol == 0 && rl == 0)},
	}
}
