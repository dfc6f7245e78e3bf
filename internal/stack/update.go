package stack

import (
	"context"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// Update changes in place everything that ModifyPlan did not mark for replacement, touching
// only the components whose desired state differs from the prior state.
func (r *StackResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if !r.requireClients(&resp.Diagnostics) {
		return
	}
	var plan, state stackModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	authToken, diags := configuredAuthToken(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	timeout, diags := plan.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	want, diags := inputFrom(ctx, plan, r.clients.DefaultTags)
	resp.Diagnostics.Append(diags...)
	had, diags := inputFrom(ctx, state, r.clients.DefaultTags)
	resp.Diagnostics.Append(diags...)
	desired, err := blueprint.Build(want)
	if err != nil {
		resp.Diagnostics.AddError("Cannot plan elasticache_stack "+want.Name, err.Error())
		return
	}
	ctx = tflog.SetField(ctx, "stack", want.Name)

	alarmsChanged := !plan.AlarmDefinitions.Equal(state.AlarmDefinitions)
	if err := r.update(ctx, state, had, want, desired, authToken, alarmsChanged); err != nil {
		resp.Diagnostics.AddError("Cannot update elasticache_stack "+want.Name, err.Error()+
			"\n\nChanges made before this error are kept; the state below is what AWS now reports, and the next apply continues.")
	}
	// Observe with the plan as the base: what AWS cannot report (alarm overrides, expected_load,
	// apply_immediately) comes from the configuration just applied.
	observed, exists, readErr := r.observe(ctx, plan)
	if readErr != nil || !exists {
		if readErr != nil {
			resp.Diagnostics.AddError("Cannot read elasticache_stack "+want.Name+" after update", readErr.Error())
		}
		return
	}
	keepConfiguredValues(&observed, plan)
	if resp.Diagnostics.HasError() && state.Security != nil && observed.Security != nil {
		// The token change may not have happened: keep the old version so the next plan retries it.
		observed.Security.AuthTokenWOVersion = state.Security.AuthTokenWOVersion
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &observed)...)
}

func (r *StackResource) update(ctx context.Context, state stackModel, had, want blueprint.Input, desired blueprint.Stack, authToken string, alarmsChanged bool) error {
	c := r.clients
	name := want.Name
	sgID := state.SecurityGroupID.ValueString()
	tagsChanged := !maps.Equal(had.Tags, want.Tags)

	if sgID != "" {
		observed, found, err := c.ObserveSecurityGroup(ctx, sgID)
		if err != nil {
			return err
		}
		if found && (tagsChanged || !slices.Equal(observed.Rules, awsops.DesiredRules(desired.SecurityGroup))) {
			if err := c.SyncSecurityGroup(ctx, name, observed, desired.SecurityGroup); err != nil {
				return err
			}
		}
	}
	if desired.Shape != blueprint.ShapeServerless && !slices.Equal(had.Network.SubnetIDs, want.Network.SubnetIDs) {
		observed, _, err := c.ObserveSubnetGroup(ctx, desired.SubnetGroup.Name)
		if err != nil {
			return err
		}
		if err := c.SyncSubnetGroup(ctx, observed, desired.SubnetGroup); err != nil {
			return err
		}
	}

	var members []string
	var err error
	switch desired.Shape {
	case blueprint.ShapeServerless:
		err = r.updateServerless(ctx, name, sgID, desired, tagsChanged)
	case blueprint.ShapeMemcachedCluster:
		err = r.updateMemcached(ctx, name, sgID, had, want, desired, tagsChanged)
	default:
		members, err = r.updateReplicationGroup(ctx, state, had, want, desired, authToken, tagsChanged)
	}
	if err != nil {
		return err
	}

	// Alarms follow the members in the same apply: added members get theirs, removed ones lose
	// them. The members are read back because a group moved to cluster mode keeps old names.
	if alarmsChanged || tagsChanged {
		want.MemberClusters = members
		observed, err := c.ObserveAlarms(ctx, blueprint.AlarmPrefix(name))
		if err != nil {
			return err
		}
		return c.SyncAlarms(ctx, name, observed, blueprint.Alarms(want, want.Alarms), want.Tags)
	}
	return nil
}

// syncParameters brings the parameter group to the desired parameters when they changed.
func (r *StackResource) syncParameters(ctx context.Context, had, want blueprint.Input, spec blueprint.ParameterGroupSpec) error {
	if had.Provisioned.EvictionPolicy == want.Provisioned.EvictionPolicy && maps.Equal(had.Provisioned.Parameters, want.Provisioned.Parameters) {
		return nil
	}
	observed, _, err := r.clients.ObserveParameterGroup(ctx, spec.Name)
	if err != nil {
		return err
	}
	return r.clients.SyncParameters(ctx, observed, spec)
}

// syncComponentTags retags the subnet and parameter groups.
func (r *StackResource) syncComponentTags(ctx context.Context, name string, desired blueprint.Stack, tags map[string]string) error {
	c := r.clients
	subnetGroup, _, err := c.ObserveSubnetGroup(ctx, desired.SubnetGroup.Name)
	if err != nil {
		return err
	}
	parameterGroupARN, err := c.ParameterGroupARN(ctx, desired.ParameterGroup.Name)
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

func (r *StackResource) updateReplicationGroup(ctx context.Context, state stackModel, had, want blueprint.Input, desired blueprint.Stack, authToken string, tagsChanged bool) ([]string, error) {
	c := r.clients
	name := want.Name
	rg, found, err := c.ObserveReplicationGroup(ctx, name)
	if err != nil || !found {
		return nil, err
	}
	if rg.Status != "available" {
		// Still creating or modifying (an untainted stack whose create timed out, or a change
		// made outside Terraform): AWS accepts changes only once it is available.
		if err := c.WaitReplicationGroupAvailable(ctx, name); err != nil {
			return nil, err
		}
		if rg, _, err = c.ObserveReplicationGroup(ctx, name); err != nil {
			return nil, err
		}
	}
	migrating := !rg.ClusterMode && desired.ReplicationGroup.ClusterMode
	if !migrating {
		if err := r.syncParameters(ctx, had, want, desired.ParameterGroup); err != nil {
			return nil, err
		}
	}
	if migrating {
		if _, err := c.EnsureParameterGroup(ctx, name, desired.ParameterGroup); err != nil {
			return nil, err
		}
		if err := c.EnableClusterMode(ctx, name, desired.ParameterGroup.Name); err != nil {
			return nil, err
		}
		rg.ClusterMode, rg.ParameterGroupName = true, desired.ParameterGroup.Name
	}
	if tagsChanged {
		if err := c.SyncTags(ctx, "replication group", rg.ARN, rg.Tags, awsops.WithOwner(name, want.Tags)); err != nil {
			return nil, err
		}
		if err := r.syncComponentTags(ctx, name, desired, want.Tags); err != nil {
			return nil, err
		}
	}
	auth := awsops.AuthChange{}
	switch {
	case want.Security.AuthTokenConfigured && (!had.Security.AuthTokenConfigured || had.Security.AuthTokenVersion != want.Security.AuthTokenVersion):
		auth = awsops.AuthChange{Action: "rotate", Token: authToken}
	case had.Security.AuthTokenConfigured && !want.Security.AuthTokenConfigured:
		auth = awsops.AuthChange{Action: "delete"}
	}
	if err := c.ModifyReplicationGroup(ctx, rg, desired.ReplicationGroup, state.SecurityGroupID.ValueString(), desired.ParameterGroup.Name, auth); err != nil {
		return nil, err
	}
	if migrating {
		if err := c.DeleteParameterGroup(ctx, state.ParameterGroupName.ValueString()); err != nil {
			return nil, err
		}
	}
	return c.ReplicationGroupMembers(ctx, name)
}

func (r *StackResource) updateMemcached(ctx context.Context, name, sgID string, had, want blueprint.Input, desired blueprint.Stack, tagsChanged bool) error {
	c := r.clients
	cc, found, err := c.ObserveCacheCluster(ctx, name)
	if err != nil || !found {
		return err
	}
	if cc.Status != "available" {
		if err := c.WaitCacheClusterAvailable(ctx, name); err != nil {
			return err
		}
		if cc, _, err = c.ObserveCacheCluster(ctx, name); err != nil {
			return err
		}
	}
	if err := r.syncParameters(ctx, had, want, desired.ParameterGroup); err != nil {
		return err
	}
	if tagsChanged {
		if err := c.SyncTags(ctx, "Memcached cluster", cc.ARN, cc.Tags, awsops.WithOwner(name, want.Tags)); err != nil {
			return err
		}
		if err := r.syncComponentTags(ctx, name, desired, want.Tags); err != nil {
			return err
		}
	}
	return c.ModifyCacheCluster(ctx, cc, desired.CacheCluster, sgID, desired.ParameterGroup.Name)
}

func (r *StackResource) updateServerless(ctx context.Context, name, sgID string, desired blueprint.Stack, tagsChanged bool) error {
	c := r.clients
	sc, found, err := c.ObserveServerlessCache(ctx, name)
	if err != nil || !found {
		return err
	}
	if sc.Status != "available" {
		if err := c.WaitServerlessCacheAvailable(ctx, name); err != nil {
			return err
		}
		if sc, _, err = c.ObserveServerlessCache(ctx, name); err != nil {
			return err
		}
	}
	if tagsChanged {
		if err := c.SyncTags(ctx, "serverless cache", sc.ARN, sc.Tags, awsops.WithOwner(name, desired.ServerlessCache.Tags)); err != nil {
			return err
		}
	}
	calls, err := c.ModifyServerlessCache(ctx, sc, desired.ServerlessCache, sgID)
	tflog.Debug(ctx, "serverless cache modified", map[string]any{"modify_calls": calls})
	return err
}
