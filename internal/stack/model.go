package stack

import (
	"context"
	"maps"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// stackModel is the resource's state and plan.
type stackModel struct {
	ID                   types.String      `tfsdk:"id"`
	Name                 types.String      `tfsdk:"name"`
	Mode                 types.String      `tfsdk:"mode"`
	Engine               types.String      `tfsdk:"engine"`
	EngineVersion        types.String      `tfsdk:"engine_version"`
	Network              *networkModel     `tfsdk:"network"`
	Provisioned          *provisionedModel `tfsdk:"provisioned"`
	Serverless           *serverlessModel  `tfsdk:"serverless"`
	Endpoint             types.String      `tfsdk:"endpoint"`
	Security             *securityModel    `tfsdk:"security"`
	Logs                 *logsModel        `tfsdk:"logs"`
	NotificationTopicARN types.String      `tfsdk:"notification_topic_arn"`
	Tags                 types.Map         `tfsdk:"tags"`
	TagsAll              types.Map         `tfsdk:"tags_all"`
	Timeouts             timeouts.Value    `tfsdk:"timeouts"`
	Alarms               *alarmsModel      `tfsdk:"alarms"`
	AlarmNames           types.List        `tfsdk:"alarm_names"`
	AlarmARNs            types.List        `tfsdk:"alarm_arns"`
	AlarmDefinitions     types.Map         `tfsdk:"alarm_definitions"`
	ExpectedLoad         *loadModel        `tfsdk:"expected_load"`
	Cost                 types.Object      `tfsdk:"cost"`
	Recommendations      types.List        `tfsdk:"recommendations"`

	ARN                   types.String `tfsdk:"arn"`
	PrimaryEndpoint       types.String `tfsdk:"primary_endpoint"`
	ReaderEndpoint        types.String `tfsdk:"reader_endpoint"`
	ConfigurationEndpoint types.String `tfsdk:"configuration_endpoint"`
	Port                  types.Int64  `tfsdk:"port"`
	SecurityGroupID       types.String `tfsdk:"security_group_id"`
	SubnetGroupName       types.String `tfsdk:"subnet_group_name"`
	ParameterGroupName    types.String `tfsdk:"parameter_group_name"`
	VpcID                 types.String `tfsdk:"vpc_id"`
	ClusterModeEnabled    types.Bool   `tfsdk:"cluster_mode_enabled"`
	MemberClusters        types.List   `tfsdk:"member_clusters"`
	SecurityGroupRules    types.List   `tfsdk:"security_group_rules"`
}

type alarmsModel struct {
	Enabled      types.Bool `tfsdk:"enabled"`
	AlarmActions types.Set  `tfsdk:"alarm_actions"`
	OKActions    types.Set  `tfsdk:"ok_actions"`
	Overrides    types.Map  `tfsdk:"overrides"`
}

type alarmOverrideModel struct {
	Enabled   types.Bool    `tfsdk:"enabled"`
	Threshold types.Float64 `tfsdk:"threshold"`
}

type networkModel struct {
	SubnetIDs               types.Set   `tfsdk:"subnet_ids"`
	AllowedSecurityGroupIDs types.Set   `tfsdk:"allowed_security_group_ids"`
	AllowedCIDRBlocks       types.Set   `tfsdk:"allowed_cidr_blocks"`
	Port                    types.Int64 `tfsdk:"port"`
}

type provisionedModel struct {
	NodeType              types.String `tfsdk:"node_type"`
	Shards                types.Int64  `tfsdk:"shards"`
	ReplicasPerShard      types.Int64  `tfsdk:"replicas_per_shard"`
	MultiAZ               types.Bool   `tfsdk:"multi_az"`
	EvictionPolicy        types.String `tfsdk:"eviction_policy"`
	Parameters            types.Map    `tfsdk:"parameters"`
	SnapshotRetentionDays types.Int64  `tfsdk:"snapshot_retention_days"`
	SnapshotWindow        types.String `tfsdk:"snapshot_window"`
	MaintenanceWindow     types.String `tfsdk:"maintenance_window"`
	FinalSnapshotName     types.String `tfsdk:"final_snapshot_name"`
	ApplyImmediately      types.Bool   `tfsdk:"apply_immediately"`
	NumNodes              types.Int64  `tfsdk:"num_nodes"`
}

type serverlessModel struct {
	MaxDataStorageGB      types.Int64  `tfsdk:"max_data_storage_gb"`
	MaxECPUPerSecond      types.Int64  `tfsdk:"max_ecpu_per_second"`
	DailySnapshotTime     types.String `tfsdk:"daily_snapshot_time"`
	SnapshotRetentionDays types.Int64  `tfsdk:"snapshot_retention_days"`
	FinalSnapshotName     types.String `tfsdk:"final_snapshot_name"`
}

type securityModel struct {
	TransitEncryptionMode types.String `tfsdk:"transit_encryption_mode"`
	KMSKeyARN             types.String `tfsdk:"kms_key_arn"`
	AuthTokenWO           types.String `tfsdk:"auth_token_wo"`
	AuthTokenWOVersion    types.Int64  `tfsdk:"auth_token_wo_version"`
	UserGroupID           types.String `tfsdk:"user_group_id"`
	Users                 types.Map    `tfsdk:"users"`
}

// inputFrom converts a plan or config into a blueprint.Input, recording unknown values by
// attribute path. defaultTags are merged under the resource's tags.
func inputFrom(ctx context.Context, m stackModel, defaultTags map[string]string) (blueprint.Input, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := blueprint.Input{Unknown: map[string]bool{}}
	str := func(path string, v types.String) string {
		if v.IsUnknown() {
			in.Unknown[path] = true
		}
		return v.ValueString()
	}
	num := func(path string, v types.Int64) int {
		if v.IsUnknown() {
			in.Unknown[path] = true
		}
		return int(v.ValueInt64())
	}
	boolean := func(path string, v types.Bool) bool {
		if v.IsUnknown() {
			in.Unknown[path] = true
		}
		return v.ValueBool()
	}
	// Collections may be known while some of their elements are not (subnet IDs of resources
	// not yet created): such a collection counts as unknown.
	strings := func(path string, v types.Set) []string {
		if v.IsUnknown() {
			in.Unknown[path] = true
			return nil
		}
		var out []string
		for _, e := range v.Elements() {
			s, ok := e.(types.String)
			if !ok || s.IsUnknown() {
				in.Unknown[path] = true
				return nil
			}
			if !s.IsNull() {
				out = append(out, s.ValueString())
			}
		}
		sort.Strings(out)
		return out
	}
	stringMap := func(path string, v types.Map) map[string]string {
		if v.IsUnknown() {
			in.Unknown[path] = true
			return nil
		}
		out := map[string]string{}
		for k, e := range v.Elements() {
			s, ok := e.(types.String)
			if !ok || s.IsUnknown() {
				in.Unknown[path] = true
				return nil
			}
			out[k] = s.ValueString()
		}
		return out
	}

	in.Name = str("name", m.Name)
	in.Mode = str("mode", m.Mode)
	in.Engine = str("engine", m.Engine)
	in.EngineVersion = str("engine_version", m.EngineVersion)
	if in.EngineVersion == "" && !in.Unknown["engine_version"] {
		in.EngineVersion = blueprint.DefaultEngineVersion[in.Engine]
	}
	if in.Mode == "" {
		in.Mode = blueprint.ModeProvisioned
	}
	if in.Engine == "" && !in.Unknown["engine"] {
		in.Engine = blueprint.EngineValkey
	}
	in.NotificationTopicARN = str("notification_topic_arn", m.NotificationTopicARN)

	if n := m.Network; n != nil {
		in.Network = blueprint.Network{
			SubnetIDs:               strings("network.subnet_ids", n.SubnetIDs),
			AllowedSecurityGroupIDs: strings("network.allowed_security_group_ids", n.AllowedSecurityGroupIDs),
			AllowedCIDRBlocks:       strings("network.allowed_cidr_blocks", n.AllowedCIDRBlocks),
			Port:                    num("network.port", n.Port),
		}
		if n.Port.IsNull() {
			in.Network.Port = blueprint.DefaultPort(in.Engine)
		}
	}
	p := withProvisionedDefaults(m.Provisioned)
	in.Provisioned = blueprint.Provisioned{
		NodeType:              str("provisioned.node_type", p.NodeType),
		Shards:                num("provisioned.shards", p.Shards),
		ReplicasPerShard:      num("provisioned.replicas_per_shard", p.ReplicasPerShard),
		MultiAZ:               boolean("provisioned.multi_az", p.MultiAZ),
		EvictionPolicy:        str("provisioned.eviction_policy", p.EvictionPolicy),
		Parameters:            stringMap("provisioned.parameters", p.Parameters),
		SnapshotRetentionDays: num("provisioned.snapshot_retention_days", p.SnapshotRetentionDays),
		SnapshotWindow:        str("provisioned.snapshot_window", p.SnapshotWindow),
		MaintenanceWindow:     str("provisioned.maintenance_window", p.MaintenanceWindow),
		FinalSnapshotName:     str("provisioned.final_snapshot_name", p.FinalSnapshotName),
		ApplyImmediately:      boolean("provisioned.apply_immediately", p.ApplyImmediately),
		NumNodes:              num("provisioned.num_nodes", p.NumNodes),
	}
	if sv := m.Serverless; sv != nil {
		in.Serverless = blueprint.Serverless{
			MaxDataStorageGB:      int64(num("serverless.max_data_storage_gb", sv.MaxDataStorageGB)),
			MaxECPUPerSecond:      int64(num("serverless.max_ecpu_per_second", sv.MaxECPUPerSecond)),
			DailySnapshotTime:     str("serverless.daily_snapshot_time", sv.DailySnapshotTime),
			SnapshotRetentionDays: num("serverless.snapshot_retention_days", sv.SnapshotRetentionDays),
			FinalSnapshotName:     str("serverless.final_snapshot_name", sv.FinalSnapshotName),
		}
	}
	in.Security = blueprint.Security{TransitEncryptionMode: blueprint.TransitRequired}
	if s := m.Security; s != nil {
		if mode := str("security.transit_encryption_mode", s.TransitEncryptionMode); mode != "" {
			in.Security.TransitEncryptionMode = mode
		}
		in.Security.KMSKeyARN = str("security.kms_key_arn", s.KMSKeyARN)
		in.Security.UserGroupID = str("security.user_group_id", s.UserGroupID)
		// The token is write-only: plans and state carry only its version. A configured
		// version is how a plan knows a token exists.
		in.Security.AuthTokenConfigured = !s.AuthTokenWOVersion.IsNull() || (!s.AuthTokenWO.IsNull() && !s.AuthTokenWO.IsUnknown())
		in.Security.AuthTokenVersion = s.AuthTokenWOVersion.ValueInt64()
		if s.AuthTokenWOVersion.IsUnknown() {
			in.Unknown["security.auth_token_wo_version"] = true
		}
		var userDiags diag.Diagnostics
		in.Security.Users, userDiags = usersFrom(ctx, s.Users, in.Unknown)
		diags.Append(userDiags...)
	}

	in.Logs = logsFrom(m.Logs, in.Unknown)
	in.ClusterModeEnabled = m.ClusterModeEnabled.ValueBool()
	if !m.ParameterGroupName.IsUnknown() {
		in.ParameterGroupName = m.ParameterGroupName.ValueString()
	}
	if !m.MemberClusters.IsNull() && !m.MemberClusters.IsUnknown() {
		diags.Append(m.MemberClusters.ElementsAs(ctx, &in.MemberClusters, false)...)
	}

	in.Alarms = blueprint.AlarmSettings{Enabled: true}
	if a := m.Alarms; a != nil {
		in.Alarms.Enabled = a.Enabled.IsNull() || a.Enabled.ValueBool()
		if a.Enabled.IsUnknown() {
			in.Unknown["alarms.enabled"] = true
		}
		in.Alarms.AlarmActions = strings("alarms.alarm_actions", a.AlarmActions)
		in.Alarms.OKActions = strings("alarms.ok_actions", a.OKActions)
		if a.Overrides.IsUnknown() {
			in.Unknown["alarms.overrides"] = true
		} else if !a.Overrides.IsNull() {
			overrides := map[string]alarmOverrideModel{}
			diags.Append(a.Overrides.ElementsAs(ctx, &overrides, false)...)
			in.Alarms.Overrides = map[string]blueprint.AlarmOverride{}
			for k, o := range overrides {
				var ov blueprint.AlarmOverride
				if !o.Enabled.IsNull() && !o.Enabled.IsUnknown() {
					ov.Enabled = o.Enabled.ValueBoolPointer()
				}
				if !o.Threshold.IsNull() && !o.Threshold.IsUnknown() {
					ov.Threshold = o.Threshold.ValueFloat64Pointer()
				}
				if o.Enabled.IsUnknown() || o.Threshold.IsUnknown() {
					in.Unknown["alarms.overrides"] = true
				}
				in.Alarms.Overrides[k] = ov
			}
		}
	}

	if m.ExpectedLoad != nil {
		l := m.ExpectedLoad
		if l.DataGB.IsUnknown() || l.RequestsPerSecond.IsUnknown() || l.AvgRequestKB.IsUnknown() || l.Pattern.IsUnknown() || l.PeakToAverage.IsUnknown() {
			in.Unknown["expected_load"] = true
		}
	}

	in.Tags = maps.Clone(defaultTags)
	if in.Tags == nil {
		in.Tags = map[string]string{}
	}
	if m.Tags.IsUnknown() {
		in.Unknown["tags"] = true
	}
	maps.Copy(in.Tags, stringMap("tags", m.Tags))
	return in, diags
}

func defaultProvisionedModel() *provisionedModel {
	return &provisionedModel{
		NodeType:              types.StringValue(defaultNodeType),
		Shards:                types.Int64Value(defaultShards),
		ReplicasPerShard:      types.Int64Value(defaultReplicasPerShard),
		MultiAZ:               types.BoolValue(true),
		EvictionPolicy:        types.StringValue(defaultEvictionPolicy),
		Parameters:            types.MapValueMust(types.StringType, map[string]attr.Value{}),
		SnapshotRetentionDays: types.Int64Value(defaultSnapshotRetention),
		SnapshotWindow:        types.StringValue(defaultSnapshotWindow),
		MaintenanceWindow:     types.StringValue(defaultMaintenanceWindow),
		FinalSnapshotName:     types.StringNull(),
		ApplyImmediately:      types.BoolValue(false),
		NumNodes:              types.Int64Null(),
	}
}

func stringSet(values []string) types.Set {
	elems := make([]attr.Value, 0, len(values))
	for _, v := range values {
		elems = append(elems, types.StringValue(v))
	}
	return types.SetValueMust(types.StringType, elems)
}

func stringList(values []string) types.List {
	elems := make([]attr.Value, 0, len(values))
	for _, v := range values {
		elems = append(elems, types.StringValue(v))
	}
	return types.ListValueMust(types.StringType, elems)
}

func stringMapValue(m map[string]string) types.Map {
	elems := make(map[string]attr.Value, len(m))
	for k, v := range m {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

// optionalString maps "" to null, for optional attributes that AWS reports as empty.
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// withProvisionedDefaults fills attributes a configuration leaves null with the schema's
// defaults, so validation judges a config exactly as the plan will be.
func withProvisionedDefaults(p *provisionedModel) *provisionedModel {
	d := defaultProvisionedModel()
	if p == nil {
		return d
	}
	out := *p
	fillString := func(v *types.String, def types.String) {
		if v.IsNull() {
			*v = def
		}
	}
	fillInt := func(v *types.Int64, def types.Int64) {
		if v.IsNull() {
			*v = def
		}
	}
	fillBool := func(v *types.Bool, def types.Bool) {
		if v.IsNull() {
			*v = def
		}
	}
	fillString(&out.NodeType, d.NodeType)
	fillInt(&out.Shards, d.Shards)
	fillInt(&out.ReplicasPerShard, d.ReplicasPerShard)
	fillBool(&out.MultiAZ, d.MultiAZ)
	fillString(&out.EvictionPolicy, d.EvictionPolicy)
	if out.Parameters.IsNull() {
		out.Parameters = d.Parameters
	}
	fillInt(&out.SnapshotRetentionDays, d.SnapshotRetentionDays)
	fillString(&out.SnapshotWindow, d.SnapshotWindow)
	fillString(&out.MaintenanceWindow, d.MaintenanceWindow)
	fillBool(&out.ApplyImmediately, d.ApplyImmediately)
	return &out
}
