package stack

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/sync/errgroup"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/costattr"
	"github.com/cachestack/terraform-provider-elasticache/internal/driver"
)

const (
	defaultCreateTimeout = 60 * time.Minute
	defaultUpdateTimeout = 40 * time.Minute
	defaultDeleteTimeout = 45 * time.Minute
)

// Create builds the components in dependency order: security group, subnet group and
// parameter group concurrently, then the replication group. Whatever exists when an error
// stops it is recorded in state, so Terraform taints the stack and the next apply (or destroy)
// finishes the job without orphans.
func (r *StackResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, ok := r.begin(ctx, req.Plan, &resp.Diagnostics)
	if !ok {
		return
	}
	creds := secretsFrom(ctx, req.Config, &resp.Diagnostics)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	defer cancel()
	in, diags := inputFrom(ctx, plan, r.clients.DefaultTags)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(clearPreservePrivate(ctx, resp.Private.SetKey)...)
	if resp.Diagnostics.HasError() {
		return
	}
	preserved, restoring, err := r.preservedSource(ctx, plan, in.Shape())
	if err != nil {
		resp.Diagnostics.AddError("Cannot create elasticache_stack "+in.Name, err.Error())
		return
	}
	if restoring {
		// The data of the replaced cache wins over restore_from, which applies to a first create.
		in.RestoreFrom = preserved.RestoreFrom(in.Shape())
	} else if err := r.resolveRestoreFrom(ctx, &in); err != nil {
		resp.Diagnostics.AddError("Cannot create elasticache_stack "+in.Name, err.Error())
		return
	}
	desired, ok := build(in, &resp.Diagnostics)
	if !ok {
		return
	}
	ctx = tflog.SetField(ctx, "stack", in.Name)

	// State starts with nothing created; each component is added once it exists.
	state := plan
	clearComputed(&state)
	state.ID = types.StringValue(in.Name)
	if err := r.create(ctx, in, desired, creds, &state); err != nil {
		r.failCreate(ctx, resp, &state, err)
		return
	}
	if restoring {
		// The new cache holds the data: a snapshot left behind is no reason to replace it.
		if err := r.finishPreserve(ctx, plan, preserved); err != nil {
			resp.Diagnostics.AddWarning("Preserve snapshot not deleted", err.Error()+"\n\nThe data was restored; delete the snapshot yourself.")
		}
	}
	observed, _, err := r.observe(ctx, state)
	if err != nil {
		r.failCreate(ctx, resp, &state, err)
		return
	}
	keepConfiguredValues(&observed, plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &observed)...)
}

// create makes the components, then the cache through its kind's driver, then the alarms,
// recording in state each one that exists.
func (r *StackResource) create(ctx context.Context, in blueprint.Input, desired blueprint.Stack, creds secrets, state *stackModel) error {
	c := r.clients
	made, err := createComponents(ctx, c, in, desired, creds.passwords)
	made.record(state)
	if err != nil {
		return err
	}
	kind := driver.For(desired.Shape)
	arn, err := kind.Create(ctx, c, driver.CreateRequest{Desired: desired, SecurityGroupID: made.securityGroupID,
		SubnetGroup: made.subnetGroup, ParameterGroup: made.parameterGroup, AuthToken: creds.authToken})
	if err != nil {
		return err
	}
	state.ARN = types.StringValue(arn)
	if err := kind.Wait(ctx, c, in.Name); err != nil {
		return err
	}
	if err := r.createGlobal(ctx, in, state); err != nil {
		return err
	}
	if err := c.SyncScaling(ctx, in.Name, nil, desired.Scaling); err != nil {
		return err
	}
	alarms, err := c.ObserveAlarms(ctx, blueprint.AlarmPrefix(in.Name))
	if err != nil {
		return err
	}
	return c.SyncAlarms(ctx, in.Name, alarms, desired.Alarms, in.Tags)
}

// componentIDs names the components made before the cache; "" for one not (yet) made.
type componentIDs struct {
	securityGroupID, vpcID      string
	subnetGroup, parameterGroup string
}

// record adds the components that exist to state.
func (c componentIDs) record(m *stackModel) {
	if c.securityGroupID != "" {
		m.SecurityGroupID = types.StringValue(c.securityGroupID)
		m.VpcID = types.StringValue(c.vpcID)
	}
	if c.subnetGroup != "" {
		m.SubnetGroupName = types.StringValue(c.subnetGroup)
	}
	if c.parameterGroup != "" {
		m.ParameterGroupName = types.StringValue(c.parameterGroup)
	}
}

// secrets are the write-only values of the configuration, passed to the AWS calls that need
// them and never stored or logged.
type secrets struct {
	authToken string
	passwords awsops.UserCredentials
}

// createComponents makes the security group (with its rules), for a kind that has them the
// subnet and parameter groups, and the stack's users and user group, concurrently.
func createComponents(ctx context.Context, c *awsops.Clients, in blueprint.Input, desired blueprint.Stack, passwords awsops.UserCredentials) (componentIDs, error) {
	var out componentIDs
	g, gctx := errgroup.WithContext(ctx)
	if desired.Users != nil {
		g.Go(func() error { return c.SyncUsers(gctx, in.Name, *desired.Users, passwords, nil) })
	}
	if len(desired.LogGroups) > 0 {
		g.Go(func() error { return c.SyncLogGroups(gctx, in.Name, desired.LogGroups, true) })
	}
	g.Go(func() error {
		var err error
		if out.vpcID, err = c.VpcOfSubnets(gctx, in.Network.SubnetIDs); err != nil {
			return err
		}
		if out.securityGroupID, err = c.EnsureSecurityGroup(gctx, in.Name, out.vpcID, desired.SecurityGroup); err != nil {
			return err
		}
		observed, err := c.ObserveNewSecurityGroup(gctx, out.securityGroupID)
		if err != nil {
			return err
		}
		return c.SyncSecurityGroup(gctx, in.Name, observed, desired.SecurityGroup)
	})
	if desired.SubnetGroup != nil {
		g.Go(func() error {
			sn, err := c.EnsureSubnetGroup(gctx, in.Name, *desired.SubnetGroup)
			out.subnetGroup = sn.Name
			return err
		})
	}
	if desired.ParameterGroup != nil && !in.Global.Joins() { // a secondary runs its datastore's
		g.Go(func() error {
			pg, err := c.EnsureParameterGroup(gctx, in.Name, *desired.ParameterGroup)
			out.parameterGroup = pg.Name
			return err
		})
	}
	return out, g.Wait()
}

// failCreate records the components that exist and reports the error with its component.
func (r *StackResource) failCreate(ctx context.Context, resp *resource.CreateResponse, created *stackModel, err error) {
	detail := err.Error()
	var pending *awsops.ErrStillPending
	if errors.As(err, &pending) {
		detail += "\n\nThe stack is recorded as tainted: the next apply replaces it, and destroy removes every component created so far."
	} else {
		detail += "\n\nComponents created so far are recorded in state; the next apply replaces the stack and destroy removes them."
	}
	resp.Diagnostics.AddError("Cannot create elasticache_stack "+created.Name.ValueString(), detail)
	resp.Diagnostics.Append(resp.State.Set(ctx, created)...)
}

// clearComputed prepares the state of a stack none of whose components exists yet: state may
// hold no unknown values, so they become null, and the component identifiers stay null until
// each component exists.
func clearComputed(m *stackModel) {
	for _, s := range []*types.String{&m.ARN, &m.Endpoint, &m.PrimaryEndpoint, &m.ReaderEndpoint, &m.ConfigurationEndpoint,
		&m.SecurityGroupID, &m.SubnetGroupName, &m.ParameterGroupName, &m.VpcID, &m.EngineVersion} {
		if s.IsUnknown() {
			*s = types.StringNull()
		}
	}
	if m.Port.IsUnknown() {
		m.Port = types.Int64Null()
	}
	if m.ClusterModeEnabled.IsUnknown() {
		m.ClusterModeEnabled = types.BoolNull()
	}
	if m.MemberClusters.IsUnknown() {
		m.MemberClusters = types.ListNull(types.StringType)
	}
	if m.SecurityGroupRules.IsUnknown() {
		m.SecurityGroupRules = types.ListNull(types.StringType)
	}
	if m.AlarmNames.IsUnknown() {
		m.AlarmNames = types.ListNull(types.StringType)
	}
	if m.AlarmARNs.IsUnknown() {
		m.AlarmARNs = types.ListNull(types.StringType)
	}
	if m.AlarmDefinitions.IsUnknown() {
		m.AlarmDefinitions = types.MapNull(types.StringType)
	}
	if m.Serverless != nil && m.Serverless.DailySnapshotTime.IsUnknown() {
		m.Serverless.DailySnapshotTime = types.StringNull()
	}
	if m.Cost.IsUnknown() {
		m.Cost = types.ObjectNull(costattr.CostAttrTypes())
	}
	if m.Recommendations.IsUnknown() {
		m.Recommendations = types.ListNull(costattr.RecommendationType())
	}
	if m.TagsAll.IsUnknown() {
		m.TagsAll = types.MapNull(types.StringType)
	}
	m.GlobalDatastoreID, m.GlobalRole, m.GlobalRegions = types.StringNull(), types.StringNull(), types.ListNull(types.StringType)
	m.ARN = types.StringNull()
	m.SecurityGroupID = types.StringNull()
	m.SubnetGroupName = types.StringNull()
	m.ParameterGroupName = types.StringNull()
	m.VpcID = types.StringNull()
	if m.Security != nil {
		m.Security.AuthTokenWO = types.StringNull()
	}
}

// keepConfiguredValues carries over what AWS does not report back (timeouts, the token
// version) from the plan into the observed state.
func keepConfiguredValues(observed *stackModel, plan stackModel) {
	observed.Timeouts = plan.Timeouts
	if plan.Security != nil && observed.Security == nil {
		observed.Security = &securityModel{
			TransitEncryptionMode: plan.Security.TransitEncryptionMode,
			KMSKeyARN:             plan.Security.KMSKeyARN,
			UserGroupID:           plan.Security.UserGroupID,
			Users:                 plan.Security.Users,
		}
	}
	if observed.Security != nil {
		observed.Security.AuthTokenWO = types.StringNull()
		if plan.Security != nil {
			observed.Security.AuthTokenWOVersion = plan.Security.AuthTokenWOVersion
		}
	}
}

// configuredAuthToken reads the write-only token from the configuration: the only place it
// exists. It is passed to one AWS call and never logged or stored.
func configuredAuthToken(ctx context.Context, config tfsdk.Config) (string, diag.Diagnostics) {
	var token types.String
	diags := config.GetAttribute(ctx, attributePath(blueprint.AttrSecurityAuthTokenWO), &token)
	return token.ValueString(), diags
}

// preservedSource finds the snapshot a preserving replacement took of the cache this create
// replaces (by the name the plan carries) and returns how to restore it; found is false when
// there is none (the first create, or a replacement that kept nothing).
func (r *StackResource) preservedSource(ctx context.Context, plan stackModel, shape blueprint.Shape) (awsops.Snapshot, bool, error) {
	name := plan.PreserveSnapshotName.ValueString()
	if name == "" || !plan.PreserveDataOnReplace.ValueBool() {
		return awsops.Snapshot{}, false, nil
	}
	s, found, err := r.clients.FindSnapshot(ctx, name)
	if err != nil || !found {
		return s, false, err
	}
	tflog.Info(ctx, "restoring the data of the replaced cache", map[string]any{"snapshot": name, "serverless_snapshot": s.Serverless})
	// A snapshot still being taken (an interrupted delete) is restored once it is complete.
	return s, true, r.clients.WaitSnapshotAvailable(ctx, name)
}

// finishPreserve deletes the snapshot a replacement restored from, unless it is to be kept.
func (r *StackResource) finishPreserve(ctx context.Context, plan stackModel, s awsops.Snapshot) error {
	if plan.KeepPreserveSnapshot.ValueBool() {
		return nil
	}
	return r.clients.DeleteSnapshot(ctx, s)
}
