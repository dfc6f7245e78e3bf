package stack

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// Names of the target attributes, as the schema spells them.
const (
	targetCPUPercent    = "target_cpu_percent"
	targetMemoryPercent = "target_memory_percent"
)

func scalingRangeType(target string) types.ObjectType {
	return types.ObjectType{AttrTypes: map[string]attr.Type{"min": types.Int64Type, "max": types.Int64Type, target: types.Float64Type}}
}

func autoscalingAttrType() types.ObjectType {
	return types.ObjectType{AttrTypes: map[string]attr.Type{
		"replicas": scalingRangeType(targetCPUPercent), "shards": scalingRangeType(targetMemoryPercent),
	}}
}

// autoscalingDescription documents provisioned.autoscaling in the schema (and the generated docs).
const autoscalingDescription = "Capacity that follows load, through Application Auto Scaling (a scalable target and a target tracking policy per count). " +
	"AWS auto scales cluster-mode groups (`shards` 2 or more) of Valkey 7.2+ or Redis OSS 6.0+ on node families r7g, r6g, r6gd, r5, m7g, m6g, m5, c7gn in sizes large, xlarge, 2xlarge; other stacks fail at plan. " +
	"`replicas_per_shard` and `shards` are the counts the group is created with and the floor when `min` is omitted; they must lie within `[min, max]`. " +
	"A count AWS moves inside `[min, max]` is not drift (state keeps the configured count and an apply of other changes keeps AWS's count); " +
	"a count outside the range is drift, and apply restores the configured count. Changing `replicas_per_shard` or `shards` sets that count once; the autoscaler goes on from there. " +
	"`cost.monthly_usd_min` / `monthly_usd_max` price the floor and the ceiling, and the `reserved_nodes` recommendation reserves the floor. " +
	"Removing a count's block (or the whole attribute) deregisters its target and policy; destroy does too."

func autoscalingSchema() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true, MarkdownDescription: autoscalingDescription,
		Attributes: map[string]schema.Attribute{
			"replicas": scalingRangeSchema("Replicas per shard (`elasticache:replication-group:Replicas`), added and removed in every shard alike, tracking the replicas' average engine CPU (`ElastiCacheReplicaEngineCPUUtilization`).",
				0, 5, targetCPUPercent, "Average engine CPU of the replicas to keep, 35 to 70 percent."),
			"shards": scalingRangeSchema("Shards (`elasticache:replication-group:NodeGroups`), added and removed by online resharding, tracking memory counted for eviction (`ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage`; on data-tiered r6gd nodes, which AWS refuses it for, `ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage`, memory and SSD).",
				1, 500, targetMemoryPercent, "Memory use counted for eviction to keep, 35 to 70 percent."),
		},
	}
}

func scalingRangeSchema(description string, lo, hi int64, target, targetDescription string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional:            true,
		MarkdownDescription: description,
		Attributes: map[string]schema.Attribute{
			"min": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.Between(lo, hi)},
				MarkdownDescription: fmt.Sprintf("Fewest the autoscaler keeps, %d to %d; omitted, the configured count.", lo, hi)},
			"max": schema.Int64Attribute{Required: true, Validators: []validator.Int64{int64validator.Between(lo, hi)},
				MarkdownDescription: fmt.Sprintf("Most the autoscaler adds, %d to %d.", lo, hi)},
			target: schema.Float64Attribute{Required: true, Validators: []validator.Float64{float64validator.Between(blueprint.MinScalingTarget, blueprint.MaxScalingTarget)},
				MarkdownDescription: targetDescription},
		},
	}
}

// autoscalingFrom reads provisioned.autoscaling; any unknown value makes the whole block
// unknown (validation then waits for it).
func autoscalingFrom(obj types.Object, unknown map[blueprint.Attr]bool) *blueprint.Autoscaling {
	if obj.IsNull() {
		return nil
	}
	if obj.IsUnknown() {
		unknown[blueprint.AttrProvisionedAutoscaling] = true
		return &blueprint.Autoscaling{}
	}
	read := func(name, target string) *blueprint.ScalingRange {
		lo, hi, t, ok := scalingRangeOf(obj.Attributes()[name], target)
		if !ok {
			return nil
		}
		if lo.IsUnknown() || hi.IsUnknown() || t.IsUnknown() {
			unknown[blueprint.AttrProvisionedAutoscaling] = true
		}
		return &blueprint.ScalingRange{Min: int(lo.ValueInt64()), Max: int(hi.ValueInt64()), TargetPercent: t.ValueFloat64()}
	}
	return &blueprint.Autoscaling{Replicas: read("replicas", targetCPUPercent), Shards: read("shards", targetMemoryPercent)}
}

// scalingRangeOf reads one range object (min, max and its target); ok is false when it is
// null. An unknown object reads as unknown values.
func scalingRangeOf(v attr.Value, target string) (lo, hi types.Int64, t types.Float64, ok bool) {
	o, isObject := v.(types.Object)
	switch {
	case !isObject || o.IsNull():
		return lo, hi, t, false
	case o.IsUnknown():
		return types.Int64Unknown(), types.Int64Unknown(), types.Float64Unknown(), true
	}
	a := o.Attributes()
	lo, _ = a["min"].(types.Int64)
	hi, _ = a["max"].(types.Int64)
	t, _ = a[target].(types.Float64)
	return lo, hi, t, true
}

func scalingRangeValue(target string, lo, hi types.Int64, t types.Float64) types.Object {
	return types.ObjectValueMust(scalingRangeType(target).AttrTypes, map[string]attr.Value{"min": lo, "max": hi, target: t})
}

// observeAutoscaling records the group's scalable targets and policies, and applies the drift
// rule of autoscaled counts (blueprint.ObservedCount) to the shards and replicas AWS reports.
// The targets are read only for a stack that has autoscaling, or on import.
func (r *StackResource) observeAutoscaling(ctx context.Context, m *stackModel, prior stackModel, name string) error {
	if m.Provisioned == nil || blueprint.ShapeOf(m.Mode.ValueString(), m.Engine.ValueString()) != blueprint.ShapeReplicationGroup {
		return nil
	}
	m.Provisioned.Autoscaling = types.ObjectNull(autoscalingAttrType().AttrTypes)
	had := prior.Provisioned
	if (had == nil || had.Autoscaling.IsNull()) && !prior.Mode.IsNull() {
		return nil
	}
	observed, err := r.clients.ObserveScaling(ctx, name)
	if err != nil {
		return err
	}
	configuredShards, configuredReplicas := m.Provisioned.Shards, m.Provisioned.ReplicasPerShard
	priorScaling := types.ObjectNull(autoscalingAttrType().AttrTypes)
	if had != nil {
		configuredShards, configuredReplicas, priorScaling = had.Shards, had.ReplicasPerShard, had.Autoscaling
	}
	m.Provisioned.Autoscaling = observedAutoscaling(priorScaling, configuredShards, configuredReplicas, observed)
	if o, ok := observed[blueprint.DimensionShards]; ok {
		m.Provisioned.Shards = scaledCount(configuredShards, m.Provisioned.Shards, o)
	}
	if o, ok := observed[blueprint.DimensionReplicas]; ok {
		m.Provisioned.ReplicasPerShard = scaledCount(configuredReplicas, m.Provisioned.ReplicasPerShard, o)
	}
	return nil
}

func scaledCount(configured, observed types.Int64, o awsops.ObservedScaling) types.Int64 {
	return types.Int64Value(int64(blueprint.ObservedCount(int(configured.ValueInt64()), int(observed.ValueInt64()), o.Min, o.Max, true)))
}

// observedAutoscaling is the autoscaling block AWS has: a range per registered target, with
// the policy's target (null when the stack's policy is gone). A minimum equal to the configured
// count stays null when the configuration left it out.
func observedAutoscaling(prior types.Object, shards, replicas types.Int64, observed map[string]awsops.ObservedScaling) types.Object {
	if len(observed) == 0 {
		return types.ObjectNull(autoscalingAttrType().AttrTypes)
	}
	value := func(name, target, dim string, configured types.Int64) attr.Value {
		o, ok := observed[dim]
		if !ok {
			return types.ObjectNull(scalingRangeType(target).AttrTypes)
		}
		priorMin := types.Int64Null()
		if !prior.IsNull() && !prior.IsUnknown() {
			if lo, _, _, ok := scalingRangeOf(prior.Attributes()[name], target); ok {
				priorMin = lo
			}
		}
		lo, hi, t := observedRange(o, priorMin, configured)
		return scalingRangeValue(target, lo, hi, t)
	}
	return types.ObjectValueMust(autoscalingAttrType().AttrTypes, map[string]attr.Value{
		"replicas": value("replicas", targetCPUPercent, blueprint.DimensionReplicas, replicas),
		"shards":   value("shards", targetMemoryPercent, blueprint.DimensionShards, shards),
	})
}

func observedRange(o awsops.ObservedScaling, priorMin, configured types.Int64) (lo, hi types.Int64, target types.Float64) {
	lo = types.Int64Value(int64(o.Min))
	if priorMin.IsNull() && int64(o.Min) == configured.ValueInt64() {
		lo = types.Int64Null()
	}
	target = types.Float64Null()
	if o.Policy {
		target = types.Float64Value(o.TargetValue)
	}
	return lo, types.Int64Value(int64(o.Max)), target
}

// syncScaling registers the desired targets and policies (after the group's own changes: a
// group moving to cluster mode is only scalable once it is there).
func (r *StackResource) syncScaling(ctx context.Context, name string, had, want blueprint.Input, desired []blueprint.ScalingSpec) error {
	if had.Provisioned.Autoscaling == nil && want.Provisioned.Autoscaling == nil {
		return nil
	}
	observed, err := r.clients.ObserveScaling(ctx, name)
	if err != nil {
		return err
	}
	return r.clients.SyncScaling(ctx, name, observed, desired)
}

// droppedScaling lists the dimensions that no longer scale; they are deregistered before the
// group's own changes, so the autoscaler does not undo a count being set.
func droppedScaling(had, want blueprint.Input) []string {
	var out []string
	if _, _, before := had.Provisioned.ShardRange(); before {
		if _, _, after := want.Provisioned.ShardRange(); !after {
			out = append(out, blueprint.DimensionShards)
		}
	}
	if _, _, before := had.Provisioned.ReplicaRange(); before {
		if _, _, after := want.Provisioned.ReplicaRange(); !after {
			out = append(out, blueprint.DimensionReplicas)
		}
	}
	return out
}

// scalingDimensions are the dimensions a state's autoscaling block registers.
func scalingDimensions(state stackModel) []string {
	if state.Provisioned == nil {
		return nil
	}
	var out []string
	in := autoscalingFrom(state.Provisioned.Autoscaling, map[blueprint.Attr]bool{})
	if in != nil && in.Shards != nil {
		out = append(out, blueprint.DimensionShards)
	}
	if in != nil && in.Replicas != nil {
		out = append(out, blueprint.DimensionReplicas)
	}
	return out
}
