package acctest

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

// snapshotOf snapshots a replication group and returns the snapshot's name; it is deleted at
// cleanup (once available).
func (rt *ruleT) snapshotOf(rg string) string {
	rt.Helper()
	name := uniqueName("snap")
	_, err := rt.ec.CreateSnapshot(testCtx(rt.T), &elasticache.CreateSnapshotInput{ReplicationGroupId: aws.String(rg), SnapshotName: aws.String(name)})
	mustNoErr(rt.T, err)
	rt.Cleanup(func() {
		waitRGAvailable(rt.T, rt.ec, rg)
		_, _ = rt.ec.DeleteSnapshot(testCtx(rt.T), &elasticache.DeleteSnapshotInput{SnapshotName: aws.String(name)})
	})
	return name
}

// restoreRG creates a group restoring snapshot (by name) with the given engine and shards.
func (rt *ruleT) restoreRG(snapshot, engine string, shards int32) error {
	return rt.createRG(func(in *elasticache.CreateReplicationGroupInput) {
		in.Engine, in.SnapshotName = aws.String(engine), aws.String(snapshot)
		if shards > 1 {
			in.NumCacheClusters, in.NumNodeGroups, in.ReplicasPerNodeGroup = nil, aws.Int32(shards), aws.Int32(1)
			in.AutomaticFailoverEnabled = aws.Bool(true)
		}
	})
}

func clusterMode(shards int32) func(*elasticache.CreateReplicationGroupInput) {
	return func(in *elasticache.CreateReplicationGroupInput) {
		in.NumCacheClusters, in.NumNodeGroups, in.ReplicasPerNodeGroup = nil, aws.Int32(shards), aws.Int32(1)
		in.AutomaticFailoverEnabled = aws.Bool(true)
	}
}

// TestEmulatorRulesSnapshots shows the snapshot and restore rules (rules_catalog.py,
// "snapshots and restores") rejecting and accepting.
func TestEmulatorRulesSnapshots(t *testing.T) {
	valkey := func(rt *ruleT) string { return rt.snapshotOf(rt.availableRG(nil)) }
	cluster := func(rt *ruleT) string { return rt.snapshotOf(rt.availableRG(clusterMode(2))) }
	seed := func(slots bool) func(*ruleT) error {
		return func(rt *ruleT) error {
			return rt.createRG(func(in *elasticache.CreateReplicationGroupInput) {
				clusterMode(2)(in)
				in.SnapshotArns = []string{"arn:aws:s3:::bucket/dump.rdb"}
				if slots {
					in.NodeGroupConfiguration = []types.NodeGroupConfiguration{{NodeGroupId: aws.String("0001"), Slots: aws.String("0-8191"), ReplicaCount: aws.Int32(1)},
						{NodeGroupId: aws.String("0002"), Slots: aws.String("8192-16383"), ReplicaCount: aws.Int32(1)}}
				}
			})
		}
	}
	runRuleCases(t, []ruleCase{
		{
			rule: "snapshot-not-for-node-based-memcached", code: "SnapshotFeatureNotSupportedFault",
			reject: func(rt *ruleT) error {
				id := uniqueName("snap-mc")
				_, err := rt.ec.CreateCacheCluster(testCtx(rt.T), &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String(id), Engine: aws.String("memcached"),
					CacheNodeType: aws.String("cache.t4g.micro"), NumCacheNodes: aws.Int32(1)})
				mustNoErr(rt.T, err)
				waitClusterAvailable(rt.T, rt.ec, id)
				rt.Cleanup(func() {
					_, _ = rt.ec.DeleteCacheCluster(testCtx(rt.T), &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String(id)})
				})
				_, err = rt.ec.CreateSnapshot(testCtx(rt.T), &elasticache.CreateSnapshotInput{CacheClusterId: aws.String(id), SnapshotName: aws.String(uniqueName("snap"))})
				return err
			},
			accept: func(rt *ruleT) error { valkey(rt); return nil },
		},
		{
			rule: "snapshot-restore-same-engine", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error { return rt.restoreRG(valkey(rt), "redis", 1) },
			accept: func(rt *ruleT) error { return rt.restoreRG(valkey(rt), "valkey", 1) },
		},
		{
			rule: "snapshot-restore-cluster-mode", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error { return rt.restoreRG(cluster(rt), "valkey", 1) },
			accept: func(rt *ruleT) error { return rt.restoreRG(cluster(rt), "valkey", 2) },
		},
		{
			rule: "rdb-seed-cluster-mode-needs-slots", code: "InvalidParameterValue",
			reject: seed(false), accept: seed(true),
		},
		{
			rule: "snapshot-states", code: "InvalidReplicationGroupState",
			reject: func(rt *ruleT) error {
				// Its own group: with the rule switched off the delete goes through.
				id := uniqueName("snap-rg")
				_, err := rt.ec.CreateReplicationGroup(testCtx(rt.T), &elasticache.CreateReplicationGroupInput{ReplicationGroupId: aws.String(id),
					ReplicationGroupDescription: aws.String("rule test"), Engine: aws.String("valkey"), CacheNodeType: aws.String("cache.t4g.micro")})
				mustNoErr(rt.T, err)
				rt.Cleanup(func() {
					_, _ = rt.ec.DeleteReplicationGroup(testCtx(rt.T), &elasticache.DeleteReplicationGroupInput{ReplicationGroupId: aws.String(id)})
				})
				waitRGAvailable(rt.T, rt.ec, id)
				setDelays(rt.T, EmulatorOptions{ModifyDelay: 2 * time.Second})
				name := uniqueName("snap")
				_, err = rt.ec.CreateSnapshot(testCtx(rt.T), &elasticache.CreateSnapshotInput{ReplicationGroupId: aws.String(id), SnapshotName: aws.String(name)})
				mustNoErr(rt.T, err)
				rt.Cleanup(func() {
					// Deletable once available (the same rule).
					mustNoErr(rt.T, Eventually(testCtx(rt.T), 10*time.Second, func(ctx context.Context) error {
						_, err := rt.ec.DeleteSnapshot(ctx, &elasticache.DeleteSnapshotInput{SnapshotName: aws.String(name)})
						return err
					}))
				})
				_, err = rt.ec.DeleteReplicationGroup(testCtx(rt.T), &elasticache.DeleteReplicationGroupInput{ReplicationGroupId: aws.String(id)})
				return err
			},
			accept: func(rt *ruleT) error {
				id := rt.availableRG(nil)
				name := rt.snapshotOf(id)
				waitRGAvailable(rt.T, rt.ec, id)
				out, err := rt.ec.DescribeSnapshots(testCtx(rt.T), &elasticache.DescribeSnapshotsInput{SnapshotName: aws.String(name)})
				if err == nil && aws.ToString(out.Snapshots[0].SnapshotStatus) != "available" {
					rt.Fatalf("snapshot %s is %s once its group is available again", name, aws.ToString(out.Snapshots[0].SnapshotStatus))
				}
				return err
			},
		},
	})
}
