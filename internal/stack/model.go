package stack

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/costattr"
)

// loadModel is the expected_load block, the same in the resource and the data source.
type loadModel = costattr.LoadModel

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

	RestoreFrom           *restoreFromModel `tfsdk:"restore_from"`
	PreserveDataOnReplace types.Bool        `tfsdk:"preserve_data_on_replace"`
	KeepPreserveSnapshot  types.Bool        `tfsdk:"keep_preserve_snapshot"`
	PreserveSnapshotName  types.String      `tfsdk:"preserve_snapshot_name"`

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

	// Global Datastore (global.go).
	Global            *globalModel `tfsdk:"global"`
	GlobalDatastoreID types.String `tfsdk:"global_datastore_id"`
	GlobalRole        types.String `tfsdk:"global_role"`
	GlobalRegions     types.List   `tfsdk:"global_regions"`
}

// restoreFromModel is the restore_from block: where a new cache's data comes from.
type restoreFromModel struct {
	SnapshotName types.String `tfsdk:"snapshot_name"`
	RDBS3ARNs    types.List   `tfsdk:"rdb_s3_arns"`
	SnapshotARNs types.List   `tfsdk:"snapshot_arns"`
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
	// Placement (issue 17 §4).
	AdditionalSecurityGroupIDs types.Set    `tfsdk:"additional_security_group_ids"`
	Type                       types.String `tfsdk:"type"`
	IPDiscovery                types.String `tfsdk:"ip_discovery"`
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
	// Placement and upgrades (issue 17 §4).
	AutoMinorVersionUpgrade types.Bool   `tfsdk:"auto_minor_version_upgrade"`
	PreferredAZs            types.List   `tfsdk:"preferred_availability_zones"`
	Autoscaling             types.Object `tfsdk:"autoscaling"`
}

type serverlessModel struct {
	MaxDataStorageGB      types.Int64  `tfsdk:"max_data_storage_gb"`
	MaxECPUPerSecond      types.Int64  `tfsdk:"max_ecpu_per_second"`
	MinDataStorageGB      types.Int64  `tfsdk:"min_data_storage_gb"`
	MinECPUPerSecond      types.Int64  `tfsdk:"min_ecpu_per_second"`
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

// defaultProvisionedModel is blueprint.DefaultProvisioned as a provisioned block.
func defaultProvisionedModel() *provisionedModel {
	d := blueprint.DefaultProvisioned()
	return &provisionedModel{
		NodeType:                types.StringValue(d.NodeType),
		Shards:                  types.Int64Value(int64(d.Shards)),
		ReplicasPerShard:        types.Int64Value(int64(d.ReplicasPerShard)),
		MultiAZ:                 types.BoolValue(d.MultiAZ),
		EvictionPolicy:          types.StringValue(d.EvictionPolicy),
		Parameters:              stringMapValue(d.Parameters),
		SnapshotRetentionDays:   types.Int64Value(int64(d.SnapshotRetentionDays)),
		SnapshotWindow:          types.StringValue(d.SnapshotWindow),
		MaintenanceWindow:       types.StringValue(d.MaintenanceWindow),
		FinalSnapshotName:       types.StringNull(),
		ApplyImmediately:        types.BoolValue(d.ApplyImmediately),
		NumNodes:                types.Int64Null(),
		AutoMinorVersionUpgrade: types.BoolValue(d.AutoMinorVersionUpgrade),
		PreferredAZs:            types.ListNull(types.StringType),
		Autoscaling:             types.ObjectNull(autoscalingAttrType().AttrTypes),
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
	fillBool(&out.AutoMinorVersionUpgrade, d.AutoMinorVersionUpgrade)
	return &out
}
