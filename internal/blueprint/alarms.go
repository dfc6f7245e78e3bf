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
	AlarmECPU           = "ecpu"
	AlarmStorage        = "storage"
	AlarmThrottled      = "throttled_commands"
	AlarmReadLatency    = "read_latency"
	AlarmWriteLatency   = "write_latency"
)

// AlarmKeys lists every key accepted in alarms.overrides.
var AlarmKeys = []string{AlarmEngineCPU, AlarmHostCPU, AlarmMemory, AlarmEvictions, AlarmConnections, AlarmReplicationLag, AlarmSwap, AlarmHitRate,
	AlarmECPU, AlarmStorage, AlarmThrottled, AlarmReadLatency, AlarmWriteLatency, AlarmGlobalReplicationLag}

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
	switch in.Shape() {
	case ShapeServerless:
		return bindAlarms(in, settings, serverlessAlarmDefaults(in.Serverless), []string{in.Name}, "clusterId")
	case ShapeMemcachedCluster:
		return bindAlarms(in, settings, memcachedAlarmDefaults(), []string{in.Name}, "CacheClusterId")
	}
	defaults := append(replicationGroupAlarmDefaults(in.Provisioned), globalAlarmDefaults(in.Global)...)
	// Latency alarms are opt-in on nodes (alarms.overrides.read_latency = { enabled = true }):
	// the right threshold depends on the workload, unlike the saturation alarms above.
	for _, d := range latencyAlarmDefaults() {
		if o, ok := settings.Overrides[d.key]; ok && o.Enabled != nil && *o.Enabled {
			defaults = append(defaults, d)
		}
	}
	return bindAlarms(in, settings, defaults, alarmedMembers(in), "CacheClusterId")
}

// alarmedMembers are the members that get per-member alarms: the group's members, or with
// autoscaling the members of the configured counts, so that members the autoscaler adds or
// removes change no alarm (a count moved inside the range is not drift).
func alarmedMembers(in Input) []string {
	if in.Provisioned.Autoscaling != nil {
		return MemberClusterIDs(in.Name, in.Provisioned.Shards, in.Provisioned.ReplicasPerShard, in.ClusterMode())
	}
	return in.Members()
}

// latencyAlarmDefaults watch the average latency of successful commands (microseconds), which
// ElastiCache publishes for serverless caches and for Valkey and Redis OSS 7 nodes.
func latencyAlarmDefaults() []alarmDefault {
	return []alarmDefault{
		{AlarmReadLatency, "SuccessfulReadRequestLatency", "Average", "GreaterThanThreshold", "notBreaching", "reads take over 2 ms on average (microseconds)", 2000, 60, 5, 5},
		{AlarmWriteLatency, "SuccessfulWriteRequestLatency", "Average", "GreaterThanThreshold", "notBreaching", "writes take over 2 ms on average (microseconds)", 2000, 60, 5, 5},
	}
}

func replicationGroupAlarmDefaults(p Provisioned) []alarmDefault {
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
			"on nodes with 2 vCPUs or fewer the host CPU, not only the engine thread, limits throughput (AWS's guidance: 90 % divided by the vCPUs)",
			90 / float64(node.VCPU), 60, 5, 5})
	}
	if p.ReplicasPerShard > 0 {
		defaults = append(defaults, alarmDefault{AlarmReplicationLag, "ReplicationLag", "Maximum", "GreaterThanThreshold", "notBreaching",
			"a replica more than 1 s behind serves stale reads and loses writes at failover; only replicas publish it, and roles move at failover, so every member carries it", 1, 60, 5, 5})
	}
	if IsCacheTier(p.EvictionPolicy) {
		defaults = append(defaults, alarmDefault{AlarmHitRate, "CacheHitRate", "Average", "LessThanThreshold", "notBreaching",
			"below 80 % hits the cache mostly adds latency; check TTLs and key design", 80, 300, 3, 3})
	}
	return defaults
}

// memcachedAlarmDefaults: Memcached is multi-threaded, so host CPU is the limit; it always
// evicts LRU, so evictions alarm only in bursts. Metrics per cluster (CacheClusterId).
func memcachedAlarmDefaults() []alarmDefault {
	return []alarmDefault{
		{AlarmHostCPU, "CPUUtilization", "Average", "GreaterThanThreshold", "notBreaching", "Memcached is multi-threaded: above 90 % host CPU requests queue", 90, 60, 5, 5},
		{AlarmEvictions, "Evictions", "Sum", "GreaterThanThreshold", "notBreaching", "a sustained eviction burst means the working set outgrew the nodes' memory", 1000, 300, 1, 1},
		{AlarmConnections, "CurrConnections", "Maximum", "GreaterThanThreshold", "notBreaching", "approaching the 65,000 connection limit; new clients will be refused", maxClientConnections * 0.9, 60, 5, 5},
		{AlarmSwap, "SwapUsage", "Maximum", "GreaterThanThreshold", "notBreaching", "swapping above 50 MB makes every command slow", 50 * 1024 * 1024, 300, 1, 1},
	}
}

// serverlessAlarmDefaults: a serverless cache scales by itself up to its usage limits, so the
// alarms watch the limits (80 % of them), throttling, latency and hit rate. Metrics carry the
// dimension clusterId = the cache name.
func serverlessAlarmDefaults(s Serverless) []alarmDefault {
	defaults := append(latencyAlarmDefaults(), []alarmDefault{
		{AlarmThrottled, "ThrottledCmds", "Sum", "GreaterThanThreshold", "notBreaching", "requests are being throttled: a usage limit or the scaling rate is reached", 0, 60, 5, 2},
		{AlarmHitRate, "CacheHitRate", "Average", "LessThanThreshold", "notBreaching", "below 80 % hits the cache mostly adds latency; check TTLs and key design", 80, 300, 3, 3},
	}...)
	if s.MaxECPUPerSecond > 0 {
		defaults = append(defaults, alarmDefault{AlarmECPU, "ElastiCacheProcessingUnits", "Sum", "GreaterThanThreshold", "notBreaching",
			"ECPU use is above 80 % of max_ecpu_per_second (summed per minute); beyond the limit requests are throttled", float64(s.MaxECPUPerSecond) * 60 * 0.8, 60, 5, 5})
	}
	if s.MaxDataStorageGB > 0 {
		defaults = append(defaults, alarmDefault{AlarmStorage, "BytesUsedForCache", "Maximum", "GreaterThanThreshold", "notBreaching",
			"stored data is above 80 % of max_data_storage_gb; beyond the limit writes fail", float64(s.MaxDataStorageGB) * 1024 * 1024 * 1024 * 0.8, 300, 1, 1})
	}
	return defaults
}

// bindAlarms turns the defaults into alarms per member (the metric's dimension value), with the
// user's overrides applied.
func bindAlarms(in Input, settings AlarmSettings, defaults []alarmDefault, members []string, dimension string) []AlarmSpec {
	sort.Slice(defaults, func(i, j int) bool { return defaults[i].key < defaults[j].key })
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
			name := AlarmPrefix(in.Name) + strings.TrimPrefix(member, in.Name+"-") + "/" + strings.ReplaceAll(d.key, "_", "-")
			if member == in.Name {
				name = AlarmPrefix(in.Name) + strings.ReplaceAll(d.key, "_", "-") // one alarm per stack, not per member
			}
			out = append(out, AlarmSpec{
				Key:                d.key,
				Name:               name,
				Description:        fmt.Sprintf("elasticache_stack %s, member %s: %s.", in.Name, member, d.why),
				MetricName:         d.metric,
				Statistic:          d.statistic,
				Dimensions:         map[string]string{dimension: member},
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
			ps = append(ps, Problem{AttrAlarmsOverrides, "Unknown alarm", fmt.Sprintf("%q is not an alarm of the stack; valid keys: %s.", k, strings.Join(AlarmKeys, ", "))})
			continue
		}
		if t := s.Overrides[k].Threshold; t != nil && *t < 0 {
			ps = append(ps, Problem{AttrAlarmsOverrides, "Negative threshold", fmt.Sprintf("alarm %q: threshold must be 0 or more, got %v.", k, *t)})
		}
		if t := s.Overrides[k].Threshold; t != nil && *t > 100 && (k == AlarmEngineCPU || k == AlarmHostCPU || k == AlarmMemory || k == AlarmHitRate) {
			ps = append(ps, Problem{AttrAlarmsOverrides, "Threshold above 100 %", fmt.Sprintf("alarm %q is a percentage; threshold must be 0 to 100, got %v.", k, *t)})
		}
	}
	return ps
}
