package awsops

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// The placement knobs (issue 17 §4) as AWS requests, and the EC2 facts plan-time checks need.

// placeReplicationGroup adds the network type, IP discovery and preferred zones to a create
// request (after restoreReplicationGroup): zones as PreferredCacheClusterAZs without cluster mode, as one NodeGroupConfiguration
// per shard with it (botocore: PreferredCacheClusterAZs "is not used if there is more than one
// node group (shard). You should use NodeGroupConfiguration instead").
func placeReplicationGroup(in *elasticache.CreateReplicationGroupInput, spec blueprint.ReplicationGroupSpec) {
	if spec.NetworkType != "" && spec.NetworkType != blueprint.DefaultNetworkType {
		in.NetworkType = ectypes.NetworkType(spec.NetworkType)
	}
	if spec.IPDiscovery != "" && spec.IPDiscovery != blueprint.DefaultIPDiscovery(blueprint.DefaultNetworkType) {
		in.IpDiscovery = ectypes.IpDiscovery(spec.IPDiscovery)
	}
	azs := spec.PreferredAZs
	if len(azs) == 0 {
		return
	}
	if !spec.ClusterMode {
		in.PreferredCacheClusterAZs = slices.Clone(azs)
		return
	}
	// A restore may have laid the shards out already (slots): their zones are added to them.
	for s := range spec.Shards {
		if s == len(in.NodeGroupConfiguration) {
			in.NodeGroupConfiguration = append(in.NodeGroupConfiguration, ectypes.NodeGroupConfiguration{
				NodeGroupId: aws.String(fmt.Sprintf("%04d", s+1)), ReplicaCount: aws.Int32(int32(spec.ReplicasPerShard)),
			})
		}
		ng := &in.NodeGroupConfiguration[s]
		ng.PrimaryAvailabilityZone, ng.ReplicaAvailabilityZones = aws.String(azs[0]), slices.Clone(azs[1:])
	}
}

// increaseReplicas is the IncreaseReplicaCount request for count replicas per shard. When the
// preferred zones name every node of the grown shard, each shard gets them as
// ReplicaConfiguration (botocore ConfigureShard.PreferredAvailabilityZones: "must equal the value
// of NewReplicaCount plus 1 to account for the primary node"), so the new replicas go where the
// list says; existing nodes stay where they are.
func increaseReplicas(observed ObservedReplicationGroup, count int, zones []string) *elasticache.IncreaseReplicaCountInput {
	in := &elasticache.IncreaseReplicaCountInput{ReplicationGroupId: aws.String(observed.ID), ApplyImmediately: aws.Bool(true)}
	if len(zones) != count+1 {
		in.NewReplicaCount = aws.Int32(int32(count))
		return in
	}
	for s := 1; s <= max(observed.Shards, 1); s++ {
		in.ReplicaConfiguration = append(in.ReplicaConfiguration, ectypes.ConfigureShard{
			NodeGroupId: aws.String(fmt.Sprintf("%04d", s)), NewReplicaCount: aws.Int32(int32(count)), PreferredAvailabilityZones: slices.Clone(zones),
		})
	}
	return in
}

// newNodeZones are the zones of the Memcached nodes a modify adds: the tail of the preferred
// zones, when they name every node (ModifyCacheCluster.NewAvailabilityZones: "The number of
// Availability Zones supplied in this list must match the cache nodes being added").
func newNodeZones(have int, spec blueprint.CacheClusterSpec) []string {
	if spec.NumNodes <= have || len(spec.PreferredAZs) != spec.NumNodes {
		return nil
	}
	return slices.Clone(spec.PreferredAZs[have:])
}

// placeCacheCluster adds the network type, IP discovery and the nodes' zones to a Memcached
// create request. Nodes go across zones (AZMode cross-az) when there is more than one and the
// zones are not all given as one.
func placeCacheCluster(in *elasticache.CreateCacheClusterInput, spec blueprint.CacheClusterSpec) {
	if spec.NetworkType != "" && spec.NetworkType != blueprint.DefaultNetworkType {
		in.NetworkType = ectypes.NetworkType(spec.NetworkType)
	}
	if spec.IPDiscovery != "" && spec.IPDiscovery != blueprint.DefaultIPDiscovery(blueprint.DefaultNetworkType) {
		in.IpDiscovery = ectypes.IpDiscovery(spec.IPDiscovery)
	}
	if len(spec.PreferredAZs) > 0 {
		in.PreferredAvailabilityZones = slices.Clone(spec.PreferredAZs)
	}
	zones := slices.Compact(slices.Sorted(slices.Values(spec.PreferredAZs)))
	if spec.NumNodes > 1 && (len(spec.PreferredAZs) == 0 || len(zones) > 1) {
		in.AZMode = ectypes.AZModeCrossAz
	}
}

// Subnets describes the subnets (one DescribeSubnets call) as the facts plan-time checks judge,
// with their VPC.
func (c *Clients) Subnets(ctx context.Context, ids []string) ([]blueprint.SubnetFacts, string, error) {
	out, err := c.EC2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: ids})
	if err != nil {
		return nil, "", wrap("subnets", "describe", strings.Join(ids, ", "), err)
	}
	facts := make([]blueprint.SubnetFacts, 0, len(out.Subnets))
	vpc := ""
	for _, s := range out.Subnets {
		f := blueprint.SubnetFacts{ID: aws.ToString(s.SubnetId), AZ: aws.ToString(s.AvailabilityZone), IPv4: aws.ToString(s.CidrBlock) != "" && !aws.ToBool(s.Ipv6Native)}
		for _, a := range s.Ipv6CidrBlockAssociationSet {
			f.IPv6 = f.IPv6 || aws.ToString(a.Ipv6CidrBlock) != ""
		}
		facts = append(facts, f)
		vpc = aws.ToString(s.VpcId)
	}
	return facts, vpc, nil
}

// SecurityGroupVPCs maps each of the groups that exist to its VPC, in one call. It filters by
// id rather than naming the ids, so a missing group is simply absent from the answer instead of
// failing the call.
func (c *Clients) SecurityGroupVPCs(ctx context.Context, ids []string) (map[string]string, error) {
	groups, err := c.describeGroups(ctx, ids)
	out := make(map[string]string, len(groups))
	for _, g := range groups {
		out[aws.ToString(g.GroupId)] = aws.ToString(g.VpcId)
	}
	return out, err
}

// OwnSecurityGroup picks the stack's own group among the groups a cache carries (on import,
// when state does not name it yet): the one named elasticache-<name>.
func (c *Clients) OwnSecurityGroup(ctx context.Context, stackName string, ids []string) (string, error) {
	if len(ids) <= 1 {
		return firstOf(ids), nil
	}
	groups, err := c.describeGroups(ctx, ids)
	if err != nil {
		return "", err
	}
	for _, g := range groups {
		if aws.ToString(g.GroupName) == blueprint.SecurityGroupName(stackName) {
			return aws.ToString(g.GroupId), nil
		}
	}
	return firstOf(ids), nil
}

func (c *Clients) describeGroups(ctx context.Context, ids []string) ([]ec2types.SecurityGroup, error) {
	out, err := c.EC2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{{Name: aws.String("group-id"), Values: ids}}})
	if err != nil {
		return nil, wrap(componentSecurityGroup, "describe", strings.Join(ids, ", "), err)
	}
	return out.SecurityGroups, nil
}
