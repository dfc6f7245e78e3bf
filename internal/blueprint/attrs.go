package blueprint

import "fmt"

// Attr is an attribute path of elasticache_stack, dotted ("provisioned.shards"). Code names
// paths by these constants only (a test checks that no other path literal appears and that
// every constant is an attribute of the schema), so a typo does not compile.
type Attr string

// String returns the dotted path.
func (a Attr) String() string { return string(a) }

// Attribute paths.
const (
	AttrName                             Attr = "name"
	AttrMode                             Attr = "mode"
	AttrEngine                           Attr = "engine"
	AttrEngineVersion                    Attr = "engine_version"
	AttrNotificationTopicARN             Attr = "notification_topic_arn"
	AttrTags                             Attr = "tags"
	AttrMemberClusters                   Attr = "member_clusters"
	AttrExpectedLoad                     Attr = "expected_load"
	AttrNetwork                          Attr = "network"
	AttrNetworkSubnetIDs                 Attr = "network.subnet_ids"
	AttrNetworkAllowedSecurityGroupIDs   Attr = "network.allowed_security_group_ids"
	AttrNetworkAllowedCIDRBlocks         Attr = "network.allowed_cidr_blocks"
	AttrNetworkPort                      Attr = "network.port"
	AttrProvisioned                      Attr = "provisioned"
	AttrProvisionedNodeType              Attr = "provisioned.node_type"
	AttrProvisionedShards                Attr = "provisioned.shards"
	AttrProvisionedReplicasPerShard      Attr = "provisioned.replicas_per_shard"
	AttrProvisionedMultiAZ               Attr = "provisioned.multi_az"
	AttrProvisionedEvictionPolicy        Attr = "provisioned.eviction_policy"
	AttrProvisionedParameters            Attr = "provisioned.parameters"
	AttrProvisionedSnapshotRetentionDays Attr = "provisioned.snapshot_retention_days"
	AttrProvisionedSnapshotWindow        Attr = "provisioned.snapshot_window"
	AttrProvisionedMaintenanceWindow     Attr = "provisioned.maintenance_window"
	AttrProvisionedFinalSnapshotName     Attr = "provisioned.final_snapshot_name"
	AttrProvisionedApplyImmediately      Attr = "provisioned.apply_immediately"
	AttrProvisionedNumNodes              Attr = "provisioned.num_nodes"
	AttrProvisionedAutoscaling           Attr = "provisioned.autoscaling"
	AttrProvisionedAutoscalingReplicas   Attr = "provisioned.autoscaling.replicas"
	AttrProvisionedAutoscalingShards     Attr = "provisioned.autoscaling.shards"
	AttrServerless                       Attr = "serverless"
	AttrServerlessMaxDataStorageGB       Attr = "serverless.max_data_storage_gb"
	AttrServerlessMaxECPUPerSecond       Attr = "serverless.max_ecpu_per_second"
	AttrServerlessMinDataStorageGB       Attr = "serverless.min_data_storage_gb"
	AttrServerlessMinECPUPerSecond       Attr = "serverless.min_ecpu_per_second"
	AttrServerlessDailySnapshotTime      Attr = "serverless.daily_snapshot_time"
	AttrServerlessSnapshotRetentionDays  Attr = "serverless.snapshot_retention_days"
	AttrServerlessFinalSnapshotName      Attr = "serverless.final_snapshot_name"
	AttrSecurity                         Attr = "security"
	AttrSecurityTransitEncryptionMode    Attr = "security.transit_encryption_mode"
	AttrSecurityKMSKeyARN                Attr = "security.kms_key_arn"
	AttrSecurityAuthTokenWO              Attr = "security.auth_token_wo"
	AttrSecurityAuthTokenWOVersion       Attr = "security.auth_token_wo_version"
	AttrSecurityUserGroupID              Attr = "security.user_group_id"
	AttrAlarms                           Attr = "alarms"
	AttrAlarmsEnabled                    Attr = "alarms.enabled"
	AttrAlarmsAlarmActions               Attr = "alarms.alarm_actions"
	AttrAlarmsOkActions                  Attr = "alarms.ok_actions"
	AttrAlarmsOverrides                  Attr = "alarms.overrides"
	AttrSecurityUsers                    Attr = "security.users"
	AttrLogs                             Attr = "logs"
	AttrLogsSlow                         Attr = "logs.slow"
	AttrLogsEngine                       Attr = "logs.engine"
	AttrLogsDestination                  Attr = "logs.destination"
	AttrLogsFirehoseStream               Attr = "logs.firehose_stream"
	AttrLogsFormat                       Attr = "logs.format"
	AttrLogsRetentionDays                Attr = "logs.retention_days"
	AttrLogsKMSKeyARN                    Attr = "logs.kms_key_arn"
	AttrRestoreFrom                      Attr = "restore_from"
	AttrRestoreFromSnapshotName          Attr = "restore_from.snapshot_name"
	AttrRestoreFromRDBS3ARNs             Attr = "restore_from.rdb_s3_arns"
	AttrRestoreFromSnapshotARNs          Attr = "restore_from.snapshot_arns"
	AttrPreserveDataOnReplace            Attr = "preserve_data_on_replace"
	AttrKeepPreserveSnapshot             Attr = "keep_preserve_snapshot"
	AttrPreserveSnapshotName             Attr = "preserve_snapshot_name"

	// Placement and upgrade knobs (issue 17 §4).
	AttrNetworkAdditionalSecurityGroupIDs  Attr = "network.additional_security_group_ids"
	AttrNetworkType                        Attr = "network.type"
	AttrNetworkIPDiscovery                 Attr = "network.ip_discovery"
	AttrProvisionedPreferredAZs            Attr = "provisioned.preferred_availability_zones"
	AttrProvisionedAutoMinorVersionUpgrade Attr = "provisioned.auto_minor_version_upgrade"
)

// Attrs lists every attribute path constant.
var Attrs = []Attr{AttrName, AttrMode, AttrEngine, AttrEngineVersion, AttrNotificationTopicARN, AttrTags, AttrMemberClusters, AttrExpectedLoad, AttrNetwork, AttrNetworkSubnetIDs, AttrNetworkAllowedSecurityGroupIDs, AttrNetworkAllowedCIDRBlocks, AttrNetworkPort, AttrProvisioned, AttrProvisionedNodeType, AttrProvisionedShards, AttrProvisionedReplicasPerShard, AttrProvisionedMultiAZ, AttrProvisionedEvictionPolicy, AttrProvisionedParameters, AttrProvisionedSnapshotRetentionDays, AttrProvisionedSnapshotWindow, AttrProvisionedMaintenanceWindow, AttrProvisionedFinalSnapshotName, AttrProvisionedApplyImmediately, AttrProvisionedNumNodes, AttrProvisionedAutoscaling, AttrProvisionedAutoscalingReplicas, AttrProvisionedAutoscalingShards, AttrServerless, AttrServerlessMaxDataStorageGB, AttrServerlessMaxECPUPerSecond, AttrServerlessMinDataStorageGB, AttrServerlessMinECPUPerSecond, AttrServerlessDailySnapshotTime, AttrServerlessSnapshotRetentionDays, AttrServerlessFinalSnapshotName, AttrSecurity, AttrSecurityTransitEncryptionMode, AttrSecurityKMSKeyARN, AttrSecurityAuthTokenWO, AttrSecurityAuthTokenWOVersion, AttrSecurityUserGroupID, AttrAlarms, AttrAlarmsEnabled, AttrAlarmsAlarmActions, AttrAlarmsOkActions, AttrAlarmsOverrides, AttrSecurityUsers, AttrLogs, AttrLogsSlow, AttrLogsEngine, AttrLogsDestination, AttrLogsFirehoseStream, AttrLogsFormat, AttrLogsRetentionDays, AttrLogsKMSKeyARN, AttrRestoreFrom, AttrRestoreFromSnapshotName, AttrRestoreFromRDBS3ARNs, AttrRestoreFromSnapshotARNs, AttrPreserveDataOnReplace, AttrKeepPreserveSnapshot, AttrPreserveSnapshotName}

// Key is the path of one element of a map attribute: security.users["app"].
func (a Attr) Key(key string) Attr { return Attr(fmt.Sprintf("%s[%q]", a, key)) }

// Dot is the path of an attribute nested in a: security.users["app"].authentication.
func (a Attr) Dot(name string) Attr { return a + "." + Attr(name) }

// Attribute paths of the global block (global.go adds them to Attrs).
const (
	AttrGlobal        Attr = "global"
	AttrGlobalRole    Attr = "global.role"
	AttrGlobalJoin    Attr = "global.join"
	AttrGlobalPromote Attr = "global.promote"
)
