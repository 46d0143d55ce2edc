package main

import (
	"strings"
	"testing"
	"time"

	"github.com/ivhgen/ivhgen/internal/ivhbench/callbench"
)

func TestScaleRowsTargets(t *testing.T) {
	samples := map[int][]scaleSample{
		1000: {{time.Second, 60e6, time.Second}, {900 * time.Millisecond, 61e6, 2 * time.Second}, {2 * time.Second, 59e6, 3 * time.Second}},
		4000: {{3 * time.Second, 190e6, 7 * time.Second}, {5 * time.Second, 200e6, 7 * time.Second}, {3500 * time.Millisecond, 210e6, 8 * time.Second}},
	}
	rows := scaleRows([]int{1000, 4000}, samples)
	if len(rows) != 3 {
		t.Fatalf("%d rows, want one per size and the growth row", len(rows))
	}
	if rows[0].ours != "1.00 s, 60 MB (2.00 s)" || rows[0].target != "—" {
		t.Errorf("1000 row: %+v", rows[0])
	}
	if rows[1].ours != "3.50 s, 200 MB (7.00 s)" || rows[1].met != "yes" {
		t.Errorf("4000 row: %+v (medians 3.5 s and 200 MB meet < 4 s, < 500 MB)", rows[1])
	}
	if rows[2].ratio != "3.50x (3.50x)" || rows[2].met != "yes" {
		t.Errorf("growth row: %+v", rows[2])
	}
	samples[4000] = []scaleSample{{5 * time.Second, 100e6, 0}}
	rows = scaleRows([]int{1000, 4000}, samples)
	if rows[1].met != "NO" || rows[2].met != "NO" {
		t.Errorf("5 s for 4000 (5x of 1000) met a target: %+v %+v", rows[1], rows[2])
	}
	samples[4000] = []scaleSample{{time.Second, 600e6, 0}}
	if rows = scaleRows([]int{1000, 4000}, samples); rows[1].met != "NO" {
		t.Errorf("600 MB met < 500 MB: %+v", rows[1])
	}
}

func TestPerCallRows(t *testing.T) {
	s := func(ns, b, a float64) callbench.Sample {
		return callbench.Sample{NsPerOp: ns, BytesPerOp: b, AllocsPerOp: a}
	}
	res := map[string][]callbench.Sample{
		"ivhgen":       {s(1200, 4000, 60), s(1100, 4000, 60), s(5000, 4000, 60)},
		"stdlib":       {s(1000, 3000, 50), s(1000, 3000, 50), s(1000, 3000, 50)},
		"oapi-codegen": {s(1100, 6000, 80), s(1100, 6000, 80), s(1100, 6000, 80)},
	}
	rows, err := perCallRows(res)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 2 per comparison", len(rows))
	}
	if rows[0].ratio != "1.20x" || rows[0].met != "yes" || !strings.Contains(rows[0].other, "stdlib 1000 ns") {
		t.Errorf("baseline row: %+v", rows[0])
	}
	if rows[1].ours != "4000 B, 60 allocs" || rows[1].ratio != "1.33x, 1.20x" {
		t.Errorf("baseline memory row: %+v", rows[1])
	}
	if rows[2].ratio != "1.09x" || rows[2].met != "NO" {
		t.Errorf("oapi row: %+v (1200 vs 1100 is behind)", rows[2])
	}
	delete(res, "oapi-codegen")
	if rows, _ := perCallRows(res); len(rows) != 2 {
		t.Errorf("without oapi-codegen: %d rows, want 2", len(rows))
	}
	if _, err := perCallRows(map[string][]callbench.Sample{"stdlib": res["stdlib"]}); err == nil {
		t.Error("no error without ivhgen samples")
	}
}

func TestThroughputRows(t *testing.T) {
	ours := []loadResult{{perSec: 900}, {perSec: 800}, {perSec: 850, errors: 1}}
	raw := []loadResult{{perSec: 1000}, {perSec: 1000, leaked: 2}, {perSec: 1000}}
	rows := throughputRows(1000, ours, raw)
	if rows[0].ratio != "0.85x" || rows[0].met != "yes" {
		t.Errorf("calls/s row: %+v", rows[0])
	}
	if rows[4].ours != "1" || rows[4].met != "NO" {
		t.Errorf("errors row: %+v", rows[4])
	}
	if rows[5].other != "2" || rows[5].met != "NO" {
		t.Errorf("goroutines row: %+v", rows[5])
	}
}
