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
func waitCommand(env environment, args []string) error {
	var o options
	fs := flag.NewFlagSet("ivh wait", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.DurationVar(&o.poll, "poll", 0, "first poll `interval` (default: the runtime's)")
	fs.DurationVar(&o.maxWait, "max-wait", 9*time.Minute, "stop after this `duration`; the handle stays valid")
	fs.StringVar(&o.out, "o", "", "download the result (MediaUrl) to this `file`, atomically")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "Usage: ivh wait [-poll D] [-max-wait D] [-o FILE] HANDLE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fail(exitUsage, "ivh wait: want one handle (v1:API:ID:REQUESTID)")
	}
	h, err := ivhrt.ParseTaskHandle(fs.Arg(0))
	if err != nil {
		return fail(exitUsage, "ivh wait: %v", err)
	}
	op, err := lookup(h.API)
	if err != nil || op.WaitHandle == nil {
		return fail(exitUsage, "ivh wait: %s has no handle waiter", h.API)
	}
	c, err := batchClient()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	last, err := wait(ctx, env, o, op, func(ctx context.Context, opts ...ivhrt.WaitOption) (any, error) {
		return op.WaitHandle(ctx, c, h, opts...)
	})
	return finishWait(ctx, env, o, last, err)
}
