package stack

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/sync/errgroup"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/costestimate"
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
	if !r.requireClients(&resp.Diagnostics) {
		return
	}
	var plan stackModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	authToken, diags := configuredAuthToken(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	in, diags := inputFrom(ctx, plan, r.clients.DefaultTags)
	resp.Diagnostics.Append(diags...)
	desired, err := blueprint.Build(in)
	if err != nil {
		resp.Diagnostics.AddError("Cannot plan elasticache_stack "+in.Name, err.Error())
		return
	}
	ctx = tflog.SetField(ctx, "stack", in.Name)
	c := r.clients

	// State starts with nothing created; each component is added once it exists.
	created := plan
	clearComputed(&created)
	created.ID = types.StringValue(in.Name)

	var sgID, vpcID string
	var subnetGroup awsops.ObservedSubnetGroup
	var parameterGroup awsops.ObservedParameterGroup
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		if vpcID, err = c.VpcOfSubnets(gctx, in.Network.SubnetIDs); err != nil {
			return err
		}
		if sgID, err = c.EnsureSecurityGroup(gctx, in.Name, vpcID, desired.SecurityGroup); err != nil {
			return err
		}
		observed, _, err := c.ObserveSecurityGroup(gctx, sgID)
		if err != nil {
			return err
		}
		return c.SyncSecurityGroup(gctx, in.Name, observed, desired.SecurityGroup)
	})
	// A serverless cache takes subnets directly and has no parameter group.
	if desired.Shape != blueprint.ShapeServerless {
		g.Go(func() (err error) {
			subnetGroup, err = c.EnsureSubnetGroup(gctx, in.Name, desired.SubnetGroup)
			return err
		})
		g.Go(func() (err error) {
			parameterGroup, err = c.EnsureParameterGroup(gctx, in.Name, desired.ParameterGroup)
			return err
		})
	}
	err = g.Wait()
	if sgID != "" {
		created.SecurityGroupID = types.StringValue(sgID)
		created.VpcID = types.StringValue(vpcID)
	}
	if subnetGroup.Name != "" {
		created.SubnetGroupName = types.StringValue(subnetGroup.Name)
	}
	if parameterGroup.Name != "" {
		created.ParameterGroupName = types.StringValue(parameterGroup.Name)
	}
	if err != nil {
		r.failCreate(ctx, resp, &created, err)
		return
	}

	var arn string
	var wait func(context.Context, string) error
	switch desired.Shape {
	case blueprint.ShapeServerless:
		arn, err = c.CreateServerlessCache(ctx, in.Name, desired.ServerlessCache, sgID)
		wait = c.WaitServerlessCacheAvailable
	case blueprint.ShapeMemcachedCluster:
		arn, err = c.CreateCacheCluster(ctx, in.Name, desired.CacheCluster, sgID, subnetGroup.Name, parameterGroup.Name)
		wait = c.WaitCacheClusterAvailable
	default:
		arn, err = c.CreateReplicationGroup(ctx, in.Name, desired.ReplicationGroup, sgID, subnetGroup.Name, parameterGroup.Name,
			awsops.ReplicationGroupCredentials{AuthToken: authToken})
		wait = c.WaitReplicationGroupAvailable
	}
	if err != nil {
		r.failCreate(ctx, resp, &created, err)
		return
	}
	created.ARN = types.StringValue(arn)
	if err := wait(ctx, in.Name); err != nil {
		r.failCreate(ctx, resp, &created, err)
		return
	}

	alarms, err := c.ObserveAlarms(ctx, blueprint.AlarmPrefix(in.Name))
	if err == nil {
		err = c.SyncAlarms(ctx, in.Name, alarms, desired.Alarms, in.Tags)
	}
	if err != nil {
		r.failCreate(ctx, resp, &created, err)
		return
	}

	observed, _, err := r.observe(ctx, created)
	if err != nil {
		r.failCreate(ctx, resp, &created, err)
		return
	}
	keepConfiguredValues(&observed, plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &observed)...)
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
		m.Cost = types.ObjectNull(costestimate.CostAttrTypes())
	}
	if m.Recommendations.IsUnknown() {
		m.Recommendations = types.ListNull(types.ObjectType{AttrTypes: costestimate.RecommendationAttrTypes()})
	}
	if m.TagsAll.IsUnknown() {
		m.TagsAll = types.MapNull(types.StringType)
	}
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
	if observed.Mode.ValueString() == blueprint.ModeServerless && !plan.EngineVersion.IsUnknown() &&
		blueprint.MajorEngineVersion(plan.Engine.ValueString(), plan.EngineVersion.ValueString()) == blueprint.MajorEngineVersion(observed.Engine.ValueString(), observed.EngineVersion.ValueString()) {
		observed.EngineVersion = plan.EngineVersion
	}
	if plan.Security != nil && observed.Security == nil {
		observed.Security = &securityModel{
			TransitEncryptionMode: plan.Security.TransitEncryptionMode,
			KMSKeyARN:             plan.Security.KMSKeyARN,
			UserGroupID:           plan.Security.UserGroupID,
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
	diags := config.GetAttribute(ctx, path.Root("security").AtName("auth_token_wo"), &token)
	return token.ValueString(), diags
}
