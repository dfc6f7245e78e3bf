package driver

import (
	"context"
	"fmt"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
)

// kind binds the steps every driver takes the same way (wait, ARN, find the cache, get it
// ready for changes) to one kind's awsops calls; each driver embeds its kind. T is what awsops
// observes of the kind.
type kind[T awsops.ObservedCache] struct {
	component string // the cache, in errors: "replication group"
	arnType   string // the resource type in the cache's ARN: "replicationgroup"
	observe   func(*awsops.Clients, context.Context, string) (T, bool, error)
	wait      func(*awsops.Clients, context.Context, string) error
}

func (k kind[T]) Wait(ctx context.Context, c *awsops.Clients, name string) error {
	return k.wait(c, ctx, name)
}

func (k kind[T]) ARN(partition, region, accountID, name string) string {
	return fmt.Sprintf("arn:%s:elasticache:%s:%s:%s:%s", partition, region, accountID, k.arnType, name)
}

// securityGroups are the groups a cache carries: the stack's own and any additional ones.
type securityGroups struct {
	own        string
	additional []string
}

// find observes the cache and sorts the security groups it carries (attachedGroups). sgID is
// the stack's own group as state records it, "" on import.
func (k kind[T]) find(ctx context.Context, c *awsops.Clients, name, sgID string) (o T, groups securityGroups, found bool, err error) {
	o, found, err = k.observe(c, ctx, name)
	if err != nil || !found {
		return o, groups, false, err
	}
	groups.own, groups.additional, err = attachedGroups(ctx, c, name, sgID, o.Basics().SecurityGroupIDs)
	return o, groups, true, err
}

// ready starts an Apply: it observes the cache and, when it is not available (still creating
// or modifying after a timed-out create or an out-of-band change), waits and observes again:
// AWS accepts changes only to an available cache.
func (k kind[T]) ready(ctx context.Context, c *awsops.Clients, name string) (T, bool, error) {
	o, found, err := k.observe(c, ctx, name)
	if err != nil || !found || o.Basics().Status == awsops.StatusAvailable {
		return o, found, err
	}
	if err := k.wait(c, ctx, name); err != nil {
		return o, found, err
	}
	return k.observe(c, ctx, name)
}

// retag brings the tags of the cache (and of its subnet and parameter groups) to the apply's,
// when it changes them.
func (k kind[T]) retag(ctx context.Context, c *awsops.Clients, o T, req ApplyRequest) error {
	if !req.TagsChanged() {
		return nil
	}
	basics := o.Basics()
	return syncTags(ctx, c, k.component, basics.ARN, basics.Tags, req)
}
