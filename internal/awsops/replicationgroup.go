package awsops

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

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
	// Placement (issue 17 §4).
	NetworkType, IPDiscovery string
	AutoMinorVersionUpgrade  bool
	// GlobalDatastoreID and GlobalRole ("primary" / "secondary") when the group is a member
	// of a global datastore.
	GlobalDatastoreID, GlobalRole string
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
		SecurityGroupIds:            blueprint.SecurityGroupIDs(sgID, spec.AdditionalSecurityGroupIDs),
		AutoMinorVersionUpgrade:     aws.Bool(spec.AutoMinorVersionUpgrade),
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
	in.PreferredMaintenanceWindow = nonEmpty(spec.MaintenanceWindow)
	in.KmsKeyId = nonEmpty(spec.KMSKeyARN)
	in.NotificationTopicArn = nonEmpty(spec.NotificationTopicARN)
	if spec.UserGroupID != "" {
		in.UserGroupIds = []string{spec.UserGroupID}
	}
	if spec.DataTiering {
		// AWS requires it for r6gd nodes (and accepts it for nothing else).
		in.DataTieringEnabled = aws.Bool(true)
	}
	in.AuthToken = nonEmpty(creds.AuthToken)
	in.LogDeliveryConfigurations = logDeliveryRequests(spec.LogDeliveries)
	restoreReplicationGroup(in, spec, spec.Restore)
	placeReplicationGroup(in, spec)
	if spec.GlobalDatastoreID != "" {
		asSecondary(in, spec.GlobalDatastoreID)
	}
	out, err := c.ElastiCache.CreateReplicationGroup(ctx, in)
	return createOrAdopt(ctx, componentReplicationGroup, spec.ID, stackName, err, isA[*ectypes.ReplicationGroupAlreadyExistsFault],
		c.ObserveReplicationGroup, func() *string { return out.ReplicationGroup.ARN })
}

func (c *Clients) findReplicationGroup(ctx context.Context, id string) (ectypes.ReplicationGroup, bool, error) {
	out, err := c.ElastiCache.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)})
	return firstListed(componentReplicationGroup, id, err, isA[*ectypes.ReplicationGroupNotFoundFault], func() []ectypes.ReplicationGroup { return out.ReplicationGroups })
}

func replicationGroupStatus(o ectypes.ReplicationGroup) *string { return o.Status }

// GlobalMembership reads whether the group belongs to a global datastore, and as what, from
// the group's own description alone (one call): the delete and destroy-plan paths need nothing
// else, and ObserveReplicationGroup would add a member and a tags call. found is false when the
// group does not exist or is being deleted.
func (c *Clients) GlobalMembership(ctx context.Context, id string) (datastoreID, role string, found bool, err error) {
	rg, found, err := c.findReplicationGroup(ctx, id)
	if err != nil || !found || aws.ToString(rg.Status) == StatusDeleting {
		return "", "", false, err
	}
	o := observeReplicationGroup(rg)
	return o.GlobalDatastoreID, o.GlobalRole, true, nil
}

// ObserveReplicationGroup describes the group, its first member cluster and its tags: three
// calls whatever the number of members. found is false when the group does not exist.
func (c *Clients) ObserveReplicationGroup(ctx context.Context, id string) (ObservedReplicationGroup, bool, error) {
	rg, found, err := c.findReplicationGroup(ctx, id)
	if err != nil || !found {
		return ObservedReplicationGroup{}, false, err
	}
	o := observeReplicationGroup(rg)
	if o.Status == StatusDeleting {
		return o, false, nil
	}
	if len(o.MemberClusters) > 0 {
		// A member created moments ago may not be visible yet (eventual consistency).
		var cc *elasticache.DescribeCacheClustersOutput
		err := retryWhileNotVisible(ctx, "member cluster "+o.MemberClusters[0]+" to become visible", isA[*ectypes.CacheClusterNotFoundFault], func(ctx context.Context) (err error) {
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
	o.Tags, err = c.readTags(ctx, componentReplicationGroup, id, o.ARN)
	return o, true, err
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
		NetworkType:           string(rg.NetworkType),
		IPDiscovery:           string(rg.IpDiscovery),
		// AWS reports nothing for engines without the setting: its default stands.
		AutoMinorVersionUpgrade: rg.AutoMinorVersionUpgrade == nil || aws.ToBool(rg.AutoMinorVersionUpgrade),
	}
	if o.TransitEncryptionMode == "" && aws.ToBool(rg.TransitEncryptionEnabled) {
		o.TransitEncryptionMode = blueprint.TransitRequired
	}
	if len(rg.UserGroupIds) > 0 {
		o.UserGroupID = rg.UserGroupIds[0]
	}
	if info := rg.GlobalReplicationGroupInfo; info != nil {
		o.GlobalDatastoreID = aws.ToString(info.GlobalReplicationGroupId)
		o.GlobalRole = strings.ToLower(aws.ToString(info.GlobalReplicationGroupMemberRole))
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
		if err := c.changeReplicaCount(ctx, observed, spec.ReplicasPerShard, spec.PreferredAZs); err != nil {
			return err
		}
	}
	if changed {
		tflog.Info(ctx, "modifying replication group", map[string]any{"replication_group_id": id})
		if err := c.modifyReplicationGroup(ctx, "modify", "changes", in); err != nil {
			return err
		}
	}
	if spec.Shards != observed.Shards {
		if err := c.reshard(ctx, id, observed.Shards, spec.Shards); err != nil {
			return err
		}
	}
	if spec.ReplicasPerShard < observed.ReplicasPerShard {
		if err := c.changeReplicaCount(ctx, observed, spec.ReplicasPerShard, spec.PreferredAZs); err != nil {
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
	groups := blueprint.SecurityGroupIDs(sgID, spec.AdditionalSecurityGroupIDs)
	set(!slices.Equal(observed.SecurityGroupIDs, groups), func() { in.SecurityGroupIds = groups })
	set(observed.AutoMinorVersionUpgrade != spec.AutoMinorVersionUpgrade, func() { in.AutoMinorVersionUpgrade = aws.Bool(spec.AutoMinorVersionUpgrade) })
	set(spec.IPDiscovery != "" && observed.IPDiscovery != "" && observed.IPDiscovery != spec.IPDiscovery, func() { in.IpDiscovery = ectypes.IpDiscovery(spec.IPDiscovery) })
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
		if err := c.modifyReplicationGroup(ctx, "update AUTH token ("+string(strategy)+") of", "an AUTH change", in); err != nil {
			return err
		}
	}
	return nil
}

// changeReplicaCount grows or shrinks every shard to count replicas. Shrinking a group
// without cluster mode names the replicas to remove (the highest-numbered ones, never the
// current primary, which a failover may have moved); without a list AWS picks them itself.
func (c *Clients) changeReplicaCount(ctx context.Context, observed ObservedReplicationGroup, count int, zones []string) error {
	id := observed.ID
	change := func(ctx context.Context) error {
		if count > observed.ReplicasPerShard {
			_, err := c.ElastiCache.IncreaseReplicaCount(ctx, increaseReplicas(observed, count, zones))
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
	err := modifyAndWait(ctx, componentReplicationGroup, "change replica count of", id, "a replica change", change, c.WaitReplicationGroupAvailable)
	if err != nil {
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
	err := modifyAndWait(ctx, componentReplicationGroup, "reshard", id, "resharding",
		call(c.ElastiCache.ModifyReplicationGroupShardConfiguration, in), c.WaitReplicationGroupAvailable)
	if err != nil {
		return err
	}
	return c.WaitMembersAvailable(ctx, id)
}

// modifyReplicationGroup sends one ModifyReplicationGroup and waits for the group to apply it.
func (c *Clients) modifyReplicationGroup(ctx context.Context, action, change string, in *elasticache.ModifyReplicationGroupInput) error {
	return modifyAndWait(ctx, componentReplicationGroup, action, aws.ToString(in.ReplicationGroupId), change,
		call(c.ElastiCache.ModifyReplicationGroup, in), c.WaitReplicationGroupAvailable)
}

// WaitReplicationGroupAvailable polls until the group is available, up to the context's
// deadline (the resource's timeout).
func (c *Clients) WaitReplicationGroupAvailable(ctx context.Context, id string) error {
	return waitStatus(ctx, componentReplicationGroup, id, StatusAvailable, statusBy(c.findReplicationGroup, id, replicationGroupStatus))
}

// DeleteReplicationGroup deletes the group (taking a final snapshot when named) and waits
// until it is gone. A group that no longer exists is not an error; one that is still being
// created or modified is waited for first.
func (c *Clients) DeleteReplicationGroup(ctx context.Context, id, finalSnapshot string) error {
	in := &elasticache.DeleteReplicationGroupInput{ReplicationGroupId: aws.String(id)}
	in.FinalSnapshotIdentifier = nonEmpty(finalSnapshot)
	busy := isA[*ectypes.InvalidReplicationGroupStateFault]
	gone := func(err error) bool {
		// A group already being deleted answers "busy" with its state in the message.
		return isA[*ectypes.ReplicationGroupNotFoundFault](err) || busy(err) && strings.Contains(err.Error(), StatusDeleting)
	}
	if err := deleteRetrying(ctx, componentReplicationGroup, id, call(c.ElastiCache.DeleteReplicationGroup, in), gone, busy); err != nil {
		return err
	}
	return waitGone(ctx, componentReplicationGroup, id, statusBy(c.findReplicationGroup, id, replicationGroupStatus))
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
		if err := c.modifyReplicationGroup(ctx, "set cluster mode "+string(in.ClusterMode)+" on", "a cluster mode change", in); err != nil {
			return err
		}
	}
	return nil
}

// ReplicationGroupMembers returns the group's member cluster ids (one describe call).
func (c *Clients) ReplicationGroupMembers(ctx context.Context, id string) ([]string, error) {
	rg, found, err := c.findReplicationGroup(ctx, id)
	if err == nil && !found {
		err = wrap(componentReplicationGroup, "describe", id, errNotFound)
	}
	return slices.Clone(rg.MemberClusters), err
}

// WaitMembersAvailable polls until every member cluster of the group is available: after a
// replica or shard change AWS can report the group available while new members still start.
func (c *Clients) WaitMembersAvailable(ctx context.Context, id string) error {
	members, err := c.ReplicationGroupMembers(ctx, id)
	if err != nil {
		return err
	}
	for _, m := range members {
		status := statusBy(c.findCacheCluster, m, cacheClusterStatus)
		err := pollUntil(ctx, "member cluster "+m+" to become available", func(ctx context.Context) (bool, string, error) {
			s, found, err := status(ctx)
			return !found || s == StatusAvailable, s, err // a member removed meanwhile is not waited for
		})
		if err != nil {
			return err
		}
	}
	return nil
}
