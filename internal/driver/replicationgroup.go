package driver

import (
	"context"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/cost"
)

// replicationGroup drives a provisioned Valkey/Redis replication group.
type replicationGroup struct {
	kind[awsops.ObservedReplicationGroup]
}

func (replicationGroup) Create(ctx context.Context, c *awsops.Clients, req CreateRequest) (string, error) {
	return c.CreateReplicationGroup(ctx, req.Desired.Name, specOf[blueprint.ReplicationGroupSpec](req.Desired),
		req.SecurityGroupID, req.SubnetGroup, req.ParameterGroup, awsops.ReplicationGroupCredentials{AuthToken: req.AuthToken})
}

func (replicationGroup) Delete(ctx context.Context, c *awsops.Clients, name, finalSnapshot string) error {
	return c.DeleteReplicationGroup(ctx, name, finalSnapshot)
}

func (d replicationGroup) Observe(ctx context.Context, c *awsops.Clients, name, sgID string) (Observed, bool, error) {
	rg, groups, found, err := d.find(ctx, c, name, sgID)
	if err != nil || !found {
		return Observed{}, found, err
	}
	o := Observed{
		Mode:                 blueprint.ModeProvisioned,
		Engine:               rg.Engine,
		EngineVersion:        rg.EngineVersion,
		ARN:                  rg.ARN,
		Port:                 rg.Port,
		SubnetGroupName:      firstNonEmpty(rg.SubnetGroupName, name),
		ParameterGroupName:   firstNonEmpty(rg.ParameterGroupName, name),
		NotificationTopicARN: rg.NotificationTopicARN,
		Tags:                 rg.Tags,
		Endpoints: Endpoints{
			Endpoint:      firstNonEmpty(rg.ConfigurationEndpoint, rg.PrimaryEndpoint),
			Primary:       rg.PrimaryEndpoint,
			Reader:        rg.ReaderEndpoint,
			Configuration: rg.ConfigurationEndpoint,
		},
		ClusterMode:   rg.ClusterMode,
		Members:       rg.MemberClusters,
		LogDeliveries: rg.LogDeliveries,
		Security:      Security{rg.TransitEncryptionMode, rg.KMSKeyARN, rg.UserGroupID, rg.AuthTokenEnabled},

		AdditionalSecurityGroupIDs: groups.additional,
		NetworkType:                rg.NetworkType,
		IPDiscovery:                rg.IPDiscovery,
	}
	parameters, err := observeComponents(ctx, c, &o, name, groups.own)
	if err != nil {
		return o, true, err
	}
	if err := observeGlobal(ctx, c, rg, &o); err != nil {
		return o, true, err
	}
	eviction, params := blueprint.SplitParameters(parameters)
	o.Provisioned = &Provisioned{
		NodeType:                rg.NodeType,
		Parameters:              params,
		MaintenanceWindow:       rg.MaintenanceWindow,
		Shards:                  ptr(rg.Shards),
		ReplicasPerShard:        ptr(rg.ReplicasPerShard),
		MultiAZ:                 ptr(rg.MultiAZ),
		EvictionPolicy:          ptr(eviction),
		SnapshotRetentionDays:   ptr(rg.SnapshotRetentionDays),
		SnapshotWindow:          ptr(rg.SnapshotWindow),
		AutoMinorVersionUpgrade: ptr(rg.AutoMinorVersionUpgrade),
	}
	return o, true, nil
}

// Apply changes the group in place. A move to cluster mode goes through a new parameter
// group (AWS will not flip cluster-enabled on a group in use), which replaces the old one.
func (d replicationGroup) Apply(ctx context.Context, c *awsops.Clients, req ApplyRequest) ([]string, error) {
	name := req.Want.Name
	rg, found, err := d.ready(ctx, c, name)
	if err != nil || !found {
		return nil, err
	}
	spec := specOf[blueprint.ReplicationGroupSpec](req.Desired)
	spec.Shards, spec.ReplicasPerShard = countsToApply(req, rg)
	parameterGroup := *req.Desired.ParameterGroup
	migrating := !rg.ClusterMode && spec.ClusterMode
	// A major upgrade (new family) or cluster mode runs a new group
	// (blueprint.NextParameterGroupName), created with every parameter and passed to AWS with
	// the version or the cluster-mode switch.
	newGroup := parameterGroup.Name != req.ParameterGroup
	if newGroup {
		if _, err := c.EnsureParameterGroup(ctx, name, parameterGroup); err != nil {
			return nil, err
		}
	} else if err := syncParameters(ctx, c, req); err != nil {
		return nil, err
	}
	if migrating {
		if err := c.EnableClusterMode(ctx, name, parameterGroup.Name); err != nil {
			return nil, err
		}
		rg.ClusterMode, rg.ParameterGroupName = true, parameterGroup.Name
	}
	if err := d.retag(ctx, c, rg, req); err != nil {
		return nil, err
	}
	if rg, err = applyGlobal(ctx, c, rg, req, spec, parameterGroup.Name); err != nil {
		return nil, err
	}
	auth := awsops.AuthChange{Action: blueprint.AuthTransition(req.Had.Security, req.Want.Security), Token: req.AuthToken}
	if err := c.ModifyReplicationGroup(ctx, rg, spec, req.SecurityGroupID, parameterGroup.Name, auth); err != nil {
		return nil, err
	}
	// Log delivery goes in a call of its own: AWS takes it only with ApplyImmediately, which
	// the other changes may not want.
	if err := c.SyncLogDelivery(ctx, name, rg.LogDeliveries, spec.LogDeliveries); err != nil {
		return nil, err
	}
	if newGroup && req.ParameterGroup != "" {
		if err := dropOldParameterGroup(ctx, c, name, req.ParameterGroup); err != nil {
			return nil, err
		}
	}
	return c.ReplicationGroupMembers(ctx, name)
}

// dropOldParameterGroup deletes the group the stack ran before a switch, once the replication
// group no longer uses it. A major upgrade deferred to the maintenance window still uses it:
// then it stays, and destroy removes it with the stack.
func dropOldParameterGroup(ctx context.Context, c *awsops.Clients, name, oldGroup string) error {
	rg, found, err := c.ObserveReplicationGroup(ctx, name)
	if err != nil || !found || rg.ParameterGroupName == oldGroup {
		return err
	}
	return c.DeleteParameterGroup(ctx, oldGroup)
}

func (replicationGroup) Price(src cost.PriceSource, region string, in blueprint.Input, load *cost.ExpectedLoad) (cost.Estimate, []cost.Recommendation, error) {
	p := in.Provisioned
	q := cost.RecommendInput{Region: region, Engine: in.Engine, Mode: in.Mode, Load: load,
		NodeType: p.NodeType, Shards: p.Shards, ReplicasPerShard: p.ReplicasPerShard, SnapshotRetentionDays: p.SnapshotRetentionDays}
	if lo, hi, ok := p.ShardRange(); ok {
		q.ShardsMin, q.ShardsMax = lo, hi
	}
	if lo, hi, ok := p.ReplicaRange(); ok {
		q.ReplicasMin, q.ReplicasMax = lo, hi
	}
	// AWS bills inter-Region transfer to the source region: the primary pays for replicating to
	// its secondaries, a secondary pays nothing for it. Its secondaries are not known at plan,
	// so the primary is priced for one.
	if in.Global.Role == blueprint.RolePrimary {
		q.ReplicaRegions = 1
	}
	return cost.Quote(src, q)
}

// countsToApply are the shard and replica counts an apply sets: for an autoscaled count the
// configuration did not change, the one AWS runs while it is inside the range
// (blueprint.CountToApply), so that an update of anything else does not undo the autoscaler.
func countsToApply(req ApplyRequest, rg awsops.ObservedReplicationGroup) (shards, replicas int) {
	had, want := req.Had.Provisioned, req.Want.Provisioned
	lo, hi, ok := want.ShardRange()
	shards = blueprint.CountToApply(had.Shards, want.Shards, rg.Shards, lo, hi, ok)
	lo, hi, ok = want.ReplicaRange()
	replicas = blueprint.CountToApply(had.ReplicasPerShard, want.ReplicasPerShard, rg.ReplicasPerShard, lo, hi, ok)
	return shards, replicas
}
