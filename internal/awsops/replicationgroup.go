package awsops

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

const componentReplicationGroup = "replication group"

// ObservedReplicationGroup is what AWS says about the replication group and its first member
// cluster (which carries engine version, parameter group, security groups and windows).
type ObservedReplicationGroup struct {
	ID, ARN, Status       string
	Engine, EngineVersion string
	NodeType              string
	Shards                int
	ReplicasPerShard      int
	ClusterMode           bool
	AutomaticFailover     bool
	MultiAZ               bool
	TransitEncryptionMode string
	AtRestEncryption      bool
	KMSKeyARN             string
	AuthTokenEnabled      bool
	UserGroupID           string
	SnapshotRetentionDays int
	SnapshotWindow        string
	MaintenanceWindow     string
	NotificationTopicARN  string
	PrimaryEndpoint       string
	ReaderEndpoint        string
	ConfigurationEndpoint string
	Port                  int
	MemberClusters        []string
	PrimaryMember         string // the member AWS reports as primary (no cluster mode)
	ParameterGroupName    string
	SubnetGroupName       string
	SecurityGroupIDs      []string
	Tags                  map[string]string
	// LogDeliveries are the enabled slow and engine log deliveries.
	LogDeliveries []blueprint.LogDeliverySpec
}

// ReplicationGroupCredentials carries the AUTH token from the configuration to one AWS call;
// it is never stored, logged or compared.
type ReplicationGroupCredentials struct {
	AuthToken string
}

// CreateReplicationGroup creates the group, or adopts this stack's own when an interrupted
// apply already created it.
func (c *Clients) CreateReplicationGroup(ctx context.Context, stackName string, spec blueprint.ReplicationGroupSpec, sgID, subnetGroup, parameterGroup string, creds ReplicationGroupCredentials) (arn string, err error) {
	in := &elasticache.CreateReplicationGroupInput{
		ReplicationGroupId:          aws.String(spec.ID),
		ReplicationGroupDescription: aws.String(spec.Description),
		Engine:                      aws.String(spec.Engine),
		EngineVersion:               aws.String(spec.EngineVersion),
		CacheNodeType:               aws.String(spec.NodeType),
		Port:                        aws.Int32(int32(spec.Port)),
		AutomaticFailoverEnabled:    aws.Bool(spec.AutomaticFailover),
		MultiAZEnabled:              aws.Bool(spec.MultiAZ),
		CacheParameterGroupName:     aws.String(parameterGroup),
		CacheSubnetGroupName:        aws.String(subnetGroup),
		SecurityGroupIds:            []string{sgID},
		TransitEncryptionEnabled:    aws.Bool(true),
		TransitEncryptionMode:       ectypes.TransitEncryptionMode(spec.TransitEncryptionMode),
		AtRestEncryptionEnabled:     aws.Bool(true),
		SnapshotRetentionLimit:      aws.Int32(int32(spec.SnapshotRetentionDays)),
		Tags:                        elastiCacheTags(WithOwner(stackName, spec.Tags)),
	}
	if spec.ClusterMode {
		in.ClusterMode = ectypes.ClusterModeEnabled
		in.NumNodeGroups = aws.Int32(int32(spec.Shards))
		in.ReplicasPerNodeGroup = aws.Int32(int32(spec.ReplicasPerShard))
	} else {
		in.NumCacheClusters = aws.Int32(int32(1 + spec.ReplicasPerShard))
	}
	if spec.SnapshotRetentionDays > 0 && spec.SnapshotWindow != "" {
		in.SnapshotWindow = aws.String(spec.SnapshotWindow)
	}
	if spec.MaintenanceWindow != "" {
		in.PreferredMaintenanceWindow = aws.String(spec.MaintenanceWindow)
	}
	if spec.KMSKeyARN != "" {
		in.KmsKeyId = aws.String(spec.KMSKeyARN)
	}
	if spec.NotificationTopicARN != "" {
		in.NotificationTopicArn = aws.String(spec.NotificationTopicARN)
	}
	if spec.UserGroupID != "" {
		in.UserGroupIds = []string{spec.UserGroupID}
	}
	if spec.DataTiering {
		// AWS requires it for r6gd nodes (and accepts it for nothing else).
		in.DataTieringEnabled = aws.Bool(true)
	}
	if creds.AuthToken != "" {
		in.AuthToken = aws.String(creds.AuthToken)
	}
	in.LogDeliveryConfigurations = logDeliveryRequests(spec.LogDeliveries)
	out, err := c.ElastiCache.CreateReplicationGroup(ctx, in)
	var already *ectypes.ReplicationGroupAlreadyExistsFault
	if asType(err, &already) {
		return adoptOwn(ctx, componentReplicationGroup, spec.ID, stackName, err, func() (string, map[string]string, bool, error) {
			o, found, err := c.ObserveReplicationGroup(ctx, spec.ID)
			return o.ARN, o.Tags, found, err
		})
	}
	if err != nil {
		return "", wrap(componentReplicationGroup, "create", spec.ID, err)
	}
	return aws.ToString(out.ReplicationGroup.ARN), nil
}

// ObserveReplicationGroup describes the group, its first member cluster and its tags: three
// calls whatever the number of members. found is false when the group does not exist.
func (c *Clients) ObserveReplicationGroup(ctx context.Context, id string) (ObservedReplicationGroup, bool, error) {
	out, err := c.ElastiCache.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)})
	var notFound *ectypes.ReplicationGroupNotFoundFault
	if asType(err, &notFound) {
		return ObservedReplicationGroup{}, false, nil
	}
	if err != nil {
		return ObservedReplicationGroup{}, false, wrap(componentReplicationGroup, "describe", id, err)
	}
	if len(out.ReplicationGroups) == 0 {
		return ObservedReplicationGroup{}, false, nil
	}
	rg := out.ReplicationGroups[0]
	o := observeReplicationGroup(rg)
	if o.Status == StatusDeleting {
		return o, false, nil
	}
	if len(o.MemberClusters) > 0 {
		// A member created moments ago may not be visible yet (eventual consistency).
		var cc *elasticache.DescribeCacheClustersOutput
		err := retryWhileNotVisible(ctx, "member cluster "+o.MemberClusters[0]+" to become visible", isCacheClusterNotFound, func(ctx context.Context) (err error) {
			cc, err = c.ElastiCache.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(o.MemberClusters[0])})
			return err
		})
		if err != nil {
			return o, true, wrap("member cache cluster", "describe", o.MemberClusters[0], err)
		}
		if len(cc.CacheClusters) > 0 {
			observeMember(&o, cc.CacheClusters[0])
		}
	}
	if o.ARN != "" {
		tags, err := c.ListTags(ctx, o.ARN)
		if err != nil {
			return o, true, wrap(componentReplicationGroup, "read tags of", id, err)
		}
		o.Tags = tags
	}
	return o, true, nil
}

func observeReplicationGroup(rg ectypes.ReplicationGroup) ObservedReplicationGroup {
	o := ObservedReplicationGroup{
		ID:                    aws.ToString(rg.ReplicationGroupId),
		ARN:                   aws.ToString(rg.ARN),
		Status:                aws.ToString(rg.Status),
		Engine:                aws.ToString(rg.Engine),
		NodeType:              aws.ToString(rg.CacheNodeType),
		ClusterMode:           aws.ToBool(rg.ClusterEnabled),
		AutomaticFailover:     rg.AutomaticFailover == ectypes.AutomaticFailoverStatusEnabled || rg.AutomaticFailover == ectypes.AutomaticFailoverStatusEnabling,
		MultiAZ:               rg.MultiAZ == ectypes.MultiAZStatusEnabled,
		TransitEncryptionMode: string(rg.TransitEncryptionMode),
		AtRestEncryption:      aws.ToBool(rg.AtRestEncryptionEnabled),
		KMSKeyARN:             aws.ToString(rg.KmsKeyId),
		AuthTokenEnabled:      aws.ToBool(rg.AuthTokenEnabled),
		SnapshotRetentionDays: int(aws.ToInt32(rg.SnapshotRetentionLimit)),
		SnapshotWindow:        aws.ToString(rg.SnapshotWindow),
		MemberClusters:        slices.Clone(rg.MemberClusters),
		LogDeliveries:         observeLogDeliveries(rg.LogDeliveryConfigurations),
	}
	if o.TransitEncryptionMode == "" && aws.ToBool(rg.TransitEncryptionEnabled) {
		o.TransitEncryptionMode = blueprint.TransitRequired
	}
	if len(rg.UserGroupIds) > 0 {
		o.UserGroupID = rg.UserGroupIds[0]
	}
	if pending := rg.PendingModifiedValues; pending != nil && pending.UserGroups != nil && len(pending.UserGroups.UserGroupIdsToAdd) > 0 {
		o.UserGroupID = pending.UserGroups.UserGroupIdsToAdd[0]
	}
	o.Shards = len(rg.NodeGroups)
	for i, ng := range rg.NodeGroups {
		if i == 0 {
			o.ReplicasPerShard = max(len(ng.NodeGroupMembers)-1, 0)
		}
		for _, m := range ng.NodeGroupMembers {
			if aws.ToString(m.CurrentRole) == "primary" {
				o.PrimaryMember = aws.ToString(m.CacheClusterId)
			}
		}
		if ng.PrimaryEndpoint != nil {
			o.PrimaryEndpoint = aws.ToString(ng.PrimaryEndpoint.Address)
			o.Port = int(aws.ToInt32(ng.PrimaryEndpoint.Port))
		}
		if ng.ReaderEndpoint != nil {
			o.ReaderEndpoint = aws.ToString(ng.ReaderEndpoint.Address)
		}
	}
	if !o.ClusterMode && o.Shards == 1 && len(rg.NodeGroups[0].NodeGroupMembers) == 0 {
		o.ReplicasPerShard = max(len(o.MemberClusters)-1, 0)
	}
	if rg.ConfigurationEndpoint != nil {
		o.ConfigurationEndpoint = aws.ToString(rg.ConfigurationEndpoint.Address)
		o.Port = int(aws.ToInt32(rg.ConfigurationEndpoint.Port))
	}
	return o
}

func observeMember(o *ObservedReplicationGroup, cc ectypes.CacheCluster) {
	o.EngineVersion = aws.ToString(cc.EngineVersion)
	if cc.PendingModifiedValues != nil && cc.PendingModifiedValues.EngineVersion != nil {
		o.EngineVersion = aws.ToString(cc.PendingModifiedValues.EngineVersion)
	}
	if cc.PendingModifiedValues != nil && cc.PendingModifiedValues.CacheNodeType != nil {
		o.NodeType = aws.ToString(cc.PendingModifiedValues.CacheNodeType)
	}
	o.MaintenanceWindow = aws.ToString(cc.PreferredMaintenanceWindow)
	o.SubnetGroupName = aws.ToString(cc.CacheSubnetGroupName)
	if cc.CacheParameterGroup != nil {
		o.ParameterGroupName = aws.ToString(cc.CacheParameterGroup.CacheParameterGroupName)
	}
	for _, sg := range cc.SecurityGroups {
		o.SecurityGroupIDs = append(o.SecurityGroupIDs, aws.ToString(sg.SecurityGroupId))
	}
	sort.Strings(o.SecurityGroupIDs)
	// AWS keeps the ARN of a removed topic, marked inactive: only an active one is configured.
	if n := cc.NotificationConfiguration; n != nil && aws.ToString(n.TopicStatus) == "active" {
		o.NotificationTopicARN = aws.ToString(n.TopicArn)
	}
	if o.EngineVersion != "" {
		// AWS reports the full patch version ("8.0.1"); the stack is configured by MAJOR.MINOR.
		if parts := strings.Split(o.EngineVersion, "."); len(parts) > 2 {
			o.EngineVersion = parts[0] + "." + parts[1]
		}
	}
}

// ModifyReplicationGroup applies every in-place change the spec asks for with as few calls as
// AWS allows: one ModifyReplicationGroup for settings (with a major upgrade's new parameter
// group, and with the AUTH token's DELETE when the group moves to RBAC), one call per replica
// or shard change, and the AUTH rotation (ROTATE, then SET) last. Each call is retried while
// AWS reports the group busy, and waited for.
func (c *Clients) ModifyReplicationGroup(ctx context.Context, observed ObservedReplicationGroup, spec blueprint.ReplicationGroupSpec, sgID, parameterGroup string, auth AuthChange) error {
	id := spec.ID
	in, changed := modifyReplicationGroupInput(observed, spec, sgID, parameterGroup)
	if auth.Action == blueprint.AuthDelete && in.UserGroupIdsToAdd != nil {
		// AWS deletes a token only in the call that moves the group to RBAC.
		in.AuthTokenUpdateStrategy = ectypes.AuthTokenUpdateStrategyTypeDelete
		in.ApplyImmediately = aws.Bool(true)
		auth = AuthChange{}
	}
	// Replica count first when growing, so a larger group is never left without failover.
	if spec.ReplicasPerShard > observed.ReplicasPerShard {
		if err := c.changeReplicaCount(ctx, observed, spec.ReplicasPerShard); err != nil {
			return err
		}
	}
	if changed {
		tflog.Info(ctx, "modifying replication group", map[string]any{"replication_group_id": id})
		err := retryWhileBusy(ctx, "replication group "+id+" to accept changes", func(ctx context.Context) error {
			_, err := c.ElastiCache.ModifyReplicationGroup(ctx, in)
			return err
		})
		if err != nil {
			return wrap(componentReplicationGroup, "modify", id, err)
		}
		if err := c.WaitReplicationGroupAvailable(ctx, id); err != nil {
			return err
		}
	}
	if spec.Shards != observed.Shards {
		if err := c.reshard(ctx, id, observed.Shards, spec.Shards); err != nil {
			return err
		}
	}
	if spec.ReplicasPerShard < observed.ReplicasPerShard {
		if err := c.changeReplicaCount(ctx, observed, spec.ReplicasPerShard); err != nil {
			return err
		}
	}
	return c.applyAuthChange(ctx, id, auth)
}

// modifyReplicationGroupInput collects the settings that differ into one request.
func modifyReplicationGroupInput(observed ObservedReplicationGroup, spec blueprint.ReplicationGroupSpec, sgID, parameterGroup string) (*elasticache.ModifyReplicationGroupInput, bool) {
	in := &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(spec.ID), ApplyImmediately: aws.Bool(spec.ApplyImmediately)}
	changed := false
	set := func(cond bool, apply func()) {
		if cond {
			apply()
			changed = true
		}
	}
	set(observed.NodeType != spec.NodeType, func() { in.CacheNodeType = aws.String(spec.NodeType) })
	set(observed.Engine != spec.Engine, func() { in.Engine = aws.String(spec.Engine) })
	set(observed.EngineVersion != spec.EngineVersion, func() { in.EngineVersion = aws.String(spec.EngineVersion) })
	// A major upgrade's parameter group of the new family goes in this same call.
	set(observed.ParameterGroupName != parameterGroup, func() { in.CacheParameterGroupName = aws.String(parameterGroup) })
	set(!slices.Equal(observed.SecurityGroupIDs, []string{sgID}), func() { in.SecurityGroupIds = []string{sgID} })
	set(observed.MaintenanceWindow != spec.MaintenanceWindow && spec.MaintenanceWindow != "", func() { in.PreferredMaintenanceWindow = aws.String(spec.MaintenanceWindow) })
	set(observed.SnapshotRetentionDays != spec.SnapshotRetentionDays, func() {
		in.SnapshotRetentionLimit = aws.Int32(int32(spec.SnapshotRetentionDays))
		// Turning snapshots on names the member they are taken from (never in cluster mode,
		// where each shard snapshots itself): a replica, so the primary is not slowed.
		if observed.SnapshotRetentionDays == 0 && !observed.ClusterMode {
			in.SnapshottingClusterId = aws.String(observed.snapshotSource())
		}
	})
	set(spec.SnapshotRetentionDays > 0 && observed.SnapshotWindow != spec.SnapshotWindow, func() { in.SnapshotWindow = aws.String(spec.SnapshotWindow) })
	set(observed.AutomaticFailover != spec.AutomaticFailover, func() { in.AutomaticFailoverEnabled = aws.Bool(spec.AutomaticFailover) })
	set(observed.MultiAZ != spec.MultiAZ, func() { in.MultiAZEnabled = aws.Bool(spec.MultiAZ) })
	set(observed.TransitEncryptionMode != spec.TransitEncryptionMode, func() {
		in.TransitEncryptionEnabled = aws.Bool(true)
		in.TransitEncryptionMode = ectypes.TransitEncryptionMode(spec.TransitEncryptionMode)
	})
	set(observed.NotificationTopicARN != spec.NotificationTopicARN, func() {
		in.NotificationTopicArn = aws.String(spec.NotificationTopicARN)
		if spec.NotificationTopicARN == "" {
			// AWS removes a topic by making it inactive (it keeps reporting the ARN).
			in.NotificationTopicStatus = aws.String("inactive")
		}
	})
	set(observed.UserGroupID != spec.UserGroupID, func() {
		if spec.UserGroupID != "" {
			in.UserGroupIdsToAdd = []string{spec.UserGroupID}
		}
		if observed.UserGroupID != "" {
			in.UserGroupIdsToRemove = []string{observed.UserGroupID}
		}
	})
	return in, changed
}

// snapshotSource is the member daily snapshots are taken from: the highest-numbered replica,
// or the primary when there is none.
func (o ObservedReplicationGroup) snapshotSource() string {
	if replicas := o.replicas(); len(replicas) > 0 {
		return replicas[0]
	}
	return firstOf(o.MemberClusters)
}

// replicas are the members that are not the primary, highest-numbered first.
func (o ObservedReplicationGroup) replicas() []string {
	var out []string
	for _, m := range o.MemberClusters {
		if m != o.PrimaryMember {
			out = append(out, m)
		}
	}
	if o.PrimaryMember == "" && len(out) > 0 {
		out = out[1:] // no roles reported: AWS's first member is the primary
	}
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out
}

func firstOf(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}

// AuthChange says what to do with the AUTH token in this apply (blueprint.AuthTransition
// decides it).
type AuthChange struct {
	Action blueprint.AuthAction
	Token  string
}

func (c *Clients) applyAuthChange(ctx context.Context, id string, auth AuthChange) error {
	steps := []ectypes.AuthTokenUpdateStrategyType{}
	switch auth.Action {
	case blueprint.AuthAdd, blueprint.AuthRotate:
		// ROTATE adds the new token beside the old one; SET then makes it the only one.
		steps = append(steps, ectypes.AuthTokenUpdateStrategyTypeRotate, ectypes.AuthTokenUpdateStrategyTypeSet)
	case blueprint.AuthDelete:
		steps = append(steps, ectypes.AuthTokenUpdateStrategyTypeDelete)
	default:
		return nil
	}
	for _, strategy := range steps {
		in := &elasticache.ModifyReplicationGroupInput{
			ReplicationGroupId:      aws.String(id),
			ApplyImmediately:        aws.Bool(true),
			AuthTokenUpdateStrategy: strategy,
		}
		if strategy != ectypes.AuthTokenUpdateStrategyTypeDelete {
			in.AuthToken = aws.String(auth.Token)
		}
		tflog.Info(ctx, "updating AUTH token", map[string]any{"replication_group_id": id, "strategy": string(strategy)})
		err := retryWhileBusy(ctx, "replication group "+id+" to accept an AUTH change", func(ctx context.Context) error {
			_, err := c.ElastiCache.ModifyReplicationGroup(ctx, in)
			return err
		})
		if err != nil {
			return wrap(componentReplicationGroup, "update AUTH token ("+string(strategy)+") of", id, err)
		}
		if err := c.WaitReplicationGroupAvailable(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// changeReplicaCount grows or shrinks every shard to count replicas. Shrinking a group
// without cluster mode names the replicas to remove (the highest-numbered ones, never the
// current primary, which a failover may have moved); without a list AWS picks them itself.
func (c *Clients) changeReplicaCount(ctx context.Context, observed ObservedReplicationGroup, count int) error {
	id := observed.ID
	call := func(ctx context.Context) error {
		if count > observed.ReplicasPerShard {
			_, err := c.ElastiCache.IncreaseReplicaCount(ctx, &elasticache.IncreaseReplicaCountInput{
				ReplicationGroupId: aws.String(id), NewReplicaCount: aws.Int32(int32(count)), ApplyImmediately: aws.Bool(true),
			})
			return err
		}
		in := &elasticache.DecreaseReplicaCountInput{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true)}
		if replicas := observed.replicas(); !observed.ClusterMode && len(replicas) >= observed.ReplicasPerShard-count {
			in.ReplicasToRemove = replicas[:observed.ReplicasPerShard-count]
		} else {
			in.NewReplicaCount = aws.Int32(int32(count))
		}
		_, err := c.ElastiCache.DecreaseReplicaCount(ctx, in)
		return err
	}
	if err := retryWhileBusy(ctx, "replication group "+id+" to accept a replica change", call); err != nil {
		return wrap(componentReplicationGroup, "change replica count of", id, err)
	}
	if err := c.WaitReplicationGroupAvailable(ctx, id); err != nil {
		return err
	}
	return c.WaitMembersAvailable(ctx, id)
}

func (c *Clients) reshard(ctx context.Context, id string, from, to int) error {
	in := &elasticache.ModifyReplicationGroupShardConfigurationInput{
		ReplicationGroupId: aws.String(id), NodeGroupCount: aws.Int32(int32(to)), ApplyImmediately: aws.Bool(true),
	}
	for s := to + 1; s <= from; s++ {
		in.NodeGroupsToRemove = append(in.NodeGroupsToRemove, fmt.Sprintf("%04d", s))
	}
	tflog.Info(ctx, "resharding replication group", map[string]any{"replication_group_id": id, "from": from, "to": to})
	err := retryWhileBusy(ctx, "replication group "+id+" to accept resharding", func(ctx context.Context) error {
		_, err := c.ElastiCache.ModifyReplicationGroupShardConfiguration(ctx, in)
		return err
	})
	if err != nil {
		return wrap(componentReplicationGroup, "reshard", id, err)
	}
	if err := c.WaitReplicationGroupAvailable(ctx, id); err != nil {
		return err
	}
	return c.WaitMembersAvailable(ctx, id)
}

// WaitReplicationGroupAvailable polls until the group is available, up to the context's
// deadline (the resource's timeout).
func (c *Clients) WaitReplicationGroupAvailable(ctx context.Context, id string) error {
	start := time.Now()
	return pollUntil(ctx, "replication group "+id+" to become available", func(ctx context.Context) (bool, string, error) {
		status, found, err := c.replicationGroupStatus(ctx, id)
		switch {
		case err != nil:
			return false, "", err
		case !found && time.Since(start) < EventualConsistency:
			// Just created: AWS may not show it to describe calls yet.
			return false, "not yet visible", nil
		case !found:
			return false, "", wrap(componentReplicationGroup, "wait for", id, fmt.Errorf("it disappeared while waiting for it to become available"))
		case status == "create-failed":
			return false, status, wrap(componentReplicationGroup, "create", id, fmt.Errorf("AWS reports status %s", status))
		}
		return status == StatusAvailable, status, nil
	})
}

// WaitReplicationGroupDeleted polls until the group is gone.
func (c *Clients) WaitReplicationGroupDeleted(ctx context.Context, id string) error {
	return pollUntil(ctx, "replication group "+id+" to be deleted", func(ctx context.Context) (bool, string, error) {
		status, found, err := c.replicationGroupStatus(ctx, id)
		return err == nil && !found, status, err
	})
}

func (c *Clients) replicationGroupStatus(ctx context.Context, id string) (status string, found bool, err error) {
	out, err := c.ElastiCache.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)})
	var notFound *ectypes.ReplicationGroupNotFoundFault
	if asType(err, &notFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, wrap(componentReplicationGroup, "describe", id, err)
	}
	if len(out.ReplicationGroups) == 0 {
		return "", false, nil
	}
	return aws.ToString(out.ReplicationGroups[0].Status), true, nil
}

// DeleteReplicationGroup deletes the group (taking a final snapshot when named) and waits
// until it is gone. A group that no longer exists is not an error; one that is still being
// created or modified is waited for first.
func (c *Clients) DeleteReplicationGroup(ctx context.Context, id, finalSnapshot string) error {
	in := &elasticache.DeleteReplicationGroupInput{ReplicationGroupId: aws.String(id)}
	if finalSnapshot != "" {
		in.FinalSnapshotIdentifier = aws.String(finalSnapshot)
	}
	err := pollUntil(ctx, "replication group "+id+" to accept deletion", func(ctx context.Context) (bool, string, error) {
		_, err := c.ElastiCache.DeleteReplicationGroup(ctx, in)
		var notFound *ectypes.ReplicationGroupNotFoundFault
		var invalid *ectypes.InvalidReplicationGroupStateFault
		switch {
		case err == nil, asType(err, &notFound):
			return true, StatusDeleting, nil
		case asType(err, &invalid) && strings.Contains(err.Error(), "deleting"):
			return true, StatusDeleting, nil
		case asType(err, &invalid):
			return false, "busy", nil
		default:
			return false, "", wrap(componentReplicationGroup, "delete", id, err)
		}
	})
	if err != nil {
		return err
	}
	return c.WaitReplicationGroupDeleted(ctx, id)
}

// EnableClusterMode moves a cluster-mode-disabled group to cluster mode online, the way AWS
// requires: first "compatible" with a parameter group that has cluster-enabled=yes (clients
// may then connect either way), then "enabled".
func (c *Clients) EnableClusterMode(ctx context.Context, id, clusterParameterGroup string) error {
	steps := []*elasticache.ModifyReplicationGroupInput{
		{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), ClusterMode: ectypes.ClusterModeCompatible, CacheParameterGroupName: aws.String(clusterParameterGroup)},
		{ReplicationGroupId: aws.String(id), ApplyImmediately: aws.Bool(true), ClusterMode: ectypes.ClusterModeEnabled},
	}
	for _, in := range steps {
		tflog.Info(ctx, "changing cluster mode", map[string]any{"replication_group_id": id, "cluster_mode": string(in.ClusterMode)})
		err := retryWhileBusy(ctx, "replication group "+id+" to accept a cluster mode change", func(ctx context.Context) error {
			_, err := c.ElastiCache.ModifyReplicationGroup(ctx, in)
			return err
		})
		if err != nil {
			return wrap(componentReplicationGroup, "set cluster mode "+string(in.ClusterMode)+" on", id, err)
		}
		if err := c.WaitReplicationGroupAvailable(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// ReplicationGroupMembers returns the group's member cluster ids (one describe call).
func (c *Clients) ReplicationGroupMembers(ctx context.Context, id string) ([]string, error) {
	out, err := c.ElastiCache.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)})
	if err != nil {
		return nil, wrap(componentReplicationGroup, "describe", id, err)
	}
	if len(out.ReplicationGroups) == 0 {
		return nil, wrap(componentReplicationGroup, "describe", id, errNotFound)
	}
	return slices.Clone(out.ReplicationGroups[0].MemberClusters), nil
}

// WaitMembersAvailable polls until every member cluster of the group is available: after a
// replica or shard change AWS can report the group available while new members still start.
func (c *Clients) WaitMembersAvailable(ctx context.Context, id string) error {
	members, err := c.ReplicationGroupMembers(ctx, id)
	if err != nil {
		return err
	}
	for _, m := range members {
		err := pollUntil(ctx, "member cluster "+m+" to become available", func(ctx context.Context) (bool, string, error) {
			status, found, err := c.cacheClusterStatus(ctx, m)
			if err != nil || !found {
				return !found, status, err
			}
			return status == "available", status, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func isCacheClusterNotFound(err error) bool {
	var notFound *ectypes.CacheClusterNotFoundFault
	return asType(err, &notFound)
}
