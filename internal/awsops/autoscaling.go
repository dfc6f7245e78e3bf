package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

const componentScaling = "autoscaling target"

// ObservedScaling is one scalable target of a replication group with the stack's policy on it
// (Policy false when the target has none of the stack's name).
type ObservedScaling struct {
	Dimension   string
	Min, Max    int
	Policy      bool
	PolicyName  string
	Metric      string
	TargetValue float64
}

// ObserveScaling reads the group's scalable targets and their policies (one describe each),
// keyed by dimension.
func (c *Clients) ObserveScaling(ctx context.Context, groupID string) (map[string]ObservedScaling, error) {
	resource := blueprint.ScalingResourceID(groupID)
	out := map[string]ObservedScaling{}
	targets := aas.NewDescribeScalableTargetsPaginator(c.AutoScaling, &aas.DescribeScalableTargetsInput{
		ServiceNamespace: aastypes.ServiceNamespaceElasticache, ResourceIds: []string{resource}})
	for targets.HasMorePages() {
		page, err := targets.NextPage(ctx)
		if err != nil {
			return nil, wrap(componentScaling, "describe", resource, err)
		}
		for _, t := range page.ScalableTargets {
			dim := string(t.ScalableDimension)
			out[dim] = ObservedScaling{Dimension: dim, Min: int(aws.ToInt32(t.MinCapacity)), Max: int(aws.ToInt32(t.MaxCapacity))}
		}
	}
	if len(out) == 0 {
		return out, nil
	}
	policies := aas.NewDescribeScalingPoliciesPaginator(c.AutoScaling, &aas.DescribeScalingPoliciesInput{
		ServiceNamespace: aastypes.ServiceNamespaceElasticache, ResourceId: aws.String(resource)})
	for policies.HasMorePages() {
		page, err := policies.NextPage(ctx)
		if err != nil {
			return nil, wrap(componentScaling, "describe policies of", resource, err)
		}
		for _, p := range page.ScalingPolicies {
			o, ok := out[string(p.ScalableDimension)]
			if !ok || p.TargetTrackingScalingPolicyConfiguration == nil || aws.ToString(p.PolicyName) != blueprint.ScalingPolicyName(groupID, o.Dimension) {
				continue // a policy of someone else's: not the stack's to judge
			}
			cfg := p.TargetTrackingScalingPolicyConfiguration
			o.Policy, o.PolicyName, o.TargetValue = true, aws.ToString(p.PolicyName), aws.ToFloat64(cfg.TargetValue)
			if cfg.PredefinedMetricSpecification != nil {
				o.Metric = string(cfg.PredefinedMetricSpecification.PredefinedMetricType)
			}
			out[o.Dimension] = o
		}
	}
	return out, nil
}

// SyncScaling brings the group's scalable targets and policies to desired: a target whose
// range differs is registered again (AWS then moves the count into the new range), a policy
// that differs is put again, and a target of a dimension no longer scaled is deregistered,
// which deletes its policies.
func (c *Clients) SyncScaling(ctx context.Context, groupID string, observed map[string]ObservedScaling, desired []blueprint.ScalingSpec) error {
	want := map[string]bool{}
	for _, s := range desired {
		want[s.Dimension] = true
		o, ok := observed[s.Dimension]
		if !ok || o.Min != s.Min || o.Max != s.Max {
			tflog.Info(ctx, "registering scalable target", map[string]any{"resource": s.ResourceID, "dimension": s.Dimension, "min": s.Min, "max": s.Max})
			_, err := c.AutoScaling.RegisterScalableTarget(ctx, &aas.RegisterScalableTargetInput{
				ServiceNamespace: aastypes.ServiceNamespaceElasticache, ResourceId: aws.String(s.ResourceID),
				ScalableDimension: aastypes.ScalableDimension(s.Dimension), MinCapacity: aws.Int32(int32(s.Min)), MaxCapacity: aws.Int32(int32(s.Max)),
			})
			if err != nil {
				return wrap(componentScaling, "register", s.ResourceID+" "+s.Dimension, err)
			}
		}
		if ok && o.Policy && o.Metric == s.Metric && o.TargetValue == s.TargetValue {
			continue
		}
		if err := c.putScalingPolicy(ctx, s); err != nil {
			return err
		}
	}
	for dim := range observed {
		if !want[dim] {
			if err := c.deregisterScaling(ctx, groupID, dim); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *Clients) putScalingPolicy(ctx context.Context, s blueprint.ScalingSpec) error {
	_, err := c.AutoScaling.PutScalingPolicy(ctx, &aas.PutScalingPolicyInput{
		PolicyName: aws.String(s.PolicyName), ServiceNamespace: aastypes.ServiceNamespaceElasticache,
		ResourceId: aws.String(s.ResourceID), ScalableDimension: aastypes.ScalableDimension(s.Dimension),
		PolicyType: aastypes.PolicyTypeTargetTrackingScaling,
		TargetTrackingScalingPolicyConfiguration: &aastypes.TargetTrackingScalingPolicyConfiguration{
			TargetValue:                   aws.Float64(s.TargetValue),
			PredefinedMetricSpecification: &aastypes.PredefinedMetricSpecification{PredefinedMetricType: aastypes.MetricType(s.Metric)},
		},
	})
	return wrap(componentScaling, "put the scaling policy of", s.ResourceID+" "+s.Dimension, err)
}

// DeleteScaling deregisters the group's targets of the given dimensions (their policies go
// with them) before the group is deleted; a target that is not registered is not an error.
func (c *Clients) DeleteScaling(ctx context.Context, groupID string, dimensions []string) error {
	for _, dim := range dimensions {
		if err := c.deregisterScaling(ctx, groupID, dim); err != nil {
			return err
		}
	}
	return nil
}

func (c *Clients) deregisterScaling(ctx context.Context, groupID, dimension string) error {
	resource := blueprint.ScalingResourceID(groupID)
	tflog.Info(ctx, "deregistering scalable target", map[string]any{"resource": resource, "dimension": dimension})
	_, err := c.AutoScaling.DeregisterScalableTarget(ctx, &aas.DeregisterScalableTargetInput{
		ServiceNamespace: aastypes.ServiceNamespaceElasticache, ResourceId: aws.String(resource), ScalableDimension: aastypes.ScalableDimension(dimension)})
	if isA[*aastypes.ObjectNotFoundException](err) {
		return nil
	}
	return wrap(componentScaling, "deregister", resource+" "+dimension, err)
}
