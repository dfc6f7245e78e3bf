package stack_test

// AWS's rules, not ours (issue 13, section 2): each test drives a path the documentation
// promises through the emulator's sourced rules (test/emulator/RULES.md) and fails on a provider
// that breaks the rule.

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// Item 1: a major upgrade passes a parameter group of the new family in the same
// ModifyReplicationGroup (rule rg-upgrade-needs-group-of-new-family) and drops the old group
// once unused.
func TestAccStackAWSRules_majorUpgradeImmediate(t *testing.T) {
	name := acctest.RandomName("acc-rules-upgrade")
	base := stackConfig{Name: name, Engine: "valkey", Replicas: 1, ExtraTop: "  engine_version = \"7.2\"\n"}
	base.Provisioned = "    node_type = \"cache.r7g.large\"\n    replicas_per_shard = 1\n    apply_immediately = true"
	upgraded := base
	upgraded.ExtraTop = "  engine_version = \"8.0\"\n"
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: base.HCL(t), ConfigStateChecks: stateChecks{inState("parameter_group_name", name)}},
		{
			Config:           upgraded.HCL(t),
			ConfigPlanChecks: expectUpdate(inPlan("parameter_group_name", name+"-valkey8")),
			ConfigStateChecks: stateChecks{
				inState("engine_version", "8.0"),
				inState("parameter_group_name", name+"-valkey8"),
			},
			Check: checkAll(func() error {
				if parameterGroupExists(t, name) {
					return fmt.Errorf("the old parameter group %s (family valkey7) is still there after the upgrade", name)
				}
				if !parameterGroupExists(t, name+"-valkey8") {
					return fmt.Errorf("parameter group %s-valkey8 does not exist", name)
				}
				return nil
			}),
		},
		settled(upgraded.HCL(t)),
	}))
}

// Item 1, deferred: with apply_immediately = false the version and the new group wait for the
// maintenance window together; the old group stays in use, so it is kept.
func TestAccStackAWSRules_majorUpgradeDeferred(t *testing.T) {
	name := acctest.RandomName("acc-rules-upg-later")
	base := stackConfig{Name: name, Engine: "redis", ExtraTop: "  engine_version = \"6.2\"\n"}
	base.Provisioned = "    node_type = \"cache.r7g.large\"\n    replicas_per_shard = 1"
	upgraded := base
	upgraded.ExtraTop = "  engine_version = \"7.1\"\n"
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: base.HCL(t)},
		{
			Config:           upgraded.HCL(t),
			ConfigPlanChecks: expectUpdate(),
			ConfigStateChecks: stateChecks{
				inState("engine_version", "7.1"),
				// AWS still runs the old group until the maintenance window.
				inState("parameter_group_name", name),
			},
			Check: checkAll(func() error {
				if !parameterGroupExists(t, name) || !parameterGroupExists(t, name+"-redis7") {
					return fmt.Errorf("both the group in use (%s) and the one waiting for the window (%s-redis7) must exist", name, name)
				}
				return nil
			}),
		},
		settled(upgraded.HCL(t)),
	}))
}

// Item 2: cluster mode always has automatic failover (rule rg-cluster-mode-needs-failover);
// without replicas Multi-AZ stays off.
func TestAccStackAWSRules_clusterModeWithoutReplicas(t *testing.T) {
	name := acctest.RandomName("acc-rules-cmd0")
	cfg := stackConfig{Name: name, Shards: 2, Replicas: 0}
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{
			Config: cfg.HCL(t),
			ConfigStateChecks: stateChecks{
				inState("cluster_mode_enabled", true),
				inState("member_clusters", size(2)),
			},
			Check: checkAll(func() error {
				rg := describeRG(t, name)
				if rg.AutomaticFailover != ectypes.AutomaticFailoverStatusEnabled || rg.MultiAZ != ectypes.MultiAZStatusDisabled {
					return fmt.Errorf("want automatic failover enabled and Multi-AZ disabled, got %s / %s", rg.AutomaticFailover, rg.MultiAZ)
				}
				return nil
			}),
		},
		settled(cfg.HCL(t)),
	}))
}

// Item 3: moving 1 -> N shards needs automatic failover with a replica and a recent engine
// (rule rg-cluster-mode-compatible-preconditions); the plan refuses and says what to do.
func TestAccStackAWSRules_clusterModeMigrationPreconditions(t *testing.T) {
	name := acctest.RandomName("acc-rules-migrate")
	single := stackConfig{Name: name, Replicas: 0}
	sharded := stackConfig{Name: name, Shards: 2, Replicas: 0}
	resource.Test(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: single.HCL(t)},
		{
			PreConfig:   func() { resetLog(t) },
			Config:      sharded.HCL(t),
			PlanOnly:    true,
			ExpectError: flexible(`(?s)provisioned\.shards.*replicas_per_shard = 1 \(with shards = 1\) first`),
		},
		{Config: single.HCL(t), Check: func(*terraform.State) error { expectNoMutatingCalls(t); return nil }},
	}))
	old := acctest.RandomName("acc-rules-migr-old")
	redis6 := stackConfig{Name: old, Engine: "redis", ExtraTop: "  engine_version = \"6.2\"\n", Replicas: 1}
	redis6Sharded := redis6
	redis6Sharded.Shards = 2
	resource.Test(t, stackCase(t, checkDestroyed(t, old), []resource.TestStep{
		{Config: redis6.HCL(t)},
		{Config: redis6Sharded.HCL(t), PlanOnly: true, ExpectError: flexible(`(?s)provisioned\.shards.*needs Redis OSS 7\.0 or later`)},
	}))
}

// Item 4: turning snapshots on later names the snapshotting cluster, a replica, on a group
// without cluster mode (rule rg-snapshots-on-need-snapshotting-cluster), and never in cluster
// mode (rule rg-no-snapshotting-cluster-in-cluster-mode).
func TestAccStackAWSRules_snapshotsTurnedOnLater(t *testing.T) {
	t.Parallel() // the subtests run in parallel with the package's other parallel tests
	for _, shards := range []int{1, 2} {
		t.Run(fmt.Sprintf("shards=%d", shards), func(t *testing.T) { snapshotsTurnedOnLater(t, shards) })
	}
}

func snapshotsTurnedOnLater(t *testing.T, shards int) {
	name := acctest.RandomName("acc-rules-snap")
	off := stackConfig{Name: name, Shards: shards}
	off.Provisioned = fmt.Sprintf("    node_type = \"cache.r7g.large\"\n    shards = %d\n    replicas_per_shard = 1\n    snapshot_retention_days = 0", shards)
	on := off
	on.Provisioned = fmt.Sprintf("    node_type = \"cache.r7g.large\"\n    shards = %d\n    replicas_per_shard = 1\n    snapshot_retention_days = 3", shards)
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: off.HCL(t)},
		{
			Config:            on.HCL(t),
			ConfigStateChecks: stateChecks{inState("provisioned.snapshot_retention_days", 3)},
			Check: checkAll(func() error {
				// A replica (which member is primary depends on failovers), or none in
				// cluster mode.
				rg := describeRG(t, name)
				got := aws.ToString(rg.SnapshottingClusterId)
				if shards > 1 && got != "" {
					return fmt.Errorf("snapshotting cluster %q set in cluster mode", got)
				}
				if shards == 1 && (got == primaryOf(rg) || !slices.Contains(rg.MemberClusters, got)) {
					return fmt.Errorf("snapshotting cluster is %q, want a replica of %v (primary %s)", got, rg.MemberClusters, primaryOf(rg))
				}
				return nil
			}),
		},
		settled(on.HCL(t)),
	}))
}

// Item 5: the AUTH token is dropped only in the call that moves the group to RBAC (rule
// rg-auth-token-delete-only-to-rbac); dropping it without RBAC is refused at plan.
func TestAccStackAWSRules_authTokenToRBAC(t *testing.T) {
	name := acctest.RandomName("acc-rules-rbac")
	ug := acctest.RandomName("acc-rules-rbac-ug")
	createUserGroup(t, ug)
	token := stackConfig{Name: name, Replicas: 1, Security: "    auth_token_wo = \"Str0ngTokenValue-1234\"\n    auth_token_wo_version = 1"}
	rbac := token
	rbac.Security = fmt.Sprintf("    user_group_id = %q", ug)
	none := token
	none.Security = ""
	resource.Test(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: token.HCL(t)},
		{
			PreConfig:   func() { resetLog(t) },
			Config:      none.HCL(t),
			PlanOnly:    true,
			ExpectError: flexible(`(?s)AUTH token cannot just be removed.*security\.auth_token_wo.*Set security\.user_group_id`),
		},
		{
			PreConfig:         func() { expectNoMutatingCalls(t) },
			Config:            rbac.HCL(t),
			ConfigPlanChecks:  expectUpdate(),
			ConfigStateChecks: stateChecks{inState("security.user_group_id", ug)},
			Check: checkAll(func() error {
				rg := describeRG(t, name)
				if aws.ToBool(rg.AuthTokenEnabled) || len(rg.UserGroupIds) != 1 {
					return fmt.Errorf("want the token gone and one user group, got token=%t groups=%v", aws.ToBool(rg.AuthTokenEnabled), rg.UserGroupIds)
				}
				return nil
			}),
		},
		settled(rbac.HCL(t)),
	}))
}

// Item 6: fewer replicas after a failover. AWS picks the replica to remove when none is named
// (rule rg-decrease-replicas-aws-chooses); the provider names them, never the primary, and the
// alarms follow the members that exist.
func TestAccStackAWSRules_fewerReplicasAfterFailover(t *testing.T) {
	acctest.RequireEmulator(t)
	name := acctest.RandomName("acc-rules-failover")
	two := stackConfig{Name: name, Replicas: 2}
	one := two
	one.Replicas = 1
	var primary string
	failover := func() {
		ctx := context.Background()
		_, err := clients(t).ec.TestFailover(ctx, &elasticache.TestFailoverInput{ReplicationGroupId: aws.String(name), NodeGroupId: aws.String("0001")})
		if err != nil {
			t.Fatal(err)
		}
		primary = primaryOf(describeRG(t, name))
	}
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: two.HCL(t)},
		{
			PreConfig:         failover,
			Config:            one.HCL(t),
			ConfigPlanChecks:  expectUpdate(unknownInPlan("member_clusters")),
			ConfigStateChecks: stateChecks{inState("member_clusters", size(2))},
			Check: func(s *terraform.State) error {
				rg := describeRG(t, name)
				if got := primaryOf(rg); got != primary {
					return fmt.Errorf("the primary moved from %s to %s", primary, got)
				}
				state := s.RootModule().Resources[addr].Primary.Attributes
				for i, m := range rg.MemberClusters {
					if state[fmt.Sprintf("member_clusters.%d", i)] != m {
						return fmt.Errorf("state member_clusters %v, AWS %v", state, rg.MemberClusters)
					}
				}
				// The alarms watch the members that exist.
				for k, v := range state {
					if len(k) > len("alarm_names.") && k[:len("alarm_names.")] == "alarm_names." && !alarmOnMember(v, name, rg.MemberClusters) {
						return fmt.Errorf("alarm %s watches no existing member of %v", v, rg.MemberClusters)
					}
				}
				return nil
			},
		},
		settled(one.HCL(t)),
	}))
}

// alarmOnMember reports whether a per-member alarm ("elasticache/<name>/<member suffix>/<key>")
// names an existing member; stack-wide alarms have no member part and pass.
func alarmOnMember(alarm, name string, members []string) bool {
	rest := strings.TrimPrefix(alarm, "elasticache/"+name+"/")
	parts := strings.Split(rest, "/")
	if len(parts) < 2 {
		return true
	}
	for _, m := range members {
		if name+"-"+parts[0] == m {
			return true
		}
	}
	return false
}

// Item 7: removing a serverless usage limit sends Maximum 0 (rule
// serverless-limit-removed-with-zero), one field per call, and converges.
func TestAccStackAWSRules_serverlessLimitRemoval(t *testing.T) {
	name := acctest.RandomName("acc-rules-sls-limit")
	both := stackConfig{Name: name, Mode: "serverless", Engine: "valkey", Serverless: "    max_data_storage_gb = 10\n    max_ecpu_per_second = 5000"}
	storageOnly := both
	storageOnly.Serverless = "    max_data_storage_gb = 20"
	none := both
	none.Serverless = ""
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: both.HCL(t)},
		change(t, storageOnly, expectUpdate(),
			inState("serverless.max_data_storage_gb", 20),
			inState("serverless.max_ecpu_per_second", null),
		),
		settled(storageOnly.HCL(t)),
		{Config: none.HCL(t), ConfigPlanChecks: expectUpdate()},
		settled(none.HCL(t)),
	}))
}

// Item 8: a notification topic is removed by making it inactive; AWS keeps reporting the ARN
// with TopicStatus inactive (rule notification-topic-inactive-keeps-arn).
func TestAccStackAWSRules_notificationTopicRemoval(t *testing.T) {
	topic := "arn:aws:sns:us-east-1:123456789012:acc-rules-events"
	t.Parallel() // the subtests run in parallel with the package's other parallel tests
	for _, engine := range []string{"", "memcached"} {
		t.Run(cmp.Or(engine, "default"), func(t *testing.T) { notificationTopicRemoval(t, engine, topic) })
	}
}

func notificationTopicRemoval(t *testing.T, engine, topic string) {
	name := acctest.RandomName("acc-rules-topic")
	with := stackConfig{Name: name, Engine: engine, Replicas: 1, ExtraTop: fmt.Sprintf("  notification_topic_arn = %q\n", topic)}
	if engine == "memcached" {
		with.Provisioned = `    node_type = "cache.m7g.large"`
	}
	without := with
	without.ExtraTop = ""
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: with.HCL(t), ConfigStateChecks: stateChecks{inState("notification_topic_arn", topic)}},
		change(t, without, expectUpdate(), inState("notification_topic_arn", null)),
		settled(without.HCL(t)),
	}))
}

// Item 9: right after a create AWS may answer NotFound for the new resource (eventual
// consistency); the provider polls on instead of failing.
func TestAccStackAWSRules_eventualConsistencyAfterCreate(t *testing.T) {
	e := acctest.RequireEmulator(t)
	name := acctest.RandomName("acc-rules-eventual")
	cfg := quickstart(name)
	inject := func() {
		t.Cleanup(func() { _ = e.ClearFaults(context.Background()) })
		if err := e.InjectFaults(context.Background(), []acctest.FaultRule{
			{Service: "ec2", Operation: "AuthorizeSecurityGroupIngress", Count: 1, HTTPStatus: 400, ErrorCode: "InvalidGroup.NotFound", Message: "The security group does not exist"},
			{Service: "elasticache", Operation: "DescribeReplicationGroups", Count: 2, HTTPStatus: 404, ErrorCode: "ReplicationGroupNotFoundFault", Message: "Replication group not found."},
		}); err != nil {
			t.Fatal(err)
		}
	}
	resource.Test(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{PreConfig: inject, Config: cfg.HCL(t), ConfigStateChecks: stateChecks{inState("member_clusters", size(3))}},
		settled(cfg.HCL(t)),
	}))
}

// Item 10: an update step that finds the group busy (InvalidReplicationGroupState) waits and
// retries instead of failing the apply.
func TestAccStackAWSRules_updateRetriesBusyGroup(t *testing.T) {
	e := acctest.RequireEmulator(t)
	name := acctest.RandomName("acc-rules-busy")
	base := quickstart(name)
	bigger := base
	bigger.NodeType = "cache.r7g.xlarge"
	bigger.Replicas = 3
	busy := func() {
		t.Cleanup(func() { _ = e.ClearFaults(context.Background()) })
		msg := "Replication group " + name + " is not in available state."
		if err := e.InjectFaults(context.Background(), []acctest.FaultRule{
			{Service: "elasticache", Operation: "ModifyReplicationGroup", Count: 1, HTTPStatus: 400, ErrorCode: "InvalidReplicationGroupState", Message: msg},
			{Service: "elasticache", Operation: "IncreaseReplicaCount", Count: 1, HTTPStatus: 400, ErrorCode: "InvalidReplicationGroupState", Message: msg},
		}); err != nil {
			t.Fatal(err)
		}
	}
	resource.Test(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: base.HCL(t)},
		{PreConfig: busy, Config: bigger.HCL(t), ConfigStateChecks: stateChecks{
			inState("member_clusters", size(4)),
			inState("provisioned.node_type", "cache.r7g.xlarge"),
		}},
		settled(bigger.HCL(t)),
	}))
}

// Item 11: r6gd nodes need DataTieringEnabled=true (rule rg-r6gd-needs-data-tiering); data
// tiering is fixed at creation, so leaving r6gd replaces the stack.
func TestAccStackAWSRules_dataTiering(t *testing.T) {
	name := acctest.RandomName("acc-rules-tiering")
	tiered := stackConfig{Name: name, Replicas: 1, NodeType: "cache.r6gd.xlarge"}
	plain := tiered
	plain.NodeType = "cache.r7g.xlarge"
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: tiered.HCL(t), Check: checkAll(func() error {
			if got := describeRG(t, name).DataTiering; got != ectypes.DataTieringStatusEnabled {
				return fmt.Errorf("data tiering is %q, want enabled", got)
			}
			return nil
		})},
		settled(tiered.HCL(t)),
		{Config: plain.HCL(t), ConfigPlanChecks: expectReplace()},
	}))
}

// Item 12: a serverless cache can keep a final snapshot on destroy.
func TestAccStackAWSRules_serverlessFinalSnapshot(t *testing.T) {
	name := acctest.RandomName("acc-rules-sls-final")
	snapshot := name + "-last"
	cfg := stackConfig{Name: name, Mode: "serverless", Engine: "valkey", Serverless: fmt.Sprintf("    final_snapshot_name = %q", snapshot)}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			out, err := clients(t).ec.DescribeServerlessCacheSnapshots(context.Background(), &elasticache.DescribeServerlessCacheSnapshotsInput{ServerlessCacheSnapshotName: aws.String(snapshot)})
			if err != nil || len(out.ServerlessCacheSnapshots) != 1 {
				return fmt.Errorf("final snapshot %s not found: %v", snapshot, err)
			}
			_, _ = clients(t).ec.DeleteServerlessCacheSnapshot(context.Background(), &elasticache.DeleteServerlessCacheSnapshotInput{ServerlessCacheSnapshotName: aws.String(snapshot)})
			return checkDestroyed(t, name)(s)
		},
		Steps: []resource.TestStep{
			{Config: cfg.HCL(t), ConfigStateChecks: stateChecks{inState("serverless.final_snapshot_name", snapshot)}},
			settled(cfg.HCL(t)),
		},
	})
}

// Item 1, as a reviewer reads it: the plan warning of a major upgrade names the new group.
func TestAccStackAWSRules_majorUpgradePlanWarning(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	name := acctest.RandomName("acc-rules-upg-warn")
	cfg := stackConfig{Name: name, Engine: "valkey", Replicas: 1, ExtraTop: "  engine_version = \"7.2\"\n"}
	w := acctest.NewWorkdir(t, map[string]string{"main.tf": cfg.HCL(t), "versions.tf": requiredProviders})
	w.Must("apply", "-auto-approve", "-input=false", "-no-color")
	cfg.ExtraTop = "  engine_version = \"8.0\"\n"
	w.WriteFile("main.tf", cfg.HCL(t))
	out := w.Must("plan", "-input=false", "-no-color")
	for _, want := range []string{"Engine upgrade from 7.2 to 8.0", "parameter group " + name + "-valkey8 (family valkey8", "old group " + name} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
}

// Item 10: after a replica change the group reports available while its member clusters are
// still modifying (switch member_lag), and AWS refuses the next modification until they are
// done (rule rg-modify-needs-available-members): the provider waits for the members.
func TestAccStackAWSRules_waitsForMemberClusters(t *testing.T) {
	e := acctest.RequireEmulator(t)
	name := acctest.RandomName("acc-rules-members")
	base := stackConfig{Name: name, Replicas: 1}
	grown := base
	grown.Replicas, grown.NodeType = 2, "cache.r7g.xlarge" // IncreaseReplicaCount, then ModifyReplicationGroup
	lag := func() {
		ctx := context.Background()
		if err := e.Configure(ctx, map[string]any{"member_lag": 3}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			restore := 0.0
			if os.Getenv("EMULATOR_NONDETERMINISM") != "" {
				restore = 1.0 // the non-deterministic pass's own setting
			}
			_ = e.Configure(context.Background(), map[string]any{"member_lag": restore})
		})
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkDestroyed(t, name),
		Steps: []resource.TestStep{
			{Config: base.HCL(t)},
			{PreConfig: lag, Config: grown.HCL(t), ConfigStateChecks: stateChecks{
				inState("member_clusters", size(3)),
				inState("provisioned.node_type", "cache.r7g.xlarge"),
			}},
			settled(grown.HCL(t)),
		},
	})
}
