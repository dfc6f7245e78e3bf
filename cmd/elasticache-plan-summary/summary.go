package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Summary is what a reviewer needs from a plan's elasticache_stack changes. It is also the
// --format json document, so its field names are a contract for bots.
type Summary struct {
	// Stacks are the changing stacks, sorted by address.
	Stacks []StackChange `json:"stacks"`
	// MonthlyBeforeUSD / MonthlyAfterUSD / MonthlyChangeUSD total the stacks above.
	MonthlyBeforeUSD float64 `json:"monthly_before_usd"`
	MonthlyAfterUSD  float64 `json:"monthly_after_usd"`
	MonthlyChangeUSD float64 `json:"monthly_change_usd"`
	// CostUnknown lists stacks whose cost is unknown until apply (not in the totals).
	CostUnknown []string `json:"cost_unknown,omitempty"`
	// WarningsRead says whether a plan -json stream was given (warnings appear only there).
	WarningsRead bool `json:"warnings_read"`
}

// StackChange is one elasticache_stack that the plan creates, updates, replaces or deletes.
type StackChange struct {
	Address         string                 `json:"address"`
	Name            string                 `json:"name"`
	Action          string                 `json:"action"` // create, update, replace, delete
	ShapeBefore     string                 `json:"shape_before,omitempty"`
	ShapeAfter      string                 `json:"shape_after,omitempty"`
	MonthlyBefore   *float64               `json:"monthly_before_usd"`
	MonthlyAfter    *float64               `json:"monthly_after_usd"`
	MonthlyChange   *float64               `json:"monthly_change_usd"`
	Warnings        []Warning              `json:"warnings"`
	Recommendations []RecommendationChange `json:"recommendations"`
}

// Warning is one warning the provider attached to the stack in the plan.
type Warning struct {
	Summary string `json:"summary"`
	// Attribute is the attribute the warning names ("" for destroy and cost warnings).
	Attribute string `json:"attribute,omitempty"`
	Detail    string `json:"detail"`
	// Labels classify the disruption: data lost, data kept, failover, maintenance window,
	// resharding, AUTH cut-over, cost.
	Labels []string `json:"labels"`
}

// RecommendationChange is a recommendation whose monthly saving changed with the plan.
type RecommendationChange struct {
	Kind          string  `json:"kind"`
	SavingsBefore float64 `json:"monthly_savings_before_usd"`
	SavingsAfter  float64 `json:"monthly_savings_after_usd"`
	// Summary is the recommendation after the change; "" when it no longer applies.
	Summary string `json:"summary"`
}

// showPlan is the part of `terraform show -json <planfile>` this command reads.
type showPlan struct {
	FormatVersion   string `json:"format_version"`
	ResourceChanges []struct {
		Address string `json:"address"`
		Type    string `json:"type"`
		Mode    string `json:"mode"`
		Change  struct {
			Actions []string        `json:"actions"`
			Before  json.RawMessage `json:"before"`
			After   json.RawMessage `json:"after"`
		} `json:"change"`
	} `json:"resource_changes"`
}

// stackValues are the attributes of an elasticache_stack the summary reads.
type stackValues struct {
	Name          string `json:"name"`
	Mode          string `json:"mode"`
	Engine        string `json:"engine"`
	EngineVersion string `json:"engine_version"`
	Provisioned   *struct {
		NodeType         string `json:"node_type"`
		Shards           int    `json:"shards"`
		ReplicasPerShard int    `json:"replicas_per_shard"`
		NumNodes         *int   `json:"num_nodes"`
	} `json:"provisioned"`
	Serverless *struct {
		MaxDataStorageGB *float64 `json:"max_data_storage_gb"`
		MaxECPUPerSecond *float64 `json:"max_ecpu_per_second"`
	} `json:"serverless"`
	Cost *struct {
		MonthlyUSD *float64 `json:"monthly_usd"`
	} `json:"cost"`
	Recommendations []struct {
		Kind              string  `json:"kind"`
		Summary           string  `json:"summary"`
		MonthlySavingsUSD float64 `json:"monthly_savings_usd"`
	} `json:"recommendations"`
}

// planLogLine is one line of the `terraform plan -json` stream.
type planLogLine struct {
	Type       string `json:"type"`
	Diagnostic *struct {
		Severity string `json:"severity"`
		Summary  string `json:"summary"`
		Detail   string `json:"detail"`
		Address  string `json:"address"`
	} `json:"diagnostic"`
}

// Summarize reads the show JSON and, when planLog is not nil, the plan -json stream.
func Summarize(show io.Reader, planLog io.Reader) (Summary, error) {
	var plan showPlan
	if err := json.NewDecoder(show).Decode(&plan); err != nil {
		return Summary{}, fmt.Errorf("reading terraform show -json output: %w", err)
	}
	if plan.FormatVersion == "" {
		return Summary{}, fmt.Errorf("not the output of terraform show -json <planfile>: no format_version")
	}
	s := Summary{Stacks: []StackChange{}}
	for _, rc := range plan.ResourceChanges {
		if rc.Type != "elasticache_stack" || rc.Mode != "managed" {
			continue
		}
		action := actionOf(rc.Change.Actions)
		if action == "" {
			continue
		}
		sc, err := stackChange(rc.Address, action, rc.Change.Before, rc.Change.After)
		if err != nil {
			return Summary{}, err
		}
		s.Stacks = append(s.Stacks, sc)
	}
	sort.Slice(s.Stacks, func(i, j int) bool { return s.Stacks[i].Address < s.Stacks[j].Address })
	if planLog != nil {
		s.WarningsRead = true
		if err := attachWarnings(&s, planLog); err != nil {
			return Summary{}, err
		}
	}
	s.total()
	return s, nil
}

// actionOf maps Terraform's action list to the summary's verb; "" for no change.
func actionOf(actions []string) string {
	switch {
	case slices.Equal(actions, []string{"create"}):
		return "create"
	case slices.Equal(actions, []string{"update"}):
		return "update"
	case slices.Equal(actions, []string{"delete"}):
		return "delete"
	case slices.Contains(actions, "create") && slices.Contains(actions, "delete"):
		return "replace"
	default:
		return ""
	}
}

func stackChange(address, action string, beforeRaw, afterRaw json.RawMessage) (StackChange, error) {
	var before, after *stackValues
	for _, v := range []struct {
		raw json.RawMessage
		out **stackValues
	}{{beforeRaw, &before}, {afterRaw, &after}} {
		if len(v.raw) == 0 || string(v.raw) == "null" {
			continue
		}
		*v.out = &stackValues{}
		if err := json.Unmarshal(v.raw, *v.out); err != nil {
			return StackChange{}, fmt.Errorf("%s: %w", address, err)
		}
	}
	sc := StackChange{Address: address, Action: action, Warnings: []Warning{}, Recommendations: []RecommendationChange{}}
	if before != nil {
		sc.Name, sc.ShapeBefore, sc.MonthlyBefore = before.Name, before.shape(), before.monthly()
	} else {
		sc.MonthlyBefore = ptr(0)
	}
	if after != nil {
		sc.Name, sc.ShapeAfter, sc.MonthlyAfter = after.Name, after.shape(), after.monthly()
	} else {
		sc.MonthlyAfter = ptr(0)
	}
	if sc.MonthlyBefore != nil && sc.MonthlyAfter != nil {
		sc.MonthlyChange = ptr(round2(*sc.MonthlyAfter - *sc.MonthlyBefore))
	}
	sc.Recommendations = recommendationChanges(before, after)
	return sc, nil
}

// shape is a one-line description: engine and version, then the nodes or the serverless limits.
func (v *stackValues) shape() string {
	engine := strings.TrimSpace(v.Engine + " " + v.EngineVersion)
	switch {
	case v.Mode == "serverless":
		parts := []string{engine, "serverless"}
		if v.Serverless != nil && v.Serverless.MaxDataStorageGB != nil {
			parts = append(parts, fmt.Sprintf("≤ %g GB", *v.Serverless.MaxDataStorageGB))
		}
		if v.Serverless != nil && v.Serverless.MaxECPUPerSecond != nil {
			parts = append(parts, fmt.Sprintf("≤ %g ECPU/s", *v.Serverless.MaxECPUPerSecond))
		}
		return strings.Join(parts, ", ")
	case v.Provisioned == nil:
		return engine
	case v.Engine == "memcached" && v.Provisioned.NumNodes != nil:
		return fmt.Sprintf("%s, %d × %s", engine, *v.Provisioned.NumNodes, v.Provisioned.NodeType)
	default:
		p := v.Provisioned
		shards := max(p.Shards, 1)
		return fmt.Sprintf("%s, %d shard%s × %d node%s of %s", engine, shards, plural(shards),
			1+p.ReplicasPerShard, plural(1+p.ReplicasPerShard), p.NodeType)
	}
}

func (v *stackValues) monthly() *float64 {
	if v.Cost == nil || v.Cost.MonthlyUSD == nil {
		return nil
	}
	return ptr(*v.Cost.MonthlyUSD)
}

// recommendationChanges lists, by kind, the recommendations whose saving differs between
// before and after (new ones included; dropped ones with a saving of 0 after).
func recommendationChanges(before, after *stackValues) []RecommendationChange {
	type rec struct {
		saving  float64
		summary string
	}
	index := func(v *stackValues) map[string]rec {
		m := map[string]rec{}
		if v != nil {
			for _, r := range v.Recommendations {
				m[r.Kind] = rec{r.MonthlySavingsUSD, r.Summary}
			}
		}
		return m
	}
	b, a := index(before), index(after)
	kinds := map[string]bool{}
	for k := range b {
		kinds[k] = true
	}
	for k := range a {
		kinds[k] = true
	}
	out := []RecommendationChange{}
	for _, k := range sortedKeys(kinds) {
		if after == nil || b[k].saving == a[k].saving {
			continue
		}
		out = append(out, RecommendationChange{Kind: k, SavingsBefore: b[k].saving, SavingsAfter: a[k].saving, Summary: a[k].summary})
	}
	return out
}

var (
	// The provider's warning summaries start with the stack: `elasticache_stack "name"`.
	stackPrefix = regexp.MustCompile(`^elasticache_stack "[^"]*"(: | )`)
	// Attribute warnings end their detail with "Attribute: <path>".
	attributeLine = regexp.MustCompile(`\n\nAttribute: (\S+)\s*$`)
	// A replacement lists its causes as "- <attribute>: <why>".
	replaceCause = regexp.MustCompile(`(?m)^- ([a-z_.]+): `)
)

// attachWarnings reads the plan -json stream and files each provider warning under its stack.
func attachWarnings(s *Summary, planLog io.Reader) error {
	byAddress := map[string]*StackChange{}
	for i := range s.Stacks {
		byAddress[s.Stacks[i].Address] = &s.Stacks[i]
	}
	sc := bufio.NewScanner(planLog)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for sc.Scan() {
		var line planLogLine
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return fmt.Errorf("reading terraform plan -json output: %w", err)
		}
		d := line.Diagnostic
		if line.Type != "diagnostic" || d == nil || d.Severity != "warning" {
			continue
		}
		stack, ok := byAddress[d.Address]
		if !ok || !stackPrefix.MatchString(d.Summary) {
			continue
		}
		stack.Warnings = append(stack.Warnings, newWarning(d.Summary, d.Detail))
	}
	return sc.Err()
}

func newWarning(summary, detail string) Warning {
	w := Warning{Summary: stackPrefix.ReplaceAllString(summary, ""), Detail: strings.TrimSpace(detail)}
	if m := attributeLine.FindStringSubmatch(w.Detail); m != nil {
		w.Attribute = m[1]
		w.Detail = strings.TrimSpace(attributeLine.ReplaceAllString(w.Detail, ""))
	} else if causes := replaceCause.FindAllStringSubmatch(w.Detail, -1); causes != nil {
		var attrs []string
		for _, c := range causes {
			attrs = append(attrs, c[1])
		}
		w.Attribute = strings.Join(attrs, ", ")
	}
	w.Labels = labels(w.Summary + "\n" + w.Detail)
	return w
}

// labels classifies a warning by what it disrupts, from the provider's wording.
func labels(text string) []string {
	t := strings.ToLower(text)
	out := []string{}
	add := func(label string, cond bool) {
		if cond {
			out = append(out, label)
		}
	}
	add("data lost", strings.Contains(t, "data is lost") || strings.Contains(t, "data lost"))
	add("data kept", (strings.Contains(t, "final snapshot") && !strings.Contains(t, "to keep a snapshot")) || strings.Contains(t, "data is kept"))
	add("failover", strings.Contains(t, "failover") || strings.Contains(t, "fail over"))
	add("maintenance window", strings.Contains(t, "maintenance window"))
	add("resharding", strings.Contains(t, "reshard") || strings.Contains(t, "cluster mode"))
	add("AUTH cut-over", strings.Contains(t, "auth token") || strings.Contains(t, "rbac") || strings.Contains(t, "tls becomes"))
	add("cost", strings.Contains(t, "monthly cost"))
	return out
}

func (s *Summary) total() {
	for _, sc := range s.Stacks {
		if sc.MonthlyChange == nil {
			s.CostUnknown = append(s.CostUnknown, sc.Address)
			continue
		}
		s.MonthlyBeforeUSD += *sc.MonthlyBefore
		s.MonthlyAfterUSD += *sc.MonthlyAfter
	}
	s.MonthlyBeforeUSD, s.MonthlyAfterUSD = round2(s.MonthlyBeforeUSD), round2(s.MonthlyAfterUSD)
	s.MonthlyChangeUSD = round2(s.MonthlyAfterUSD - s.MonthlyBeforeUSD)
}

func ptr(f float64) *float64 { return &f }

// round2 rounds to cents, so sums print and compare stably.
func round2(f float64) float64 { return math.Round(f*100) / 100 }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
