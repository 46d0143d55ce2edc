package ivhcli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	cli "github.com/ivhgen/ivhgen/runtime/ivhcli"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
)

// fakeFlags are the settings of ivh fake.
type fakeFlags struct {
	addr      string
	render    time.Duration
	slots     int
	ttsSlots  int
	queue     int
	mediaSize int
	latency   time.Duration
}

// fakeCommand serves the fake gateway as a process until SIGINT or
// SIGTERM: its tasks outlive the clients, so a client can crash and resume.
func fakeCommand(env environment, args []string) error {
	var f fakeFlags
	fs := flag.NewFlagSet("ivh fake", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8089", "listen `address` (port 0 picks one)")
	fs.DurationVar(&f.render, "render", 2*time.Second, "simulated render `time` of a task")
	fs.IntVar(&f.slots, "slots", 5, "video tasks in production at once")
	fs.IntVar(&f.ttsSlots, "tts-slots", 1, "TTS tasks in production at once")
	fs.IntVar(&f.queue, "queue", 0, "tasks a pool admits beyond its slots, as COMMIT (past that: 100008)")
	fs.IntVar(&f.mediaSize, "media-size", 4096, "bytes of each fake result file")
	fs.DurationVar(&f.latency, "create-latency", 0, "delay each create by this `duration`")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: ivh fake [-addr HOST:PORT] [-render D] [-slots N] [-tts-slots N] [-queue N]\n\n"+
			"Serves the fake gateway until interrupted. It prints IVH_ENDPOINT, IVH_APPKEY and\n"+
			"IVH_ACCESS_TOKEN lines to export; GET /_fake/stats reports the create bodies it\n"+
			"accepted and refused per API, how many were duplicates, and the result callbacks\n"+
			"it POSTed to the CallbackUrl of creates that gave one (once, unsigned, as the vendor).\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return cli.UsageError(err)
	}
	srv, err := startStandalone(f)
	if err != nil {
		return fail(exitUsage, "ivh fake: %v", err)
	}
	defer srv.Close()
	fmt.Fprintf(env.Stdout, "IVH_ENDPOINT=%s\nIVH_APPKEY=%s\nIVH_ACCESS_TOKEN=%s\n", srv.URL(), srv.AppKey(), srv.AccessToken())
	if fl, ok := env.Stdout.(interface{ Sync() error }); ok {
		fl.Sync()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return nil
}

// startStandalone starts a simulating fake with the stats and media
// endpoints mounted.
func startStandalone(f fakeFlags) (*ivhtest.Server, error) {
	srv, err := ivhtest.Start(fakegw.WithAddr(f.addr))
	if err != nil {
		return nil, err
	}
	srv.Tasks("GetProgress").Simulate(fakegw.Simulation{
		RenderTime: f.render, DefaultSlots: f.slots, Slots: map[string]int{"tts": f.ttsSlots}, Queue: f.queue,
		Pool: fakePool, CreateLatency: f.latency,
		MediaURL: func(id string) string { return srv.URL() + "/_fake/media/" + id + ".mp4" },
	})
	srv.Mount("GET /_fake/stats", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		st := createStats(srv.Requests())
		sim := srv.Tasks("GetProgress").SimStats()
		st.Callbacks, st.CallbacksFailed = sim.Callbacks, sim.CallbacksFailed
		json.NewEncoder(w).Encode(st)
	}))
	srv.Mount("GET /_fake/media/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := strings.Repeat("fake media "+r.URL.Path+"\n", max(1, f.mediaSize/(len(r.URL.Path)+12)))
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Write([]byte(body))
	}))
	return srv, nil
}

// fakePool puts TTS in its own pool and every video API in "video".
func fakePool(in any) string {
	if _, ok := in.(*ivh.TTSRequest); ok {
		return "tts"
	}
	return "video"
}

// FakeStats is what GET /_fake/stats answers.
type FakeStats struct {
	Accepted   map[string]int `json:"accepted"`   // create bodies given a task, per API
	Refused    map[string]int `json:"refused"`    // creates answered with an error code, per API
	Duplicates int            `json:"duplicates"` // accepted bodies equal to an earlier accepted one
	// Callbacks counts the result callbacks POSTed to a create's
	// CallbackUrl and answered 200; CallbacksFailed the others.
	Callbacks       int `json:"callbacks"`
	CallbacksFailed int `json:"callbacks_failed"`
}

// createStats counts the create requests among recs.
func createStats(recs []fakegw.Recorded) FakeStats {
	creates := map[string]string{}
	for _, op := range Operations() {
		if op.Wait != nil {
			creates[op.Path] = op.Name
		}
	}
	st := FakeStats{Accepted: map[string]int{}, Refused: map[string]int{}}
	seen := map[string]bool{}
	for _, r := range recs {
		name, ok := creates[r.Path]
		switch {
		case !ok || r.Outcome != "":
		case r.Code != 0:
			st.Refused[name]++
		default:
			st.Accepted[name]++
			key := name + string(r.Payload)
			if seen[key] {
				st.Duplicates++
			}
			seen[key] = true
		}
	}
	return st
}
