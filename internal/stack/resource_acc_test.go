package stack_test

import (
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

func TestAccStack_basic(t *testing.T) {
	name := acctest.RandomName("acc-basic")
	cfg := quickstart(name)
	app := acctest.Network(t).AppGroupID
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), slices.Concat([]resource.TestStep{
		{
			Config: cfg.HCL(t),
			ConfigPlanChecks: expectCreate(
				inPlan("member_clusters", []string{name + "-001", name + "-002", name + "-003"}),
				inPlan("subnet_group_name", name),
				inPlan("engine_version", "8.0"),
				inPlan("security_group_rules", []string{"ingress tcp/6379 from " + app}),
				unknownInPlan("primary_endpoint"),
			),
			ConfigStateChecks: stateChecks{
				inState("id", name),
				inState("primary_endpoint", notNull),
				inState("reader_endpoint", notNull),
				inState("port", 6379),
				inState("cluster_mode_enabled", false),
				inState("security_group_rules", []string{"ingress tcp/6379 from " + app}),
				inState("provisioned.eviction_policy", "volatile-lru"),
				inState("tags_all", knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("ai-platform")})),
				inState("vpc_id", acctest.Network(t).VpcID),
			},
			Check: checkSecureDefaults(t, name, "volatile-lru"),
		},
	}, importSteps(name, cfg.HCL(t)))))
}

func TestAccStack_inPlaceUpdates(t *testing.T) {
	name := acctest.RandomName("acc-updates")
	base := quickstart(name)
	bigger := base
	bigger.NodeType = "cache.r7g.xlarge"
	oneReplica := bigger
	oneReplica.Replicas = 1
	threeReplicas := bigger
	threeReplicas.Replicas = 3
	twoShards := threeReplicas
	twoShards.Shards = 2
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: base.HCL(t)},
		change(t, bigger, expectUpdate(), inState("provisioned.node_type", "cache.r7g.xlarge")),
		{
			Config: oneReplica.HCL(t),
			// Which replica goes depends on the primary at apply time (a failover moves it).
			ConfigPlanChecks:  expectUpdate(unknownInPlan("member_clusters")),
			ConfigStateChecks: stateChecks{inState("member_clusters", size(2))},
		},
		change(t, threeReplicas, expectUpdate(),
			inState("member_clusters", size(4)),
			inState("provisioned.replicas_per_shard", 3),
		),
		change(t, twoShards, expectUpdate(inPlan("cluster_mode_enabled", true)),
			inState("member_clusters", size(8)),
			inState("configuration_endpoint", notNull),
			inState("provisioned.shards", 2),
		),
		settled(twoShards.HCL(t)),
	}))
}

func TestAccStack_replaceOnPortChange(t *testing.T) {
	name := acctest.RandomName("acc-replace")
	base := quickstart(name)
	moved := base
	moved.Port = 6380
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: base.HCL(t)},
		change(t, moved, expectReplace(), inState("port", 6380)),
	}))
}

func TestAccStack_driftIsRepaired(t *testing.T) {
	name := acctest.RandomName("acc-drift")
	cfg := quickstart(name)
	cfg.Parameters = map[string]string{"timeout": "300"}
	app := acctest.Network(t).AppGroupID
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: cfg.HCL(t)},
		{
			// Someone opens SSH to the world on the cache's group and changes a parameter.
			PreConfig: func() {
				openToWorldOutOfBand(t, name, 22)
				setParameterOutOfBand(t, name, "timeout", "0")
			},
			Config: cfg.HCL(t),
			ConfigPlanChecks: expectUpdate(
				inPlan("security_group_rules", []string{"ingress tcp/6379 from " + app}),
				inPlan("provisioned.parameters.timeout", "300"),
			),
			ConfigStateChecks: stateChecks{
				inState("security_group_rules", []string{"ingress tcp/6379 from " + app}),
				inState("provisioned.parameters.timeout", "300"),
			},
			Check: checkSecureDefaults(t, name, "volatile-lru"),
		},
		settled(cfg.HCL(t)),
	}))
}

func TestAccStack_disappears(t *testing.T) {
	name := acctest.RandomName("acc-disappears")
	cfg := quickstart(name)
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{
			Config:             cfg.HCL(t),
			Check:              checkAll(func() error { return deleteGroupOutOfBand(t, name) }),
			ExpectNonEmptyPlan: true,
		},
		{
			// The next apply recreates the cache and adopts the components that remained.
			Config:           cfg.HCL(t),
			ConfigPlanChecks: expectCreate(),
			Check:            checkSecureDefaults(t, name, "volatile-lru"),
		},
	}))
}

func TestAccStack_invalidConfigurationsCreateNothing(t *testing.T) {
	n := "acc-invalid"
	refusalCases := []refusal{
		// name uppercase
		{stackConfig{Name: "Bad-Name", Replicas: 1}, `must start with a lowercase letter`},
		// world-open CIDR
		{stackConfig{Name: n, Replicas: 1, CIDRs: []string{"0.0.0.0/0"}}, `admits every address`},
		// unknown node type
		{stackConfig{Name: n, Replicas: 1, NodeType: "cache.z9.huge"}, `Unknown node type`},
		// too many replicas
		{stackConfig{Name: n, Replicas: 6}, `replicas_per_shard`},
		// managed parameter
		{stackConfig{Name: n, Replicas: 1, Parameters: map[string]string{"maxmemory-policy": "allkeys-lru"}}, `set by the stack from provisioned.eviction_policy`},
		// AUTH with RBAC
		{stackConfig{Name: n, Replicas: 1, Security: `auth_token_wo = "Str0ngTokenValue-1234"
    auth_token_wo_version = 1
    user_group_id = "ug-1"`}, `either auth_token_wo`},
		// weak token
		{stackConfig{Name: n, Replicas: 1, Security: `auth_token_wo = "aaaaaaaaaaaaaaaaaaaa"
    auth_token_wo_version = 1`}, `Weak AUTH token`},
		// unsupported version
		{stackConfig{Name: n, Replicas: 1, ExtraTop: "  engine_version = \"6.2\"\n"}, `valid choices: 7.2, 8.0, 8.1`},
		// version not offered: known to the provider, but the region (here the emulator) does not offer it
		{stackConfig{Name: n, Replicas: 1, Engine: "redis", ExtraTop: "  engine_version = \"6.0\"\n"}, `redis 6.0 is not offered by ElastiCache in us-east-1; offered versions: 6.2`},
	}
	refusedAtPlan(t, refusals(t, refusalCases))
}

// TestAccStack_finalSnapshotOnDestroy: destroy takes the final snapshot the stack names.
func TestAccStack_finalSnapshotOnDestroy(t *testing.T) {
	name := acctest.RandomName("acc-final-snap")
	cfg := quickstart(name)
	cfg.Provisioned = "    final_snapshot_name = \"" + name + "-last\"\n    replicas_per_shard = 1"
	resource.ParallelTest(t, stackCase(t, resource.ComposeTestCheckFunc(checkDestroyed(t, name), checkFinalSnapshot(t, name+"-last", name)), []resource.TestStep{
		{Config: cfg.HCL(t)},
	}))
}

// TestAccStack_providerOnlySettingsChange: settings AWS cannot report (apply_immediately,
// final_snapshot_name) change in place and are kept as configured.
func TestAccStack_providerOnlySettingsChange(t *testing.T) {
	name := acctest.RandomName("acc-settings")
	base := quickstart(name)
	base.Provisioned = "    replicas_per_shard = 1"
	changed := base
	changed.Provisioned = "    replicas_per_shard = 1\n    apply_immediately = true\n    final_snapshot_name = \"" + name + "-last\""
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(
			checkAll(func() error { deleteSnapshot(t, name+"-last"); return nil }),
			checkDestroyed(t, name),
		),
		Steps: []resource.TestStep{
			{Config: base.HCL(t)},
			change(t, changed, expectUpdate(),
				inState("provisioned.apply_immediately", true),
				inState("provisioned.final_snapshot_name", name+"-last"),
			),
			settled(changed.HCL(t)),
		},
	})
}
