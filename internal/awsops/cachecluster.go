package awsops

import (
	"context"
	"slices"
	"time"

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
		SecurityGroupIds:         []string{sgID},
		TransitEncryptionEnabled: aws.Bool(spec.TransitEncryption),
		Tags:                     elastiCacheTags(WithOwner(stackName, spec.Tags)),
	}
	if spec.NumNodes > 1 {
		in.AZMode = ectypes.AZModeCrossAz
	}
	if spec.MaintenanceWindow != "" {
		in.PreferredMaintenanceWindow = aws.String(spec.MaintenanceWindow)
	}
	if spec.NotificationTopicARN != "" {
		in.NotificationTopicArn = aws.String(spec.NotificationTopicARN)
	}
	out, err := c.ElastiCache.CreateCacheCluster(ctx, in)
	var already *ectypes.CacheClusterAlreadyExistsFault
	if asType(err, &already) {
		return adoptOwn(ctx, componentCacheCluster, spec.ID, stackName, err, func() (string, map[string]string, bool, error) {
			o, found, err := c.ObserveCacheCluster(ctx, spec.ID)
			return o.ARN, o.Tags, found, err
		})
	}
	if err != nil {
		return "", wrap(componentCacheCluster, "create", spec.ID, err)
	}
	return aws.ToString(out.CacheCluster.ARN), nil
}

// ObserveCacheCluster describes the cluster with its nodes, and reads its tags.
func (c *Clients) ObserveCacheCluster(ctx context.Context, id string) (ObservedCacheCluster, bool, error) {
	out, err := c.ElastiCache.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id), ShowCacheNodeInfo: aws.Bool(true)})
	var notFound *ectypes.CacheClusterNotFoundFault
	if asType(err, &notFound) {
		return ObservedCacheCluster{}, false, nil
	}
	if err != nil {
		return ObservedCacheCluster{}, false, wrap(componentCacheCluster, "describe", id, err)
	}
	if len(out.CacheClusters) == 0 {
		return ObservedCacheCluster{}, false, nil
	}
	cc := out.CacheClusters[0]
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
	if o.ARN != "" {
		tags, err := c.ListTags(ctx, o.ARN)
		if err != nil {
			return o, true, wrap(componentCacheCluster, "read tags of", id, err)
		}
		o.Tags = tags
	}
	return o, true, nil
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
	if !slices.Equal(observed.SecurityGroupIDs, []string{sgID}) {
		changed, in.SecurityGroupIds = true, []string{sgID}
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
	err := retryWhileBusy(ctx, "Memcached cluster "+spec.ID+" to accept changes", func(ctx context.Context) error {
		_, err := c.ElastiCache.ModifyCacheCluster(ctx, in)
		return err
	})
	if err != nil {
		return wrap(componentCacheCluster, "modify", spec.ID, err)
	}
	return c.WaitCacheClusterAvailable(ctx, spec.ID)
}

// WaitCacheClusterAvailable polls until the cluster is available, up to the context's deadline.
func (c *Clients) WaitCacheClusterAvailable(ctx context.Context, id string) error {
	start := time.Now()
	return pollUntil(ctx, "Memcached cluster "+id+" to become available", func(ctx context.Context) (bool, string, error) {
		status, found, err := c.cacheClusterStatus(ctx, id)
		switch {
		case err != nil:
			return false, "", err
		case !found && time.Since(start) < EventualConsistency:
			return false, "not yet visible", nil
		case !found:
			return false, "", wrap(componentCacheCluster, "wait for", id, errNotFound)
		}
		return status == StatusAvailable, status, nil
	})
}

func (c *Clients) cacheClusterStatus(ctx context.Context, id string) (status string, found bool, err error) {
	out, err := c.ElastiCache.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id)})
	var notFound *ectypes.CacheClusterNotFoundFault
	if asType(err, &notFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, wrap(componentCacheCluster, "describe", id, err)
	}
	if len(out.CacheClusters) == 0 {
		return "", false, nil
	}
	return aws.ToString(out.CacheClusters[0].CacheClusterStatus), true, nil
}

// DeleteCacheCluster deletes the cluster and waits until it is gone; a missing one is fine.
func (c *Clients) DeleteCacheCluster(ctx context.Context, id string) error {
	err := pollUntil(ctx, "Memcached cluster "+id+" to accept deletion", func(ctx context.Context) (bool, string, error) {
		_, err := c.ElastiCache.DeleteCacheCluster(ctx, &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String(id)})
		var notFound *ectypes.CacheClusterNotFoundFault
		var invalid *ectypes.InvalidCacheClusterStateFault
		switch {
		case err == nil, asType(err, &notFound):
			return true, StatusDeleting, nil
		case asType(err, &invalid):
			return false, "busy", nil
		default:
			return false, "", wrap(componentCacheCluster, "delete", id, err)
		}
	})
	if err != nil {
		return err
	}
	return pollUntil(ctx, "Memcached cluster "+id+" to be deleted", func(ctx context.Context) (bool, string, error) {
		status, found, err := c.cacheClusterStatus(ctx, id)
		return err == nil && !found, status, err
	})
}
