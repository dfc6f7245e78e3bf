// Command bench measures terraform-provider-elasticache against the bundled emulator: wall
// time of terraform apply, plan (refresh), a no-op apply and destroy for 1, 10 and 50
// quickstart-shaped stacks, AWS API calls per stack and phase from the emulator's request log,
// the provider's peak RSS, the release binary size, and the apply of one stack with the
// emulator's create delay. `make bench` runs it (scripts/bench.sh); BENCHMARKS.md describes the
// method and the latest results.
//
//	go run ./internal/bench                  # run, print the table, write bench-results/<timestamp>.json
//	go run ./internal/bench compare [A B]    # compare two result files (default: the two newest)
//
// Environment: BENCH_SIZES (default 1,10,50), BENCH_REPEAT (runs of each phase, default 1; the
// table shows the median), BENCH_PARALLELISM (default 10), BENCH_CREATE_DELAY (seconds, default
// 20), BENCH_OUT (default bench-results), BENCH_STRICT=1 (exit 1 when a target is missed),
// BENCH_TF_ENV (extra KEY=VALUE pairs for terraform and the provider, e.g. TF_LOG_SDK=off).
// The provider is built into .build/bench/mirror with its own CLI config, so a concurrent
// `make install` cannot change it mid-run.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
)

const mib = 1024 * 1024

// Phase names, in the order they run.
const (
	phaseApply   = "apply"
	phasePlan    = "plan"
	phaseNoop    = "noop-apply"
	phaseDestroy = "destroy"
)

var phases = []string{phaseApply, phasePlan, phaseNoop, phaseDestroy}

// mainTF is the benchmark's configuration: N stacks shaped like examples/quickstart.
const mainTF = `terraform {
  required_version = ">= 1.11"
  required_providers {
    elasticache = {
      source = "cachestack/elasticache"
    }
  }
}

variable "n" {
  type = number
}

variable "prefix" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "allowed_security_group_ids" {
  type = list(string)
}

provider "elasticache" {
  region = "us-east-1"

  default_tags {
    tags = {
      managed-by = "terraform"
      example    = "bench"
    }
  }
}

# Quickstart-shaped: 1 shard, 2 replicas, default alarms.
resource "elasticache_stack" "bench" {
  count = var.n
  name  = format("%s-%03d", var.prefix, count.index)

  network = {
    subnet_ids                 = var.subnet_ids
    allowed_security_group_ids = var.allowed_security_group_ids
  }

  provisioned = {
    node_type          = "cache.r7g.large"
    shards             = 1
    replicas_per_shard = 2
    eviction_policy    = "volatile-lru"
  }

  tags = {
    team = "ai-platform"
  }
}
`

type settings struct {
	Sizes            []int    `json:"sizes"`
	Repeat           int      `json:"repeat"`
	Parallelism      int      `json:"parallelism"`
	CreateDelay      float64  `json:"create_delay_seconds"`
	SampleIntervalMS int      `json:"rss_sample_interval_ms"`
	ExtraEnv         []string `json:"extra_terraform_env,omitempty"` // BENCH_TF_ENV
}

type machine struct {
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	CPU       string `json:"cpu"`
	Cores     int    `json:"cores"`
	MemMiB    int64  `json:"mem_mib"`
	LoadAvg   string `json:"loadavg_at_start"`
	LoadAvgE  string `json:"loadavg_at_end"`
	Go        string `json:"go"`
	Terraform string `json:"terraform"`
	Kernel    string `json:"kernel"`
	Emulator  string `json:"emulator"`
}

type gitInfo struct {
	Commit string `json:"commit"`
	Dirty  bool   `json:"dirty"`
}

type phaseResult struct {
	Phase string `json:"phase"`
	// Medians over the runs (BENCH_REPEAT).
	MedianSeconds     float64     `json:"median_seconds"`
	TerraformCPU      float64     `json:"terraform_cpu_seconds"` // terraform and its provider processes
	ProviderCPU       float64     `json:"provider_cpu_seconds"`
	EmulatorCPU       float64     `json:"emulator_cpu_seconds"`
	AWSSpan           float64     `json:"aws_calls_span_seconds"` // first to last API call
	ProviderPeakMiB   float64     `json:"provider_peak_rss_mib"`  // max over the runs
	ProviderProcesses int         `json:"provider_processes"`
	TerraformPeakMiB  float64     `json:"terraform_peak_rss_mib"`
	Runs              []runSample `json:"runs"`
	// API calls, from the first run.
	Calls         int            `json:"calls"`
	CallsPerStack float64        `json:"calls_per_stack"`
	Mutating      int            `json:"mutating_calls"`
	ByOperation   map[string]int `json:"by_operation"` // "service:Operation" -> calls
	MutatingOps   map[string]int `json:"mutating_by_operation,omitempty"`
	Repeated      []string       `json:"repeated_within_a_stack,omitempty"`
	Unattributed  int            `json:"calls_not_attributed_to_a_stack"`
	Changes       bool           `json:"plan_showed_changes,omitempty"`
}

// runSample is one run of a phase.
type runSample struct {
	WallSeconds     float64 `json:"wall_seconds"`
	TerraformCPU    float64 `json:"terraform_cpu_seconds"`
	ProviderCPU     float64 `json:"provider_cpu_seconds"`
	EmulatorCPU     float64 `json:"emulator_cpu_seconds"`
	AWSSpan         float64 `json:"aws_calls_span_seconds"`
	ProviderPeakMiB float64 `json:"provider_peak_rss_mib"`
	Calls           int     `json:"calls"`
	ExitCode        int     `json:"exit_code"`
	LoadAvg         string  `json:"loadavg_before"`
}

// summarize fills the medians from the runs.
func (pr *phaseResult) summarize() {
	pick := func(f func(runSample) float64) float64 {
		xs := make([]float64, 0, len(pr.Runs))
		for _, r := range pr.Runs {
			xs = append(xs, f(r))
		}
		return median(xs)
	}
	pr.MedianSeconds = pick(func(r runSample) float64 { return r.WallSeconds })
	pr.TerraformCPU = pick(func(r runSample) float64 { return r.TerraformCPU })
	pr.ProviderCPU = pick(func(r runSample) float64 { return r.ProviderCPU })
	pr.EmulatorCPU = pick(func(r runSample) float64 { return r.EmulatorCPU })
	pr.AWSSpan = pick(func(r runSample) float64 { return r.AWSSpan })
}

type sizeResult struct {
	N           int            `json:"stacks"`
	InitSeconds float64        `json:"init_seconds"`
	Phases      []*phaseResult `json:"phases"`
}

type applyOne struct {
	NoDelaySeconds   float64    `json:"no_delay_seconds"` // the 1-stack apply above
	CreateDelay      float64    `json:"create_delay_seconds"`
	WithDelaySeconds float64    `json:"with_create_delay_seconds"` // median
	Median           delayRun   `json:"median_run"`
	Runs             []delayRun `json:"runs"`
}

// delayRun is one apply of one stack with the emulator's create delay.
type delayRun struct {
	WallSeconds     float64 `json:"wall_seconds"`
	ProviderPeakMiB float64 `json:"provider_peak_rss_mib"`
	TerraformCPU    float64 `json:"terraform_cpu_seconds"`
	ProviderCPU     float64 `json:"provider_cpu_seconds"`
	Calls           int     `json:"calls"`
	Mutating        int     `json:"mutating_calls"`
	// Polls are the DescribeReplicationGroups calls, in seconds after CreateReplicationGroup.
	Polls []float64 `json:"describe_replication_groups_after_create_seconds"`
}

type target struct {
	Name   string `json:"name"`
	Target string `json:"target"`
	Value  string `json:"value"`
	Met    bool   `json:"met"`
	Note   string `json:"note,omitempty"`
}

type result struct {
	Timestamp       string           `json:"timestamp"`
	Git             gitInfo          `json:"git"`
	Machine         machine          `json:"machine"`
	Settings        settings         `json:"settings"`
	BinaryBytes     int64            `json:"release_binary_bytes"`
	Sizes           []*sizeResult    `json:"sizes"`
	ApplyOne        applyOne         `json:"apply_one_stack"`
	DataPlane       *dataPlaneFigure `json:"data_plane,omitempty"`
	Targets         []target         `json:"targets"`
	DurationSeconds float64          `json:"bench_duration_seconds"`
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "compare" {
		if err := compare(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench compare:", err)
			os.Exit(1)
		}
		return
	}
	res, err := bench()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if os.Getenv("BENCH_STRICT") == "1" {
		for _, t := range res.Targets {
			if !t.Met {
				os.Exit(1)
			}
		}
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func envSizes() ([]int, error) {
	v := os.Getenv("BENCH_SIZES")
	if v == "" {
		return []int{1, 10, 50}, nil
	}
	var out []int
	for f := range strings.SplitSeq(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("BENCH_SIZES: %q is not a positive number", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func bench() (*result, error) {
	began := time.Now()
	root, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return nil, errors.New("run from the repository root (scripts/bench.sh does)")
	}
	set, err := envSettings()
	if err != nil {
		return nil, err
	}
	sizes := set.Sizes
	work := filepath.Join(root, ".build", "bench")
	if err := os.RemoveAll(work); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}

	res := &result{
		Timestamp: time.Now().UTC().Format("20060102T150405Z"),
		Git:       gitState(root),
		Machine:   machineInfo(),
		Settings:  set,
	}

	// The provider under test is built here, into a mirror of the bench's own: `make install`
	// run by someone else meanwhile then cannot swap the binary under a running benchmark.
	logf("building the release binary: go build -trimpath -ldflags \"-s -w -X main.version=%s\"", providerVersion)
	tfrc, bin, err := buildProvider(root, work)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(bin); err == nil {
		res.BinaryBytes = st.Size()
	}

	logf("starting the emulator")
	emu, err := startEmulator(filepath.Join(work, "emulator.log"), "off")
	if err != nil {
		return nil, err
	}
	defer func() { _ = emu.Stop() }()
	res.Machine.Emulator = emu.URL
	net, err := prepareNetwork(context.Background(), emu)
	if err != nil {
		return nil, err
	}
	env := append(terraformEnv(tfrc, emu.URL), set.ExtraEnv...)

	b := &bencher{emu: emu, env: env, set: set, work: work}
	for _, n := range sizes {
		sr, err := b.size(n, net)
		if sr != nil {
			res.Sizes = append(res.Sizes, sr)
		}
		if err != nil {
			return nil, err
		}
	}
	one, err := b.applyWithDelay(net)
	if err != nil {
		return nil, err
	}
	res.ApplyOne = one
	logf("data plane: available -> first PONG")
	if res.DataPlane, err = measureDataPlane(work); err != nil {
		return nil, fmt.Errorf("data-plane figure: %w", err)
	}
	if sr := res.size(1); sr != nil {
		res.ApplyOne.NoDelaySeconds = sr.phase(phaseApply).MedianSeconds
	}
	res.Machine.LoadAvgE = loadAvg()
	res.Targets = evaluate(res)
	res.DurationSeconds = round(time.Since(began).Seconds(), 1)

	printReport(os.Stdout, res)
	return res, saveResult(root, res)
}

// envSettings reads the run's settings from the BENCH_* environment variables.
func envSettings() (settings, error) {
	sizes, err := envSizes()
	if err != nil {
		return settings{}, err
	}
	createDelay := 20.0
	if v, err := strconv.ParseFloat(os.Getenv("BENCH_CREATE_DELAY"), 64); err == nil && v >= 0 {
		createDelay = v
	}
	return settings{
		Sizes:            sizes,
		Repeat:           envInt("BENCH_REPEAT", 1),
		Parallelism:      envInt("BENCH_PARALLELISM", 10),
		CreateDelay:      createDelay,
		SampleIntervalMS: 50,
		ExtraEnv:         strings.Fields(os.Getenv("BENCH_TF_ENV")),
	}, nil
}

// saveResult writes the result as JSON under BENCH_OUT (bench-results/ by default).
func saveResult(root string, res *result) error {
	out := os.Getenv("BENCH_OUT")
	if out == "" {
		out = filepath.Join(root, "bench-results")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(out, res.Timestamp+".json")
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Printf("\nresults: %s  (compare runs: bash scripts/bench.sh compare [OLD.json NEW.json])\n", relTo(root, path))
	return nil
}

type bencher struct {
	emu  *emulator.Emulator
	env  []string
	set  settings
	work string
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "==> "+format+"\n", args...)
}

// workspace writes the configuration for n stacks named <prefix>-NNN into dir and inits it.
func (b *bencher) workspace(dir, prefix string, n int, net network) (float64, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(mainTF), 0o644); err != nil {
		return 0, err
	}
	vars, err := json.MarshalIndent(map[string]any{
		"n": n, "prefix": prefix,
		"subnet_ids": net.SubnetIDs, "allowed_security_group_ids": []string{net.AppGroupID},
	}, "", "  ")
	if err != nil {
		return 0, err
	}
	if err := os.WriteFile(filepath.Join(dir, "terraform.tfvars.json"), vars, 0o644); err != nil {
		return 0, err
	}
	r, err := terraform(dir, b.env, filepath.Join(dir, "init.log"), time.Second, "init", "-input=false", "-no-color")
	if err != nil {
		return 0, err
	}
	if r.ExitCode != 0 {
		return 0, fmt.Errorf("terraform init in %s failed:\n%s", dir, tail(r.Output, 30))
	}
	return round(r.Wall.Seconds(), 2), nil
}

func (b *bencher) args(phase string) []string {
	par := fmt.Sprintf("-parallelism=%d", b.set.Parallelism)
	switch phase {
	case phasePlan:
		return []string{"plan", "-input=false", "-no-color", "-detailed-exitcode", par}
	case phaseDestroy:
		return []string{"destroy", "-input=false", "-no-color", "-auto-approve", par}
	default:
		return []string{"apply", "-input=false", "-no-color", "-auto-approve", par}
	}
}

// size runs every phase for n stacks, BENCH_REPEAT times.
func (b *bencher) size(n int, net network) (*sizeResult, error) {
	prefix := fmt.Sprintf("bench%d", n)
	dir := filepath.Join(b.work, fmt.Sprintf("n%d", n))
	sr := &sizeResult{N: n}
	var err error
	if sr.InitSeconds, err = b.workspace(dir, prefix, n, net); err != nil {
		return nil, err
	}
	for _, p := range phases {
		sr.Phases = append(sr.Phases, &phaseResult{Phase: p})
	}
	sgOwner := map[string]string{}
	for rep := 0; rep < b.set.Repeat; rep++ {
		for _, pr := range sr.Phases {
			logf("%d stack(s): terraform %s (run %d/%d)", n, pr.Phase, rep+1, b.set.Repeat)
			if err := b.emu.ResetRequests(context.Background()); err != nil {
				return sr, err
			}
			load := loadAvg()
			emuCPU0, _ := cpuTime(b.emu.PID())
			r, err := terraform(dir, b.env, filepath.Join(dir, fmt.Sprintf("%s.%d.log", pr.Phase, rep+1)),
				time.Duration(b.set.SampleIntervalMS)*time.Millisecond, b.args(pr.Phase)...)
			if err != nil {
				return sr, err
			}
			emuCPU1, _ := cpuTime(b.emu.PID())
			reqs, err := b.emu.Requests(context.Background())
			if err != nil {
				return sr, err
			}
			pr.Runs = append(pr.Runs, runSample{
				WallSeconds:     round(r.Wall.Seconds(), 2),
				TerraformCPU:    round(r.TerraformCPU.Seconds(), 2),
				ProviderCPU:     round(r.ProviderCPU.Seconds(), 2),
				EmulatorCPU:     round((emuCPU1 - emuCPU0).Seconds(), 2),
				AWSSpan:         round(span(reqs).Seconds(), 2),
				ProviderPeakMiB: round(float64(r.ProviderPeakKiB)/1024, 1),
				Calls:           len(reqs),
				ExitCode:        r.ExitCode,
				LoadAvg:         load,
			})
			pr.ProviderPeakMiB = max(pr.ProviderPeakMiB, round(float64(r.ProviderPeakKiB)/1024, 1))
			pr.ProviderProcesses = max(pr.ProviderProcesses, r.ProviderProcs)
			pr.TerraformPeakMiB = max(pr.TerraformPeakMiB, round(float64(r.TerraformPeakKiB)/1024, 1))
			failed := r.ExitCode != 0 && !(pr.Phase == phasePlan && r.ExitCode == 2)
			if pr.Phase == phasePlan && r.ExitCode == 2 {
				pr.Changes = true
			}
			if rep == 0 {
				if pr.Phase == phaseApply {
					sgOwner = securityGroupOwners(dir)
				}
				pr.count(reqs, n, sgOwner)
			}
			if failed {
				logf("terraform %s failed (exit %d); output:\n%s", pr.Phase, r.ExitCode, tail(r.Output, 40))
				if pr.Phase != phaseDestroy {
					_, _ = terraform(dir, b.env, filepath.Join(dir, "cleanup-destroy.log"), time.Second, b.args(phaseDestroy)...)
				}
				return sr, fmt.Errorf("%d stacks: terraform %s failed; logs in %s", n, pr.Phase, dir)
			}
		}
	}
	for _, pr := range sr.Phases {
		pr.summarize()
	}
	return sr, nil
}

// span is the time from the first to the last logged API call.
func span(reqs []request) time.Duration {
	var first, last time.Time
	for _, q := range reqs {
		t := q.Time
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	return last.Sub(first)
}

// count fills the phase's API call figures from the emulator's request log.
func (pr *phaseResult) count(reqs []request, n int, sgOwner map[string]string) {
	pr.ByOperation = map[string]int{}
	perStack := map[string]map[string]int{}
	for _, q := range reqs {
		op := q.Service + ":" + q.Operation
		pr.Calls++
		pr.ByOperation[op]++
		if q.Mutating {
			pr.Mutating++
			if pr.MutatingOps == nil {
				pr.MutatingOps = map[string]int{}
			}
			pr.MutatingOps[op]++
		}
		stack := stackOf(q.Resource, sgOwner)
		if stack == "" {
			pr.Unattributed++
			continue
		}
		if perStack[stack] == nil {
			perStack[stack] = map[string]int{}
		}
		perStack[stack][op]++
	}
	pr.CallsPerStack = round(float64(pr.Calls)/float64(n), 2)
	if pr.Phase != phasePlan && pr.Phase != phaseNoop {
		return
	}
	// A refresh should make each call at most once per stack. Calls naming a stack's resource
	// are checked stack by stack; the others (filters, prefixes) by their average per stack.
	flagged := map[string]bool{}
	for stack, ops := range perStack {
		for op, c := range ops {
			if c > 1 && !flagged[op] {
				flagged[op] = true
				pr.Repeated = append(pr.Repeated, fmt.Sprintf("%s: %d calls for %s", op, c, stack))
			}
		}
	}
	for op, c := range pr.ByOperation {
		if c > n && !flagged[op] && !perConfigure[op] {
			flagged[op] = true
			pr.Repeated = append(pr.Repeated, fmt.Sprintf("%s: %d calls for %d stacks", op, c, n))
		}
	}
	sort.Strings(pr.Repeated)
}

// perConfigure are calls the provider makes once per Configure, i.e. once per provider process
// that Terraform configures (a `terraform apply` configures one for its plan and one for its
// apply), whatever the number of stacks: not part of any stack's refresh.
var perConfigure = map[string]bool{"sts:GetCallerIdentity": true}

var stackName = regexp.MustCompile(`bench[a-z0-9]*-[0-9]{3}`)

// stackOf names the stack a logged resource belongs to: stack names appear in every ElastiCache
// id, ARN and alarm name; security group ids are mapped from state.
func stackOf(resource string, sgOwner map[string]string) string {
	if resource == "" {
		return ""
	}
	if s, ok := sgOwner[resource]; ok {
		return s
	}
	return stackName.FindString(resource)
}

// securityGroupOwners maps each stack's security group id to the stack name, from state.
func securityGroupOwners(dir string) map[string]string {
	out := map[string]string{}
	data, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		return out
	}
	var st struct {
		Resources []struct {
			Instances []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if json.Unmarshal(data, &st) != nil {
		return out
	}
	for _, r := range st.Resources {
		for _, i := range r.Instances {
			sg, _ := i.Attributes["security_group_id"].(string)
			name, _ := i.Attributes["name"].(string)
			if sg != "" && name != "" {
				out[sg] = name
			}
		}
	}
	return out
}

// applyWithDelay applies one stack while the emulator keeps new resources `creating` for the
// configured delay, then destroys it; BENCH_REPEAT times.
func (b *bencher) applyWithDelay(net network) (applyOne, error) {
	out := applyOne{CreateDelay: b.set.CreateDelay}
	dir := filepath.Join(b.work, "delay")
	if _, err := b.workspace(dir, "benchdelay", 1, net); err != nil {
		return out, err
	}
	for rep := 0; rep < b.set.Repeat; rep++ {
		logf("1 stack: terraform apply with the emulator's create delay at %gs (run %d/%d)", b.set.CreateDelay, rep+1, b.set.Repeat)
		if err := setCreateDelay(b.emu, b.set.CreateDelay); err != nil {
			return out, err
		}
		if err := b.emu.ResetRequests(context.Background()); err != nil {
			return out, err
		}
		r, err := terraform(dir, b.env, filepath.Join(dir, fmt.Sprintf("apply.%d.log", rep+1)), time.Duration(b.set.SampleIntervalMS)*time.Millisecond, b.args(phaseApply)...)
		if resetErr := setCreateDelay(b.emu, 0); resetErr != nil && err == nil {
			err = resetErr
		}
		if err != nil {
			return out, err
		}
		reqs, _ := b.emu.Requests(context.Background())
		run := delayRun{
			WallSeconds:     round(r.Wall.Seconds(), 2),
			ProviderPeakMiB: round(float64(r.ProviderPeakKiB)/1024, 1),
			TerraformCPU:    round(r.TerraformCPU.Seconds(), 2),
			ProviderCPU:     round(r.ProviderCPU.Seconds(), 2),
			Calls:           len(reqs),
		}
		var created time.Time
		for _, q := range reqs {
			if q.Mutating {
				run.Mutating++
			}
			t := q.Time
			switch {
			case q.Operation == "CreateReplicationGroup":
				created = t
			case q.Operation == "DescribeReplicationGroups" && !created.IsZero():
				run.Polls = append(run.Polls, round(t.Sub(created).Seconds(), 2))
			}
		}
		out.Runs = append(out.Runs, run)
		logf("1 stack: terraform destroy")
		d, derr := terraform(dir, b.env, filepath.Join(dir, fmt.Sprintf("destroy.%d.log", rep+1)), time.Second, b.args(phaseDestroy)...)
		if r.ExitCode != 0 {
			return out, fmt.Errorf("apply with create delay failed (exit %d):\n%s", r.ExitCode, tail(r.Output, 40))
		}
		if derr != nil {
			return out, derr
		}
		if d.ExitCode != 0 {
			return out, fmt.Errorf("destroy after the create-delay apply failed:\n%s", tail(d.Output, 40))
		}
	}
	walls := make([]float64, 0, len(out.Runs))
	for _, r := range out.Runs {
		walls = append(walls, r.WallSeconds)
	}
	out.WithDelaySeconds = median(walls)
	// The run closest to the median represents the phase in the table.
	best := out.Runs[0]
	for _, r := range out.Runs {
		if abs(r.WallSeconds-out.WithDelaySeconds) < abs(best.WallSeconds-out.WithDelaySeconds) {
			best = r
		}
	}
	out.Median = best
	return out, nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func (r *result) size(n int) *sizeResult {
	for _, s := range r.Sizes {
		if s.N == n {
			return s
		}
	}
	return nil
}

func (s *sizeResult) phase(name string) *phaseResult {
	for _, p := range s.Phases {
		if p.Phase == name {
			return p
		}
	}
	return &phaseResult{Phase: name}
}

// providerVersion is the version the bench's mirror serves the provider as.
const providerVersion = "0.1.0"

// buildProvider builds the provider as a release is built into work/mirror and writes a CLI
// config that installs it from there. It returns the config's and the binary's paths.
func buildProvider(root, work string) (string, string, error) {
	mirror := filepath.Join(work, "mirror")
	dir := filepath.Join(mirror, "registry.terraform.io", "cachestack", "elasticache", providerVersion, runtime.GOOS+"_"+runtime.GOARCH)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	bin := filepath.Join(dir, "terraform-provider-elasticache_v"+providerVersion)
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -X main.version="+providerVersion, "-o", bin, ".")
	build.Dir = root
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false")
	if out, err := build.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	tfrc := filepath.Join(work, "terraformrc")
	rc := exec.Command("bash", filepath.Join(root, "scripts", "terraformrc.sh"), mirror, tfrc)
	if out, err := rc.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("scripts/terraformrc.sh: %v\n%s", err, out)
	}
	return tfrc, bin, nil
}

// terraformEnv is this process's environment without anything that would point Terraform or
// the AWS SDK elsewhere, plus the emulator endpoint and test credentials.
func terraformEnv(tfrc, url string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") || strings.HasPrefix(k, "TF_") || k == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"TF_CLI_CONFIG_FILE="+tfrc,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
		"AWS_ENDPOINT_URL="+url,
		"AWS_ACCESS_KEY_ID=test",
		"AWS_SECRET_ACCESS_KEY=test",
		"AWS_REGION=us-east-1",
		"AWS_EC2_METADATA_DISABLED=true",
	)
}

func gitState(root string) gitInfo {
	var g gitInfo
	if out, err := exec.Command("git", "-C", root, "rev-parse", "--short=12", "HEAD").Output(); err == nil {
		g.Commit = strings.TrimSpace(string(out))
	}
	if out, err := exec.Command("git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output(); err == nil {
		g.Dirty = len(strings.TrimSpace(string(out))) > 0
	}
	return g
}

func machineInfo() machine {
	m := machine{OS: runtime.GOOS, Arch: runtime.GOARCH, Cores: runtime.NumCPU(), Go: runtime.Version(), LoadAvg: loadAvg()}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.SplitSeq(string(data), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				if f := strings.Fields(rest); len(f) > 0 {
					kb, _ := strconv.ParseInt(f[0], 10, 64)
					m.MemMiB = kb / 1024
				}
			}
		}
	}
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(data))
	}
	if out, err := exec.Command("terraform", "version").Output(); err == nil {
		m.Terraform = strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
	}
	return m
}

func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return round((s[len(s)/2-1]+s[len(s)/2])/2, 2)
}

func round(x float64, digits int) float64 {
	p := 1.0
	for range digits {
		p *= 10
	}
	if x < 0 {
		return -float64(int64(-x*p+0.5)) / p
	}
	return float64(int64(x*p+0.5)) / p
}

func tail(s string, lines int) string {
	parts := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(parts) > lines {
		parts = parts[len(parts)-lines:]
	}
	return strings.Join(parts, "\n")
}

func relTo(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}
