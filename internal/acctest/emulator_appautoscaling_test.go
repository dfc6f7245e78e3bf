package acctest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
)

func aasClient(t *testing.T) *aas.Client {
	return aas.NewFromConfig(testConfig(t), func(o *aas.Options) { o.Retryer = fastRetries() })
}

// scalingGroup creates an available cluster-mode Valkey 8.0 group of cache.r7g.large nodes (2
// shards, 1 replica each): one ElastiCache auto scaling accepts.
func (rt *ruleT) scalingGroup() string {
	return rt.availableRG(func(in *elasticache.CreateReplicationGroupInput) {
		in.CacheNodeType, in.NumCacheClusters = aws.String("cache.r7g.large"), nil
		in.NumNodeGroups, in.ReplicasPerNodeGroup = aws.Int32(2), aws.Int32(1)
	})
}

func register(rt *ruleT, c *aas.Client, group string, dim aastypes.ScalableDimension, lo, hi *int32) error {
	_, err := c.RegisterScalableTarget(testCtx(rt.T), &aas.RegisterScalableTargetInput{
		ServiceNamespace: aastypes.ServiceNamespaceElasticache, ResourceId: aws.String("replication-group/" + group),
		ScalableDimension: dim, MinCapacity: lo, MaxCapacity: hi,
	})
	if err == nil { // before the group goes (cleanups run last first)
		rt.Cleanup(func() {
			if err := deregister(rt, c, group, dim); err != nil && apiCode(err) != "ObjectNotFoundException" {
				rt.Errorf("deregistering %s %s: %v", group, dim, err)
			}
		})
	}
	return err
}

func putPolicy(rt *ruleT, c *aas.Client, group string, dim aastypes.ScalableDimension, metric aastypes.MetricType, target float64) error {
	_, err := c.PutScalingPolicy(testCtx(rt.T), &aas.PutScalingPolicyInput{
		PolicyName: aws.String(group + "-policy"), ServiceNamespace: aastypes.ServiceNamespaceElasticache,
		ResourceId: aws.String("replication-group/" + group), ScalableDimension: dim, PolicyType: aastypes.PolicyTypeTargetTrackingScaling,
		TargetTrackingScalingPolicyConfiguration: &aastypes.TargetTrackingScalingPolicyConfiguration{
			TargetValue:                   aws.Float64(target),
			PredefinedMetricSpecification: &aastypes.PredefinedMetricSpecification{PredefinedMetricType: metric},
		},
	})
	return err
}

const (
	dimReplicas = aastypes.ScalableDimensionElastiCacheReplicationGroupReplicas
	dimShards   = aastypes.ScalableDimensionElastiCacheReplicationGroupNodeGroups
	replicaCPU  = aastypes.MetricTypeElastiCacheReplicaEngineCPUUtilization
)

// TestEmulatorAppAutoScaling shows the Application Auto Scaling rules for ElastiCache, each
// rejecting, accepting, and no longer rejecting when switched off.
func TestEmulatorAppAutoScaling(t *testing.T) {
	c := aasClient(t)
	one, three := aws.Int32(1), aws.Int32(3)
	runRuleCases(t, []ruleCase{
		{rule: "aas-elasticache-target-is-a-replication-group", code: "ValidationException",
			reject: func(rt *ruleT) error { return register(rt, c, "no-such-group", dimReplicas, one, three) },
			accept: func(rt *ruleT) error { return register(rt, c, rt.scalingGroup(), dimReplicas, one, three) }},
		{rule: "aas-elasticache-prerequisites", code: "ValidationException",
			reject: func(rt *ruleT) error { return register(rt, c, rt.availableRG(nil), dimReplicas, one, three) },
			accept: func(rt *ruleT) error {
				return register(rt, c, rt.scalingGroup(), dimShards, aws.Int32(2), aws.Int32(4))
			}},
		{rule: "aas-new-target-needs-bounds", code: "ValidationException",
			reject: func(rt *ruleT) error { return register(rt, c, rt.scalingGroup(), dimReplicas, one, nil) },
			accept: func(rt *ruleT) error {
				group := rt.scalingGroup()
				mustNoErr(rt.T, register(rt, c, group, dimReplicas, one, three))
				return register(rt, c, group, dimReplicas, nil, aws.Int32(2)) // an update may leave one out
			}},
		{rule: "aas-policy-needs-target", code: "ObjectNotFoundException",
			reject: func(rt *ruleT) error {
				group := rt.scalingGroup()
				err := putPolicy(rt, c, group, dimReplicas, replicaCPU, 50)
				if err == nil { // the rule switched off: a policy without a target, removed with its own call
					rt.Cleanup(func() {
						_, err := c.DeleteScalingPolicy(testCtx(rt.T), &aas.DeleteScalingPolicyInput{PolicyName: aws.String(group + "-policy"),
							ServiceNamespace: aastypes.ServiceNamespaceElasticache, ResourceId: aws.String("replication-group/" + group), ScalableDimension: dimReplicas})
						mustNoErr(rt.T, err)
					})
				}
				return err
			},
			accept: func(rt *ruleT) error {
				group := rt.scalingGroup()
				mustNoErr(rt.T, register(rt, c, group, dimReplicas, one, three))
				return putPolicy(rt, c, group, dimReplicas, replicaCPU, 50)
			}},
		{rule: "aas-elasticache-metric-per-dimension", code: "ValidationException",
			reject: func(rt *ruleT) error {
				group := rt.scalingGroup()
				mustNoErr(rt.T, register(rt, c, group, dimReplicas, one, three))
				return putPolicy(rt, c, group, dimReplicas, aastypes.MetricTypeElastiCachePrimaryEngineCPUUtilization, 50)
			},
			accept: func(rt *ruleT) error {
				group := rt.scalingGroup()
				mustNoErr(rt.T, register(rt, c, group, dimShards, aws.Int32(2), aws.Int32(4)))
				return putPolicy(rt, c, group, dimShards, aastypes.MetricTypeElastiCacheDatabaseMemoryUsageCountedForEvictPercentage, 60)
			}},
		{rule: "aas-elasticache-target-value-range", code: "ValidationException",
			reject: func(rt *ruleT) error {
				group := rt.scalingGroup()
				mustNoErr(rt.T, register(rt, c, group, dimReplicas, one, three))
				return putPolicy(rt, c, group, dimReplicas, replicaCPU, 80)
			},
			accept: func(rt *ruleT) error {
				group := rt.scalingGroup()
				mustNoErr(rt.T, register(rt, c, group, dimReplicas, one, three))
				return putPolicy(rt, c, group, dimReplicas, replicaCPU, 70)
			}},
		{rule: "aas-deregister-deletes-policies", code: "ObjectNotFoundException",
			reject: func(rt *ruleT) error { return deregister(rt, c, rt.scalingGroup(), dimReplicas) },
			accept: func(rt *ruleT) error {
				group := rt.scalingGroup()
				mustNoErr(rt.T, register(rt, c, group, dimReplicas, one, three))
				mustNoErr(rt.T, putPolicy(rt, c, group, dimReplicas, replicaCPU, 50))
				if err := deregister(rt, c, group, dimReplicas); err != nil {
					return err
				}
				out, err := c.DescribeScalingPolicies(testCtx(rt.T), &aas.DescribeScalingPoliciesInput{
					ServiceNamespace: aastypes.ServiceNamespaceElasticache, ResourceId: aws.String("replication-group/" + group)})
				mustNoErr(rt.T, err)
				if len(out.ScalingPolicies) != 0 {
					rt.Fatalf("deregistering the target left its policies: %+v", out.ScalingPolicies)
				}
				return nil
			}},
	})
	t.Run("model-enum", func(t *testing.T) {
		// The botocore model of Application Auto Scaling validates its requests too.
		rt := &ruleT{T: t}
		err := register(rt, c, "any", aastypes.ScalableDimension("elasticache:replication-group:Bogus"), one, three)
		if code := apiCode(err); code != "ValidationException" {
			t.Fatalf("a dimension outside the model's enum: got %q (%v), want ValidationException", code, err)
		}
	})
	t.Run("aas-register-clamps-capacity", func(t *testing.T) {
		rt := &ruleT{T: t, ec: ecClient(t), net: newTestNet(t)}
		group := rt.scalingGroup() // 1 replica per shard
		mustNoErr(t, register(rt, c, group, dimReplicas, aws.Int32(2), three))
		waitRGAvailable(t, rt.ec, group)
		out, err := rt.ec.DescribeReplicationGroups(testCtx(t), &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(group)})
		mustNoErr(t, err)
		for _, ng := range out.ReplicationGroups[0].NodeGroups {
			if len(ng.NodeGroupMembers) != 3 {
				t.Fatalf("a minimum of 2 replicas must scale node group %s out to 3 members; it has %d", aws.ToString(ng.NodeGroupId), len(ng.NodeGroupMembers))
			}
		}
	})
}

func deregister(rt *ruleT, c *aas.Client, group string, dim aastypes.ScalableDimension) error {
	_, err := c.DeregisterScalableTarget(testCtx(rt.T), &aas.DeregisterScalableTargetInput{
		ServiceNamespace: aastypes.ServiceNamespaceElasticache, ResourceId: aws.String("replication-group/" + group), ScalableDimension: dim})
	return err
}
