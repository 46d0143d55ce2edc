package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// generation is part 1: both generators as whole processes on the same
// APIs, each run into a fresh output location so that nothing is skipped
// as unchanged. Runs alternate between the two.
func (b *bench) generation() ([]row, error) {
	if b.oapi == "" {
		return []row{skipped("1", "generation time, full spec/")}, nil
	}
	var ours, theirs []time.Duration
	for i := range b.cfg.rounds + 1 { // the first round warms the page cache
		dir := filepath.Join(b.tmp, "gen", fmt.Sprint(i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		d1, err := timeRun(func() error {
			return runProcess(b.tmp, b.ivhgen, b.ivhgenArgs(filepath.Join(dir, "ivh"))...)
		})
		if err != nil {
			return nil, err
		}
		d2, err := timeRun(func() error { return b.runOapi(filepath.Join(dir, "oapi.go")) })
		if err != nil {
			return nil, err
		}
		if i > 0 {
			ours, theirs = append(ours, d1), append(theirs, d2)
		}
	}
	o, t := median(seconds(ours)), median(seconds(theirs))
	r := ratio(o, t)
	return []row{{
		item:    "1",
		measure: fmt.Sprintf("generation time, full spec/ (%d APIs), process; ours includes the typed fake", b.apis),
		ours:    fmtSeconds(o), other: "oapi-codegen " + fmtSeconds(t),
		ratio: fmtRatio(r), target: "≤ 0.5x", met: verdict(r <= 0.5),
	}}, nil
}

// timeRun is the wall time of f.
func timeRun(f func() error) (time.Duration, error) {
	start := time.Now()
	err := f()
	return time.Since(start), err
}

// skipped is the row of a part that needs oapi-codegen under -no-oapi.
func skipped(item, measure string) row {
	return row{item: item, measure: measure, ours: "skipped (-no-oapi)", met: "—"}
}
