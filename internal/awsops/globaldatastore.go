package awsops

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

const componentGlobal = "global datastore"

// GlobalParameterGroupPrefix starts the name of the parameter group AWS gives a secondary: the
// datastore's, created and removed by AWS (hashicorp/aws replication_group.go ignores drift of
// names with this prefix).
const GlobalParameterGroupPrefix = "global-datastore-"

// Statuses of a global datastore beyond the common ones: "primary-only" is a settled
// datastore without secondaries (botocore InvalidGlobalReplicationGroupStateFault: "not
// available or in primary-only state").
const StatusPrimaryOnly = "primary-only"

// ObservedGlobalDatastore is a global datastore as AWS reports it (DescribeGlobalReplicationGroups
// answers in every region).
type ObservedGlobalDatastore struct {
	ID, Status            string
	Engine, EngineVersion string
	NodeType              string
	Shards                int
	// Members are the member groups, the primary first, then by region.
	Members []GlobalMember
}

// GlobalMember is one replication group of a datastore.
type GlobalMember struct {
	ReplicationGroupID, Region, Role string
}

// Regions are the members' regions, the primary's first.
func (g ObservedGlobalDatastore) Regions() []string {
	out := make([]string, 0, len(g.Members))
	for _, m := range g.Members {
		out = append(out, m.Region)
	}
	return out
}

// ObserveGlobalDatastore describes the datastore with its members; found is false when it does
// not exist (or is being deleted).
func (c *Clients) ObserveGlobalDatastore(ctx context.Context, id string) (ObservedGlobalDatastore, bool, error) {
	out, err := c.ElastiCache.DescribeGlobalReplicationGroups(ctx, &elasticache.DescribeGlobalReplicationGroupsInput{
		GlobalReplicationGroupId: aws.String(id), ShowMemberInfo: aws.Bool(true)})
	var notFound *ectypes.GlobalReplicationGroupNotFoundFault
	if asType(err, &notFound) {
		return ObservedGlobalDatastore{}, false, nil
	}
	if err != nil {
		return ObservedGlobalDatastore{}, false, wrap(componentGlobal, "describe", id, err)
	}
	if len(out.GlobalReplicationGroups) == 0 {
		return ObservedGlobalDatastore{}, false, nil
	}
	g := out.GlobalReplicationGroups[0]
	o := ObservedGlobalDatastore{ID: aws.ToString(g.GlobalReplicationGroupId), Status: aws.ToString(g.Status),
		Engine: aws.ToString(g.Engine), EngineVersion: aws.ToString(g.EngineVersion), NodeType: aws.ToString(g.CacheNodeType),
		Shards: max(len(g.GlobalNodeGroups), 1)}
	for _, m := range g.Members {
		o.Members = append(o.Members, GlobalMember{aws.ToString(m.ReplicationGroupId), aws.ToString(m.ReplicationGroupRegion), strings.ToLower(aws.ToString(m.Role))})
	}
	sort.SliceStable(o.Members, func(i, j int) bool {
		if (o.Members[i].Role == "primary") != (o.Members[j].Role == "primary") {
			return o.Members[i].Role == "primary"
		}
		return o.Members[i].Region < o.Members[j].Region
	})
	return o, o.Status != StatusDeleting, nil
}

// CreateGlobalDatastore makes the replication group the primary of a new global datastore
// (AWS prefixes the suffix with the region's code) and waits until it is settled. A group that
// is a member already (an interrupted apply) is adopted.
func (c *Clients) CreateGlobalDatastore(ctx context.Context, suffix, primaryID string) (string, error) {
	rg, found, err := c.ObserveReplicationGroup(ctx, primaryID)
	if err != nil {
		return "", err
	}
	id := rg.GlobalDatastoreID
	if !found || id == "" {
		out, err := c.ElastiCache.CreateGlobalReplicationGroup(ctx, &elasticache.CreateGlobalReplicationGroupInput{
			GlobalReplicationGroupIdSuffix: aws.String(suffix), PrimaryReplicationGroupId: aws.String(primaryID),
			GlobalReplicationGroupDescription: aws.String("elasticache_stack " + primaryID)})
		if err != nil {
			return "", wrap(componentGlobal, "create", suffix, err)
		}
		id = aws.ToString(out.GlobalReplicationGroup.GlobalReplicationGroupId)
	}
	return id, c.WaitGlobalDatastoreSettled(ctx, id)
}

// WaitGlobalDatastoreSettled polls until the datastore is available (or primary-only): AWS
// changes a datastore, its members' membership or its roles only then.
func (c *Clients) WaitGlobalDatastoreSettled(ctx context.Context, id string) error {
	return pollUntil(ctx, "global datastore "+id+" to become available", func(ctx context.Context) (bool, string, error) {
		g, found, err := c.ObserveGlobalDatastore(ctx, id)
		if err != nil || !found {
			return false, g.Status, firstErr(err, wrap(componentGlobal, "wait for", id, errNotFound))
		}
		return g.Status == StatusAvailable || g.Status == StatusPrimaryOnly, g.Status, nil
	})
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// LeaveGlobalDatastore disassociates this region's secondary from the datastore (it stays a
// regional group) and waits until the datastore is settled again.
func (c *Clients) LeaveGlobalDatastore(ctx context.Context, id, replicationGroupID string) error {
	if err := c.WaitGlobalDatastoreSettled(ctx, id); err != nil {
		return err
	}
	_, err := c.ElastiCache.DisassociateGlobalReplicationGroup(ctx, &elasticache.DisassociateGlobalReplicationGroupInput{
		GlobalReplicationGroupId: aws.String(id), ReplicationGroupId: aws.String(replicationGroupID), ReplicationGroupRegion: aws.String(c.Region)})
	if err != nil {
		return wrap(componentGlobal, "disassociate "+replicationGroupID+" from", id, err)
	}
	return pollUntil(ctx, replicationGroupID+" to leave global datastore "+id, func(ctx context.Context) (bool, string, error) {
		rg, found, err := c.ObserveReplicationGroup(ctx, replicationGroupID)
		return err == nil && (!found || rg.GlobalDatastoreID == ""), rg.Status, err
	})
}

// DeleteGlobalDatastore deletes a datastore that holds only its primary, keeping the primary
// as a regional group, and waits until it is gone. A datastore already gone is not an error.
func (c *Clients) DeleteGlobalDatastore(ctx context.Context, id string) error {
	if _, found, err := c.ObserveGlobalDatastore(ctx, id); err != nil || !found {
		return err
	}
	if err := c.WaitGlobalDatastoreSettled(ctx, id); err != nil {
		return err
	}
	_, err := c.ElastiCache.DeleteGlobalReplicationGroup(ctx, &elasticache.DeleteGlobalReplicationGroupInput{
		GlobalReplicationGroupId: aws.String(id), RetainPrimaryReplicationGroup: aws.Bool(true)})
	var notFound *ectypes.GlobalReplicationGroupNotFoundFault
	if err != nil && !asType(err, &notFound) {
		return wrap(componentGlobal, "delete", id, err)
	}
	return pollUntil(ctx, "global datastore "+id+" to be deleted", func(ctx context.Context) (bool, string, error) {
		g, found, err := c.ObserveGlobalDatastore(ctx, id)
		return err == nil && !found, g.Status, err
	})
}

// FailoverGlobalDatastore makes this region's member the datastore's primary and waits until
// the roles have moved.
func (c *Clients) FailoverGlobalDatastore(ctx context.Context, id, replicationGroupID string) error {
	if err := c.WaitGlobalDatastoreSettled(ctx, id); err != nil {
		return err
	}
	_, err := c.ElastiCache.FailoverGlobalReplicationGroup(ctx, &elasticache.FailoverGlobalReplicationGroupInput{
		GlobalReplicationGroupId: aws.String(id), PrimaryRegion: aws.String(c.Region), PrimaryReplicationGroupId: aws.String(replicationGroupID)})
	if err != nil {
		return wrap(componentGlobal, "fail over", id, err)
	}
	return c.WaitGlobalDatastoreSettled(ctx, id)
}

// GlobalChange is a change of the whole datastore, made on it once for every member.
type GlobalChange struct {
	NodeType      string
	EngineVersion string
	// ParameterGroup goes with a major version upgrade (a new family).
	ParameterGroup string
	Shards         int // 0: unchanged
	CurrentShards  int
}

// ModifyGlobalDatastore makes the changes one call at a time, waiting in between: AWS takes one
// field per ModifyGlobalReplicationGroup (hashicorp/aws global_replication_group.go), applied
// immediately, and node group changes through their own calls.
func (c *Clients) ModifyGlobalDatastore(ctx context.Context, id string, ch GlobalChange) error {
	var calls []func(context.Context) error
	if ch.EngineVersion != "" {
		in := &elasticache.ModifyGlobalReplicationGroupInput{GlobalReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), EngineVersion: aws.String(ch.EngineVersion)}
		if ch.ParameterGroup != "" {
			in.CacheParameterGroupName = aws.String(ch.ParameterGroup)
		}
		calls = append(calls, func(ctx context.Context) error {
			_, err := c.ElastiCache.ModifyGlobalReplicationGroup(ctx, in)
			return err
		})
	}
	if ch.NodeType != "" {
		in := &elasticache.ModifyGlobalReplicationGroupInput{GlobalReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), CacheNodeType: aws.String(ch.NodeType)}
		calls = append(calls, func(ctx context.Context) error {
			_, err := c.ElastiCache.ModifyGlobalReplicationGroup(ctx, in)
			return err
		})
	}
	if ch.Shards > ch.CurrentShards && ch.CurrentShards > 0 {
		in := &elasticache.IncreaseNodeGroupsInGlobalReplicationGroupInput{GlobalReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), NodeGroupCount: aws.Int32(int32(ch.Shards))}
		calls = append(calls, func(ctx context.Context) error {
			_, err := c.ElastiCache.IncreaseNodeGroupsInGlobalReplicationGroup(ctx, in)
			return err
		})
	}
	if ch.Shards > 0 && ch.Shards < ch.CurrentShards {
		calls = append(calls, func(ctx context.Context) error { return c.decreaseGlobalShards(ctx, id, ch.Shards) })
	}
	for _, call := range calls {
		if err := c.WaitGlobalDatastoreSettled(ctx, id); err != nil {
			return err
		}
		if err := call(ctx); err != nil {
			return wrap(componentGlobal, "modify", id, err)
		}
	}
	return c.WaitGlobalDatastoreSettled(ctx, id)
}

// decreaseGlobalShards removes the highest-numbered node groups, as the regional reshard does.
func (c *Clients) decreaseGlobalShards(ctx context.Context, id string, to int) error {
	out, err := c.ElastiCache.DescribeGlobalReplicationGroups(ctx, &elasticache.DescribeGlobalReplicationGroupsInput{GlobalReplicationGroupId: aws.String(id)})
	if err != nil || len(out.GlobalReplicationGroups) == 0 {
		return firstErr(err, fmt.Errorf("global datastore %s not found", id))
	}
	var ids []string
	for _, ng := range out.GlobalReplicationGroups[0].GlobalNodeGroups {
		ids = append(ids, aws.ToString(ng.GlobalNodeGroupId))
	}
	sort.Strings(ids)
	if len(ids) <= to {
		return nil
	}
	_, err = c.ElastiCache.DecreaseNodeGroupsInGlobalReplicationGroup(ctx, &elasticache.DecreaseNodeGroupsInGlobalReplicationGroupInput{
		GlobalReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), NodeGroupCount: aws.Int32(int32(to)), GlobalNodeGroupsToRemove: ids[to:]})
	return err
}

// asSecondary turns a create into a secondary's: the datastore supplies engine, version, node
// type, shard count, parameters, encryption and failover, and AWS refuses a request that
// carries them ("Cannot use the given parameters when creating new replication group in an
// existing global replication group", hashicorp/aws #24854).
func asSecondary(in *elasticache.CreateReplicationGroupInput, globalID string) {
	in.GlobalReplicationGroupId = aws.String(globalID)
	in.Engine, in.EngineVersion, in.CacheNodeType, in.CacheParameterGroupName = nil, nil, nil, nil
	in.NumNodeGroups, in.ClusterMode = nil, ""
	in.TransitEncryptionEnabled, in.TransitEncryptionMode, in.AtRestEncryptionEnabled = nil, "", nil
	in.AutomaticFailoverEnabled, in.MultiAZEnabled, in.DataTieringEnabled = nil, nil, nil
}
