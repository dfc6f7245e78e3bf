package blueprint

import (
	"slices"
	"strings"
	"testing"
)

func TestValidatePlacement(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Input)
		want   []wantProblem
	}{
		{"dual stack on a current Valkey node", func(in *Input) { in.Network.Type = NetworkTypeDualStack }, nil},
		{"ipv6 discovery on dual stack", func(in *Input) {
			in.Network.Type, in.Network.IPDiscovery = NetworkTypeDualStack, NetworkTypeIPv6
		}, nil},
		{"ipv6 discovery on an ipv4 network", func(in *Input) { in.Network.IPDiscovery = NetworkTypeIPv6 },
			[]wantProblem{{attr: AttrNetworkIPDiscovery, summary: "IPv6 discovery needs an IPv6 network", detail: []string{`network.type = "dual_stack"`}}}},
		{"ipv4 discovery on an ipv6-only network", func(in *Input) {
			in.Network.Type, in.Network.IPDiscovery = NetworkTypeIPv6, NetworkTypeIPv4
		}, []wantProblem{{attr: AttrNetworkIPDiscovery, summary: "IPv4 discovery on an IPv6-only network"}}},
		{"ipv6 on Redis OSS 6.0", func(in *Input) {
			in.Engine, in.EngineVersion, in.Network.Type = EngineRedis, "6.0", NetworkTypeIPv6
		}, []wantProblem{{attr: AttrNetworkType, summary: "IPv6 needs a newer engine", detail: []string{"redis 6.0", "6.2 or later"}}}},
		{"dual stack on Redis OSS 6.2", func(in *Input) {
			in.Engine, in.EngineVersion, in.Network.Type = EngineRedis, "6.2", NetworkTypeDualStack
		}, nil},
		{"dual stack on a non-Nitro node", func(in *Input) {
			in.Network.Type, in.Provisioned.NodeType = NetworkTypeDualStack, "cache.m4.large"
		}, []wantProblem{{attr: AttrNetworkType, summary: "IPv6 needs a Nitro node type", detail: []string{"cache.m4.large"}}}},
		{"ipv4 on a non-Nitro node", func(in *Input) { in.Provisioned.NodeType = "cache.t2.small" }, nil},
		{"additional group that is not an id", func(in *Input) { in.Network.AdditionalSecurityGroupIDs = []string{"monitoring"} },
			[]wantProblem{{attr: AttrNetworkAdditionalSecurityGroupIDs, summary: "Invalid security group ID"}}},
		{"one zone per node of a shard", func(in *Input) { in.Provisioned.PreferredAZs = []string{"eu-west-1a", "eu-west-1b", "eu-west-1a"} }, nil},
		{"too few zones", func(in *Input) { in.Provisioned.PreferredAZs = []string{"eu-west-1a"} },
			[]wantProblem{{attr: AttrProvisionedPreferredAZs, summary: "Wrong number of Availability Zones", detail: []string{"lists 1 zones", "1 + replicas_per_shard = 3"}}}},
		{"memcached counts nodes", func(in *Input) {
			in.Engine, in.EngineVersion, in.Provisioned.NumNodes = EngineMemcached, "1.6", 3
			in.Provisioned.PreferredAZs = []string{"eu-west-1a", "eu-west-1b"}
		}, []wantProblem{{attr: AttrProvisionedPreferredAZs, summary: "Wrong number", detail: []string{"num_nodes = 3"}}}},
		{"serverless takes no ip discovery", func(in *Input) {
			in.Mode, in.Network.IPDiscovery = ModeServerless, NetworkTypeIPv4
			in.Set = map[Attr]bool{AttrNetworkIPDiscovery: true}
		}, []wantProblem{{attr: AttrNetworkIPDiscovery, summary: "does not apply", detail: []string{"serverless"}}}},
		{"unknown values are not judged", func(in *Input) {
			in.Network.Type, in.Network.IPDiscovery = NetworkTypeIPv4, NetworkTypeIPv6
			in.Unknown = map[Attr]bool{AttrNetworkIPDiscovery: true}
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := cloneInput(validInput())
			in.Network.Type = NetworkTypeIPv4
			tt.mutate(&in)
			checkProblems(t, validatePlacement(in), tt.want)
		})
	}
}

func TestCheckSubnets(t *testing.T) {
	dual := []SubnetFacts{{ID: "subnet-a", AZ: "eu-west-1a", IPv4: true, IPv6: true}, {ID: "subnet-b", AZ: "eu-west-1b", IPv4: true, IPv6: true}}
	v4 := []SubnetFacts{{ID: "subnet-a", AZ: "eu-west-1a", IPv4: true}, {ID: "subnet-b", AZ: "eu-west-1b", IPv4: true, IPv6: true}}
	v6 := []SubnetFacts{{ID: "subnet-a", AZ: "eu-west-1a", IPv6: true}}
	tests := []struct {
		name    string
		ty      string
		azs     []string
		subnets []SubnetFacts
		want    []wantProblem
	}{
		{"ipv4 anywhere with an IPv4 block", NetworkTypeIPv4, nil, v4, nil},
		{"dual stack in dual-stack subnets", NetworkTypeDualStack, nil, dual, nil},
		{"dual stack with an IPv4-only subnet", NetworkTypeDualStack, nil, v4,
			[]wantProblem{{attr: AttrNetworkSubnetIDs, summary: "do not support the network type", detail: []string{"these do not: subnet-a.", "ipv4, ipv6, dual_stack"}, notInDetail: []string{"subnet-b"}}}},
		{"ipv6 needs IPv6-only subnets", NetworkTypeIPv6, nil, dual,
			[]wantProblem{{attr: AttrNetworkSubnetIDs, summary: "do not support", detail: []string{"IPv6 only", "subnet-a, subnet-b"}}}},
		{"ipv6 in an IPv6-only subnet", NetworkTypeIPv6, nil, v6, nil},
		{"zones of the subnets", NetworkTypeIPv4, []string{"eu-west-1b", "eu-west-1a"}, v4, nil},
		{"a zone without a subnet", NetworkTypeIPv4, []string{"eu-west-1a", "eu-west-1c"}, v4,
			[]wantProblem{{attr: AttrProvisionedPreferredAZs, summary: "Availability Zone without a subnet", detail: []string{`"eu-west-1c"`, "Valid choices: eu-west-1a, eu-west-1b."}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := cloneInput(validInput())
			in.Network.Type, in.Provisioned.PreferredAZs = tt.ty, tt.azs
			checkProblems(t, CheckSubnets(in, tt.subnets), tt.want)
		})
	}
}

func TestCheckSecurityGroups(t *testing.T) {
	got := CheckSecurityGroups([]string{"sg-1", "sg-2", "sg-3"}, map[string]string{"sg-1": "vpc-a", "sg-3": "vpc-b"}, "vpc-a")
	checkProblems(t, got, []wantProblem{
		{attr: AttrNetworkAdditionalSecurityGroupIDs, summary: "Security group not found", detail: []string{"sg-2"}},
		{attr: AttrNetworkAdditionalSecurityGroupIDs, summary: "Security group in another VPC", detail: []string{"sg-3 belongs to vpc-b", "in vpc-a"}},
	})
}

func TestPlacementChanges(t *testing.T) {
	prior := cloneInput(validInput())
	prior.Network.Type = NetworkTypeDualStack
	t.Run("network type replaces", func(t *testing.T) {
		planned := cloneInput(prior)
		planned.Network.Type = NetworkTypeIPv4
		a := Assess(prior, planned)
		if !a.RequiresReplace() || a.Replace[0].Attribute != AttrNetworkType || !strings.Contains(a.Replace[0].Why, "dual_stack to ipv4") {
			t.Fatalf("replace = %+v, want network.type from dual_stack to ipv4", a.Replace)
		}
	})
	t.Run("the others change in place with warnings", func(t *testing.T) {
		planned := cloneInput(prior)
		planned.Network.IPDiscovery = NetworkTypeIPv6
		planned.Network.AdditionalSecurityGroupIDs = []string{"sg-0a"}
		planned.Provisioned.PreferredAZs = []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}
		planned.Provisioned.AutoMinorVersionUpgrade = !prior.Provisioned.AutoMinorVersionUpgrade
		a := Assess(prior, planned)
		if a.RequiresReplace() {
			t.Fatalf("replace = %+v, want none", a.Replace)
		}
		var got []Attr
		for _, w := range a.Warnings {
			got = append(got, w.Attribute)
		}
		want := []Attr{AttrNetworkIPDiscovery, AttrNetworkAdditionalSecurityGroupIDs, AttrProvisionedPreferredAZs}
		if !slices.Equal(got, want) {
			t.Fatalf("warnings on %v, want %v (auto_minor_version_upgrade silently)", got, want)
		}
	})
}

func TestPlacementOf(t *testing.T) {
	in := cloneInput(validInput())
	in.Network.AdditionalSecurityGroupIDs = []string{"sg-b", "sg-a"}
	in.Network.Type = NetworkTypeIPv6
	in.Provisioned.AutoMinorVersionUpgrade = true
	pl := placementOf(in)
	if !slices.Equal(pl.AdditionalSecurityGroupIDs, []string{"sg-a", "sg-b"}) || pl.IPDiscovery != NetworkTypeIPv6 || !pl.AutoMinorVersionUpgrade {
		t.Fatalf("placement = %+v", pl)
	}
	in.Mode = ModeServerless
	if pl := placementOf(in); pl.IPDiscovery != "" || pl.AutoMinorVersionUpgrade || pl.NetworkType != NetworkTypeIPv6 {
		t.Fatalf("serverless placement = %+v, want the network type only", pl)
	}
	if got := SecurityGroupIDs("sg-own", []string{"sg-z", "sg-a"}); !slices.Equal(got, []string{"sg-a", "sg-own", "sg-z"}) {
		t.Fatalf("SecurityGroupIDs = %v", got)
	}
}
