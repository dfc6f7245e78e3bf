package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
)

// Targets of issue 10.
const (
	targetRefreshCalls = 8
	targetPlanScale    = 10.0
	targetApplyOne     = 5.0
	targetApplyDelay   = 25.0
	targetRSSMiB       = 80.0
	targetBinaryMiB    = 40.0
)

func evaluate(r *result) []target {
	var ts []target
	add := func(name, goal, value string, met bool, note string) {
		ts = append(ts, target{Name: name, Target: goal, Value: value, Met: met, Note: note})
	}
	one, fifty := r.size(1), r.size(50)
	if one != nil {
		p := one.phase(phasePlan)
		note := ""
		if fifty != nil {
			note = fmt.Sprintf("%.2f per stack at 50 stacks", fifty.phase(phasePlan).CallsPerStack)
		}
		add("refresh of one stack: AWS API calls", fmt.Sprintf("<= %d", targetRefreshCalls), fmt.Sprint(p.Calls), p.Calls <= targetRefreshCalls, note)
	}
	var repeated []string
	for _, s := range r.Sizes {
		for _, name := range []string{phasePlan, phaseNoop} {
			for _, rep := range s.phase(name).Repeated {
				repeated = append(repeated, fmt.Sprintf("%d stacks %s: %s", s.N, name, rep))
			}
		}
	}
	if len(r.Sizes) > 0 {
		add("no call repeated within one stack's refresh", "none", fmt.Sprint(len(repeated)), len(repeated) == 0, strings.Join(repeated, "; "))
	}
	if one != nil && fifty != nil {
		a, b := one.phase(phasePlan).MedianSeconds, fifty.phase(phasePlan).MedianSeconds
		ratio := 0.0
		if a > 0 {
			ratio = b / a
		}
		p1, p50 := one.phase(phasePlan), fifty.phase(phasePlan)
		cpu1, cpu50 := p1.TerraformCPU+p1.EmulatorCPU, p50.TerraformCPU+p50.EmulatorCPU
		note := fmt.Sprintf("CPU s (terraform+provider+emulator) %.2f vs %.2f", cpu50, cpu1)
		if len(p50.Runs) > 0 {
			note += "; load avg before the 50-stack plan " + p50.Runs[0].LoadAvg
		}
		add("plan of 50 stacks vs 1 stack (wall)", fmt.Sprintf("<= %.0fx", targetPlanScale), fmt.Sprintf("%.1fx (%.2f s / %.2f s)", ratio, b, a), ratio <= targetPlanScale, note)
	}
	if one != nil {
		v := one.phase(phaseApply).MedianSeconds
		add("apply of one stack, no emulator delay", fmt.Sprintf("< %.0f s", targetApplyOne), fmt.Sprintf("%.2f s", v), v < targetApplyOne, "")
	}
	if r.ApplyOne.WithDelaySeconds > 0 {
		v := r.ApplyOne.WithDelaySeconds
		goal := targetApplyDelay - 20 + r.ApplyOne.CreateDelay
		add(fmt.Sprintf("apply of one stack, create delay %gs", r.ApplyOne.CreateDelay), fmt.Sprintf("< %.0f s", goal), fmt.Sprintf("%.2f s", v), v < goal,
			fmt.Sprintf("DescribeReplicationGroups at %s s after CreateReplicationGroup", joinFloats(r.ApplyOne.Median.Polls)))
	}
	if fifty != nil {
		v := fifty.phase(phasePlan).ProviderPeakMiB
		add("provider peak RSS, plan of 50 stacks", fmt.Sprintf("< %.0f MiB", targetRSSMiB), fmt.Sprintf("%.1f MiB", v), v > 0 && v < targetRSSMiB,
			fmt.Sprintf("VmHWM, %d provider process(es)", fifty.phase(phasePlan).ProviderProcesses))
	}
	if r.BinaryBytes > 0 {
		v := float64(r.BinaryBytes) / mib
		add("release binary size", fmt.Sprintf("< %.0f MiB", targetBinaryMiB), fmt.Sprintf("%.1f MiB", v), v < targetBinaryMiB, "go build -trimpath -ldflags \"-s -w -X main.version=...\"")
	}
	var mutating []string
	for _, s := range r.Sizes {
		p := s.phase(phaseNoop)
		for _, op := range slices.Sorted(maps.Keys(p.MutatingOps)) {
			mutating = append(mutating, fmt.Sprintf("%d stacks: %s x%d", s.N, op, p.MutatingOps[op]))
		}
	}
	if len(r.Sizes) > 0 {
		total := 0
		for _, s := range r.Sizes {
			total += s.phase(phaseNoop).Mutating
		}
		add("no-op apply: mutating calls", "0", fmt.Sprint(total), total == 0, strings.Join(mutating, "; "))
		var drift []string
		for _, s := range r.Sizes {
			if s.phase(phasePlan).Changes {
				drift = append(drift, fmt.Sprintf("%d stacks", s.N))
			}
		}
		add("plan after apply shows no changes", "no changes", fmt.Sprint(len(drift) == 0), len(drift) == 0, strings.Join(drift, ", "))
	}
	return ts
}

var phaseLabel = map[string]string{phaseApply: "apply", phasePlan: "plan (refresh)", phaseNoop: "no-op apply", phaseDestroy: "destroy"}

func printReport(w io.Writer, r *result) {
	dirty := ""
	if r.Git.Dirty {
		dirty = " (uncommitted changes)"
	}
	fmt.Fprintf(w, "\nterraform-provider-elasticache benchmark %s, commit %s%s\n", r.Timestamp, r.Git.Commit, dirty)
	fmt.Fprintf(w, "machine: %d cores %s, %d MiB, %s; %s, %s; load avg %s -> %s\n",
		r.Machine.Cores, r.Machine.CPU, r.Machine.MemMiB, r.Machine.Kernel, r.Machine.Terraform, r.Machine.Go, r.Machine.LoadAvg, r.Machine.LoadAvgE)
	fmt.Fprintf(w, "settings: -parallelism=%d, %d run(s) per phase (median shown), provider RSS sampled every %d ms\n",
		r.Settings.Parallelism, r.Settings.Repeat, r.Settings.SampleIntervalMS)
	if len(r.Settings.ExtraEnv) > 0 {
		fmt.Fprintf(w, "extra environment (BENCH_TF_ENV): %s\n", strings.Join(r.Settings.ExtraEnv, " "))
	}
	fmt.Fprintf(w, "release binary: %.1f MiB (%d bytes)\n\n", float64(r.BinaryBytes)/mib, r.BinaryBytes)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "stacks\tphase\twall s\tAPI calls\tcalls/stack\tmutating\tprovider peak RSS MiB\t|\tCPU s: terraform+provider\tprovider\temulator\tAPI calls span s\t")
	for _, s := range r.Sizes {
		for _, p := range s.Phases {
			fmt.Fprintf(tw, "%d\t%s\t%.2f\t%d\t%.2f\t%d\t%.1f\t|\t%.2f\t%.2f\t%.2f\t%.2f\t\n", s.N, phaseLabel[p.Phase], p.MedianSeconds,
				p.Calls, p.CallsPerStack, p.Mutating, p.ProviderPeakMiB, p.TerraformCPU, p.ProviderCPU, p.EmulatorCPU, p.AWSSpan)
		}
	}
	if a := r.ApplyOne; a.WithDelaySeconds > 0 {
		m := a.Median
		fmt.Fprintf(tw, "1\tapply, create delay %gs\t%.2f\t%d\t%d\t%d\t%.1f\t|\t%.2f\t%.2f\t\t\t\n", a.CreateDelay, a.WithDelaySeconds,
			m.Calls, m.Calls, m.Mutating, m.ProviderPeakMiB, m.TerraformCPU, m.ProviderCPU)
	}
	_ = tw.Flush()
	if d := r.DataPlane; d != nil {
		if d.Skipped != "" {
			fmt.Fprintf(w, "\ndata plane: not measured (%s)\n", d.Skipped)
		} else {
			fmt.Fprintf(w, "\ndata plane (1 shard, 2 replicas, TLS): first PONG %.1f ms after the first `available` (engines start on that first connection; the describe took %.2f s)\n",
				d.AvailableToPongMS, d.AvailableDescribeS)
		}
	}

	printRefreshByOperation(w, r)
	printOneStackByOperation(w, r)

	fmt.Fprintln(w, "\ntargets (issue 10)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "target\tgoal\tmeasured\tresult\tnote\t")
	for _, t := range r.Targets {
		verdict := "met"
		if !t.Met {
			verdict = "MISSED"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", t.Name, t.Target, t.Value, verdict, t.Note)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "\nbench took %.0f s\n", r.DurationSeconds)
}

// printRefreshByOperation prints refresh calls by operation: per stack at each size, flagged
// when repeated.
func printRefreshByOperation(w io.Writer, r *result) {
	if len(r.Sizes) == 0 {
		return
	}
	fmt.Fprintln(w, "\nrefresh (terraform plan): API calls per stack by operation")
	ops := map[string]bool{}
	for _, s := range r.Sizes {
		for op := range s.phase(phasePlan).ByOperation {
			ops[op] = true
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "operation\t"
	for _, s := range r.Sizes {
		head += fmt.Sprintf("%d stack(s)\t", s.N)
	}
	fmt.Fprintln(tw, head+"repeated in one stack's refresh?\t")
	for _, op := range slices.Sorted(maps.Keys(ops)) {
		line := op + "\t"
		flag := ""
		for _, s := range r.Sizes {
			p := s.phase(phasePlan)
			line += fmt.Sprintf("%.2f\t", float64(p.ByOperation[op])/float64(s.N))
			for _, rep := range p.Repeated {
				if strings.HasPrefix(rep, op+":") {
					flag = "REPEATED: " + rep
				}
			}
		}
		if flag == "" {
			flag = "no"
			if perConfigure[op] || fixedCount(r.Sizes, op) {
				flag = "no (once per provider Configure, not per stack)"
			}
		}
		fmt.Fprintln(tw, line+flag+"\t")
	}
	_ = tw.Flush()
}

// printOneStackByOperation prints one stack's calls, every phase, by operation.
func printOneStackByOperation(w io.Writer, r *result) {
	one := r.size(1)
	if one == nil {
		return
	}
	fmt.Fprintln(w, "\none stack: API calls by operation and phase")
	ops := map[string]bool{}
	for _, p := range one.Phases {
		for op := range p.ByOperation {
			ops[op] = true
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "operation\t"
	for _, p := range one.Phases {
		head += phaseLabel[p.Phase] + "\t"
	}
	fmt.Fprintln(tw, head)
	for _, op := range slices.Sorted(maps.Keys(ops)) {
		line := op + "\t"
		for _, p := range one.Phases {
			if c := p.ByOperation[op]; c > 0 {
				line += fmt.Sprintf("%d\t", c)
			} else {
				line += "-\t"
			}
		}
		fmt.Fprintln(tw, line)
	}
	_ = tw.Flush()
}

// fixedCount is whether the plan made the same number of op calls at every size (more than one).
func fixedCount(sizes []*sizeResult, op string) bool {
	if len(sizes) < 2 {
		return false
	}
	first := sizes[0].phase(phasePlan).ByOperation[op]
	for _, s := range sizes[1:] {
		if s.phase(phasePlan).ByOperation[op] != first {
			return false
		}
	}
	return true
}

// compare prints two result files side by side: OLD NEW, or the two newest in bench-results.
func compare(args []string) error {
	if len(args) == 0 {
		dir := os.Getenv("BENCH_OUT")
		if dir == "" {
			dir = "bench-results"
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		sort.Strings(files) // names are UTC timestamps
		if len(files) < 2 {
			return fmt.Errorf("need two result files in %s (found %d); or pass OLD.json NEW.json", dir, len(files))
		}
		args = files[len(files)-2:]
	}
	if len(args) != 2 {
		return errors.New("usage: compare [OLD.json NEW.json]")
	}
	var rs [2]*result
	for i, path := range args {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rs[i] = &result{}
		if err := json.Unmarshal(data, rs[i]); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	a, b := rs[0], rs[1]
	fmt.Printf("old: %s  commit %s  load %s  (%s)\n", a.Timestamp, a.Git.Commit, a.Machine.LoadAvg, args[0])
	fmt.Printf("new: %s  commit %s  load %s  (%s)\n\n", b.Timestamp, b.Git.Commit, b.Machine.LoadAvg, args[1])
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "stacks\tphase\twall s old\tnew\tchange\tCPU s old\tnew\tchange\tcalls/stack old\tnew\tRSS MiB old\tnew\t")
	for _, sa := range a.Sizes {
		sb := b.size(sa.N)
		if sb == nil {
			continue
		}
		for _, pa := range sa.Phases {
			pb := sb.phase(pa.Phase)
			fmt.Fprintf(tw, "%d\t%s\t%.2f\t%.2f\t%s\t%.2f\t%.2f\t%s\t%.2f\t%.2f\t%.1f\t%.1f\t\n", sa.N, phaseLabel[pa.Phase],
				pa.MedianSeconds, pb.MedianSeconds, change(pa.MedianSeconds, pb.MedianSeconds),
				pa.TerraformCPU, pb.TerraformCPU, change(pa.TerraformCPU, pb.TerraformCPU),
				pa.CallsPerStack, pb.CallsPerStack, pa.ProviderPeakMiB, pb.ProviderPeakMiB)
		}
	}
	fmt.Fprintf(tw, "1\tapply, create delay\t%.2f\t%.2f\t%s\t\t\t\t\t\t\t\t\n", a.ApplyOne.WithDelaySeconds, b.ApplyOne.WithDelaySeconds,
		change(a.ApplyOne.WithDelaySeconds, b.ApplyOne.WithDelaySeconds))
	_ = tw.Flush()
	fmt.Printf("\nrelease binary: %.1f MiB -> %.1f MiB\n", float64(a.BinaryBytes)/mib, float64(b.BinaryBytes)/mib)
	fmt.Println("\ntargets:")
	old := map[string]target{}
	for _, t := range a.Targets {
		old[t.Name] = t
	}
	tw = tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	for _, t := range b.Targets {
		o, ok := old[t.Name]
		was := "-"
		if ok {
			was = o.Value
		}
		verdict := "met"
		if !t.Met {
			verdict = "MISSED"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s -> %s\t%s\t\n", t.Name, t.Target, was, t.Value, verdict)
	}
	return tw.Flush()
}

func change(before, after float64) string {
	if before == 0 {
		return "-"
	}
	return fmt.Sprintf("%+.0f%%", (after-before)/before*100)
}

func joinFloats(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.1f", x)
	}
	return strings.Join(parts, ", ")
}
