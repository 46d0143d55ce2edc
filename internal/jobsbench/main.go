// Jobsbench measures the jobs engine against the vendor's quota on the
// simulating fake gateway: n video jobs, render time T, quota q. It reports
// the engine's makespan against the ideal ceil(n/q)·T and the 100008
// refusals a user saw, and two baselines in the same run: a naive loop that
// submits everything then polls, and one job at a time; and the engine
// with Config.NoArming, whose submitting commit sits between a freed slot
// and the next create. It also measures the journal's write cost. Run by
// make bench.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/jobs"
)

type params struct {
	n, quota int
	baseline bool
	render   time.Duration
	poll     time.Duration
}

func main() {
	var p params
	flag.IntVar(&p.n, "n", 200, "video jobs")
	flag.IntVar(&p.quota, "quota", 5, "video tasks in production at once (the vendor's default)")
	flag.DurationVar(&p.render, "render", 200*time.Millisecond, "simulated render time T")
	flag.DurationVar(&p.poll, "poll", 2*time.Millisecond, "poll interval of every scenario")
	flag.BoolVar(&p.baseline, "baselines", true, "also run the naive and one-at-a-time baselines")
	flag.Parse()
	if err := run(p); err != nil {
		fmt.Fprintln(os.Stderr, "jobsbench:", err)
		os.Exit(1)
	}
}

// outcome is one scenario's figures.
type outcome struct {
	name              string
	makespan          time.Duration
	succeeded, failed int
	userRejections    int // 100008 answers the user's code saw
	gatewayRefusals   int // 100008 answers the gateway sent (the engine absorbs them)
	journal           jobs.JournalStats
}

func run(p params) error {
	ideal := time.Duration((p.n+p.quota-1)/p.quota) * p.render
	fmt.Printf("jobsbench: %d video jobs, render time T=%v, quota %d, poll %v; ideal makespan ceil(%d/%d)·T = %v\n\n",
		p.n, p.render, p.quota, p.poll, p.n, p.quota, ideal)
	var outs []outcome
	for _, sc := range []struct {
		name string
		f    func(context.Context, params, *ivh.Client) (outcome, error)
	}{{"jobs engine (quota-aware, journaled, armed ahead)", engine(false)},
		{"jobs engine, NoArming (submitting fsynced before each create, polls from the start)", engine(true)},
		{"naive: submit all, then poll", naive}, {"one at a time", serial}} {
		if !p.baseline && len(outs) > 0 {
			break
		}
		srv, err := simServer(p)
		if err != nil {
			return err
		}
		start := time.Now()
		o, err := sc.f(context.Background(), p, srv.Client())
		o.makespan, o.name = time.Since(start), sc.name
		o.gatewayRefusals = srv.Tasks("GetProgress").SimStats().Rejected
		srv.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
		outs = append(outs, o)
	}
	fmt.Printf("| scenario | makespan | vs ideal | succeeded | failed | 100008 seen by user | 100008 sent by gateway |\n|---|---|---|---|---|---|---|\n")
	waves := (p.n + p.quota - 1) / p.quota
	for _, o := range outs {
		fmt.Printf("| %s | %v | %.3f× | %d | %d | %d | %d |\n", o.name, o.makespan.Round(time.Millisecond),
			float64(o.makespan)/float64(ideal), o.succeeded, o.failed, o.userRejections, o.gatewayRefusals)
	}
	fmt.Println()
	for _, o := range outs[:min(2, len(outs))] {
		fmt.Printf("%s: %.2f fsynced commits per job (%d for %d jobs), writers waited %.2f ms per commit; hand-off %.1f ms per slot per task ((makespan-ideal)/%d)\n",
			o.name, float64(o.journal.Commits)/float64(p.n), o.journal.Commits, p.n,
			float64(o.journal.Wall)/float64(max(o.journal.Commits, 1))/1e6,
			float64(o.makespan-ideal)/float64(waves)/1e6, waves)
	}
	return journalCost(p.n)
}

func simServer(p params) (*ivhtest.Server, error) {
	srv, err := ivhtest.Start()
	if err != nil {
		return nil, err
	}
	srv.Tasks("GetProgress").Simulate(fakegw.Simulation{RenderTime: p.render, DefaultSlots: p.quota})
	return srv, nil
}

func waitOpts(p params) []ivh.WaitOption {
	return []ivh.WaitOption{ivh.WithPollInterval(p.poll), ivh.WithMaxPollInterval(p.poll)}
}

func request(i int) *ivh.VideoMakeRequest {
	return &ivh.VideoMakeRequest{VirtualmanKey: "vk", InputSSML: ivh.Of(fmt.Sprintf("greeting %d", i)), SpeechParam: ivh.SpeechParam{Speed: 1}}
}

func engine(noArming bool) func(context.Context, params, *ivh.Client) (outcome, error) {
	return func(ctx context.Context, p params, c *ivh.Client) (outcome, error) {
		return runEngine(ctx, p, c, noArming)
	}
}

func runEngine(ctx context.Context, p params, c *ivh.Client, noArming bool) (outcome, error) {
	dir, err := os.MkdirTemp("", "jobsbench")
	if err != nil {
		return outcome{}, err
	}
	defer os.RemoveAll(dir)
	j, err := jobs.OpenJournal(filepath.Join(dir, "journal.db"))
	if err != nil {
		return outcome{}, err
	}
	defer j.Close()
	ins := make([]jobs.Input, p.n)
	for i := range ins {
		ins[i] = jobs.Input{ID: fmt.Sprintf("job-%04d", i), API: "VideoMake",
			Payload: []byte(fmt.Sprintf(`{"VirtualmanKey":"vk","InputSsml":"greeting %d","SpeechParam":{"Speed":1}}`, i))}
	}
	var o outcome
	cfg := jobs.Config{
		Flows:       map[string]jobs.Flow{"VideoMake": jobs.NewFlow("video", c.Video.VideoMake, c.Video.VideoMakeHandle, c.Video.WaitVideoMakeHandle)},
		Limits:      map[string]int{"video": p.quota},
		WaitOptions: waitOpts(p),
		NoArming:    noArming,
		OnResult: func(r jobs.Result) {
			switch {
			case r.State == jobs.Succeeded:
				o.succeeded++
			default:
				o.failed++
			}
			if r.Code == 100008 {
				o.userRejections++
			}
		},
	}
	err = jobs.Run(ctx, j, ins, cfg)
	o.journal = j.Stats()
	return o, err
}

// naive submits every job as fast as it can, then polls those accepted.
func naive(ctx context.Context, p params, c *ivh.Client) (outcome, error) {
	var o outcome
	var started []ivh.TaskHandle
	for i := range p.n {
		made, err := c.Video.VideoMake(ctx, request(i))
		if errors.Is(err, ivh.Code(100008)) {
			o.userRejections++
			o.failed++
			continue
		}
		if err != nil {
			return o, err
		}
		started = append(started, c.Video.VideoMakeHandle(made, ""))
	}
	for _, h := range started {
		if _, err := c.Video.WaitVideoMakeHandle(ctx, h, waitOpts(p)...); err != nil {
			o.failed++
			continue
		}
		o.succeeded++
	}
	return o, nil
}

// serial makes one video, waits for it, then the next.
func serial(ctx context.Context, p params, c *ivh.Client) (outcome, error) {
	var o outcome
	for i := range p.n {
		made, err := c.Video.VideoMake(ctx, request(i))
		if err != nil {
			return o, err
		}
		if _, err := c.Video.WaitVideoMake(ctx, nil, made, waitOpts(p)...); err != nil {
			o.failed++
			continue
		}
		o.succeeded++
	}
	return o, nil
}

// journalCost reports what the journal spends per job: its commits, the
// latency of one fsynced commit, and the bytes on disk.
func journalCost(n int) error {
	dir, err := os.MkdirTemp("", "jobsbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "j.db")
	j, err := jobs.OpenJournal(path)
	if err != nil {
		return err
	}
	states := []jobs.State{jobs.Submitting, jobs.Accepted, jobs.Succeeded}
	start := time.Now()
	for i := range n {
		r := &jobs.Record{ID: fmt.Sprintf("job-%04d", i), API: "VideoMake", Payload: []byte(`{"VirtualmanKey":"vk","InputSsml":"greeting","SpeechParam":{"Speed":1}}`)}
		for _, s := range states {
			r.State, r.Handle, r.RequestID = s, "v1:VideoMake:task-000001:0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"
			if err := j.Put(r); err != nil {
				return err
			}
		}
	}
	el := time.Since(start)
	j.Close()
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	commits := n * len(states)
	fmt.Printf("\njournal write cost, one writer alone: %d records per job (submitting, accepted, final; +1 with a download), "+
		"%.2f ms per fsynced commit written one at a time (%v for %d jobs), %d bytes on disk per job (bbolt file %d KiB for %d jobs); "+
		"in the engine concurrent writers share commits (bbolt Batch) and a verdict rides on the next accepted write (commits per job above)\n",
		len(states), float64(el)/float64(commits)/1e6, el.Round(time.Millisecond), n, fi.Size()/int64(n), fi.Size()/1024, n)
	return nil
}
