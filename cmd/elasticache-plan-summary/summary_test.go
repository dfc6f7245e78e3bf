package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from the current output")

// scenarios are real plans made against the bundled emulator by scripts/plan-summary-testdata.sh.
var scenarios = []string{"create", "no-changes", "scale-up", "mode-switch", "destroy", "module"}

func TestGoldenSummaries(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc, func(t *testing.T) {
			dir := filepath.Join("testdata", sc)
			for _, format := range []string{"markdown", "json"} {
				var out, errOut bytes.Buffer
				args := []string{"--format", format, "--plan-log", filepath.Join(dir, "plan.jsonl"), filepath.Join(dir, "show.json")}
				if err := run(args, nil, &out, &errOut); err != nil {
					t.Fatalf("%s: %v\n%s", format, err, errOut.String())
				}
				golden := filepath.Join(dir, map[string]string{"markdown": "summary.md", "json": "summary.json"}[format])
				if *update {
					if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./cmd/elasticache-plan-summary -update)", err)
				}
				if !bytes.Equal(out.Bytes(), want) {
					t.Errorf("%s output differs from %s:\n%s", format, golden, out.String())
				}
			}
		})
	}
}

// The summaries must say what the issue asks of them, whatever the golden files hold.
func TestSummaryContent(t *testing.T) {
	md := func(sc string) string {
		t.Helper()
		var out bytes.Buffer
		dir := filepath.Join("testdata", sc)
		if err := run([]string{"--plan-log", filepath.Join(dir, "plan.jsonl"), filepath.Join(dir, "show.json")}, nil, &out, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	checks := map[string][]string{
		"create":      {"| `elasticache_stack.sessions` | create | valkey 8.0, 1 shard × 2 nodes of cache.r7g.large | $0.00 | $255.79 | +$255.79 |", "**Total monthly change: +$255.79**", "reserved_nodes: saves $140.69/month"},
		"no-changes":  {"no ElastiCache changes"},
		"scale-up":    {"| update |", "cache.r7g.xlarge", "**failover, maintenance window** · Node type changes", "(`provisioned.node_type`)"},
		"mode-switch": {"| replace |", "serverless", "**data lost** · will be replaced (`mode`)", "reserved_nodes: no longer applies (saved $140.69/month)"},
		"destroy":     {"| delete |", "-$255.79", "**data lost** · will be destroyed"},
		"module":      {"`module.cache.module.stack.elasticache_stack.this` | create", "`module.rate_limit.module.stack.elasticache_stack.this` | create", "2 stacks to change"},
	}
	for sc, wants := range checks {
		got := md(sc)
		if !strings.HasPrefix(got, Marker+"\n") {
			t.Errorf("%s: no marker line", sc)
		}
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s: missing %q in:\n%s", sc, w, got)
			}
		}
	}
	if got := md("no-changes"); strings.Count(got, "\n") != 2 {
		t.Errorf("no-changes must be the marker and one line, got:\n%s", got)
	}
}

func TestWithoutPlanLogSaysWarningsWereNotRead(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{filepath.Join("testdata", "scale-up", "show.json")}, nil, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Warnings not read") || strings.Contains(out.String(), "#### Warnings") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestStdinAndErrors(t *testing.T) {
	show, err := os.ReadFile(filepath.Join("testdata", "destroy", "show.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run([]string{"-"}, bytes.NewReader(show), &out, &bytes.Buffer{}); err != nil || !strings.Contains(out.String(), "| delete |") {
		t.Fatalf("stdin: %v\n%s", err, out.String())
	}
	for _, args := range [][]string{{}, {"--format", "yaml", "x.json"}, {"-"}} {
		if err := run(args, strings.NewReader(`{"not":"a plan"}`), &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
			t.Errorf("run(%v) succeeded", args)
		}
	}
}

func TestLabels(t *testing.T) {
	cases := map[string]string{
		"will be destroyed\nDestroying the stack deletes the cache after taking the final snapshot \"s\".":  "data kept",
		"AUTH token rotates\nclients must switch":                                                           "AUTH cut-over",
		"will be replaced\nConsequence: data is kept through snapshot `s-preserve`: the provider snapshots": "data kept",
		"Resharding from 2 to 4 shards\nslots move":                                                         "resharding",
		"TLS becomes required\nclients that connect without TLS are refused":                                "AUTH cut-over",
	}
	for text, want := range cases {
		if got := labels(text); len(got) == 0 || got[0] != want {
			t.Errorf("labels(%q) = %v, want %s first", text, got, want)
		}
	}
}

func TestUSD(t *testing.T) {
	for v, want := range map[float64]string{0: "$0.00", 12403.11: "$12,403.11", -1234567.5: "-$1,234,567.50", 999.999: "$1,000.00"} {
		if got := usd(v); got != want {
			t.Errorf("usd(%v) = %q, want %q", v, got, want)
		}
	}
	if signedUSD(5) != "+$5.00" || signedUSD(-5) != "-$5.00" {
		t.Error("signedUSD")
	}
}
