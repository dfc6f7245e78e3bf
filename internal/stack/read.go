package stack

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/driver"
)

func (r *StackResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	prior, ok := r.begin(ctx, req.State, &resp.Diagnostics)
	if !ok {
		return
	}
	observed, exists, err := r.observe(ctx, prior)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read elasticache_stack "+prior.Name.ValueString(), err.Error())
		return
	}
	if !exists {
		tflog.Warn(ctx, "replication group is gone; removing the stack from state", map[string]any{"stack": prior.Name.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &observed)...)
}

// observe reads every component of the stack through its kind's driver, and returns the stack
// as AWS has it. exists is false when the cache is gone (deleted out of band, or an import of a
// name that does not exist).
func (r *StackResource) observe(ctx context.Context, prior stackModel) (stackModel, bool, error) {
	name := prior.Name.ValueString()
	if name == "" {
		name = prior.ID.ValueString()
	}
	ctx = tflog.SetField(ctx, "stack", name)
	shape, err := r.shapeOf(ctx, prior, name)
	if err != nil {
		return prior, false, err
	}
	o, found, err := driver.For(shape).Observe(ctx, r.clients, name, prior.SecurityGroupID.ValueString())
	if err != nil {
		return prior, found, err
	}
	if found {
		m := r.observedModel(prior, name, o)
		if err := r.observeUsers(ctx, &m, prior, name); err != nil {
			return prior, true, err
		}
		if err := r.observeLogs(ctx, &m, prior, name, o.LogDeliveries); err != nil {
			return prior, true, err
		}
		if err := r.observeAutoscaling(ctx, &m, prior, name); err != nil {
			return prior, true, err
		}
		r.setCost(ctx, &m)
		return m, true, nil
	}
	// A stack whose create stopped before the cache existed still owns the components it
	// recorded: keep it, so destroy (or the replacing apply) removes them.
	partial := prior.ARN.IsNull() && (!prior.SecurityGroupID.IsNull() || !prior.SubnetGroupName.IsNull() || !prior.ParameterGroupName.IsNull())
	return prior, partial, nil
}

// shapeOf is the stack's kind from its state, or, on import, from whichever kind of cache
// carries the name.
func (r *StackResource) shapeOf(ctx context.Context, prior stackModel, name string) (blueprint.Shape, error) {
	if !prior.Mode.IsNull() && !prior.Engine.IsNull() {
		return blueprint.ShapeOf(prior.Mode.ValueString(), prior.Engine.ValueString()), nil
	}
	return driver.Discover(ctx, r.clients, name)
}

// observedModel turns what the driver observed into state, keeping from prior what AWS
// cannot report.
func (r *StackResource) observedModel(prior stackModel, name string, o driver.Observed) stackModel {
	m := prior
	m.ID = types.StringValue(name)
	m.Name = types.StringValue(name)
	m.Mode = types.StringValue(o.Mode)
	m.Engine = types.StringValue(o.Engine)
	m.EngineVersion = optionalString(blueprint.ObservedEngineVersion(o.Engine, prior.EngineVersion.ValueString(), o.EngineVersion, o.MajorEngineVersion))
	m.ARN = optionalString(o.ARN)
	m.Network = observedNetwork(prior.Network, o)
	m.Port = m.Network.Port

	// Tags the provider's ignore_tags names belong to another system (e.g. AWS Organizations
	// tag policies): left out of tags_all, they never show as drift.
	tagsAll := r.ignoreTags().Remove(o.Tags)
	delete(tagsAll, awsops.OwnerTagKey)
	m.TagsAll = stringMapValue(tagsAll)
	m.Tags = resourceTags(prior.Tags, tagsAll, r.clients.DefaultTags)

	m.VpcID = optionalString(o.VpcID)
	m.SecurityGroupRules = stringList(nil)
	if o.SecurityGroupFound {
		m.SecurityGroupID = types.StringValue(o.SecurityGroup.ID)
		m.SecurityGroupRules = stringList(o.SecurityGroup.Rules)
	}
	setObservedAlarms(&m, prior.Alarms, o.Alarms)
	m.NotificationTopicARN = optionalString(o.NotificationTopicARN)
	m.Provisioned = observedProvisioned(prior.Provisioned, o.Provisioned)
	m.Serverless = observedServerlessSettings(prior.Serverless, o.Serverless)
	m.Security = observedSecurity(prior.Security, o.Security)

	m.Endpoint = optionalString(o.Endpoints.Endpoint)
	m.PrimaryEndpoint = optionalString(o.Endpoints.Primary)
	m.ReaderEndpoint = optionalString(o.Endpoints.Reader)
	m.ConfigurationEndpoint = optionalString(o.Endpoints.Configuration)
	m.SubnetGroupName = optionalString(o.SubnetGroupName)
	m.ParameterGroupName = optionalString(o.ParameterGroupName)
	m.ClusterModeEnabled = types.BoolValue(o.ClusterMode)
	setObservedGlobal(&m, prior, o)
	m.MemberClusters = stringList(o.Members)
	importedPreserveDefaults(&m)
	return m
}

// observedNetwork is the network block AWS reports: the port (the configured one when AWS
// reports none), the sources the security group admits on it, and the subnets.
func observedNetwork(prior *networkModel, o driver.Observed) *networkModel {
	net := networkModel{Port: types.Int64Value(int64(o.Port))}
	if o.Port == 0 && prior != nil {
		net.Port = prior.Port
	}
	allowedSGs, cidrs := o.SecurityGroup.AllowedSources(int(net.Port.ValueInt64()))
	net.AllowedSecurityGroupIDs = stringSet(allowedSGs)
	net.AllowedCIDRBlocks = stringSet(cidrs)
	switch {
	case o.SubnetIDs != nil:
		net.SubnetIDs = stringSet(o.SubnetIDs)
	case prior != nil:
		net.SubnetIDs = prior.SubnetIDs
	default:
		net.SubnetIDs = stringSet(nil)
	}
	observedPlacement(&net, prior, o)
	return &net
}

// observedPlacement records the groups attached besides the stack's own (one removed outside
// Terraform shows as a change), the network type, and the discovery IP version, which stays
// null while it is the type's default and the configuration left it out.
func observedPlacement(net *networkModel, prior *networkModel, o driver.Observed) {
	net.AdditionalSecurityGroupIDs = stringSet(o.AdditionalSecurityGroupIDs)
	net.Type = types.StringValue(firstNonEmpty(o.NetworkType, blueprint.DefaultNetworkType))
	net.IPDiscovery = types.StringNull()
	configured := prior != nil && !prior.IPDiscovery.IsNull()
	if o.IPDiscovery != "" && (configured || o.IPDiscovery != blueprint.DefaultIPDiscovery(net.Type.ValueString())) {
		net.IPDiscovery = types.StringValue(o.IPDiscovery)
	}
}

// observedProvisioned is the provisioned block AWS reports. What AWS cannot report (final
// snapshot name, apply_immediately) and what the kind does not have (nil fields) keep the
// prior value or the default, so they never show as drift.
func observedProvisioned(prior *provisionedModel, o *driver.Provisioned) *provisionedModel {
	if o == nil {
		return nil
	}
	base := defaultProvisionedModel()
	if prior != nil {
		base = prior
	}
	p := *base
	p.NodeType = types.StringValue(o.NodeType)
	p.Parameters = stringMapValue(o.Parameters)
	p.MaintenanceWindow = optionalString(o.MaintenanceWindow)
	setInt := func(v *types.Int64, observed *int) {
		if observed != nil {
			*v = types.Int64Value(int64(*observed))
		}
	}
	setInt(&p.Shards, o.Shards)
	setInt(&p.ReplicasPerShard, o.ReplicasPerShard)
	setInt(&p.SnapshotRetentionDays, o.SnapshotRetentionDays)
	if o.MultiAZ != nil {
		p.MultiAZ = types.BoolValue(*o.MultiAZ)
	}
	if o.AutoMinorVersionUpgrade != nil {
		p.AutoMinorVersionUpgrade = types.BoolValue(*o.AutoMinorVersionUpgrade)
	}
	// AWS does not report the zones a stack asked for (a failover moves the primary): the
	// configured list is kept, and import leaves it null.
	if o.EvictionPolicy != nil {
		p.EvictionPolicy = optionalString(*o.EvictionPolicy)
	}
	if o.SnapshotWindow != nil && (prior == nil || blueprint.SnapshotWindowDrifts(int(p.SnapshotRetentionDays.ValueInt64()))) {
		p.SnapshotWindow = optionalString(*o.SnapshotWindow)
	}
	p.NumNodes = types.Int64Null()
	if o.NumNodes != nil && !blueprint.NodeCountIsDefault(prior != nil && !prior.NumNodes.IsNull(), *o.NumNodes) {
		p.NumNodes = types.Int64Value(int64(*o.NumNodes))
	}
	p.FinalSnapshotName = base.FinalSnapshotName
	p.ApplyImmediately = base.ApplyImmediately
	if p.ApplyImmediately.IsNull() {
		p.ApplyImmediately = types.BoolValue(false)
	}
	return &p
}

// observedServerlessSettings keeps the serverless block null when it was and AWS shows no
// limits and no snapshots.
func observedServerlessSettings(prior *serverlessModel, sc *blueprint.Serverless) *serverlessModel {
	if sc == nil || prior == nil && sc.MaxDataStorageGB == 0 && sc.MaxECPUPerSecond == 0 && sc.MinDataStorageGB == 0 && sc.MinECPUPerSecond == 0 && sc.SnapshotRetentionDays == 0 {
		return nil
	}
	// AWS does not report the final snapshot name: it is configuration kept from the prior state.
	finalSnapshot := types.StringNull()
	if prior != nil {
		finalSnapshot = prior.FinalSnapshotName
	}
	limit := func(v int64) types.Int64 {
		if v == 0 {
			return types.Int64Null()
		}
		return types.Int64Value(v)
	}
	return &serverlessModel{
		MaxDataStorageGB:      limit(sc.MaxDataStorageGB),
		MaxECPUPerSecond:      limit(sc.MaxECPUPerSecond),
		MinDataStorageGB:      limit(sc.MinDataStorageGB),
		MinECPUPerSecond:      limit(sc.MinECPUPerSecond),
		DailySnapshotTime:     optionalString(sc.DailySnapshotTime),
		SnapshotRetentionDays: types.Int64Value(int64(sc.SnapshotRetentionDays)),
		FinalSnapshotName:     finalSnapshot,
	}
}

// observedSecurity keeps the security block null when it was null and AWS shows the defaults,
// so a stack configured without the block has no diff.
func observedSecurity(prior *securityModel, o driver.Security) *securityModel {
	transitMode, kmsKeyARN, userGroupID := o.TransitEncryptionMode, o.KMSKeyARN, o.UserGroupID
	isDefault := transitMode == blueprint.TransitRequired && kmsKeyARN == "" && userGroupID == "" && !o.AuthTokenEnabled
	if prior == nil && isDefault {
		return nil
	}
	s := &securityModel{
		TransitEncryptionMode: types.StringValue(firstNonEmpty(transitMode, blueprint.TransitRequired)),
		KMSKeyARN:             optionalString(kmsKeyARN),
		AuthTokenWO:           types.StringNull(),
		AuthTokenWOVersion:    types.Int64Null(),
		UserGroupID:           optionalString(userGroupID),
		Users:                 types.MapNull(userObjectType),
	}
	if prior != nil {
		s.AuthTokenWOVersion = prior.AuthTokenWOVersion
		if !prior.KMSKeyARN.IsNull() && kmsKeyARN == "" {
			s.KMSKeyARN = prior.KMSKeyARN
		}
	}
	return s
}

// resourceTags recovers the resource's own tags from all observed tags: a tag the provider's
// default_tags supply with the same value belongs to the provider, unless the resource had
// set it too.
func resourceTags(prior types.Map, all, defaults map[string]string) types.Map {
	priorTags := map[string]string{}
	if !prior.IsNull() && !prior.IsUnknown() {
		for k, v := range prior.Elements() {
			if s, ok := v.(types.String); ok {
				priorTags[k] = s.ValueString()
			}
		}
	}
	own := map[string]string{}
	for k, v := range all {
		_, wasOwn := priorTags[k]
		if dv, isDefault := defaults[k]; isDefault && dv == v && !wasOwn {
			continue
		}
		own[k] = v
	}
	if len(own) == 0 && prior.IsNull() {
		return types.MapNull(types.StringType)
	}
	return stringMapValue(own)
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// setObservedAlarms records the alarms CloudWatch has. The alarms block is configuration that
// AWS cannot report back (overrides), so it is kept; on import it is recovered from the alarms.
func setObservedAlarms(m *stackModel, prior *alarmsModel, observed []awsops.ObservedAlarm) {
	names := make([]string, 0, len(observed))
	arns := make([]string, 0, len(observed))
	definitions := make(map[string]string, len(observed))
	for _, a := range observed {
		names = append(names, a.Spec.Name)
		arns = append(arns, a.ARN)
		definitions[a.Spec.Name] = a.Spec.Definition()
	}
	m.AlarmNames = stringList(names)
	m.AlarmARNs = stringList(arns)
	m.AlarmDefinitions = stringMapValue(definitions)
	if prior != nil {
		m.Alarms = prior
		return
	}
	recovered := &alarmsModel{
		Enabled:      types.BoolValue(len(observed) > 0),
		AlarmActions: stringSet(nil),
		OKActions:    stringSet(nil),
		Overrides:    types.MapValueMust(types.ObjectType{AttrTypes: alarmOverrideAttrTypes()}, map[string]attr.Value{}),
	}
	if len(observed) > 0 {
		recovered.AlarmActions = stringSet(observed[0].Spec.AlarmActions)
		recovered.OKActions = stringSet(observed[0].Spec.OKActions)
	}
	m.Alarms = recovered
}

// setCost prices the observed stack, so that state carries the same figures the plan showed.
func (r *StackResource) setCost(ctx context.Context, m *stackModel) {
	in, diags := inputFrom(ctx, *m, r.clients.DefaultTags)
	if diags.HasError() {
		return
	}
	var costDiags diag.Diagnostics
	m.Cost, m.Recommendations, costDiags = r.estimateCost(ctx, in, m.ExpectedLoad)
	for _, d := range costDiags {
		tflog.Debug(ctx, "cost estimate", map[string]any{"diagnostic": d.Summary() + ": " + d.Detail()})
	}
}
