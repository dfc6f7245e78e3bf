package driver

import (
	"context"
	"maps"

	"golang.org/x/sync/errgroup"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// components is what the stack's supporting resources look like in AWS.
type components struct {
	sg         awsops.ObservedSecurityGroup
	sgFound    bool
	sn         awsops.ObservedSubnetGroup
	snFound    bool
	parameters map[string]string
	alarms     []awsops.ObservedAlarm
}

// observeComponents reads the security group, subnet group, parameter group and alarms
// concurrently, one describe each (a kind without a subnet or parameter group has no name for
// it in o), adds them to o and returns the parameters.
func observeComponents(ctx context.Context, c *awsops.Clients, o *Observed, name, sgID string) (map[string]string, error) {
	var out components
	subnetGroup, parameterGroup := o.SubnetGroupName, o.ParameterGroupName
	g, gctx := errgroup.WithContext(ctx)
	if sgID != "" {
		g.Go(func() (err error) { out.sg, out.sgFound, err = c.ObserveSecurityGroup(gctx, sgID); return err })
	}
	if subnetGroup != "" {
		g.Go(func() (err error) { out.sn, out.snFound, err = c.ObserveSubnetGroup(gctx, subnetGroup); return err })
	}
	if parameterGroup != "" {
		g.Go(func() error {
			pg, _, err := c.ObserveParameterGroup(gctx, parameterGroup)
			out.parameters = pg.Parameters
			return err
		})
	}
	g.Go(func() (err error) { out.alarms, err = c.ObserveAlarms(gctx, blueprint.AlarmPrefix(name)); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out.fill(o)
	return out.parameters, nil
}

// fill copies the components into o.
func (comp components) fill(o *Observed) {
	o.SecurityGroup, o.SecurityGroupFound = comp.sg, comp.sgFound
	o.VpcID = firstNonEmpty(comp.sn.VpcID, comp.sg.VpcID)
	o.Alarms = comp.alarms
	if o.SubnetIDs == nil && comp.snFound {
		o.SubnetIDs = comp.sn.SubnetIDs
	}
}

// syncParameters brings the parameter group to the desired parameters when they changed.
func syncParameters(ctx context.Context, c *awsops.Clients, req ApplyRequest) error {
	hp, wp := req.Had.Provisioned, req.Want.Provisioned
	if hp.EvictionPolicy == wp.EvictionPolicy && maps.Equal(hp.Parameters, wp.Parameters) {
		return nil
	}
	spec := *req.Desired.ParameterGroup
	observed, _, err := c.ObserveParameterGroup(ctx, spec.Name)
	if err != nil {
		return err
	}
	return c.SyncParameters(ctx, observed, spec)
}

// syncTags retags the cache and, for a kind that has them, its subnet and parameter groups.
func syncTags(ctx context.Context, c *awsops.Clients, component, arn string, observed map[string]string, req ApplyRequest) error {
	name, tags := req.Want.Name, req.Want.Tags
	if err := c.SyncTags(ctx, component, arn, observed, awsops.WithOwner(name, tags)); err != nil {
		return err
	}
	if req.Desired.SubnetGroup == nil {
		return nil
	}
	subnetGroup, _, err := c.ObserveSubnetGroup(ctx, req.Desired.SubnetGroup.Name)
	if err != nil {
		return err
	}
	parameterGroupARN, err := c.ParameterGroupARN(ctx, req.Desired.ParameterGroup.Name)
	if err != nil {
		return err
	}
	for _, arn := range []string{subnetGroup.ARN, parameterGroupARN} {
		observedTags, err := c.ListTags(ctx, arn)
		if err != nil {
			return err
		}
		if err := c.SyncTags(ctx, "component", arn, observedTags, awsops.WithOwner(name, tags)); err != nil {
			return err
		}
	}
	return nil
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// attachedGroups splits the groups a cache carries into the stack's own (the one state
// records, or on import the one named after the stack) and the additional ones.
func attachedGroups(ctx context.Context, c *awsops.Clients, name, sgID string, carried []string) (own string, additional []string, err error) {
	own = sgID
	if own == "" {
		if own, err = c.OwnSecurityGroup(ctx, name, carried); err != nil {
			return "", nil, err
		}
	}
	for _, g := range carried {
		if g != own {
			additional = append(additional, g)
		}
	}
	return own, additional, nil
}
