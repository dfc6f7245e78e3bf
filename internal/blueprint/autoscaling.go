package blueprint

import (
	"fmt"
	"slices"
	"strings"
)

// Autoscaling is provisioned.autoscaling: Application Auto Scaling of a cluster-mode
// replication group's replicas and shards. A nil range is a count that does not scale.
type Autoscaling struct {
	Replicas *ScalingRange
	Shards   *ScalingRange
}

// ScalingRange is one autoscaled count. Min is 0 when the configuration leaves it unset: the
// configured count (replicas_per_shard or shards) is then the floor.
type ScalingRange struct {
	Min, Max      int
	TargetPercent float64
}

// Application Auto Scaling names of ElastiCache replication groups (botocore
// application-autoscaling ServiceNamespace / ScalableDimension / MetricType enums).
const (
	ScalingNamespace        = "elasticache"
	DimensionReplicas       = "elasticache:replication-group:Replicas"
	DimensionShards         = "elasticache:replication-group:NodeGroups"
	MetricReplicaCPU        = "ElastiCacheReplicaEngineCPUUtilization"
	MetricMemoryForEviction = "ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage"
	// MetricCapacityForEviction counts memory and SSD: the memory metric's replacement on
	// data-tiered nodes, which AWS refuses it for.
	MetricCapacityForEviction = "ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage"
)

// Limits of ElastiCache auto scaling (AWS docs AutoScaling.html, prerequisites, and the
// target tracking pages: targets between 35 and 70 percent).
const (
	MinScalingTarget = 35
	MaxScalingTarget = 70
)

// scalingFamilies and scalingSizes are the node types ElastiCache auto scaling supports.
var (
	scalingFamilies = []string{"r7g", "r6g", "r6gd", "r5", "m7g", "m6g", "m5", "c7gn"}
	scalingSizes    = []string{"large", "xlarge", "2xlarge"}
)

// ScalingSpec is one scalable target of the stack with its target tracking policy.
type ScalingSpec struct {
	ResourceID  string // replication-group/<id>
	Dimension   string
	Min, Max    int
	PolicyName  string
	Metric      string
	TargetValue float64
}

// ScalingPolicyName names the stack's target tracking policy on a dimension.
func ScalingPolicyName(stackName, dimension string) string {
	if dimension == DimensionShards {
		return stackName + "-shards-memory"
	}
	return stackName + "-replicas-cpu"
}

// ScalingResourceID is the Application Auto Scaling resource of a replication group.
func ScalingResourceID(groupID string) string { return "replication-group/" + groupID }

// floor is the range's minimum: Min, or the configured count when Min is unset.
func (r ScalingRange) floor(configured int) int {
	if r.Min > 0 {
		return r.Min
	}
	return configured
}

// ReplicaRange is the autoscaling range of replicas per shard; ok is false without it.
func (p Provisioned) ReplicaRange() (lo, hi int, ok bool) {
	if p.Autoscaling == nil || p.Autoscaling.Replicas == nil {
		return 0, 0, false
	}
	r := p.Autoscaling.Replicas
	return r.floor(p.ReplicasPerShard), r.Max, true
}

// ShardRange is the autoscaling range of shards; ok is false without it.
func (p Provisioned) ShardRange() (lo, hi int, ok bool) {
	if p.Autoscaling == nil || p.Autoscaling.Shards == nil {
		return 0, 0, false
	}
	r := p.Autoscaling.Shards
	return r.floor(p.Shards), r.Max, true
}

// ScalingSpecs are the stack's scalable targets and policies: none without autoscaling.
// Shards track memory counted for eviction (capacity, memory and SSD, on data-tiered nodes);
// replicas track the replicas' engine CPU, the only metric AWS offers for them.
func ScalingSpecs(in Input) []ScalingSpec {
	p := in.Provisioned
	var out []ScalingSpec
	if lo, hi, ok := p.ShardRange(); ok {
		metric := MetricMemoryForEviction
		if DataTiering(p.NodeType) {
			metric = MetricCapacityForEviction
		}
		out = append(out, ScalingSpec{ScalingResourceID(in.Name), DimensionShards, lo, hi, ScalingPolicyName(in.Name, DimensionShards), metric, p.Autoscaling.Shards.TargetPercent})
	}
	if lo, hi, ok := p.ReplicaRange(); ok {
		out = append(out, ScalingSpec{ScalingResourceID(in.Name), DimensionReplicas, lo, hi, ScalingPolicyName(in.Name, DimensionReplicas), MetricReplicaCPU, p.Autoscaling.Replicas.TargetPercent})
	}
	return out
}

// validateAutoscaling checks provisioned.autoscaling against AWS's prerequisites and ranges.
func validateAutoscaling(in Input) []Problem {
	p, u := in.Provisioned, in.Unknown
	if p.Autoscaling == nil || u[AttrProvisionedAutoscaling] {
		return nil
	}
	var ps []Problem
	add := func(attr Attr, summary, format string, args ...any) {
		ps = append(ps, Problem{attr, summary, fmt.Sprintf(format, args...)})
	}
	if why := scalingUnsupported(in); why != "" {
		add(AttrProvisionedAutoscaling, "Autoscaling not supported", "%s", why)
	}
	checkRange := func(attr, countAttr Attr, r *ScalingRange, configured, lo, hi int, what string) {
		if r == nil || u[attr] || u[countAttr] {
			return
		}
		floor := r.floor(configured)
		switch {
		case r.Max < lo || r.Max > hi || (r.Min != 0 && r.Min < lo):
			add(attr, "Autoscaling range out of bounds", "%s range must lie within %d to %d; got min %d, max %d.", what, lo, hi, floor, r.Max)
		case r.Min != 0 && r.Min > r.Max:
			add(attr, "Autoscaling minimum above maximum", "the %s minimum (%d) is above the maximum (%d).", what, r.Min, r.Max)
		case configured > r.Max:
			add(attr, "Configured count outside the autoscaling range",
				"%s = %d is above the autoscaling maximum %d: the group starts with it, so it must lie within the range.", what, configured, r.Max)
		case configured < floor:
			add(attr, "Configured count outside the autoscaling range",
				"%s = %d is below the autoscaling minimum %d: the group starts with it, so it must lie within the range.", what, configured, floor)
		}
		if r.TargetPercent < MinScalingTarget || r.TargetPercent > MaxScalingTarget {
			add(attr, "Autoscaling target out of range", "the %s target must be %d to %d percent (AWS's range for ElastiCache target tracking); got %v.", what, MinScalingTarget, MaxScalingTarget, r.TargetPercent)
		}
	}
	a := p.Autoscaling
	checkRange(AttrProvisionedAutoscalingReplicas, AttrProvisionedReplicasPerShard, a.Replicas, p.ReplicasPerShard, 0, 5, "replicas_per_shard")
	checkRange(AttrProvisionedAutoscalingShards, AttrProvisionedShards, a.Shards, p.Shards, 1, 500, "shards")
	if lo, _, ok := p.ReplicaRange(); ok && p.MultiAZ && lo < 1 && !u[AttrProvisionedMultiAZ] {
		add(AttrProvisionedAutoscalingReplicas, "Multi-AZ needs a replica", "with multi_az = true the replicas minimum must be at least 1: failover promotes a replica.")
	}
	if _, shardsMax, ok := p.ShardRange(); ok {
		if _, replicasMax, ok := p.ReplicaRange(); ok && shardsMax*(1+replicasMax) > 500 {
			add(AttrProvisionedAutoscaling, "Too many nodes at the autoscaling maximum", "%d shards x %d nodes = %d nodes; a replication group holds at most 500.", shardsMax, 1+replicasMax, shardsMax*(1+replicasMax))
		}
	}
	return ps
}

// scalingUnsupported says why AWS would refuse auto scaling for the stack ("" when it would
// not): Valkey 7.2+ or Redis OSS 6.0+ (7.0+ on data-tiered nodes, where AWS runs 7.0.7), cluster
// mode, a supported node family and size, and no global datastore (AWS docs AutoScaling.html,
// prerequisites).
func scalingUnsupported(in Input) string {
	p := in.Provisioned
	if in.Shape() != ShapeReplicationGroup {
		return "autoscaling applies to Valkey and Redis OSS replication groups (not Memcached or serverless, which scale otherwise)."
	}
	if !in.Unknown[AttrGlobal] && in.Global.Member() {
		return "AWS does not auto scale groups in a global datastore; remove autoscaling or the global block."
	}
	if !in.Unknown[AttrProvisionedShards] && !in.ClusterMode() {
		return "AWS auto scales cluster-mode replication groups only; set shards to 2 or more (cluster mode stays on once enabled)."
	}
	if !in.Unknown[AttrEngineVersion] {
		floor := map[string]string{EngineValkey: "7.2", EngineRedis: "6.0"}[in.Engine]
		if DataTiering(p.NodeType) && in.Engine == EngineRedis {
			floor = "7.0"
		}
		if floor != "" && CompareVersions(in.EngineVersion, floor) < 0 {
			return fmt.Sprintf("AWS auto scales %s %s or later; engine_version is %s.", in.Engine, floor, in.EngineVersion)
		}
	}
	if !in.Unknown[AttrProvisionedNodeType] {
		parts := strings.Split(p.NodeType, ".")
		if len(parts) != 3 || !slices.Contains(scalingFamilies, parts[1]) || !slices.Contains(scalingSizes, parts[2]) {
			return fmt.Sprintf("AWS auto scales node families %s in sizes %s; node_type is %s.", strings.Join(scalingFamilies, ", "), strings.Join(scalingSizes, ", "), p.NodeType)
		}
	}
	return ""
}
