package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"

	"github.com/ivhgen/ivhgen/internal/ivhbench/callbench"
)

// perCall is part 4: one VideoMake call through an in-memory RoundTripper.
// With oapi-codegen, all three contenders run in the program of the
// temporary module; under -no-oapi, ours and the baseline run here.
func (b *bench) perCall() ([]row, error) {
	var res map[string][]callbench.Sample
	var err error
	if b.mod != "" {
		res, err = b.runCallProgram()
	} else {
		res, err = inProcessCalls(b.cfg.rounds)
	}
	if err != nil {
		return nil, err
	}
	return perCallRows(res)
}

func (b *bench) runCallProgram() (map[string][]callbench.Sample, error) {
	bin := filepath.Join(b.tmp, "bin", "callprog")
	if _, err := b.goRun(b.mod, modEnv, "build", "-o", bin, "./callprog"); err != nil {
		return nil, err
	}
	cmdOut, err := outputOf(b.mod, bin, "-rounds", fmt.Sprint(b.cfg.rounds))
	if err != nil {
		return nil, err
	}
	var res map[string][]callbench.Sample
	if err := json.Unmarshal(cmdOut, &res); err != nil {
		return nil, fmt.Errorf("callprog: %w", err)
	}
	return res, nil
}

func inProcessCalls(rounds int) (map[string][]callbench.Sample, error) {
	hc := &http.Client{Transport: callbench.MemTransport{}}
	ours, err := callbench.Ours(hc, callbench.BaseURL)
	if err != nil {
		return nil, err
	}
	return callbench.Rounds([]callbench.Contender{ours, callbench.Baseline(hc, callbench.BaseURL)}, rounds)
}

// perCallRows compares ivhgen with the baseline (target 1.25x on ns/op)
// and, when measured, with oapi-codegen (target: ahead on ns/op).
func perCallRows(res map[string][]callbench.Sample) ([]row, error) {
	ours, ok := res["ivhgen"]
	if !ok {
		return nil, fmt.Errorf("no samples of ivhgen")
	}
	var rows []row
	for _, cmp := range []struct {
		name, target string
		met          func(r float64) bool
	}{
		{"stdlib", "≤ 1.25x", func(r float64) bool { return r <= 1.25 }},
		{"oapi-codegen", "< 1x", func(r float64) bool { return r < 1 }},
	} {
		other, ok := res[cmp.name]
		if !ok {
			continue
		}
		label := cmp.name
		if label == "stdlib" {
			label = "hand-written stdlib"
		}
		rows = append(rows, callRows(label, ours, other, cmp.target, cmp.met)...)
	}
	return rows, nil
}

func callRows(label string, ours, other []callbench.Sample, target string, met func(float64) bool) []row {
	pick := func(s []callbench.Sample, f func(callbench.Sample) float64) float64 {
		xs := make([]float64, len(s))
		for i, x := range s {
			xs[i] = f(x)
		}
		return median(xs)
	}
	ns := func(s callbench.Sample) float64 { return s.NsPerOp }
	by := func(s callbench.Sample) float64 { return s.BytesPerOp }
	al := func(s callbench.Sample) float64 { return s.AllocsPerOp }
	on, tn := pick(ours, ns), pick(other, ns)
	ob, tb := pick(ours, by), pick(other, by)
	oa, ta := pick(ours, al), pick(other, al)
	r := ratio(on, tn)
	return []row{
		{item: "4", measure: "VideoMake call, in-memory RoundTripper: ns/op vs " + label,
			ours: fmt.Sprintf("%.0f ns", on), other: fmt.Sprintf("%s %.0f ns", label, tn), ratio: fmtRatio(r), target: target, met: verdict(met(r))},
		{item: "4", measure: "  B/op, allocs/op vs " + label,
			ours: fmt.Sprintf("%.0f B, %.0f allocs", ob, oa), other: fmt.Sprintf("%.0f B, %.0f allocs", tb, ta),
			ratio: fmtRatio(ratio(ob, tb)) + ", " + fmtRatio(ratio(oa, ta)), target: "—", met: "—"},
	}
}
