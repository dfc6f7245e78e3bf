package blueprint

import (
	"reflect"
	"testing"
)

// scalableInput is the baseline with autoscaling AWS accepts: cluster mode (2 shards), Valkey
// 8.0, cache.r7g.large, replicas 1-3 on CPU and shards 2-6 on memory.
func scalableInput() Input {
	in := cloneInput(validInput())
	in.Provisioned.Shards, in.Provisioned.ReplicasPerShard = 2, 1
	in.Provisioned.Autoscaling = &Autoscaling{
		Replicas: &ScalingRange{Max: 3, TargetPercent: 60},
		Shards:   &ScalingRange{Min: 2, Max: 6, TargetPercent: 70},
	}
	return in
}

func TestValidateAutoscaling(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(in *Input)
		want   []wantProblem
	}{
		{"baseline", func(*Input) {}, nil},
		{"one shard is not cluster mode", func(in *Input) { in.Provisioned.Shards, in.Provisioned.Autoscaling.Shards = 1, nil },
			[]wantProblem{{attr: "provisioned.autoscaling", summary: "Autoscaling not supported", detail: []string{"cluster-mode", "shards to 2 or more"}}}},
		{"one shard with cluster mode already on", func(in *Input) {
			in.Provisioned.Shards, in.Provisioned.Autoscaling.Shards, in.ClusterModeEnabled = 1, nil, true
		}, nil},
		{"redis 6.0", func(in *Input) { in.Engine, in.EngineVersion = EngineRedis, "6.0" }, nil},
		{"redis 6.2 on data-tiered nodes", func(in *Input) {
			in.Engine, in.EngineVersion, in.Provisioned.NodeType = EngineRedis, "6.2", "cache.r6gd.xlarge"
		}, []wantProblem{{attr: "provisioned.autoscaling", summary: "Autoscaling not supported", detail: []string{"redis 7.0 or later", "6.2"}}}},
		{"valkey 7.2 is enough", func(in *Input) { in.EngineVersion = "7.2" }, nil},
		{"t4g nodes", func(in *Input) { in.Provisioned.NodeType = "cache.t4g.medium" },
			[]wantProblem{{attr: "provisioned.autoscaling", summary: "Autoscaling not supported", detail: []string{"r7g", "2xlarge", "cache.t4g.medium"}}}},
		{"4xlarge nodes", func(in *Input) { in.Provisioned.NodeType = "cache.r7g.4xlarge" },
			[]wantProblem{{attr: "provisioned.autoscaling", summary: "Autoscaling not supported", detail: []string{"cache.r7g.4xlarge"}}}},
		{"in a global datastore", func(in *Input) { in.Global.Role = RolePrimary },
			[]wantProblem{{attr: "provisioned.autoscaling", summary: "Autoscaling not supported", detail: []string{"global datastore"}}}},
		{"memcached", func(in *Input) { in.Engine, in.EngineVersion = EngineMemcached, "1.6" },
			[]wantProblem{{attr: "provisioned.autoscaling", summary: "Autoscaling not supported", detail: []string{"Memcached"}}}},
		{"configured count below the minimum", func(in *Input) { in.Provisioned.Autoscaling.Replicas.Min = 2 },
			[]wantProblem{{attr: "provisioned.autoscaling.replicas", summary: "Configured count outside the autoscaling range", detail: []string{"replicas_per_shard = 1 is below the autoscaling minimum 2"}}}},
		{"configured count above the maximum", func(in *Input) { in.Provisioned.Shards = 8 },
			[]wantProblem{{attr: "provisioned.autoscaling.shards", summary: "Configured count outside the autoscaling range", detail: []string{"shards = 8 is above the autoscaling maximum 6"}}}},
		{"minimum above maximum", func(in *Input) { in.Provisioned.Autoscaling.Shards.Min = 5; in.Provisioned.Autoscaling.Shards.Max = 4 },
			[]wantProblem{{attr: "provisioned.autoscaling.shards", summary: "Autoscaling minimum above maximum", detail: []string{"(5) is above the maximum (4)"}}}},
		{"six replicas", func(in *Input) { in.Provisioned.Autoscaling.Replicas.Max = 6 },
			[]wantProblem{{attr: "provisioned.autoscaling.replicas", summary: "Autoscaling range out of bounds", detail: []string{"0 to 5"}}}},
		{"target 80 percent", func(in *Input) { in.Provisioned.Autoscaling.Replicas.TargetPercent = 80 },
			[]wantProblem{{attr: "provisioned.autoscaling.replicas", summary: "Autoscaling target out of range", detail: []string{"35 to 70", "80"}}}},
		{"multi-az and no replica at the floor", func(in *Input) { in.Provisioned.ReplicasPerShard, in.Provisioned.MultiAZ = 0, true },
			[]wantProblem{{attr: "provisioned.multi_az"}, {attr: "provisioned.autoscaling.replicas", summary: "Multi-AZ needs a replica"}}},
		{"too many nodes at the maximum", func(in *Input) {
			in.Provisioned.Autoscaling.Shards.Max = 100
			in.Provisioned.Autoscaling.Replicas.Max = 5
		},
			[]wantProblem{{attr: "provisioned.autoscaling", summary: "Too many nodes at the autoscaling maximum", detail: []string{"600 nodes"}}}},
		{"unknown range is not judged", func(in *Input) {
			in.Provisioned.Autoscaling.Replicas.TargetPercent = 99
			in.Unknown = map[Attr]bool{AttrProvisionedAutoscaling: true}
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := scalableInput()
			tt.mutate(&in)
			checkProblems(t, Validate(in), tt.want)
		})
	}
}

func TestScalingSpecs(t *testing.T) {
	in := scalableInput()
	want := []ScalingSpec{
		{"replication-group/agent-sessions", DimensionShards, 2, 6, "agent-sessions-shards-memory", MetricMemoryForEviction, 70},
		// No replicas minimum: replicas_per_shard (1) is the floor.
		{"replication-group/agent-sessions", DimensionReplicas, 1, 3, "agent-sessions-replicas-cpu", MetricReplicaCPU, 60},
	}
	if got := ScalingSpecs(in); !reflect.DeepEqual(got, want) {
		t.Errorf("ScalingSpecs = %+v\nwant %+v", got, want)
	}
	// Data-tiered nodes track capacity (memory and SSD): AWS refuses the memory metric there.
	in.Provisioned.NodeType = "cache.r6gd.xlarge"
	if got := ScalingSpecs(in)[0].Metric; got != MetricCapacityForEviction {
		t.Errorf("r6gd shards track %s, want %s", got, MetricCapacityForEviction)
	}
	in.Provisioned.Autoscaling = nil
	if got := ScalingSpecs(in); got != nil {
		t.Errorf("no autoscaling, no specs: %+v", got)
	}
}

// A count the autoscaler moved inside the range is not drift; outside it, it is.
func TestObservedCountAndCountToApply(t *testing.T) {
	for _, tc := range []struct {
		configured, observed int
		scaled               bool
		record, apply        int
	}{
		{2, 3, true, 2, 3},  // scaled out within [1, 4]: no drift, and an unrelated apply keeps 3
		{2, 1, true, 2, 1},  // scaled in to the floor
		{2, 5, true, 5, 2},  // above the maximum: drift, the apply restores the configured count
		{2, 3, false, 3, 2}, // no autoscaling: every difference is drift
	} {
		if got := ObservedCount(tc.configured, tc.observed, 1, 4, tc.scaled); got != tc.record {
			t.Errorf("ObservedCount(%d, %d, scaled=%t) = %d, want %d", tc.configured, tc.observed, tc.scaled, got, tc.record)
		}
		if got := CountToApply(tc.configured, tc.configured, tc.observed, 1, 4, tc.scaled); got != tc.apply {
			t.Errorf("CountToApply(unchanged %d, observed %d, scaled=%t) = %d, want %d", tc.configured, tc.observed, tc.scaled, got, tc.apply)
		}
	}
	// An explicit change of the configured count is applied whatever AWS runs.
	if got := CountToApply(2, 3, 4, 1, 4, true); got != 3 {
		t.Errorf("an explicit change from 2 to 3 applies 3, got %d", got)
	}
}
