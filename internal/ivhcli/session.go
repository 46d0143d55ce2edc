package ivhcli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	cli "github.com/ivhgen/ivhgen/runtime/ivhcli"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/ivhgen/ivhgen/generated/ivh"
	"github.com/ivhgen/ivhgen/generated/ivh/ivhtest"
	"github.com/ivhgen/ivhgen/runtime/fakegw"
	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// sessionOptions are the flags of ivh session.
type sessionOptions struct {
	project, asset, user, protocol string
	driver                         int
	fake, verbose                  bool
	replyWait                      time.Duration
	trace                          string
}

func sessionFlags(env environment, o *sessionOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("ivh session", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	helpAsked := false
	for _, a := range env.Args {
		if a == "-h" || a == "-help" || a == "--help" || a == "--h" {
			helpAsked = true
		}
	}
	fs.StringVar(&o.project, "project", "", "create the session for this platform project `id` (CreateSession)")
	fs.StringVar(&o.asset, "asset", "", "create the session for this asset avatar `key` (CreateSessionByAsset)")
	fs.StringVar(&o.user, "user", "ivh-cli", "UserId of the session")
	fs.StringVar(&o.protocol, "protocol", "rtmp", "streaming `protocol`: rtmp, trtc or webrtc")
	fs.IntVar(&o.driver, "driver", 1, "driver `type`: 1 text, 3 audio")
	fs.BoolVar(&o.fake, "fake", false, "use an in-process fake gateway; no credentials needed")
	fs.DurationVar(&o.replyWait, "reply-wait", 30*time.Second, "at end of input, wait this long for the last text to be spoken")
	cli.ObserveFlags(fs, &o.verbose, &o.trace)
	fs.Usage = func() {
		w := env.Stderr
		if helpAsked {
			w = env.Stdout
		}
		fmt.Fprint(w, `Usage: ivh session (-project ID | -asset KEY) [flags]

Opens an interactive session, prints its PlayStreamAddr, sends each line of
standard input as SEND_TEXT and prints every downstream message ("< " and
the message JSON). The session is closed at end of input or on Ctrl-C.

Flags:
`)
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(env.Stderr)
	}
	return fs
}

// sessionCommand runs ivh session.
func sessionCommand(env environment, args []string) error {
	var o sessionOptions
	fs := sessionFlags(env, &o)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return cli.Exit(exitUsage, err)
	}
	if err := o.check(fs); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	obs, finish, err := env.ClientOptions(o.verbose, o.trace)
	if err != nil {
		return err
	}
	defer finish()
	c, done, err := sessionClient(env, o.fake, obs)
	if err != nil {
		return err
	}
	defer done()
	d := &driver{env: env, o: o, lines: readLines(env.Stdin)}
	err = o.run(ctx, c, d.drive)
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		fmt.Fprintln(env.Stderr, "ivh: interrupted; session closed")
		return nil
	}
	if err == nil {
		fmt.Fprintln(env.Stderr, "ivh: session closed")
	}
	return err
}

func (o *sessionOptions) check(fs *flag.FlagSet) error {
	switch {
	case fs.NArg() > 0:
		return fail(exitUsage, "unexpected arguments: %s", strings.Join(fs.Args(), " "))
	case (o.project == "") == (o.asset == ""):
		return fail(exitUsage, "give exactly one of -project and -asset")
	case !ivh.StreamProtocol(o.protocol).Known():
		return fail(exitUsage, "-protocol %q is not rtmp, trtc or webrtc", o.protocol)
	case o.driver != 1 && o.driver != 3:
		return fail(exitUsage, "-driver %d is not 1 (text) or 3 (audio)", o.driver)
	case o.replyWait < 0:
		return fail(exitUsage, "-reply-wait %v must not be negative", o.replyWait)
	}
	return nil
}

// run creates the session by project or by asset and calls fn with it.
func (o *sessionOptions) run(ctx context.Context, c *ivh.Client, fn func(context.Context, *ivh.CommandChannelSession) error) error {
	proto, drv := ivh.StreamProtocol(o.protocol), ivh.SessionDriverType(o.driver)
	if o.project != "" {
		in := &ivh.CreateSessionRequest{VirtualmanProjectID: o.project, UserID: o.user, Protocol: proto, DriverType: drv}
		return c.Session.RunSession(ctx, in, fn)
	}
	in := &ivh.CreateSessionByAssetRequest{AssetVirtualmanKey: o.asset, UserID: o.user, Protocol: proto, DriverType: drv}
	return c.Session.RunSessionByAsset(ctx, in, fn)
}

// sessionClient returns a client of the real gateway, or of a fake one
// that simulates sessions and their command channel.
func sessionClient(env environment, fake bool, obs []ivhrt.Option) (*ivh.Client, func(), error) {
	if !fake {
		c, err := envClient(obs, " (or use -fake to try sessions without credentials)")
		return c, func() {}, err
	}
	srv, err := ivhtest.Start()
	if err != nil {
		return nil, nil, fmt.Errorf("starting the fake gateway: %w", err)
	}
	store := fakegw.NewSessionStore("fake-session-", 1)
	ch := srv.ServeCommandChannel(store)
	fmt.Fprintf(env.Stderr, "ivh: -fake: fake gateway at %s (appkey %s)\n", srv.URL(), srv.AppKey())
	c := srv.Client(obs...)
	done := func() {
		ch.Close()
		for _, s := range store.Sessions() {
			fmt.Fprintf(env.Stderr, "ivh: -fake: session %s: status %d, started %t\n", s.ID, s.Status, s.Started)
		}
		srv.Close()
	}
	return c, done, nil
}

// readLines delivers the lines of r; the channel closes at end of input.
// Reading cannot be interrupted, so the goroutine ends with the process.
func readLines(r io.Reader) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			out <- sc.Text()
		}
	}()
	return out
}

// driver sends input lines and prints downstream messages.
type driver struct {
	env   environment
	o     sessionOptions
	lines <-chan string

	mu      sync.Mutex
	pending string        // ReqId of the last text not yet spoken
	spoken  chan struct{} // closed when pending is spoken or fails
}

func (d *driver) drive(ctx context.Context, s *ivh.CommandChannelSession) error {
	fmt.Fprintf(d.env.Stdout, "session %s ready; play: %s\n", s.ID, s.Ready.PlayStreamAddr)
	pctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); d.print(pctx, s.Channel) }()
	defer func() { cancel(); wg.Wait() }()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case line, ok := <-d.lines:
			if !ok {
				return d.awaitLast(ctx)
			}
			if strings.TrimSpace(line) == "" {
				continue
			}
			if err := d.send(ctx, s.Channel, line); err != nil {
				return err
			}
		}
	}
}

func (d *driver) send(ctx context.Context, ch *ivh.CommandChannel, text string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	id, err := ch.SendText(ctx, &ivh.SendTextData{Text: ivhrt.Of(text)})
	if err != nil {
		return err
	}
	d.pending, d.spoken = id, make(chan struct{})
	fmt.Fprintf(d.env.Stdout, "> SEND_TEXT %s\n", id)
	return nil
}

// awaitLast waits, up to -reply-wait, until the last text has been spoken.
func (d *driver) awaitLast(ctx context.Context) error {
	d.mu.Lock()
	spoken := d.spoken
	d.mu.Unlock()
	if spoken == nil {
		return nil
	}
	select {
	case <-spoken:
	case <-time.After(d.o.replyWait):
		fmt.Fprintln(d.env.Stderr, "ivh: the last text was not reported spoken in time")
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// print writes every downstream message, one per line, until ctx ends.
func (d *driver) print(ctx context.Context, ch *ivh.CommandChannel) {
	for m, err := range ch.Messages(ctx) {
		if err != nil {
			if ctx.Err() == nil {
				fmt.Fprintf(d.env.Stderr, "ivh: channel: %v\n", cli.OneLine(err.Error()))
			}
			if m == nil {
				continue
			}
		}
		fmt.Fprintf(d.env.Stdout, "< %s\n", cli.OneLine(string(m.Payload)))
		d.markSpoken(m)
	}
}

// markSpoken releases awaitLast when the pending text ends or fails.
func (d *driver) markSpoken(m *ivh.CommandChannelMessage) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.spoken == nil || m.ReqID != d.pending {
		return
	}
	over := m.SpeakStatus != nil && m.SpeakStatus.SpeakStatus == ivh.SpeakStatusTextOver
	if over || m.Err() != nil {
		close(d.spoken)
		d.spoken = nil
	}
}
