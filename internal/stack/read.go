package stack

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/sync/errgroup"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

func (r *StackResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
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
// replication group is gone (deleted out of band, or an import of a name that does not exist).
func (r *StackResource) observe(ctx context.Context, prior stackModel) (stackModel, bool, error) {
	name := prior.Name.ValueString()
	if name == "" {
		name = prior.ID.ValueString()
	}
	ctx = tflog.SetField(ctx, "stack", name)
	c := r.clients

	rg, found, err := c.ObserveReplicationGroup(ctx, name)
	if err != nil {
		return prior, false, err
	}
	if !found {
		// A stack whose create stopped before the replication group existed still owns the
		// components it recorded: keep it, so destroy (or the replacing apply) removes them.
		partial := prior.ARN.IsNull() && (!prior.SecurityGroupID.IsNull() || !prior.SubnetGroupName.IsNull() || !prior.ParameterGroupName.IsNull())
		return prior, partial, nil
	}

	sgID := prior.SecurityGroupID.ValueString()
	if sgID == "" && len(rg.SecurityGroupIDs) > 0 {
		sgID = rg.SecurityGroupIDs[0] // import: the replication group names its components
	}
	subnetGroup := firstNonEmpty(rg.SubnetGroupName, name)
	parameterGroup := firstNonEmpty(rg.ParameterGroupName, name)

	var (
		sg               awsops.ObservedSecurityGroup
		sgFound, snFound bool
		sn               awsops.ObservedSubnetGroup
		pg               awsops.ObservedParameterGroup
		alarms           []awsops.ObservedAlarm
	)
	g, gctx := errgroup.WithContext(ctx)
	if sgID != "" {
		g.Go(func() (err error) { sg, sgFound, err = c.ObserveSecurityGroup(gctx, sgID); return err })
	}
	g.Go(func() (err error) { sn, snFound, err = c.ObserveSubnetGroup(gctx, subnetGroup); return err })
	g.Go(func() (err error) { pg, _, err = c.ObserveParameterGroup(gctx, parameterGroup); return err })
	g.Go(func() (err error) { alarms, err = c.ObserveAlarms(gctx, blueprint.AlarmPrefix(name)); return err })
	if err := g.Wait(); err != nil {
		return prior, true, err
	}

	m := prior
	m.ID = types.StringValue(name)
	m.Name = types.StringValue(name)
	m.Mode = types.StringValue(blueprint.ModeProvisioned)
	m.Engine = types.StringValue(rg.Engine)
	m.EngineVersion = optionalString(rg.EngineVersion)
	m.NotificationTopicARN = optionalString(rg.NotificationTopicARN)

	net := networkModel{Port: types.Int64Value(int64(rg.Port))}
	if rg.Port == 0 && prior.Network != nil {
		net.Port = prior.Network.Port
	}
	allowedSGs, cidrs := sg.AllowedSources(int(net.Port.ValueInt64()))
	net.AllowedSecurityGroupIDs = stringSet(allowedSGs)
	net.AllowedCIDRBlocks = stringSet(cidrs)
	switch {
	case snFound:
		net.SubnetIDs = stringSet(sn.SubnetIDs)
	case prior.Network != nil:
		net.SubnetIDs = prior.Network.SubnetIDs
	default:
		net.SubnetIDs = stringSet(nil)
	}
	m.Network = &net

	params := maps.Clone(pg.Parameters)
	if params == nil {
		params = map[string]string{}
	}
	eviction := params[blueprint.ParameterNameEviction]
	delete(params, blueprint.ParameterNameEviction)
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
		FinalSnapshotName:     types.StringNull(),
		ApplyImmediately:      types.BoolValue(false),
	}
	if prior.Provisioned != nil {
		// Not observable in AWS: they only steer how this provider makes changes.
		p.FinalSnapshotName = prior.Provisioned.FinalSnapshotName
		p.ApplyImmediately = prior.Provisioned.ApplyImmediately
		if rg.SnapshotRetentionDays == 0 {
			p.SnapshotWindow = prior.Provisioned.SnapshotWindow
		}
	}
	m.Provisioned = &p

	m.Security = observedSecurity(prior.Security, rg)

	tagsAll := maps.Clone(rg.Tags)
	delete(tagsAll, awsops.OwnerTagKey)
	m.TagsAll = stringMapValue(tagsAll)
	m.Tags = resourceTags(prior.Tags, tagsAll, r.clients.DefaultTags)

	m.ARN = types.StringValue(rg.ARN)
	m.PrimaryEndpoint = optionalString(rg.PrimaryEndpoint)
	m.ReaderEndpoint = optionalString(rg.ReaderEndpoint)
	m.ConfigurationEndpoint = optionalString(rg.ConfigurationEndpoint)
	m.Port = net.Port
	m.SecurityGroupID = optionalString(sgID)
	m.SubnetGroupName = types.StringValue(subnetGroup)
	m.ParameterGroupName = types.StringValue(parameterGroup)
	m.VpcID = optionalString(firstNonEmpty(sn.VpcID, sg.VpcID))
	m.ClusterModeEnabled = types.BoolValue(rg.ClusterMode)
	setObservedAlarms(&m, prior.Alarms, alarms)
	m.MemberClusters = stringList(rg.MemberClusters)
	if sgFound {
		m.SecurityGroupRules = stringList(sg.Rules)
	} else {
		m.SecurityGroupRules = stringList(nil)
	}
	return m, true, nil
}

// observedSecurity keeps the security block null when it was null and AWS shows the defaults,
// so a stack configured without the block has no diff.
func observedSecurity(prior *securityModel, rg awsops.ObservedReplicationGroup) *securityModel {
	isDefault := rg.TransitEncryptionMode == blueprint.TransitRequired && rg.KMSKeyARN == "" && rg.UserGroupID == "" && !rg.AuthTokenEnabled
	if prior == nil && isDefault {
		return nil
	}
	s := &securityModel{
		TransitEncryptionMode: types.StringValue(firstNonEmpty(rg.TransitEncryptionMode, blueprint.TransitRequired)),
		KMSKeyARN:             optionalString(rg.KMSKeyARN),
		AuthTokenWO:           types.StringNull(),
		AuthTokenWOVersion:    types.Int64Null(),
		UserGroupID:           optionalString(rg.UserGroupID),
	}
	if prior != nil {
		s.AuthTokenWOVersion = prior.AuthTokenWOVersion
		if !prior.KMSKeyARN.IsNull() && rg.KMSKeyARN == "" {
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
