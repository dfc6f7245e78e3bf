package stack_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// datastoreMembers reads the datastore through the API: its members as region -> group
// and role; found is false when it does not exist.
func datastoreMembers(t *testing.T, id string) (members map[string]string, found bool, err error) {
	out, err := ecIn(t, "us-east-1").DescribeGlobalReplicationGroups(context.Background(), &elasticache.DescribeGlobalReplicationGroupsInput{
		GlobalReplicationGroupId: aws.String(id), ShowMemberInfo: aws.Bool(true),
	})
	var notFound *ectypes.GlobalReplicationGroupNotFoundFault
	if errors.As(err, &notFound) {
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
