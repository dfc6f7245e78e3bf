package stack_test

// Placement and upgrade knobs (issue 17 §4): additional security groups, network type and IP
// discovery, preferred Availability Zones, automatic minor version upgrades.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// TestAccStackPlacement_additionalSecurityGroups: a platform group is attached next to the
// stack's own (rules untouched), its removal outside Terraform is drift that apply repairs,
// import recovers it, and auto_minor_version_upgrade changes in place.
func TestAccStackPlacement_additionalSecurityGroups(t *testing.T) {
	name := acctest.RandomName("acc-extra-sg")
	platform := platformGroup(t, acctest.Network(t).VpcID)
	attached := stackConfig{Name: name, Replicas: 1, Network: fmt.Sprintf("    additional_security_group_ids = [%q]\n", platform),
		Provisioned: "    replicas_per_shard = 1\n    auto_minor_version_upgrade = false"}
	detached := attached
	detached.Network, detached.Provisioned = "", "    replicas_per_shard = 1"
	ownAndPlatform := func() error {
		groups := memberGroups(t, name)
		if len(groups) != 2 || !slices.Contains(groups, platform) {
			return fmt.Errorf("member security groups %v, want the stack's own and %s", groups, platform)
		}
		return checkPlatformGroupUntouched(t, platform)
	}
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{
			Config: attached.HCL(t),
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(addr, "network.additional_security_group_ids.#", "1"),
				resource.TestCheckTypeSetElemAttr(addr, "network.additional_security_group_ids.*", platform),
				resource.TestCheckResourceAttr(addr, "provisioned.auto_minor_version_upgrade", "false"),
				checkAll(ownAndPlatform, func() error {
					if autoMinorUpgrade(t, name) {
						return fmt.Errorf("AutoMinorVersionUpgrade is on, want off")
					}
					return nil
				})),
		},
		{
			// Someone detaches the platform group: the plan puts it back.
			PreConfig:        func() { detachGroup(t, name, platform) },
			Config:           attached.HCL(t),
			ConfigPlanChecks: expectUpdate(),
			Check:            resource.ComposeTestCheckFunc(resource.TestCheckTypeSetElemAttr(addr, "network.additional_security_group_ids.*", platform), checkAll(ownAndPlatform)),
		},
		{ResourceName: addr, ImportState: true, ImportStateId: name, ImportStateVerify: true, ImportStateVerifyIdentifierAttribute: "name", ImportStateVerifyIgnore: []string{"timeouts"}},
		{
			Config:           detached.HCL(t),
			ConfigPlanChecks: expectUpdate(),
			Check: checkAll(func() error {
				if groups := memberGroups(t, name); len(groups) != 1 || groups[0] == platform {
					return fmt.Errorf("member security groups %v, want the stack's own only", groups)
				}
				if !autoMinorUpgrade(t, name) {
					return fmt.Errorf("AutoMinorVersionUpgrade is off, want AWS's default (on)")
				}
				return checkPlatformGroupUntouched(t, platform)
			}),
		},
		{Config: detached.HCL(t), ConfigPlanChecks: expectEmpty()},
	}))
}

// TestAccStackPlacement_availabilityZones: the zones go to AWS per node (primary first), per
// shard in cluster mode; a later change moves no node and is an in-place update with a warning;
// replicas added later go to the zones the list gives them.
func TestAccStackPlacement_availabilityZones(t *testing.T) {
	azs := acctest.Network(t).AZs
	if len(azs) < 2 {
		t.Skip("needs subnets in two zones")
	}
	for _, shards := range []int{1, 2} {
		t.Run(fmt.Sprintf("shards=%d", shards), func(t *testing.T) {
			name := acctest.RandomName("acc-azs")
			zones := func(replicas int, z ...string) stackConfig {
				return stackConfig{Name: name, Provisioned: fmt.Sprintf("    shards = %d\n    replicas_per_shard = %d\n    preferred_availability_zones = %s", shards, replicas, acctest.HCLList(z))}
			}
			placed, moved, grown := zones(1, azs[1], azs[0]), zones(1, azs[0], azs[1]), zones(2, azs[0], azs[1], azs[1])
			// By member number within its shard: the primary (001) and the replicas.
			want := func(bySuffix map[string]string) func() error {
				return func() error {
					for member, zone := range memberZones(t, name) {
						if expected := bySuffix[member[len(member)-3:]]; zone != expected {
							return fmt.Errorf("member %s in %s, want %s", member, zone, expected)
						}
					}
					return nil
				}
			}
			first := map[string]string{"001": azs[1], "002": azs[0]}
			resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
				{Config: placed.HCL(t), Check: checkAll(want(first))},
				{Config: moved.HCL(t), ConfigPlanChecks: expectUpdate(), Check: checkAll(want(first))},
				{Config: grown.HCL(t), ConfigPlanChecks: expectUpdate(), Check: checkAll(want(map[string]string{"001": azs[1], "002": azs[0], "003": azs[1]}))},
				{Config: grown.HCL(t), ConfigPlanChecks: expectEmpty()},
			}))
		})
	}
}

// TestAccStackPlacement_dualStack: a dual-stack cache in dual-stack subnets; IP discovery
// changes in place; the network type replaces the stack.
func TestAccStackPlacement_dualStack(t *testing.T) {
	name := acctest.RandomName("acc-dual")
	c := clients(t).ec2
	dual, err := emulator.PrepareDualStackNetwork(context.Background(), c, 100+rand.IntN(150))
	t.Cleanup(func() { _ = dual.Delete(context.Background(), c) })
	if err != nil {
		t.Fatal(err)
	}
	app := platformGroup(t, dual.VpcID)
	cfg := func(network string) stackConfig {
		return stackConfig{Name: name, Replicas: 1, SubnetIDs: dual.SubnetIDs, AppGroupID: app, Network: network}
	}
	dualStack := cfg("    type = \"dual_stack\"\n")
	discoverV6 := cfg("    type = \"dual_stack\"\n    ip_discovery = \"ipv6\"\n")
	ipv4 := cfg("")
	network := func(ty, discovery string) func() error {
		return func() error {
			if gotType, gotDiscovery := rgNetwork(t, name); gotType != ty || gotDiscovery != discovery {
				return fmt.Errorf("network %s / discovery %s, want %s / %s", gotType, gotDiscovery, ty, discovery)
			}
			return nil
		}
	}
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{
			Config: dualStack.HCL(t),
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(addr, "network.type", "dual_stack"),
				resource.TestCheckNoResourceAttr(addr, "network.ip_discovery"),
				checkAll(network("dual_stack", "ipv4"))),
		},
		{Config: discoverV6.HCL(t), ConfigPlanChecks: expectUpdate(), Check: checkAll(network("dual_stack", "ipv6"))},
		{ResourceName: addr, ImportState: true, ImportStateId: name, ImportStateVerify: true, ImportStateVerifyIdentifierAttribute: "name", ImportStateVerifyIgnore: []string{"timeouts"}},
		{
			Config:           ipv4.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)}},
			Check:            checkAll(network("ipv4", "ipv4")),
		},
	}))
}

// TestAccStackPlacement_refusedAtPlan: invalid placement fails at plan, naming the attribute
// and the valid choices, with no mutating call.
func TestAccStackPlacement_refusedAtPlan(t *testing.T) {
	n := acctest.Network(t)
	name := acctest.RandomName("acc-place-bad")
	with := func(c stackConfig, mutate func(*stackConfig)) stackConfig { mutate(&c); return c }
	base := stackConfig{Name: name, Replicas: 1}
	cases := []struct {
		cfg    stackConfig
		expect string
	}{
		{with(base, func(c *stackConfig) { c.Network = "    type = \"dual_stack\"\n" }), `network.subnet_ids: network.type = "dual_stack" needs every subnet to have both an IPv4 and an IPv6 CIDR block`},
		{with(base, func(c *stackConfig) { c.Network, c.NodeType = "    type = \"dual_stack\"\n", "cache.t2.micro" }), `IPv6 needs a Nitro node type`},
		{with(base, func(c *stackConfig) {
			c.Network, c.Engine, c.ExtraTop = "    type = \"ipv6\"\n", "redis", "  engine_version = \"6.0\"\n"
		}), `IPv6 needs a newer engine`},
		{with(base, func(c *stackConfig) { c.Network = "    ip_discovery = \"ipv6\"\n" }), `Attribute network.ip_discovery: ip_discovery = "ipv6" advertises`},
		{with(base, func(c *stackConfig) {
			c.Provisioned = fmt.Sprintf("    replicas_per_shard = 1\n    preferred_availability_zones = [%q, \"no-such-zone-9z\"]", n.AZs[0])
		}), `"no-such-zone-9z" is not a zone of network.subnet_ids; .* Valid choices: ` + n.AZs[0]},
		{with(base, func(c *stackConfig) {
			c.Provisioned = fmt.Sprintf("    replicas_per_shard = 1\n    preferred_availability_zones = [%q]", n.AZs[0])
		}), `preferred_availability_zones lists 1 zones; AWS needs one zone per node of a shard`},
		{with(base, func(c *stackConfig) { c.Network = "    additional_security_group_ids = [\"sg-0000000000000dead\"]\n" }), `sg-0000000000000dead does not exist`},
		{with(base, func(c *stackConfig) {
			c.Mode, c.Provisioned, c.Network = "serverless", "-", "    ip_discovery = \"ipv4\"\n"
		}), `a serverless cache has no IP discovery setting`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: c.cfg.HCL(t), PlanOnly: true, ExpectError: flexible(c.expect)})
	}
	refusedAtPlan(t, steps)
}

// TestAccStackPlacement_memcachedAndServerless: the placement knobs of the other kinds. A
// Memcached cluster takes the zones per node, the platform group and the minor-upgrade switch;
// a serverless cache the platform group, repaired after it is detached.
func TestAccStackPlacement_memcachedAndServerless(t *testing.T) {
	n := acctest.Network(t)
	platform := platformGroup(t, n.VpcID)
	extra := fmt.Sprintf("    additional_security_group_ids = [%q]\n", platform)
	t.Run("memcached", func(t *testing.T) {
		name := acctest.RandomName("acc-mc-place")
		nodes := func(z ...string) stackConfig {
			return stackConfig{Name: name, Engine: "memcached", Network: extra, Provisioned: fmt.Sprintf(
				"    node_type = \"cache.m7g.large\"\n    num_nodes = %d\n    auto_minor_version_upgrade = false\n    preferred_availability_zones = %s", len(z), acctest.HCLList(z))}
		}
		placedIn := func(want ...string) func() error {
			return func() error {
				groups, zones, autoMinor := memcachedPlacement(t, name)
				if len(groups) != 2 || !slices.Contains(groups, platform) || autoMinor || !slices.Equal(zones, want) {
					return fmt.Errorf("groups %v, zones %v, auto minor upgrade %v; want the platform group beside the own one, nodes in %v, off", groups, zones, autoMinor, want)
				}
				return checkPlatformGroupUntouched(t, platform)
			}
		}
		resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
			{Config: nodes(n.AZs[1], n.AZs[1], n.AZs[0]).HCL(t), Check: checkAll(placedIn(n.AZs[1], n.AZs[1], n.AZs[0]))},
			// A node added later goes to the zone the list gives it.
			{Config: nodes(n.AZs[1], n.AZs[1], n.AZs[0], n.AZs[1]).HCL(t), ConfigPlanChecks: expectUpdate(), Check: checkAll(placedIn(n.AZs[1], n.AZs[1], n.AZs[0], n.AZs[1]))},
			{ResourceName: addr, ImportState: true, ImportStateId: name, ImportStateVerify: true, ImportStateVerifyIdentifierAttribute: "name",
				ImportStateVerifyIgnore: []string{"timeouts", "provisioned.preferred_availability_zones"}},
		}))
	})
	t.Run("serverless", func(t *testing.T) {
		name := acctest.RandomName("acc-sl-place")
		cfg := stackConfig{Name: name, Mode: "serverless", Network: extra}
		attached := func() error {
			if groups := serverlessGroups(t, name); len(groups) != 2 || !slices.Contains(groups, platform) {
				return fmt.Errorf("serverless cache groups %v, want the stack's own and %s", groups, platform)
			}
			return nil
		}
		resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
			{Config: cfg.HCL(t), Check: checkAll(attached)},
			{PreConfig: func() { detachServerlessGroup(t, name, platform) }, Config: cfg.HCL(t), ConfigPlanChecks: expectUpdate(), Check: checkAll(attached)},
			{Config: cfg.HCL(t), ConfigPlanChecks: expectEmpty()},
		}))
	})
}
