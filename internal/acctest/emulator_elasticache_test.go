package acctest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

func waitRGAvailable(t *testing.T, c *elasticache.Client, id string) types.ReplicationGroup {
	t.Helper()
	w := elasticache.NewReplicationGroupAvailableWaiter(c, func(o *elasticache.ReplicationGroupAvailableWaiterOptions) {
		o.MinDelay, o.MaxDelay = waitMin, waitMax
	})
	out, err := w.WaitForOutput(testCtx(t), &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)}, 20*time.Second)
	if err != nil {
		t.Fatalf("replication group %s not available: %v", id, err)
	}
	return out.ReplicationGroups[0]
}

func waitRGDeleted(t *testing.T, c *elasticache.Client, id string) {
	t.Helper()
	w := elasticache.NewReplicationGroupDeletedWaiter(c, func(o *elasticache.ReplicationGroupDeletedWaiterOptions) {
		o.MinDelay, o.MaxDelay = waitMin, waitMax
	})
	if err := w.Wait(testCtx(t), &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)}, 20*time.Second); err != nil {
		t.Fatalf("replication group %s not deleted: %v", id, err)
	}
}

// deleteRG deletes a replication group and waits until it is gone.
func deleteRG(t *testing.T, c *elasticache.Client, id string) {
	t.Helper()
	_, err := c.DeleteReplicationGroup(testCtx(t), &elasticache.DeleteReplicationGroupInput{ReplicationGroupId: aws.String(id)})
	mustNoErr(t, err)
	waitRGDeleted(t, c, id)
}

func describeRG(t *testing.T, c *elasticache.Client, id string) types.ReplicationGroup {
	t.Helper()
	out, err := c.DescribeReplicationGroups(testCtx(t), &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)})
	mustNoErr(t, err)
	if len(out.ReplicationGroups) != 1 {
		t.Fatalf("expected one replication group, got %d", len(out.ReplicationGroups))
	}
	return out.ReplicationGroups[0]
}

func describeCluster(t *testing.T, c *elasticache.Client, id string) types.CacheCluster {
	t.Helper()
	out, err := c.DescribeCacheClusters(testCtx(t), &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id), ShowCacheNodeInfo: aws.Bool(true)})
	mustNoErr(t, err)
	return out.CacheClusters[0]
}

// newRG creates an available cluster-mode-disabled group with `nodes` members, deleted at cleanup.
func newRG(t *testing.T, c *elasticache.Client, nodes int32, mutate func(*elasticache.CreateReplicationGroupInput)) string {
	t.Helper()
	id := uniqueName("nd")
	in := &elasticache.CreateReplicationGroupInput{
		ReplicationGroupId: aws.String(id), ReplicationGroupDescription: aws.String("non-determinism"),
		Engine: aws.String("valkey"), CacheNodeType: aws.String("cache.t4g.micro"), NumCacheClusters: aws.Int32(nodes),
		AutomaticFailoverEnabled: aws.Bool(nodes > 1),
	}
	if mutate != nil {
		mutate(in)
	}
	mustNoErr(t, errOf(c.CreateReplicationGroup(testCtx(t), in)))
	t.Cleanup(func() {
		waitRGAvailable(t, c, id)
		waitMembersAvailable(t, c, id)
		deleteRG(t, c, id)
	})
	return id
}

func primaryOf(rg types.ReplicationGroup) string {
	for _, m := range rg.NodeGroups[0].NodeGroupMembers {
		if aws.ToString(m.CurrentRole) == "primary" {
			return aws.ToString(m.CacheClusterId)
		}
	}
	return ""
}

// waitMembersAvailable polls (with backoff) until every member cluster reports available.
func waitMembersAvailable(t *testing.T, c *elasticache.Client, id string) {
	t.Helper()
	delay := 20 * time.Millisecond
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); delay = min(2*delay, 500*time.Millisecond) {
		ready := true
		for _, m := range describeRG(t, c, id).MemberClusters {
			if aws.ToString(describeCluster(t, c, m).CacheClusterStatus) != "available" {
				ready = false
			}
		}
		if ready {
			return
		}
		time.Sleep(delay) // polling backoff, not a fixed wait
	}
	t.Fatalf("members of %s not available", id)
}

func createSubnetGroup(t *testing.T, c *elasticache.Client, n testNet) string {
	t.Helper()
	name := uniqueName("sng")
	_, err := c.CreateCacheSubnetGroup(testCtx(t), &elasticache.CreateCacheSubnetGroupInput{
		CacheSubnetGroupName: aws.String(name), CacheSubnetGroupDescription: aws.String("emulator test"), SubnetIds: n.SubnetIDs,
	})
	mustNoErr(t, err)
	return name
}

// cacheTest is what a cache's test starts from: a context, a client, the test network and a
// cache subnet group over its subnets.
func cacheTest(t *testing.T) (context.Context, *elasticache.Client, testNet, string) {
	t.Helper()
	c, n := ecClient(t), newTestNet(t)
	return testCtx(t), c, n, createSubnetGroup(t, c, n)
}

func TestEmulatorSubnetGroupLifecycle(t *testing.T) {
	ctx, c, n := testCtx(t), ecClient(t), newTestNet(t)
	name := uniqueName("sng")
	out, err := c.CreateCacheSubnetGroup(ctx, &elasticache.CreateCacheSubnetGroupInput{
		CacheSubnetGroupName: aws.String(name), CacheSubnetGroupDescription: aws.String("first"),
		SubnetIds: n.SubnetIDs, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("cache")}},
	})
	mustNoErr(t, err)
	g := out.CacheSubnetGroup
	if aws.ToString(g.VpcId) != n.VpcID || len(g.Subnets) != 3 {
		t.Fatalf("subnet group: vpc %s, %d subnets", aws.ToString(g.VpcId), len(g.Subnets))
	}
	for i, s := range g.Subnets {
		if aws.ToString(s.SubnetIdentifier) != n.SubnetIDs[i] || aws.ToString(s.SubnetAvailabilityZone.Name) != n.AZs[i] {
			t.Fatalf("subnet %d: %s in %s, want %s in %s", i, aws.ToString(s.SubnetIdentifier), aws.ToString(s.SubnetAvailabilityZone.Name), n.SubnetIDs[i], n.AZs[i])
		}
	}
	_, err = c.CreateCacheSubnetGroup(ctx, &elasticache.CreateCacheSubnetGroupInput{
		CacheSubnetGroupName: aws.String(name), CacheSubnetGroupDescription: aws.String("again"), SubnetIds: n.SubnetIDs,
	})
	mustFault[*types.CacheSubnetGroupAlreadyExistsFault](t, err, "duplicate subnet group")
	_, err = c.CreateCacheSubnetGroup(ctx, &elasticache.CreateCacheSubnetGroupInput{
		CacheSubnetGroupName: aws.String(uniqueName("sng")), CacheSubnetGroupDescription: aws.String("bad"), SubnetIds: []string{"subnet-00000000000000000"},
	})
	mustFault[*types.InvalidSubnet](t, err, "unknown subnet")

	_, err = c.ModifyCacheSubnetGroup(ctx, &elasticache.ModifyCacheSubnetGroupInput{
		CacheSubnetGroupName: aws.String(name), CacheSubnetGroupDescription: aws.String("second"), SubnetIds: n.SubnetIDs[:2],
	})
	mustNoErr(t, err)
	desc, err := c.DescribeCacheSubnetGroups(ctx, &elasticache.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: aws.String(name)})
	mustNoErr(t, err)
	if g := desc.CacheSubnetGroups[0]; aws.ToString(g.CacheSubnetGroupDescription) != "second" || len(g.Subnets) != 2 {
		t.Fatalf("modify not visible: %q, %d subnets", aws.ToString(g.CacheSubnetGroupDescription), len(g.Subnets))
	}

	mustNoErr(t, errOf(c.DeleteCacheSubnetGroup(ctx, &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(name)})))
	mustFault[*types.CacheSubnetGroupNotFoundFault](t, errOf(c.DescribeCacheSubnetGroups(ctx, &elasticache.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: aws.String(name)})), "describe deleted subnet group")
	mustFault[*types.CacheSubnetGroupNotFoundFault](t, errOf(c.DeleteCacheSubnetGroup(ctx, &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(name)})), "delete deleted subnet group")
}

func TestEmulatorParameterGroups(t *testing.T) {
	ctx, c := testCtx(t), ecClient(t)
	name := uniqueName("pg")
	out, err := c.CreateCacheParameterGroup(ctx, &elasticache.CreateCacheParameterGroupInput{
		CacheParameterGroupName: aws.String(name), CacheParameterGroupFamily: aws.String("valkey8"), Description: aws.String("eviction"),
	})
	mustNoErr(t, err)
	if aws.ToString(out.CacheParameterGroup.CacheParameterGroupFamily) != "valkey8" || !strings.HasSuffix(aws.ToString(out.CacheParameterGroup.ARN), ":parametergroup:"+name) {
		t.Fatalf("created: %+v", out.CacheParameterGroup)
	}

	// Every parameter, over several pages.
	var all []types.Parameter
	pages := 0
	p := elasticache.NewDescribeCacheParametersPaginator(c, &elasticache.DescribeCacheParametersInput{CacheParameterGroupName: aws.String(name), MaxRecords: aws.Int32(20)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		mustNoErr(t, err)
		all = append(all, page.Parameters...)
		pages++
	}
	if pages < 2 || len(all) < 30 {
		t.Fatalf("expected a realistic parameter set over several pages, got %d parameters in %d pages", len(all), pages)
	}
	byName := map[string]types.Parameter{}
	for _, prm := range all {
		byName[aws.ToString(prm.ParameterName)] = prm
	}
	policy := byName["maxmemory-policy"]
	if aws.ToString(policy.ParameterValue) != "volatile-lru" || !strings.Contains(aws.ToString(policy.AllowedValues), "allkeys-lru") || !aws.ToBool(policy.IsModifiable) {
		t.Fatalf("maxmemory-policy: %+v", policy)
	}
	if _, ok := byName["timeout"]; !ok {
		t.Fatal("timeout parameter missing")
	}

	_, err = c.ModifyCacheParameterGroup(ctx, &elasticache.ModifyCacheParameterGroupInput{
		CacheParameterGroupName: aws.String(name),
		ParameterNameValues: []types.ParameterNameValue{
			{ParameterName: aws.String("maxmemory-policy"), ParameterValue: aws.String("allkeys-lru")},
			{ParameterName: aws.String("timeout"), ParameterValue: aws.String("300")},
		},
	})
	mustNoErr(t, err)
	user := func() map[string]string {
		out, err := c.DescribeCacheParameters(ctx, &elasticache.DescribeCacheParametersInput{CacheParameterGroupName: aws.String(name), Source: aws.String("user")})
		mustNoErr(t, err)
		m := map[string]string{}
		for _, prm := range out.Parameters {
			if aws.ToString(prm.Source) != "user" {
				t.Fatalf("Source=user returned %s with source %s", aws.ToString(prm.ParameterName), aws.ToString(prm.Source))
			}
			m[aws.ToString(prm.ParameterName)] = aws.ToString(prm.ParameterValue)
		}
		return m
	}
	if got := user(); len(got) != 2 || got["maxmemory-policy"] != "allkeys-lru" || got["timeout"] != "300" {
		t.Fatalf("user parameters: %v", got)
	}

	var invalid *types.InvalidParameterValueException
	for _, bad := range []types.ParameterNameValue{
		{ParameterName: aws.String("maxmemory-policy"), ParameterValue: aws.String("lru-ish")},
		{ParameterName: aws.String("no-such-parameter"), ParameterValue: aws.String("1")},
		{ParameterName: aws.String("timeout"), ParameterValue: aws.String("five")},
	} {
		_, err = c.ModifyCacheParameterGroup(ctx, &elasticache.ModifyCacheParameterGroupInput{CacheParameterGroupName: aws.String(name), ParameterNameValues: []types.ParameterNameValue{bad}})
		if !errors.As(err, &invalid) {
			t.Fatalf("%s=%s: expected InvalidParameterValueException, got %v", aws.ToString(bad.ParameterName), aws.ToString(bad.ParameterValue), err)
		}
	}
	var tooMany []types.ParameterNameValue
	for i := 0; i < 21; i++ {
		tooMany = append(tooMany, types.ParameterNameValue{ParameterName: aws.String("timeout"), ParameterValue: aws.String("0")})
	}
	mustFault[*types.InvalidParameterValueException](t, errOf(c.ModifyCacheParameterGroup(ctx, &elasticache.ModifyCacheParameterGroupInput{CacheParameterGroupName: aws.String(name), ParameterNameValues: tooMany})), "21 parameters in one call")
	_, err = c.ModifyCacheParameterGroup(ctx, &elasticache.ModifyCacheParameterGroupInput{
		CacheParameterGroupName: aws.String("default.valkey8"),
		ParameterNameValues:     []types.ParameterNameValue{{ParameterName: aws.String("timeout"), ParameterValue: aws.String("0")}},
	})
	mustFault[*types.InvalidParameterValueException](t, err, "modifying a default group")

	_, err = c.ResetCacheParameterGroup(ctx, &elasticache.ResetCacheParameterGroupInput{
		CacheParameterGroupName: aws.String(name), ParameterNameValues: []types.ParameterNameValue{{ParameterName: aws.String("timeout")}},
	})
	mustNoErr(t, err)
	if got := user(); len(got) != 1 || got["maxmemory-policy"] != "allkeys-lru" {
		t.Fatalf("after resetting timeout: %v", got)
	}
	mustNoErr(t, errOf(c.ResetCacheParameterGroup(ctx, &elasticache.ResetCacheParameterGroupInput{CacheParameterGroupName: aws.String(name), ResetAllParameters: aws.Bool(true)})))
	if got := user(); len(got) != 0 {
		t.Fatalf("after reset all: %v", got)
	}

	groups, err := c.DescribeCacheParameterGroups(ctx, &elasticache.DescribeCacheParameterGroupsInput{})
	mustNoErr(t, err)
	seen := map[string]string{}
	for _, g := range groups.CacheParameterGroups {
		seen[aws.ToString(g.CacheParameterGroupName)] = aws.ToString(g.CacheParameterGroupFamily)
	}
	for name, family := range map[string]string{name: "valkey8", "default.valkey7": "valkey7", "default.redis7.cluster.on": "redis7", "default.redis6.x": "redis6.x", "default.memcached1.6": "memcached1.6"} {
		if seen[name] != family {
			t.Errorf("parameter group %s: family %q, want %q", name, seen[name], family)
		}
	}
	for _, family := range []string{"redis6.x", "redis7", "valkey7", "memcached1.6"} {
		out, err := c.DescribeEngineDefaultParameters(ctx, &elasticache.DescribeEngineDefaultParametersInput{CacheParameterGroupFamily: aws.String(family)})
		mustNoErr(t, err)
		if len(out.EngineDefaults.Parameters) < 5 {
			t.Errorf("%s: only %d default parameters", family, len(out.EngineDefaults.Parameters))
		}
	}

	_, err = c.CreateCacheParameterGroup(ctx, &elasticache.CreateCacheParameterGroupInput{
		CacheParameterGroupName: aws.String(uniqueName("pg")), CacheParameterGroupFamily: aws.String("redis99"), Description: aws.String("x"),
	})
	mustFault[*types.InvalidParameterValueException](t, err, "unknown family")
	_, err = c.CreateCacheParameterGroup(ctx, &elasticache.CreateCacheParameterGroupInput{
		CacheParameterGroupName: aws.String(name), CacheParameterGroupFamily: aws.String("valkey8"), Description: aws.String("x"),
	})
	mustFault[*types.CacheParameterGroupAlreadyExistsFault](t, err, "duplicate")

	mustNoErr(t, errOf(c.DeleteCacheParameterGroup(ctx, &elasticache.DeleteCacheParameterGroupInput{CacheParameterGroupName: aws.String(name)})))
	mustFault[*types.CacheParameterGroupNotFoundFault](t, errOf(c.DescribeCacheParameters(ctx, &elasticache.DescribeCacheParametersInput{CacheParameterGroupName: aws.String(name)})), "describe parameters of a deleted group")
	mustFault[*types.CacheParameterGroupNotFoundFault](t, errOf(c.DescribeCacheParameterGroups(ctx, &elasticache.DescribeCacheParameterGroupsInput{CacheParameterGroupName: aws.String(name)})), "describe deleted group")
}

func TestEmulatorReplicationGroupLifecycle(t *testing.T) {
	ctx, c, n, sng := cacheTest(t)
	pg := uniqueName("pg")
	_, err := c.CreateCacheParameterGroup(ctx, &elasticache.CreateCacheParameterGroupInput{
		CacheParameterGroupName: aws.String(pg), CacheParameterGroupFamily: aws.String("valkey8"), Description: aws.String("x"),
	})
	mustNoErr(t, err)
	id := uniqueName("rg")
	created, err := c.CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{
		ReplicationGroupId:          aws.String(id),
		ReplicationGroupDescription: aws.String("sessions"),
		Engine:                      aws.String("valkey"),
		EngineVersion:               aws.String("8.0"),
		CacheNodeType:               aws.String("cache.r7g.large"),
		NumCacheClusters:            aws.Int32(3),
		AutomaticFailoverEnabled:    aws.Bool(true),
		MultiAZEnabled:              aws.Bool(true),
		CacheSubnetGroupName:        aws.String(sng),
		CacheParameterGroupName:     aws.String(pg),
		SecurityGroupIds:            []string{n.GroupID},
		TransitEncryptionEnabled:    aws.Bool(true),
		AtRestEncryptionEnabled:     aws.Bool(true),
		KmsKeyId:                    aws.String("arn:aws:kms:us-east-1:123456789012:key/emulator"),
		AuthToken:                   aws.String("first-token-0123456789"),
		SnapshotRetentionLimit:      aws.Int32(3),
		SnapshotWindow:              aws.String("03:00-04:00"),
		PreferredMaintenanceWindow:  aws.String("sun:05:00-sun:06:00"),
		Tags:                        []types.Tag{{Key: aws.String("stack"), Value: aws.String(id)}},
	})
	mustNoErr(t, err)
	if s := aws.ToString(created.ReplicationGroup.Status); s != "creating" {
		t.Fatalf("create answered status %q", s)
	}

	rg := waitRGAvailable(t, c, id)
	wantMembers := []string{id + "-001", id + "-002", id + "-003"}
	if fmt.Sprint(rg.MemberClusters) != fmt.Sprint(wantMembers) {
		t.Fatalf("members %v, want %v", rg.MemberClusters, wantMembers)
	}
	if aws.ToBool(rg.ClusterEnabled) || rg.ConfigurationEndpoint != nil || aws.ToString(rg.Engine) != "valkey" ||
		rg.MultiAZ != types.MultiAZStatusEnabled || rg.AutomaticFailover != types.AutomaticFailoverStatusEnabled ||
		!aws.ToBool(rg.AuthTokenEnabled) || rg.AuthTokenLastModifiedDate == nil || !aws.ToBool(rg.TransitEncryptionEnabled) ||
		rg.TransitEncryptionMode != types.TransitEncryptionModeRequired || !aws.ToBool(rg.AtRestEncryptionEnabled) ||
		aws.ToString(rg.KmsKeyId) == "" || aws.ToString(rg.CacheNodeType) != "cache.r7g.large" ||
		aws.ToInt32(rg.SnapshotRetentionLimit) != 3 || aws.ToString(rg.SnapshotWindow) != "03:00-04:00" ||
		!strings.HasSuffix(aws.ToString(rg.ARN), ":replicationgroup:"+id) || len(rg.UserGroupIds) != 0 {
		t.Fatalf("replication group: %+v", rg)
	}
	if len(rg.NodeGroups) != 1 || len(rg.NodeGroups[0].NodeGroupMembers) != 3 || rg.NodeGroups[0].PrimaryEndpoint == nil || rg.NodeGroups[0].ReaderEndpoint == nil {
		t.Fatalf("node groups: %+v", rg.NodeGroups)
	}
	if port := aws.ToInt32(rg.NodeGroups[0].PrimaryEndpoint.Port); port != 6379 {
		t.Fatalf("primary endpoint port %d", port)
	}
	roles := map[string]string{}
	for _, m := range rg.NodeGroups[0].NodeGroupMembers {
		roles[aws.ToString(m.CacheClusterId)] = aws.ToString(m.CurrentRole)
		if m.ReadEndpoint == nil || aws.ToString(m.PreferredAvailabilityZone) == "" {
			t.Fatalf("member %+v", m)
		}
	}
	if roles[id+"-001"] != "primary" || roles[id+"-002"] != "replica" || roles[id+"-003"] != "replica" {
		t.Fatalf("roles: %v", roles)
	}

	// Every member is a cache cluster, spread over the subnet group's AZs.
	azs := map[string]bool{}
	for _, m := range wantMembers {
		cc := describeCluster(t, c, m)
		if aws.ToString(cc.ReplicationGroupId) != id || aws.ToString(cc.CacheClusterStatus) != "available" ||
			aws.ToString(cc.EngineVersion) != "8.0" || aws.ToString(cc.Engine) != "valkey" ||
			aws.ToString(cc.CacheParameterGroup.CacheParameterGroupName) != pg || aws.ToString(cc.CacheSubnetGroupName) != sng ||
			len(cc.SecurityGroups) != 1 || aws.ToString(cc.SecurityGroups[0].SecurityGroupId) != n.GroupID ||
			aws.ToString(cc.PreferredMaintenanceWindow) != "sun:05:00-sun:06:00" || aws.ToString(cc.SnapshotWindow) != "03:00-04:00" ||
			aws.ToInt32(cc.SnapshotRetentionLimit) != 3 || !aws.ToBool(cc.TransitEncryptionEnabled) ||
			cc.TransitEncryptionMode != types.TransitEncryptionModeRequired || !aws.ToBool(cc.AtRestEncryptionEnabled) ||
			!aws.ToBool(cc.AuthTokenEnabled) || aws.ToString(cc.CacheNodeType) != "cache.r7g.large" {
			t.Fatalf("member cluster %s: %+v", m, cc)
		}
		if len(cc.CacheNodes) != 1 || cc.CacheNodes[0].Endpoint == nil || aws.ToString(cc.CacheNodes[0].Endpoint.Address) == "" {
			t.Fatalf("member %s nodes: %+v", m, cc.CacheNodes)
		}
		az := aws.ToString(cc.CacheNodes[0].CustomerAvailabilityZone)
		if az != aws.ToString(cc.PreferredAvailabilityZone) {
			t.Fatalf("member %s: node AZ %s, cluster AZ %s", m, az, aws.ToString(cc.PreferredAvailabilityZone))
		}
		azs[az] = true
	}
	if len(azs) != 3 {
		t.Fatalf("members not spread over the subnet group's AZs: %v (subnet AZs %v)", azs, n.AZs)
	}
	for _, az := range n.AZs {
		if !azs[az] {
			t.Fatalf("AZ %s of the subnet group unused: %v", az, azs)
		}
	}

	// Modify: everything the provider changes in place, visible after the waiter.
	sg2, err := ec2Client(t).CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(uniqueName("sg")), Description: aws.String("x"), VpcId: aws.String(n.VpcID)})
	mustNoErr(t, err)
	before := aws.ToTime(rg.AuthTokenLastModifiedDate)
	time.Sleep(5 * time.Millisecond)
	mod, err := c.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{
		ReplicationGroupId:          aws.String(id),
		ApplyImmediately:            aws.Bool(true),
		CacheNodeType:               aws.String("cache.r7g.xlarge"),
		EngineVersion:               aws.String("8.1"),
		SnapshotRetentionLimit:      aws.Int32(7),
		SnapshotWindow:              aws.String("01:00-02:00"),
		PreferredMaintenanceWindow:  aws.String("mon:03:00-mon:04:00"),
		SecurityGroupIds:            []string{n.GroupID, aws.ToString(sg2.GroupId)},
		AuthToken:                   aws.String("second-token-0123456789"),
		AuthTokenUpdateStrategy:     types.AuthTokenUpdateStrategyTypeRotate,
		NotificationTopicArn:        aws.String("arn:aws:sns:us-east-1:123456789012:cache-events"),
		ReplicationGroupDescription: aws.String("sessions v2"),
	})
	mustNoErr(t, err)
	if s := aws.ToString(mod.ReplicationGroup.Status); s != "modifying" {
		t.Fatalf("modify answered status %q", s)
	}
	if mod.ReplicationGroup.PendingModifiedValues == nil || mod.ReplicationGroup.PendingModifiedValues.AuthTokenStatus != types.AuthTokenUpdateStatusRotating {
		t.Fatalf("pending values: %+v", mod.ReplicationGroup.PendingModifiedValues)
	}
	rg = waitRGAvailable(t, c, id)
	if aws.ToString(rg.CacheNodeType) != "cache.r7g.xlarge" || aws.ToInt32(rg.SnapshotRetentionLimit) != 7 ||
		aws.ToString(rg.SnapshotWindow) != "01:00-02:00" || aws.ToString(rg.Description) != "sessions v2" ||
		!aws.ToTime(rg.AuthTokenLastModifiedDate).After(before) {
		t.Fatalf("modify not visible: %+v", rg)
	}
	cc := describeCluster(t, c, id+"-002")
	if aws.ToString(cc.EngineVersion) != "8.1" || aws.ToString(cc.CacheNodeType) != "cache.r7g.xlarge" || len(cc.SecurityGroups) != 2 ||
		aws.ToString(cc.PreferredMaintenanceWindow) != "mon:03:00-mon:04:00" || cc.NotificationConfiguration == nil ||
		aws.ToString(cc.NotificationConfiguration.TopicArn) != "arn:aws:sns:us-east-1:123456789012:cache-events" {
		t.Fatalf("modify not visible on member: %+v", cc)
	}

	// In-transit encryption mode: required -> preferred (pending while modifying).
	mustNoErr(t, errOf(c.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), TransitEncryptionMode: types.TransitEncryptionModePreferred})))
	if rg = waitRGAvailable(t, c, id); rg.TransitEncryptionMode != types.TransitEncryptionModePreferred {
		t.Fatalf("transit encryption mode: %s", rg.TransitEncryptionMode)
	}

	// Failover settings: Multi-AZ off, then automatic failover off.
	mustFault[*types.InvalidParameterCombinationException](t, errOf(c.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), AutomaticFailoverEnabled: aws.Bool(false)})), "disabling failover while Multi-AZ is on")
	mustNoErr(t, errOf(c.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), MultiAZEnabled: aws.Bool(false), AutomaticFailoverEnabled: aws.Bool(false)})))
	rg = waitRGAvailable(t, c, id)
	if rg.MultiAZ != types.MultiAZStatusDisabled || rg.AutomaticFailover != types.AutomaticFailoverStatusDisabled {
		t.Fatalf("failover settings: %s %s", rg.MultiAZ, rg.AutomaticFailover)
	}

	// Parameter group in use cannot go.
	mustFault[*types.InvalidCacheParameterGroupStateFault](t, errOf(c.DeleteCacheParameterGroup(ctx, &elasticache.DeleteCacheParameterGroupInput{CacheParameterGroupName: aws.String(pg)})), "deleting a parameter group in use")
	mustFault[*types.CacheSubnetGroupInUse](t, errOf(c.DeleteCacheSubnetGroup(ctx, &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(sng)})), "deleting a subnet group in use")

	// Replicas: 2 -> 4 -> 1.
	mustNoErr(t, errOf(c.IncreaseReplicaCount(ctx, &elasticache.IncreaseReplicaCountInput{ReplicationGroupId: aws.String(id), NewReplicaCount: aws.Int32(4), ApplyImmediately: aws.Bool(true)})))
	rg = waitRGAvailable(t, c, id)
	if len(rg.MemberClusters) != 5 || len(rg.NodeGroups[0].NodeGroupMembers) != 5 {
		t.Fatalf("after IncreaseReplicaCount: %v", rg.MemberClusters)
	}
	if cc := describeCluster(t, c, id+"-005"); aws.ToString(cc.CacheClusterStatus) != "available" {
		t.Fatalf("new replica: %s", aws.ToString(cc.CacheClusterStatus))
	}
	mustNoErr(t, errOf(c.DecreaseReplicaCount(ctx, &elasticache.DecreaseReplicaCountInput{ReplicationGroupId: aws.String(id), NewReplicaCount: aws.Int32(1), ApplyImmediately: aws.Bool(true)})))
	rg = waitRGAvailable(t, c, id)
	// Without ReplicasToRemove AWS chooses; the emulator removes the lowest-numbered replicas
	// (rule rg-decrease-replicas-never-primary), never the primary.
	if fmt.Sprint(rg.MemberClusters) != fmt.Sprint([]string{id + "-001", id + "-005"}) {
		t.Fatalf("after DecreaseReplicaCount: %v", rg.MemberClusters)
	}
	_, err = c.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id + "-002")})
	var ccNotFound *types.CacheClusterNotFoundFault
	mustFault[*types.CacheClusterNotFoundFault](t, err, "removed replica still there")
	mustFault[*types.NoOperationFault](t, errOf(c.DecreaseReplicaCount(ctx, &elasticache.DecreaseReplicaCountInput{ReplicationGroupId: aws.String(id), NewReplicaCount: aws.Int32(1), ApplyImmediately: aws.Bool(true)})), "decrease to the current count")

	// Delete (zero delay): answered "deleting", then gone with a typed NotFound.
	del, err := c.DeleteReplicationGroup(ctx, &elasticache.DeleteReplicationGroupInput{ReplicationGroupId: aws.String(id), FinalSnapshotIdentifier: aws.String(id + "-final")})
	mustNoErr(t, err)
	if s := aws.ToString(del.ReplicationGroup.Status); s != "deleting" {
		t.Fatalf("delete answered %q", s)
	}
	waitRGDeleted(t, c, id)
	mustFault[*types.ReplicationGroupNotFoundFault](t, errOf(c.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)})), "describe after delete")
	for _, m := range wantMembers[:2] {
		if _, err := c.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(m)}); !errors.As(err, &ccNotFound) {
			t.Fatalf("member %s after delete: %v", m, err)
		}
	}
	snaps, err := c.DescribeSnapshots(ctx, &elasticache.DescribeSnapshotsInput{SnapshotName: aws.String(id + "-final")})
	mustNoErr(t, err)
	if len(snaps.Snapshots) != 1 || aws.ToString(snaps.Snapshots[0].ReplicationGroupId) != id {
		t.Fatalf("final snapshot: %+v", snaps.Snapshots)
	}
	mustNoErr(t, errOf(c.DeleteSnapshot(ctx, &elasticache.DeleteSnapshotInput{SnapshotName: aws.String(id + "-final")})))
	mustFault[*types.SnapshotNotFoundFault](t, errOf(c.DescribeSnapshots(ctx, &elasticache.DescribeSnapshotsInput{SnapshotName: aws.String(id + "-final")})), "deleted snapshot")
	mustNoErr(t, errOf(ec2Client(t).DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: sg2.GroupId})))
	mustNoErr(t, errOf(c.DeleteCacheParameterGroup(ctx, &elasticache.DeleteCacheParameterGroupInput{CacheParameterGroupName: aws.String(pg)})))
	mustNoErr(t, errOf(c.DeleteCacheSubnetGroup(ctx, &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(sng)})))
}

func TestEmulatorReplicationGroupClusterMode(t *testing.T) {
	ctx, c, n, sng := cacheTest(t)
	id := uniqueName("cm")
	_, err := c.CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{
		ReplicationGroupId: aws.String(id), ReplicationGroupDescription: aws.String("rate limits"),
		Engine: aws.String("redis"), CacheNodeType: aws.String("cache.m7g.large"),
		NumNodeGroups: aws.Int32(3), ReplicasPerNodeGroup: aws.Int32(1), AutomaticFailoverEnabled: aws.Bool(true),
		CacheSubnetGroupName: aws.String(sng), SecurityGroupIds: []string{n.GroupID},
	})
	mustNoErr(t, err)
	rg := waitRGAvailable(t, c, id)
	if !aws.ToBool(rg.ClusterEnabled) || rg.ConfigurationEndpoint == nil || aws.ToString(rg.ConfigurationEndpoint.Address) == "" || rg.ClusterMode != types.ClusterModeEnabled {
		t.Fatalf("cluster mode: %+v", rg)
	}
	want := []string{id + "-0001-001", id + "-0001-002", id + "-0002-001", id + "-0002-002", id + "-0003-001", id + "-0003-002"}
	if fmt.Sprint(rg.MemberClusters) != fmt.Sprint(want) {
		t.Fatalf("members %v, want %v", rg.MemberClusters, want)
	}
	slots := []string{}
	for _, ng := range rg.NodeGroups {
		slots = append(slots, aws.ToString(ng.Slots))
		if len(ng.NodeGroupMembers) != 2 || ng.PrimaryEndpoint != nil {
			t.Fatalf("node group %s: %+v", aws.ToString(ng.NodeGroupId), ng)
		}
	}
	if fmt.Sprint(slots) != "[0-5460 5461-10921 10922-16383]" {
		t.Fatalf("slots %v", slots)
	}
	cc := describeCluster(t, c, id+"-0002-002")
	if aws.ToString(cc.ReplicationGroupId) != id || aws.ToString(cc.CacheParameterGroup.CacheParameterGroupName) != "default.redis7.cluster.on" || aws.ToString(cc.Engine) != "redis" {
		t.Fatalf("member: %+v", cc)
	}

	// Shards: 3 -> 4 -> 2.
	_, err = c.ModifyReplicationGroupShardConfiguration(ctx, &elasticache.ModifyReplicationGroupShardConfigurationInput{
		ReplicationGroupId: aws.String(id), NodeGroupCount: aws.Int32(4), ApplyImmediately: aws.Bool(true),
	})
	mustNoErr(t, err)
	rg = waitRGAvailable(t, c, id)
	if len(rg.NodeGroups) != 4 || len(rg.MemberClusters) != 8 || aws.ToString(rg.NodeGroups[3].NodeGroupId) != "0004" {
		t.Fatalf("after adding a shard: %v", rg.MemberClusters)
	}
	_ = describeCluster(t, c, id+"-0004-002")
	_, err = c.ModifyReplicationGroupShardConfiguration(ctx, &elasticache.ModifyReplicationGroupShardConfigurationInput{
		ReplicationGroupId: aws.String(id), NodeGroupCount: aws.Int32(2), ApplyImmediately: aws.Bool(true),
	})
	mustFault[*types.InvalidParameterCombinationException](t, err, "scale in without naming shards")
	_, err = c.ModifyReplicationGroupShardConfiguration(ctx, &elasticache.ModifyReplicationGroupShardConfigurationInput{
		ReplicationGroupId: aws.String(id), NodeGroupCount: aws.Int32(2), ApplyImmediately: aws.Bool(true),
		NodeGroupsToRemove: []string{"0003", "0004"},
	})
	mustNoErr(t, err)
	rg = waitRGAvailable(t, c, id)
	if len(rg.NodeGroups) != 2 || fmt.Sprint(rg.MemberClusters) != fmt.Sprint(want[:4]) {
		t.Fatalf("after removing shards: %v", rg.MemberClusters)
	}
	// Replicas per shard: 1 -> 2.
	mustNoErr(t, errOf(c.IncreaseReplicaCount(ctx, &elasticache.IncreaseReplicaCountInput{ReplicationGroupId: aws.String(id), NewReplicaCount: aws.Int32(2), ApplyImmediately: aws.Bool(true)})))
	rg = waitRGAvailable(t, c, id)
	for _, ng := range rg.NodeGroups {
		if len(ng.NodeGroupMembers) != 3 {
			t.Fatalf("node group %s: %d members", aws.ToString(ng.NodeGroupId), len(ng.NodeGroupMembers))
		}
	}
	_ = describeCluster(t, c, id+"-0002-003")

	deleteRG(t, c, id)
	mustNoErr(t, errOf(c.DeleteCacheSubnetGroup(ctx, &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(sng)})))
}

// DescribeCacheClusters lists every member of every replication group, over pages.
func TestEmulatorDescribeCacheClustersPagination(t *testing.T) {
	ctx, c := testCtx(t), ecClient(t)
	id := uniqueName("pages")
	_, err := c.CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{
		ReplicationGroupId: aws.String(id), ReplicationGroupDescription: aws.String("many members"),
		Engine: aws.String("valkey"), CacheNodeType: aws.String("cache.t4g.small"),
		NumNodeGroups: aws.Int32(5), ReplicasPerNodeGroup: aws.Int32(4), AutomaticFailoverEnabled: aws.Bool(true),
	})
	mustNoErr(t, err)
	rg := waitRGAvailable(t, c, id)
	if len(rg.MemberClusters) != 25 {
		t.Fatalf("%d members", len(rg.MemberClusters))
	}
	found := map[string]bool{}
	p := elasticache.NewDescribeCacheClustersPaginator(c, &elasticache.DescribeCacheClustersInput{MaxRecords: aws.Int32(20), ShowCacheNodeInfo: aws.Bool(true)})
	pages := readPages(t, p, 20, func(o *elasticache.DescribeCacheClustersOutput) []types.CacheCluster { return o.CacheClusters })
	for _, cc := range slices.Concat(pages...) {
		if found[aws.ToString(cc.CacheClusterId)] {
			t.Fatalf("%s listed twice", aws.ToString(cc.CacheClusterId))
		}
		found[aws.ToString(cc.CacheClusterId)] = true
	}
	for _, m := range rg.MemberClusters {
		if !found[m] {
			t.Fatalf("member %s not listed", m)
		}
	}
	if len(pages) < 2 {
		t.Fatalf("%d pages", len(pages))
	}
	mustFault[*types.InvalidParameterValueException](t, errOf(c.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{MaxRecords: aws.Int32(5)})), "MaxRecords below AWS's minimum of 20")
	deleteRG(t, c, id)
}

// With delays, statuses move creating -> available -> modifying -> available -> deleting ->
// gone, and the SDK's waiters see the shapes they expect.
func TestEmulatorReplicationGroupDelays(t *testing.T) {
	setDelays(t, EmulatorOptions{CreateDelay: time.Second, ModifyDelay: time.Second, DeleteDelay: time.Second})
	ctx, c, n := testCtx(t), ecClient(t), newTestNet(t)
	id := uniqueName("slow")
	start := time.Now()
	_, err := c.CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{
		ReplicationGroupId: aws.String(id), ReplicationGroupDescription: aws.String("slow"),
		Engine: aws.String("valkey"), CacheNodeType: aws.String("cache.t4g.micro"), NumCacheClusters: aws.Int32(2),
		AutomaticFailoverEnabled: aws.Bool(true), SecurityGroupIds: []string{n.GroupID},
	})
	mustNoErr(t, err)
	rg := describeRG(t, c, id)
	if aws.ToString(rg.Status) != "creating" || rg.NodeGroups[0].PrimaryEndpoint != nil {
		t.Fatalf("right after create: status %q, endpoint %v", aws.ToString(rg.Status), rg.NodeGroups[0].PrimaryEndpoint)
	}
	if s := aws.ToString(describeCluster(t, c, id+"-001").CacheClusterStatus); s != "creating" {
		t.Fatalf("member right after create: %s", s)
	}
	rg = waitRGAvailable(t, c, id)
	if took := time.Since(start); took < time.Second || took > 5*time.Second {
		t.Fatalf("available after %s with a 1 s create delay", took)
	}
	if rg.NodeGroups[0].PrimaryEndpoint == nil {
		t.Fatal("no primary endpoint once available")
	}

	mustNoErr(t, errOf(c.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), CacheNodeType: aws.String("cache.t4g.small")})))
	rg = describeRG(t, c, id)
	if aws.ToString(rg.Status) != "modifying" || aws.ToString(rg.CacheNodeType) != "cache.t4g.micro" {
		t.Fatalf("while modifying: %s %s", aws.ToString(rg.Status), aws.ToString(rg.CacheNodeType))
	}
	if cc := describeCluster(t, c, id+"-002"); aws.ToString(cc.CacheClusterStatus) != "modifying" || cc.PendingModifiedValues == nil || aws.ToString(cc.PendingModifiedValues.CacheNodeType) != "cache.t4g.small" {
		t.Fatalf("member while modifying: %s %+v", aws.ToString(cc.CacheClusterStatus), cc.PendingModifiedValues)
	}
	mustFault[*types.InvalidReplicationGroupStateFault](t, errOf(c.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), SnapshotRetentionLimit: aws.Int32(1)})), "modify while modifying")
	rg = waitRGAvailable(t, c, id)
	if aws.ToString(rg.CacheNodeType) != "cache.t4g.small" {
		t.Fatalf("node type after modify: %s", aws.ToString(rg.CacheNodeType))
	}

	// ApplyImmediately=false waits for the maintenance window: it shows as pending, forever.
	mustNoErr(t, errOf(c.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(false), CacheNodeType: aws.String("cache.t4g.medium")})))
	rg = waitRGAvailable(t, c, id)
	if cc := describeCluster(t, c, id+"-001"); aws.ToString(rg.CacheNodeType) != "cache.t4g.small" || cc.PendingModifiedValues == nil || aws.ToString(cc.PendingModifiedValues.CacheNodeType) != "cache.t4g.medium" {
		t.Fatalf("deferred change: rg %s, pending %+v", aws.ToString(rg.CacheNodeType), cc.PendingModifiedValues)
	}

	mustNoErr(t, errOf(c.DeleteReplicationGroup(ctx, &elasticache.DeleteReplicationGroupInput{ReplicationGroupId: aws.String(id)})))
	if s := aws.ToString(describeRG(t, c, id).Status); s != "deleting" {
		t.Fatalf("after delete: %s", s)
	}
	if s := aws.ToString(describeCluster(t, c, id+"-001").CacheClusterStatus); s != "deleting" {
		t.Fatalf("member after delete: %s", s)
	}
	mustFault[*types.InvalidReplicationGroupStateFault](t, errOf(c.DeleteReplicationGroup(ctx, &elasticache.DeleteReplicationGroupInput{ReplicationGroupId: aws.String(id)})), "delete while deleting")
	// The security group stays attached until the group is gone.
	_, err = ec2Client(t).DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(n.GroupID)})
	expectCode(t, err, "DependencyViolation")
	waitRGDeleted(t, c, id)
	mustFault[*types.ReplicationGroupNotFoundFault](t, errOf(c.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)})), "after the delete delay")
	mustNoErr(t, errOf(ec2Client(t).DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(n.GroupID)})))
}

func TestEmulatorSecurityGroupDependencyViolation(t *testing.T) {
	ctx, c, n := testCtx(t), ecClient(t), newTestNet(t)
	e2 := ec2Client(t)
	mcID := uniqueName("mc")
	_, err := c.CreateCacheCluster(ctx, &elasticache.CreateCacheClusterInput{
		CacheClusterId: aws.String(mcID), Engine: aws.String("memcached"), CacheNodeType: aws.String("cache.t4g.micro"),
		NumCacheNodes: aws.Int32(1), SecurityGroupIds: []string{n.GroupID},
	})
	mustNoErr(t, err)
	_, err = e2.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(n.GroupID)})
	expectCode(t, err, "DependencyViolation")
	mustNoErr(t, errOf(c.DeleteCacheCluster(ctx, &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String(mcID)})))
	// A serverless cache holds the group too; deleting by name is blocked the same way.
	sc := uniqueName("sc")
	mustNoErr(t, errOf(c.CreateServerlessCache(ctx, &elasticache.CreateServerlessCacheInput{ServerlessCacheName: aws.String(sc), Engine: aws.String("valkey"), SecurityGroupIds: []string{n.GroupID}})))
	groups, err := e2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{n.GroupID}})
	mustNoErr(t, err)
	_, err = e2.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupName: groups.SecurityGroups[0].GroupName})
	expectCode(t, err, "DependencyViolation")
	_, _ = c.DescribeServerlessCaches(ctx, &elasticache.DescribeServerlessCachesInput{ServerlessCacheName: aws.String(sc)})
	mustNoErr(t, errOf(c.DeleteServerlessCache(ctx, &elasticache.DeleteServerlessCacheInput{ServerlessCacheName: aws.String(sc)})))
	mustNoErr(t, errOf(e2.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(n.GroupID)})))
	_, err = e2.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(n.GroupID)})
	expectCode(t, err, "InvalidGroup.NotFound")
}

func TestEmulatorReplicationGroupErrors(t *testing.T) {
	ctx, c, n := testCtx(t), ecClient(t), newTestNet(t)
	missing := uniqueName("missing")
	var rgNotFound *types.ReplicationGroupNotFoundFault
	calls := map[string]func() error{
		"Describe": func() error {
			return errOf(c.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(missing)}))
		},
		"Modify": func() error {
			return errOf(c.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(missing), ApplyImmediately: aws.Bool(true), SnapshotRetentionLimit: aws.Int32(1)}))
		},
		"Delete": func() error {
			return errOf(c.DeleteReplicationGroup(ctx, &elasticache.DeleteReplicationGroupInput{ReplicationGroupId: aws.String(missing)}))
		},
		"IncreaseReplicaCount": func() error {
			return errOf(c.IncreaseReplicaCount(ctx, &elasticache.IncreaseReplicaCountInput{ReplicationGroupId: aws.String(missing), NewReplicaCount: aws.Int32(2), ApplyImmediately: aws.Bool(true)}))
		},
		"DecreaseReplicaCount": func() error {
			return errOf(c.DecreaseReplicaCount(ctx, &elasticache.DecreaseReplicaCountInput{ReplicationGroupId: aws.String(missing), NewReplicaCount: aws.Int32(0), ApplyImmediately: aws.Bool(true)}))
		},
		"ModifyShardConfiguration": func() error {
			return errOf(c.ModifyReplicationGroupShardConfiguration(ctx, &elasticache.ModifyReplicationGroupShardConfigurationInput{ReplicationGroupId: aws.String(missing), NodeGroupCount: aws.Int32(2), ApplyImmediately: aws.Bool(true)}))
		},
	}
	for name, call := range calls {
		if err := call(); !errors.As(err, &rgNotFound) {
			t.Errorf("%s of an unknown group: %v", name, err)
		}
	}
	_, err := c.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(missing)})
	expectFault[*types.CacheClusterNotFoundFault](t, err, "unknown cache cluster")

	base := func() *elasticache.CreateReplicationGroupInput {
		return &elasticache.CreateReplicationGroupInput{
			ReplicationGroupId: aws.String(uniqueName("bad")), ReplicationGroupDescription: aws.String("x"),
			Engine: aws.String("valkey"), CacheNodeType: aws.String("cache.t4g.micro"), NumCacheClusters: aws.Int32(2),
		}
	}
	type tc struct {
		name   string
		mutate func(*elasticache.CreateReplicationGroupInput)
		check  func(error) bool
	}
	is := func(target any) func(error) bool { return func(err error) bool { return errors.As(err, target) } }
	var (
		sngNotFound *types.CacheSubnetGroupNotFoundFault
		pgNotFound  *types.CacheParameterGroupNotFoundFault
		ugNotFound  *types.UserGroupNotFoundFault
		combo       *types.InvalidParameterCombinationException
		invalid     *types.InvalidParameterValueException
	)
	for _, c0 := range []tc{
		{"unknown subnet group", func(in *elasticache.CreateReplicationGroupInput) { in.CacheSubnetGroupName = aws.String(missing) }, is(&sngNotFound)},
		{"unknown parameter group", func(in *elasticache.CreateReplicationGroupInput) { in.CacheParameterGroupName = aws.String(missing) }, is(&pgNotFound)},
		{"unknown user group", func(in *elasticache.CreateReplicationGroupInput) {
			in.TransitEncryptionEnabled, in.UserGroupIds = aws.Bool(true), []string{missing}
		}, is(&ugNotFound)},
		{"Multi-AZ without failover", func(in *elasticache.CreateReplicationGroupInput) { in.MultiAZEnabled = aws.Bool(true) }, is(&combo)},
		{"failover with one node", func(in *elasticache.CreateReplicationGroupInput) {
			in.NumCacheClusters, in.AutomaticFailoverEnabled = aws.Int32(1), aws.Bool(true)
		}, is(&combo)},
		{"AUTH token without TLS", func(in *elasticache.CreateReplicationGroupInput) {
			in.AuthToken = aws.String("a-long-enough-token-123")
		}, is(&combo)},
		{"short AUTH token", func(in *elasticache.CreateReplicationGroupInput) {
			in.TransitEncryptionEnabled, in.AuthToken = aws.Bool(true), aws.String("short")
		}, is(&invalid)},
		{"bad node type", func(in *elasticache.CreateReplicationGroupInput) { in.CacheNodeType = aws.String("m5.large") }, is(&invalid)},
		{"bad engine version", func(in *elasticache.CreateReplicationGroupInput) { in.EngineVersion = aws.String("5.0") }, is(&invalid)},
		{"parameter group of another family", func(in *elasticache.CreateReplicationGroupInput) {
			in.CacheParameterGroupName = aws.String("default.redis7")
		}, is(&combo)},
		{"shards with a cluster-mode-disabled parameter group", func(in *elasticache.CreateReplicationGroupInput) {
			in.NumCacheClusters, in.NumNodeGroups, in.ReplicasPerNodeGroup = nil, aws.Int32(2), aws.Int32(1)
			in.AutomaticFailoverEnabled, in.CacheParameterGroupName = aws.Bool(true), aws.String("default.valkey8")
		}, is(&combo)},
		{"unknown security group", func(in *elasticache.CreateReplicationGroupInput) {
			in.SecurityGroupIds = []string{"sg-0000000000000000a"}
		}, is(&invalid)},
		{"bad maintenance window", func(in *elasticache.CreateReplicationGroupInput) {
			in.PreferredMaintenanceWindow = aws.String("sunday 5am")
		}, is(&invalid)},
	} {
		in := base()
		c0.mutate(in)
		if _, err := c.CreateReplicationGroup(ctx, in); !c0.check(err) {
			t.Errorf("%s: unexpected %v", c0.name, err)
		}
	}

	id := uniqueName("dup")
	in := base()
	in.ReplicationGroupId = aws.String(id)
	in.SecurityGroupIds = []string{n.GroupID}
	mustNoErr(t, errOf(c.CreateReplicationGroup(ctx, in)))
	expectFault[*types.ReplicationGroupAlreadyExistsFault](t, errOf(c.CreateReplicationGroup(ctx, in)), "duplicate")
	_ = waitRGAvailable(t, c, id)
	_, err = c.ModifyReplicationGroupShardConfiguration(ctx, &elasticache.ModifyReplicationGroupShardConfigurationInput{ReplicationGroupId: aws.String(id), NodeGroupCount: aws.Int32(2), ApplyImmediately: aws.Bool(true)})
	if !errors.As(err, &invalid) {
		t.Errorf("resharding a cluster-mode-disabled group: %v", err)
	}
	_, err = c.IncreaseReplicaCount(ctx, &elasticache.IncreaseReplicaCountInput{ReplicationGroupId: aws.String(id), NewReplicaCount: aws.Int32(6), ApplyImmediately: aws.Bool(true)})
	if !errors.As(err, &invalid) {
		t.Errorf("6 replicas: %v", err)
	}
	_, err = c.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), AuthToken: aws.String("a-long-enough-token-123"), AuthTokenUpdateStrategy: types.AuthTokenUpdateStrategyTypeSet})
	if !errors.As(err, &combo) {
		t.Errorf("AUTH token without TLS: %v", err)
	}
	deleteRG(t, c, id)
}

func TestEmulatorMemcachedCluster(t *testing.T) {
	ctx, c, n, sng := cacheTest(t)
	id := uniqueName("mc")
	out, err := c.CreateCacheCluster(ctx, &elasticache.CreateCacheClusterInput{
		CacheClusterId: aws.String(id), Engine: aws.String("memcached"), CacheNodeType: aws.String("cache.t4g.small"),
		NumCacheNodes: aws.Int32(2), AZMode: types.AZModeCrossAz, CacheSubnetGroupName: aws.String(sng),
		SecurityGroupIds: []string{n.GroupID}, Tags: []types.Tag{{Key: aws.String("tier"), Value: aws.String("cache")}},
	})
	mustNoErr(t, err)
	if s := aws.ToString(out.CacheCluster.CacheClusterStatus); s != "creating" {
		t.Fatalf("create answered %q", s)
	}
	w := elasticache.NewCacheClusterAvailableWaiter(c, func(o *elasticache.CacheClusterAvailableWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax })
	mustNoErr(t, w.Wait(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id)}, 20*time.Second))
	cc := describeCluster(t, c, id)
	if cc.ConfigurationEndpoint == nil || aws.ToInt32(cc.ConfigurationEndpoint.Port) != 11211 || aws.ToInt32(cc.NumCacheNodes) != 2 ||
		aws.ToString(cc.EngineVersion) != "1.6.22" || aws.ToString(cc.CacheParameterGroup.CacheParameterGroupName) != "default.memcached1.6" ||
		aws.ToString(cc.ReplicationGroupId) != "" || aws.ToString(cc.PreferredAvailabilityZone) != "Multiple" {
		t.Fatalf("memcached cluster: %+v", cc)
	}
	if len(cc.CacheNodes) != 2 || aws.ToString(cc.CacheNodes[0].CustomerAvailabilityZone) == aws.ToString(cc.CacheNodes[1].CustomerAvailabilityZone) || cc.CacheNodes[1].Endpoint == nil {
		t.Fatalf("nodes: %+v", cc.CacheNodes)
	}
	standalone, err := c.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{ShowCacheClustersNotInReplicationGroups: aws.Bool(true)})
	mustNoErr(t, err)
	for _, s := range standalone.CacheClusters {
		if aws.ToString(s.ReplicationGroupId) != "" {
			t.Fatalf("ShowCacheClustersNotInReplicationGroups listed %s", aws.ToString(s.CacheClusterId))
		}
	}

	mustNoErr(t, errOf(c.ModifyCacheCluster(ctx, &elasticache.ModifyCacheClusterInput{CacheClusterId: aws.String(id), NumCacheNodes: aws.Int32(4), ApplyImmediately: aws.Bool(true)})))
	mustNoErr(t, w.Wait(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id)}, 20*time.Second))
	if cc := describeCluster(t, c, id); len(cc.CacheNodes) != 4 || aws.ToInt32(cc.NumCacheNodes) != 4 {
		t.Fatalf("after scale out: %d nodes", len(cc.CacheNodes))
	}
	mustFault[*types.InvalidParameterCombinationException](t, errOf(c.ModifyCacheCluster(ctx, &elasticache.ModifyCacheClusterInput{CacheClusterId: aws.String(id), NumCacheNodes: aws.Int32(3), ApplyImmediately: aws.Bool(true)})), "scale in without CacheNodeIdsToRemove")
	mustNoErr(t, errOf(c.ModifyCacheCluster(ctx, &elasticache.ModifyCacheClusterInput{CacheClusterId: aws.String(id), NumCacheNodes: aws.Int32(3), CacheNodeIdsToRemove: []string{"0004"}, ApplyImmediately: aws.Bool(true), CacheNodeType: aws.String("cache.m7g.large")})))
	mustNoErr(t, w.Wait(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id)}, 20*time.Second))
	cc = describeCluster(t, c, id)
	var ids []string
	for _, node := range cc.CacheNodes {
		ids = append(ids, aws.ToString(node.CacheNodeId))
	}
	sort.Strings(ids)
	if fmt.Sprint(ids) != "[0001 0002 0003]" || aws.ToString(cc.CacheNodeType) != "cache.m7g.large" {
		t.Fatalf("after scale in: %v %s", ids, aws.ToString(cc.CacheNodeType))
	}

	// A deleting phase that the waiter sits through.
	if Local != nil {
		setDelays(t, EmulatorOptions{DeleteDelay: time.Second})
	}
	del, err := c.DeleteCacheCluster(ctx, &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String(id)})
	mustNoErr(t, err)
	if s := aws.ToString(del.CacheCluster.CacheClusterStatus); s != "deleting" {
		t.Fatalf("delete answered %q", s)
	}
	if Local != nil {
		if s := aws.ToString(describeCluster(t, c, id).CacheClusterStatus); s != "deleting" {
			t.Fatalf("right after delete: %q", s)
		}
	}
	dw := elasticache.NewCacheClusterDeletedWaiter(c, func(o *elasticache.CacheClusterDeletedWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax })
	mustNoErr(t, dw.Wait(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id)}, 20*time.Second))
	mustFault[*types.CacheClusterNotFoundFault](t, errOf(c.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id)})), "after delete")
	mustNoErr(t, errOf(c.DeleteCacheSubnetGroup(ctx, &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(sng)})))
}

func createUserGroup(t *testing.T, c *elasticache.Client, engine string) (groupID, userID string) {
	t.Helper()
	ctx := testCtx(t)
	userID = uniqueName("app-user")
	_, err := c.CreateUser(ctx, &elasticache.CreateUserInput{
		UserId: aws.String(userID), UserName: aws.String("app"), Engine: aws.String(engine),
		AccessString: aws.String("on ~app:* +@all"), Passwords: []string{"a-password-of-20-chars"},
	})
	mustNoErr(t, err)
	groupID = uniqueName("ug")
	mustNoErr(t, errOf(c.CreateUserGroup(ctx, &elasticache.CreateUserGroupInput{UserGroupId: aws.String(groupID), Engine: aws.String(engine), UserIds: []string{"default", userID}})))
	return groupID, userID
}

func waitUserGroupActive(t *testing.T, c *elasticache.Client, id string) types.UserGroup {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := c.DescribeUserGroups(testCtx(t), &elasticache.DescribeUserGroupsInput{UserGroupId: aws.String(id)})
		mustNoErr(t, err)
		if aws.ToString(out.UserGroups[0].Status) == "active" {
			return out.UserGroups[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("user group %s still %s", id, aws.ToString(out.UserGroups[0].Status))
		}
		time.Sleep(waitMin)
	}
}

func TestEmulatorUsersAndUserGroups(t *testing.T) {
	ctx, c := testCtx(t), ecClient(t)
	ug, user := createUserGroup(t, c, "valkey")
	g := waitUserGroupActive(t, c, ug)
	if fmt.Sprint(g.UserIds) != fmt.Sprint([]string{"default", user}) || aws.ToString(g.Engine) != "valkey" || !strings.HasSuffix(aws.ToString(g.ARN), ":usergroup:"+ug) {
		t.Fatalf("user group: %+v", g)
	}
	users, err := c.DescribeUsers(ctx, &elasticache.DescribeUsersInput{UserId: aws.String(user)})
	mustNoErr(t, err)
	u := users.Users[0]
	if u.Authentication == nil || u.Authentication.Type != types.AuthenticationTypePassword || aws.ToInt32(u.Authentication.PasswordCount) != 1 || fmt.Sprint(u.UserGroupIds) != fmt.Sprint([]string{ug}) {
		t.Fatalf("user: %+v", u)
	}
	all, err := c.DescribeUsers(ctx, &elasticache.DescribeUsersInput{})
	mustNoErr(t, err)
	hasDefault := false
	for _, u := range all.Users {
		hasDefault = hasDefault || aws.ToString(u.UserId) == "default"
	}
	if !hasDefault {
		t.Fatal("no default user")
	}

	var (
		required *types.DefaultUserRequired
		userNF   *types.UserNotFoundFault
		ugNF     *types.UserGroupNotFoundFault
		ugState  *types.InvalidUserGroupStateFault
		exists   *types.UserAlreadyExistsFault
	)
	_, err = c.CreateUserGroup(ctx, &elasticache.CreateUserGroupInput{UserGroupId: aws.String(uniqueName("ug")), Engine: aws.String("valkey"), UserIds: []string{user}})
	if !errors.As(err, &required) {
		t.Fatalf("user group without the default user: %v", err)
	}
	_, err = c.CreateUserGroup(ctx, &elasticache.CreateUserGroupInput{UserGroupId: aws.String(uniqueName("ug")), Engine: aws.String("valkey"), UserIds: []string{"default", "nobody-" + runID}})
	if !errors.As(err, &userNF) {
		t.Fatalf("unknown user: %v", err)
	}
	_, err = c.CreateUser(ctx, &elasticache.CreateUserInput{UserId: aws.String(user), UserName: aws.String("x"), Engine: aws.String("valkey"), AccessString: aws.String("on"), NoPasswordRequired: aws.Bool(true)})
	if !errors.As(err, &exists) {
		t.Fatalf("duplicate user: %v", err)
	}
	_, err = c.DescribeUserGroups(ctx, &elasticache.DescribeUserGroupsInput{UserGroupId: aws.String("nothing-" + runID)})
	if !errors.As(err, &ugNF) {
		t.Fatalf("unknown user group: %v", err)
	}
	_, err = c.DescribeUsers(ctx, &elasticache.DescribeUsersInput{UserId: aws.String("nobody-" + runID)})
	if !errors.As(err, &userNF) {
		t.Fatalf("unknown user: %v", err)
	}

	// A second user (IAM: its name is its ID, rule "user-iam-name-equals-id"), added and removed.
	second := uniqueName("ro-user")
	mustNoErr(t, errOf(c.CreateUser(ctx, &elasticache.CreateUserInput{UserId: aws.String(second), UserName: aws.String(second), Engine: aws.String("valkey"), AccessString: aws.String("on ~* +@read"), AuthenticationMode: &types.AuthenticationMode{Type: types.InputAuthenticationTypeIam}})))
	mustNoErr(t, errOf(c.ModifyUserGroup(ctx, &elasticache.ModifyUserGroupInput{UserGroupId: aws.String(ug), UserIdsToAdd: []string{second}})))
	if g := waitUserGroupActive(t, c, ug); len(g.UserIds) != 3 {
		t.Fatalf("after add: %v", g.UserIds)
	}
	mustNoErr(t, errOf(c.ModifyUserGroup(ctx, &elasticache.ModifyUserGroupInput{UserGroupId: aws.String(ug), UserIdsToRemove: []string{second}})))
	if g := waitUserGroupActive(t, c, ug); len(g.UserIds) != 2 {
		t.Fatalf("after remove: %v", g.UserIds)
	}
	_, err = c.ModifyUserGroup(ctx, &elasticache.ModifyUserGroupInput{UserGroupId: aws.String(ug), UserIdsToRemove: []string{"default"}})
	if !errors.As(err, &required) {
		t.Fatalf("removing the default user: %v", err)
	}

	// RBAC on a replication group; the user group cannot go while attached.
	rg := uniqueName("rbac")
	_, err = c.CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{
		ReplicationGroupId: aws.String(rg), ReplicationGroupDescription: aws.String("rbac"), Engine: aws.String("valkey"),
		CacheNodeType: aws.String("cache.t4g.micro"), NumCacheClusters: aws.Int32(1), TransitEncryptionEnabled: aws.Bool(true),
		UserGroupIds: []string{ug},
	})
	mustNoErr(t, err)
	if got := waitRGAvailable(t, c, rg); fmt.Sprint(got.UserGroupIds) != fmt.Sprint([]string{ug}) || aws.ToBool(got.AuthTokenEnabled) {
		t.Fatalf("rbac group: %v auth %v", got.UserGroupIds, aws.ToBool(got.AuthTokenEnabled))
	}
	if g := waitUserGroupActive(t, c, ug); fmt.Sprint(g.ReplicationGroups) != fmt.Sprint([]string{rg}) {
		t.Fatalf("user group's replication groups: %v", g.ReplicationGroups)
	}
	_, err = c.DeleteUserGroup(ctx, &elasticache.DeleteUserGroupInput{UserGroupId: aws.String(ug)})
	if !errors.As(err, &ugState) {
		t.Fatalf("deleting an attached user group: %v", err)
	}
	mustNoErr(t, errOf(c.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(rg), ApplyImmediately: aws.Bool(true), UserGroupIdsToRemove: []string{ug}})))
	if got := waitRGAvailable(t, c, rg); len(got.UserGroupIds) != 0 {
		t.Fatalf("after removing the user group: %v", got.UserGroupIds)
	}
	mustNoErr(t, errOf(c.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(rg), ApplyImmediately: aws.Bool(true), UserGroupIdsToAdd: []string{ug}})))
	if got := waitRGAvailable(t, c, rg); fmt.Sprint(got.UserGroupIds) != fmt.Sprint([]string{ug}) {
		t.Fatalf("after adding the user group back: %v", got.UserGroupIds)
	}
	mustNoErr(t, errOf(c.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(rg), ApplyImmediately: aws.Bool(true), UserGroupIdsToRemove: []string{ug}})))
	waitRGAvailable(t, c, rg)
	_, err = c.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(rg), ApplyImmediately: aws.Bool(true), UserGroupIdsToAdd: []string{"nothing-" + runID}})
	if !errors.As(err, &ugNF) {
		t.Fatalf("adding an unknown user group: %v", err)
	}
	deleteRG(t, c, rg)

	mustNoErr(t, errOf(c.DeleteUserGroup(ctx, &elasticache.DeleteUserGroupInput{UserGroupId: aws.String(ug)})))
	_, err = c.DescribeUserGroups(ctx, &elasticache.DescribeUserGroupsInput{UserGroupId: aws.String(ug)})
	if !errors.As(err, &ugNF) {
		t.Fatalf("deleted user group: %v", err)
	}
	for _, id := range []string{user, second} {
		mustNoErr(t, errOf(c.DeleteUser(ctx, &elasticache.DeleteUserInput{UserId: aws.String(id)})))
	}
	_, err = c.DescribeUsers(ctx, &elasticache.DescribeUsersInput{UserId: aws.String(user)})
	if !errors.As(err, &userNF) {
		t.Fatalf("deleted user: %v", err)
	}
}

func waitServerless(t *testing.T, c *elasticache.Client, name, status string) types.ServerlessCache {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := c.DescribeServerlessCaches(testCtx(t), &elasticache.DescribeServerlessCachesInput{ServerlessCacheName: aws.String(name)})
		mustNoErr(t, err)
		if aws.ToString(out.ServerlessCaches[0].Status) == status {
			return out.ServerlessCaches[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("serverless cache %s still %s", name, aws.ToString(out.ServerlessCaches[0].Status))
		}
		time.Sleep(waitMin)
	}
}

func TestEmulatorServerlessCache(t *testing.T) {
	setDelays(t, EmulatorOptions{CreateDelay: 300 * time.Millisecond, ModifyDelay: 300 * time.Millisecond, DeleteDelay: 300 * time.Millisecond})
	ctx, c, n := testCtx(t), ecClient(t), newTestNet(t)
	ug, ugUser := createUserGroup(t, c, "valkey")
	waitUserGroupActive(t, c, ug)
	name := uniqueName("sls")
	out, err := c.CreateServerlessCache(ctx, &elasticache.CreateServerlessCacheInput{
		ServerlessCacheName: aws.String(name), Description: aws.String("agent memory"), Engine: aws.String("valkey"), MajorEngineVersion: aws.String("8"),
		CacheUsageLimits: &types.CacheUsageLimits{
			DataStorage:   &types.DataStorage{Maximum: aws.Int32(10), Minimum: aws.Int32(1), Unit: types.DataStorageUnitGb},
			ECPUPerSecond: &types.ECPUPerSecond{Maximum: aws.Int32(10000), Minimum: aws.Int32(1000)},
		},
		DailySnapshotTime: aws.String("02:00"), SnapshotRetentionLimit: aws.Int32(2),
		SecurityGroupIds: []string{n.GroupID}, SubnetIds: n.SubnetIDs[:2], UserGroupId: aws.String(ug),
		Tags: []types.Tag{{Key: aws.String("tier"), Value: aws.String("session")}},
	})
	mustNoErr(t, err)
	if s := aws.ToString(out.ServerlessCache.Status); s != "creating" || out.ServerlessCache.Endpoint != nil {
		t.Fatalf("create answered %q with endpoint %v", s, out.ServerlessCache.Endpoint)
	}
	sc := waitServerless(t, c, name, "available")
	if sc.Endpoint == nil || sc.ReaderEndpoint == nil || aws.ToInt32(sc.Endpoint.Port) != 6379 || aws.ToInt32(sc.ReaderEndpoint.Port) != 6380 ||
		aws.ToString(sc.MajorEngineVersion) != "8" || aws.ToString(sc.FullEngineVersion) == "" || aws.ToString(sc.UserGroupId) != ug ||
		aws.ToString(sc.DailySnapshotTime) != "02:00" || aws.ToInt32(sc.SnapshotRetentionLimit) != 2 ||
		fmt.Sprint(sc.SubnetIds) != fmt.Sprint(n.SubnetIDs[:2]) || fmt.Sprint(sc.SecurityGroupIds) != fmt.Sprint([]string{n.GroupID}) ||
		aws.ToInt32(sc.CacheUsageLimits.DataStorage.Maximum) != 10 || aws.ToInt32(sc.CacheUsageLimits.ECPUPerSecond.Maximum) != 10000 ||
		!strings.HasSuffix(aws.ToString(sc.ARN), ":serverlesscache:"+name) {
		t.Fatalf("serverless cache: %+v", sc)
	}

	mod, err := c.ModifyServerlessCache(ctx, &elasticache.ModifyServerlessCacheInput{
		ServerlessCacheName: aws.String(name),
		CacheUsageLimits: &types.CacheUsageLimits{
			DataStorage:   &types.DataStorage{Maximum: aws.Int32(20), Unit: types.DataStorageUnitGb},
			ECPUPerSecond: &types.ECPUPerSecond{Maximum: aws.Int32(20000)},
		},
	})
	mustNoErr(t, err)
	if s := aws.ToString(mod.ServerlessCache.Status); s != "modifying" {
		t.Fatalf("modify answered %q", s)
	}
	mustFault[*types.InvalidServerlessCacheStateFault](t, errOf(c.ModifyServerlessCache(ctx, &elasticache.ModifyServerlessCacheInput{ServerlessCacheName: aws.String(name), Description: aws.String("again")})), "modify while modifying")
	// One field per request (rule serverless-one-field-per-modify).
	for _, in := range []*elasticache.ModifyServerlessCacheInput{
		{ServerlessCacheName: aws.String(name), SnapshotRetentionLimit: aws.Int32(5)},
		{ServerlessCacheName: aws.String(name), RemoveUserGroup: aws.Bool(true)},
	} {
		waitServerless(t, c, name, "available")
		mustNoErr(t, errOf(c.ModifyServerlessCache(ctx, in)))
	}
	sc = waitServerless(t, c, name, "available")
	if aws.ToInt32(sc.CacheUsageLimits.DataStorage.Maximum) != 20 || aws.ToInt32(sc.SnapshotRetentionLimit) != 5 || sc.UserGroupId != nil {
		t.Fatalf("after modify: %+v", sc)
	}

	_, err = c.ModifyServerlessCache(ctx, &elasticache.ModifyServerlessCacheInput{
		ServerlessCacheName: aws.String(name),
		CacheUsageLimits:    &types.CacheUsageLimits{DataStorage: &types.DataStorage{Maximum: aws.Int32(6000), Unit: types.DataStorageUnitGb}},
	})
	mustFault[*types.InvalidParameterValueException](t, err, "6000 GB")
	mustFault[*types.InvalidParameterCombinationException](t, errOf(c.CreateServerlessCache(ctx, &elasticache.CreateServerlessCacheInput{ServerlessCacheName: aws.String(uniqueName("mem")), Engine: aws.String("memcached"), UserGroupId: aws.String(ug)})), "memcached with a user group")
	mustFault[*types.ServerlessCacheAlreadyExistsFault](t, errOf(c.CreateServerlessCache(ctx, &elasticache.CreateServerlessCacheInput{ServerlessCacheName: aws.String(name), Engine: aws.String("valkey")})), "duplicate")

	// Memcached and Redis OSS serverless caches, listed over pages.
	mem := uniqueName("mem")
	mustNoErr(t, errOf(c.CreateServerlessCache(ctx, &elasticache.CreateServerlessCacheInput{ServerlessCacheName: aws.String(mem), Engine: aws.String("memcached")})))
	if m := waitServerless(t, c, mem, "available"); aws.ToInt32(m.Endpoint.Port) != 11211 || aws.ToString(m.MajorEngineVersion) != "1.6" || len(m.SubnetIds) == 0 || len(m.SecurityGroupIds) != 1 {
		t.Fatalf("memcached serverless: %+v", m)
	}
	seen := map[string]bool{}
	p := elasticache.NewDescribeServerlessCachesPaginator(c, &elasticache.DescribeServerlessCachesInput{MaxResults: aws.Int32(1)})
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		mustNoErr(t, err)
		pages++
		for _, s := range page.ServerlessCaches {
			seen[aws.ToString(s.ServerlessCacheName)] = true
		}
	}
	if !seen[name] || !seen[mem] || pages < 2 {
		t.Fatalf("listing: %v in %d pages", seen, pages)
	}

	for _, s := range []string{name, mem} {
		del, err := c.DeleteServerlessCache(ctx, &elasticache.DeleteServerlessCacheInput{ServerlessCacheName: aws.String(s)})
		mustNoErr(t, err)
		if st := aws.ToString(del.ServerlessCache.Status); st != "deleting" {
			t.Fatalf("delete answered %q", st)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	var notFound *types.ServerlessCacheNotFoundFault
	for {
		_, err = c.DescribeServerlessCaches(ctx, &elasticache.DescribeServerlessCachesInput{ServerlessCacheName: aws.String(name)})
		if errors.As(err, &notFound) {
			break
		}
		mustNoErr(t, err)
		if time.Now().After(deadline) {
			t.Fatal("serverless cache never went away")
		}
		time.Sleep(waitMin)
	}
	mustFault[*types.ServerlessCacheNotFoundFault](t, errOf(c.DeleteServerlessCache(ctx, &elasticache.DeleteServerlessCacheInput{ServerlessCacheName: aws.String(name)})), "deleting a deleted cache")
	mustNoErr(t, errOf(c.DeleteUserGroup(ctx, &elasticache.DeleteUserGroupInput{UserGroupId: aws.String(ug)})))
	mustNoErr(t, errOf(c.DeleteUser(ctx, &elasticache.DeleteUserInput{UserId: aws.String(ugUser)})))
}

func TestEmulatorElastiCacheTags(t *testing.T) {
	ctx, c, n := testCtx(t), ecClient(t), newTestNet(t)
	tags := []types.Tag{{Key: aws.String("owner"), Value: aws.String("platform")}}
	rg := uniqueName("tags")
	_, err := c.CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{
		ReplicationGroupId: aws.String(rg), ReplicationGroupDescription: aws.String("tags"), Engine: aws.String("redis"),
		CacheNodeType: aws.String("cache.t4g.micro"), NumCacheClusters: aws.Int32(1), Tags: tags,
	})
	mustNoErr(t, err)
	rgOut := waitRGAvailable(t, c, rg)
	pg := uniqueName("pg")
	pgOut, err := c.CreateCacheParameterGroup(ctx, &elasticache.CreateCacheParameterGroupInput{CacheParameterGroupName: aws.String(pg), CacheParameterGroupFamily: aws.String("redis7"), Description: aws.String("x"), Tags: tags})
	mustNoErr(t, err)
	sng := uniqueName("sng")
	sngOut, err := c.CreateCacheSubnetGroup(ctx, &elasticache.CreateCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(sng), CacheSubnetGroupDescription: aws.String("x"), SubnetIds: n.SubnetIDs, Tags: tags})
	mustNoErr(t, err)
	sls := uniqueName("sls")
	slsOut, err := c.CreateServerlessCache(ctx, &elasticache.CreateServerlessCacheInput{ServerlessCacheName: aws.String(sls), Engine: aws.String("redis"), Tags: tags})
	mustNoErr(t, err)
	ug, user := createUserGroup(t, c, "redis")
	ugOut := waitUserGroupActive(t, c, ug)
	users, err := c.DescribeUsers(ctx, &elasticache.DescribeUsersInput{UserId: aws.String(user)})
	mustNoErr(t, err)
	member := describeCluster(t, c, rg+"-001")

	arns := map[string]string{
		"replication group": aws.ToString(rgOut.ARN), "parameter group": aws.ToString(pgOut.CacheParameterGroup.ARN),
		"subnet group": aws.ToString(sngOut.CacheSubnetGroup.ARN), "serverless cache": aws.ToString(slsOut.ServerlessCache.ARN),
		"user group": aws.ToString(ugOut.ARN), "user": aws.ToString(users.Users[0].ARN), "cache cluster": aws.ToString(member.ARN),
	}
	list := func(arn string) map[string]string {
		out, err := c.ListTagsForResource(ctx, &elasticache.ListTagsForResourceInput{ResourceName: aws.String(arn)})
		mustNoErr(t, err)
		m := map[string]string{}
		for _, tag := range out.TagList {
			m[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
		}
		return m
	}
	for kind, arn := range arns {
		if arn == "" {
			t.Fatalf("%s has no ARN", kind)
		}
		if kind != "user group" && kind != "user" && kind != "cache cluster" && list(arn)["owner"] != "platform" {
			t.Errorf("%s: tags given at create missing: %v", kind, list(arn))
		}
		added, err := c.AddTagsToResource(ctx, &elasticache.AddTagsToResourceInput{ResourceName: aws.String(arn), Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}, {Key: aws.String("owner"), Value: aws.String("cache-team")}}})
		mustNoErr(t, err)
		if len(added.TagList) < 2 {
			t.Errorf("%s: AddTagsToResource answered %v", kind, added.TagList)
		}
		if got := list(arn); got["env"] != "test" || got["owner"] != "cache-team" {
			t.Errorf("%s: after add %v", kind, got)
		}
		mustNoErr(t, errOf(c.RemoveTagsFromResource(ctx, &elasticache.RemoveTagsFromResourceInput{ResourceName: aws.String(arn), TagKeys: []string{"env"}})))
		if got := list(arn); got["env"] != "" || got["owner"] != "cache-team" {
			t.Errorf("%s: after remove %v", kind, got)
		}
	}

	expectFault[*types.ReplicationGroupNotFoundFault](t, errOf(c.ListTagsForResource(ctx, &elasticache.ListTagsForResourceInput{ResourceName: aws.String("arn:aws:elasticache:us-east-1:123456789012:replicationgroup:nothing-" + runID)})), "tags of an unknown group")
	expectFault[*types.InvalidARNFault](t, errOf(c.ListTagsForResource(ctx, &elasticache.ListTagsForResourceInput{ResourceName: aws.String("not-an-arn")})), "malformed ARN")
	var many []types.Tag
	for i := 0; i < 51; i++ {
		many = append(many, types.Tag{Key: aws.String(fmt.Sprintf("k%d", i)), Value: aws.String("v")})
	}
	expectFault[*types.TagQuotaPerResourceExceeded](t, errOf(c.AddTagsToResource(ctx, &elasticache.AddTagsToResourceInput{ResourceName: aws.String(arns["parameter group"]), Tags: many})), "51 tags")

	deleteRG(t, c, rg)
	_, _ = c.DescribeServerlessCaches(ctx, &elasticache.DescribeServerlessCachesInput{ServerlessCacheName: aws.String(sls)})
	mustNoErr(t, errOf(c.DeleteServerlessCache(ctx, &elasticache.DeleteServerlessCacheInput{ServerlessCacheName: aws.String(sls)})))
	mustNoErr(t, errOf(c.DeleteCacheParameterGroup(ctx, &elasticache.DeleteCacheParameterGroupInput{CacheParameterGroupName: aws.String(pg)})))
	mustNoErr(t, errOf(c.DeleteCacheSubnetGroup(ctx, &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(sng)})))
	mustNoErr(t, errOf(c.DeleteUserGroup(ctx, &elasticache.DeleteUserGroupInput{UserGroupId: aws.String(ug)})))
	mustNoErr(t, errOf(c.DeleteUser(ctx, &elasticache.DeleteUserInput{UserId: aws.String(user)})))
	expectFault[*types.ReplicationGroupNotFoundFault](t, errOf(c.ListTagsForResource(ctx, &elasticache.ListTagsForResourceInput{ResourceName: aws.String(arns["replication group"])})), "tags of a deleted group")
}

func TestEmulatorEngineVersionsAndOfferings(t *testing.T) {
	ctx, c := testCtx(t), ecClient(t)
	versions := func(in *elasticache.DescribeCacheEngineVersionsInput) map[string]string {
		out, err := c.DescribeCacheEngineVersions(ctx, in)
		mustNoErr(t, err)
		m := map[string]string{}
		for _, v := range out.CacheEngineVersions {
			m[aws.ToString(v.Engine)+" "+aws.ToString(v.EngineVersion)] = aws.ToString(v.CacheParameterGroupFamily)
		}
		return m
	}
	all := versions(&elasticache.DescribeCacheEngineVersionsInput{})
	for v, family := range map[string]string{
		"valkey 7.2": "valkey7", "valkey 8.0": "valkey8", "valkey 8.1": "valkey8",
		"redis 6.2": "redis6.x", "redis 7.0": "redis7", "redis 7.1": "redis7", "memcached 1.6.22": "memcached1.6",
	} {
		if all[v] != family {
			t.Errorf("%s: family %q, want %q", v, all[v], family)
		}
	}
	if got := versions(&elasticache.DescribeCacheEngineVersionsInput{Engine: aws.String("valkey")}); len(got) != 3 {
		t.Errorf("valkey versions: %v", got)
	}
	if got := versions(&elasticache.DescribeCacheEngineVersionsInput{Engine: aws.String("redis"), DefaultOnly: aws.Bool(true)}); len(got) != 1 || got["redis 7.1"] != "redis7" {
		t.Errorf("redis default: %v", got)
	}
	if got := versions(&elasticache.DescribeCacheEngineVersionsInput{CacheParameterGroupFamily: aws.String("memcached1.6")}); len(got) < 2 {
		t.Errorf("memcached1.6 versions: %v", got)
	}

	offer := func(duration, kind string) types.ReservedCacheNodesOffering {
		out, err := c.DescribeReservedCacheNodesOfferings(ctx, &elasticache.DescribeReservedCacheNodesOfferingsInput{
			CacheNodeType: aws.String("cache.r7g.large"), Duration: aws.String(duration), OfferingType: aws.String(kind), ProductDescription: aws.String("redis"),
		})
		mustNoErr(t, err)
		if len(out.ReservedCacheNodesOfferings) != 1 {
			t.Fatalf("%s %s: %d offerings", duration, kind, len(out.ReservedCacheNodesOfferings))
		}
		return out.ReservedCacheNodesOfferings[0]
	}
	effective := func(o types.ReservedCacheNodesOffering) float64 {
		hours := float64(aws.ToInt32(o.Duration)) / 3600
		hourly := 0.0
		for _, r := range o.RecurringCharges {
			if aws.ToString(r.RecurringChargeFrequency) != "Hourly" {
				t.Fatalf("recurring charge frequency %q", aws.ToString(r.RecurringChargeFrequency))
			}
			hourly += aws.ToFloat64(r.RecurringChargeAmount)
		}
		return aws.ToFloat64(o.FixedPrice)/hours + hourly
	}
	noUp, partial, allUp := offer("1", "No Upfront"), offer("1", "Partial Upfront"), offer("31536000", "All Upfront")
	if aws.ToFloat64(noUp.FixedPrice) != 0 || aws.ToFloat64(partial.FixedPrice) <= 0 || aws.ToFloat64(allUp.FixedPrice) <= aws.ToFloat64(partial.FixedPrice) ||
		aws.ToFloat64(allUp.RecurringCharges[0].RecurringChargeAmount) != 0 || aws.ToInt32(noUp.Duration) != 31536000 {
		t.Fatalf("offerings: %+v %+v %+v", noUp, partial, allUp)
	}
	if !(effective(noUp) > effective(partial) && effective(partial) > effective(allUp) && effective(noUp) < 0.2) {
		t.Fatalf("effective hourly: no %.4f partial %.4f all %.4f (on-demand 0.2000)", effective(noUp), effective(partial), effective(allUp))
	}
	if three := offer("3", "All Upfront"); effective(three) >= effective(allUp) || aws.ToInt32(three.Duration) != 94608000 {
		t.Fatalf("3-year offering not cheaper: %.4f vs %.4f", effective(three), effective(allUp))
	}
	byID, err := c.DescribeReservedCacheNodesOfferings(ctx, &elasticache.DescribeReservedCacheNodesOfferingsInput{ReservedCacheNodesOfferingId: partial.ReservedCacheNodesOfferingId})
	mustNoErr(t, err)
	if len(byID.ReservedCacheNodesOfferings) != 1 || aws.ToString(byID.ReservedCacheNodesOfferings[0].OfferingType) != "Partial Upfront" {
		t.Fatalf("by id: %+v", byID.ReservedCacheNodesOfferings)
	}
	mustFault[*types.ReservedCacheNodesOfferingNotFoundFault](t, errOf(c.DescribeReservedCacheNodesOfferings(ctx, &elasticache.DescribeReservedCacheNodesOfferingsInput{ReservedCacheNodesOfferingId: aws.String("00000000-0000-0000-0000-000000000000")})), "unknown offering")
	total := 0
	p := elasticache.NewDescribeReservedCacheNodesOfferingsPaginator(c, &elasticache.DescribeReservedCacheNodesOfferingsInput{ProductDescription: aws.String("valkey"), MaxRecords: aws.Int32(50)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		mustNoErr(t, err)
		total += len(page.ReservedCacheNodesOfferings)
	}
	if total < 50 {
		t.Fatalf("valkey offerings over pages: %d", total)
	}
}
