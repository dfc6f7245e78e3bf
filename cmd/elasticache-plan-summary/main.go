// Command elasticache-plan-summary turns a Terraform plan into a short pull-request comment
// about its elasticache_stack changes: one row per changing stack (action, shape, monthly cost
// before and after), the plan's total monthly change, the provider's disruption warnings
// grouped by stack, and the recommendations whose saving changed.
//
//	terraform plan -out=tfplan -json > plan.jsonl
//	terraform show -json tfplan > plan.json
//	elasticache-plan-summary --plan-log plan.jsonl plan.json > comment.md
//
// Warnings appear only in the `terraform plan -json` stream, hence --plan-log. The show JSON
// may come on stdin ("-"). --format json writes the same summary for bots.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "elasticache-plan-summary:", err)
		os.Exit(2)
	}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("elasticache-plan-summary", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "markdown", "output format: markdown (a PR comment) or json")
	planLog := fs.String("plan-log", "", "file with the `terraform plan -json` output (the only place warnings appear)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: elasticache-plan-summary [--format markdown|json] [--plan-log plan.jsonl] <terraform show -json output | ->")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("give exactly one file: the output of terraform show -json <planfile>, or - for stdin")
	}
	if *format != "markdown" && *format != "json" {
		return fmt.Errorf("--format %q: use markdown or json", *format)
	}

	show := stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		show = f
	}
	var log io.Reader
	if *planLog != "" {
		f, err := os.Open(*planLog)
		if err != nil {
			return err
		}
		defer f.Close()
		log = f
	}
	s, err := Summarize(show, log)
	if err != nil {
		return err
	}
	if *format == "json" {
		return WriteJSON(stdout, s)
	}
	return WriteMarkdown(stdout, s)
}
