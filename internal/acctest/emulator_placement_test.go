package acctest

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
)

// placementNet is what the placement rules need: a dual-stack VPC with its subnet group, a
// security group in it, and a subnet group over one default-VPC subnet.
type placementNet struct {
	dual                   emulator.DualStackNetwork
	dualGroup, singleGroup string
	dualVPCSG              string
}

func newPlacementNet(t *testing.T, c *elasticache.Client, n testNet) placementNet {
	t.Helper()
	ec2c := ec2Client(t)
	dual, err := emulator.PrepareDualStackNetwork(testCtx(t), ec2c, 100+rand.IntN(150))
	t.Cleanup(func() { _ = dual.Delete(context.Background(), ec2c) })
	mustNoErr(t, err)
	sg, err := ec2c.CreateSecurityGroup(testCtx(t), &ec2.CreateSecurityGroupInput{GroupName: aws.String(uniqueName("dual-sg")), Description: aws.String("rule test"), VpcId: aws.String(dual.VpcID)})
	mustNoErr(t, err)
	t.Cleanup(func() {
		_, _ = ec2c.DeleteSecurityGroup(context.Background(), &ec2.DeleteSecurityGroupInput{GroupId: sg.GroupId})
	})
	p := placementNet{dual: dual, dualVPCSG: aws.ToString(sg.GroupId)}
	p.dualGroup = subnetGroupOf(t, c, dual.SubnetIDs)
	p.singleGroup = subnetGroupOf(t, c, n.SubnetIDs[:1])
	return p
}

func subnetGroupOf(t *testing.T, c *elasticache.Client, subnets []string) string {
	t.Helper()
	name := uniqueName("sng")
	_, err := c.CreateCacheSubnetGroup(testCtx(t), &elasticache.CreateCacheSubnetGroupInput{
		CacheSubnetGroupName: aws.String(name), CacheSubnetGroupDescription: aws.String("placement rule test"), SubnetIds: subnets,
	})
	mustNoErr(t, err)
	t.Cleanup(func() {
		_, _ = c.DeleteCacheSubnetGroup(context.Background(), &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(name)})
	})
	return name
}

// TestEmulatorRulesPlacement shows the placement rules (issue 17 §4) rejecting and accepting;
// the acceptance tests named in RULES.md show the provider keeping them.
func TestEmulatorRulesPlacement(t *testing.T) {
	RequireEmulator(t)
	c := ecClient(t)
	p := newPlacementNet(t, c, newTestNet(t))
	dualStack := func(group string, mutate func(*elasticache.CreateReplicationGroupInput)) func(*ruleT) error {
		return func(rt *ruleT) error {
			return rt.createRG(func(in *elasticache.CreateReplicationGroupInput) {
				in.EngineVersion, in.CacheSubnetGroupName, in.NetworkType = aws.String("7.2"), aws.String(group), types.NetworkTypeDualStack
				if mutate != nil {
					mutate(in)
				}
			})
		}
	}
	runRuleCases(t, []ruleCase{
		{
			rule: "network-type-ipv6-needs-engine-and-nitro", code: "InvalidParameterCombination",
			reject: dualStack(p.dualGroup, func(in *elasticache.CreateReplicationGroupInput) {
				in.CacheNodeType = aws.String("cache.t2.micro") // not Nitro (the fixtures hold no pre-IPv6 engine)
			}),
			accept: dualStack(p.dualGroup, nil),
		},
		{
			rule: "network-type-needs-fitting-subnets", code: "InvalidParameterCombination",
			reject: dualStack(p.singleGroup, nil), // a default-VPC subnet has no IPv6 block
			accept: dualStack(p.dualGroup, nil),
		},
		{
			rule: "ip-discovery-matches-network-type", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error {
				return rt.createRG(func(in *elasticache.CreateReplicationGroupInput) {
					in.CacheSubnetGroupName, in.IpDiscovery = aws.String(p.singleGroup), types.IpDiscoveryIpv6
				})
			},
			accept: dualStack(p.dualGroup, func(in *elasticache.CreateReplicationGroupInput) { in.IpDiscovery = types.IpDiscoveryIpv6 }),
		},
		{
			rule: "preferred-azs-in-subnet-group", code: "InvalidParameterCombination",
			reject: dualStack(p.dualGroup, func(in *elasticache.CreateReplicationGroupInput) {
				in.PreferredCacheClusterAZs = []string{p.dual.AZs[0], "no-such-zone-1z"}
			}),
			accept: dualStack(p.dualGroup, func(in *elasticache.CreateReplicationGroupInput) {
				in.PreferredCacheClusterAZs = []string{p.dual.AZs[1], p.dual.AZs[0]}
			}),
		},
		{
			rule: "security-groups-in-cache-vpc", code: "InvalidParameterCombination",
			reject: func(rt *ruleT) error {
				return rt.createRG(func(in *elasticache.CreateReplicationGroupInput) {
					in.CacheSubnetGroupName, in.SecurityGroupIds = aws.String(p.singleGroup), []string{p.dualVPCSG}
				})
			},
			accept: dualStack(p.dualGroup, func(in *elasticache.CreateReplicationGroupInput) { in.SecurityGroupIds = []string{p.dualVPCSG} }),
		},
	})
}

// TestEmulatorPlacementReported checks what the emulator reports back: the network type, IP
// discovery (changed in place), the nodes' zones, and the subnet group's supported types.
func TestEmulatorPlacementReported(t *testing.T) {
	RequireEmulator(t)
	c := ecClient(t)
	p := newPlacementNet(t, c, newTestNet(t))
	rt := &ruleT{T: t, ec: c}
	id := rt.availableRG(func(in *elasticache.CreateReplicationGroupInput) {
		in.EngineVersion, in.CacheSubnetGroupName, in.NetworkType = aws.String("7.2"), aws.String(p.dualGroup), types.NetworkTypeDualStack
		in.PreferredCacheClusterAZs, in.AutoMinorVersionUpgrade = []string{p.dual.AZs[1], p.dual.AZs[0]}, aws.Bool(false)
	})
	rg := describeRG(t, c, id)
	if rg.NetworkType != types.NetworkTypeDualStack || rg.IpDiscovery != types.IpDiscoveryIpv4 || aws.ToBool(rg.AutoMinorVersionUpgrade) {
		t.Fatalf("network %s, discovery %s, auto minor upgrade %v; want dual_stack, ipv4, false", rg.NetworkType, rg.IpDiscovery, aws.ToBool(rg.AutoMinorVersionUpgrade))
	}
	if primary := rg.NodeGroups[0].NodeGroupMembers[0]; aws.ToString(primary.PreferredAvailabilityZone) != p.dual.AZs[1] {
		t.Fatalf("primary in %s, want %s", aws.ToString(primary.PreferredAvailabilityZone), p.dual.AZs[1])
	}
	mustNoErr(t, rt.modifyRG(&elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(id), IpDiscovery: types.IpDiscoveryIpv6, ApplyImmediately: aws.Bool(true)}))
	if got := describeRG(t, c, id).IpDiscovery; got != types.IpDiscoveryIpv6 {
		t.Fatalf("IpDiscovery after modify = %s", got)
	}
	// A replica added with zones for the grown shard goes to its zone.
	_, err := c.IncreaseReplicaCount(testCtx(t), &elasticache.IncreaseReplicaCountInput{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true),
		ReplicaConfiguration: []types.ConfigureShard{{NodeGroupId: aws.String("0001"), NewReplicaCount: aws.Int32(2), PreferredAvailabilityZones: []string{p.dual.AZs[1], p.dual.AZs[0], p.dual.AZs[1]}}}})
	mustNoErr(t, err)
	if added := waitRGAvailable(t, c, id).NodeGroups[0].NodeGroupMembers[2]; aws.ToString(added.PreferredAvailabilityZone) != p.dual.AZs[1] {
		t.Fatalf("added replica in %s, want %s", aws.ToString(added.PreferredAvailabilityZone), p.dual.AZs[1])
	}
	sng, err := c.DescribeCacheSubnetGroups(testCtx(t), &elasticache.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: aws.String(p.dualGroup)})
	mustNoErr(t, err)
	if got := sng.CacheSubnetGroups[0].SupportedNetworkTypes; len(got) != 2 || got[1] != types.NetworkTypeDualStack {
		t.Fatalf("dual-stack subnet group supports %v, want [ipv4 dual_stack]", got)
	}
}
