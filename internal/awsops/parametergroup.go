package awsops

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

const componentParameterGroup = "cache parameter group"

// modifyParametersPerCall is AWS's limit on parameters per ModifyCacheParameterGroup call.
const modifyParametersPerCall = 20

// ObservedParameterGroup holds the parameters a user (here: the stack) changed from defaults.
type ObservedParameterGroup struct {
	Name       string
	ARN        string
	Family     string
	Parameters map[string]string
}

// EnsureParameterGroup creates the group (or adopts this stack's own) and sets its parameters.
func (c *Clients) EnsureParameterGroup(ctx context.Context, stackName string, spec blueprint.ParameterGroupSpec) (ObservedParameterGroup, error) {
	out, err := c.ElastiCache.CreateCacheParameterGroup(ctx, &elasticache.CreateCacheParameterGroupInput{
		CacheParameterGroupName:   aws.String(spec.Name),
		CacheParameterGroupFamily: aws.String(spec.Family),
		Description:               aws.String(spec.Description),
		Tags:                      elastiCacheTags(WithOwner(stackName, spec.Tags)),
	})
	observed := ObservedParameterGroup{Name: spec.Name, Family: spec.Family, Parameters: map[string]string{}}
	var already *ectypes.CacheParameterGroupAlreadyExistsFault
	switch {
	case asType(err, &already):
		existing, found, obsErr := c.ObserveParameterGroup(ctx, spec.Name)
		if obsErr != nil || !found {
			return ObservedParameterGroup{}, wrap(componentParameterGroup, "create", spec.Name, err)
		}
		if existing.ARN, obsErr = c.ParameterGroupARN(ctx, spec.Name); obsErr != nil {
			return ObservedParameterGroup{}, obsErr
		}
		if ownErr := c.checkOwner(ctx, componentParameterGroup, existing.ARN, stackName); ownErr != nil {
			return ObservedParameterGroup{}, ownErr
		}
		observed = existing
	case err != nil:
		return ObservedParameterGroup{}, wrap(componentParameterGroup, "create", spec.Name, err)
	default:
		observed.ARN = aws.ToString(out.CacheParameterGroup.ARN)
	}
	if err := c.SyncParameters(ctx, observed, spec); err != nil {
		return observed, err
	}
	observed.Parameters = spec.Parameters
	return observed, nil
}

// ObserveParameterGroup reads the group's user-set parameters (paginated). found is false when
// the group does not exist.
func (c *Clients) ObserveParameterGroup(ctx context.Context, name string) (ObservedParameterGroup, bool, error) {
	o := ObservedParameterGroup{Name: name, Parameters: map[string]string{}}
	pages := elasticache.NewDescribeCacheParametersPaginator(c.ElastiCache, &elasticache.DescribeCacheParametersInput{
		CacheParameterGroupName: aws.String(name),
		Source:                  aws.String("user"),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		var notFound *ectypes.CacheParameterGroupNotFoundFault
		if asType(err, &notFound) {
			return ObservedParameterGroup{}, false, nil
		}
		if err != nil {
			return ObservedParameterGroup{}, false, wrap(componentParameterGroup, "describe", name, err)
		}
		for _, p := range page.Parameters {
			o.Parameters[aws.ToString(p.ParameterName)] = aws.ToString(p.ParameterValue)
		}
	}
	return o, true, nil
}

// SyncParameters sets parameters that differ and resets those no longer wanted, in batches of
// AWS's per-call limit.
func (c *Clients) SyncParameters(ctx context.Context, observed ObservedParameterGroup, spec blueprint.ParameterGroupSpec) error {
	var set []ectypes.ParameterNameValue
	for _, k := range slices.Sorted(maps.Keys(spec.Parameters)) {
		if v, ok := observed.Parameters[k]; !ok || v != spec.Parameters[k] {
			set = append(set, ectypes.ParameterNameValue{ParameterName: aws.String(k), ParameterValue: aws.String(spec.Parameters[k])})
		}
	}
	var reset []ectypes.ParameterNameValue
	for _, k := range slices.Sorted(maps.Keys(observed.Parameters)) {
		if _, ok := spec.Parameters[k]; !ok {
			reset = append(reset, ectypes.ParameterNameValue{ParameterName: aws.String(k)})
		}
	}
	name := aws.String(spec.Name)
	for batch := range slices.Chunk(set, modifyParametersPerCall) {
		in := &elasticache.ModifyCacheParameterGroupInput{CacheParameterGroupName: name, ParameterNameValues: batch}
		if _, err := c.ElastiCache.ModifyCacheParameterGroup(ctx, in); err != nil {
			return wrap(componentParameterGroup, "modify", spec.Name, err)
		}
	}
	for batch := range slices.Chunk(reset, modifyParametersPerCall) {
		in := &elasticache.ResetCacheParameterGroupInput{CacheParameterGroupName: name, ParameterNameValues: batch}
		if _, err := c.ElastiCache.ResetCacheParameterGroup(ctx, in); err != nil {
			return wrap(componentParameterGroup, "reset parameters of", spec.Name, err)
		}
	}
	return nil
}

// DeleteParameterGroup deletes the group, retrying while a cache still uses it.
func (c *Clients) DeleteParameterGroup(ctx context.Context, name string) error {
	return deleteRetrying(ctx, componentParameterGroup, name,
		call(c.ElastiCache.DeleteCacheParameterGroup, &elasticache.DeleteCacheParameterGroupInput{CacheParameterGroupName: aws.String(name)}),
		isA[*ectypes.CacheParameterGroupNotFoundFault], isA[*ectypes.InvalidCacheParameterGroupStateFault])
}

// ParameterGroupARN looks up the group's ARN (for tagging).
func (c *Clients) ParameterGroupARN(ctx context.Context, name string) (string, error) {
	out, err := c.ElastiCache.DescribeCacheParameterGroups(ctx, &elasticache.DescribeCacheParameterGroupsInput{CacheParameterGroupName: aws.String(name)})
	g, found, err := firstListed(componentParameterGroup, name, err, isA[*ectypes.CacheParameterGroupNotFoundFault], func() []ectypes.CacheParameterGroup { return out.CacheParameterGroups })
	if err == nil && !found {
		err = wrap(componentParameterGroup, "describe", name, errNotFound)
	}
	return aws.ToString(g.ARN), err
}

// DeleteOwnedParameterGroup deletes a group only if it exists and carries this stack's owner
// tag: used for a group a deferred major upgrade created, whose name another stack could own.
func (c *Clients) DeleteOwnedParameterGroup(ctx context.Context, name, stackName string) error {
	arn, err := c.ParameterGroupARN(ctx, name)
	if errors.Is(err, errNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	tags, err := c.ListTags(ctx, arn)
	if err != nil {
		return wrap(componentParameterGroup, "read tags of", name, err)
	}
	if tags[OwnerTagKey] != stackName {
		return nil
	}
	return c.DeleteParameterGroup(ctx, name)
}
