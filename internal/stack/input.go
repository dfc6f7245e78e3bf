package stack

import (
	"context"
	"maps"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// inputFrom converts a plan or config into a blueprint.Input, recording unknown values by
// attribute path. defaultTags are merged under the resource's tags.
func inputFrom(ctx context.Context, m stackModel, defaultTags map[string]string) (blueprint.Input, diag.Diagnostics) {
	var diags diag.Diagnostics
	r := reader{in: blueprint.Input{Unknown: map[blueprint.Attr]bool{}}}
	r.identity(m)
	r.network(m.Network)
	r.provisioned(withProvisionedDefaults(m.Provisioned))
	r.serverless(m.Serverless)
	r.global(m)
	diags.Append(r.security(ctx, m.Security)...)
	in := &r.in
	in.Logs = logsFrom(m.Logs, in.Unknown)
	diags.Append(r.restore(ctx, m)...)
	in.ClusterModeEnabled = m.ClusterModeEnabled.ValueBool()
	if !m.ParameterGroupName.IsUnknown() {
		in.ParameterGroupName = m.ParameterGroupName.ValueString()
	}
	if !m.MemberClusters.IsNull() && !m.MemberClusters.IsUnknown() {
		diags.Append(m.MemberClusters.ElementsAs(ctx, &in.MemberClusters, false)...)
	}
	diags.Append(r.alarms(ctx, m.Alarms)...)
	if l := m.ExpectedLoad; l != nil {
		if l.Unknown() {
			in.Unknown[blueprint.AttrExpectedLoad] = true
		}
	}
	in.Tags = maps.Clone(defaultTags)
	if in.Tags == nil {
		in.Tags = map[string]string{}
	}
	if m.Tags.IsUnknown() {
		in.Unknown[blueprint.AttrTags] = true
	}
	maps.Copy(in.Tags, r.stringMap(blueprint.AttrTags, m.Tags))
	return r.in, diags
}

// reader reads Terraform values into an Input, marking each unknown one in in.Unknown.
type reader struct{ in blueprint.Input }

func (r *reader) unknown(path blueprint.Attr, isUnknown bool) {
	if isUnknown {
		r.in.Unknown[path] = true
	}
}

func (r *reader) str(path blueprint.Attr, v types.String) string {
	r.unknown(path, v.IsUnknown())
	return v.ValueString()
}

func (r *reader) num(path blueprint.Attr, v types.Int64) int {
	r.unknown(path, v.IsUnknown())
	return int(v.ValueInt64())
}

func (r *reader) boolean(path blueprint.Attr, v types.Bool) bool {
	r.unknown(path, v.IsUnknown())
	return v.ValueBool()
}

// strings reads a set, sorted. Collections may be known while some of their elements are not
// (subnet IDs of resources not yet created): such a collection counts as unknown.
func (r *reader) strings(path blueprint.Attr, v types.Set) []string {
	out := r.elements(path, v.IsUnknown(), v.Elements())
	sort.Strings(out)
	return out
}

// list reads a list in its order; like strings, one with an unknown element counts as unknown.
func (r *reader) list(path blueprint.Attr, v types.List) []string {
	return r.elements(path, v.IsUnknown(), v.Elements())
}

func (r *reader) elements(path blueprint.Attr, unknown bool, elems []attr.Value) []string {
	if unknown {
		r.unknown(path, true)
		return nil
	}
	var out []string
	for _, e := range elems {
		s, ok := e.(types.String)
		if !ok || s.IsUnknown() {
			r.unknown(path, true)
			return nil
		}
		if !s.IsNull() {
			out = append(out, s.ValueString())
		}
	}
	return out
}

func (r *reader) stringMap(path blueprint.Attr, v types.Map) map[string]string {
	if v.IsUnknown() {
		r.unknown(path, true)
		return nil
	}
	out := map[string]string{}
	for k, e := range v.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsUnknown() {
			r.unknown(path, true)
			return nil
		}
		out[k] = s.ValueString()
	}
	return out
}

// identity reads name, mode, engine and version, with their defaults.
func (r *reader) identity(m stackModel) {
	in := &r.in
	in.Name = r.str(blueprint.AttrName, m.Name)
	in.Mode = r.str(blueprint.AttrMode, m.Mode)
	in.Engine = r.str(blueprint.AttrEngine, m.Engine)
	in.EngineVersion = r.str(blueprint.AttrEngineVersion, m.EngineVersion)
	if in.EngineVersion == "" && !in.Unknown[blueprint.AttrEngineVersion] {
		in.EngineVersion = blueprint.DefaultEngineVersion[in.Engine]
	}
	if in.Mode == "" {
		in.Mode = blueprint.DefaultMode
	}
	if in.Engine == "" && !in.Unknown[blueprint.AttrEngine] {
		in.Engine = blueprint.DefaultEngine
	}
	in.NotificationTopicARN = r.str(blueprint.AttrNotificationTopicARN, m.NotificationTopicARN)
}

func (r *reader) network(n *networkModel) {
	if n == nil {
		return
	}
	r.in.Network = blueprint.Network{
		SubnetIDs:               r.strings(blueprint.AttrNetworkSubnetIDs, n.SubnetIDs),
		AllowedSecurityGroupIDs: r.strings(blueprint.AttrNetworkAllowedSecurityGroupIDs, n.AllowedSecurityGroupIDs),
		AllowedCIDRBlocks:       r.strings(blueprint.AttrNetworkAllowedCIDRBlocks, n.AllowedCIDRBlocks),
		Port:                    r.num(blueprint.AttrNetworkPort, n.Port),
	}
	if n.Port.IsNull() {
		r.in.Network.Port = blueprint.DefaultPort(r.in.Engine)
	}
	r.placement(n)
}

// placement reads the network block's placement knobs (issue 17 §4).
func (r *reader) placement(n *networkModel) {
	net := &r.in.Network
	net.AdditionalSecurityGroupIDs = r.strings(blueprint.AttrNetworkAdditionalSecurityGroupIDs, n.AdditionalSecurityGroupIDs)
	net.Type = r.str(blueprint.AttrNetworkType, n.Type)
	if net.Type == "" && !n.Type.IsUnknown() {
		net.Type = blueprint.DefaultNetworkType
	}
	net.IPDiscovery = r.str(blueprint.AttrNetworkIPDiscovery, n.IPDiscovery)
}

func (r *reader) provisioned(p *provisionedModel) {
	r.in.Provisioned = blueprint.Provisioned{
		NodeType:                r.str(blueprint.AttrProvisionedNodeType, p.NodeType),
		Shards:                  r.num(blueprint.AttrProvisionedShards, p.Shards),
		ReplicasPerShard:        r.num(blueprint.AttrProvisionedReplicasPerShard, p.ReplicasPerShard),
		MultiAZ:                 r.boolean(blueprint.AttrProvisionedMultiAZ, p.MultiAZ),
		EvictionPolicy:          r.str(blueprint.AttrProvisionedEvictionPolicy, p.EvictionPolicy),
		Parameters:              r.stringMap(blueprint.AttrProvisionedParameters, p.Parameters),
		SnapshotRetentionDays:   r.num(blueprint.AttrProvisionedSnapshotRetentionDays, p.SnapshotRetentionDays),
		SnapshotWindow:          r.str(blueprint.AttrProvisionedSnapshotWindow, p.SnapshotWindow),
		MaintenanceWindow:       r.str(blueprint.AttrProvisionedMaintenanceWindow, p.MaintenanceWindow),
		FinalSnapshotName:       r.str(blueprint.AttrProvisionedFinalSnapshotName, p.FinalSnapshotName),
		ApplyImmediately:        r.boolean(blueprint.AttrProvisionedApplyImmediately, p.ApplyImmediately),
		NumNodes:                r.num(blueprint.AttrProvisionedNumNodes, p.NumNodes),
		AutoMinorVersionUpgrade: r.boolean(blueprint.AttrProvisionedAutoMinorVersionUpgrade, p.AutoMinorVersionUpgrade),
		PreferredAZs:            r.list(blueprint.AttrProvisionedPreferredAZs, p.PreferredAZs),
		Autoscaling:             autoscalingFrom(p.Autoscaling, r.in.Unknown),
	}
}

func (r *reader) serverless(sv *serverlessModel) {
	if sv == nil {
		return
	}
	r.in.Serverless = blueprint.Serverless{
		MaxDataStorageGB:      int64(r.num(blueprint.AttrServerlessMaxDataStorageGB, sv.MaxDataStorageGB)),
		MaxECPUPerSecond:      int64(r.num(blueprint.AttrServerlessMaxECPUPerSecond, sv.MaxECPUPerSecond)),
		MinDataStorageGB:      int64(r.num(blueprint.AttrServerlessMinDataStorageGB, sv.MinDataStorageGB)),
		MinECPUPerSecond:      int64(r.num(blueprint.AttrServerlessMinECPUPerSecond, sv.MinECPUPerSecond)),
		DailySnapshotTime:     r.str(blueprint.AttrServerlessDailySnapshotTime, sv.DailySnapshotTime),
		SnapshotRetentionDays: r.num(blueprint.AttrServerlessSnapshotRetentionDays, sv.SnapshotRetentionDays),
		FinalSnapshotName:     r.str(blueprint.AttrServerlessFinalSnapshotName, sv.FinalSnapshotName),
	}
}

func (r *reader) security(ctx context.Context, s *securityModel) diag.Diagnostics {
	sec := &r.in.Security
	*sec = blueprint.Security{TransitEncryptionMode: blueprint.DefaultTransitEncryptionMode}
	if s == nil {
		return nil
	}
	if mode := r.str(blueprint.AttrSecurityTransitEncryptionMode, s.TransitEncryptionMode); mode != "" {
		sec.TransitEncryptionMode = mode
	}
	sec.KMSKeyARN = r.str(blueprint.AttrSecurityKMSKeyARN, s.KMSKeyARN)
	sec.UserGroupID = r.str(blueprint.AttrSecurityUserGroupID, s.UserGroupID)
	// The token is write-only: plans and state carry only its version. A configured version
	// is how a plan knows a token exists.
	sec.AuthTokenConfigured = !s.AuthTokenWOVersion.IsNull() || (!s.AuthTokenWO.IsNull() && !s.AuthTokenWO.IsUnknown())
	sec.AuthTokenVersion = s.AuthTokenWOVersion.ValueInt64()
	r.unknown(blueprint.AttrSecurityAuthTokenWOVersion, s.AuthTokenWOVersion.IsUnknown())
	var diags diag.Diagnostics
	sec.Users, diags = usersFrom(ctx, s.Users, r.in.Unknown)
	return diags
}

func (r *reader) alarms(ctx context.Context, a *alarmsModel) diag.Diagnostics {
	in := &r.in
	in.Alarms = blueprint.AlarmSettings{Enabled: true}
	if a == nil {
		return nil
	}
	in.Alarms.Enabled = a.Enabled.IsNull() || a.Enabled.ValueBool()
	r.unknown(blueprint.AttrAlarmsEnabled, a.Enabled.IsUnknown())
	in.Alarms.AlarmActions = r.strings(blueprint.AttrAlarmsAlarmActions, a.AlarmActions)
	in.Alarms.OKActions = r.strings(blueprint.AttrAlarmsOkActions, a.OKActions)
	if a.Overrides.IsUnknown() {
		r.unknown(blueprint.AttrAlarmsOverrides, true)
		return nil
	}
	if a.Overrides.IsNull() {
		return nil
	}
	overrides := map[string]alarmOverrideModel{}
	diags := a.Overrides.ElementsAs(ctx, &overrides, false)
	in.Alarms.Overrides = map[string]blueprint.AlarmOverride{}
	for k, o := range overrides {
		var ov blueprint.AlarmOverride
		if !o.Enabled.IsNull() && !o.Enabled.IsUnknown() {
			ov.Enabled = o.Enabled.ValueBoolPointer()
		}
		if !o.Threshold.IsNull() && !o.Threshold.IsUnknown() {
			ov.Threshold = o.Threshold.ValueFloat64Pointer()
		}
		r.unknown(blueprint.AttrAlarmsOverrides, o.Enabled.IsUnknown() || o.Threshold.IsUnknown())
		in.Alarms.Overrides[k] = ov
	}
	return diags
}
