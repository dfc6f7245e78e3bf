package driver

import (
	"context"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/cost"
)

// memcachedCluster drives a provisioned Memcached cluster.
type memcachedCluster struct {
	kind[awsops.ObservedCacheCluster]
}

func (memcachedCluster) Create(ctx context.Context, c *awsops.Clients, req CreateRequest) (string, error) {
	return c.CreateCacheCluster(ctx, req.Desired.Name, specOf[blueprint.CacheClusterSpec](req.Desired),
		req.SecurityGroupID, req.SubnetGroup, req.ParameterGroup)
}

// Delete takes no final snapshot: Memcached has none.
func (memcachedCluster) Delete(ctx context.Context, c *awsops.Clients, name, _ string) error {
	return c.DeleteCacheCluster(ctx, name)
}

// Observe reports the node settings Memcached has; shards, replicas, eviction policy and
// snapshots stay nil, so the configuration's values stand.
func (d memcachedCluster) Observe(ctx context.Context, c *awsops.Clients, name, sgID string) (Observed, bool, error) {
	cc, groups, found, err := d.find(ctx, c, name, sgID)
	if err != nil || !found {
		return Observed{}, found, err
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

		AdditionalSecurityGroupIDs: groups.additional,
		NetworkType:                cc.NetworkType,
		IPDiscovery:                cc.IPDiscovery,
	}
	params, err := observeComponents(ctx, c, &o, name, groups.own)
	if err != nil {
		return o, true, err
	}
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

func (d memcachedCluster) Apply(ctx context.Context, c *awsops.Clients, req ApplyRequest) ([]string, error) {
	cc, found, err := d.ready(ctx, c, req.Want.Name)
	if err != nil || !found {
		return nil, err
	}
	if err := syncParameters(ctx, c, req); err != nil {
		return nil, err
	}
	if err := d.retag(ctx, c, cc, req); err != nil {
		return nil, err
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
