package acctest

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

// availableRG creates a replication group from a valid base changed by mutate and waits until
// it is available; it is deleted at cleanup.
func (rt *ruleT) availableRG(mutate func(*elasticache.CreateReplicationGroupInput)) string {
	rt.Helper()
	id := uniqueName("review")
	in := &elasticache.CreateReplicationGroupInput{
		ReplicationGroupId: aws.String(id), ReplicationGroupDescription: aws.String("rule test"),
		Engine: aws.String("valkey"), CacheNodeType: aws.String("cache.t4g.micro"), NumCacheClusters: aws.Int32(2),
		AutomaticFailoverEnabled: aws.Bool(true), TransitEncryptionEnabled: aws.Bool(true),
	}
	if mutate != nil {
		mutate(in)
	}
	_, err := rt.ec.CreateReplicationGroup(testCtx(rt.T), in)
	mustNoErr(rt.T, err)
	waitRGAvailable(rt.T, rt.ec, id)
	rt.Cleanup(func() {
		waitRGAvailable(rt.T, rt.ec, id)
		deleteRG(rt.T, rt.ec, id)
	})
	return id
}

func (rt *ruleT) modifyRG(in *elasticache.ModifyReplicationGroupInput) error {
	_, err := rt.ec.ModifyReplicationGroup(testCtx(rt.T), in)
	if err == nil {
		waitRGAvailable(rt.T, rt.ec, aws.ToString(in.ReplicationGroupId))
	}
	return err
}

func (rt *ruleT) parameterGroup(family string) string {
	name := uniqueName("review-pg")
	_, err := rt.ec.CreateCacheParameterGroup(testCtx(rt.T), &elasticache.CreateCacheParameterGroupInput{
		CacheParameterGroupName: aws.String(name), CacheParameterGroupFamily: aws.String(family), Description: aws.String("rule test"),
	})
	mustNoErr(rt.T, err)
	return name
}

func redis62(in *elasticache.CreateReplicationGroupInput) {
	in.Engine, in.EngineVersion = aws.String("redis"), aws.String("6.2")
}

// TestEmulatorRulesProviderReview shows the rules found reviewing the provider against AWS
// (issue 13, section 2) rejecting and accepting; the acceptance tests named in RULES.md show
// the provider keeping them.
func TestEmulatorRulesProviderReview(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{
			rule: "rg-upgrade-needs-group-of-new-family", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error {
				// Deferred to the maintenance window, and still refused.
				id := rt.availableRG(redis62)
				return rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), EngineVersion: aws.String("7.1"), ApplyImmediately: aws.Bool(false)})
			},
			accept: func(rt *ruleT) error {
				id, pg := rt.availableRG(redis62), rt.parameterGroup("redis7")
				return rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), EngineVersion: aws.String("7.1"), CacheParameterGroupName: aws.String(pg), ApplyImmediately: aws.Bool(true)})
			},
		},
		{
			rule: "rg-cluster-mode-compatible-preconditions", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error {
				id := rt.availableRG(func(in *elasticache.CreateReplicationGroupInput) {
					in.NumCacheClusters, in.AutomaticFailoverEnabled = aws.Int32(1), aws.Bool(false)
				})
				return rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), ClusterMode: types.ClusterModeCompatible, CacheParameterGroupName: aws.String("default.valkey8.cluster.on"), ApplyImmediately: aws.Bool(true)})
			},
			accept: func(rt *ruleT) error {
				id := rt.availableRG(nil)
				return rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), ClusterMode: types.ClusterModeCompatible, CacheParameterGroupName: aws.String("default.valkey8.cluster.on"), ApplyImmediately: aws.Bool(true)})
			},
		},
		{
			rule: "rg-nothing-else-while-compatible", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error {
				id := rt.availableRG(nil)
				mustNoErr(rt.T, rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), ClusterMode: types.ClusterModeCompatible, CacheParameterGroupName: aws.String("default.valkey8.cluster.on"), ApplyImmediately: aws.Bool(true)}))
				return rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), SnapshotWindow: aws.String("01:00-02:00"), ApplyImmediately: aws.Bool(true)})
			},
			accept: func(rt *ruleT) error {
				id := rt.availableRG(nil)
				mustNoErr(rt.T, rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), ClusterMode: types.ClusterModeCompatible, CacheParameterGroupName: aws.String("default.valkey8.cluster.on"), ApplyImmediately: aws.Bool(true)}))
				return rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), ClusterMode: types.ClusterModeEnabled, ApplyImmediately: aws.Bool(true)})
			},
		},
		{
			rule: "rg-snapshots-on-need-snapshotting-cluster", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error {
				id := rt.availableRG(nil)
				return rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), SnapshotRetentionLimit: aws.Int32(3), ApplyImmediately: aws.Bool(true)})
			},
			accept: func(rt *ruleT) error {
				id := rt.availableRG(nil)
				return rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), SnapshotRetentionLimit: aws.Int32(3), SnapshottingClusterId: aws.String(id + "-002"), ApplyImmediately: aws.Bool(true)})
			},
		},
		{
			rule: "rg-no-snapshotting-cluster-in-cluster-mode", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error {
				id := rt.availableRG(func(in *elasticache.CreateReplicationGroupInput) {
					in.NumCacheClusters, in.NumNodeGroups, in.ReplicasPerNodeGroup = nil, aws.Int32(2), aws.Int32(1)
				})
				return rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), SnapshotRetentionLimit: aws.Int32(3), SnapshottingClusterId: aws.String(id + "-0001-002"), ApplyImmediately: aws.Bool(true)})
			},
			accept: func(rt *ruleT) error {
				id := rt.availableRG(func(in *elasticache.CreateReplicationGroupInput) {
					in.NumCacheClusters, in.NumNodeGroups, in.ReplicasPerNodeGroup = nil, aws.Int32(2), aws.Int32(1)
				})
				return rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), SnapshotRetentionLimit: aws.Int32(3), ApplyImmediately: aws.Bool(true)})
			},
		},
		{
			rule: "rg-auth-token-delete-only-to-rbac", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error {
				id := rt.availableRG(func(in *elasticache.CreateReplicationGroupInput) { in.AuthToken = aws.String("Str0ngTokenValue-1234") })
				return rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), AuthTokenUpdateStrategy: types.AuthTokenUpdateStrategyTypeDelete, ApplyImmediately: aws.Bool(true)})
			},
			accept: func(rt *ruleT) error {
				id := rt.availableRG(func(in *elasticache.CreateReplicationGroupInput) { in.AuthToken = aws.String("Str0ngTokenValue-1234") })
				return rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), AuthTokenUpdateStrategy: types.AuthTokenUpdateStrategyTypeDelete, UserGroupIdsToAdd: []string{rt.userGroup()}, ApplyImmediately: aws.Bool(true)})
			},
		},
		{
			rule: "rg-user-groups-replace-auth-token", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error {
				id := rt.availableRG(func(in *elasticache.CreateReplicationGroupInput) { in.AuthToken = aws.String("Str0ngTokenValue-1234") })
				return rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), UserGroupIdsToAdd: []string{rt.userGroup()}, ApplyImmediately: aws.Bool(true)})
			},
			accept: func(rt *ruleT) error {
				id := rt.availableRG(func(in *elasticache.CreateReplicationGroupInput) { in.AuthToken = aws.String("Str0ngTokenValue-1234") })
				return rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), AuthTokenUpdateStrategy: types.AuthTokenUpdateStrategyTypeDelete, UserGroupIdsToAdd: []string{rt.userGroup()}, ApplyImmediately: aws.Bool(true)})
			},
		},
		{
			rule: "rg-decrease-replicas-never-primary", code: "InvalidParameterValue",
			reject: func(rt *ruleT) error {
				id := rt.availableRG(func(in *elasticache.CreateReplicationGroupInput) { in.NumCacheClusters = aws.Int32(3) })
				_, err := rt.ec.TestFailover(testCtx(rt.T), &elasticache.TestFailoverInput{ReplicationGroupId: aws.String(id), NodeGroupId: aws.String("0001")})
				mustNoErr(rt.T, err)
				waitRGAvailable(rt.T, rt.ec, id)
				_, err = rt.ec.DecreaseReplicaCount(testCtx(rt.T), &elasticache.DecreaseReplicaCountInput{ReplicationGroupId: aws.String(id), ReplicasToRemove: []string{id + "-002"}, ApplyImmediately: aws.Bool(true)})
				return err
			},
			accept: func(rt *ruleT) error {
				id := rt.availableRG(func(in *elasticache.CreateReplicationGroupInput) { in.NumCacheClusters = aws.Int32(3) })
				_, err := rt.ec.DecreaseReplicaCount(testCtx(rt.T), &elasticache.DecreaseReplicaCountInput{ReplicationGroupId: aws.String(id), ReplicasToRemove: []string{id + "-002"}, ApplyImmediately: aws.Bool(true)})
				return err
			},
		},
		{
			rule: "rg-r6gd-needs-data-tiering", code: "InvalidParameterCombination",
			reject: creating(func(in *rgInput) { in.CacheNodeType = aws.String("cache.r6gd.xlarge") }),
			accept: creating(func(in *rgInput) {
				in.CacheNodeType, in.DataTieringEnabled = aws.String("cache.r6gd.xlarge"), aws.Bool(true)
			}),
		},
		{
			rule: "rg-data-tiering-fixed-at-create", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error {
				id := rt.availableRG(nil)
				return rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), CacheNodeType: aws.String("cache.r6gd.xlarge"), ApplyImmediately: aws.Bool(true)})
			},
			accept: func(rt *ruleT) error {
				id := rt.availableRG(nil)
				return rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), CacheNodeType: aws.String("cache.r7g.large"), ApplyImmediately: aws.Bool(true)})
			},
		},
		{
			rule: "serverless-one-field-per-modify", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error {
				name := rt.serverless()
				_, err := rt.ec.ModifyServerlessCache(testCtx(rt.T), &elasticache.ModifyServerlessCacheInput{ServerlessCacheName: aws.String(name), SnapshotRetentionLimit: aws.Int32(2), DailySnapshotTime: aws.String("03:00")})
				return err
			},
			accept: func(rt *ruleT) error {
				name := rt.serverless()
				_, err := rt.ec.ModifyServerlessCache(testCtx(rt.T), &elasticache.ModifyServerlessCacheInput{ServerlessCacheName: aws.String(name), SnapshotRetentionLimit: aws.Int32(2)})
				return err
			},
		},
		{
			rule: "serverless-limit-removed-with-zero", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error {
				// A dimension without a maximum changes nothing: "No modifications were requested".
				name := rt.serverless()
				_, err := rt.ec.ModifyServerlessCache(testCtx(rt.T), &elasticache.ModifyServerlessCacheInput{ServerlessCacheName: aws.String(name),
					CacheUsageLimits: &types.CacheUsageLimits{DataStorage: &types.DataStorage{Unit: types.DataStorageUnitGb}}})
				return err
			},
			accept: func(rt *ruleT) error {
				name := rt.serverless()
				_, err := rt.ec.ModifyServerlessCache(testCtx(rt.T), &elasticache.ModifyServerlessCacheInput{ServerlessCacheName: aws.String(name),
					CacheUsageLimits: &types.CacheUsageLimits{ECPUPerSecond: &types.ECPUPerSecond{Maximum: aws.Int32(0)}}})
				if err != nil {
					return err
				}
				if sc := waitServerless(rt.T, rt.ec, name, "available"); sc.CacheUsageLimits != nil && sc.CacheUsageLimits.ECPUPerSecond != nil {
					rt.Fatalf("Maximum 0 left the ECPU limit: %+v", sc.CacheUsageLimits.ECPUPerSecond)
				}
				// A Minimum is set beside the Maximum left out (which stays), and removed with 0.
				for _, minimum := range []int32{5, 0} {
					_, err = rt.ec.ModifyServerlessCache(testCtx(rt.T), &elasticache.ModifyServerlessCacheInput{ServerlessCacheName: aws.String(name),
						CacheUsageLimits: &types.CacheUsageLimits{DataStorage: &types.DataStorage{Minimum: aws.Int32(minimum), Unit: types.DataStorageUnitGb}}})
					if err != nil {
						return err
					}
					d := waitServerless(rt.T, rt.ec, name, "available").CacheUsageLimits.DataStorage
					if aws.ToInt32(d.Maximum) != 10 || aws.ToInt32(d.Minimum) != minimum {
						rt.Fatalf("after Minimum %d: data storage %d..%d GB, want %d..10", minimum, aws.ToInt32(d.Minimum), aws.ToInt32(d.Maximum), minimum)
					}
				}
				return nil
			},
		},
	})
	runRuleCases(t, reviewedCallCases())
	t.Run("notification-topic-inactive-keeps-arn", func(t *testing.T) {
		rt := &ruleT{T: t, ec: ecClient(t), net: newTestNet(t)}
		topic := "arn:aws:sns:us-east-1:123456789012:review"
		id := rt.availableRG(func(in *elasticache.CreateReplicationGroupInput) { in.NotificationTopicArn = aws.String(topic) })
		mustNoErr(t, rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), NotificationTopicArn: aws.String(""), NotificationTopicStatus: aws.String("inactive"), ApplyImmediately: aws.Bool(true)}))
		out, err := rt.ec.DescribeCacheClusters(testCtx(t), &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id + "-001")})
		mustNoErr(t, err)
		n := out.CacheClusters[0].NotificationConfiguration
		if n == nil || aws.ToString(n.TopicArn) != topic || aws.ToString(n.TopicStatus) != "inactive" {
			t.Fatalf("after removal AWS reports the topic with status inactive; got %+v", n)
		}
	})
}

// userGroup creates an active RBAC user group with the default user.
func (rt *ruleT) userGroup() string {
	rt.Helper()
	id := uniqueName("review-ug")
	_, err := rt.ec.CreateUserGroup(testCtx(rt.T), &elasticache.CreateUserGroupInput{UserGroupId: aws.String(id), Engine: aws.String("valkey"), UserIds: []string{"default"}})
	mustNoErr(rt.T, err)
	// The emulator's zero create delay makes the group active on the next call.
	out, err := rt.ec.DescribeUserGroups(testCtx(rt.T), &elasticache.DescribeUserGroupsInput{UserGroupId: aws.String(id)})
	mustNoErr(rt.T, err)
	if s := aws.ToString(out.UserGroups[0].Status); s != "active" {
		rt.Fatalf("user group %s is %s", id, s)
	}
	return id
}

// serverless creates an available Valkey serverless cache with both usage limits.
func (rt *ruleT) serverless() string {
	rt.Helper()
	name := uniqueName("review-sls")
	_, err := rt.ec.CreateServerlessCache(testCtx(rt.T), &elasticache.CreateServerlessCacheInput{ServerlessCacheName: aws.String(name), Engine: aws.String("valkey"),
		CacheUsageLimits: &types.CacheUsageLimits{
			DataStorage:   &types.DataStorage{Maximum: aws.Int32(10), Unit: types.DataStorageUnitGb},
			ECPUPerSecond: &types.ECPUPerSecond{Maximum: aws.Int32(5000)},
		}})
	mustNoErr(rt.T, err)
	waitServerless(rt.T, rt.ec, name, "available")
	rt.Cleanup(func() {
		_, _ = rt.ec.DeleteServerlessCache(testCtx(rt.T), &elasticache.DeleteServerlessCacheInput{ServerlessCacheName: aws.String(name)})
	})
	return name
}

// reviewedCallCases are rules of calls the provider makes that it already kept (section 3 of
// the review): named so the emulator holds every future change to them.
func reviewedCallCases() []ruleCase {
	increase := func(now bool) func(*ruleT) error {
		return func(rt *ruleT) error {
			id := rt.availableRG(nil)
			_, err := rt.ec.IncreaseReplicaCount(testCtx(rt.T), &elasticache.IncreaseReplicaCountInput{ReplicationGroupId: aws.String(id), NewReplicaCount: aws.Int32(2), ApplyImmediately: aws.Bool(now)})
			return err
		}
	}
	fewerNodes := func(ids []string) func(*ruleT) error {
		return func(rt *ruleT) error {
			id := uniqueName("review-mc")
			_, err := rt.ec.CreateCacheCluster(testCtx(rt.T), &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String(id), Engine: aws.String("memcached"),
				CacheNodeType: aws.String("cache.t4g.micro"), NumCacheNodes: aws.Int32(3), AZMode: types.AZModeCrossAz})
			mustNoErr(rt.T, err)
			waitClusterAvailable(rt.T, rt.ec, id)
			rt.Cleanup(func() {
				waitClusterAvailable(rt.T, rt.ec, id)
				_, _ = rt.ec.DeleteCacheCluster(testCtx(rt.T), &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String(id)})
			})
			_, err = rt.ec.ModifyCacheCluster(testCtx(rt.T), &elasticache.ModifyCacheClusterInput{CacheClusterId: aws.String(id), NumCacheNodes: aws.Int32(2), CacheNodeIdsToRemove: ids, ApplyImmediately: aws.Bool(true)})
			return err
		}
	}
	parameters := func(n int) func(*ruleT) error {
		return func(rt *ruleT) error {
			values := make([]types.ParameterNameValue, n)
			for i := range values {
				values[i] = types.ParameterNameValue{ParameterName: aws.String("maxmemory-policy"), ParameterValue: aws.String("allkeys-lru")}
			}
			_, err := rt.ec.ModifyCacheParameterGroup(testCtx(rt.T), &elasticache.ModifyCacheParameterGroupInput{CacheParameterGroupName: aws.String(rt.parameterGroup("valkey8")), ParameterNameValues: values})
			return err
		}
	}
	deleteGroup := func(used bool) func(*ruleT) error {
		return func(rt *ruleT) error {
			pg := rt.parameterGroup("valkey8")
			if used {
				rt.availableRG(func(in *elasticache.CreateReplicationGroupInput) { in.CacheParameterGroupName = aws.String(pg) })
			}
			_, err := rt.ec.DeleteCacheParameterGroup(testCtx(rt.T), &elasticache.DeleteCacheParameterGroupInput{CacheParameterGroupName: aws.String(pg)})
			return err
		}
	}
	deleteSubnets := func(used bool) func(*ruleT) error {
		return func(rt *ruleT) error {
			sng := uniqueName("review-sng")
			_, err := rt.ec.CreateCacheSubnetGroup(testCtx(rt.T), &elasticache.CreateCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(sng),
				CacheSubnetGroupDescription: aws.String("rule test"), SubnetIds: rt.net.SubnetIDs})
			mustNoErr(rt.T, err)
			if used {
				rt.availableRG(func(in *elasticache.CreateReplicationGroupInput) { in.CacheSubnetGroupName = aws.String(sng) })
			}
			_, err = rt.ec.DeleteCacheSubnetGroup(testCtx(rt.T), &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(sng)})
			return err
		}
	}
	alarm := func(period, datapoints int32) func(*ruleT) error {
		return func(rt *ruleT) error {
			_, err := cwClient(rt.T).PutMetricAlarm(testCtx(rt.T), &cloudwatch.PutMetricAlarmInput{
				AlarmName: aws.String(uniqueName("review-alarm")), Namespace: aws.String("AWS/ElastiCache"), MetricName: aws.String("EngineCPUUtilization"),
				Statistic: cwtypes.StatisticAverage, Period: aws.Int32(period), EvaluationPeriods: aws.Int32(3), DatapointsToAlarm: aws.Int32(datapoints),
				Threshold: aws.Float64(90), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold,
			})
			return err
		}
	}
	return []ruleCase{
		{rule: "cw-alarm-period-10-20-30-or-minutes", code: "InvalidParameterValue", reject: alarm(90, 2), accept: alarm(120, 2)},
		{rule: "cw-alarm-datapoints-at-most-periods", code: "InvalidParameterValue", reject: alarm(60, 4), accept: alarm(60, 3)},
		{rule: "replica-and-shard-changes-apply-immediately", code: "InvalidParameterValue", reject: increase(false), accept: increase(true)},
		{rule: "memcached-decrease-names-nodes", code: "InvalidParameterCombination", reject: fewerNodes(nil), accept: fewerNodes([]string{"0003"})},
		{rule: "parameter-group-20-parameters-per-modify", code: "InvalidParameterValue", reject: parameters(21), accept: parameters(20)},
		{rule: "parameter-group-in-use-cannot-be-deleted", code: "InvalidCacheParameterGroupState", reject: deleteGroup(true), accept: deleteGroup(false)},
		{rule: "subnet-group-in-use-cannot-be-deleted", code: "CacheSubnetGroupInUse", reject: deleteSubnets(true), accept: deleteSubnets(false)},
	}
}

func waitClusterAvailable(t *testing.T, c *elasticache.Client, id string) {
	t.Helper()
	w := elasticache.NewCacheClusterAvailableWaiter(c, func(o *elasticache.CacheClusterAvailableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax })
	mustNoErr(t, w.Wait(testCtx(t), &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id)}, 20*time.Second))
}
