package awsops

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

const componentSnapshot = "snapshot"

// Snapshot is a snapshot as far as restoring it goes: its kind, engine and ARN.
type Snapshot struct {
	blueprint.SnapshotFacts
	ARN    string
	Status string
}

// FindSnapshot finds a snapshot by name: a node-based (DescribeSnapshots) one first, then a
// serverless cache snapshot. found is false when neither exists.
func (c *Clients) FindSnapshot(ctx context.Context, name string) (Snapshot, bool, error) {
	if s, found, err := c.findNodeSnapshot(ctx, name); err != nil || found {
		return s, found, err
	}
	return c.findServerlessSnapshot(ctx, name)
}

// SnapshotByARN finds the snapshot an ElastiCache snapshot ARN names (restore_from.snapshot_arns).
func (c *Clients) SnapshotByARN(ctx context.Context, arn string) (Snapshot, bool, error) {
	parts := strings.Split(arn, ":")
	if len(parts) < 7 {
		return Snapshot{}, false, fmt.Errorf("%q is not an ElastiCache snapshot ARN", arn)
	}
	if parts[5] == "serverlesscachesnapshot" {
		return c.findServerlessSnapshot(ctx, parts[6])
	}
	return c.findNodeSnapshot(ctx, parts[6])
}

func (c *Clients) findNodeSnapshot(ctx context.Context, name string) (Snapshot, bool, error) {
	out, err := c.ElastiCache.DescribeSnapshots(ctx, &elasticache.DescribeSnapshotsInput{SnapshotName: aws.String(name)})
	s, found, err := firstListed(componentSnapshot, name, err, isA[*ectypes.SnapshotNotFoundFault], func() []ectypes.Snapshot { return out.Snapshots })
	if !found {
		return Snapshot{}, false, err
	}
	cluster := aws.ToInt32(s.NumNodeGroups) > 1 || strings.HasSuffix(aws.ToString(s.CacheParameterGroupName), ".cluster.on")
	return Snapshot{SnapshotFacts: blueprint.SnapshotFacts{Name: name, Engine: aws.ToString(s.Engine), ClusterMode: cluster},
		ARN: aws.ToString(s.ARN), Status: aws.ToString(s.SnapshotStatus)}, true, nil
}

func (c *Clients) findServerlessSnapshot(ctx context.Context, name string) (Snapshot, bool, error) {
	out, err := c.ElastiCache.DescribeServerlessCacheSnapshots(ctx, &elasticache.DescribeServerlessCacheSnapshotsInput{ServerlessCacheSnapshotName: aws.String(name)})
	s, found, err := firstListed(componentSnapshot, name, err, isA[*ectypes.ServerlessCacheSnapshotNotFoundFault],
		func() []ectypes.ServerlessCacheSnapshot { return out.ServerlessCacheSnapshots })
	if !found {
		return Snapshot{}, false, err
	}
	engine := ""
	if s.ServerlessCacheConfiguration != nil {
		engine = aws.ToString(s.ServerlessCacheConfiguration.Engine)
	}
	return Snapshot{SnapshotFacts: blueprint.SnapshotFacts{Name: name, Engine: engine, Serverless: true},
		ARN: aws.ToString(s.ARN), Status: aws.ToString(s.Status)}, true, nil
}

// RestoreFrom is how a new cache of shape restores snapshot s.
func (s Snapshot) RestoreFrom(shape blueprint.Shape) blueprint.RestoreSource {
	switch {
	case shape == blueprint.ShapeServerless:
		return blueprint.RestoreSource{SnapshotARNs: []string{s.ARN}}
	case s.Serverless:
		return blueprint.RestoreSource{ServerlessSnapshotName: s.Name}
	}
	return blueprint.RestoreSource{SnapshotName: s.Name}
}

// TakeSnapshot snapshots the cache of a stack (a replication group, or a serverless cache)
// under name and waits until the snapshot is available and the cache is again (AWS deletes
// neither while the snapshot runs). A snapshot of that name left by an earlier replacement is
// replaced: the live cache holds the newer data.
func (c *Clients) TakeSnapshot(ctx context.Context, shape blueprint.Shape, cache, name string) error {
	old, found, err := c.FindSnapshot(ctx, name)
	if err != nil {
		return err
	}
	if found {
		if err := c.DeleteSnapshot(ctx, old); err != nil {
			return err
		}
	}
	if shape == blueprint.ShapeServerless {
		_, err = c.ElastiCache.CreateServerlessCacheSnapshot(ctx, &elasticache.CreateServerlessCacheSnapshotInput{
			ServerlessCacheName: aws.String(cache), ServerlessCacheSnapshotName: aws.String(name)})
	} else {
		_, err = c.ElastiCache.CreateSnapshot(ctx, &elasticache.CreateSnapshotInput{ReplicationGroupId: aws.String(cache), SnapshotName: aws.String(name)})
	}
	if err != nil {
		return wrap(componentSnapshot, "create", name, err)
	}
	if err := c.WaitSnapshotAvailable(ctx, name); err != nil {
		return err
	}
	if shape == blueprint.ShapeServerless {
		return c.WaitServerlessCacheAvailable(ctx, cache)
	}
	return c.WaitReplicationGroupAvailable(ctx, cache)
}

// WaitSnapshotAvailable polls until the snapshot is available (AWS restores from and deletes
// only an available snapshot).
func (c *Clients) WaitSnapshotAvailable(ctx context.Context, name string) error {
	return pollUntil(ctx, "snapshot "+name, func(ctx context.Context) (bool, string, error) {
		s, found, err := c.FindSnapshot(ctx, name)
		if err != nil {
			return false, "", err
		}
		if !found {
			return false, "", wrap(componentSnapshot, "wait for", name, fmt.Errorf("it disappeared while being created"))
		}
		if s.Status == "failed" {
			return false, s.Status, wrap(componentSnapshot, "create", name, fmt.Errorf("AWS reports status failed"))
		}
		return s.Status == StatusAvailable, s.Status, nil
	})
}

// DeleteSnapshot deletes a snapshot of either kind; one already gone is not an error.
func (c *Clients) DeleteSnapshot(ctx context.Context, s Snapshot) error {
	var err error
	gone := isA[*ectypes.SnapshotNotFoundFault]
	if s.Serverless {
		_, err = c.ElastiCache.DeleteServerlessCacheSnapshot(ctx, &elasticache.DeleteServerlessCacheSnapshotInput{ServerlessCacheSnapshotName: aws.String(s.Name)})
		gone = isA[*ectypes.ServerlessCacheSnapshotNotFoundFault]
	} else {
		_, err = c.ElastiCache.DeleteSnapshot(ctx, &elasticache.DeleteSnapshotInput{SnapshotName: aws.String(s.Name)})
	}
	if err != nil && !gone(err) {
		return wrap(componentSnapshot, "delete", s.Name, err)
	}
	return nil
}

// restoreReplicationGroup sets where a new replication group's data comes from. Seeding
// cluster mode from RDB files needs each shard's slot range (botocore
// CreateReplicationGroup.NodeGroupConfiguration: "required when seeding a ... (cluster mode
// enabled) cluster from a S3 rdb file"; hashicorp/aws #5510).
func restoreReplicationGroup(in *elasticache.CreateReplicationGroupInput, spec blueprint.ReplicationGroupSpec, r blueprint.RestoreSource) {
	switch {
	case r.SnapshotName != "":
		in.SnapshotName = aws.String(r.SnapshotName)
	case r.ServerlessSnapshotName != "":
		in.ServerlessCacheSnapshotName = aws.String(r.ServerlessSnapshotName)
	case len(r.RDBS3ARNs) > 0:
		in.SnapshotArns = r.RDBS3ARNs
		if spec.ClusterMode {
			for i := range spec.Shards {
				lo, hi := i*16384/spec.Shards, (i+1)*16384/spec.Shards-1
				in.NodeGroupConfiguration = append(in.NodeGroupConfiguration, ectypes.NodeGroupConfiguration{
					NodeGroupId: aws.String(fmt.Sprintf("%04d", i+1)), Slots: aws.String(fmt.Sprintf("%d-%d", lo, hi)),
					ReplicaCount: aws.Int32(int32(spec.ReplicasPerShard))})
			}
		}
	}
}
