package stack

import (
	"context"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/driver"
)

// Update changes in place everything that ModifyPlan did not mark for replacement, touching
// only the components whose desired state differs from the prior state.
func (r *StackResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, planOK := r.begin(ctx, req.Plan, &resp.Diagnostics)
	state, stateOK := modelOf(ctx, req.State, &resp.Diagnostics)
	if !planOK || !stateOK {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	creds := secretsFrom(ctx, req.Config, &resp.Diagnostics)
	had, diags := inputFrom(ctx, state, r.clients.DefaultTags)
	resp.Diagnostics.Append(diags...)
	want, diags := inputFrom(ctx, plan, r.clients.DefaultTags)
	resp.Diagnostics.Append(diags...)
	// The group to run: the current one, or a new one for a new family or cluster mode.
	want.ParameterGroupName = blueprint.NextParameterGroupName(had, want)
	desired, ok := build(want, &resp.Diagnostics)
	if !ok {
		return
	}
	ctx = tflog.SetField(ctx, "stack", want.Name)
	resp.Diagnostics.Append(clearPreservePrivate(ctx, resp.Private.SetKey)...)

	alarmsChanged := !plan.AlarmDefinitions.Equal(state.AlarmDefinitions)
	if err := r.update(ctx, state, had, want, desired, creds, alarmsChanged); err != nil {
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
		observed.Security.Users = keepPasswordVersions(ctx, observed.Security.Users, state.Security.Users)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &observed)...)
}

func (r *StackResource) update(ctx context.Context, state stackModel, had, want blueprint.Input, desired blueprint.Stack, creds secrets, alarmsChanged bool) error {
	c := r.clients
	name := want.Name
	sgID := state.SecurityGroupID.ValueString()
	tagsChanged := !maps.Equal(had.Tags, want.Tags)

	if sgID != "" {
		observed, found, err := c.ObserveSecurityGroup(ctx, sgID)
		if err != nil {
			return err
		}
		if found && (tagsChanged || !slices.Equal(observed.Rules, desired.SecurityGroup.Rules())) {
			if err := c.SyncSecurityGroup(ctx, name, observed, desired.SecurityGroup); err != nil {
				return err
			}
		}
	}
	if desired.SubnetGroup != nil && !slices.Equal(had.Network.SubnetIDs, want.Network.SubnetIDs) {
		observed, _, err := c.ObserveSubnetGroup(ctx, desired.SubnetGroup.Name)
		if err != nil {
			return err
		}
		if err := c.SyncSubnetGroup(ctx, observed, *desired.SubnetGroup); err != nil {
			return err
		}
	}

	// The stack's users and group exist before the cache is attached to them; users no longer
	// wanted leave the group before they are deleted.
	if desired.Users != nil && !maps.Equal(had.Security.Users, want.Security.Users) {
		if err := c.SyncUsers(ctx, name, *desired.Users, creds.passwords, rotatedUsers(had, want)); err != nil {
			return err
		}
	}
	logsChanged := had.Logs != want.Logs
	if logsChanged && len(desired.LogGroups) > 0 {
		if err := c.SyncLogGroups(ctx, name, desired.LogGroups, true); err != nil {
			return err
		}
	}
	if err := c.DeleteScaling(ctx, name, droppedScaling(had, want)); err != nil {
		return err
	}
	members, err := driver.For(desired.Shape).Apply(ctx, c, driver.ApplyRequest{Had: had, Want: want, Desired: desired,
		SecurityGroupID: sgID, ParameterGroup: state.ParameterGroupName.ValueString(), AuthToken: creds.authToken})
	if err != nil {
		return err
	}
	// Log groups of log types no longer delivered go once the delivery has stopped.
	if logsChanged && !want.Logs.KeepOnDestroy && desired.Shape == blueprint.ShapeReplicationGroup {
		if err := c.SyncLogGroups(ctx, name, desired.LogGroups, false); err != nil {
			return err
		}
	}
	if err := r.syncScaling(ctx, name, had, want, desired.Scaling); err != nil {
		return err
	}
	if had.Security.ManagesUsers() && !want.Security.ManagesUsers() {
		if err := c.DeleteUsers(ctx, name, stackUserIDs(name, had.Security.Users)); err != nil {
			return err
		}
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
