package awsops

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

const componentCacheCluster = "Memcached cluster"

// ObservedCacheCluster is what AWS says about a Memcached cluster.
type ObservedCacheCluster struct {
	ID, ARN, Status       string
	Engine, EngineVersion string
	NodeType              string
	NumNodes              int
	NodeIDs               []string
	Port                  int
	ConfigurationEndpoint string
	ParameterGroupName    string
	SubnetGroupName       string
	SecurityGroupIDs      []string
	MaintenanceWindow     string
	NotificationTopicARN  string
	TransitEncryption     bool
	Tags                  map[string]string
	// Placement (issue 17 §4).
	NetworkType, IPDiscovery string
	AutoMinorVersionUpgrade  bool
}

// CreateCacheCluster creates the Memcached cluster with its nodes spread over the subnet
// group's zones (or adopts this stack's own after an interrupted apply).
func (c *Clients) CreateCacheCluster(ctx context.Context, stackName string, spec blueprint.CacheClusterSpec, sgID, subnetGroup, parameterGroup string) (string, error) {
	in := &elasticache.CreateCacheClusterInput{
		CacheClusterId:           aws.String(spec.ID),
		Engine:                   aws.String(blueprint.EngineMemcached),
		EngineVersion:            aws.String(spec.EngineVersion),
		CacheNodeType:            aws.String(spec.NodeType),
		NumCacheNodes:            aws.Int32(int32(spec.NumNodes)),
		Port:                     aws.Int32(int32(spec.Port)),
		CacheParameterGroupName:  aws.String(parameterGroup),
		CacheSubnetGroupName:     aws.String(subnetGroup),
		SecurityGroupIds:         blueprint.SecurityGroupIDs(sgID, spec.AdditionalSecurityGroupIDs),
		AutoMinorVersionUpgrade:  aws.Bool(spec.AutoMinorVersionUpgrade),
		TransitEncryptionEnabled: aws.Bool(spec.TransitEncryption),
		Tags:                     elastiCacheTags(WithOwner(stackName, spec.Tags)),
	}
	placeCacheCluster(in, spec)
	in.PreferredMaintenanceWindow = nonEmpty(spec.MaintenanceWindow)
	in.NotificationTopicArn = nonEmpty(spec.NotificationTopicARN)
	out, err := c.ElastiCache.CreateCacheCluster(ctx, in)
	return createOrAdopt(ctx, componentCacheCluster, spec.ID, stackName, err, isA[*ectypes.CacheClusterAlreadyExistsFault],
		c.ObserveCacheCluster, func() *string { return out.CacheCluster.ARN })
}

// findCacheCluster describes a cluster with its nodes (as hashicorp/aws's FindCacheClusterByID).
func (c *Clients) findCacheCluster(ctx context.Context, id string) (ectypes.CacheCluster, bool, error) {
	out, err := c.ElastiCache.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id), ShowCacheNodeInfo: aws.Bool(true)})
	return firstListed(componentCacheCluster, id, err, isA[*ectypes.CacheClusterNotFoundFault], func() []ectypes.CacheCluster { return out.CacheClusters })
}

func cacheClusterStatus(o ectypes.CacheCluster) *string { return o.CacheClusterStatus }

// ObserveCacheCluster describes the cluster with its nodes, and reads its tags.
func (c *Clients) ObserveCacheCluster(ctx context.Context, id string) (ObservedCacheCluster, bool, error) {
	cc, found, err := c.findCacheCluster(ctx, id)
	if err != nil || !found {
		return ObservedCacheCluster{}, false, err
	}
	o := ObservedCacheCluster{
		ID:                aws.ToString(cc.CacheClusterId),
		ARN:               aws.ToString(cc.ARN),
		Status:            aws.ToString(cc.CacheClusterStatus),
		Engine:            aws.ToString(cc.Engine),
		EngineVersion:     aws.ToString(cc.EngineVersion),
		NodeType:          aws.ToString(cc.CacheNodeType),
		NumNodes:          int(aws.ToInt32(cc.NumCacheNodes)),
		SubnetGroupName:   aws.ToString(cc.CacheSubnetGroupName),
		MaintenanceWindow: aws.ToString(cc.PreferredMaintenanceWindow),
		TransitEncryption: aws.ToBool(cc.TransitEncryptionEnabled),
		NetworkType:       string(cc.NetworkType),
		IPDiscovery:       string(cc.IpDiscovery),
		// AWS reports nothing for engines without the setting: its default stands.
		AutoMinorVersionUpgrade: cc.AutoMinorVersionUpgrade == nil || aws.ToBool(cc.AutoMinorVersionUpgrade),
	}
	if pending := cc.PendingModifiedValues; pending != nil && pending.NumCacheNodes != nil {
		o.NumNodes = int(aws.ToInt32(pending.NumCacheNodes))
	}
	for _, n := range cc.CacheNodes {
		o.NodeIDs = append(o.NodeIDs, aws.ToString(n.CacheNodeId))
	}
	if cc.ConfigurationEndpoint != nil {
		o.ConfigurationEndpoint, o.Port = aws.ToString(cc.ConfigurationEndpoint.Address), int(aws.ToInt32(cc.ConfigurationEndpoint.Port))
	}
	if cc.CacheParameterGroup != nil {
		o.ParameterGroupName = aws.ToString(cc.CacheParameterGroup.CacheParameterGroupName)
	}
	for _, sg := range cc.SecurityGroups {
		o.SecurityGroupIDs = append(o.SecurityGroupIDs, aws.ToString(sg.SecurityGroupId))
	}
	slices.Sort(o.SecurityGroupIDs)
	// AWS keeps the ARN of a removed topic, marked inactive: only an active one is configured.
	if n := cc.NotificationConfiguration; n != nil && aws.ToString(n.TopicStatus) == "active" {
		o.NotificationTopicARN = aws.ToString(n.TopicArn)
	}
	if o.Status == StatusDeleting {
		return o, false, nil
	}
	o.Tags, err = c.readTags(ctx, componentCacheCluster, id, o.ARN)
	return o, true, err
}

// ModifyCacheCluster changes what differs in one ModifyCacheCluster call: node count (removing
// the newest nodes), node type, engine version, parameter group, security group, window, topic.
func (c *Clients) ModifyCacheCluster(ctx context.Context, observed ObservedCacheCluster, spec blueprint.CacheClusterSpec, sgID, parameterGroup string) error {
	in := &elasticache.ModifyCacheClusterInput{CacheClusterId: aws.String(spec.ID), ApplyImmediately: aws.Bool(spec.ApplyImmediately)}
	changed := false
	if observed.NumNodes != spec.NumNodes {
		changed = true
		in.NumCacheNodes = aws.Int32(int32(spec.NumNodes))
		in.ApplyImmediately = aws.Bool(true) // node count changes are not deferred
		if spec.NumNodes < observed.NumNodes {
			ids := slices.Clone(observed.NodeIDs)
			slices.Sort(ids)
			in.CacheNodeIdsToRemove = ids[spec.NumNodes:]
		}
		if spec.NumNodes > 1 {
			in.AZMode = ectypes.AZModeCrossAz
		}
		in.NewAvailabilityZones = newNodeZones(observed.NumNodes, spec)
	}
	if observed.NodeType != spec.NodeType {
		changed, in.CacheNodeType = true, aws.String(spec.NodeType)
	}
	if observed.EngineVersion != spec.EngineVersion {
		changed, in.EngineVersion = true, aws.String(spec.EngineVersion)
	}
	if observed.ParameterGroupName != parameterGroup {
		changed, in.CacheParameterGroupName = true, aws.String(parameterGroup)
	}
	if groups := blueprint.SecurityGroupIDs(sgID, spec.AdditionalSecurityGroupIDs); !slices.Equal(observed.SecurityGroupIDs, groups) {
		changed, in.SecurityGroupIds = true, groups
	}
	if observed.AutoMinorVersionUpgrade != spec.AutoMinorVersionUpgrade {
		changed, in.AutoMinorVersionUpgrade = true, aws.Bool(spec.AutoMinorVersionUpgrade)
	}
	if spec.IPDiscovery != "" && observed.IPDiscovery != "" && observed.IPDiscovery != spec.IPDiscovery {
		changed, in.IpDiscovery = true, ectypes.IpDiscovery(spec.IPDiscovery)
	}
	if spec.MaintenanceWindow != "" && observed.MaintenanceWindow != spec.MaintenanceWindow {
		changed, in.PreferredMaintenanceWindow = true, aws.String(spec.MaintenanceWindow)
	}
	if observed.NotificationTopicARN != spec.NotificationTopicARN {
		changed, in.NotificationTopicArn = true, aws.String(spec.NotificationTopicARN)
		if spec.NotificationTopicARN == "" {
			// AWS removes a topic by making it inactive (it keeps reporting the ARN).
			in.NotificationTopicStatus = aws.String("inactive")
		}
	}
	if !changed {
		return nil
	}
	return modifyAndWait(ctx, componentCacheCluster, "modify", spec.ID, "changes", call(c.ElastiCache.ModifyCacheCluster, in), c.WaitCacheClusterAvailable)
}

// WaitCacheClusterAvailable polls until the cluster is available, up to the context's deadline.
func (c *Clients) WaitCacheClusterAvailable(ctx context.Context, id string) error {
	return waitStatus(ctx, componentCacheCluster, id, StatusAvailable, statusBy(c.findCacheCluster, id, cacheClusterStatus))
}

// DeleteCacheCluster deletes the cluster and waits until it is gone; a missing one is fine.
func (c *Clients) DeleteCacheCluster(ctx context.Context, id string) error {
	err := deleteRetrying(ctx, componentCacheCluster, id,
		call(c.ElastiCache.DeleteCacheCluster, &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String(id)}),
		isA[*ectypes.CacheClusterNotFoundFault], isA[*ectypes.InvalidCacheClusterStateFault])
	if err != nil {
		return err
	}
	return waitGone(ctx, componentCacheCluster, id, statusBy(c.findCacheCluster, id, cacheClusterStatus))
}
