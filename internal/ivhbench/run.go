package main

import (
	"fmt"
	"io"
	"log"
	"os"
)

// bench is one report run: its settings, its temporary directory and the
// artefacts the parts share.
type bench struct {
	cfg    config
	tmp    string
	root   string // our module
	ivhgen string // binary
	oapi   string // binary, "" when oapi-codegen is not used
	doc    string // the OpenAPI document ivhgen exported
	ours   string // ivhgen's output for spec/
	mod    string // the temporary module, "" until made
	apis   int    // APIs in spec/
}

func run(cfg config, w io.Writer) error {
	tmp, err := os.MkdirTemp("", "ivhbench-")
	if err != nil {
		return err
	}
	if cfg.keep {
		log.Printf("temporary directory: %s", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	b := &bench{cfg: cfg, tmp: tmp}
	if err := b.prepare(); err != nil {
		return err
	}
	var rows []row
	for _, part := range []struct {
		n    int
		name string
		f    func() ([]row, error)
	}{
		{1, "generation time", b.generation},
		{2, "scale", b.scale},
		{3, "generated code", b.codeSize},
		{4, "per-call overhead", b.perCall},
		{5, "throughput", b.throughput},
	} {
		if !cfg.only[part.n] {
			continue
		}
		log.Printf("part %d: %s", part.n, part.name)
		r, err := part.f()
		if err != nil {
			return fmt.Errorf("part %d (%s): %w", part.n, part.name, err)
		}
		rows = append(rows, r...)
	}
	return writeReport(w, machine(), cfg.rounds, rows)
}

// writeReport prints the machine, the table and how to reproduce it.
func writeReport(w io.Writer, m string, rounds int, rows []row) error {
	if _, err := fmt.Fprintf(w, "\n%s\nMedians of %d runs; ratio = ivhgen / comparison.\n\n", m, rounds); err != nil {
		return err
	}
	if err := writeTable(w, rows); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nReproduce: make bench\n")
	return err
}
