package driver

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/cost"
)

// serverlessCache drives a serverless cache (any engine). It takes the subnets and the
// security group directly: no subnet or parameter group.
type serverlessCache struct{}

func (serverlessCache) Create(ctx context.Context, c *awsops.Clients, req CreateRequest) (string, error) {
	return c.CreateServerlessCache(ctx, req.Desired.Name, specOf[blueprint.ServerlessCacheSpec](req.Desired), req.SecurityGroupID)
}

func (serverlessCache) Wait(ctx context.Context, c *awsops.Clients, name string) error {
	return c.WaitServerlessCacheAvailable(ctx, name)
}

func (serverlessCache) Delete(ctx context.Context, c *awsops.Clients, name, finalSnapshot string) error {
	return c.DeleteServerlessCache(ctx, name, finalSnapshot)
}

func (serverlessCache) ARN(partition, region, accountID, name string) string {
	return fmt.Sprintf("arn:%s:elasticache:%s:%s:serverlesscache:%s", partition, region, accountID, name)
}

func (serverlessCache) Observe(ctx context.Context, c *awsops.Clients, name, sgID string) (Observed, bool, error) {
	sc, found, err := c.ObserveServerlessCache(ctx, name)
	if err != nil || !found {
		return Observed{}, false, err
	}
	sgID, additional, err := attachedGroups(ctx, c, name, sgID, sc.SecurityGroupIDs)
	if err != nil {
		return Observed{}, true, err
	}
	o := Observed{
		Mode:               blueprint.ModeServerless,
		Engine:             sc.Engine,
		EngineVersion:      firstNonEmpty(sc.FullEngineVersion, sc.MajorEngineVersion),
		MajorEngineVersion: sc.MajorEngineVersion,
		ARN:                sc.ARN,
		Port:               sc.Port,
		SubnetIDs:          sc.SubnetIDs,
		Tags:               sc.Tags,
		Endpoints:          Endpoints{Endpoint: sc.Endpoint, Primary: sc.Endpoint, Reader: sc.ReaderEndpoint},
		Members:            []string{},
		Security:           Security{TransitEncryptionMode: blueprint.TransitRequired, KMSKeyARN: sc.KMSKeyARN, UserGroupID: sc.UserGroupID},
		Serverless: &blueprint.Serverless{
			MaxDataStorageGB:      sc.MaxDataStorageGB,
			MaxECPUPerSecond:      sc.MaxECPUPerSecond,
			MinDataStorageGB:      sc.MinDataStorageGB,
			MinECPUPerSecond:      sc.MinECPUPerSecond,
			DailySnapshotTime:     sc.DailySnapshotTime,
			SnapshotRetentionDays: sc.SnapshotRetentionDays,
		},
		AdditionalSecurityGroupIDs: additional,
		NetworkType:                sc.NetworkType,
	}
	comp, err := observeComponents(ctx, c, name, sgID, "", "")
	if err != nil {
		return o, true, err
	}
	comp.fill(&o)
	return o, true, nil
}

func (serverlessCache) Apply(ctx context.Context, c *awsops.Clients, req ApplyRequest) ([]string, error) {
	name := req.Want.Name
	sc, found, err := untilAvailable(ctx,
		func() (awsops.ObservedServerlessCache, bool, error) { return c.ObserveServerlessCache(ctx, name) },
		func(o awsops.ObservedServerlessCache) string { return o.Status },
		func() error { return c.WaitServerlessCacheAvailable(ctx, name) })
	if err != nil || !found {
		return nil, err
	}
	if req.TagsChanged() {
		if err := syncTags(ctx, c, "serverless cache", sc.ARN, sc.Tags, req); err != nil {
			return nil, err
		}
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
