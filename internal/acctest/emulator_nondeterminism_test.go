package acctest

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

// nondeterminismOff is every non-determinism switch of test/emulator/README.md, off.
var nondeterminismOff = map[string]any{
	"not_found_after_create": 0, "failover_after_create": false, "random_replica_removal": false,
	"member_lag": 0, "tag_modifying": 0, "parameter_apply_lag": 0, "failover_probability": 0,
}

// withSwitches turns emulator switches on for one test and off again at cleanup.
func withSwitches(t *testing.T, settings map[string]any) {
	t.Helper()
	emu := RequireEmulator(t)
	mustNoErr(t, emu.Configure(testCtx(t), settings))
	t.Cleanup(func() { mustNoErr(t, emu.Configure(testCtx(t), nondeterminismOff)) })
}

func TestEmulatorNondeterminism(t *testing.T) {
	c := ecClient(t)
	t.Run("not found right after create", func(t *testing.T) {
		withSwitches(t, map[string]any{"not_found_after_create": 2})
		ctx := testCtx(t)
		id := newRG(t, c, 2, nil)
		for i := range 3 {
			_, err := c.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)})
			if want := i == 2; (err == nil) != want {
				t.Fatalf("describe %d after create: %v", i+1, err)
			}
			if i < 2 {
				expectCode(t, err, "ReplicationGroupNotFoundFault")
			}
		}
		for _, member := range []string{id + "-001", id + "-002"} {
			for range 2 {
				_, err := c.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(member)})
				expectCode(t, err, "CacheClusterNotFound")
			}
			describeCluster(t, c, member)
		}
		e2 := ec2Client(t)
		sg, err := e2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(uniqueName("nd")), Description: aws.String("nd"), VpcId: aws.String(newTestNet(t).VpcID)})
		mustNoErr(t, err)
		t.Cleanup(func() { _, _ = e2.DeleteSecurityGroup(testCtx(t), &ec2.DeleteSecurityGroupInput{GroupId: sg.GroupId}) })
		_, err = e2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{aws.ToString(sg.GroupId)}})
		expectCode(t, err, "InvalidGroup.NotFound")
		_, err = e2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId, IpProtocol: aws.String("tcp"), FromPort: aws.Int32(6379), ToPort: aws.Int32(6379), CidrIp: aws.String("10.0.0.0/8")})
		expectCode(t, err, "InvalidGroup.NotFound")
		mustNoErr(t, errOf(e2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{aws.ToString(sg.GroupId)}})))
	})
	t.Run("failover moves the primary; AWS picks the replicas to remove, never the primary", func(t *testing.T) {
		withSwitches(t, map[string]any{"random_replica_removal": true})
		ctx, emu := testCtx(t), RequireEmulator(t)
		id := newRG(t, c, 4, nil)
		waitRGAvailable(t, c, id)
		primary, err := emu.Failover(ctx, id)
		mustNoErr(t, err)
		if got := primaryOf(describeRG(t, c, id)); got != primary || primary == id+"-001" {
			t.Fatalf("after failover to %s the primary is %s", primary, got)
		}
		_, err = c.DecreaseReplicaCount(ctx, &elasticache.DecreaseReplicaCountInput{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), ReplicasToRemove: []string{primary}})
		expectCode(t, err, "InvalidParameterValue")
		mustNoErr(t, errOf(c.DecreaseReplicaCount(ctx, &elasticache.DecreaseReplicaCountInput{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), NewReplicaCount: aws.Int32(1)})))
		rg := waitRGAvailable(t, c, id)
		if len(rg.MemberClusters) != 2 || !slices.Contains(rg.MemberClusters, primary) || primaryOf(rg) != primary {
			t.Fatalf("after removing 2 of 3 replicas: members %v, primary %s (was %s)", rg.MemberClusters, primaryOf(rg), primary)
		}
	})
	t.Run("failover after create", func(t *testing.T) {
		withSwitches(t, map[string]any{"failover_after_create": true})
		id := newRG(t, c, 2, nil)
		if got := primaryOf(waitRGAvailable(t, c, id)); got != id+"-002" {
			t.Fatalf("primary after create: %s", got)
		}
	})
	t.Run("members still modifying after the group is available", func(t *testing.T) {
		withSwitches(t, map[string]any{"member_lag": 1})
		ctx := testCtx(t)
		id := newRG(t, c, 2, nil)
		waitRGAvailable(t, c, id)
		mustNoErr(t, errOf(c.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), ReplicationGroupDescription: aws.String("changed")})))
		waitRGAvailable(t, c, id)
		if s := aws.ToString(describeCluster(t, c, id+"-001").CacheClusterStatus); s != "modifying" {
			t.Fatalf("member right after the group is available: %s", s)
		}
		_, err := c.IncreaseReplicaCount(ctx, &elasticache.IncreaseReplicaCountInput{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), NewReplicaCount: aws.Int32(2)})
		expectCode(t, err, "InvalidReplicationGroupState")
		waitMembersAvailable(t, c, id)
	})
	t.Run("a tag change makes the group modifying", func(t *testing.T) {
		withSwitches(t, map[string]any{"tag_modifying": 1})
		ctx := testCtx(t)
		id := newRG(t, c, 1, nil)
		rg := waitRGAvailable(t, c, id)
		tag := func() error {
			_, err := c.AddTagsToResource(ctx, &elasticache.AddTagsToResourceInput{ResourceName: rg.ARN, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		}
		mustNoErr(t, tag())
		if s := aws.ToString(describeRG(t, c, id).Status); s != "modifying" {
			t.Fatalf("after a tag change: %s", s)
		}
		expectCode(t, tag(), "InvalidReplicationGroupState")
		waitRGAvailable(t, c, id)
		mustNoErr(t, tag())
	})
	t.Run("a parameter group with pending changes", func(t *testing.T) {
		withSwitches(t, map[string]any{"parameter_apply_lag": 1})
		ctx := testCtx(t)
		pg := uniqueName("nd")
		mustNoErr(t, errOf(c.CreateCacheParameterGroup(ctx, &elasticache.CreateCacheParameterGroupInput{CacheParameterGroupName: aws.String(pg), CacheParameterGroupFamily: aws.String("valkey8"), Description: aws.String("nd")})))
		t.Cleanup(func() {
			_, _ = c.DeleteCacheParameterGroup(testCtx(t), &elasticache.DeleteCacheParameterGroupInput{CacheParameterGroupName: aws.String(pg)})
		})
		id := newRG(t, c, 1, func(in *elasticache.CreateReplicationGroupInput) { in.CacheParameterGroupName = aws.String(pg) })
		waitRGAvailable(t, c, id)
		_, err := c.ModifyCacheParameterGroup(ctx, &elasticache.ModifyCacheParameterGroupInput{CacheParameterGroupName: aws.String(pg),
			ParameterNameValues: []types.ParameterNameValue{{ParameterName: aws.String("maxmemory-policy"), ParameterValue: aws.String("allkeys-lru")}}})
		mustNoErr(t, err)
		if s := aws.ToString(describeRG(t, c, id).Status); s != "modifying" {
			t.Fatalf("group using a changed parameter group: %s", s)
		}
		if s := aws.ToString(describeCluster(t, c, id+"-001").CacheParameterGroup.ParameterApplyStatus); s != "applying" {
			t.Fatalf("member ParameterApplyStatus: %s", s)
		}
		waitRGAvailable(t, c, id)
	})
}
