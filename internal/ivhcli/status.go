package ivhcli

import (
	"flag"
	"fmt"
	cli "github.com/ivhgen/ivhgen/runtime/ivhcli"
	"text/tabwriter"

	"github.com/ivhgen/ivhgen/runtime/jobs"
)

// statusCommand prints a journal's table and a count per state.
func statusCommand(env environment, args []string) error {
	fs := flag.NewFlagSet("ivh batch-status", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	path := fs.String("journal", "", "journal `file` of ivh batch (required)")
	if err := fs.Parse(args); err != nil {
		return cli.UsageError(err)
	}
	if *path == "" {
		fs.Usage()
		return fail(exitUsage, "ivh batch-status: -journal is required")
	}
	j, err := jobs.OpenJournal(*path)
	if err != nil {
		return fail(exitTransport, "ivh batch-status: %v (is a batch running on it?)", err)
	}
	defer j.Close()
	recs, err := j.All()
	if err != nil {
		return fail(exitTransport, "ivh batch-status: %v", err)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tAPI\tSTATE\tATTEMPTS\tHANDLE\tREQUEST_ID\tFILE\tERROR")
	count := map[jobs.State]int{}
	for _, r := range recs {
		count[r.State]++
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", r.ID, r.API, r.State, r.Attempts, r.Handle, r.RequestID, r.File, cli.OneLine(r.Error))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d inputs:", len(recs))
	for _, s := range []jobs.State{jobs.Pending, jobs.Submitting, jobs.Accepted, jobs.Succeeded, jobs.Failed, jobs.Unknown} {
		fmt.Fprintf(env.Stdout, " %s %d", s, count[s])
	}
	fmt.Fprintln(env.Stdout)
	return nil
}
