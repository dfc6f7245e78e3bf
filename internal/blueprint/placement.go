package blueprint

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Placement and upgrade knobs (issue 17 §4): extra security groups, the network type and IP
// discovery, preferred Availability Zones, and automatic minor version upgrades. Each rule here
// names its source; the emulator enforces the same rules (test/emulator/RULES.md).

// The placement attributes join Attrs here, so the list's line stays free for the other
// features that extend it at the same time.
func init() {
	Attrs = append(Attrs, AttrNetworkAdditionalSecurityGroupIDs, AttrNetworkType, AttrNetworkIPDiscovery, AttrProvisionedPreferredAZs, AttrProvisionedAutoMinorVersionUpgrade)
}

// Network types (botocore elasticache NetworkType enum).
const (
	NetworkTypeIPv4      = "ipv4"
	NetworkTypeIPv6      = "ipv6"
	NetworkTypeDualStack = "dual_stack"
)

// NetworkTypes lists the accepted network.type values; IPDiscoveries the network.ip_discovery ones.
var (
	NetworkTypes  = []string{NetworkTypeIPv4, NetworkTypeIPv6, NetworkTypeDualStack}
	IPDiscoveries = []string{NetworkTypeIPv4, NetworkTypeIPv6}
)

// DefaultNetworkType is AWS's default for node-based caches, and for serverless caches whose
// subnets have IPv4 (botocore CreateServerlessCache.NetworkType).
const DefaultNetworkType = NetworkTypeIPv4

// DefaultIPDiscovery is the discovery IP version of a network type when ip_discovery is not
// set: an IPv6-only cache has only IPv6 addresses to advertise; the others advertise IPv4, so
// clients that know nothing of IPv6 keep working.
func DefaultIPDiscovery(networkType string) string {
	if networkType == NetworkTypeIPv6 {
		return NetworkTypeIPv6
	}
	return NetworkTypeIPv4
}

// ipv6MinVersion is the oldest engine version AWS runs over IPv6 (botocore
// CreateReplicationGroup.NetworkType: "Valkey 7.2 and above, Redis OSS engine version 6.2 to
// 7.1 and Memcached engine version 1.6.6 and above").
var ipv6MinVersion = map[string]string{EngineValkey: "7.2", EngineRedis: "6.2", EngineMemcached: "1.6"}

// nonNitroFamilies are the node families of the provider's catalog not built on the Nitro
// system, which AWS does not run over IPv6 (AWS docs network-type.html: "on all instances built
// on the Nitro system"; https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-nitro-instances.html
// lists T3, M5, R5 and later, not T2, M4 or R4).
var nonNitroFamilies = []string{"t2", "m4", "r4"}

// Placement is the part of a cache spec the placement knobs decide. A kind without a setting
// leaves it zero (serverless: no IP discovery, zones or minor-upgrade switch).
type Placement struct {
	AdditionalSecurityGroupIDs []string
	NetworkType                string
	IPDiscovery                string
	// PreferredAZs are the zones of a shard's nodes, primary first (Memcached: of its nodes).
	PreferredAZs            []string
	AutoMinorVersionUpgrade bool
}

// placementOf decides the placement of a stack's cache.
func placementOf(in Input) Placement {
	n := in.Network
	pl := Placement{AdditionalSecurityGroupIDs: sortedCopy(n.AdditionalSecurityGroupIDs), NetworkType: firstNonEmpty(n.Type, DefaultNetworkType)}
	if in.Shape() == ShapeServerless { // not HasNodes: kinds is built from these functions
		return pl
	}
	pl.IPDiscovery = firstNonEmpty(n.IPDiscovery, DefaultIPDiscovery(pl.NetworkType))
	pl.PreferredAZs = slices.Clone(in.Provisioned.PreferredAZs)
	pl.AutoMinorVersionUpgrade = in.Provisioned.AutoMinorVersionUpgrade
	return pl
}

// SecurityGroupIDs is the full set of groups a cache carries: the stack's own and the
// additional ones, sorted (the order AWS reports them in after observation).
func SecurityGroupIDs(own string, additional []string) []string {
	out := append([]string{own}, additional...)
	sort.Strings(out)
	return slices.Compact(out)
}

// validatePlacement checks the placement knobs against the engine, version and node type.
// What needs AWS's answer (the subnets' zones and IP ranges, the groups' VPC) is judged by
// CheckSubnets and CheckSecurityGroups with the facts ModifyPlan reads.
func validatePlacement(in Input) []Problem {
	var ps []Problem
	n, u := in.Network, in.Unknown
	if !u[AttrNetworkAdditionalSecurityGroupIDs] {
		for _, id := range n.AdditionalSecurityGroupIDs {
			if !securityGroupPattern.MatchString(id) {
				ps = append(ps, Problem{AttrNetworkAdditionalSecurityGroupIDs, "Invalid security group ID", fmt.Sprintf("%q is not a security group ID (sg-...).", id)})
			}
		}
	}
	ps = append(ps, validateNetworkType(in)...)
	if in.Shape() == ShapeServerless {
		// CreateServerlessCache has NetworkType but no IpDiscovery (botocore elasticache
		// 2015-02-02); a serverless endpoint answers in the client's IP version.
		ps = append(ps, rejectSet(in, AttrNetworkIPDiscovery, "a serverless cache has no IP discovery setting: its endpoint answers over the IP version the client resolves. Remove network.ip_discovery.")...)
		return ps
	}
	return append(ps, validatePreferredAZs(in)...)
}

func validateNetworkType(in Input) []Problem {
	n, u := in.Network, in.Unknown
	if u[AttrNetworkType] || u[AttrNetworkIPDiscovery] {
		return nil
	}
	var ps []Problem
	switch {
	case n.Type == NetworkTypeIPv4 && n.IPDiscovery == NetworkTypeIPv6:
		ps = append(ps, Problem{AttrNetworkIPDiscovery, "IPv6 discovery needs an IPv6 network",
			"ip_discovery = \"ipv6\" advertises the nodes' IPv6 addresses, which an IPv4 cache does not have. Set network.type = \"dual_stack\" (or \"ipv6\"), or ip_discovery = \"ipv4\"."})
	case n.Type == NetworkTypeIPv6 && n.IPDiscovery == NetworkTypeIPv4:
		ps = append(ps, Problem{AttrNetworkIPDiscovery, "IPv4 discovery on an IPv6-only network",
			"an IPv6-only cache has no IPv4 addresses to advertise. Set ip_discovery = \"ipv6\", or network.type = \"dual_stack\"."})
	}
	if n.Type == NetworkTypeIPv4 || n.Type == "" || u[AttrEngine] || u[AttrEngineVersion] {
		return ps
	}
	if floor := ipv6MinVersion[in.Engine]; floor != "" && !in.Shape().MajorVersionOnly() && CompareVersions(in.EngineVersion, floor) < 0 {
		ps = append(ps, Problem{AttrNetworkType, "IPv6 needs a newer engine",
			fmt.Sprintf("network.type = %q needs Valkey 7.2+, Redis OSS 6.2+ or Memcached 1.6.6+ (AWS runs IPv6 from these versions); this stack runs %s %s. Set engine_version to %s or later, or network.type = \"ipv4\".", n.Type, in.Engine, in.EngineVersion, floor)})
	}
	if in.Shape().HasNodes() && !u[AttrProvisionedNodeType] && slices.Contains(nonNitroFamilies, NodeTypeFamily(in.Provisioned.NodeType)) {
		ps = append(ps, Problem{AttrNetworkType, "IPv6 needs a Nitro node type",
			fmt.Sprintf("network.type = %q runs only on node types built on the Nitro system; %s is not. Choose a current family (t3, t4g, m5 or later, r5 or later), or network.type = \"ipv4\".", n.Type, in.Provisioned.NodeType)})
	}
	return ps
}

// PreferredAZsWanted is how many zones preferred_availability_zones must list: one per node of
// a shard (primary first) for Valkey/Redis, one per node for Memcached. AWS requires the count
// to match (botocore CreateReplicationGroup.PreferredCacheClusterAZs "must equal the value of
// NumCacheClusters"; NodeGroupConfiguration.ReplicaAvailabilityZones "must match the value of
// ReplicaCount"; CreateCacheCluster.PreferredAvailabilityZones "must equal the value of
// NumCacheNodes").
func PreferredAZsWanted(in Input) int {
	if in.Shape() == ShapeMemcachedCluster {
		return in.Provisioned.MemcachedNodes()
	}
	return in.Provisioned.NodesPerShard()
}

func validatePreferredAZs(in Input) []Problem {
	p, u := in.Provisioned, in.Unknown
	if len(p.PreferredAZs) == 0 || u[AttrProvisionedPreferredAZs] || u[AttrProvisionedReplicasPerShard] || u[AttrProvisionedNumNodes] {
		return nil
	}
	if want := PreferredAZsWanted(in); len(p.PreferredAZs) != want {
		what := fmt.Sprintf("one zone per node of a shard, primary first (1 + replicas_per_shard = %d)", want)
		if in.Shape() == ShapeMemcachedCluster {
			what = fmt.Sprintf("one zone per node (num_nodes = %d)", want)
		}
		return []Problem{{AttrProvisionedPreferredAZs, "Wrong number of Availability Zones",
			fmt.Sprintf("preferred_availability_zones lists %d zones; AWS needs %s. A zone may repeat.", len(p.PreferredAZs), what)}}
	}
	return nil
}

// SubnetFacts is what EC2 says about one subnet, for the checks only AWS's answer allows.
type SubnetFacts struct {
	ID, AZ     string
	IPv4, IPv6 bool // has an IPv4 CIDR block / an IPv6 CIDR block
}

// CheckSubnets judges the network type and the preferred zones against the subnets (one
// DescribeSubnets answer). AWS docs network-type.html: "ElastiCache clusters require a
// dual-stack subnet with both IPv4 and IPv6 addresses assigned to them to operate in dual-stack
// mode and an IPv6-only subnet to operate as IPv6-only"; PreferredCacheClusterAZs: "you can
// only locate clusters in Availability Zones associated with the subnets".
func CheckSubnets(in Input, subnets []SubnetFacts) []Problem {
	var ps []Problem
	var unfit, zones []string
	for _, s := range subnets {
		if !subnetFits(in.Network.Type, s) {
			unfit = append(unfit, s.ID)
		}
		if !slices.Contains(zones, s.AZ) {
			zones = append(zones, s.AZ)
		}
	}
	sort.Strings(zones)
	if len(unfit) > 0 && in.Known(AttrNetworkType) {
		need := map[string]string{
			NetworkTypeIPv4:      "an IPv4 CIDR block",
			NetworkTypeIPv6:      "IPv6 only (an IPv6 CIDR block and no IPv4 one)",
			NetworkTypeDualStack: "both an IPv4 and an IPv6 CIDR block",
		}[in.Network.Type]
		ps = append(ps, Problem{AttrNetworkSubnetIDs, "Subnets do not support the network type",
			fmt.Sprintf("network.type = %q needs every subnet to have %s; these do not: %s. Choose other subnets or another network.type (valid choices: %s).",
				in.Network.Type, need, strings.Join(unfit, ", "), strings.Join(NetworkTypes, ", "))})
	}
	if in.Known(AttrProvisionedPreferredAZs) && in.Shape().HasNodes() {
		for _, az := range in.Provisioned.PreferredAZs {
			if !slices.Contains(zones, az) {
				ps = append(ps, Problem{AttrProvisionedPreferredAZs, "Availability Zone without a subnet",
					fmt.Sprintf("%q is not a zone of network.subnet_ids; nodes can only go where the stack has a subnet. Valid choices: %s.", az, strings.Join(zones, ", "))})
			}
		}
	}
	return ps
}

func subnetFits(networkType string, s SubnetFacts) bool {
	switch networkType {
	case NetworkTypeIPv6:
		return s.IPv6 && !s.IPv4
	case NetworkTypeDualStack:
		return s.IPv4 && s.IPv6
	}
	return s.IPv4
}

// CheckSecurityGroups judges the additional security groups against EC2's answer: each must
// exist, in the stack's VPC (a security group is used only in the VPC it was created for, AWS
// docs https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html). vpcOf maps
// each found group to its VPC.
func CheckSecurityGroups(groups []string, vpcOf map[string]string, vpc string) []Problem {
	var ps []Problem
	for _, id := range groups {
		got, found := vpcOf[id]
		switch {
		case !found:
			ps = append(ps, Problem{AttrNetworkAdditionalSecurityGroupIDs, "Security group not found", fmt.Sprintf("%s does not exist in this account and region.", id)})
		case vpc != "" && got != vpc:
			ps = append(ps, Problem{AttrNetworkAdditionalSecurityGroupIDs, "Security group in another VPC",
				fmt.Sprintf("%s belongs to %s, but the stack's subnets are in %s; a cache can only carry groups of its own VPC.", id, got, vpc)})
		}
	}
	return ps
}

// placementReplacements: the network type is fixed at creation for every kind (AWS docs
// network-type.html: "Switching between network types on newly created clusters is also not
// supported"; serverless-network-type.md: "The network type can only be set when creating a
// serverless cache"; ModifyReplicationGroup, ModifyCacheCluster and ModifyServerlessCache have
// no NetworkType member; hashicorp/aws marks network_type ForceNew).
func placementReplacements(prior, planned Input) []Reason {
	had, want := firstNonEmpty(prior.Network.Type, DefaultNetworkType), firstNonEmpty(planned.Network.Type, DefaultNetworkType)
	if !planned.Known(AttrNetworkType) || had == want {
		return nil
	}
	return []Reason{{AttrNetworkType, fmt.Sprintf("network.type changes from %s to %s; AWS fixes the network type when it creates the cache", had, want)}}
}

// placementWarnings: what the in-place placement changes do. IP discovery changes in place
// (ModifyReplicationGroup / ModifyCacheCluster IpDiscovery); preferred zones are used only when
// AWS creates nodes, so a change moves no node.
func (c *change) placementWarnings() {
	pn, nn := c.prior.Network, c.planned.Network
	had, want := firstNonEmpty(pn.IPDiscovery, DefaultIPDiscovery(pn.Type)), firstNonEmpty(nn.IPDiscovery, DefaultIPDiscovery(nn.Type))
	if c.planned.Shape().HasNodes() && c.known(AttrNetworkIPDiscovery) && c.known(AttrNetworkType) && had != want {
		c.warn(AttrNetworkIPDiscovery, fmt.Sprintf("IP discovery changes from %s to %s", had, want),
			fmt.Sprintf("cluster discovery (CLUSTER SLOTS / SHARDS, Memcached config get cluster) advertises the nodes' %s addresses from now on: clients that cannot reach them lose discovery. Data and endpoints are kept.", want))
	}
	if c.known(AttrNetworkAdditionalSecurityGroupIDs) && !slices.Equal(sortedCopy(pn.AdditionalSecurityGroupIDs), sortedCopy(nn.AdditionalSecurityGroupIDs)) {
		c.warn(AttrNetworkAdditionalSecurityGroupIDs, "Attached security groups change",
			"the cache's network interfaces take the new set of groups at once: connections admitted only by a removed group's rules are refused. The groups' own rules are not touched.")
	}
	pp, np := c.prior.Provisioned, c.planned.Provisioned
	if c.planned.Shape().HasNodes() && c.known(AttrProvisionedPreferredAZs) && !slices.Equal(pp.PreferredAZs, np.PreferredAZs) {
		c.warn(AttrProvisionedPreferredAZs, "Preferred Availability Zones change",
			"AWS places nodes by zone only when it creates them: existing nodes stay where they are; replicas or Memcached nodes added from now on go to the zones the list gives them. To move existing nodes, replace the stack (terraform apply -replace).")
	}
}
