package stack_test

// What AWS says, read through the API and not from state: the acceptance tests' evidence that
// a stack is what its configuration asks for, or is gone.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

type awsClients struct {
	ec  *elasticache.Client
	ec2 *ec2.Client
}

// clients are SDK clients for the test endpoint; like every helper that needs the endpoint, it
// skips the test without TF_ACC (acctest.PreCheck).
func clients(t *testing.T) awsClients {
	t.Helper()
	acctest.PreCheck(t)
	cfg, err := acctest.AWSConfigFromEnv(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return awsClients{ec: elasticache.NewFromConfig(cfg), ec2: ec2.NewFromConfig(cfg)}
}

// describeRG reads the replication group straight from the API, not from state.
func describeRG(t *testing.T, id string) ectypes.ReplicationGroup {
	t.Helper()
	out, err := clients(t).ec.DescribeReplicationGroups(context.Background(), &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)})
	if err != nil || len(out.ReplicationGroups) != 1 {
		t.Fatalf("describe %s: %v", id, err)
	}
	return out.ReplicationGroups[0]
}

func primaryOf(rg ectypes.ReplicationGroup) string {
	for _, m := range rg.NodeGroups[0].NodeGroupMembers {
		if aws.ToString(m.CurrentRole) == "primary" {
			return aws.ToString(m.CacheClusterId)
		}
	}
	return ""
}

// parameterGroupExists asks the API whether a cache parameter group exists.
func parameterGroupExists(t *testing.T, name string) bool {
	t.Helper()
	_, err := clients(t).ec.DescribeCacheParameterGroups(context.Background(), &elasticache.DescribeCacheParameterGroupsInput{CacheParameterGroupName: aws.String(name)})
	var notFound *ectypes.CacheParameterGroupNotFoundFault
	if errorsAs(err, &notFound) {
		return false
	}
	if err != nil {
		t.Fatalf("describe parameter group %s: %v", name, err)
	}
	return true
}

// cacheSecurityGroups are the security groups named for the stack (elasticache-<name>).
func cacheSecurityGroups(ctx context.Context, c awsClients, name string) ([]ec2types.SecurityGroup, error) {
	out, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{{Name: aws.String("group-name"), Values: []string{"elasticache-" + name}}}})
	if err != nil {
		return nil, err
	}
	return out.SecurityGroups, nil
}

// securityGroupID is the ID of the stack's own security group, which must exist.
func securityGroupID(t *testing.T, name string) string {
	t.Helper()
	sgs, err := cacheSecurityGroups(context.Background(), clients(t), name)
	if err != nil || len(sgs) != 1 {
		t.Fatalf("find security group: %v (%d found)", err, len(sgs))
	}
	return aws.ToString(sgs[0].GroupId)
}

// gone is nil when err is the typed NotFound fault T of what, and else says that what still exists.
func gone[T error](err error, what string) error {
	var notFound T
	if errorsAs(err, &notFound) {
		return nil
	}
	return fmt.Errorf("%s still exists (err=%v)", what, err)
}

// errOf keeps the error of a call's (output, error).
func errOf[T any](_ T, err error) error { return err }

// checkFinalSnapshot asserts that destroy left the final snapshot of the replication group,
// then removes it.
func checkFinalSnapshot(t *testing.T, snapshot, group string) resource.TestCheckFunc {
	return checkAll(func() error {
		c := clients(t)
		out, err := c.ec.DescribeSnapshots(context.Background(), &elasticache.DescribeSnapshotsInput{SnapshotName: aws.String(snapshot)})
		if err != nil || len(out.Snapshots) != 1 {
			return fmt.Errorf("final snapshot not taken: %v", err)
		}
		if got := aws.ToString(out.Snapshots[0].ReplicationGroupId); got != group {
			return fmt.Errorf("final snapshot is of %q, want %q", got, group)
		}
		_, err = c.ec.DeleteSnapshot(context.Background(), &elasticache.DeleteSnapshotInput{SnapshotName: aws.String(snapshot)})
		return err
	})
}

// checkDestroyed asserts, through the AWS API and not the state, that nothing of the stack is left.
func checkDestroyed(t *testing.T, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c := clients(t)
		ctx := context.Background()
		if err := gone[*ectypes.ReplicationGroupNotFoundFault](errOf(c.ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})), "replication group "+name); err != nil {
			return err
		}
		if err := gone[*ectypes.CacheSubnetGroupNotFoundFault](errOf(c.ec.DescribeCacheSubnetGroups(ctx, &elasticache.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: aws.String(name)})), "subnet group "+name); err != nil {
			return err
		}
		if err := gone[*ectypes.CacheParameterGroupNotFoundFault](errOf(c.ec.DescribeCacheParameters(ctx, &elasticache.DescribeCacheParametersInput{CacheParameterGroupName: aws.String(name)})), "parameter group "+name); err != nil {
			return err
		}
		sgs, err := cacheSecurityGroups(ctx, c, name)
		if err != nil {
			return err
		}
		if len(sgs) > 0 {
			return fmt.Errorf("security group elasticache-%s still exists", name)
		}
		return nil
	}
}

// checkSecureDefaults asserts the security defaults against AWS: TLS required, encryption at
// rest on, no egress rules, ingress only from the application group, the eviction policy set.
func checkSecureDefaults(t *testing.T, name, eviction string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c := clients(t)
		ctx := context.Background()
		out, err := c.ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
		if err != nil {
			return err
		}
		rg := out.ReplicationGroups[0]
		if !aws.ToBool(rg.TransitEncryptionEnabled) || rg.TransitEncryptionMode != ectypes.TransitEncryptionModeRequired {
			return fmt.Errorf("TLS not required: enabled=%v mode=%s", aws.ToBool(rg.TransitEncryptionEnabled), rg.TransitEncryptionMode)
		}
		if !aws.ToBool(rg.AtRestEncryptionEnabled) {
			return fmt.Errorf("encryption at rest is off")
		}
		if rg.MultiAZ != ectypes.MultiAZStatusEnabled || rg.AutomaticFailover != ectypes.AutomaticFailoverStatusEnabled {
			return fmt.Errorf("multi-AZ %s / failover %s", rg.MultiAZ, rg.AutomaticFailover)
		}
		sgs, err := cacheSecurityGroups(ctx, c, name)
		if err != nil || len(sgs) != 1 {
			return fmt.Errorf("security group: %v %d", err, len(sgs))
		}
		sg := sgs[0]
		if len(sg.IpPermissionsEgress) != 0 {
			return fmt.Errorf("cache security group has egress rules: %+v", sg.IpPermissionsEgress)
		}
		for _, p := range sg.IpPermissions {
			for _, r := range p.IpRanges {
				if aws.ToString(r.CidrIp) == "0.0.0.0/0" {
					return fmt.Errorf("ingress open to the world")
				}
			}
			if aws.ToInt32(p.FromPort) != 6379 || len(p.UserIdGroupPairs) != 1 {
				return fmt.Errorf("unexpected ingress %+v", p)
			}
		}
		params, err := c.ec.DescribeCacheParameters(ctx, &elasticache.DescribeCacheParametersInput{CacheParameterGroupName: aws.String(name)})
		if err != nil {
			return err
		}
		for _, p := range params.Parameters {
			if aws.ToString(p.ParameterName) == "maxmemory-policy" && aws.ToString(p.ParameterValue) != eviction {
				return fmt.Errorf("maxmemory-policy = %s, want %s", aws.ToString(p.ParameterValue), eviction)
			}
		}
		return nil
	}
}

// createUserGroup makes an RBAC user group with the default user, as a platform team would
// beside the stack, and waits until it is active.
func createUserGroup(t *testing.T, id string) {
	t.Helper()
	ctx := context.Background()
	ec := clients(t).ec
	_, err := ec.CreateUserGroup(ctx, &elasticache.CreateUserGroupInput{UserGroupId: aws.String(id), Engine: aws.String("valkey"), UserIds: []string{"default"}})
	if err != nil {
		t.Fatal(err)
	}
	err = acctest.Eventually(ctx, 2*time.Minute, func(ctx context.Context) error {
		out, err := ec.DescribeUserGroups(ctx, &elasticache.DescribeUserGroupsInput{UserGroupId: aws.String(id)})
		if err == nil && (len(out.UserGroups) != 1 || aws.ToString(out.UserGroups[0].Status) != "active") {
			err = fmt.Errorf("%d groups, status %v", len(out.UserGroups), out.UserGroups)
		}
		return err
	})
	if err != nil {
		t.Fatalf("user group %s not active: %v", id, err)
	}
	t.Cleanup(func() {
		_, _ = ec.DeleteUserGroup(context.Background(), &elasticache.DeleteUserGroupInput{UserGroupId: aws.String(id)})
	})
}

// componentARNs returns the ARNs of the replication group, subnet group and parameter group.
func componentARNs(t *testing.T, name string) []string {
	t.Helper()
	c := clients(t)
	ctx := context.Background()
	rg, err := c.ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	sn, err := c.ec.DescribeCacheSubnetGroups(ctx, &elasticache.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	pg, err := c.ec.DescribeCacheParameterGroups(ctx, &elasticache.DescribeCacheParameterGroupsInput{CacheParameterGroupName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return []string{aws.ToString(rg.ReplicationGroups[0].ARN), aws.ToString(sn.CacheSubnetGroups[0].ARN), aws.ToString(pg.CacheParameterGroups[0].ARN)}
}

// resourceTags are the tags of an ElastiCache resource (ListTagsForResource).
func resourceTags(ctx context.Context, c awsClients, arn string) (map[string]string, error) {
	out, err := c.ec.ListTagsForResource(ctx, &elasticache.ListTagsForResourceInput{ResourceName: aws.String(arn)})
	if err != nil {
		return nil, err
	}
	tags := map[string]string{}
	for _, tg := range out.TagList {
		tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	return tags, nil
}

func tagOutOfBand(t *testing.T, name string, tags map[string]string) {
	t.Helper()
	c := clients(t)
	ctx := context.Background()
	var ecTags []ectypes.Tag
	var ec2Tags []ec2types.Tag
	for k, v := range tags {
		ecTags = append(ecTags, ectypes.Tag{Key: aws.String(k), Value: aws.String(v)})
		ec2Tags = append(ec2Tags, ec2types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	for _, arn := range componentARNs(t, name) {
		if _, err := c.ec.AddTagsToResource(ctx, &elasticache.AddTagsToResourceInput{ResourceName: aws.String(arn), Tags: ecTags}); err != nil {
			t.Fatalf("tag %s out of band: %v", arn, err)
		}
	}
	if _, err := c.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{securityGroupID(t, name)}, Tags: ec2Tags}); err != nil {
		t.Fatalf("tag the security group out of band: %v", err)
	}
}

// checkTagsKept asserts, through the AWS API, that every component still carries the tags.
func checkTagsKept(t *testing.T, name string, tags map[string]string) error {
	c := clients(t)
	ctx := context.Background()
	for _, arn := range componentARNs(t, name) {
		got, err := resourceTags(ctx, c, arn)
		if err != nil {
			return err
		}
		for k, v := range tags {
			if got[k] != v {
				return fmt.Errorf("%s lost the ignored tag %s=%s: %v", arn, k, v, got)
			}
		}
		if got["team"] != "ml-platform" {
			return fmt.Errorf("%s was not retagged: %v", arn, got)
		}
	}
	sgs, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{securityGroupID(t, name)}})
	if err != nil {
		return err
	}
	got := map[string]string{}
	for _, tg := range sgs.SecurityGroups[0].Tags {
		got[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	for k, v := range tags {
		if got[k] != v {
			return fmt.Errorf("security group lost the ignored tag %s=%s: %v", k, v, got)
		}
	}
	return nil
}

// openToWorldOutOfBand opens a port of the stack's security group to 0.0.0.0/0 behind
// Terraform's back.
func openToWorldOutOfBand(t *testing.T, name string, port int32) {
	t.Helper()
	_, err := clients(t).ec2.AuthorizeSecurityGroupIngress(context.Background(), &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(securityGroupID(t, name)),
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port),
			IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}},
	})
	if err != nil {
		t.Fatalf("add rule out of band: %v", err)
	}
}

// setParameterOutOfBand changes a parameter of the stack's parameter group behind Terraform's back.
func setParameterOutOfBand(t *testing.T, name, parameter, value string) {
	t.Helper()
	_, err := clients(t).ec.ModifyCacheParameterGroup(context.Background(), &elasticache.ModifyCacheParameterGroupInput{
		CacheParameterGroupName: aws.String(name),
		ParameterNameValues:     []ectypes.ParameterNameValue{{ParameterName: aws.String(parameter), ParameterValue: aws.String(value)}},
	})
	if err != nil {
		t.Fatalf("change parameter out of band: %v", err)
	}
}

// deleteGroupOutOfBand deletes the stack's replication group behind Terraform's back and waits
// until it is gone.
func deleteGroupOutOfBand(t *testing.T, name string) error {
	c := clients(t)
	ctx := context.Background()
	if _, err := c.ec.DeleteReplicationGroup(ctx, &elasticache.DeleteReplicationGroupInput{ReplicationGroupId: aws.String(name)}); err != nil {
		return err
	}
	return elasticache.NewReplicationGroupDeletedWaiter(c.ec).Wait(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)}, 2*time.Minute)
}

// deleteSnapshot removes a snapshot a test left behind, if there is one.
func deleteSnapshot(t *testing.T, snapshot string) {
	_, _ = clients(t).ec.DeleteSnapshot(context.Background(), &elasticache.DeleteSnapshotInput{SnapshotName: aws.String(snapshot)})
}

// describeStackUsers returns the stack's user group members and each user, through the API.
func describeStackUsers(t *testing.T, name string) (groupUsers []string, users map[string]ectypes.User, err error) {
	t.Helper()
	c := clients(t)
	ctx := context.Background()
	out, err := c.ec.DescribeUserGroups(ctx, &elasticache.DescribeUserGroupsInput{UserGroupId: aws.String(name)})
	if err != nil {
		return nil, nil, err
	}
	groupUsers = append([]string(nil), out.UserGroups[0].UserIds...)
	sort.Strings(groupUsers)
	users = map[string]ectypes.User{}
	for _, id := range groupUsers {
		u, err := c.ec.DescribeUsers(ctx, &elasticache.DescribeUsersInput{UserId: aws.String(id)})
		if err != nil {
			return nil, nil, err
		}
		users[id] = u.Users[0]
	}
	return groupUsers, users, nil
}

// checkUsers asserts the group holds exactly want (user ID -> access string) and is attached
// to the cache.
func checkUsers(t *testing.T, name string, attachedTo func() ([]string, error), want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ids, users, err := describeStackUsers(t, name)
		if err != nil {
			return err
		}
		var wantIDs []string
		for id := range want {
			wantIDs = append(wantIDs, id)
		}
		sort.Strings(wantIDs)
		if !slices.Equal(ids, wantIDs) {
			return fmt.Errorf("user group %s holds %v, want %v", name, ids, wantIDs)
		}
		for id, access := range want {
			if got := aws.ToString(users[id].AccessString); got != access {
				return fmt.Errorf("user %s has access string %q, want %q", id, got, access)
			}
		}
		groups, err := attachedTo()
		if err != nil {
			return err
		}
		if !slices.Equal(groups, []string{name}) {
			return fmt.Errorf("cache uses user groups %v, want [%s]", groups, name)
		}
		return nil
	}
}

func replicationGroupUserGroups(t *testing.T, name string) func() ([]string, error) {
	return func() ([]string, error) {
		out, err := clients(t).ec.DescribeReplicationGroups(context.Background(), &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
		if err != nil {
			return nil, err
		}
		return out.ReplicationGroups[0].UserGroupIds, nil
	}
}

func serverlessUserGroups(t *testing.T, name string) func() ([]string, error) {
	return func() ([]string, error) {
		out, err := clients(t).ec.DescribeServerlessCaches(context.Background(), &elasticache.DescribeServerlessCachesInput{ServerlessCacheName: aws.String(name)})
		if err != nil {
			return nil, err
		}
		if id := aws.ToString(out.ServerlessCaches[0].UserGroupId); id != "" {
			return []string{id}, nil
		}
		return nil, nil
	}
}

// checkUsersGone asserts that destroy removed the stack's user group and users.
func checkUsersGone(t *testing.T, name string, userIDs ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		c := clients(t)
		ctx := context.Background()
		if err := gone[*ectypes.UserGroupNotFoundFault](errOf(c.ec.DescribeUserGroups(ctx, &elasticache.DescribeUserGroupsInput{UserGroupId: aws.String(name)})), "user group "+name); err != nil {
			return err
		}
		for _, id := range userIDs {
			if err := gone[*ectypes.UserNotFoundFault](errOf(c.ec.DescribeUsers(ctx, &elasticache.DescribeUsersInput{UserId: aws.String(id)})), "user "+id); err != nil {
				return err
			}
		}
		return nil
	}
}

func checkUserNames(t *testing.T, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for id, name := range want {
			out, err := clients(t).ec.DescribeUsers(context.Background(), &elasticache.DescribeUsersInput{UserId: aws.String(id)})
			if err != nil {
				return err
			}
			if got := aws.ToString(out.Users[0].UserName); got != name {
				return fmt.Errorf("user %s has name %q, want %q", id, got, name)
			}
		}
		return nil
	}
}

// setAccessOutOfBand changes a user's access string behind Terraform's back.
func setAccessOutOfBand(t *testing.T, userID, access string) {
	t.Helper()
	_, err := clients(t).ec.ModifyUser(context.Background(), &elasticache.ModifyUserInput{UserId: aws.String(userID), AccessString: aws.String(access)})
	if err != nil {
		t.Fatal(err)
	}
}

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
	// A group just created may not be visible yet (AWS's eventual consistency, which the emulator's
	// non-determinism pass reproduces): retry while it answers InvalidGroup.NotFound, as the
	// provider does.
	var authErr error // the answer that ended the polling
	err = emulator.Eventually(ctx, time.Minute, func(ctx context.Context) error {
		_, authErr = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: []ec2types.IpPermission{{
			IpProtocol: aws.String("tcp"), FromPort: aws.Int32(9100), ToPort: aws.Int32(9100), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.99.0.0/16")}},
		}}})
		if apiErr := (smithy.APIError)(nil); errors.As(authErr, &apiErr) && apiErr.ErrorCode() == "InvalidGroup.NotFound" {
			return authErr // not visible yet: poll again
		}
		return nil
	})
	if err = errors.Join(err, authErr); err != nil {
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

// endpoint is a host and port of a cache as DescribeReplicationGroups reports it.
type endpoint struct {
	Host string
	Port int
}

func toEndpoint(e *ectypes.Endpoint) endpoint {
	if e == nil {
		return endpoint{}
	}
	return endpoint{aws.ToString(e.Address), int(aws.ToInt32(e.Port))}
}

// groupEndpoints returns the primary and reader endpoints of a cluster-mode-off group.
func groupEndpoints(t *testing.T, name string) (primary, reader endpoint) {
	t.Helper()
	out, err := clients(t).ec.DescribeReplicationGroups(context.Background(), &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	ng := out.ReplicationGroups[0].NodeGroups[0]
	return toEndpoint(ng.PrimaryEndpoint), toEndpoint(ng.ReaderEndpoint)
}

// waitAvailable polls the group until the modification it is in has finished, members
// included: AWS's members can still be modifying after the group reports available (emulator
// rule rg-modify-needs-available-members, switch member_lag).
func waitAvailable(ctx context.Context, t *testing.T, name string) {
	t.Helper()
	err := acctest.Eventually(ctx, 30*time.Second, func(ctx context.Context) error {
		out, err := clients(t).ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
		if err != nil {
			return err
		}
		if s := aws.ToString(out.ReplicationGroups[0].Status); s != "available" {
			return fmt.Errorf("status %s", s)
		}
		for _, m := range out.ReplicationGroups[0].MemberClusters {
			cc, err := clients(t).ec.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(m)})
			if err != nil {
				return err
			}
			if s := aws.ToString(cc.CacheClusters[0].CacheClusterStatus); s != "available" {
				return fmt.Errorf("member %s: status %s", m, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// rotateThroughAPI rotates the token with ModifyReplicationGroup as AWS documents it:
// ROTATE adds the new token (both work), SET leaves only the new one.
func rotateThroughAPI(ctx context.Context, t *testing.T, name string, onlyWorks func(string, ...string)) {
	t.Helper()
	ec := clients(t).ec
	for _, step := range []ectypes.AuthTokenUpdateStrategyType{ectypes.AuthTokenUpdateStrategyTypeRotate, ectypes.AuthTokenUpdateStrategyTypeSet} {
		_, err := ec.ModifyReplicationGroup(ctx, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(name),
			AuthToken: aws.String(tokenB), AuthTokenUpdateStrategy: step, ApplyImmediately: aws.Bool(true)})
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		waitAvailable(ctx, t, name)
		if step == ectypes.AuthTokenUpdateStrategyTypeRotate {
			onlyWorks(tokenA)
			onlyWorks(tokenB)
		} else {
			onlyWorks(tokenB, tokenA)
		}
	}
}
