// Ivh calls any aPaaS API from a terminal.
//
// Usage:
//
//	ivh list                               list every API with its path and one-line doc
//	ivh help <api>                         the request's fields (name, type, required, constraints, doc) and an example payload
//	ivh schema <api>                       the JSON Schema of the request
//	ivh [flags] <api> [-d JSON | -d @file] call an API by name (case-insensitive)
//	ivh session -project ID | -asset KEY   open an interactive session (ivh session -h)
//	ivh wait HANDLE                        resume waiting on a task from its handle (ivh wait -h)
//	ivh batch -journal FILE [-in FILE]     run many tasks under the quotas, resumably (ivh batch -h)
//	ivh batch-status -journal FILE         print a batch journal's table
//	ivh fake [-addr HOST:PORT]             serve the simulating fake gateway as a process (ivh fake -h)
//
// The payload is the request's JSON object, from -d, from the file after
// -d @, or from standard input when -d is absent and standard input is not a
// terminal (no payload means {}). It is decoded strictly into the API's
// typed request, so an unknown field is an error naming it, and validated
// before anything is sent. The response Payload is printed as JSON on
// standard output. With -wait, an API that starts a task or session polls
// until it ends: a progress bar on standard error when that is a terminal,
// one line per poll otherwise. Standard output then holds one JSON document,
// the last poll response (ivh -wait VideoMake ... | jq -r .MediaUrl); the
// create response goes to standard error as "ivh: <api>: started {...}". The
// task's handle is printed on standard error; -max-wait (default 9m, under
// -timeout's 10m) stops the wait with exit code 6 and the command that
// resumes it (ivh wait HANDLE), and -o FILE downloads the result atomically.
// Integer statuses are shown by name ("poll 1: preparing"). A session that
// CreateSession -wait made stays open, and billed, after ivh exits: ivh
// says so on standard error with the CloseSession command that closes it.
// -h, -help and ivh help print the usage on standard output and exit 0.
// For a paged API (marked [-all] in ivh list), -all walks every page from
// page 1 with the payload's page size and prints all items as one JSON
// array; with -lines, one JSON item per line as the pages arrive.
//
// ivh batch runs a JSON Lines file of inputs through package runtime/jobs,
// journaled in -journal FILE and resumable after a crash; with
// -callback-url URL and -callback-listen ADDR the vendor's result
// callbacks, each carrying a per-task HMAC token, end the waits early (a
// bad token is answered 401), and an input whose create's outcome is
// unknown waits up to -callback-wait for its callback. ivh fake POSTs each
// task's result to its create's CallbackUrl when the render ends.
//
// ivh session creates a session (flags -project or -asset, -protocol,
// -driver, -user), waits until it is ready, starts it, prints its
// PlayStreamAddr and opens its command channel; each line of standard input
// is sent as SEND_TEXT and every downstream message is printed as "< " and
// its JSON. At end of input (after the last text is spoken) or on Ctrl-C the
// session is closed. -fake simulates sessions and the channel in process.
//
// Credentials and endpoint come from IVH_APPKEY, IVH_ACCESS_TOKEN and
// IVH_ENDPOINT ("international", the default, "mainland", or a base URL).
// With -fake, ivh starts an in-process fake gateway (package
// generated/ivh/ivhtest) instead and needs no credentials; it prints every
// signed request the gateway received on standard error, with the
// signature redacted. -fake-fault CODE
// makes the fake answer the call with an error envelope carrying CODE.
//
// Flags:
//
//	-d payload      request JSON, or @file
//	-wait           poll an async API until its task or session ends
//	-poll interval  first poll interval for -wait (default: the runtime's; 100ms with -fake)
//	-timeout d      give up after d (default 10m)
//	-fake           use an in-process fake gateway; no credentials needed
//	-fake-fault n   with -fake, answer the call with error code n
//	-v              print every attempt, retry, poll and session event on standard error
//	-trace file     write the spans of the run to file as JSON (OpenTelemetry stdout
//	                exporter); only in the build of github.com/ivhgen/ivhgen/runtime/ivhotel/cmd/ivh,
//	                which keeps OpenTelemetry out of this module
//	-max-wait d     with -wait, stop after d and print the handle (default 9m)
//	-o file         with -wait, download the result to file
//	-all            for a paged API, print every page's items as one JSON array
//	-lines          with -all, print one item per line (JSON Lines)
//	-version        print the version (from the binary's build information) and exit
//
// Exit codes:
//
//	0  success
//	1  the API answered with an error code, or the task failed
//	2  misuse: bad flags, unknown API, a payload that does not decode or validate
//	3  configuration: missing or invalid IVH_* variables
//	4  transport: no connection, an HTTP error status, a timeout
//	5  ivh batch: some inputs have an unknown outcome
//	6  a wait stopped at -max-wait or by Ctrl-C, or ivh batch left inputs unfinished: resume
//
// The command is runtime/ivhcli over generated/ivh, plus the session,
// batch, batch-status and fake commands of internal/ivhcli; ivhgen -cli
// writes the same command for any generated package.
//
// Errors are one line on standard error that starts with "ivh: " and
// carries the API code and request ID when the gateway sent them; they never
// contain the access token or a signature.
package main

import (
	"os"

	"github.com/ivhgen/ivhgen/internal/ivhcli"
)

func main() { os.Exit(ivhcli.Main(ivhcli.Extension{})) }
