package blueprint

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// AlarmNamespace is where ElastiCache publishes its metrics.
const AlarmNamespace = "AWS/ElastiCache"

// AlarmSpec is one CloudWatch metric alarm of a stack.
type AlarmSpec struct {
	Key                string // the override key, e.g. "engine_cpu"
	Name               string
	Description        string
	MetricName         string
	Statistic          string
	Dimensions         map[string]string
	ComparisonOperator string
	Threshold          float64
	Period             int // seconds
	EvaluationPeriods  int
	DatapointsToAlarm  int
	TreatMissingData   string
	AlarmActions       []string
	OKActions          []string
}

// Definition renders the alarm the way plans and drift reports show it. Two alarms with the
// same definition need no write.
func (a AlarmSpec) Definition() string {
	ops := map[string]string{
		"GreaterThanThreshold": ">", "GreaterThanOrEqualToThreshold": ">=",
		"LessThanThreshold": "<", "LessThanOrEqualToThreshold": "<=",
	}
	op := ops[a.ComparisonOperator]
	if op == "" {
		op = a.ComparisonOperator
	}
	dims := make([]string, 0, len(a.Dimensions))
	for k, v := range a.Dimensions {
		dims = append(dims, k+"="+v)
	}
	sort.Strings(dims)
	return fmt.Sprintf("%s %s %s %s for %d/%d x %ds [%s] missing=%s actions=%s ok=%s",
		a.MetricName, a.Statistic, op, strconv.FormatFloat(a.Threshold, 'f', -1, 64),
		a.DatapointsToAlarm, a.EvaluationPeriods, a.Period, strings.Join(dims, ","), a.TreatMissingData,
		strings.Join(sortedCopy(a.AlarmActions), ","), strings.Join(sortedCopy(a.OKActions), ","))
}

// AlarmSettings is the alarms block of a stack.
type AlarmSettings struct {
	Enabled      bool
	AlarmActions []string
	OKActions    []string
	Overrides    map[string]AlarmOverride
}

// AlarmOverride changes one alarm of the default set.
type AlarmOverride struct {
	Enabled   *bool
	Threshold *float64
}

// alarmDefault is one entry of the field's alarm set, before it is bound to a member cluster.
type alarmDefault struct {
	key, metric, statistic, operator, treatMissing, why string
	threshold                                           float64
	period, evaluationPeriods, datapoints               int
}

// Alarm keys users can override.
const (
	AlarmEngineCPU      = "engine_cpu"
	AlarmHostCPU        = "cpu"
	AlarmMemory         = "memory"
	AlarmEvictions      = "evictions"
	AlarmConnections    = "connections"
	AlarmReplicationLag = "replication_lag"
	AlarmSwap           = "swap"
	AlarmHitRate        = "hit_rate"
)

// AlarmKeys lists every key accepted in alarms.overrides.
var AlarmKeys = []string{AlarmEngineCPU, AlarmHostCPU, AlarmMemory, AlarmEvictions, AlarmConnections, AlarmReplicationLag, AlarmSwap, AlarmHitRate}

// maxClientConnections is ElastiCache's per-node connection limit (maxclients).
const maxClientConnections = 65000

// AlarmPrefix is the name prefix shared by a stack's alarms and by no other stack's, so one
// DescribeAlarms by prefix reads exactly this stack's alarms.
func AlarmPrefix(stackName string) string { return "elasticache/" + stackName + "/" }

// IsCacheTier reports whether the stack is a cache that may drop any key (allkeys-* policies):
// its hit rate matters and evictions are routine. Stores with volatile-* or noeviction hold
// data that must not be lost, so any eviction alarms.
func IsCacheTier(evictionPolicy string) bool { return strings.HasPrefix(evictionPolicy, "allkeys-") }

// Alarms builds the stack's alarm set for a provisioned Valkey/Redis replication group: per
// member cluster, because ElastiCache publishes these metrics with the CacheClusterId of each
// member ("<id>-001"), not of the replication group.
func Alarms(in Input, settings AlarmSettings) []AlarmSpec {
	if !settings.Enabled {
		return nil
	}
	p := in.Provisioned
	node, _ := LookupNodeType(p.NodeType)
	evictionThreshold := 0.0
	evictionWhy := "this store must not lose data (eviction policy " + p.EvictionPolicy + "): any eviction means memory is too small"
	if IsCacheTier(p.EvictionPolicy) {
		evictionThreshold = 1000
		evictionWhy = "a cache evicts routinely; a sustained burst means the working set outgrew memory"
	}
	defaults := []alarmDefault{
		{AlarmEngineCPU, "EngineCPUUtilization", "Average", "GreaterThanThreshold", "notBreaching", "the engine thread is saturated above 70 %; latency climbs", 70, 60, 5, 5},
		{AlarmMemory, "DatabaseMemoryUsagePercentage", "Average", "GreaterThanThreshold", "notBreaching", "above 80 % of maxmemory evictions or OOM errors follow", 80, 60, 5, 5},
		{AlarmEvictions, "Evictions", "Sum", "GreaterThanThreshold", "notBreaching", evictionWhy, evictionThreshold, 300, 1, 1},
		{AlarmConnections, "CurrConnections", "Maximum", "GreaterThanThreshold", "notBreaching", "approaching the 65,000 connection limit; new clients will be refused", maxClientConnections * 0.9, 60, 5, 5},
		{AlarmSwap, "SwapUsage", "Maximum", "GreaterThanThreshold", "notBreaching", "swapping above 50 MB makes every command slow", 50 * 1024 * 1024, 300, 1, 1},
	}
	if node.VCPU > 0 && node.VCPU <= 2 {
		defaults = append(defaults, alarmDefault{AlarmHostCPU, "CPUUtilization", "Average", "GreaterThanThreshold", "notBreaching",
			"on nodes with 2 vCPUs or fewer the host CPU, not only the engine thread, limits throughput", 90, 60, 5, 5})
	}
	if p.ReplicasPerShard > 0 {
		defaults = append(defaults, alarmDefault{AlarmReplicationLag, "ReplicationLag", "Maximum", "GreaterThanThreshold", "notBreaching",
			"a replica more than 1 s behind serves stale reads and loses writes at failover; only replicas publish it, and roles move at failover, so every member carries it", 1, 60, 5, 5})
	}
	if IsCacheTier(p.EvictionPolicy) {
		defaults = append(defaults, alarmDefault{AlarmHitRate, "CacheHitRate", "Average", "LessThanThreshold", "notBreaching",
			"below 80 % hits the cache mostly adds latency; check TTLs and key design", 80, 300, 3, 3})
	}
	sort.Slice(defaults, func(i, j int) bool { return defaults[i].key < defaults[j].key })

	members := in.Members()
	var out []AlarmSpec
	for _, member := range members {
		for _, d := range defaults {
			threshold := d.threshold
			if o, ok := settings.Overrides[d.key]; ok {
				if o.Enabled != nil && !*o.Enabled {
					continue
				}
				if o.Threshold != nil {
					threshold = *o.Threshold
				}
			}
			suffix := strings.TrimPrefix(member, in.Name+"-")
			out = append(out, AlarmSpec{
				Key:                d.key,
				Name:               AlarmPrefix(in.Name) + suffix + "/" + strings.ReplaceAll(d.key, "_", "-"),
				Description:        fmt.Sprintf("elasticache_stack %s, member %s: %s.", in.Name, member, d.why),
				MetricName:         d.metric,
				Statistic:          d.statistic,
				Dimensions:         map[string]string{"CacheClusterId": member},
				ComparisonOperator: d.operator,
				Threshold:          threshold,
				Period:             d.period,
				EvaluationPeriods:  d.evaluationPeriods,
				DatapointsToAlarm:  d.datapoints,
				TreatMissingData:   d.treatMissing,
				AlarmActions:       sortedCopy(settings.AlarmActions),
				OKActions:          sortedCopy(settings.OKActions),
			})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ValidateAlarmSettings checks override keys and thresholds.
func ValidateAlarmSettings(s AlarmSettings) []Problem {
	var ps []Problem
	keys := make([]string, 0, len(s.Overrides))
	for k := range s.Overrides {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !contains(AlarmKeys, k) {
			ps = append(ps, Problem{"alarms.overrides", "Unknown alarm", fmt.Sprintf("%q is not an alarm of the stack; valid keys: %s.", k, strings.Join(AlarmKeys, ", "))})
			continue
		}
		if t := s.Overrides[k].Threshold; t != nil && *t < 0 {
			ps = append(ps, Problem{"alarms.overrides", "Negative threshold", fmt.Sprintf("alarm %q: threshold must be 0 or more, got %v.", k, *t)})
		}
		if t := s.Overrides[k].Threshold; t != nil && *t > 100 && (k == AlarmEngineCPU || k == AlarmHostCPU || k == AlarmMemory || k == AlarmHitRate) {
			ps = append(ps, Problem{"alarms.overrides", "Threshold above 100 %", fmt.Sprintf("alarm %q is a percentage; threshold must be 0 to 100, got %v.", k, *t)})
		}
	}
	return ps
}
