package awsops

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

const componentServerlessCache = "serverless cache"

// ObservedServerlessCache is what AWS says about a serverless cache.
type ObservedServerlessCache struct {
	Name, ARN, Status     string
	Engine                string
	MajorEngineVersion    string
	FullEngineVersion     string
	MaxDataStorageGB      int64
	MaxECPUPerSecond      int64
	DailySnapshotTime     string
	SnapshotRetentionDays int
	SecurityGroupIDs      []string
	SubnetIDs             []string
	UserGroupID           string
	KMSKeyARN             string
	Endpoint              string
	ReaderEndpoint        string
	Port                  int
	Tags                  map[string]string
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
		SecurityGroupIds:    []string{sgID},
		CacheUsageLimits:    usageLimits(spec),
		Tags:                elastiCacheTags(WithOwner(stackName, spec.Tags)),
	}
	if spec.Engine != blueprint.EngineMemcached {
		if spec.DailySnapshotTime != "" {
			in.DailySnapshotTime = aws.String(spec.DailySnapshotTime)
		}
		in.SnapshotRetentionLimit = aws.Int32(int32(spec.SnapshotRetentionDays))
	}
	if spec.KMSKeyARN != "" {
		in.KmsKeyId = aws.String(spec.KMSKeyARN)
	}
	if spec.UserGroupID != "" {
		in.UserGroupId = aws.String(spec.UserGroupID)
	}
	out, err := c.ElastiCache.CreateServerlessCache(ctx, in)
	var already *ectypes.ServerlessCacheAlreadyExistsFault
	if asType(err, &already) {
		return adoptOwn(ctx, componentServerlessCache, spec.Name, stackName, err, func() (string, map[string]string, bool, error) {
			o, found, err := c.ObserveServerlessCache(ctx, spec.Name)
			return o.ARN, o.Tags, found, err
		})
	}
	if err != nil {
		return "", wrap(componentServerlessCache, "create", spec.Name, err)
	}
	return aws.ToString(out.ServerlessCache.ARN), nil
}

// usageLimits maps the spec's limits; a zero limit is no limit.
func usageLimits(spec blueprint.ServerlessCacheSpec) *ectypes.CacheUsageLimits {
	limits := &ectypes.CacheUsageLimits{}
	if spec.MaxDataStorageGB > 0 {
		limits.DataStorage = &ectypes.DataStorage{Maximum: aws.Int32(int32(spec.MaxDataStorageGB)), Unit: ectypes.DataStorageUnitGb}
	}
	if spec.MaxECPUPerSecond > 0 {
		limits.ECPUPerSecond = &ectypes.ECPUPerSecond{Maximum: aws.Int32(int32(spec.MaxECPUPerSecond))}
	}
	return limits
}

// ObserveServerlessCache describes the cache and reads its tags. found is false when it does
// not exist or is being deleted.
func (c *Clients) ObserveServerlessCache(ctx context.Context, name string) (ObservedServerlessCache, bool, error) {
	out, err := c.ElastiCache.DescribeServerlessCaches(ctx, &elasticache.DescribeServerlessCachesInput{ServerlessCacheName: aws.String(name)})
	var notFound *ectypes.ServerlessCacheNotFoundFault
	if asType(err, &notFound) {
		return ObservedServerlessCache{}, false, nil
	}
	if err != nil {
		return ObservedServerlessCache{}, false, wrap(componentServerlessCache, "describe", name, err)
	}
	if len(out.ServerlessCaches) == 0 {
		return ObservedServerlessCache{}, false, nil
	}
	sc := out.ServerlessCaches[0]
	o := ObservedServerlessCache{
		Name:                  aws.ToString(sc.ServerlessCacheName),
		ARN:                   aws.ToString(sc.ARN),
		Status:                aws.ToString(sc.Status),
		Engine:                aws.ToString(sc.Engine),
		MajorEngineVersion:    aws.ToString(sc.MajorEngineVersion),
		FullEngineVersion:     aws.ToString(sc.FullEngineVersion),
		DailySnapshotTime:     aws.ToString(sc.DailySnapshotTime),
		SnapshotRetentionDays: int(aws.ToInt32(sc.SnapshotRetentionLimit)),
		SecurityGroupIDs:      slices.Sorted(slices.Values(sc.SecurityGroupIds)),
		SubnetIDs:             slices.Sorted(slices.Values(sc.SubnetIds)),
		UserGroupID:           aws.ToString(sc.UserGroupId),
		KMSKeyARN:             aws.ToString(sc.KmsKeyId),
	}
	if l := sc.CacheUsageLimits; l != nil {
		if l.DataStorage != nil {
			o.MaxDataStorageGB = int64(aws.ToInt32(l.DataStorage.Maximum))
		}
		if l.ECPUPerSecond != nil {
			o.MaxECPUPerSecond = int64(aws.ToInt32(l.ECPUPerSecond.Maximum))
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
	if o.ARN != "" {
		tags, err := c.ListTags(ctx, o.ARN)
		if err != nil {
			return o, true, wrap(componentServerlessCache, "read tags of", name, err)
		}
		o.Tags = tags
	}
	return o, true, nil
}

// ModifyServerlessCache applies the changes one field per call, as AWS requires, waiting for
// the cache between calls. It returns after the first failure: what was applied stays applied
// and the next read reports it.
func (c *Clients) ModifyServerlessCache(ctx context.Context, observed ObservedServerlessCache, spec blueprint.ServerlessCacheSpec, sgID string) (calls int, err error) {
	name := aws.String(spec.Name)
	var steps []*elasticache.ModifyServerlessCacheInput
	if observed.MaxDataStorageGB != spec.MaxDataStorageGB || observed.MaxECPUPerSecond != spec.MaxECPUPerSecond {
		// A limit is removed by sending Maximum 0 for it (AWS ignores a dimension left out,
		// and answers "No modifications were requested" when nothing else changes).
		limits := usageLimits(spec)
		if limits.DataStorage == nil && observed.MaxDataStorageGB != 0 {
			limits.DataStorage = &ectypes.DataStorage{Maximum: aws.Int32(0), Unit: ectypes.DataStorageUnitGb}
		}
		if limits.ECPUPerSecond == nil && observed.MaxECPUPerSecond != 0 {
			limits.ECPUPerSecond = &ectypes.ECPUPerSecond{Maximum: aws.Int32(0)}
		}
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
	if !slices.Equal(observed.SecurityGroupIDs, []string{sgID}) {
		steps = append(steps, &elasticache.ModifyServerlessCacheInput{ServerlessCacheName: name, SecurityGroupIds: []string{sgID}})
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
		err := retryWhileBusy(ctx, "serverless cache "+spec.Name+" to accept changes", func(ctx context.Context) error {
			_, err := c.ElastiCache.ModifyServerlessCache(ctx, in)
			return err
		})
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

// WaitServerlessCacheAvailable polls until the cache is available (the SDK has no waiter for
// serverless caches).
func (c *Clients) WaitServerlessCacheAvailable(ctx context.Context, name string) error {
	start := time.Now()
	return pollUntil(ctx, "serverless cache "+name+" to become available", func(ctx context.Context) (bool, string, error) {
		out, err := c.ElastiCache.DescribeServerlessCaches(ctx, &elasticache.DescribeServerlessCachesInput{ServerlessCacheName: aws.String(name)})
		var notFound *ectypes.ServerlessCacheNotFoundFault
		if asType(err, &notFound) && time.Since(start) < EventualConsistency {
			// Just created: AWS may not show it to describe calls yet.
			return false, "not yet visible", nil
		}
		if err != nil {
			return false, "", wrap(componentServerlessCache, "describe", name, err)
		}
		if len(out.ServerlessCaches) == 0 {
			return false, "", wrap(componentServerlessCache, "describe", name, errNotFound)
		}
		status := aws.ToString(out.ServerlessCaches[0].Status)
		if status == "create-failed" {
			return false, status, wrap(componentServerlessCache, "create", name, fmt.Errorf("AWS reports status %s", status))
		}
		return status == StatusAvailable, status, nil
	})
}

// DeleteServerlessCache deletes the cache (with a final snapshot when named) and waits until
// it is gone. A cache that does not exist is not an error.
func (c *Clients) DeleteServerlessCache(ctx context.Context, name, finalSnapshot string) error {
	in := &elasticache.DeleteServerlessCacheInput{ServerlessCacheName: aws.String(name)}
	if finalSnapshot != "" {
		in.FinalSnapshotName = aws.String(finalSnapshot)
	}
	return pollUntil(ctx, "serverless cache "+name+" to be deleted", func(ctx context.Context) (bool, string, error) {
		out, err := c.ElastiCache.DescribeServerlessCaches(ctx, &elasticache.DescribeServerlessCachesInput{ServerlessCacheName: aws.String(name)})
		var notFound *ectypes.ServerlessCacheNotFoundFault
		if asType(err, &notFound) || (err == nil && len(out.ServerlessCaches) == 0) {
			return true, "deleted", nil
		}
		if err != nil {
			return false, "", wrap(componentServerlessCache, "describe", name, err)
		}
		status := aws.ToString(out.ServerlessCaches[0].Status)
		if status == StatusAvailable || status == StatusCreateFailed {
			if _, err := c.ElastiCache.DeleteServerlessCache(ctx, in); err != nil && !asType(err, &notFound) {
				var invalid *ectypes.InvalidServerlessCacheStateFault
				if !asType(err, &invalid) {
					return false, "", wrap(componentServerlessCache, "delete", name, err)
				}
			}
		}
		return false, status, nil
	})
}
