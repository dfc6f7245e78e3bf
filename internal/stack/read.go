package stack

import (
	"context"
	"maps"

	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/sync/errgroup"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

func (r *StackResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if !r.requireClients(&resp.Diagnostics) {
		return
	}
	var prior stackModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
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

// observe reads every component of the stack with one describe per component kind, the
// independent ones concurrently, and returns the stack as AWS has it. exists is false when the
// cache is gone (deleted out of band, or an import of a name that does not exist).
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
	var (
		m     stackModel
		found bool
	)
	switch shape {
	case blueprint.ShapeServerless:
		m, found, err = r.observeServerless(ctx, prior, name)
	case blueprint.ShapeMemcachedCluster:
		m, found, err = r.observeMemcached(ctx, prior, name)
	default:
		m, found, err = r.observeReplicationGroup(ctx, prior, name)
	}
	if err != nil || found {
		if found && err == nil {
			r.setCost(ctx, &m)
		}
		return m, found, err
	}
	// A stack whose create stopped before the cache existed still owns the components it
	// recorded: keep it, so destroy (or the replacing apply) removes them.
	partial := prior.ARN.IsNull() && (!prior.SecurityGroupID.IsNull() || !prior.SubnetGroupName.IsNull() || !prior.ParameterGroupName.IsNull())
	return prior, partial, nil
}

// shapeOf is the stack's shape from its state, or, on import, from whichever kind of cache
// carries the name.
func (r *StackResource) shapeOf(ctx context.Context, prior stackModel, name string) (blueprint.Shape, error) {
	if !prior.Mode.IsNull() && !prior.Engine.IsNull() {
		return blueprint.ShapeOf(prior.Mode.ValueString(), prior.Engine.ValueString()), nil
	}
	c := r.clients
	if _, found, err := c.ObserveReplicationGroup(ctx, name); err != nil || found {
		return blueprint.ShapeReplicationGroup, err
	}
	if _, found, err := c.ObserveCacheCluster(ctx, name); err != nil || found {
		return blueprint.ShapeMemcachedCluster, err
	}
	return blueprint.ShapeServerless, nil
}

// components is what the stack's supporting resources look like in AWS.
type components struct {
	sg      awsops.ObservedSecurityGroup
	sgFound bool
	sn      awsops.ObservedSubnetGroup
	snFound bool
	pg      awsops.ObservedParameterGroup
	alarms  []awsops.ObservedAlarm
}

// observeComponents reads the security group, subnet group, parameter group and alarms
// concurrently; empty names are skipped.
func (r *StackResource) observeComponents(ctx context.Context, name, sgID, subnetGroup, parameterGroup string) (components, error) {
	c := r.clients
	var out components
	g, gctx := errgroup.WithContext(ctx)
	if sgID != "" {
		g.Go(func() (err error) { out.sg, out.sgFound, err = c.ObserveSecurityGroup(gctx, sgID); return err })
	}
	if subnetGroup != "" {
		g.Go(func() (err error) { out.sn, out.snFound, err = c.ObserveSubnetGroup(gctx, subnetGroup); return err })
	}
	if parameterGroup != "" {
		g.Go(func() (err error) { out.pg, _, err = c.ObserveParameterGroup(gctx, parameterGroup); return err })
	}
	g.Go(func() (err error) { out.alarms, err = c.ObserveAlarms(gctx, blueprint.AlarmPrefix(name)); return err })
	return out, g.Wait()
}

// observedCommon fills what every shape shares: identity, network, tags, components, alarms.
func (r *StackResource) observedCommon(prior stackModel, name, mode, engine, version, arn string, port int, subnetIDs []string, comp components, tags map[string]string) stackModel {
	m := prior
	m.ID = types.StringValue(name)
	m.Name = types.StringValue(name)
	m.Mode = types.StringValue(mode)
	m.Engine = types.StringValue(engine)
	m.EngineVersion = optionalString(majorMinor(version))
	m.ARN = optionalString(arn)

	net := networkModel{Port: types.Int64Value(int64(port))}
	if port == 0 && prior.Network != nil {
		net.Port = prior.Network.Port
	}
	allowedSGs, cidrs := comp.sg.AllowedSources(int(net.Port.ValueInt64()))
	net.AllowedSecurityGroupIDs = stringSet(allowedSGs)
	net.AllowedCIDRBlocks = stringSet(cidrs)
	switch {
	case subnetIDs != nil:
		net.SubnetIDs = stringSet(subnetIDs)
	case prior.Network != nil:
		net.SubnetIDs = prior.Network.SubnetIDs
	default:
		net.SubnetIDs = stringSet(nil)
	}
	m.Network = &net
	m.Port = net.Port

	tagsAll := maps.Clone(tags)
	delete(tagsAll, awsops.OwnerTagKey)
	m.TagsAll = stringMapValue(tagsAll)
	m.Tags = resourceTags(prior.Tags, tagsAll, r.clients.DefaultTags)

	m.VpcID = optionalString(firstNonEmpty(comp.sn.VpcID, comp.sg.VpcID))
	if comp.sgFound {
		m.SecurityGroupID = types.StringValue(comp.sg.ID)
		m.SecurityGroupRules = stringList(comp.sg.Rules)
	} else {
		m.SecurityGroupRules = stringList(nil)
	}
	setObservedAlarms(&m, prior.Alarms, comp.alarms)
	return m
}

// observedProvisioned keeps what AWS cannot report (final snapshot name, apply_immediately,
// and for Memcached the Valkey-only settings) from the prior state.
func observedProvisioned(prior *provisionedModel, observed provisionedModel) *provisionedModel {
	base := defaultProvisionedModel()
	if prior != nil {
		base = prior
	}
	observed.FinalSnapshotName = base.FinalSnapshotName
	observed.ApplyImmediately = base.ApplyImmediately
	if observed.ApplyImmediately.IsNull() {
		observed.ApplyImmediately = types.BoolValue(false)
	}
	return &observed
}

func (r *StackResource) observeReplicationGroup(ctx context.Context, prior stackModel, name string) (stackModel, bool, error) {
	rg, found, err := r.clients.ObserveReplicationGroup(ctx, name)
	if err != nil || !found {
		return prior, false, err
	}
	sgID := prior.SecurityGroupID.ValueString()
	if sgID == "" && len(rg.SecurityGroupIDs) > 0 {
		sgID = rg.SecurityGroupIDs[0] // import: the replication group names its components
	}
	subnetGroup := firstNonEmpty(rg.SubnetGroupName, name)
	parameterGroup := firstNonEmpty(rg.ParameterGroupName, name)
	comp, err := r.observeComponents(ctx, name, sgID, subnetGroup, parameterGroup)
	if err != nil {
		return prior, true, err
	}
	var subnets []string
	if comp.snFound {
		subnets = comp.sn.SubnetIDs
	}
	m := r.observedCommon(prior, name, blueprint.ModeProvisioned, rg.Engine, rg.EngineVersion, rg.ARN, rg.Port, subnets, comp, rg.Tags)
	m.NotificationTopicARN = optionalString(rg.NotificationTopicARN)

	params := maps.Clone(comp.pg.Parameters)
	if params == nil {
		params = map[string]string{}
	}
	eviction := params[blueprint.ParameterNameEviction]
	delete(params, blueprint.ParameterNameEviction)
	delete(params, blueprint.ParameterNameClusterEnabled)
	p := provisionedModel{
		NodeType:              types.StringValue(rg.NodeType),
		Shards:                types.Int64Value(int64(rg.Shards)),
		ReplicasPerShard:      types.Int64Value(int64(rg.ReplicasPerShard)),
		MultiAZ:               types.BoolValue(rg.MultiAZ),
		EvictionPolicy:        optionalString(eviction),
		Parameters:            stringMapValue(params),
		SnapshotRetentionDays: types.Int64Value(int64(rg.SnapshotRetentionDays)),
		SnapshotWindow:        optionalString(rg.SnapshotWindow),
		MaintenanceWindow:     optionalString(rg.MaintenanceWindow),
		NumNodes:              types.Int64Null(),
	}
	if prior.Provisioned != nil && rg.SnapshotRetentionDays == 0 {
		p.SnapshotWindow = prior.Provisioned.SnapshotWindow
	}
	m.Provisioned = observedProvisioned(prior.Provisioned, p)
	m.Serverless = nil
	m.Security = observedSecurity(prior.Security, rg.TransitEncryptionMode, rg.KMSKeyARN, rg.UserGroupID, rg.AuthTokenEnabled)

	m.Endpoint = optionalString(firstNonEmpty(rg.ConfigurationEndpoint, rg.PrimaryEndpoint))
	m.PrimaryEndpoint = optionalString(rg.PrimaryEndpoint)
	m.ReaderEndpoint = optionalString(rg.ReaderEndpoint)
	m.ConfigurationEndpoint = optionalString(rg.ConfigurationEndpoint)
	m.SubnetGroupName = types.StringValue(subnetGroup)
	m.ParameterGroupName = types.StringValue(parameterGroup)
	m.ClusterModeEnabled = types.BoolValue(rg.ClusterMode)
	m.MemberClusters = stringList(rg.MemberClusters)
	return m, true, nil
}

func (r *StackResource) observeMemcached(ctx context.Context, prior stackModel, name string) (stackModel, bool, error) {
	cc, found, err := r.clients.ObserveCacheCluster(ctx, name)
	if err != nil || !found {
		return prior, false, err
	}
	sgID := prior.SecurityGroupID.ValueString()
	if sgID == "" && len(cc.SecurityGroupIDs) > 0 {
		sgID = cc.SecurityGroupIDs[0]
	}
	subnetGroup := firstNonEmpty(cc.SubnetGroupName, name)
	parameterGroup := firstNonEmpty(cc.ParameterGroupName, name)
	comp, err := r.observeComponents(ctx, name, sgID, subnetGroup, parameterGroup)
	if err != nil {
		return prior, true, err
	}
	var subnets []string
	if comp.snFound {
		subnets = comp.sn.SubnetIDs
	}
	m := r.observedCommon(prior, name, blueprint.ModeProvisioned, blueprint.EngineMemcached, cc.EngineVersion, cc.ARN, cc.Port, subnets, comp, cc.Tags)
	m.NotificationTopicARN = optionalString(cc.NotificationTopicARN)

	// Memcached has no shards, replicas, eviction policy or snapshots: those attributes keep
	// whatever the configuration (or its defaults) said, so they never show as drift.
	p := *defaultProvisionedModel()
	if prior.Provisioned != nil {
		p = *prior.Provisioned
	}
	p.NodeType = types.StringValue(cc.NodeType)
	p.Parameters = stringMapValue(comp.pg.Parameters)
	p.MaintenanceWindow = optionalString(cc.MaintenanceWindow)
	p.NumNodes = types.Int64Value(int64(cc.NumNodes))
	if (prior.Provisioned == nil || prior.Provisioned.NumNodes.IsNull()) && cc.NumNodes == blueprint.DefaultMemcachedNodes {
		p.NumNodes = types.Int64Null()
	}
	m.Provisioned = observedProvisioned(prior.Provisioned, p)
	m.Serverless = nil
	transit := ""
	if cc.TransitEncryption {
		transit = blueprint.TransitRequired
	}
	m.Security = observedSecurity(prior.Security, transit, "", "", false)

	m.Endpoint = optionalString(cc.ConfigurationEndpoint)
	m.PrimaryEndpoint = types.StringNull()
	m.ReaderEndpoint = types.StringNull()
	m.ConfigurationEndpoint = optionalString(cc.ConfigurationEndpoint)
	m.SubnetGroupName = types.StringValue(subnetGroup)
	m.ParameterGroupName = types.StringValue(parameterGroup)
	m.ClusterModeEnabled = types.BoolValue(false)
	m.MemberClusters = stringList([]string{cc.ID})
	return m, true, nil
}

func (r *StackResource) observeServerless(ctx context.Context, prior stackModel, name string) (stackModel, bool, error) {
	sc, found, err := r.clients.ObserveServerlessCache(ctx, name)
	if err != nil || !found {
		return prior, false, err
	}
	sgID := prior.SecurityGroupID.ValueString()
	if sgID == "" && len(sc.SecurityGroupIDs) > 0 {
		sgID = sc.SecurityGroupIDs[0]
	}
	comp, err := r.observeComponents(ctx, name, sgID, "", "")
	if err != nil {
		return prior, true, err
	}
	m := r.observedCommon(prior, name, blueprint.ModeServerless, sc.Engine, sc.FullEngineVersion, sc.ARN, sc.Port, sc.SubnetIDs, comp, sc.Tags)
	// Serverless caches are configured by major version; AWS picks the minor. A configured
	// version of the same major is kept, so "8.0" does not drift to the "8.1" AWS runs.
	if v := prior.EngineVersion.ValueString(); v != "" && blueprint.MajorEngineVersion(sc.Engine, v) == sc.MajorEngineVersion {
		m.EngineVersion = prior.EngineVersion
	} else if sc.FullEngineVersion == "" {
		m.EngineVersion = types.StringValue(sc.MajorEngineVersion)
	}
	m.Provisioned = nil
	m.Serverless = observedServerlessSettings(prior.Serverless, sc)
	m.Security = observedSecurity(prior.Security, blueprint.TransitRequired, sc.KMSKeyARN, sc.UserGroupID, false)

	m.Endpoint = optionalString(sc.Endpoint)
	m.PrimaryEndpoint = optionalString(sc.Endpoint)
	m.ReaderEndpoint = optionalString(sc.ReaderEndpoint)
	m.ConfigurationEndpoint = types.StringNull()
	m.SubnetGroupName = types.StringNull()
	m.ParameterGroupName = types.StringNull()
	m.ClusterModeEnabled = types.BoolValue(false)
	m.MemberClusters = stringList([]string{})
	return m, true, nil
}

// observedServerlessSettings keeps the serverless block null when it was and AWS shows no
// limits and no snapshots.
func observedServerlessSettings(prior *serverlessModel, sc awsops.ObservedServerlessCache) *serverlessModel {
	if prior == nil && sc.MaxDataStorageGB == 0 && sc.MaxECPUPerSecond == 0 && sc.SnapshotRetentionDays == 0 {
		return nil
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
		DailySnapshotTime:     optionalString(sc.DailySnapshotTime),
		SnapshotRetentionDays: types.Int64Value(int64(sc.SnapshotRetentionDays)),
	}
}

// majorMinor reduces "8.0.1" or "1.6.22" to the MAJOR.MINOR the stack is configured with.
func majorMinor(version string) string {
	if parts := strings.Split(version, "."); len(parts) > 2 {
		return parts[0] + "." + parts[1]
	}
	return version
}

// observedSecurity keeps the security block null when it was null and AWS shows the defaults,
// so a stack configured without the block has no diff.
func observedSecurity(prior *securityModel, transitMode, kmsKeyARN, userGroupID string, authTokenEnabled bool) *securityModel {
	isDefault := transitMode == blueprint.TransitRequired && kmsKeyARN == "" && userGroupID == "" && !authTokenEnabled
	if prior == nil && isDefault {
		return nil
	}
	s := &securityModel{
		TransitEncryptionMode: types.StringValue(firstNonEmpty(transitMode, blueprint.TransitRequired)),
		KMSKeyARN:             optionalString(kmsKeyARN),
		AuthTokenWO:           types.StringNull(),
		AuthTokenWOVersion:    types.Int64Null(),
		UserGroupID:           optionalString(userGroupID),
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
