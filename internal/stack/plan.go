package stack

import (
	"context"
	"fmt"
	"strings"

	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/driver"
)

// ValidateConfig rejects, at plan time and before anything is created, every configuration
// blueprint.Validate finds wrong, pointing at the attribute.
func (r *StackResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	// A whole block that is not known yet (a module's `cond ? {...} : null` during validate)
	// cannot be judged; the attribute validators inside still run, and the plan judges again.
	if anyNestedUnknown(ctx, req.Config.GetAttribute) {
		return
	}
	config, ok := modelOf(ctx, req.Config, &resp.Diagnostics)
	if !ok {
		return
	}
	in, diags := inputFrom(ctx, config, nil)
	resp.Diagnostics.Append(diags...)
	in.Set = configuredPaths(config)
	for _, p := range blueprint.Validate(in) {
		addProblem(&resp.Diagnostics, p)
	}
	if s := config.Security; s != nil {
		token := s.AuthTokenWO
		if !token.IsNull() && !token.IsUnknown() {
			if p := blueprint.ValidateAuthToken(token.ValueString()); p != nil {
				addProblem(&resp.Diagnostics, *p)
			}
			if s.AuthTokenWOVersion.IsNull() {
				addProblem(&resp.Diagnostics, blueprint.Problem{Attribute: blueprint.AttrSecurityAuthTokenWOVersion, Summary: "Missing AUTH token version",
					Detail: "auth_token_wo is write-only, so Terraform cannot see when it changes: set auth_token_wo_version (for example 1) with it, and increase it to rotate the token."})
			}
		}
		for _, p := range validateUserPasswords(ctx, s.Users) {
			addProblem(&resp.Diagnostics, p)
		}
		if token.IsNull() && !s.AuthTokenWOVersion.IsNull() && !s.AuthTokenWOVersion.IsUnknown() {
			addProblem(&resp.Diagnostics, blueprint.Problem{Attribute: blueprint.AttrSecurityAuthTokenWOVersion, Summary: "AUTH token version without a token",
				Detail: "auth_token_wo_version versions auth_token_wo; set the token too, or remove the version."})
		}
	}
}

// ModifyPlan fills in every computed value that is known before apply (names, member
// clusters, rules, tags), marks changes AWS cannot make in place for replacement, and tells the
// reviewer, as warnings, what the change disrupts.
func (r *StackResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		warnDestroy(ctx, req, resp)
		if !req.State.Raw.IsNull() {
			var state stackModel
			resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
			r.checkGlobalDestroy(ctx, state, &resp.Diagnostics)
		}
		return
	}
	if anyNestedUnknown(ctx, req.Plan.GetAttribute) {
		// Nothing can be computed before the blocks are known; Terraform plans again once they are.
		return
	}
	plan, ok := modelOf(ctx, req.Plan, &resp.Diagnostics)
	if !ok {
		return
	}
	want, diags := inputFrom(ctx, plan, r.defaultTags())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.planDefaults(ctx, req, &plan, &want)...)
	resp.Diagnostics.Append(r.planGlobal(ctx, req, &plan, &want)...)
	resp.Diagnostics.Append(r.checkEngineVersion(ctx, req, want)...)
	resp.Diagnostics.Append(r.checkPlacement(ctx, req, want)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		r.planCreate(ctx, &plan, &want)
		planPreserve(ctx, resp, &plan, nil, want)
		resp.Diagnostics.Append(r.checkRestoreSource(ctx, want)...)
	} else if !r.planChange(ctx, req, resp, &plan, &want) {
		return
	}
	keepDatastoreParameterGroup(ctx, req, &plan)
	planAlarms(&plan, want)
	var costDiags diag.Diagnostics
	plan.Cost, plan.Recommendations, costDiags = r.estimateCost(ctx, want, plan.ExpectedLoad)
	resp.Diagnostics.Append(costDiags...)
	if !req.State.Raw.IsNull() {
		var priorCost types.Object
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("cost"), &priorCost)...)
		if summary, detail, ok := costChangeWarning(want.Name, priorCost, plan.Cost); ok {
			resp.Diagnostics.AddWarning(summary, detail)
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *StackResource) defaultTags() map[string]string {
	if r.clients == nil {
		return nil
	}
	return r.clients.DefaultTags
}

// warnDestroy tells the reviewer what destroying the stack loses.
func warnDestroy(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return
	}
	var state stackModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	detail := "Destroying the stack deletes the cache; " + blueprint.DataLossConsequence + "."
	if snapshot := finalSnapshotName(state); snapshot != "" {
		detail = fmt.Sprintf("Destroying the stack deletes the cache after taking the final snapshot %q.", snapshot)
	}
	resp.Diagnostics.AddWarning(fmt.Sprintf("elasticache_stack %q will be destroyed", state.Name.ValueString()), detail)
}

// planDefaults fills in the values known from the configuration alone: the engine's default
// version and port, tags_all, the id, and no node settings for a kind without nodes.
func (r *StackResource) planDefaults(ctx context.Context, req resource.ModifyPlanRequest, plan *stackModel, want *blueprint.Input) diag.Diagnostics {
	var diags diag.Diagnostics
	if plan.EngineVersion.IsUnknown() && want.Known(blueprint.AttrEngine) {
		if req.State.Raw.IsNull() || r.stateEngine(ctx, req) != want.Engine {
			want.EngineVersion = blueprint.DefaultEngineVersion[want.Engine]
			plan.EngineVersion = types.StringValue(want.EngineVersion)
			delete(want.Unknown, blueprint.AttrEngineVersion)
		}
	}
	if want.Known(blueprint.AttrTags) {
		// tags_all leaves out ignore_tags keys, as it does when read back: no perpetual diff.
		plan.TagsAll = stringMapValue(r.ignoreTags().Remove(want.Tags))
	}
	if want.Known(blueprint.AttrName) {
		plan.ID = types.StringValue(want.Name)
		plan.SubnetGroupName = types.StringValue(want.Name)
	}
	if plan.Network != nil && plan.Network.Port.IsUnknown() && want.Known(blueprint.AttrEngine) {
		// Not configured: the engine's customary port.
		want.Network.Port = blueprint.DefaultPort(want.Engine)
		plan.Network.Port = types.Int64Value(int64(want.Network.Port))
		delete(want.Unknown, blueprint.AttrNetworkPort)
	}
	if want.Known(blueprint.AttrNetworkPort) {
		plan.Port = types.Int64Value(int64(want.Network.Port))
	}
	if want.Known(blueprint.AttrMode) && want.Known(blueprint.AttrEngine) && !want.Shape().HasNodes() {
		// A serverless cache has no node settings: drop the provisioned defaults from the plan
		// unless the configuration set them (which validation rejects).
		var configured types.Object
		diags.Append(req.Config.GetAttribute(ctx, attributePath(blueprint.AttrProvisioned), &configured)...)
		if configured.IsNull() {
			plan.Provisioned = nil
		}
	}
	if plan.Serverless != nil {
		diags.Append(planDailySnapshotTime(ctx, req, plan)...)
	}
	return diags
}

// planChange plans a change to an existing stack: a replacement when blueprint.Assess says
// AWS cannot make it in place, else an update, with the warnings the reviewer should see.
// It returns false when the prior state cannot be read.
func (r *StackResource) planChange(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, plan *stackModel, want *blueprint.Input) bool {
	var state stackModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	had, diags := inputFrom(ctx, state, r.defaultTags())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return false
	}
	assessment := blueprint.Assess(had, *want)
	if refused(&resp.Diagnostics, assessment) {
		return false
	}
	if !assessment.RequiresReplace() {
		for _, w := range assessment.Warnings {
			// The attribute is named in the text too: Terraform's JSON diagnostics (plan -json,
			// read by elasticache-plan-summary) carry a config range, not the attribute path.
			resp.Diagnostics.AddAttributeWarning(attributePath(w.Attribute), fmt.Sprintf("elasticache_stack %q: %s", want.Name, w.Summary),
				w.Detail+"\n\nAttribute: "+w.Attribute.String())
		}
		userPlanDiagnostics(&resp.Diagnostics, had, *want)
		if w := blueprint.LogsWarning(had, *want); w != nil {
			resp.Diagnostics.AddAttributeWarning(attributePath(w.Attribute), fmt.Sprintf("elasticache_stack %q: %s", want.Name, w.Summary), w.Detail)
		}
		if restoreFromChanged(state.RestoreFrom, plan.RestoreFrom) {
			summary, detail := blueprint.RestoreFromChangeNote(want.Name)
			resp.Diagnostics.AddAttributeWarning(attributePath(blueprint.AttrRestoreFrom), summary, detail)
		}
		planUpdate(plan, state, had, want)
		planPreserve(ctx, resp, plan, &state, *want)
		return true
	}
	if p := blueprint.PreserveRefusal(had, *want); p != nil {
		addProblem(&resp.Diagnostics, *p)
		return false
	}
	var reasons []string
	for _, reason := range assessment.Replace {
		resp.RequiresReplace = append(resp.RequiresReplace, attributePath(reason.Attribute))
		reasons = append(reasons, fmt.Sprintf("- %s: %s", reason.Attribute, reason.Why))
	}
	resp.Diagnostics.AddWarning(fmt.Sprintf("elasticache_stack %q will be replaced", want.Name),
		"Replacement is forced by:\n"+strings.Join(reasons, "\n")+"\n\nConsequence: "+blueprint.PreserveWarning(had, *want)+".")
	r.planCreate(ctx, plan, want)
	planPreserve(ctx, resp, plan, &state, *want)
	return true
}

func (r *StackResource) stateEngine(ctx context.Context, req resource.ModifyPlanRequest) string {
	var engine types.String
	req.State.GetAttribute(ctx, attributePath(blueprint.AttrEngine), &engine)
	return engine.ValueString()
}

// planCreate sets the computed values a new stack will have.
func (r *StackResource) planCreate(ctx context.Context, plan *stackModel, want *blueprint.Input) {
	// A new replication group starts from scratch: standard member names, cluster mode by shape.
	want.ClusterModeEnabled = false
	want.MemberClusters = nil
	p := want.Provisioned
	shardsKnown := want.Known(blueprint.AttrProvisionedShards) && want.Known(blueprint.AttrProvisionedReplicasPerShard)
	if want.Known(blueprint.AttrName) && shardsKnown {
		plan.MemberClusters = stringList(want.Members())
	} else {
		plan.MemberClusters = types.ListUnknown(types.StringType)
	}
	if want.Known(blueprint.AttrProvisionedShards) {
		plan.ClusterModeEnabled = types.BoolValue(p.Shards > 1)
		if want.Known(blueprint.AttrName) {
			plan.ParameterGroupName = types.StringValue(blueprint.ParameterGroupName(want.Name, p.Shards > 1))
		}
	} else {
		plan.ParameterGroupName = types.StringUnknown()
	}
	plan.SecurityGroupRules = plannedRules(*want)
	plan.ARN = types.StringUnknown()
	kindKnown := want.Known(blueprint.AttrMode) && want.Known(blueprint.AttrEngine)
	if r.clients != nil && r.clients.AccountID != "" && want.Known(blueprint.AttrName) && kindKnown {
		plan.ARN = types.StringValue(driver.For(want.Shape()).ARN(partitionOf(r.clients), r.clients.Region, r.clients.AccountID, want.Name))
	}
	plan.VpcID = types.StringUnknown()
	if r.clients != nil && want.Known(blueprint.AttrNetworkSubnetIDs) && len(want.Network.SubnetIDs) > 0 {
		if vpc, err := r.clients.VpcOfSubnets(ctx, want.Network.SubnetIDs); err == nil {
			plan.VpcID = types.StringValue(vpc)
		} else {
			tflog.Debug(ctx, "vpc_id left unknown until apply", map[string]any{"error": err.Error()})
		}
	}
	if kindKnown && !want.Shape().HasGroups() {
		// A serverless cache takes the subnets and security group directly.
		plan.SubnetGroupName = types.StringNull()
		plan.ParameterGroupName = types.StringNull()
	}
	plan.SecurityGroupID = types.StringUnknown()
	plan.Endpoint = types.StringUnknown()
	plan.PrimaryEndpoint = types.StringUnknown()
	plan.ReaderEndpoint = types.StringUnknown()
	plan.ConfigurationEndpoint = types.StringUnknown()
}

// planUpdate keeps the computed values an in-place update does not change and recomputes the
// ones it does. It also tells want which member clusters the stack will have, for the alarms.
func planUpdate(plan *stackModel, state stackModel, had blueprint.Input, want *blueprint.Input) {
	plan.ARN = state.ARN
	plan.SecurityGroupID = state.SecurityGroupID
	plan.VpcID = state.VpcID
	plan.Endpoint = state.Endpoint
	plan.PrimaryEndpoint = state.PrimaryEndpoint
	plan.ReaderEndpoint = state.ReaderEndpoint
	plan.ConfigurationEndpoint = state.ConfigurationEndpoint
	plan.SubnetGroupName = state.SubnetGroupName
	plan.ParameterGroupName = plannedParameterGroup(state, had, *want)
	plan.SecurityGroupRules = plannedRules(*want)
	if plan.Security != nil && state.Security != nil && plan.Security.KMSKeyARN.IsNull() {
		plan.Security.KMSKeyARN = types.StringNull()
	}

	want.ClusterModeEnabled = had.ClusterModeEnabled
	want.MemberClusters = nil
	if !want.Known(blueprint.AttrProvisionedShards) || !want.Known(blueprint.AttrProvisionedReplicasPerShard) {
		plan.MemberClusters = types.ListUnknown(types.StringType)
		plan.ClusterModeEnabled = types.BoolUnknown()
		want.Unknown[blueprint.AttrMemberClusters] = true
		return
	}
	p, hp := want.Provisioned, had.Provisioned
	plan.ClusterModeEnabled = types.BoolValue(want.ClusterMode())
	standardNames := slices.Equal(had.MemberClusters, blueprint.MemberClusterIDs(had.Name, hp.Shards, hp.ReplicasPerShard, had.ClusterModeEnabled))
	switch {
	case want.ClusterMode() != had.ClusterModeEnabled:
		// Moving to cluster mode: AWS keeps the members' names, switches to the cluster-mode
		// parameter group, and a configuration endpoint replaces the primary endpoint.
		plan.ParameterGroupName = types.StringValue(blueprint.ParameterGroupName(want.Name, true))
		plan.Endpoint = types.StringUnknown()
		plan.PrimaryEndpoint = types.StringUnknown()
		plan.ReaderEndpoint = types.StringUnknown()
		plan.ConfigurationEndpoint = types.StringUnknown()
		plan.MemberClusters = types.ListUnknown(types.StringType)
		want.Unknown[blueprint.AttrMemberClusters] = true
	case p.Shards == hp.Shards && p.ReplicasPerShard == hp.ReplicasPerShard:
		plan.MemberClusters = state.MemberClusters
		want.MemberClusters = had.MemberClusters
	case p.ReplicasPerShard < hp.ReplicasPerShard:
		// Which replicas go depends on which member is primary now (a failover moves it), and
		// the primary is never removed: the members are known after apply.
		plan.MemberClusters = types.ListUnknown(types.StringType)
		want.Unknown[blueprint.AttrMemberClusters] = true
	case standardNames:
		plan.MemberClusters = stringList(want.Members())
	default:
		plan.MemberClusters = types.ListUnknown(types.StringType)
		want.Unknown[blueprint.AttrMemberClusters] = true
	}
}

// plannedParameterGroup is the parameter group AWS will report after the apply: the next one
// (blueprint.NextParameterGroupName), except that a major upgrade waiting for the maintenance
// window keeps the current group in use until then.
func plannedParameterGroup(state stackModel, had, want blueprint.Input) types.String {
	if !want.Known(blueprint.AttrMode) || !want.Known(blueprint.AttrEngine) || !want.Shape().HasGroups() {
		return state.ParameterGroupName
	}
	if !want.Known(blueprint.AttrEngineVersion) || !want.Known(blueprint.AttrProvisionedShards) {
		return types.StringUnknown()
	}
	next := blueprint.NextParameterGroupName(had, want)
	if blueprint.ThroughDatastore(had, want) {
		return types.StringValue(next) // the datastore takes the upgrade at once
	}
	migrating := !had.ClusterMode() && want.ClusterMode()
	if !want.Provisioned.ApplyImmediately && !migrating && want.Known(blueprint.AttrProvisionedApplyImmediately) {
		return state.ParameterGroupName
	}
	if !want.Known(blueprint.AttrProvisionedApplyImmediately) && next != state.ParameterGroupName.ValueString() {
		return types.StringUnknown()
	}
	return types.StringValue(next)
}

// plannedRules is the security group's desired rule list, or unknown while its inputs are.
func plannedRules(want blueprint.Input) types.List {
	for _, p := range []blueprint.Attr{blueprint.AttrNetworkAllowedSecurityGroupIDs, blueprint.AttrNetworkAllowedCIDRBlocks, blueprint.AttrNetworkPort} {
		if !want.Known(p) {
			return types.ListUnknown(types.StringType)
		}
	}
	spec := blueprint.SecurityGroupSpec{Ingress: blueprint.IngressRules(want.Network)}
	return stringList(spec.Rules())
}

// attributePath turns "provisioned.node_type" into the framework's path.
func attributePath(attribute blueprint.Attr) path.Path {
	parts := strings.Split(attribute.String(), ".")
	p := path.Root(parts[0])
	for _, part := range parts[1:] {
		// A map element: users["app"].
		if name, key, ok := strings.Cut(part, "[\""); ok {
			p = p.AtName(name).AtMapKey(strings.TrimSuffix(key, "\"]"))
			continue
		}
		p = p.AtName(part)
	}
	return p
}

func partitionOf(c *awsops.Clients) string {
	if c.Partition != "" {
		return c.Partition
	}
	return "aws"
}

// alarmInputs are the attributes the alarm set depends on.
var alarmInputs = []blueprint.Attr{blueprint.AttrName, blueprint.AttrMemberClusters, blueprint.AttrProvisionedNodeType, blueprint.AttrProvisionedShards, blueprint.AttrProvisionedReplicasPerShard,
	blueprint.AttrProvisionedAutoscaling,
	blueprint.AttrProvisionedEvictionPolicy, blueprint.AttrAlarmsEnabled, blueprint.AttrAlarmsAlarmActions, blueprint.AttrAlarmsOkActions, blueprint.AttrAlarmsOverrides}

// planAlarms sets the alarm names, ARNs and definitions the apply will leave, so the plan
// shows added, changed and removed alarms (and repairs out-of-band edits).
func planAlarms(plan *stackModel, want blueprint.Input) {
	plan.AlarmARNs = types.ListUnknown(types.StringType)
	for _, p := range alarmInputs {
		if !want.Known(p) {
			plan.AlarmNames = types.ListUnknown(types.StringType)
			plan.AlarmDefinitions = types.MapUnknown(types.StringType)
			return
		}
	}
	specs := blueprint.Alarms(want, want.Alarms)
	names := make([]string, 0, len(specs))
	definitions := make(map[string]string, len(specs))
	for _, a := range specs {
		names = append(names, a.Name)
		definitions[a.Name] = a.Definition()
	}
	plan.AlarmNames = stringList(names)
	plan.AlarmDefinitions = stringMapValue(definitions)
	// The stack's ARN (known at plan when the account is) gives partition, region and account.
	if parts := strings.Split(plan.ARN.ValueString(), ":"); !plan.ARN.IsUnknown() && len(parts) > 4 && parts[4] != "" {
		arns := make([]string, len(names))
		for i, n := range names {
			arns[i] = fmt.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:%s", parts[1], parts[3], parts[4], n)
		}
		plan.AlarmARNs = stringList(arns)
	}
}

// configuredPaths lists the attributes a configuration sets, so validation can tell a choice
// from a default (a Memcached stack may not set replicas, but the schema defaults them).
func configuredPaths(m stackModel) map[blueprint.Attr]bool {
	set := map[blueprint.Attr]bool{}
	mark := func(path blueprint.Attr, isNull bool) {
		if !isNull {
			set[path] = true
		}
	}
	mark(blueprint.AttrProvisioned, m.Provisioned == nil)
	mark(blueprint.AttrEngine, m.Engine.IsNull())
	mark(blueprint.AttrEngineVersion, m.EngineVersion.IsNull())
	if p := m.Provisioned; p != nil {
		mark(blueprint.AttrProvisionedNodeType, p.NodeType.IsNull())
		mark(blueprint.AttrProvisionedParameters, p.Parameters.IsNull())
		mark(blueprint.AttrProvisionedShards, p.Shards.IsNull())
		mark(blueprint.AttrProvisionedReplicasPerShard, p.ReplicasPerShard.IsNull())
		mark(blueprint.AttrProvisionedMultiAZ, p.MultiAZ.IsNull())
		mark(blueprint.AttrProvisionedEvictionPolicy, p.EvictionPolicy.IsNull())
		mark(blueprint.AttrProvisionedSnapshotRetentionDays, p.SnapshotRetentionDays.IsNull())
		mark(blueprint.AttrProvisionedSnapshotWindow, p.SnapshotWindow.IsNull())
		mark(blueprint.AttrProvisionedFinalSnapshotName, p.FinalSnapshotName.IsNull())
		mark(blueprint.AttrProvisionedNumNodes, p.NumNodes.IsNull())
	}
	if n := m.Network; n != nil {
		mark(blueprint.AttrNetworkIPDiscovery, n.IPDiscovery.IsNull())
	}
	mark(blueprint.AttrServerless, m.Serverless == nil)
	if sv := m.Serverless; sv != nil {
		mark(blueprint.AttrServerlessDailySnapshotTime, sv.DailySnapshotTime.IsNull())
		mark(blueprint.AttrServerlessSnapshotRetentionDays, sv.SnapshotRetentionDays.IsNull())
		mark(blueprint.AttrServerlessFinalSnapshotName, sv.FinalSnapshotName.IsNull())
	}
	if sec := m.Security; sec != nil {
		mark(blueprint.AttrSecurityAuthTokenWO, sec.AuthTokenWO.IsNull())
		mark(blueprint.AttrSecurityAuthTokenWOVersion, sec.AuthTokenWOVersion.IsNull())
		mark(blueprint.AttrSecurityUserGroupID, sec.UserGroupID.IsNull())
	}
	return set
}

// planDailySnapshotTime keeps the snapshot time AWS chose when the configuration leaves it
// out, and leaves it unknown until AWS has chosen one.
func planDailySnapshotTime(ctx context.Context, req resource.ModifyPlanRequest, plan *stackModel) diag.Diagnostics {
	var configured, prior types.String
	diags := req.Config.GetAttribute(ctx, attributePath(blueprint.AttrServerlessDailySnapshotTime), &configured)
	if !configured.IsNull() {
		return diags
	}
	if !req.State.Raw.IsNull() {
		diags.Append(req.State.GetAttribute(ctx, attributePath(blueprint.AttrServerlessDailySnapshotTime), &prior)...)
	}
	if prior.IsNull() || prior.IsUnknown() {
		plan.Serverless.DailySnapshotTime = types.StringUnknown()
	} else {
		plan.Serverless.DailySnapshotTime = prior
	}
	return diags
}

// checkEngineVersion asks the region which versions it offers, when a stack is created or its
// engine or version changes (never on an unchanged plan, so reviews cost no extra calls).
func (r *StackResource) checkEngineVersion(ctx context.Context, req resource.ModifyPlanRequest, want blueprint.Input) diag.Diagnostics {
	var diags diag.Diagnostics
	if r.clients == nil || !want.Known(blueprint.AttrEngine) || !want.Known(blueprint.AttrEngineVersion) || !want.Known(blueprint.AttrMode) || want.Shape().MajorVersionOnly() {
		return diags
	}
	if !req.State.Raw.IsNull() {
		var engine, version types.String
		diags.Append(req.State.GetAttribute(ctx, attributePath(blueprint.AttrEngine), &engine)...)
		diags.Append(req.State.GetAttribute(ctx, attributePath(blueprint.AttrEngineVersion), &version)...)
		if engine.ValueString() == want.Engine && version.ValueString() == want.EngineVersion {
			return diags
		}
	}
	offered, families, err := r.clients.EngineVersions(ctx, want.Engine)
	if err != nil || len(offered) == 0 {
		// Not being able to ask is no reason to block a plan; AWS will judge at apply.
		tflog.Debug(ctx, "engine versions not checked", map[string]any{"error": fmt.Sprint(err)})
		return diags
	}
	if !awsops.VersionOffered(want.EngineVersion, offered) {
		diags.AddAttributeError(attributePath(blueprint.AttrEngineVersion), "Engine version not offered in this region",
			fmt.Sprintf("%s %s is not offered by ElastiCache in %s; offered versions: %s.", want.Engine, want.EngineVersion, r.clients.Region, strings.Join(offered, ", ")))
		return diags
	}
	// A major upgrade creates a parameter group of the version's family: it must be the family
	// AWS pairs with that version, or the upgrade fails mid-apply.
	family, err := blueprint.ParameterGroupFamily(want.Engine, want.EngineVersion)
	if reported := awsops.FamilyOf(want.EngineVersion, families); err != nil || (reported != "" && reported != family) {
		diags.AddAttributeError(attributePath(blueprint.AttrEngineVersion), "No parameter group family for this version",
			fmt.Sprintf("%s %s runs parameter group family %q in %s, which this provider cannot create a group for (it knows %q); choose another engine_version.", want.Engine, want.EngineVersion, reported, r.clients.Region, family))
	}
	return diags
}

// nestedBlocks are the stack's nested object attributes.
var nestedBlocks = []blueprint.Attr{blueprint.AttrRestoreFrom, blueprint.AttrNetwork, blueprint.AttrProvisioned, blueprint.AttrServerless, blueprint.AttrSecurity, blueprint.AttrLogs, blueprint.AttrAlarms, blueprint.AttrExpectedLoad}

// anyNestedUnknown reports whether a nested block is unknown as a whole.
func anyNestedUnknown(ctx context.Context, get func(context.Context, path.Path, any) diag.Diagnostics) bool {
	for _, name := range nestedBlocks {
		var v types.Object
		if diags := get(ctx, attributePath(name), &v); !diags.HasError() && v.IsUnknown() {
			return true
		}
	}
	return false
}

// addProblem reports a validation problem at its attribute. The detail names the attribute
// too: Terraform can point only at blocks, so for an attribute inside an object such as
// network = {...} the source snippet alone would not say which one is wrong.
func addProblem(diags *diag.Diagnostics, p blueprint.Problem) {
	diags.AddAttributeError(attributePath(p.Attribute), p.Summary, "Attribute "+p.Attribute.String()+": "+p.Detail)
}

// refused reports the changes AWS would reject half-way through an apply as plan errors.
func refused(diags *diag.Diagnostics, a blueprint.Assessment) bool {
	for _, p := range a.Refuse {
		addProblem(diags, p)
	}
	return len(a.Refuse) > 0
}
