package stack_test

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
	"github.com/cachestack/terraform-provider-elasticache/internal/cost"
)

// countModifyCalls counts an operation in the emulator's request log since the last reset.
func countCalls(t *testing.T, operation string) int {
	t.Helper()
	reqs, err := acctest.Local.Requests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return acctest.CountRequests(reqs, "elasticache", operation)
}

// expectCalls asserts how many times the emulator saw an operation during the step.
func expectCalls(t *testing.T, operation string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if acctest.Local == nil {
			return nil
		}
		if got := countCalls(t, operation); got != want {
			t.Errorf("%s called %d times, want %d", operation, got, want)
		}
		return nil
	}
}

func TestAccStack_serverlessLifecycle(t *testing.T) {
	name := acctest.RandomName("acc-serverless")
	base := stackConfig{Name: name, Mode: "serverless", Engine: "redis"}
	limits := base
	limits.Serverless = "    max_data_storage_gb = 10\n    max_ecpu_per_second = 5000"
	changed := base
	changed.Serverless = "    max_data_storage_gb = 20\n    max_ecpu_per_second = 5000"
	snapshots := changed
	snapshots.Serverless += "\n    daily_snapshot_time = \"05:30\"\n    snapshot_retention_days = 3"
	removed := base
	removed.Serverless = "    daily_snapshot_time = \"05:30\"\n    snapshot_retention_days = 3"
	valkey := removed
	valkey.Engine = "valkey"
	resource.Test(t, stackCase(t, checkDestroyed(t, name), slices.Concat([]resource.TestStep{
		{
			Config: base.HCL(t),
			ConfigPlanChecks: expectCreate(
				inPlan("subnet_group_name", null),
				inPlan("provisioned", null),
			),
			ConfigStateChecks: stateChecks{
				inState("endpoint", notNull),
				inState("reader_endpoint", notNull),
				inState("port", 6379),
				inState("arn", knownvalue.StringRegexp(regexp.MustCompile(`:serverlesscache:`+regexp.QuoteMeta(name)+`$`))),
				// Throttling, read and write latency, hit rate.
				inState("alarm_names", size(4)),
			},
		},
	}, importSteps(name, base.HCL(t)), []resource.TestStep{
		{
			PreConfig:        func() { resetLog(t) },
			Config:           limits.HCL(t),
			ConfigPlanChecks: expectUpdate(),
			ConfigStateChecks: stateChecks{
				inState("serverless.max_ecpu_per_second", 5000),
				// Limits add their own alarms: ECPU and storage at 80 % of the limit.
				inState("alarm_names", size(6)),
			},
			Check: expectCalls(t, "ModifyServerlessCache", 1),
		},
		{
			PreConfig:         func() { resetLog(t) },
			Config:            changed.HCL(t),
			ConfigPlanChecks:  expectUpdate(),
			ConfigStateChecks: stateChecks{inState("serverless.max_data_storage_gb", 20)},
			Check:             expectCalls(t, "ModifyServerlessCache", 1),
		},
		{
			// Two snapshot settings: AWS takes one field per call, so two calls in sequence.
			PreConfig:        func() { resetLog(t) },
			Config:           snapshots.HCL(t),
			ConfigPlanChecks: expectUpdate(),
			ConfigStateChecks: stateChecks{
				inState("serverless.daily_snapshot_time", "05:30"),
				inState("serverless.snapshot_retention_days", 3),
			},
			Check: expectCalls(t, "ModifyServerlessCache", 2),
		},
		{
			PreConfig:        func() { resetLog(t) },
			Config:           removed.HCL(t),
			ConfigPlanChecks: expectUpdate(),
			ConfigStateChecks: stateChecks{
				inState("serverless.max_data_storage_gb", null),
				inState("alarm_names", size(4)),
			},
			Check: expectCalls(t, "ModifyServerlessCache", 1),
		},
		change(t, valkey, expectUpdate(), inState("engine", "valkey")),
		settled(valkey.HCL(t)),
	})))
}

func TestAccStack_memcachedLifecycle(t *testing.T) {
	name := acctest.RandomName("acc-memcached")
	base := stackConfig{Name: name, Engine: "memcached", Provisioned: `    node_type = "cache.m7g.large"`}
	three := base
	three.Provisioned += "\n    num_nodes = 3"
	resource.Test(t, stackCase(t, checkDestroyed(t, name), slices.Concat([]resource.TestStep{
		{
			Config: base.HCL(t),
			ConfigStateChecks: stateChecks{
				inState("port", 11211),
				inState("configuration_endpoint", notNull),
				inState("endpoint", notNull),
				inState("member_clusters", []string{name}),
				inState("engine_version", "1.6"),
				inState("alarm_names", size(4)),
			},
		},
	}, importSteps(name, base.HCL(t)), []resource.TestStep{
		{
			PreConfig:         func() { resetLog(t) },
			Config:            three.HCL(t),
			ConfigPlanChecks:  expectUpdate(),
			ConfigStateChecks: stateChecks{inState("provisioned.num_nodes", 3)},
			Check:             expectCalls(t, "ModifyCacheCluster", 1),
		},
		settled(three.HCL(t)),
	})))
}

func TestAccStack_modeSwitchReplaces(t *testing.T) {
	name := acctest.RandomName("acc-switch")
	nodes := quickstart(name)
	serverless := stackConfig{Name: name, Mode: "serverless", Tags: nodes.Tags}
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: nodes.HCL(t)},
		change(t, serverless, expectReplace(),
			inState("mode", "serverless"),
			inState("parameter_group_name", null),
		),
	}))
}

// requiredProviders makes the CLI install cachestack/elasticache (from the local mirror).
const requiredProviders = `
terraform {
  required_providers {
    elasticache = { source = "cachestack/elasticache" }
  }
}
`

// TestAccStack_planWarnings reads `terraform plan` as a reviewer does and checks the warnings
// name the attribute and the consequence.
func TestAccStack_planWarnings(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	name := acctest.RandomName("acc-warn-mc")
	memcached := stackConfig{Name: name, Engine: "memcached", Provisioned: `    node_type = "cache.m7g.large"`}
	w := acctest.NewWorkdir(t, map[string]string{"main.tf": memcached.HCL(t), "versions.tf": requiredProviders})
	w.Must("apply", "-auto-approve", "-input=false", "-no-color")

	more := memcached
	more.Provisioned += "\n    num_nodes = 3"
	w.WriteFile("main.tf", more.HCL(t))
	out := w.Must("plan", "-input=false", "-no-color")
	for _, want := range []string{"Warning: elasticache_stack \"" + name + "\": Memcached nodes go up from 2 to 3", "cache misses", "will be updated in-place"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
	fewer := memcached
	fewer.Provisioned += "\n    num_nodes = 1"
	w.WriteFile("main.tf", fewer.HCL(t))
	out = w.Must("plan", "-input=false", "-no-color")
	if !strings.Contains(out, "removed nodes' keys are lost") {
		t.Errorf("plan output lacks the key-loss warning:\n%s", out)
	}

	switched := stackConfig{Name: name, Mode: "serverless", Engine: "memcached"}
	w.WriteFile("main.tf", switched.HCL(t))
	out = w.Must("plan", "-input=false", "-no-color")
	for _, want := range []string{"Warning: elasticache_stack \"" + name + "\" will be replaced", "- mode: mode changes from provisioned to serverless", "all cached data is lost", "must be replaced"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
}

func TestAccStack_invalidShapeCombinations(t *testing.T) {
	n := "acc-invalid-shape"
	refusalCases := []refusal{
		{stackConfig{Name: n, Engine: "memcached", Provisioned: "    snapshot_retention_days = 1"}, `Memcached has no snapshots`},
		{stackConfig{Name: n, Engine: "memcached", Provisioned: "    replicas_per_shard = 1"}, `Memcached has no replication`},
		{stackConfig{Name: n, Engine: "memcached", Provisioned: `    node_type = "cache.m7g.large"`, Security: "    auth_token_wo = \"Str0ngTokenValue-1234\"\n    auth_token_wo_version = 1"}, `Memcached has no AUTH`},
		{stackConfig{Name: n, Engine: "memcached", Provisioned: "    num_nodes = 41"}, `1 to 40 nodes`},
		{stackConfig{Name: n, Mode: "serverless", Serverless: "    max_ecpu_per_second = 10"}, `max_ecpu_per_second must be 1,000 to 15,000,000`},
		{stackConfig{Name: n, Mode: "serverless", Serverless: "    max_data_storage_gb = 6000"}, `max_data_storage_gb must be 1 to 5,000`},
		{stackConfig{Name: n, Mode: "serverless", Engine: "memcached", Serverless: "    snapshot_retention_days = 2"}, `serverless Memcached has no snapshots`},
		{stackConfig{Name: n, Mode: "serverless", Provisioned: `    node_type = "cache.r7g.large"`}, `provisioned block applies to mode`},
		{stackConfig{Name: n, Replicas: 1, Serverless: "    max_data_storage_gb = 10"}, `serverless block applies to mode`},
	}
	refusedAtPlan(t, refusals(t, refusalCases))
}

// usageLimitsAre asserts, through the AWS API, the cache's maximums and minimums (0 = none):
// data GB max/min, then ECPU/s max/min.
func usageLimitsAre(t *testing.T, name string, want [4]int32) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := clients(t).ec.DescribeServerlessCaches(context.Background(), &elasticache.DescribeServerlessCachesInput{ServerlessCacheName: aws.String(name)})
		if err != nil {
			return err
		}
		var got [4]int32
		if l := out.ServerlessCaches[0].CacheUsageLimits; l != nil {
			if l.DataStorage != nil {
				got[0], got[1] = aws.ToInt32(l.DataStorage.Maximum), aws.ToInt32(l.DataStorage.Minimum)
			}
			if l.ECPUPerSecond != nil {
				got[2], got[3] = aws.ToInt32(l.ECPUPerSecond.Maximum), aws.ToInt32(l.ECPUPerSecond.Minimum)
			}
		}
		if got != want {
			return fmt.Errorf("usage limits (data max/min, ECPU max/min) = %v, want %v", got, want)
		}
		return nil
	}
}

// Serverless minimums (pre-warming) are set, changed and removed in place, AWS holds exactly
// them, and the plan prices them as a floor.
func TestAccStack_serverlessMinimums(t *testing.T) {
	name := acctest.RandomName("acc-sls-min")
	warm := stackConfig{Name: name, Mode: "serverless", Engine: "valkey",
		Serverless: "    max_ecpu_per_second = 20000\n    min_ecpu_per_second = 5000\n    min_data_storage_gb = 10"}
	warmer := warm
	warmer.Serverless = "    max_ecpu_per_second = 20000\n    min_ecpu_per_second = 8000\n    min_data_storage_gb = 10"
	cold := warm
	cold.Serverless = "    max_ecpu_per_second = 20000"
	var floor float64
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{
			Config: warm.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: planChecks{
				// No load: the cache costs its floor, and no data limit leaves the top open.
				inPlan(monthlyMin, knownvalue.Float64Func(func(v float64) error {
					floor = v
					return nil
				})),
				inPlan(monthlyMax, null),
			}},
			ConfigStateChecks: stateChecks{
				inState("serverless.min_ecpu_per_second", 5000),
				inState("serverless.min_data_storage_gb", 10),
				inState(monthly, knownvalue.Float64Func(func(v float64) error {
					if v != floor || v <= 0 {
						return fmt.Errorf("monthly_usd = %v, want the floor %v", v, floor)
					}
					return nil
				})),
			},
			Check: usageLimitsAre(t, name, [4]int32{0, 10, 20000, 5000}),
		},
		{
			Config: warmer.HCL(t),
			ConfigPlanChecks: expectUpdate(inPlan(monthlyMin, knownvalue.Float64Func(func(v float64) error {
				if v <= floor {
					return fmt.Errorf("a higher ECPU minimum must raise the floor: %v <= %v", v, floor)
				}
				return nil
			}))),
			Check: usageLimitsAre(t, name, [4]int32{0, 10, 20000, 8000}),
		},
		{
			Config:           cold.HCL(t),
			ConfigPlanChecks: expectUpdate(),
			ConfigStateChecks: stateChecks{
				inState("serverless.min_ecpu_per_second", null),
				inState("serverless.min_data_storage_gb", null),
				inState("serverless.max_ecpu_per_second", 20000),
			},
			Check: usageLimitsAre(t, name, [4]int32{0, 0, 20000, 0}),
		},
		settled(cold.HCL(t)),
	}))
}

// scalingTargets reads the group's scalable targets ("<dimension>" -> "min-max") and policies
// ("<dimension>" -> "<metric> <target>") through Application Auto Scaling.
func scalingTargets(t *testing.T, name string) (targets, policies map[string]string) {
	t.Helper()
	cfg, err := acctest.AWSConfigFromEnv(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c, ctx, resource := aas.NewFromConfig(cfg), context.Background(), "replication-group/"+name
	out, err := c.DescribeScalableTargets(ctx, &aas.DescribeScalableTargetsInput{ServiceNamespace: aastypes.ServiceNamespaceElasticache, ResourceIds: []string{resource}})
	if err != nil {
		t.Fatal(err)
	}
	targets, policies = map[string]string{}, map[string]string{}
	for _, s := range out.ScalableTargets {
		targets[string(s.ScalableDimension)] = fmt.Sprintf("%d-%d", aws.ToInt32(s.MinCapacity), aws.ToInt32(s.MaxCapacity))
	}
	ps, err := c.DescribeScalingPolicies(ctx, &aas.DescribeScalingPoliciesInput{ServiceNamespace: aastypes.ServiceNamespaceElasticache, ResourceId: aws.String(resource)})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps.ScalingPolicies {
		cfg := p.TargetTrackingScalingPolicyConfiguration
		policies[string(p.ScalableDimension)] = fmt.Sprintf("%s %v", cfg.PredefinedMetricSpecification.PredefinedMetricType, aws.ToFloat64(cfg.TargetValue))
	}
	return targets, policies
}

func expectScaling(t *testing.T, name string, targets, policies map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		gotTargets, gotPolicies := scalingTargets(t, name)
		if fmt.Sprint(gotTargets) != fmt.Sprint(targets) || fmt.Sprint(gotPolicies) != fmt.Sprint(policies) {
			return fmt.Errorf("scaling targets %v and policies %v, want %v and %v", gotTargets, gotPolicies, targets, policies)
		}
		return nil
	}
}

// setReplicas moves the group to n replicas per shard outside Terraform, as the autoscaler
// does, and waits until it is available again.
func setReplicas(t *testing.T, name string, n int32) {
	t.Helper()
	c, ctx := clients(t).ec, context.Background()
	out, err := c.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	have := int32(len(out.ReplicationGroups[0].NodeGroups[0].NodeGroupMembers) - 1)
	if n > have {
		_, err = c.IncreaseReplicaCount(ctx, &elasticache.IncreaseReplicaCountInput{ReplicationGroupId: aws.String(name), NewReplicaCount: aws.Int32(n), ApplyImmediately: aws.Bool(true)})
	} else {
		_, err = c.DecreaseReplicaCount(ctx, &elasticache.DecreaseReplicaCountInput{ReplicationGroupId: aws.String(name), NewReplicaCount: aws.Int32(n), ApplyImmediately: aws.Bool(true)})
	}
	if err != nil {
		t.Fatal(err)
	}
	waitAvailable(ctx, t, name)
}

// replicasAre asserts, through ElastiCache, the replicas per shard AWS runs.
func replicasAre(t *testing.T, name string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := clients(t).ec.DescribeReplicationGroups(context.Background(), &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
		if err != nil {
			return err
		}
		for _, ng := range out.ReplicationGroups[0].NodeGroups {
			if got := len(ng.NodeGroupMembers) - 1; got != want {
				return fmt.Errorf("node group %s runs %d replicas, want %d", aws.ToString(ng.NodeGroupId), got, want)
			}
		}
		return nil
	}
}

// Autoscaling: the targets and policies are registered with the stack, the plan prices the
// range, a count AWS moves inside the range is not drift (nor undone by an apply of another
// change), one outside it is, and removing the block deregisters them.
func TestAccStack_autoscaling(t *testing.T) {
	name := acctest.RandomName("acc-scale")
	scaled := stackConfig{Name: name, Provisioned: `    node_type = "cache.r7g.large"
    shards = 3
    replicas_per_shard = 1
    autoscaling = {
      replicas = { max = 3, target_cpu_percent = 60 }
      shards   = { min = 2, max = 4, target_memory_percent = 65 }
    }`}
	retagged := scaled
	retagged.Tags = map[string]string{"team": "ai-platform"}
	fixed := retagged
	fixed.Provisioned = "    node_type = \"cache.r7g.large\"\n    shards = 3\n    replicas_per_shard = 1"
	both := map[string]string{"elasticache:replication-group:NodeGroups": "2-4", "elasticache:replication-group:Replicas": "1-3"}
	policies := map[string]string{
		"elasticache:replication-group:NodeGroups": "ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage 65",
		"elasticache:replication-group:Replicas":   "ElastiCacheReplicaEngineCPUUtilization 60",
	}
	// cache.r7g.large Valkey from the catalog: 3 x 2 nodes now, 2 x 2 at the floor, 4 shards x
	// 4 nodes at the ceiling.
	node, err := cost.DefaultCatalog().NodePrice("us-east-1", "valkey", "cache.r7g.large")
	if err != nil {
		t.Fatal(err)
	}
	monthlyFor := func(nodes float64) float64 { return math.Round(nodes*node.USD*cost.HoursPerMonth*100) / 100 }
	noScaling := expectScaling(t, name, map[string]string{}, map[string]string{})
	resource.ParallelTest(t, stackCase(t, func(s *terraform.State) error {
		if err := checkDestroyed(t, name)(s); err != nil {
			return err
		}
		return noScaling(s)
	}, []resource.TestStep{
		{
			Config: scaled.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: planChecks{
				inPlan(monthly, monthlyFor(6)), inPlan(monthlyMin, monthlyFor(4)), inPlan(monthlyMax, monthlyFor(16)),
				// The reservation covers the floor, not the configured 6 nodes.
				inPlan("recommendations.0.summary", knownvalue.StringRegexp(regexp.MustCompile(`^Reserve 4 x cache\.r7g\.large .*the autoscaling floor`))),
			}},
			ConfigStateChecks: stateChecks{
				inState("provisioned.autoscaling.replicas", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"min": null, "max": value(3), "target_cpu_percent": value(60.0),
				})),
			},
			Check: expectScaling(t, name, both, policies),
		},
		// Import recovers the autoscaling block from the targets and policies.
		importVerify(name),
		{
			// AWS scales replicas out inside [1, 3]: no drift.
			PreConfig:         func() { setReplicas(t, name, 2) },
			Config:            scaled.HCL(t),
			ConfigPlanChecks:  expectEmpty(),
			ConfigStateChecks: stateChecks{inState("provisioned.replicas_per_shard", 1)},
		},
		// Another change applies without undoing the autoscaler's count.
		{Config: retagged.HCL(t), ConfigPlanChecks: expectUpdate(), Check: replicasAre(t, name, 2)},
		{
			// Outside the range (4 > 3) is drift: the plan shows it and the apply restores 1.
			PreConfig:        func() { setReplicas(t, name, 4) },
			Config:           retagged.HCL(t),
			ConfigPlanChecks: expectUpdate(inPlan("provisioned.replicas_per_shard", 1)),
			Check:            replicasAre(t, name, 1),
		},
		// Removing the block deregisters the targets (and with them the policies).
		{Config: fixed.HCL(t), ConfigPlanChecks: expectUpdate(), Check: noScaling},
		settled(fixed.HCL(t)),
	}))
}
