package driver

import (
	"context"
	"fmt"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/cost"
)

// memcachedCluster drives a provisioned Memcached cluster.
type memcachedCluster struct{}

func (memcachedCluster) Create(ctx context.Context, c *awsops.Clients, req CreateRequest) (string, error) {
	return c.CreateCacheCluster(ctx, req.Desired.Name, specOf[blueprint.CacheClusterSpec](req.Desired),
		req.SecurityGroupID, req.SubnetGroup, req.ParameterGroup)
}

func (memcachedCluster) Wait(ctx context.Context, c *awsops.Clients, name string) error {
	return c.WaitCacheClusterAvailable(ctx, name)
}

// Delete takes no final snapshot: Memcached has none.
func (memcachedCluster) Delete(ctx context.Context, c *awsops.Clients, name, _ string) error {
	return c.DeleteCacheCluster(ctx, name)
}

func (memcachedCluster) ARN(partition, region, accountID, name string) string {
	return fmt.Sprintf("arn:%s:elasticache:%s:%s:cluster:%s", partition, region, accountID, name)
}

// Observe reports the node settings Memcached has; shards, replicas, eviction policy and
// snapshots stay nil, so the configuration's values stand.
func (memcachedCluster) Observe(ctx context.Context, c *awsops.Clients, name, sgID string) (Observed, bool, error) {
	cc, found, err := c.ObserveCacheCluster(ctx, name)
	if err != nil || !found {
		return Observed{}, false, err
	}
	sgID, additional, err := attachedGroups(ctx, c, name, sgID, cc.SecurityGroupIDs)
	if err != nil {
		return Observed{}, true, err
	}
	transit := ""
	if cc.TransitEncryption {
		transit = blueprint.TransitRequired
	}
	o := Observed{
		Mode:                 blueprint.ModeProvisioned,
		Engine:               blueprint.EngineMemcached,
		EngineVersion:        cc.EngineVersion,
		ARN:                  cc.ARN,
		Port:                 cc.Port,
		SubnetGroupName:      firstNonEmpty(cc.SubnetGroupName, name),
		ParameterGroupName:   firstNonEmpty(cc.ParameterGroupName, name),
		NotificationTopicARN: cc.NotificationTopicARN,
		Tags:                 cc.Tags,
		Endpoints:            Endpoints{Endpoint: cc.ConfigurationEndpoint, Configuration: cc.ConfigurationEndpoint},
		Members:              []string{cc.ID},
		Security:             Security{TransitEncryptionMode: transit},

		AdditionalSecurityGroupIDs: additional,
		NetworkType:                cc.NetworkType,
		IPDiscovery:                cc.IPDiscovery,
	}
	comp, err := observeComponents(ctx, c, name, sgID, o.SubnetGroupName, o.ParameterGroupName)
	if err != nil {
		return o, true, err
	}
	comp.fill(&o)
	params := comp.parameters
	if params == nil {
		params = map[string]string{}
	}
	o.Provisioned = &Provisioned{
		NodeType:                cc.NodeType,
		Parameters:              params,
		MaintenanceWindow:       cc.MaintenanceWindow,
		NumNodes:                ptr(cc.NumNodes),
		AutoMinorVersionUpgrade: ptr(cc.AutoMinorVersionUpgrade),
	}
	return o, true, nil
}

func (memcachedCluster) Apply(ctx context.Context, c *awsops.Clients, req ApplyRequest) ([]string, error) {
	name := req.Want.Name
	cc, found, err := untilAvailable(ctx,
		func() (awsops.ObservedCacheCluster, bool, error) { return c.ObserveCacheCluster(ctx, name) },
		func(o awsops.ObservedCacheCluster) string { return o.Status },
		func() error { return c.WaitCacheClusterAvailable(ctx, name) })
	if err != nil || !found {
		return nil, err
	}
	if err := syncParameters(ctx, c, req); err != nil {
		return nil, err
	}
	if req.TagsChanged() {
		if err := syncTags(ctx, c, "Memcached cluster", cc.ARN, cc.Tags, req); err != nil {
			return nil, err
		}
	}
	spec := specOf[blueprint.CacheClusterSpec](req.Desired)
	return nil, c.ModifyCacheCluster(ctx, cc, spec, req.SecurityGroupID, req.Desired.ParameterGroup.Name)
}

// Price prices the Memcached nodes: no replicas, no snapshots.
func (memcachedCluster) Price(src cost.PriceSource, region string, in blueprint.Input, load *cost.ExpectedLoad) (cost.Estimate, []cost.Recommendation, error) {
	p := in.Provisioned
	return cost.Quote(src, cost.RecommendInput{Region: region, Engine: in.Engine, Mode: in.Mode, Load: load,
		NodeType: p.NodeType, Shards: p.MemcachedNodes()})
}
