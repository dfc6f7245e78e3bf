package stack_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/redis/go-redis/v9"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// These tests start stacks from snapshots (restore_from) and carry a stack's data across a
// replacement (preserve_data_on_replace). The emulator's snapshots hold the keys of the live
// engines (test/emulator/snapshots.py), so the data is asserted through go-redis.

const (
	dataKey   = "session:restore"
	dataValue = "kept-through-a-snapshot"
)

// stackClient connects to the stack in state as an application does: a cluster-aware client
// for cluster mode and serverless, a plain one to the primary endpoint otherwise (TLS, no AUTH).
func stackClient(t *testing.T, dp acctest.DataPlane, s *terraform.State) redis.UniversalClient {
	t.Helper()
	a := s.RootModule().Resources[addr].Primary.Attributes
	if a["mode"] == "serverless" || a["cluster_mode_enabled"] == "true" {
		return clusterClient(t, dp, stateEndpoint(t, s, "endpoint"))
	}
	host, port, _ := net.SplitHostPort(stateEndpoint(t, s, "primary_endpoint"))
	p, _ := strconv.Atoi(port)
	return dp.Redis(t, host, p, acctest.RedisOptions{TLS: true})
}

func writeKey(t *testing.T, dp acctest.DataPlane) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		return stackClient(t, dp, s).Set(context.Background(), dataKey, dataValue, 0).Err()
	}
}

func keyIsThere(t *testing.T, dp acctest.DataPlane) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		v, err := stackClient(t, dp, s).Get(context.Background(), dataKey).Result()
		if err != nil || v != dataValue {
			return fmt.Errorf("%s after the restore: %q, %v; want %q", dataKey, v, err, dataValue)
		}
		return nil
	}
}

// snapshotGone checks that the preserve snapshot was deleted after the restore.
func snapshotGone(t *testing.T, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c := clients(t).ec
		_, err := c.DescribeSnapshots(context.Background(), &elasticache.DescribeSnapshotsInput{SnapshotName: aws.String(name)})
		var nf *ectypes.SnapshotNotFoundFault
		if !errors.As(err, &nf) {
			return fmt.Errorf("snapshot %s: %v, want it deleted after the restore", name, err)
		}
		_, err = c.DescribeServerlessCacheSnapshots(context.Background(), &elasticache.DescribeServerlessCacheSnapshotsInput{ServerlessCacheSnapshotName: aws.String(name)})
		var snf *ectypes.ServerlessCacheSnapshotNotFoundFault
		if !errors.As(err, &snf) {
			return fmt.Errorf("serverless snapshot %s: %v, want it deleted after the restore", name, err)
		}
		return nil
	}
}

// sourceGroup creates a plaintext one-node Valkey group outside Terraform, writes the key
// through its primary endpoint and snapshots it; the group and snapshot go at cleanup.
func sourceGroup(ctx context.Context, t *testing.T, dp acctest.DataPlane, shards int32) string {
	t.Helper()
	c := clients(t).ec
	id := acctest.RandomName("acc-src")
	in := &elasticache.CreateReplicationGroupInput{ReplicationGroupId: aws.String(id), ReplicationGroupDescription: aws.String("restore source"),
		Engine: aws.String("valkey"), CacheNodeType: aws.String("cache.t4g.small")}
	if shards > 1 {
		in.NumNodeGroups, in.ReplicasPerNodeGroup, in.AutomaticFailoverEnabled = aws.Int32(shards), aws.Int32(0), aws.Bool(true)
	}
	_, err := c.CreateReplicationGroup(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = c.DeleteReplicationGroup(context.Background(), &elasticache.DeleteReplicationGroupInput{ReplicationGroupId: aws.String(id)})
		_, _ = c.DeleteSnapshot(context.Background(), &elasticache.DeleteSnapshotInput{SnapshotName: aws.String(id)})
	})
	waitAvailable(ctx, t, id)
	if shards == 1 {
		p, _ := groupEndpoints(t, id)
		if err := dp.Redis(t, p.Host, p.Port, acctest.RedisOptions{}).Set(ctx, dataKey, dataValue, 0).Err(); err != nil {
			t.Fatalf("SET on the source group: %v", err)
		}
	}
	if _, err := c.CreateSnapshot(ctx, &elasticache.CreateSnapshotInput{ReplicationGroupId: aws.String(id), SnapshotName: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	waitAvailable(ctx, t, id)
	return id
}

// sourceServerless creates a serverless Valkey cache outside Terraform, writes the key and
// snapshots it; cache and snapshot go at cleanup.
func sourceServerless(ctx context.Context, t *testing.T, dp acctest.DataPlane) string {
	t.Helper()
	c := clients(t).ec
	name := acctest.RandomName("acc-src-sls")
	if _, err := c.CreateServerlessCache(ctx, &elasticache.CreateServerlessCacheInput{ServerlessCacheName: aws.String(name), Engine: aws.String("valkey")}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = c.DeleteServerlessCache(context.Background(), &elasticache.DeleteServerlessCacheInput{ServerlessCacheName: aws.String(name)})
		_, _ = c.DeleteServerlessCacheSnapshot(context.Background(), &elasticache.DeleteServerlessCacheSnapshotInput{ServerlessCacheSnapshotName: aws.String(name)})
	})
	var sc ectypes.ServerlessCache
	err := acctest.Eventually(ctx, time.Minute, func(ctx context.Context) error {
		out, err := c.DescribeServerlessCaches(ctx, &elasticache.DescribeServerlessCachesInput{ServerlessCacheName: aws.String(name)})
		if err == nil && aws.ToString(out.ServerlessCaches[0].Status) != "available" {
			err = fmt.Errorf("status %s", aws.ToString(out.ServerlessCaches[0].Status))
		}
		if err == nil {
			sc = out.ServerlessCaches[0]
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	hostPort := net.JoinHostPort(aws.ToString(sc.Endpoint.Address), strconv.Itoa(int(aws.ToInt32(sc.Endpoint.Port))))
	if err := clusterClient(t, dp, hostPort).Set(ctx, dataKey, dataValue, 0).Err(); err != nil {
		t.Fatalf("SET on the source cache: %v", err)
	}
	_, err = c.CreateServerlessCacheSnapshot(ctx, &elasticache.CreateServerlessCacheSnapshotInput{ServerlessCacheName: aws.String(name), ServerlessCacheSnapshotName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return name
}

// TestAccStackRestore_provisionedFromServerlessSnapshot: restore_from.snapshot_name naming a
// serverless snapshot restores it into a replication group (ServerlessCacheSnapshotName).
func TestAccStackRestore_provisionedFromServerlessSnapshot(t *testing.T) {
	acctest.PreCheck(t)
	dp := acctest.RequireDataPlane(t)
	name := acctest.RandomName("acc-restore-from-sls")
	snapshot := sourceServerless(context.Background(), t, dp)
	cfg := stackConfig{Name: name, NodeType: "cache.t4g.small", Replicas: 1, ExtraTop: fmt.Sprintf("  restore_from = { snapshot_name = %q }\n", snapshot)}
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: cfg.HCL(t), Check: keyIsThere(t, dp)},
	}))
}

// restoreCase is what a restore test starts from: the data plane, the stack's random name, and
// a snapshot (made outside Terraform) holding the key.
func restoreCase(t *testing.T, prefix string) (acctest.DataPlane, string, string) {
	acctest.PreCheck(t)
	dp := acctest.RequireDataPlane(t)
	return dp, acctest.RandomName(prefix), sourceGroup(context.Background(), t, dp, 1)
}

// TestAccStackRestore_provisionedFromSnapshot: a stack starts from an ElastiCache snapshot and
// holds its key; a later change of restore_from is an in-place no-op with a plan note, not a
// replacement. Emulator rule snapshot-restore-same-engine.
func TestAccStackRestore_provisionedFromSnapshot(t *testing.T) {
	dp, name, snapshot := restoreCase(t, "acc-restore")
	cfg := stackConfig{Name: name, NodeType: "cache.t4g.small", Replicas: 1, ExtraTop: fmt.Sprintf("  restore_from = { snapshot_name = %q }\n", snapshot)}
	changed := cfg
	changed.ExtraTop = "  restore_from = { snapshot_name = \"another-snapshot\" }\n"
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: cfg.HCL(t), Check: keyIsThere(t, dp)},
		{
			Config: changed.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
			}},
			Check: keyIsThere(t, dp),
		},
	}))
}

// TestAccStackRestore_serverlessFromSnapshot: a serverless stack starts from the snapshot of a
// node-based group (SnapshotArnsToRestore) and holds its key.
func TestAccStackRestore_serverlessFromSnapshot(t *testing.T) {
	dp, name, snapshot := restoreCase(t, "acc-restore-sls")
	out, err := clients(t).ec.DescribeSnapshots(context.Background(), &elasticache.DescribeSnapshotsInput{SnapshotName: aws.String(snapshot)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := stackConfig{Name: name, Mode: "serverless", Engine: "valkey",
		ExtraTop: fmt.Sprintf("  restore_from = { snapshot_arns = [%q] }\n", aws.ToString(out.Snapshots[0].ARN))}
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: cfg.HCL(t), Check: keyIsThere(t, dp)},
	}))
}

// preserveCase is what a preserving-replacement test starts from: the data plane, a stack
// with preserve_data_on_replace on (base), the same on another port (moved, a replacement) and
// the snapshot the replacement goes through.
func preserveCase(t *testing.T, prefix string, port int) (dp acctest.DataPlane, base, moved stackConfig, snapshot string) {
	acctest.PreCheck(t)
	dp = acctest.RequireDataPlane(t)
	name := acctest.RandomName(prefix)
	base = stackConfig{Name: name, NodeType: "cache.t4g.small", Replicas: 1, ExtraTop: "  preserve_data_on_replace = true\n"}
	moved = base
	moved.Port = port
	return dp, base, moved, name + "-preserve"
}

// TestAccStackPreserve_replacementKeepsKey: a key written to the stack survives a replacement
// forced by a port change (node-based -> node-based) and then one forced by a mode switch
// (node-based -> serverless); the plan says the data is kept and through which snapshot, and
// the snapshot is deleted after each restore.
func TestAccStackPreserve_replacementKeepsKey(t *testing.T) {
	dp, base, moved, snapshot := preserveCase(t, "acc-preserve", 6390)
	name := base.Name
	serverless := stackConfig{Name: name, Mode: "serverless", Engine: "valkey", ExtraTop: base.ExtraTop}
	replaced := func(cfg stackConfig) resource.TestStep {
		return resource.TestStep{
			Config: cfg.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			Check: resource.ComposeTestCheckFunc(keyIsThere(t, dp), snapshotGone(t, snapshot),
				resource.TestCheckResourceAttr(addr, "preserve_snapshot_name", snapshot)),
		}
	}
	// Back to nodes (serverless -> node-based, ServerlessCacheSnapshotName), keeping the snapshot.
	back := base
	back.ExtraTop += "  keep_preserve_snapshot = true\n"
	kept := replaced(back)
	kept.Check = resource.ComposeTestCheckFunc(keyIsThere(t, dp), serverlessSnapshotKept(t, snapshot))
	resource.ParallelTest(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: base.HCL(t), Check: writeKey(t, dp)},
		replaced(moved),
		replaced(serverless),
		kept,
	}))
}

// serverlessSnapshotKept checks that the serverless preserve snapshot outlived the restore
// (keep_preserve_snapshot) and deletes it.
func serverlessSnapshotKept(t *testing.T, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		_, err := clients(t).ec.DeleteServerlessCacheSnapshot(context.Background(), &elasticache.DeleteServerlessCacheSnapshotInput{ServerlessCacheSnapshotName: aws.String(name)})
		if err != nil {
			return fmt.Errorf("keep_preserve_snapshot: the serverless snapshot %s is not there after the restore: %w", name, err)
		}
		return nil
	}
}

// TestAccStackPreserve_renameKeepsKey: a new name replaces the stack; the snapshot is named
// after the new stack (the create half, planned again during apply, knows only that one) and
// the delete half takes it under that name.
func TestAccStackPreserve_renameKeepsKey(t *testing.T) {
	dp, base, _, _ := preserveCase(t, "acc-pres-ren", 0)
	renamed := base
	renamed.Name = base.Name + "-b"
	snapshot := renamed.Name + "-preserve"
	bothGone := resource.ComposeTestCheckFunc(checkDestroyed(t, base.Name), checkDestroyed(t, renamed.Name))
	resource.ParallelTest(t, stackCase(t, bothGone, []resource.TestStep{
		{Config: base.HCL(t), Check: writeKey(t, dp)},
		{
			Config: renamed.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			Check: resource.ComposeTestCheckFunc(keyIsThere(t, dp), snapshotGone(t, snapshot),
				resource.TestCheckResourceAttr(addr, "preserve_snapshot_name", snapshot)),
		},
	}))
}

// TestAccStackPreserve_interruptedReplacementResumes: the replacement's create fails after the
// old cache was snapshotted and deleted (CreateReplicationGroup refused once); the next apply
// finds the snapshot, restores it and deletes it, and the key is there. Not parallel: the fault
// is injected emulator-wide.
func TestAccStackPreserve_interruptedReplacementResumes(t *testing.T) {
	dp, base, moved, snapshot := preserveCase(t, "acc-preserve-int", 6391)
	e := acctest.RequireEmulator(t)
	name := base.Name
	ctx := context.Background()
	t.Cleanup(func() { _ = e.ClearFaults(context.Background()) })
	resource.Test(t, stackCase(t, checkDestroyed(t, name), []resource.TestStep{
		{Config: base.HCL(t), Check: writeKey(t, dp)},
		{
			PreConfig: func() {
				if err := e.InjectFaults(ctx, []acctest.FaultRule{{Service: "elasticache", Operation: "CreateReplicationGroup", Count: 1, HTTPStatus: 400,
					ErrorCode: "InsufficientCacheClusterCapacity", Message: "no capacity for " + name}}); err != nil {
					t.Fatal(err)
				}
			},
			Config:      moved.HCL(t),
			ExpectError: flexible("InsufficientCacheClusterCapacity"),
		},
		{
			PreConfig: func() {
				if err := emulatorHas(t, name, "snapshot/"+snapshot); err != nil {
					t.Fatalf("the interrupted replacement left no snapshot: %v", err)
				}
			},
			Config: moved.HCL(t),
			Check:  resource.ComposeTestCheckFunc(keyIsThere(t, dp), snapshotGone(t, snapshot), resource.TestCheckResourceAttr(addr, "port", "6391")),
		},
	}))
}

// TestAccStackRestore_invalidAtPlan: restore and preserve settings AWS would refuse fail at
// plan time, naming the attribute, with no mutating call.
func TestAccStackRestore_invalidAtPlan(t *testing.T) {
	n := "acc-restore-invalid"
	memcached := stackConfig{Name: n, Engine: "memcached", Provisioned: "    node_type = \"cache.t4g.small\"", ExtraTop: "  restore_from = { snapshot_name = \"backup\" }\n"}
	steps := []resource.TestStep{}
	for _, c := range []struct {
		cfg    stackConfig
		expect string
	}{
		{memcached, `Memcached cannot restore`},
		{stackConfig{Name: n, Mode: "serverless", Engine: "valkey", ExtraTop: "  restore_from = { snapshot_name = \"backup\" }\n"}, `a serverless stack restores from snapshot_arns`},
		{stackConfig{Name: n, Replicas: 1, ExtraTop: "  restore_from = { rdb_s3_arns = [\"s3://bucket/x.rdb\"] }\n"}, `is not an S3 object ARN`},
		{stackConfig{Name: n, Replicas: 1, ExtraTop: "  restore_from = { snapshot_name = \"no-such-snapshot\" }\n"}, `Snapshot to restore not found`},
	} {
		steps = append(steps, resource.TestStep{Config: c.cfg.HCL(t), PlanOnly: true, ExpectError: flexible(c.expect)})
	}
	refusedAtPlan(t, steps)
}
