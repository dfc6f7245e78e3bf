package driver

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/cost"
)

// serverlessCache drives a serverless cache (any engine). It takes the subnets and the
// security group directly: no subnet or parameter group.
type serverlessCache struct {
	kind[awsops.ObservedServerlessCache]
}

func (serverlessCache) Create(ctx context.Context, c *awsops.Clients, req CreateRequest) (string, error) {
	return c.CreateServerlessCache(ctx, req.Desired.Name, specOf[blueprint.ServerlessCacheSpec](req.Desired), req.SecurityGroupID)
}

func (serverlessCache) Delete(ctx context.Context, c *awsops.Clients, name, finalSnapshot string) error {
	return c.DeleteServerlessCache(ctx, name, finalSnapshot)
}

func (d serverlessCache) Observe(ctx context.Context, c *awsops.Clients, name, sgID string) (Observed, bool, error) {
	sc, groups, found, err := d.find(ctx, c, name, sgID)
	if err != nil || !found {
		return Observed{}, found, err
	}
	o := Observed{
		Mode:                       blueprint.ModeServerless,
		Engine:                     sc.Engine,
		EngineVersion:              firstNonEmpty(sc.FullEngineVersion, sc.MajorEngineVersion),
		MajorEngineVersion:         sc.MajorEngineVersion,
		ARN:                        sc.ARN,
		Port:                       sc.Port,
		SubnetIDs:                  sc.SubnetIDs,
		Tags:                       sc.Tags,
		Endpoints:                  Endpoints{Endpoint: sc.Endpoint, Primary: sc.Endpoint, Reader: sc.ReaderEndpoint},
		Members:                    []string{},
		Security:                   Security{TransitEncryptionMode: blueprint.TransitRequired, KMSKeyARN: sc.KMSKeyARN, UserGroupID: sc.UserGroupID},
		Serverless:                 &sc.Serverless,
		AdditionalSecurityGroupIDs: groups.additional,
		NetworkType:                sc.NetworkType,
	}
	_, err = observeComponents(ctx, c, &o, name, groups.own)
	return o, true, err
}

func (d serverlessCache) Apply(ctx context.Context, c *awsops.Clients, req ApplyRequest) ([]string, error) {
	sc, found, err := d.ready(ctx, c, req.Want.Name)
	if err != nil || !found {
		return nil, err
	}
	if err := d.retag(ctx, c, sc, req); err != nil {
		return nil, err
	}
	calls, err := c.ModifyServerlessCache(ctx, sc, specOf[blueprint.ServerlessCacheSpec](req.Desired), req.SecurityGroupID)
	tflog.Debug(ctx, "serverless cache modified", map[string]any{"modify_calls": calls})
	return nil, err
}

func (serverlessCache) Price(src cost.PriceSource, region string, in blueprint.Input, load *cost.ExpectedLoad) (cost.Estimate, []cost.Recommendation, error) {
	s := in.Serverless
	return cost.Quote(src, cost.RecommendInput{Region: region, Engine: in.Engine, Mode: in.Mode, Load: load,
		MaxDataGB: float64(s.MaxDataStorageGB), MaxECPUPerSecond: float64(s.MaxECPUPerSecond), MinDataGB: float64(s.MinDataStorageGB),
		MinECPUPerSecond: float64(s.MinECPUPerSecond), SnapshotRetentionDays: s.SnapshotRetentionDays})
}
