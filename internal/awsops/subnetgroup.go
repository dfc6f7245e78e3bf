package awsops

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

const componentSubnetGroup = "cache subnet group"

// ObservedSubnetGroup is what AWS says about the stack's cache subnet group.
type ObservedSubnetGroup struct {
	Name      string
	ARN       string
	VpcID     string
	SubnetIDs []string
	AZs       []string
}

// EnsureSubnetGroup creates the subnet group, or adopts the one an interrupted apply of the
// same stack left behind.
func (c *Clients) EnsureSubnetGroup(ctx context.Context, stackName string, spec blueprint.SubnetGroupSpec) (ObservedSubnetGroup, error) {
	out, err := c.ElastiCache.CreateCacheSubnetGroup(ctx, &elasticache.CreateCacheSubnetGroupInput{
		CacheSubnetGroupName:        aws.String(spec.Name),
		CacheSubnetGroupDescription: aws.String(spec.Description),
		SubnetIds:                   spec.SubnetIDs,
		Tags:                        elastiCacheTags(WithOwner(stackName, spec.Tags)),
	})
	var already *ectypes.CacheSubnetGroupAlreadyExistsFault
	if asType(err, &already) {
		observed, found, obsErr := c.ObserveSubnetGroup(ctx, spec.Name)
		if obsErr != nil || !found {
			return ObservedSubnetGroup{}, wrap(componentSubnetGroup, "create", spec.Name, err)
		}
		if ownErr := c.checkOwner(ctx, componentSubnetGroup, observed.ARN, stackName); ownErr != nil {
			return ObservedSubnetGroup{}, ownErr
		}
		return observed, c.SyncSubnetGroup(ctx, observed, spec)
	}
	if err != nil {
		return ObservedSubnetGroup{}, wrap(componentSubnetGroup, "create", spec.Name, err)
	}
	return observeSubnetGroup(out.CacheSubnetGroup), nil
}

// ObserveSubnetGroup describes the group; found is false when it does not exist.
func (c *Clients) ObserveSubnetGroup(ctx context.Context, name string) (ObservedSubnetGroup, bool, error) {
	out, err := c.ElastiCache.DescribeCacheSubnetGroups(ctx, &elasticache.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: aws.String(name)})
	g, found, err := firstListed(componentSubnetGroup, name, err, isA[*ectypes.CacheSubnetGroupNotFoundFault], func() []ectypes.CacheSubnetGroup { return out.CacheSubnetGroups })
	if err != nil || !found {
		return ObservedSubnetGroup{}, false, err
	}
	return observeSubnetGroup(&g), true, nil
}

func observeSubnetGroup(g *ectypes.CacheSubnetGroup) ObservedSubnetGroup {
	o := ObservedSubnetGroup{Name: aws.ToString(g.CacheSubnetGroupName), ARN: aws.ToString(g.ARN), VpcID: aws.ToString(g.VpcId)}
	azs := map[string]bool{}
	for _, s := range g.Subnets {
		o.SubnetIDs = append(o.SubnetIDs, aws.ToString(s.SubnetIdentifier))
		if s.SubnetAvailabilityZone != nil {
			azs[aws.ToString(s.SubnetAvailabilityZone.Name)] = true
		}
	}
	sort.Strings(o.SubnetIDs)
	for az := range azs {
		o.AZs = append(o.AZs, az)
	}
	sort.Strings(o.AZs)
	return o
}

// SyncSubnetGroup changes the subnets when they differ.
func (c *Clients) SyncSubnetGroup(ctx context.Context, observed ObservedSubnetGroup, spec blueprint.SubnetGroupSpec) error {
	if slices.Equal(observed.SubnetIDs, spec.SubnetIDs) {
		return nil
	}
	_, err := c.ElastiCache.ModifyCacheSubnetGroup(ctx, &elasticache.ModifyCacheSubnetGroupInput{
		CacheSubnetGroupName:        aws.String(spec.Name),
		CacheSubnetGroupDescription: aws.String(spec.Description),
		SubnetIds:                   spec.SubnetIDs,
	})
	return wrap(componentSubnetGroup, "modify", spec.Name, err)
}

// DeleteSubnetGroup deletes the group, retrying while a cache still uses it.
func (c *Clients) DeleteSubnetGroup(ctx context.Context, name string) error {
	return deleteRetrying(ctx, componentSubnetGroup, name,
		call(c.ElastiCache.DeleteCacheSubnetGroup, &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(name)}),
		isA[*ectypes.CacheSubnetGroupNotFoundFault], isA[*ectypes.CacheSubnetGroupInUse])
}

// checkOwner refuses to adopt an ElastiCache component that another stack (or a person) owns.
func (c *Clients) checkOwner(ctx context.Context, component, arn, stackName string) error {
	tags, err := c.ListTags(ctx, arn)
	if err != nil {
		return wrap(component, "read tags of", arn, err)
	}
	if tags[OwnerTagKey] != stackName {
		return wrap(component, "create", arn, fmt.Errorf("it already exists and does not belong to stack %q (tag %s); import the stack or choose another name", stackName, OwnerTagKey))
	}
	return nil
}

// ListTags reads the tags of an ElastiCache resource.
func (c *Clients) ListTags(ctx context.Context, arn string) (map[string]string, error) {
	out, err := c.ElastiCache.ListTagsForResource(ctx, &elasticache.ListTagsForResourceInput{ResourceName: aws.String(arn)})
	if err != nil {
		return nil, err
	}
	return fromElastiCacheTags(out.TagList), nil
}

// SyncTags makes an ElastiCache resource's tags equal desired (owner tag included).
func (c *Clients) SyncTags(ctx context.Context, component, arn string, observed, desired map[string]string) error {
	set, remove := c.tagDiff(observed, desired)
	name := aws.String(arn)
	return runSteps(ctx, component, arn, []step{
		{len(set) > 0, "tag", call(c.ElastiCache.AddTagsToResource, &elasticache.AddTagsToResourceInput{ResourceName: name, Tags: elastiCacheTags(set)})},
		{len(remove) > 0, "untag", call(c.ElastiCache.RemoveTagsFromResource, &elasticache.RemoveTagsFromResourceInput{ResourceName: name, TagKeys: remove})},
	})
}
