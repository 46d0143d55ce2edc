// Package ivhcli is the command line of a generated package: list its
// APIs, describe a request (help <API>, schema <API>), call an API by name
// with a JSON payload, wait for the task it starts (-wait, wait HANDLE),
// walk every page of a paged API (-all, -lines), all against the real
// gateway or an in-process fake one (-fake). cmd/ivh is App over the
// committed package generated/ivh; ivhgen -cli DIR writes the same small
// main for any generated package.
//
// Output follows gh and aws: the result is JSON on standard output (one
// document, or JSON Lines with -lines); progress, the fake's request log
// and errors go to standard error, one line each, prefixed with the
// command's name. The exit codes are ExitOK to ExitUnfinished.
//
// Compatibility: this package is for the mains ivhgen writes and for
// cmd/ivh. Like runtime/ivhimpl it follows ivhgen's version rather than
// semantic versioning; regenerate the main (ivhgen -cli) after an upgrade.
package ivhcli
