package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/ivhgen/ivhgen/generator"
)

// scaleResult is what a scale child reports.
type scaleResult struct {
	Nanos int64 `json:"ns"`
	Files int   `json:"files"`
	Bytes int   `json:"bytes"`
}

// profiles names the profile files a scale child writes ("" for none).
type profiles struct{ cpu, mem string }

// scaleChild generates n synthetic APIs in this process and prints the
// time of generator.Generate alone (building the YAML is not counted).
func scaleChild(n int, w io.Writer, p profiles) error {
	srcs := synthSpec(n)
	runtime.GC()
	stop, err := startCPUProfile(p.cpu)
	if err != nil {
		return err
	}
	start := time.Now()
	files, err := generator.Generate(srcs, generator.Config{Package: "synth"})
	elapsed := time.Since(start)
	if err := stop(); err != nil {
		return err
	}
	if err != nil {
		return err
	}
	if err := writeHeapProfile(p.mem); err != nil {
		return err
	}
	res := scaleResult{Nanos: elapsed.Nanoseconds(), Files: len(files)}
	for _, f := range files {
		res.Bytes += len(f.Data)
	}
	return json.NewEncoder(w).Encode(res)
}

// scaleSample is one child run: generation time, the child's CPU time
// (user and system, whole process) and peak RSS.
type scaleSample struct {
	time time.Duration
	rss  int64
	cpu  time.Duration
}

// scale is part 2: each size in a child process of this binary, so that
// its peak RSS is its own; rounds interleave the sizes.
func (b *bench) scale() ([]row, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	samples := map[int][]scaleSample{}
	for range b.cfg.rounds {
		for _, n := range b.cfg.sizes {
			s, err := runScaleChild(self, n)
			if err != nil {
				return nil, err
			}
			samples[n] = append(samples[n], s)
		}
	}
	return scaleRows(b.cfg.sizes, samples), nil
}

func runScaleChild(self string, n int) (scaleSample, error) {
	cmd := exec.Command(self, "-scale-child", fmt.Sprint(n))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return scaleSample{}, fmt.Errorf("scale child %d: %w\n%s", n, err, stderr.Bytes())
	}
	var res scaleResult
	if err := json.Unmarshal(out, &res); err != nil || res.Files == 0 {
		return scaleSample{}, fmt.Errorf("scale child %d: bad report %q (%v)", n, out, err)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return scaleSample{}, fmt.Errorf("scale child %d: no resource usage on %s", n, runtime.GOOS)
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return scaleSample{time: time.Duration(res.Nanos), rss: maxRSS(ru), cpu: cpu}, nil
}

// maxRSS is the peak resident set of a finished process in bytes.
func maxRSS(ru *syscall.Rusage) int64 {
	if runtime.GOOS == "darwin" {
		return ru.Maxrss // bytes there, KiB on Linux
	}
	return ru.Maxrss * 1024
}

// scaleRows turns the samples into one row per size and the growth row.
func scaleRows(sizes []int, samples map[int][]scaleSample) []row {
	var rows []row
	medTime, medCPU := map[int]float64{}, map[int]float64{}
	for _, n := range sizes {
		var ts, rs, cs []float64
		for _, s := range samples[n] {
			ts, rs, cs = append(ts, s.time.Seconds()), append(rs, float64(s.rss)), append(cs, s.cpu.Seconds())
		}
		t, rss := median(ts), median(rs)
		medTime[n], medCPU[n] = t, median(cs)
		r := row{item: "2", measure: fmt.Sprintf("scale: %d APIs x %d fields: in-process time, peak RSS (process CPU)", n, synthFields),
			ours: fmtSeconds(t) + ", " + fmtMB(rss) + " (" + fmtSeconds(median(cs)) + ")", other: "—", ratio: "—", target: "—", met: "—"}
		if n == 4000 {
			r.target, r.met = "< 4 s, < 500 MB", verdict(t < 4 && rss < 500e6)
		}
		rows = append(rows, r)
	}
	if t1, ok := medTime[1000]; ok {
		if t4, ok := medTime[4000]; ok {
			g := ratio(t4, t1)
			rows = append(rows, row{item: "2", measure: "scale: time(4000) / time(1000) (process CPU ratio in brackets)",
				ours: fmtSeconds(t4), other: "1000 APIs " + fmtSeconds(t1),
				ratio: fmtRatio(g) + " (" + fmtRatio(ratio(medCPU[4000], medCPU[1000])) + ")", target: "≤ 4.6x", met: verdict(g <= 4.6)})
		}
	}
	return rows
}

// startCPUProfile starts a CPU profile into path ("" for none) and
// returns the function that stops it.
func startCPUProfile(path string) (func() error, error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() error { pprof.StopCPUProfile(); return f.Close() }, nil
}

// writeHeapProfile writes the allocations so far to path ("" for none).
func writeHeapProfile(path string) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
