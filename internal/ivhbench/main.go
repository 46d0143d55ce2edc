// Ivhbench measures ivhgen against oapi-codegen v2.8.2 and a hand-written
// client and prints one report table (run it with `make bench`).
//
// Usage:
//
//	ivhbench [flags]
//
// It must run in the module root. It builds what it needs into a
// temporary directory that it removes at the end: the ivhgen binary, the
// oapi-codegen binary (with go install and GOBIN pointing into that
// directory) and a temporary module that holds both generated packages and
// the per-call benchmark program, so our module never depends on
// oapi-codegen. The Go module cache is the only thing left behind.
//
// The report has five parts, every figure a median over -rounds runs with
// its ratio to a comparison measured in the same run:
//
//  1. generation time of the two binaries on the full spec, as processes;
//  2. in-process generation of synthetic sets of APIs: time and peak RSS;
//  3. generated lines per API and the rebuild time after a one-line change;
//  4. one VideoMake call through an in-memory RoundTripper;
//  5. 64 goroutines calling the in-process fake gateway over loopback.
//
// The flags are:
//
//	-rounds n      runs per figure (default 7; at least 5 for the report)
//	-calls n       calls per throughput run (default 10000)
//	-sizes list    synthetic set sizes (default 100,1000,4000)
//	-only list     parts to run, e.g. 1,4 (default all)
//	-no-oapi       skip everything that needs oapi-codegen
//	-keep          keep the temporary directory and print its path
//
// To profile part 2, run one size by hand:
//
//	go run ./internal/ivhbench -scale-child 4000 -cpuprofile cpu.out -memprofile mem.out
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
)

type config struct {
	rounds int
	calls  int
	sizes  []int
	only   map[int]bool
	noOapi bool
	keep   bool
	gobin  string // the go command
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("ivhbench: ")
	child := flag.Int("scale-child", 0, "generate `n` synthetic APIs in this process and print the time (part 2's child)")
	cpuProfile := flag.String("cpuprofile", "", "with -scale-child: write a CPU profile of the generation to `file`")
	memProfile := flag.String("memprofile", "", "with -scale-child: write a heap profile after the generation to `file`")
	var cfg config
	var sizes, only string
	flag.IntVar(&cfg.rounds, "rounds", 7, "runs per figure (at least 5 for the report)")
	flag.IntVar(&cfg.calls, "calls", 10000, "calls per throughput run")
	flag.StringVar(&sizes, "sizes", "100,1000,4000", "comma-separated synthetic set sizes")
	flag.StringVar(&only, "only", "1,2,3,4,5", "comma-separated parts to run")
	flag.BoolVar(&cfg.noOapi, "no-oapi", false, "skip the parts that need oapi-codegen")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the temporary directory")
	flag.Parse()
	if *child > 0 {
		if err := scaleChild(*child, os.Stdout, profiles{cpu: *cpuProfile, mem: *memProfile}); err != nil {
			log.Fatal(err)
		}
		return
	}
	var err error
	if cfg.sizes, err = parseInts(sizes); err != nil {
		log.Fatalf("-sizes: %v", err)
	}
	parts, err := parseInts(only)
	if err != nil {
		log.Fatalf("-only: %v", err)
	}
	cfg.only = map[int]bool{}
	for _, p := range parts {
		cfg.only[p] = true
	}
	if cfg.rounds < 1 || cfg.calls < 64 || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	cfg.gobin = os.Getenv("GO")
	if cfg.gobin == "" {
		cfg.gobin = "go"
	}
	if err := run(cfg, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// parseInts reads a comma-separated list of positive integers.
func parseInts(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a positive integer", f)
		}
		out = append(out, n)
	}
	return out, nil
}
