package stack_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

const addr = "elasticache_stack.test"

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

func stringChecks(values ...string) []knownvalue.Check {
	out := make([]knownvalue.Check, len(values))
	for i, v := range values {
		out[i] = knownvalue.StringExact(v)
	}
	return out
}

// stackCase is the TestCase of an acceptance test here: the emulator pre-check, the provider
// served in-process, steps, and checkDestroy (what must be gone from AWS afterwards).
func stackCase(t *testing.T, checkDestroy resource.TestCheckFunc, steps []resource.TestStep) resource.TestCase {
	return resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkDestroy,
		Steps:                    steps,
	}
}

// checkDestroyed asserts, through the AWS API and not the state, that nothing of the stack is left.
func checkDestroyed(t *testing.T, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c := clients(t)
		ctx := context.Background()
		_, err := c.ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
		var rgNotFound *ectypes.ReplicationGroupNotFoundFault
		if !errorsAs(err, &rgNotFound) {
			return fmt.Errorf("replication group %s still exists (err=%v)", name, err)
		}
		_, err = c.ec.DescribeCacheSubnetGroups(ctx, &elasticache.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: aws.String(name)})
		var snNotFound *ectypes.CacheSubnetGroupNotFoundFault
		if !errorsAs(err, &snNotFound) {
			return fmt.Errorf("subnet group %s still exists (err=%v)", name, err)
		}
		_, err = c.ec.DescribeCacheParameters(ctx, &elasticache.DescribeCacheParametersInput{CacheParameterGroupName: aws.String(name)})
		var pgNotFound *ectypes.CacheParameterGroupNotFoundFault
		if !errorsAs(err, &pgNotFound) {
			return fmt.Errorf("parameter group %s still exists (err=%v)", name, err)
		}
		sgs, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{{Name: aws.String("group-name"), Values: []string{"elasticache-" + name}}}})
		if err != nil {
			return err
		}
		if len(sgs.SecurityGroups) > 0 {
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
		sgs, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{{Name: aws.String("group-name"), Values: []string{"elasticache-" + name}}}})
		if err != nil || len(sgs.SecurityGroups) != 1 {
			return fmt.Errorf("security group: %v %d", err, len(sgs.SecurityGroups))
		}
		sg := sgs.SecurityGroups[0]
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

// removedBlock drops the stack from state and leaves it in AWS (Terraform >= 1.7).
const removedBlock = `
removed {
  from = elasticache_stack.test
  lifecycle {
    destroy = false
  }
}
`

func TestAccStack_basic(t *testing.T) {
	name := acctest.RandomName("acc-basic")
	cfg := quickstart(name)
	app := acctest.Network(t).AppGroupID
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{
			Config: cfg.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("member_clusters"), knownvalue.ListExact(stringChecks(name+"-001", name+"-002", name+"-003"))),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("subnet_group_name"), knownvalue.StringExact(name)),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("engine_version"), knownvalue.StringExact("8.0")),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("security_group_rules"), knownvalue.ListExact(stringChecks("ingress tcp/6379 from "+app))),
				plancheck.ExpectUnknownValue(addr, tfjsonpath.New("primary_endpoint")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(name)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("primary_endpoint"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("reader_endpoint"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("port"), knownvalue.Int64Exact(6379)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("cluster_mode_enabled"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("security_group_rules"), knownvalue.ListExact(stringChecks("ingress tcp/6379 from "+app))),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("provisioned").AtMapKey("eviction_policy"), knownvalue.StringExact("volatile-lru")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("tags_all"), knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("ai-platform")})),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("vpc_id"), knownvalue.StringExact(acctest.Network(t).VpcID)),
			},
			Check: checkSecureDefaults(t, name, "volatile-lru"),
		},
		{
			ResourceName:                         addr,
			ImportState:                          true,
			ImportStateId:                        name,
			ImportStateVerify:                    true,
			ImportStateVerifyIdentifierAttribute: "name",
			ImportStateVerifyIgnore:              []string{"timeouts"},
		},
		{
			// Forget the stack without destroying it, as if it had been built elsewhere...
			Config: removedBlock,
		},
		{
			// ...then import it by name and keep the imported state...
			Config:             cfg.HCL(t),
			ResourceName:       addr,
			ImportState:        true,
			ImportStateId:      name,
			ImportStatePersist: true,
		},
		{
			Config: cfg.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
			}},
		},
	}))
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
	update := func(extra ...plancheck.PlanCheck) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{PreApply: append([]plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}, extra...)}
	}
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: base.HCL(t)},
		{
			Config:           bigger.HCL(t),
			ConfigPlanChecks: update(),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("provisioned").AtMapKey("node_type"), knownvalue.StringExact("cache.r7g.xlarge")),
			},
		},
		{
			Config: oneReplica.HCL(t),
			// Which replica goes depends on the primary at apply time (a failover moves it).
			ConfigPlanChecks: update(plancheck.ExpectUnknownValue(addr, tfjsonpath.New("member_clusters"))),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("member_clusters"), knownvalue.ListSizeExact(2)),
			},
		},
		{
			Config:           threeReplicas.HCL(t),
			ConfigPlanChecks: update(),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("member_clusters"), knownvalue.ListSizeExact(4)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("provisioned").AtMapKey("replicas_per_shard"), knownvalue.Int64Exact(3)),
			},
		},
		{
			Config:           twoShards.HCL(t),
			ConfigPlanChecks: update(plancheck.ExpectKnownValue(addr, tfjsonpath.New("cluster_mode_enabled"), knownvalue.Bool(true))),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("member_clusters"), knownvalue.ListSizeExact(8)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("configuration_endpoint"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("provisioned").AtMapKey("shards"), knownvalue.Int64Exact(2)),
			},
		},
		{Config: twoShards.HCL(t), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
	}))
}

func TestAccStack_replaceOnPortChange(t *testing.T) {
	name := acctest.RandomName("acc-replace")
	base := quickstart(name)
	moved := base
	moved.Port = 6380
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: base.HCL(t)},
		{
			Config: moved.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("port"), knownvalue.Int64Exact(6380)),
			},
		},
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
				c := clients(t)
				ctx := context.Background()
				sgs, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{{Name: aws.String("group-name"), Values: []string{"elasticache-" + name}}}})
				if err != nil || len(sgs.SecurityGroups) != 1 {
					t.Fatalf("find security group: %v", err)
				}
				_, err = c.ec2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{
					GroupId: sgs.SecurityGroups[0].GroupId,
					IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
						IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}},
				})
				if err != nil {
					t.Fatalf("add rule out of band: %v", err)
				}
				_, err = c.ec.ModifyCacheParameterGroup(ctx, &elasticache.ModifyCacheParameterGroupInput{
					CacheParameterGroupName: aws.String(name),
					ParameterNameValues:     []ectypes.ParameterNameValue{{ParameterName: aws.String("timeout"), ParameterValue: aws.String("0")}},
				})
				if err != nil {
					t.Fatalf("change parameter out of band: %v", err)
				}
			},
			Config: cfg.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("security_group_rules"), knownvalue.ListExact(stringChecks("ingress tcp/6379 from "+app))),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("provisioned").AtMapKey("parameters").AtMapKey("timeout"), knownvalue.StringExact("300")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("security_group_rules"), knownvalue.ListExact(stringChecks("ingress tcp/6379 from "+app))),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("provisioned").AtMapKey("parameters").AtMapKey("timeout"), knownvalue.StringExact("300")),
			},
			Check: checkSecureDefaults(t, name, "volatile-lru"),
		},
		{Config: cfg.HCL(t), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
	}))
}

func TestAccStack_disappears(t *testing.T) {
	name := acctest.RandomName("acc-disappears")
	cfg := quickstart(name)
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{
			Config: cfg.HCL(t),
			Check: func(*terraform.State) error {
				c := clients(t)
				ctx := context.Background()
				if _, err := c.ec.DeleteReplicationGroup(ctx, &elasticache.DeleteReplicationGroupInput{ReplicationGroupId: aws.String(name)}); err != nil {
					return err
				}
				return elasticache.NewReplicationGroupDeletedWaiter(c.ec).Wait(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)}, 120e9)
			},
			ExpectNonEmptyPlan: true,
		},
		{
			// The next apply recreates the cache and adopts the components that remained.
			Config: cfg.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
			}},
			Check: checkSecureDefaults(t, name, "volatile-lru"),
		},
	}))
}

func TestAccStack_invalidConfigurationsCreateNothing(t *testing.T) {
	n := "acc-invalid"
	cases := []struct {
		name   string
		cfg    stackConfig
		expect string
	}{
		{"name uppercase", stackConfig{Name: "Bad-Name", Replicas: 1}, `must start with a lowercase letter`},
		{"world-open CIDR", stackConfig{Name: n, Replicas: 1, CIDRs: []string{"0.0.0.0/0"}}, `admits every address`},
		{"unknown node type", stackConfig{Name: n, Replicas: 1, NodeType: "cache.z9.huge"}, `Unknown node type`},
		{"too many replicas", stackConfig{Name: n, Replicas: 6}, `replicas_per_shard`},
		{"managed parameter", stackConfig{Name: n, Replicas: 1, Parameters: map[string]string{"maxmemory-policy": "allkeys-lru"}}, `set by the stack from provisioned.eviction_policy`},
		{"AUTH with RBAC", stackConfig{Name: n, Replicas: 1, Security: `auth_token_wo = "Str0ngTokenValue-1234"
    auth_token_wo_version = 1
    user_group_id = "ug-1"`}, `either auth_token_wo`},
		{"weak token", stackConfig{Name: n, Replicas: 1, Security: `auth_token_wo = "aaaaaaaaaaaaaaaaaaaa"
    auth_token_wo_version = 1`}, `Weak AUTH token`},
		{"unsupported version", stackConfig{Name: n, Replicas: 1, ExtraTop: "  engine_version = \"6.2\"\n"}, `valid choices: 7.2, 8.0, 8.1`},
		// Known to the provider, but the region (here the emulator) does not offer it.
		{"version not offered", stackConfig{Name: n, Replicas: 1, Engine: "redis", ExtraTop: "  engine_version = \"6.0\"\n"}, `redis 6.0 is not offered by ElastiCache in us-east-1; offered versions: 6.2`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		if c.expect == "" {
			continue
		}
		steps = append(steps, resource.TestStep{Config: c.cfg.HCL(t), PlanOnly: true, ExpectError: flexible(c.expect)})
	}
	refusedAtPlan(t, steps)
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
		CheckDestroy: func(s *terraform.State) error {
			c := clients(t)
			_, _ = c.ec.DeleteSnapshot(context.Background(), &elasticache.DeleteSnapshotInput{SnapshotName: aws.String(name + "-last")})
			return checkDestroyed(t, name)(s)
		},
		Steps: []resource.TestStep{
			{Config: base.HCL(t)},
			{
				Config:           changed.HCL(t),
				ConfigPlanChecks: expectUpdate(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("provisioned").AtMapKey("apply_immediately"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("provisioned").AtMapKey("final_snapshot_name"), knownvalue.StringExact(name+"-last")),
				},
			},
			{Config: changed.HCL(t), ConfigPlanChecks: expectEmpty()},
		},
	})
}
