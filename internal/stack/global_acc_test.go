package stack_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
	"github.com/cachestack/terraform-provider-elasticache/internal/provider"
)

// The global datastore tests run two provider configurations against one endpoint: the
// default region and drRegion, each with its own state in the emulator (SigV4 scope).
//
// Users write the second one as an alias (provider "elasticache" { alias = "dr" }), and
// Terraform runs one provider process per configuration. terraform-plugin-testing serves an
// in-process provider to every configuration of its name through one server, where the last
// ConfigureProvider wins; so the tests give the second configuration its own name (drProvider,
// served by its own factory) and point the secondary at it with the provider meta-argument.
const drProvider = "elasticachedr"

var globalFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"elasticache": acctest.ProviderFactories["elasticache"],
	drProvider:    providerserver.NewProtocol6WithError(provider.New("test")()),
}

const (
	drRegion  = "us-west-2"
	primary   = "elasticache_stack.primary"
	secondary = "elasticache_stack.secondary"
)

// globalConfig is a primary stack in the default region and a secondary in drRegion (either
// may be left out); join is the secondary's global.join expression, extra goes in its body.
type globalConfig struct {
	name                   string
	primary, secondary     bool
	primaryExtra, join     string
	secondaryExtra         string
	primaryVersion         string
	primaryShards          int
	secondaryGlobalOptions string
	// primaryStandalone leaves global out of the primary (no datastore); secondaryLeft leaves
	// it out of the secondary (a group that left its datastore).
	primaryStandalone, secondaryLeft bool
}

func (g globalConfig) HCL(t *testing.T) string {
	n, dr := acctest.Network(t), acctest.NetworkIn(t, drRegion)
	var b strings.Builder
	fmt.Fprintf(&b, "provider \"elasticache\" {}\nprovider %q {\n  region = %q\n}\n", drProvider, drRegion)
	if g.primary {
		version := ""
		if g.primaryVersion != "" {
			version = fmt.Sprintf("  engine_version = %q\n", g.primaryVersion)
		}
		global := "  global = { role = \"primary\" }\n"
		if g.primaryStandalone {
			global = ""
		}
		fmt.Fprintf(&b, `resource "elasticache_stack" "primary" {
  name   = %q
%s%s  network = { subnet_ids = %s, allowed_security_group_ids = [%q] }
  provisioned = { node_type = "cache.r7g.large", replicas_per_shard = 1, shards = %d }
%s}
`, g.name, version, global, acctest.HCLList(n.SubnetIDs), n.AppGroupID, max(g.primaryShards, 1), g.primaryExtra)
	}
	if g.secondary {
		join := g.join
		if join == "" {
			join = "elasticache_stack.primary.global_datastore_id"
		}
		global := fmt.Sprintf("  global   = { join = %s%s }\n", join, g.secondaryGlobalOptions)
		if g.secondaryLeft {
			global = ""
		}
		fmt.Fprintf(&b, `resource "elasticache_stack" "secondary" {
  provider = %s
  name     = %q
%s  network  = { subnet_ids = %s, allowed_security_group_ids = [%q] }
  provisioned = {
    replicas_per_shard = 1
%s  }
}
`, drProvider, g.name, global, acctest.HCLList(dr.SubnetIDs), dr.AppGroupID, g.secondaryExtra)
	}
	return b.String()
}

// ecIn is an ElastiCache client of region.
func ecIn(t *testing.T, region string) *elasticache.Client {
	cfg, err := acctest.AWSConfigFromEnv(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Region = region
	return elasticache.NewFromConfig(cfg)
}

// checkGlobalGone asserts through the API that neither region keeps a group or the datastore.
func checkGlobalGone(t *testing.T, name, datastore string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, region := range []string{"us-east-1", drRegion} {
			_, err := ecIn(t, region).DescribeReplicationGroups(context.Background(), &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
			var notFound *ectypes.ReplicationGroupNotFoundFault
			if !errorsAs(err, &notFound) {
				return fmt.Errorf("replication group %s still exists in %s (err=%v)", name, region, err)
			}
		}
		_, err := ecIn(t, "us-east-1").DescribeGlobalReplicationGroups(context.Background(), &elasticache.DescribeGlobalReplicationGroupsInput{GlobalReplicationGroupId: aws.String(datastore)})
		var notFound *ectypes.GlobalReplicationGroupNotFoundFault
		if !errorsAs(err, &notFound) {
			return fmt.Errorf("global datastore %s still exists (err=%v)", datastore, err)
		}
		return checkDestroyed(t, name)(nil)
	}
}

// checkRegions checks a stack's global_regions, in order.
func checkRegions(addr string, regions ...string) resource.TestCheckFunc {
	checks := []resource.TestCheckFunc{resource.TestCheckResourceAttr(addr, "global_regions.#", fmt.Sprint(len(regions)))}
	for i, r := range regions {
		checks = append(checks, resource.TestCheckResourceAttr(addr, fmt.Sprintf("global_regions.%d", i), r))
	}
	return resource.ComposeTestCheckFunc(checks...)
}

// hasAlarmOn checks that a stack has an alarm on the metric (its alarm_definitions).
func hasAlarmOn(addr, metric string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		for k, v := range rs.Primary.Attributes {
			if strings.HasPrefix(k, "alarm_definitions.") && strings.HasPrefix(v, metric+" ") {
				return nil
			}
		}
		return fmt.Errorf("%s has no alarm on %s", addr, metric)
	}
}

// TestAccStackGlobal_lifecycle: a primary and a secondary in two regions (two provider
// configurations, one emulator); an empty second plan on both; import of both; a secondary
// refusing what it inherits; a version upgrade planned on the primary reaching both regions;
// the primary refusing to be destroyed before its secondary; a failover swapping the roles;
// and destroy in the right order leaving nothing.
// The primary's plan prices the replication of its writes to a secondary region (1,000
// requests/s, a fifth of them 4 KB writes: 2,005 GB a month at $0.02), and nothing without a
// write share. Plan only: the figure is known before anything is created.
func TestAccStackGlobal_crossRegionReplicationCost(t *testing.T) {
	load := func(writes string) string {
		return "  expected_load = { data_gb = 1, requests_per_second = 1000, avg_request_kb = 4" + writes + " }\n"
	}
	replication := tfjsonpath.New("cost").AtMapKey("breakdown").AtMapKey("cross_region_replication")
	step := func(writes string, want float64) resource.TestStep {
		return resource.TestStep{
			Config:   globalConfig{name: acctest.RandomName("acc-gds-cost"), primary: true, primaryExtra: load(writes)}.HCL(t),
			PlanOnly: true, ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(primary, replication, knownvalue.Float64Exact(want)),
			}},
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: globalFactories,
		Steps:                    []resource.TestStep{step(", write_fraction = 0.2", 40.10), step("", 0)},
	})
}

func TestAccStackGlobal_lifecycle(t *testing.T) {
	name := acctest.RandomName("acc-gds")
	datastore := "ldgnf-" + name // us-east-1's prefix (emulator rule global-datastore-id-region-prefix)
	both := globalConfig{name: name, primary: true, secondary: true}
	upgraded := both
	upgraded.primaryVersion = "8.1"
	literal := fmt.Sprintf("%q", datastore)
	tc := stackCase(t, checkGlobalGone(t, name, datastore), nil)
	tc.ProtoV6ProviderFactories = globalFactories
	tc.Steps = []resource.TestStep{
		{
			Config: both.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(secondary, tfjsonpath.New("provisioned").AtMapKey("node_type")),
			}},
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(primary, "global_datastore_id", datastore),
				resource.TestCheckResourceAttr(primary, "global_role", "primary"),
				resource.TestCheckResourceAttr(secondary, "global_datastore_id", datastore),
				resource.TestCheckResourceAttr(secondary, "global_role", "secondary"),
				checkRegions(secondary, "us-east-1", drRegion),
				resource.TestCheckResourceAttr(secondary, "provisioned.node_type", "cache.r7g.large"),
				resource.TestCheckResourceAttr(secondary, "engine", "valkey"),
				resource.TestMatchResourceAttr(secondary, "arn", inOrder("arn:aws:elasticache:"+drRegion+":")),
				hasAlarmOn(secondary, "GlobalDatastoreReplicationLag"),
				checkSecureDefaults(t, name, "volatile-lru"),
			),
		},
		{
			Config:           both.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check:            checkRegions(primary, "us-east-1", drRegion),
		},
		{Config: both.HCL(t), ResourceName: primary, ImportState: true, ImportStateId: name, ImportStateVerify: true,
			ImportStateVerifyIdentifierAttribute: "name", ImportStateVerifyIgnore: []string{"timeouts"}},
		{Config: both.HCL(t), ResourceName: secondary, ImportState: true, ImportStateId: name, ImportStateVerify: true,
			ImportStateVerifyIdentifierAttribute: "name", ImportStateVerifyIgnore: []string{"timeouts"}},
		{
			Config:      globalConfig{name: name, primary: true, secondary: true, secondaryExtra: "    node_type = \"cache.r7g.xlarge\"\n"}.HCL(t),
			ExpectError: inOrder("inherits these settings", "provisioned.node_type"),
		},
		{
			Config: upgraded.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(primary, plancheck.ResourceActionUpdate),
				plancheck.ExpectResourceAction(secondary, plancheck.ResourceActionNoop),
			}},
		},
		{
			RefreshState: true,
			Check:        resource.TestCheckResourceAttr(secondary, "engine_version", "8.1"),
		},
		{
			Config:           upgraded.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
		{
			// Wrong order: the primary goes while its secondary stays.
			Config:      globalConfig{name: name, secondary: true, join: literal}.HCL(t),
			ExpectError: inOrder("primary of a global datastore with secondaries cannot be destroyed", drRegion),
		},
		{
			Config: globalConfig{name: name, primary: true, secondary: true, primaryVersion: "8.1", secondaryGlobalOptions: ", promote = true"}.HCL(t),
			Check:  resource.TestCheckResourceAttr(secondary, "global_role", "primary"),
		},
		{
			RefreshState: true,
			Check:        resource.ComposeTestCheckFunc(resource.TestCheckResourceAttr(primary, "global_role", "secondary"), checkRegions(primary, drRegion, "us-east-1")),
		},
		{
			// Right order after the failover: the old primary, now a secondary, goes first;
			// the test's destroy then removes the new primary with its datastore.
			Config: globalConfig{name: name, secondary: true, join: literal, secondaryGlobalOptions: ", promote = true"}.HCL(t),
		},
	}
	resource.ParallelTest(t, tc)
}

// TestAccStackGlobal_reshardThroughTheDatastore: a shard added on a cluster-mode primary goes
// through the global datastore (IncreaseNodeGroupsInGlobalReplicationGroup) and reaches the
// secondary, which shows the new shard count as the datastore's; its next apply only adds the
// alarms of its new members.
func TestAccStackGlobal_reshardThroughTheDatastore(t *testing.T) {
	name := acctest.RandomName("acc-gds-shards")
	two := globalConfig{name: name, primary: true, secondary: true, primaryShards: 2}
	three := two
	three.primaryShards = 3
	tc := stackCase(t, checkGlobalGone(t, name, "ldgnf-"+name), nil)
	tc.ProtoV6ProviderFactories = globalFactories
	tc.Steps = []resource.TestStep{
		{
			Config: two.HCL(t),
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(secondary, "provisioned.shards", "2"),
				resource.TestCheckResourceAttr(secondary, "cluster_mode_enabled", "true"),
			),
		},
		{
			Config: three.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(primary, plancheck.ResourceActionUpdate),
				plancheck.ExpectResourceAction(secondary, plancheck.ResourceActionNoop),
			}},
			// The secondary's refresh finds a third shard: its alarms for the new members are
			// the change left to apply.
			ExpectNonEmptyPlan: true,
		},
		{
			Config: three.HCL(t),
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(secondary, "provisioned.shards", "3"),
				resource.TestCheckResourceAttr(secondary, "member_clusters.#", "6"),
			),
		},
		{
			Config:           three.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
		{
			Config: globalConfig{name: name, primary: true, primaryShards: 3}.HCL(t),
		},
	}
	resource.ParallelTest(t, tc)
}

// datastoreMembers reads the datastore through the API: its members as region -> group
// and role; found is false when it does not exist.
func datastoreMembers(t *testing.T, id string) (members map[string]string, found bool, err error) {
	out, err := ecIn(t, "us-east-1").DescribeGlobalReplicationGroups(context.Background(), &elasticache.DescribeGlobalReplicationGroupsInput{
		GlobalReplicationGroupId: aws.String(id), ShowMemberInfo: aws.Bool(true),
	})
	var notFound *ectypes.GlobalReplicationGroupNotFoundFault
	if errorsAs(err, &notFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	members = map[string]string{}
	for _, m := range out.GlobalReplicationGroups[0].Members {
		members[aws.ToString(m.ReplicationGroupRegion)] = aws.ToString(m.ReplicationGroupId) + " " + aws.ToString(m.Role)
	}
	return members, true, nil
}

// checkDatastore checks through the API that the datastore has exactly these members
// (region -> "group ROLE"), or that it does not exist when members is nil.
func checkDatastore(t *testing.T, id string, members map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, found, err := datastoreMembers(t, id)
		switch {
		case err != nil:
			return err
		case members == nil && found:
			return fmt.Errorf("global datastore %s still exists with members %v", id, got)
		case members != nil && fmt.Sprint(got) != fmt.Sprint(members):
			return fmt.Errorf("global datastore %s (found=%t) has members %v, want %v", id, found, got, members)
		}
		return nil
	}
}

// checkStandaloneIn checks through the API that the group exists in region and is no member
// of a global datastore.
func checkStandaloneIn(t *testing.T, region, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := ecIn(t, region).DescribeReplicationGroups(context.Background(), &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
		if err != nil {
			return fmt.Errorf("replication group %s in %s: %w", name, region, err)
		}
		if info := out.ReplicationGroups[0].GlobalReplicationGroupInfo; info != nil && aws.ToString(info.GlobalReplicationGroupId) != "" {
			return fmt.Errorf("replication group %s in %s is still a %s of %s", name, region,
				aws.ToString(info.GlobalReplicationGroupMemberRole), aws.ToString(info.GlobalReplicationGroupId))
		}
		return nil
	}
}

// checkFamilyIn checks through the API that the group's first member in region uses a
// parameter group of family.
func checkFamilyIn(t *testing.T, region, name, family string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx, ec := context.Background(), ecIn(t, region)
		rgs, err := ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
		if err != nil {
			return err
		}
		ccs, err := ec.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(rgs.ReplicationGroups[0].MemberClusters[0])})
		if err != nil {
			return err
		}
		cc := ccs.CacheClusters[0]
		pgName := aws.ToString(cc.CacheParameterGroup.CacheParameterGroupName)
		pgs, err := ec.DescribeCacheParameterGroups(ctx, &elasticache.DescribeCacheParameterGroupsInput{CacheParameterGroupName: aws.String(pgName)})
		if err != nil {
			return err
		}
		if got := aws.ToString(pgs.CacheParameterGroups[0].CacheParameterGroupFamily); got != family || aws.ToString(cc.EngineVersion) == "" {
			return fmt.Errorf("%s in %s uses parameter group %s of family %s (engine %s), want family %s", aws.ToString(cc.CacheClusterId), region, pgName, got, aws.ToString(cc.EngineVersion), family)
		}
		return nil
	}
}

func globalCase(t *testing.T, name string, steps []resource.TestStep) resource.TestCase {
	tc := stackCase(t, checkGlobalGone(t, name, "ldgnf-"+name), steps)
	tc.ProtoV6ProviderFactories = globalFactories
	return tc
}

func emptyGlobalPlan(config string) resource.TestStep {
	return resource.TestStep{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}}
}

// TestAccStackGlobal_primaryAddedAndRemoved: global = { role = "primary" } added to a running
// stack creates its datastore in place (CreateGlobalReplicationGroup), and removed again
// while no secondary joined it deletes the datastore (DeleteGlobalReplicationGroup); the
// group stays both times.
func TestAccStackGlobal_primaryAddedAndRemoved(t *testing.T) {
	name := acctest.RandomName("acc-gds-role")
	datastore := "ldgnf-" + name
	alone := globalConfig{name: name, primary: true, primaryStandalone: true}.HCL(t)
	global := globalConfig{name: name, primary: true}.HCL(t)
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(primary, plancheck.ResourceActionUpdate)}}
	resource.ParallelTest(t, globalCase(t, name, []resource.TestStep{
		{Config: alone, Check: resource.ComposeTestCheckFunc(checkStandaloneIn(t, "us-east-1", name), checkDatastore(t, datastore, nil))},
		{
			Config: global, ConfigPlanChecks: update,
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(primary, "global_datastore_id", datastore),
				resource.TestCheckResourceAttr(primary, "global_role", "primary"),
				checkRegions(primary, "us-east-1"),
				checkDatastore(t, datastore, map[string]string{"us-east-1": name + " PRIMARY"}),
			),
		},
		emptyGlobalPlan(global),
		{
			Config: alone, ConfigPlanChecks: update,
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckNoResourceAttr(primary, "global_datastore_id"),
				checkStandaloneIn(t, "us-east-1", name),
				checkDatastore(t, datastore, nil),
			),
		},
		emptyGlobalPlan(alone),
	}))
}

// TestAccStackGlobal_secondaryLeaves: removing join from a secondary is an in-place update
// (blueprint.GlobalReplacements replaces only on a new datastore id): the group leaves the
// datastore (DisassociateGlobalReplicationGroup) and stays in its region as a standalone
// group, the primary keeps its datastore alone, and neither region plans anything after.
func TestAccStackGlobal_secondaryLeaves(t *testing.T) {
	name := acctest.RandomName("acc-gds-leave")
	datastore := "ldgnf-" + name
	left := globalConfig{name: name, primary: true, secondary: true, secondaryLeft: true, secondaryExtra: "    node_type = \"cache.r7g.large\"\n"}.HCL(t)
	resource.ParallelTest(t, globalCase(t, name, []resource.TestStep{
		{
			Config: globalConfig{name: name, primary: true, secondary: true}.HCL(t),
			Check:  checkDatastore(t, datastore, map[string]string{"us-east-1": name + " PRIMARY", drRegion: name + " SECONDARY"}),
		},
		{
			Config: left,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(secondary, plancheck.ResourceActionUpdate),
				plancheck.ExpectResourceAction(primary, plancheck.ResourceActionNoop),
			}},
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckNoResourceAttr(secondary, "global_datastore_id"),
				resource.TestCheckNoResourceAttr(secondary, "global_role"),
				checkStandaloneIn(t, drRegion, name),
				checkDatastore(t, datastore, map[string]string{"us-east-1": name + " PRIMARY"}),
			),
		},
		emptyGlobalPlan(left),
		{RefreshState: true, Check: resource.ComposeTestCheckFunc(checkRegions(primary, "us-east-1"), checkRegions(secondary))},
	}))
}

// TestAccStackGlobal_majorUpgradeThroughTheDatastore: valkey 7.2 -> 8.0 planned on the primary
// goes through the datastore with a parameter group of the new family (valkey8), and reaches
// the secondary, whose members then use a valkey8 group too; nothing is left to plan. The
// primary leaves apply_immediately at false: a datastore takes changes only at once.
func TestAccStackGlobal_majorUpgradeThroughTheDatastore(t *testing.T) {
	name := acctest.RandomName("acc-gds-major")
	old := globalConfig{name: name, primary: true, secondary: true, primaryVersion: "7.2"}
	upgraded := old
	upgraded.primaryVersion = "8.0"
	resource.ParallelTest(t, globalCase(t, name, []resource.TestStep{
		{
			Config: old.HCL(t),
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(secondary, "engine_version", "7.2"),
				checkFamilyIn(t, drRegion, name, "valkey7"),
			),
		},
		{
			Config: upgraded.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(primary, plancheck.ResourceActionUpdate),
				plancheck.ExpectResourceAction(secondary, plancheck.ResourceActionNoop),
				plancheck.ExpectKnownValue(primary, attrPath("parameter_group_name"), value(name+"-valkey8")),
			}},
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(primary, "engine_version", "8.0"),
				resource.TestCheckResourceAttr(primary, "parameter_group_name", name+"-valkey8"),
				checkFamilyIn(t, "us-east-1", name, "valkey8"),
				checkFamilyIn(t, drRegion, name, "valkey8"),
			),
		},
		{RefreshState: true, Check: resource.TestCheckResourceAttr(secondary, "engine_version", "8.0")},
		emptyGlobalPlan(upgraded.HCL(t)),
		// The secondary goes first: the primary of a datastore with members cannot.
		{Config: globalConfig{name: name, primary: true, primaryVersion: "8.0"}.HCL(t)},
	}))
}

// TestAccStackGlobal_primaryAddedWithMajorUpgrade: making a standalone group a primary and
// upgrading it across a major version in the same apply. Once the datastore exists AWS takes
// the version only through it (ModifyGlobalReplicationGroup), with the new family's parameter
// group beside it, so the upgrade must follow the datastore's creation, not the regional path.
func TestAccStackGlobal_primaryAddedWithMajorUpgrade(t *testing.T) {
	name := acctest.RandomName("acc-gds-roleup")
	datastore := "ldgnf-" + name
	alone := globalConfig{name: name, primary: true, primaryStandalone: true, primaryVersion: "7.2"}.HCL(t)
	upgraded := globalConfig{name: name, primary: true, primaryVersion: "8.0"}.HCL(t)
	resource.ParallelTest(t, globalCase(t, name, []resource.TestStep{
		{Config: alone, Check: checkStandaloneIn(t, "us-east-1", name)},
		{
			Config: upgraded,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(primary, plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue(primary, tfjsonpath.New("parameter_group_name"), knownvalue.StringExact(name+"-valkey8")),
			}},
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(primary, "engine_version", "8.0"),
				resource.TestCheckResourceAttr(primary, "parameter_group_name", name+"-valkey8"),
				resource.TestCheckResourceAttr(primary, "global_role", "primary"),
				checkDatastore(t, datastore, map[string]string{"us-east-1": name + " PRIMARY"}),
				checkFamilyIn(t, "us-east-1", name, "valkey8"),
				checkAll(func() error {
					if parameterGroupExists(t, name) {
						return fmt.Errorf("the old parameter group %s (family valkey7) is still there after the upgrade", name)
					}
					return nil
				}),
			),
		},
		emptyGlobalPlan(upgraded),
	}))
}
