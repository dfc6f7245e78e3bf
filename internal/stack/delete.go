package stack

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/sync/errgroup"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/driver"
)

// Delete removes the components in reverse order: the replication group (with a final
// snapshot when asked), then the security, subnet and parameter groups concurrently, each
// retried while AWS still sees it in use. Components that never came to exist are skipped.
func (r *StackResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, ok := r.begin(ctx, req.State, &resp.Diagnostics)
	if !ok {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.Name.ValueString()
	ctx = tflog.SetField(ctx, "stack", name)
	c := r.clients

	if err := r.snapshotBeforeDelete(ctx, req, state); err != nil {
		resp.Diagnostics.AddError("Cannot delete elasticache_stack "+name, err.Error())
		return
	}
	if err := c.DeleteScaling(ctx, name, scalingDimensions(state)); err != nil {
		resp.Diagnostics.AddError("Cannot delete elasticache_stack "+name, err.Error())
		return
	}
	if err := c.DeleteStackAlarms(ctx, name); err != nil {
		resp.Diagnostics.AddError("Cannot delete elasticache_stack "+name, err.Error())
		return
	}
	shape := blueprint.ShapeOf(state.Mode.ValueString(), state.Engine.ValueString())
	if err := r.leaveGlobal(ctx, shape, name); err != nil {
		resp.Diagnostics.AddError("Cannot delete elasticache_stack "+name, err.Error())
		return
	}
	if !state.ARN.IsNull() {
		finalSnapshot := finalSnapshotName(state)
		err := driver.For(shape).Delete(ctx, c, name, finalSnapshot)
		if err != nil {
			resp.Diagnostics.AddError("Cannot delete elasticache_stack "+name, err.Error())
			return
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	// The stack's own user group and users, also when state lost track of them (an apply that
	// failed between creating the group and attaching it); DeleteUsers leaves others' alone.
	if state.Security == nil || state.Security.UserGroupID.ValueString() != blueprint.UserGroupID(name) {
		var users map[string]blueprint.User
		if state.Security != nil {
			users, _ = usersFrom(ctx, state.Security.Users, map[blueprint.Attr]bool{})
		}
		var ids []string
		if len(users) > 0 {
			ids = stackUserIDs(name, users)
		}
		g.Go(func() error { return c.DeleteUsers(gctx, name, ids) })
	}
	if state.Logs != nil && !state.Logs.KeepOnDestroy.ValueBool() {
		g.Go(func() error { return c.DeleteStackLogGroups(gctx, name) })
	}
	if id := state.SecurityGroupID.ValueString(); id != "" {
		g.Go(func() error { return c.DeleteSecurityGroup(gctx, id) })
	}
	if sn := state.SubnetGroupName.ValueString(); sn != "" {
		g.Go(func() error { return c.DeleteSubnetGroup(gctx, sn) })
	}
	if pg := state.ParameterGroupName.ValueString(); ownedParameterGroup(pg) {
		g.Go(func() error { return c.DeleteParameterGroup(gctx, pg) })
		// A major upgrade deferred to the maintenance window created the next family's group
		// while the old one stayed in use: remove it too (only if this stack owns it).
		if next := deferredUpgradeGroup(state); next != "" && next != pg {
			g.Go(func() error { return c.DeleteOwnedParameterGroup(gctx, next, name) })
		}
	}
	if err := g.Wait(); err != nil {
		resp.Diagnostics.AddError("Cannot delete elasticache_stack "+name, err.Error()+
			"\n\nThe replication group is gone; run destroy again to remove the remaining components.")
	}
}

// deferredUpgradeGroup names the group a deferred major upgrade to the state's engine version
// created (state reports the pending version and the group still in use).
func deferredUpgradeGroup(state stackModel) string {
	if state.Provisioned == nil || state.Provisioned.ApplyImmediately.ValueBool() {
		return ""
	}
	family, err := blueprint.ParameterGroupFamily(state.Engine.ValueString(), state.EngineVersion.ValueString())
	if err != nil || !blueprint.ShapeOf(state.Mode.ValueString(), state.Engine.ValueString()).HasGroups() {
		return ""
	}
	return blueprint.FamilyParameterGroupName(blueprint.ParameterGroupName(state.Name.ValueString(), state.ClusterModeEnabled.ValueBool()), family)
}

// finalSnapshotName is the snapshot destroy takes: provisioned or serverless, whichever is set.
func finalSnapshotName(state stackModel) string {
	if state.Serverless != nil && !state.Serverless.FinalSnapshotName.IsNull() {
		return state.Serverless.FinalSnapshotName.ValueString()
	}
	if state.Provisioned != nil {
		return state.Provisioned.FinalSnapshotName.ValueString()
	}
	return ""
}
