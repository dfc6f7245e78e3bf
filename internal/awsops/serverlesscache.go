package awsops

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

const componentServerlessCache = "serverless cache"

// ObservedServerlessCache is what AWS says about a serverless cache.
type ObservedServerlessCache struct {
	Name, ARN, Status    string
	Engine               string
	MajorEngineVersion   string
	FullEngineVersion    string
	blueprint.Serverless // limits, minimums and snapshots (FinalSnapshotName is never observed)
	SecurityGroupIDs     []string
	SubnetIDs            []string
	UserGroupID          string
	KMSKeyARN            string
	Endpoint             string
	ReaderEndpoint       string
	Port                 int
	Tags                 map[string]string
	NetworkType          string
}

// CreateServerlessCache creates the cache (or adopts this stack's own after an interrupted
// apply) with the stack's subnets and security group.
func (c *Clients) CreateServerlessCache(ctx context.Context, stackName string, spec blueprint.ServerlessCacheSpec, sgID string) (string, error) {
	in := &elasticache.CreateServerlessCacheInput{
		ServerlessCacheName: aws.String(spec.Name),
		Description:         aws.String(spec.Description),
		Engine:              aws.String(spec.Engine),
		MajorEngineVersion:  aws.String(spec.MajorEngineVersion),
		SubnetIds:           spec.SubnetIDs,
		SecurityGroupIds:    blueprint.SecurityGroupIDs(sgID, spec.AdditionalSecurityGroupIDs),
		CacheUsageLimits:    usageLimits(spec),
		Tags:                elastiCacheTags(WithOwner(stackName, spec.Tags)),
	}
	if spec.Engine != blueprint.EngineMemcached {
		in.DailySnapshotTime = nonEmpty(spec.DailySnapshotTime)
		in.SnapshotRetentionLimit = aws.Int32(int32(spec.SnapshotRetentionDays))
	}
	in.KmsKeyId = nonEmpty(spec.KMSKeyARN)
	in.UserGroupId = nonEmpty(spec.UserGroupID)
	in.SnapshotArnsToRestore = spec.Restore.SnapshotARNs
	if spec.NetworkType != "" && spec.NetworkType != blueprint.DefaultNetworkType {
		in.NetworkType = ectypes.NetworkType(spec.NetworkType)
	}
	out, err := c.ElastiCache.CreateServerlessCache(ctx, in)
	return createOrAdopt(ctx, componentServerlessCache, spec.Name, stackName, err, isA[*ectypes.ServerlessCacheAlreadyExistsFault],
		c.ObserveServerlessCache, func() *string { return out.ServerlessCache.ARN })
}

// usageLimits maps the spec's limits; a zero maximum or minimum is none.
func usageLimits(spec blueprint.ServerlessCacheSpec) *ectypes.CacheUsageLimits {
	return limitsOf(spec.MaxDataStorageGB, spec.MinDataStorageGB, spec.MaxECPUPerSecond, spec.MinECPUPerSecond, false)
}

// limitsOf builds CacheUsageLimits. With sendZero, a zero value is sent as 0, which is how
// AWS removes a maximum or minimum (a value left out keeps what the cache has; emulator rule
// serverless-limit-removed-with-zero).
func limitsOf(maxData, minData, maxECPU, minECPU int64, sendZero bool) *ectypes.CacheUsageLimits {
	value := func(v int64) *int32 {
		if v == 0 && !sendZero {
			return nil
		}
		return aws.Int32(int32(v))
	}
	limits := &ectypes.CacheUsageLimits{}
	if maxData != 0 || minData != 0 || sendZero {
		limits.DataStorage = &ectypes.DataStorage{Maximum: value(maxData), Minimum: value(minData), Unit: ectypes.DataStorageUnitGb}
	}
	if maxECPU != 0 || minECPU != 0 || sendZero {
		limits.ECPUPerSecond = &ectypes.ECPUPerSecond{Maximum: value(maxECPU), Minimum: value(minECPU)}
	}
	return limits
}

func (c *Clients) findServerlessCache(ctx context.Context, name string) (ectypes.ServerlessCache, bool, error) {
	out, err := c.ElastiCache.DescribeServerlessCaches(ctx, &elasticache.DescribeServerlessCachesInput{ServerlessCacheName: aws.String(name)})
	return firstListed(componentServerlessCache, name, err, isA[*ectypes.ServerlessCacheNotFoundFault], func() []ectypes.ServerlessCache { return out.ServerlessCaches })
}

func serverlessCacheStatus(o ectypes.ServerlessCache) *string { return o.Status }

// ObserveServerlessCache describes the cache and reads its tags. found is false when it does
// not exist or is being deleted.
func (c *Clients) ObserveServerlessCache(ctx context.Context, name string) (ObservedServerlessCache, bool, error) {
	sc, found, err := c.findServerlessCache(ctx, name)
	if err != nil || !found {
		return ObservedServerlessCache{}, false, err
	}
	o := ObservedServerlessCache{
		Name:               aws.ToString(sc.ServerlessCacheName),
		ARN:                aws.ToString(sc.ARN),
		Status:             aws.ToString(sc.Status),
		Engine:             aws.ToString(sc.Engine),
		MajorEngineVersion: aws.ToString(sc.MajorEngineVersion),
		FullEngineVersion:  aws.ToString(sc.FullEngineVersion),
		Serverless: blueprint.Serverless{
			DailySnapshotTime:     aws.ToString(sc.DailySnapshotTime),
			SnapshotRetentionDays: int(aws.ToInt32(sc.SnapshotRetentionLimit)),
		},
		SecurityGroupIDs: slices.Sorted(slices.Values(sc.SecurityGroupIds)),
		SubnetIDs:        slices.Sorted(slices.Values(sc.SubnetIds)),
		UserGroupID:      aws.ToString(sc.UserGroupId),
		KMSKeyARN:        aws.ToString(sc.KmsKeyId),
		NetworkType:      string(sc.NetworkType),
	}
	if l := sc.CacheUsageLimits; l != nil {
		if l.DataStorage != nil {
			o.MaxDataStorageGB = int64(aws.ToInt32(l.DataStorage.Maximum))
			o.MinDataStorageGB = int64(aws.ToInt32(l.DataStorage.Minimum))
		}
		if l.ECPUPerSecond != nil {
			o.MaxECPUPerSecond = int64(aws.ToInt32(l.ECPUPerSecond.Maximum))
			o.MinECPUPerSecond = int64(aws.ToInt32(l.ECPUPerSecond.Minimum))
		}
	}
	if sc.Endpoint != nil {
		o.Endpoint, o.Port = aws.ToString(sc.Endpoint.Address), int(aws.ToInt32(sc.Endpoint.Port))
	}
	if sc.ReaderEndpoint != nil {
		o.ReaderEndpoint = aws.ToString(sc.ReaderEndpoint.Address)
	}
	if o.Status == StatusDeleting {
		return o, false, nil
	}
	o.Tags, err = c.readTags(ctx, componentServerlessCache, name, o.ARN)
	return o, true, err
}

// ModifyServerlessCache applies the changes one field per call, as AWS requires, waiting for
// the cache between calls. It returns after the first failure: what was applied stays applied
// and the next read reports it.
func (c *Clients) ModifyServerlessCache(ctx context.Context, observed ObservedServerlessCache, spec blueprint.ServerlessCacheSpec, sgID string) (calls int, err error) {
	name := aws.String(spec.Name)
	var steps []*elasticache.ModifyServerlessCacheInput
	if limits := changedLimits(observed, spec); limits != nil {
		steps = append(steps, &elasticache.ModifyServerlessCacheInput{ServerlessCacheName: name, CacheUsageLimits: limits})
	}
	if spec.Engine != blueprint.EngineMemcached {
		if spec.DailySnapshotTime != "" && observed.DailySnapshotTime != spec.DailySnapshotTime {
			steps = append(steps, &elasticache.ModifyServerlessCacheInput{ServerlessCacheName: name, DailySnapshotTime: aws.String(spec.DailySnapshotTime)})
		}
		if observed.SnapshotRetentionDays != spec.SnapshotRetentionDays {
			steps = append(steps, &elasticache.ModifyServerlessCacheInput{ServerlessCacheName: name, SnapshotRetentionLimit: aws.Int32(int32(spec.SnapshotRetentionDays))})
		}
	}
	if groups := blueprint.SecurityGroupIDs(sgID, spec.AdditionalSecurityGroupIDs); !slices.Equal(observed.SecurityGroupIDs, groups) {
		steps = append(steps, &elasticache.ModifyServerlessCacheInput{ServerlessCacheName: name, SecurityGroupIds: groups})
	}
	switch {
	case observed.UserGroupID != "" && spec.UserGroupID == "":
		steps = append(steps, &elasticache.ModifyServerlessCacheInput{ServerlessCacheName: name, RemoveUserGroup: aws.Bool(true)})
	case observed.UserGroupID != spec.UserGroupID:
		steps = append(steps, &elasticache.ModifyServerlessCacheInput{ServerlessCacheName: name, UserGroupId: aws.String(spec.UserGroupID)})
	}
	if observed.Engine != spec.Engine || observed.MajorEngineVersion != spec.MajorEngineVersion {
		steps = append(steps, &elasticache.ModifyServerlessCacheInput{ServerlessCacheName: name, Engine: aws.String(spec.Engine), MajorEngineVersion: aws.String(spec.MajorEngineVersion)})
	}
	for _, in := range steps {
		tflog.Info(ctx, "modifying serverless cache", map[string]any{"serverless_cache": spec.Name, "step": calls + 1, "of": len(steps)})
		err := retryWhileBusy(ctx, "serverless cache "+spec.Name+" to accept changes", call(c.ElastiCache.ModifyServerlessCache, in))
		if err != nil {
			return calls, wrap(componentServerlessCache, "modify", spec.Name, err)
		}
		calls++
		if err := c.WaitServerlessCacheAvailable(ctx, spec.Name); err != nil {
			return calls, err
		}
	}
	return calls, nil
}

// changedLimits is the CacheUsageLimits of a modify that brings the cache's limits to the
// spec's, or nil when they agree. Every value of a changed dimension is given: the wanted
// ones, and 0 for a maximum or minimum to remove (AWS keeps a value left out, and answers "No
// modifications were requested" when nothing else changes).
func changedLimits(observed ObservedServerlessCache, spec blueprint.ServerlessCacheSpec) *ectypes.CacheUsageLimits {
	have := [4]int64{observed.MaxDataStorageGB, observed.MinDataStorageGB, observed.MaxECPUPerSecond, observed.MinECPUPerSecond}
	want := [4]int64{spec.MaxDataStorageGB, spec.MinDataStorageGB, spec.MaxECPUPerSecond, spec.MinECPUPerSecond}
	if have == want {
		return nil
	}
	limits := limitsOf(want[0], want[1], want[2], want[3], true)
	if have[0] == want[0] && have[1] == want[1] {
		limits.DataStorage = nil // unchanged: left out, so it keeps its values
	}
	if have[2] == want[2] && have[3] == want[3] {
		limits.ECPUPerSecond = nil
	}
	return limits
}

// WaitServerlessCacheAvailable polls until the cache is available (the SDK has no waiter for
// serverless caches).
func (c *Clients) WaitServerlessCacheAvailable(ctx context.Context, name string) error {
	return waitStatus(ctx, componentServerlessCache, name, StatusAvailable, statusBy(c.findServerlessCache, name, serverlessCacheStatus))
}

// DeleteServerlessCache deletes the cache (with a final snapshot when named) and waits until
// it is gone. A cache that does not exist is not an error. AWS takes the delete only once the
// cache is available (or failed to create): one still creating or modifying is waited for.
func (c *Clients) DeleteServerlessCache(ctx context.Context, name, finalSnapshot string) error {
	in := &elasticache.DeleteServerlessCacheInput{ServerlessCacheName: aws.String(name)}
	in.FinalSnapshotName = nonEmpty(finalSnapshot)
	status := statusBy(c.findServerlessCache, name, serverlessCacheStatus)
	return waitGone(ctx, componentServerlessCache, name, func(ctx context.Context) (string, bool, error) {
		s, found, err := status(ctx)
		if err != nil || !found || s != StatusAvailable && s != StatusCreateFailed {
			return s, found, err
		}
		_, err = c.ElastiCache.DeleteServerlessCache(ctx, in)
		if isA[*ectypes.ServerlessCacheNotFoundFault](err) || isA[*ectypes.InvalidServerlessCacheStateFault](err) {
			err = nil
		}
		return s, true, wrap(componentServerlessCache, "delete", name, err)
	})
}
