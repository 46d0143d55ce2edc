package ivhcli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

// waitCommand waits on a task from its handle alone (printed by -wait, or
// a batch journal's HANDLE column), in a new process.
func (r *cli[C]) waitCommand(args []string) error {
	var o options
	n := r.app.Name
	fs := flag.NewFlagSet(n+" wait", flag.ContinueOnError)
	fs.SetOutput(r.env.Stderr)
	fs.DurationVar(&o.poll, "poll", 0, "first poll `interval` (default: the runtime's)")
	fs.DurationVar(&o.maxWait, "max-wait", 9*time.Minute, "stop after this `duration`; the handle stays valid")
	fs.StringVar(&o.out, "o", "", "download the result (MediaUrl) to this `file`, atomically")
	fs.Usage = func() {
		fmt.Fprintf(r.env.Stderr, "Usage: %s wait [-poll D] [-max-wait D] [-o FILE] HANDLE\n", n)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fail(ExitUsage, "%s wait: want one handle (v1:API:ID:REQUESTID)", n)
	}
	h, err := ivhrt.ParseTaskHandle(fs.Arg(0))
	if err != nil {
		return fail(ExitUsage, "%s wait: %v", n, err)
	}
	op, err := r.lookup(h.API)
	if err != nil || op.WaitHandle == nil {
		return fail(ExitUsage, "%s wait: %s has no handle waiter", n, h.API)
	}
	c, err := r.fromEnv(nil, "")
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	last, err := wait(ctx, r.env, o, op.Name, op.Status, func(ctx context.Context, opts ...ivhrt.WaitOption) (any, error) {
		return op.WaitHandle(ctx, c, h, opts...)
	})
	return r.finishWait(ctx, o, last, err, h.String())
}
