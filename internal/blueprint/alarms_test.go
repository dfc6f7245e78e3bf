package blueprint

import (
	"strings"
	"testing"
)

func alarmKeysOf(specs []AlarmSpec, member string) []string {
	var keys []string
	for _, a := range specs {
		if a.Dimensions["CacheClusterId"] == member {
			keys = append(keys, a.Key)
		}
	}
	return keys
}

// alarmWant is what a test expects of one alarm; empty strings are not checked.
type alarmWant struct {
	metric, statistic, operator string
	threshold                   float64
}

func (w alarmWant) matches(a AlarmSpec) bool {
	return (w.metric == "" || a.MetricName == w.metric) && (w.statistic == "" || a.Statistic == w.statistic) &&
		(w.operator == "" || a.ComparisonOperator == w.operator) && a.Threshold == w.threshold
}

// defaultAlarms are the defaults of validInput's stack (volatile-lru, 2-vCPU nodes) that
// TestAlarms_defaultSetPerMember checks.
var defaultAlarms = map[string]alarmWant{
	AlarmEngineCPU: {metric: "EngineCPUUtilization", threshold: 70, operator: "GreaterThanThreshold"},
	AlarmMemory:    {metric: "DatabaseMemoryUsagePercentage", threshold: 80},
	// A volatile-lru store fires on any eviction.
	AlarmEvictions: {statistic: "Sum", threshold: 0},
	// 90 % host CPU over 2 vCPUs.
	AlarmHostCPU:        {metric: "CPUUtilization", threshold: 45},
	AlarmReplicationLag: {metric: "ReplicationLag", threshold: 1},
}

func TestAlarms_defaultSetPerMember(t *testing.T) {
	in := validInput() // r7g.large (2 vCPU), 1 shard, 2 replicas, volatile-lru
	specs := Alarms(in, AlarmSettings{Enabled: true, AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:ops"}})
	if len(specs) != 21 {
		t.Fatalf("got %d alarms, want 7 per member x 3 members = 21", len(specs))
	}
	want := "connections cpu engine_cpu evictions memory replication_lag swap"
	for _, m := range []string{"agent-sessions-001", "agent-sessions-002", "agent-sessions-003"} {
		got := alarmKeysOf(specs, m)
		sortStrings(got)
		if strings.Join(got, " ") != want {
			t.Errorf("member %s alarms = %v, want %s", m, got, want)
		}
	}
	for _, a := range specs {
		if !strings.HasPrefix(a.Name, AlarmPrefix("agent-sessions")) {
			t.Errorf("alarm %s lacks the stack prefix", a.Name)
		}
		if len(a.AlarmActions) != 1 || a.TreatMissingData != "notBreaching" {
			t.Errorf("alarm %s: actions %v missing=%s", a.Name, a.AlarmActions, a.TreatMissingData)
		}
		if w, ok := defaultAlarms[a.Key]; ok && !w.matches(a) {
			t.Errorf("%s = %+v, want %+v", a.Key, a, w)
		}
	}
	if specs[0].Name != "elasticache/agent-sessions/001/connections" {
		t.Errorf("first alarm name %q", specs[0].Name)
	}
}

func TestAlarms_shapeDependsOnNodeTierAndReplicas(t *testing.T) {
	in := validInput()
	in.Provisioned.NodeType = "cache.r7g.xlarge" // 4 vCPU: no host CPU alarm
	in.Provisioned.ReplicasPerShard = 0
	in.Provisioned.EvictionPolicy = "allkeys-lru" // a cache: hit rate matters, evictions are routine
	specs := Alarms(in, AlarmSettings{Enabled: true})
	got := alarmKeysOf(specs, "agent-sessions-001")
	sortStrings(got)
	if strings.Join(got, " ") != "connections engine_cpu evictions hit_rate memory swap" {
		t.Fatalf("alarms = %v", got)
	}
	for _, a := range specs {
		if a.Key == AlarmEvictions && a.Threshold != 1000 {
			t.Errorf("cache-tier eviction threshold = %v, want 1000", a.Threshold)
		}
		if a.Key == AlarmHitRate && (a.ComparisonOperator != "LessThanThreshold" || a.Threshold != 80) {
			t.Errorf("hit rate = %+v", a)
		}
	}
}

func TestAlarms_clusterModeMembersAndOverrides(t *testing.T) {
	in := validInput()
	in.Provisioned.Shards = 2
	in.Provisioned.ReplicasPerShard = 1
	off := false
	threshold := 85.0
	specs := Alarms(in, AlarmSettings{Enabled: true, Overrides: map[string]AlarmOverride{
		AlarmSwap: {Enabled: &off}, AlarmEngineCPU: {Threshold: &threshold},
	}})
	if len(specs) != 4*6 {
		t.Fatalf("got %d alarms, want 4 members x 6", len(specs))
	}
	for _, a := range specs {
		if a.Key == AlarmSwap {
			t.Errorf("disabled alarm present: %s", a.Name)
		}
		if a.Key == AlarmEngineCPU && a.Threshold != 85 {
			t.Errorf("override not applied: %+v", a)
		}
	}
	if specs[0].Dimensions["CacheClusterId"] != "agent-sessions-0001-001" {
		t.Errorf("cluster-mode dimension = %v", specs[0].Dimensions)
	}
	if Alarms(in, AlarmSettings{Enabled: false}) != nil {
		t.Error("disabled alarms still produce a set")
	}
}

func TestAlarmDefinition_changesWithWhatMatters(t *testing.T) {
	a := Alarms(validInput(), AlarmSettings{Enabled: true, AlarmActions: []string{"b", "a"}})[0]
	b := a
	b.AlarmActions = []string{"a", "b"}
	if a.Definition() != b.Definition() {
		t.Error("action order changed the definition")
	}
	b.Threshold = a.Threshold + 1
	if a.Definition() == b.Definition() {
		t.Error("threshold change not visible in the definition")
	}
	if !strings.Contains(a.Definition(), "CacheClusterId=agent-sessions-001") {
		t.Errorf("definition lacks the dimension: %s", a.Definition())
	}
}

func TestValidateAlarmSettings(t *testing.T) {
	neg, big := -1.0, 150.0
	ps := ValidateAlarmSettings(AlarmSettings{Overrides: map[string]AlarmOverride{
		"engine-cpu": {}, AlarmEvictions: {Threshold: &neg}, AlarmMemory: {Threshold: &big}, AlarmConnections: {Threshold: &big},
	}})
	if len(ps) != 3 {
		t.Fatalf("problems = %+v, want 3", ps)
	}
	if !strings.Contains(ps[0].Detail, "valid keys: engine_cpu, cpu") {
		t.Errorf("unknown key message does not list valid keys: %s", ps[0].Detail)
	}
	for _, p := range ps {
		if p.Attribute != "alarms.overrides" {
			t.Errorf("attribute = %s", p.Attribute)
		}
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestAlarms_latencyIsOptInOnNodes(t *testing.T) {
	in := validInput()
	if got := len(Alarms(in, AlarmSettings{Enabled: true})); got != 21 {
		t.Fatalf("default set has %d alarms", got)
	}
	on := true
	specs := Alarms(in, AlarmSettings{Enabled: true, Overrides: map[string]AlarmOverride{AlarmReadLatency: {Enabled: &on}}})
	if len(specs) != 24 {
		t.Fatalf("with read latency on: %d alarms, want 24", len(specs))
	}
	found := false
	for _, a := range specs {
		if a.Key == AlarmReadLatency && a.MetricName == "SuccessfulReadRequestLatency" && a.Dimensions["CacheClusterId"] == "agent-sessions-002" {
			found = true
		}
	}
	if !found {
		t.Error("read latency alarm missing for member 002")
	}
	in.Mode = ModeServerless
	serverless := Alarms(in, AlarmSettings{Enabled: true})
	if len(serverless) != 4 {
		t.Errorf("serverless default set has %d alarms, want 4", len(serverless))
	}
	for _, a := range serverless {
		if a.Dimensions["clusterId"] != "agent-sessions" || len(a.Dimensions) != 1 {
			t.Errorf("serverless alarm %s has dimensions %v, want clusterId only", a.Name, a.Dimensions)
		}
	}
}
