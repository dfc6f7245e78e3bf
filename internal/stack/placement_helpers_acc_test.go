package stack_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// platformGroup creates a security group in vpc, as a platform team would own it, with one
// ingress rule the stack must never touch; it is deleted after the test.
func platformGroup(t *testing.T, vpc string) string {
	t.Helper()
	c := clients(t).ec2
	ctx := context.Background()
	sg, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(acctest.RandomName("platform")), Description: aws.String("shared platform group"), VpcId: aws.String(vpc)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(sg.GroupId)
	t.Cleanup(func() {
		_, _ = c.DeleteSecurityGroup(context.Background(), &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)})
	})
	_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: []ec2types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(9100), ToPort: aws.Int32(9100), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.99.0.0/16")}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// checkPlatformGroupUntouched asserts the platform group still has exactly its own rule.
func checkPlatformGroupUntouched(t *testing.T, id string) error {
	out, err := clients(t).ec2.DescribeSecurityGroups(context.Background(), &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}})
	if err != nil {
		return err
	}
	perms := out.SecurityGroups[0].IpPermissions
	if len(perms) != 1 || aws.ToInt32(perms[0].FromPort) != 9100 {
		return errorf("the stack edited platform group %s: ingress %+v", id, perms)
	}
	return nil
}

// memberGroups lists the security groups AWS reports on a stack's first member cluster.
func memberGroups(t *testing.T, name string) []string {
	t.Helper()
	rg := describeRG(t, name)
	out, err := clients(t).ec.DescribeCacheClusters(context.Background(), &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(rg.MemberClusters[0])})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, g := range out.CacheClusters[0].SecurityGroups {
		ids = append(ids, aws.ToString(g.SecurityGroupId))
	}
	slices.Sort(ids)
	return ids
}

// memberZones maps each member of a stack to the zone AWS placed it in.
func memberZones(t *testing.T, name string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, ng := range describeRG(t, name).NodeGroups {
		for _, m := range ng.NodeGroupMembers {
			out[aws.ToString(m.CacheClusterId)] = aws.ToString(m.PreferredAvailabilityZone)
		}
	}
	return out
}

// detachGroup removes a group from a stack's replication group outside Terraform.
func detachGroup(t *testing.T, name, group string) {
	t.Helper()
	others := slices.DeleteFunc(memberGroups(t, name), func(g string) bool { return g == group })
	_, err := clients(t).ec.ModifyReplicationGroup(context.Background(), &elasticache.ModifyReplicationGroupInput{
		ReplicationGroupId: aws.String(name), SecurityGroupIds: others, ApplyImmediately: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	waitAvailable(context.Background(), t, name)
}

// autoMinorUpgrade is the replication group's AutoMinorVersionUpgrade as AWS reports it.
func autoMinorUpgrade(t *testing.T, name string) bool {
	return aws.ToBool(describeRG(t, name).AutoMinorVersionUpgrade)
}

// rgNetwork is the replication group's network type and IP discovery as AWS reports them.
func rgNetwork(t *testing.T, name string) (networkType, discovery string) {
	rg := describeRG(t, name)
	return string(rg.NetworkType), string(rg.IpDiscovery)
}

// memcachedPlacement is what AWS reports of a Memcached cluster's placement: its groups, the
// zones of its nodes, and whether minor upgrades are on.
func memcachedPlacement(t *testing.T, name string) (groups, zones []string, autoMinor bool) {
	t.Helper()
	out, err := clients(t).ec.DescribeCacheClusters(context.Background(), &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(name), ShowCacheNodeInfo: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	cc := out.CacheClusters[0]
	for _, g := range cc.SecurityGroups {
		groups = append(groups, aws.ToString(g.SecurityGroupId))
	}
	for _, n := range cc.CacheNodes {
		zones = append(zones, aws.ToString(n.CustomerAvailabilityZone))
	}
	return groups, zones, aws.ToBool(cc.AutoMinorVersionUpgrade)
}

// serverlessGroups lists the security groups of a serverless cache as AWS reports them.
func serverlessGroups(t *testing.T, name string) []string {
	t.Helper()
	out, err := clients(t).ec.DescribeServerlessCaches(context.Background(), &elasticache.DescribeServerlessCachesInput{ServerlessCacheName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return out.ServerlessCaches[0].SecurityGroupIds
}

// detachServerlessGroup removes a group from a serverless cache outside Terraform.
func detachServerlessGroup(t *testing.T, name, group string) {
	t.Helper()
	ctx := context.Background()
	others := slices.DeleteFunc(serverlessGroups(t, name), func(g string) bool { return g == group })
	c := clients(t).ec
	if _, err := c.ModifyServerlessCache(ctx, &elasticache.ModifyServerlessCacheInput{ServerlessCacheName: aws.String(name), SecurityGroupIds: others}); err != nil {
		t.Fatal(err)
	}
	err := acctest.Eventually(ctx, 30*time.Second, func(ctx context.Context) error {
		out, err := c.DescribeServerlessCaches(ctx, &elasticache.DescribeServerlessCachesInput{ServerlessCacheName: aws.String(name)})
		if err == nil && aws.ToString(out.ServerlessCaches[0].Status) != "available" {
			err = errorf("status %s", aws.ToString(out.ServerlessCaches[0].Status))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
