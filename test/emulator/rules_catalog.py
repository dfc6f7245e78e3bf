"""The catalog of AWS's semantic rules the emulator enforces (see rules.py for the mechanism).

Each entry names what AWS does, the error it answers, where that is written down, and the tests
that show the emulator rejecting and accepting. `declare` entries are checked inline by the
handler (they need state the handler works out); `@rule` entries run before the handler.
RULES.md is rendered from this file: `python3 test/emulator/rules.py --markdown > test/emulator/RULES.md`.
"""

from __future__ import annotations

import json
from pathlib import Path

from protocols import AWSError
from rules import Context, declare, rule

# ---------------------------------------------------------------- every service: the model

_MODEL_SOURCE = ("botocore 1.43 service-2.json of the called service: the operation's input shape "
                 "({what}); AWS validates requests against the same Smithy model "
                 "(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html: "
                 "ValidationError / MissingParameter / InvalidParameterValue)")
_MODEL_ERROR = "InvalidParameterValue / MissingParameter / ValidationError / ValidationException (validation.py)"
_MODEL_TESTS = ("TestEmulatorModelValidation", "test_validation_rules")
for _name, _what, _aws in (
    ("model-required", "`required`", "A request without a required member is rejected."),
    ("model-enum", "`enum`", "A string outside the member's enum is rejected."),
    ("model-length", "`min` / `max` on strings, blobs, lists and maps",
     "Strings, lists and maps shorter or longer than the model allows are rejected."),
    ("model-range", "`min` / `max` on numbers", "Numbers outside the model's range are rejected."),
    ("model-pattern", "`pattern`, matched against the whole value", "Strings that do not match the member's pattern are rejected."),
    ("model-type", "member types", "A JSON / CBOR value of the wrong type is rejected."),
):
    declare(_name, service="*", operations=("*",), aws=_aws, error=_MODEL_ERROR,
            source=_MODEL_SOURCE.format(what=_what), tests=_MODEL_TESTS)

EC = "elasticache"
RG_CREATE_MODIFY = ("CreateReplicationGroup", "ModifyReplicationGroup")
BOTO_EC = "botocore elasticache 2015-02-02 service-2.json"

# ---------------------------------------------------------------- replication groups: failover

MULTI_AZ_NEEDS_FAILOVER = declare(
    "rg-multi-az-needs-failover", service=EC, operations=RG_CREATE_MODIFY,
    aws="Multi-AZ can only be enabled together with automatic failover.",
    error="InvalidParameterCombination",
    source="AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html "
           "(\"enabling Multi-AZ ... automatic failover is enabled\"); hashicorp/aws "
           "internal/service/elasticache/replication_group.go CustomizeDiff "
           "(\"automatic_failover_enabled must be true if multi_az_enabled is true\")",
    tests=("TestEmulatorRules",),
)

FAILOVER_NEEDS_REPLICA = declare(
    "rg-failover-needs-replica", service=EC, operations=RG_CREATE_MODIFY,
    aws="Automatic failover on a cluster-mode-disabled group needs at least one replica.",
    error="InvalidParameterCombination",
    source=f"{BOTO_EC} CreateReplicationGroup.NumCacheClusters: \"If AutomaticFailoverEnabled is true, "
           "the value of this parameter must be at least 2.\"",
    tests=("TestEmulatorRules",),
)

CLUSTER_MODE_NEEDS_FAILOVER = declare(
    "rg-cluster-mode-needs-failover", service=EC, operations=RG_CREATE_MODIFY,
    aws="A cluster-mode-enabled group must have automatic failover enabled.",
    error="InvalidParameterCombination",
    source=f"{BOTO_EC} CreateReplicationGroup.AutomaticFailoverEnabled: \"AutomaticFailoverEnabled must be "
           "enabled for Valkey or Redis OSS (cluster mode enabled) replication groups.\"",
    tests=("TestEmulatorRules",),
)

# ---------------------------------------------------------------- replication groups: security

AUTH_TOKEN_NEEDS_TLS = declare(
    "rg-auth-token-needs-tls", service=EC, operations=RG_CREATE_MODIFY,
    aws="An AUTH token can only be set on a group with in-transit encryption.",
    error="InvalidParameterCombination",
    source=f"{BOTO_EC} CreateReplicationGroup.AuthToken: \"AuthToken can be specified only on replication "
           "groups where TransitEncryptionEnabled is true.\"",
    tests=("TestEmulatorRules",),
)

KMS_NEEDS_AT_REST = declare(
    "rg-kms-key-needs-at-rest-encryption", service=EC, operations=("CreateReplicationGroup",),
    aws="A KMS key is only accepted when encryption at rest is enabled.",
    error="InvalidParameterCombination",
    source="AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html "
           "(customer managed keys are used for at-rest encryption); hashicorp/aws replication_group.go "
           "kms_key_id is only sent with at_rest_encryption_enabled",
    tests=("TestEmulatorRules",),
)

# ---------------------------------------------------------------- data plane (dataplane.py): engines enforce

DP_RESTRICTED_COMMANDS = declare(
    "dp-restricted-commands", service=EC, operations=("(engine)",),
    aws="Clients cannot run bgrewriteaof, bgsave, config, debug, migrate, replicaof, save, slaveof, shutdown or sync.",
    error="engine reply: ERR unknown command",
    source="AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ClientConfig.RestrictedCommands.html "
           "(\"ElastiCache restricts access to certain cache engine-specific commands\")",
    tests=("TestAccDataPlane_tlsAuthAndRotation",),
)

DP_AUTH_TOKEN = declare(
    "dp-auth-token-rotate-set", service=EC, operations=("CreateReplicationGroup", "ModifyReplicationGroup"),
    aws="The AUTH token is the engine's password: ROTATE keeps the old and the new token valid, SET keeps only "
        "the new one, DELETE removes it; a wrong token is refused.",
    error="engine reply: WRONGPASS / NOAUTH",
    source=f"{BOTO_EC} ModifyReplicationGroup.AuthTokenUpdateStrategy (\"ROTATE ... SET - allowed only after ROTATE\"); "
           "AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html (rotating AUTH tokens)",
    tests=("TestAccDataPlane_tlsAuthAndRotation",),
)

DP_TRANSIT_MODE = declare(
    "dp-transit-encryption-mode", service=EC, operations=("CreateReplicationGroup", "ModifyReplicationGroup"),
    aws="With in-transit encryption `required` only TLS connections are accepted; `preferred` accepts encrypted "
        "and unencrypted connections at the same time.",
    error="engine drops the plaintext connection",
    source=f"{BOTO_EC} CreateReplicationGroup.TransitEncryptionMode (\"preferred, to allow both encrypted and "
           "unencrypted connections ... required to allow encrypted connections only\")",
    tests=("TestAccDataPlane_tlsAuthAndRotation", "TestAccDataPlane_transitPreferred"),
)

DP_MEMCACHED_DISCOVERY = declare(
    "dp-memcached-auto-discovery", service=EC, operations=("CreateCacheCluster", "ModifyCacheCluster"),
    aws="A Memcached cluster's configuration endpoint answers `config get cluster` with a configuration version "
        "and every node's host|ip|port; the list changes when nodes are added or removed.",
    error="(none: the answer itself)",
    source="AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoDiscovery.HowAutoDiscoveryWorks.html "
           "and AutoDiscovery.AddingToYourClientLibrary.html (the config get cluster reply format)",
    tests=("TestAccDataPlane_memcachedAutoDiscovery",),
)

# ---------------------------------------------------------------- provider review (issue 13 §2)

HC_RG = "hashicorp/terraform-provider-aws internal/service/elasticache/replication_group.go"
HC_CLUSTER = "hashicorp/terraform-provider-aws internal/service/elasticache/cluster.go"

UPGRADE_NEEDS_FAMILY_GROUP = declare(
    "rg-upgrade-needs-group-of-new-family", service=EC, operations=("ModifyReplicationGroup",),
    aws="A parameter group's family is fixed at creation; an engine version (or engine) of another family is "
        "accepted only together with CacheParameterGroupName of the new family, whether applied now or in the "
        "maintenance window (then both wait for it).",
    error="InvalidParameterCombination",
    source="AWS error text \"Expected a parameter group of family redis3.2 but found one of family redis2.8\" "
           "(hashicorp/terraform PR #11269, hashicorp/terraform-provider-aws #27748); "
           f"{BOTO_EC} ModifyReplicationGroup.CacheParameterGroupName",
    tests=("TestEmulatorRulesProviderReview", "TestAccStackAWSRules_majorUpgradeImmediate", "TestAccStackAWSRules_majorUpgradeDeferred"),
)

COMPATIBLE_PRECONDITIONS = declare(
    "rg-cluster-mode-compatible-preconditions", service=EC, operations=("ModifyReplicationGroup",),
    aws="ClusterMode=compatible (the first step from cluster mode disabled to enabled) needs automatic failover "
        "with at least one replica, and Valkey 7.2+ or Redis OSS 7.0+.",
    error="InvalidParameterCombination",
    source="AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/modify-cluster-mode.html (conditions "
           f"for modifying cluster mode); {BOTO_EC} ModifyReplicationGroup.ClusterMode",
    tests=("TestEmulatorRulesProviderReview", "TestAccStackAWSRules_clusterModeMigrationPreconditions"),
)

NOTHING_ELSE_WHILE_COMPATIBLE = declare(
    "rg-nothing-else-while-compatible", service=EC, operations=("ModifyReplicationGroup",),
    aws="While a group is in ClusterMode=compatible, the only modification accepted is ClusterMode=enabled.",
    error="InvalidParameterCombination",
    source="AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/modify-cluster-mode.html (\"you "
           "cannot make other modifications while the cluster is in compatible mode\")",
    tests=("TestEmulatorRulesProviderReview", "TestAccStack_inPlaceUpdates"),
)

SNAPSHOTS_ON_NEED_SOURCE = declare(
    "rg-snapshots-on-need-snapshotting-cluster", service=EC, operations=("ModifyReplicationGroup",),
    aws="Turning daily snapshots on (SnapshotRetentionLimit from 0) for a group without cluster mode needs "
        "SnapshottingClusterId, the member the snapshots are taken from.",
    error="InvalidParameterCombination",
    source=f"{HC_RG} resourceReplicationGroupUpdate: \"This is a real hack to set the Snapshotting Cluster ID\" "
           "(sends SnapshottingClusterId when snapshot_retention_limit changes from 0)",
    tests=("TestEmulatorRulesProviderReview", "TestAccStackAWSRules_snapshotsTurnedOnLater"),
)

NO_SNAPSHOT_SOURCE_IN_CLUSTER_MODE = declare(
    "rg-no-snapshotting-cluster-in-cluster-mode", service=EC, operations=("ModifyReplicationGroup",),
    aws="SnapshottingClusterId cannot be set on a cluster-mode-enabled group.",
    error="InvalidParameterCombination",
    source=f"{BOTO_EC} ModifyReplicationGroup.SnapshottingClusterId: \"This parameter cannot be set for Valkey or "
           "Redis OSS (cluster mode enabled) replication groups.\"",
    tests=("TestEmulatorRulesProviderReview", "TestAccStackAWSRules_snapshotsTurnedOnLater"),
)

AUTH_DELETE_ONLY_TO_RBAC = declare(
    "rg-auth-token-delete-only-to-rbac", service=EC, operations=("ModifyReplicationGroup",),
    aws="AuthTokenUpdateStrategy=DELETE is accepted only in the call that moves the group to RBAC "
        "(with UserGroupIdsToAdd).",
    error="InvalidParameterCombination",
    source=f"{BOTO_EC} ModifyReplicationGroup.AuthTokenUpdateStrategy: \"DELETE - allowed only when "
           "transitioning to RBAC\"",
    tests=("TestEmulatorRulesProviderReview", "TestAccStackAWSRules_authTokenToRBAC"),
)

USER_GROUPS_NEED_TOKEN_DELETED = declare(
    "rg-user-groups-replace-auth-token", service=EC, operations=("ModifyReplicationGroup",),
    aws="A group with an AUTH token takes a user group only in a call that also deletes the token "
        "(AuthTokenUpdateStrategy=DELETE).",
    error="InvalidParameterCombination",
    source="AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html (migrating from "
           f"AUTH to RBAC); {BOTO_EC} ModifyReplicationGroup.AuthTokenUpdateStrategy",
    tests=("TestEmulatorRulesProviderReview", "TestAccStackAWSRules_authTokenToRBAC"),
)

DECREASE_NEVER_PRIMARY = declare(
    "rg-decrease-replicas-never-primary", service=EC, operations=("DecreaseReplicaCount",),
    aws="DecreaseReplicaCount removes replicas only: ReplicasToRemove naming the current primary is refused. "
        "Without ReplicasToRemove AWS picks the replicas itself (the emulator takes the lowest-numbered ones, "
        "so a caller that assumes the last member goes is caught); TestFailover moves the primary.",
    error="InvalidParameterValue",
    source=f"{BOTO_EC} DecreaseReplicaCount.ReplicasToRemove (\"A list of the node ids to remove\"), "
           "TestFailover (\"tests automatic failover on a specified node group\")",
    tests=("TestEmulatorRulesProviderReview", "TestAccStackAWSRules_fewerReplicasAfterFailover"),
)

R6GD_NEEDS_DATA_TIERING = declare(
    "rg-r6gd-needs-data-tiering", service=EC, operations=("CreateReplicationGroup",),
    aws="r6gd node types need DataTieringEnabled=true, and data tiering is accepted for r6gd only.",
    error="InvalidParameterCombination",
    source=f"{BOTO_EC} CreateReplicationGroup.DataTieringEnabled: \"Data tiering is only supported for "
           "replication groups using the r6gd node type. This parameter must be set to true when using r6gd nodes.\"",
    tests=("TestEmulatorRulesProviderReview", "TestAccStackAWSRules_dataTiering"),
)

DATA_TIERING_FIXED = declare(
    "rg-data-tiering-fixed-at-create", service=EC, operations=("ModifyReplicationGroup",),
    aws="Data tiering is fixed when the group is created: a node type change into or out of r6gd is refused.",
    error="InvalidParameterCombination",
    source="AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/data-tiering.html (data tiering is "
           "chosen at creation; scaling stays within the r6gd family)",
    tests=("TestEmulatorRulesProviderReview", "TestAccStackAWSRules_dataTiering"),
)

SERVERLESS_ONE_FIELD = declare(
    "serverless-one-field-per-modify", service=EC, operations=("ModifyServerlessCache",),
    aws="ModifyServerlessCache changes one field per request (CacheUsageLimits counts as one, both dimensions "
        "together).",
    error="InvalidParameterCombination",
    source="hashicorp/terraform-provider-aws #35897 and #37499: \"Serverless Cache modifications only support "
           "modifying one field per request.\"",
    tests=("TestEmulatorRulesProviderReview", "TestAccStack_serverlessLifecycle"),
)

SERVERLESS_LIMIT_REMOVAL = declare(
    "serverless-limit-removed-with-zero", service=EC, operations=("ModifyServerlessCache",),
    aws="A usage limit is removed by sending its Maximum as 0; a dimension left out (or without Maximum) keeps "
        "its limit, and a request that changes nothing is refused (\"No modifications were requested\").",
    error="InvalidParameterCombination",
    source="hashicorp/terraform-provider-aws #35660 (ecpu_per_second maximum = 0 means unlimited) and #44746 "
           "(\"InvalidParameterCombination: No modifications were requested\" when the block is dropped); "
           "aws-cloudformation/cloudformation-coverage-roadmap #2424 (reset by setting 0)",
    tests=("TestEmulatorRulesProviderReview", "TestAccStackAWSRules_serverlessLimitRemoval"),
)

TOPIC_INACTIVE_KEEPS_ARN = declare(
    "notification-topic-inactive-keeps-arn", service=EC, operations=("ModifyReplicationGroup", "ModifyCacheCluster"),
    aws="A notification topic is removed with NotificationTopicStatus=inactive: AWS keeps reporting its ARN with "
        "TopicStatus inactive. An empty NotificationTopicArn alone changes nothing.",
    error="(behaviour)",
    source=f"{BOTO_EC} ModifyReplicationGroup.NotificationTopicStatus (\"Notifications are sent only if the status "
           f"is active\"); {HC_CLUSTER} setFromCacheCluster reads notification_topic_arn only when TopicStatus is "
           "active, and its update sends NotificationTopicStatus=inactive to remove it",
    tests=("TestEmulatorRulesProviderReview", "TestAccStackAWSRules_notificationTopicRemoval"),
)

# ---------------------------------------------------------------- replication groups: state

MEMBERS_AVAILABLE = declare(
    "rg-modify-needs-available-members", service=EC,
    operations=("ModifyReplicationGroup", "IncreaseReplicaCount", "DecreaseReplicaCount",
                "ModifyReplicationGroupShardConfiguration"),
    aws="A replication group is changed only when it and all its member clusters are available; "
        "members can still be modifying after the group reports available.",
    error="InvalidReplicationGroupState",
    source="hashicorp/aws internal/service/elasticache/replication_group.go: after IncreaseReplicaCount / "
           "DecreaseReplicaCount it calls waitReplicationGroupMemberClustersAvailable before going on",
    tests=("TestEmulatorRules", "TestEmulatorNondeterminism"),
)

TAGGING_NEEDS_AVAILABLE = declare(
    "rg-tagging-needs-available", service=EC, operations=("AddTagsToResource", "RemoveTagsFromResource"),
    aws="Tags of a replication group change only while it is available; a tag change itself puts the "
        "group in modifying for a moment.",
    error="InvalidReplicationGroupState",
    source="hashicorp/terraform-provider-aws issues #30444 and #33859 (\"InvalidReplicationGroupState: Cluster "
           "not in available state to perform tagging operations.\"), PR #40320 (\"tagging may cause this "
           "resource to not yet be available\")",
    tests=("TestEmulatorRules", "TestEmulatorNondeterminism"),
)

# ---------------------------------------------------------------- provider review (issue 13 §3): calls the provider makes

REPLICA_CHANGES_NOW = declare(
    "replica-and-shard-changes-apply-immediately", service=EC,
    operations=("IncreaseReplicaCount", "DecreaseReplicaCount", "ModifyReplicationGroupShardConfiguration"),
    aws="Replica and shard count changes take ApplyImmediately=true only.",
    error="InvalidParameterValue",
    source=f"{BOTO_EC} IncreaseReplicaCount.ApplyImmediately / DecreaseReplicaCount.ApplyImmediately: "
           "\"ApplyImmediately=False is not currently supported.\"; ModifyReplicationGroupShardConfiguration."
           "ApplyImmediately: \"the only permitted value for this parameter is true\"",
    tests=("TestEmulatorRulesProviderReview", "TestAccStack_inPlaceUpdates"),
)

MEMCACHED_DECREASE_NAMES_NODES = declare(
    "memcached-decrease-names-nodes", service=EC, operations=("ModifyCacheCluster",),
    aws="Lowering NumCacheNodes needs CacheNodeIdsToRemove naming exactly as many nodes as go.",
    error="InvalidParameterCombination",
    source=f"{BOTO_EC} ModifyCacheCluster.CacheNodeIdsToRemove: \"The number of cache node IDs supplied in this "
           "parameter must match the difference between the existing number of cache nodes ... and the value of "
           "NumCacheNodes in the request.\"",
    tests=("TestEmulatorRulesProviderReview", "TestAccStack_planWarnings"),
)

PARAMETERS_20_PER_CALL = declare(
    "parameter-group-20-parameters-per-modify", service=EC, operations=("ModifyCacheParameterGroup",),
    aws="ModifyCacheParameterGroup changes at most 20 parameters per request.",
    error="InvalidParameterValue",
    source=f"{BOTO_EC} ModifyCacheParameterGroup.ParameterNameValues: \"A maximum of 20 parameters may be modified "
           "per request.\"",
    tests=("TestEmulatorRulesProviderReview",),
)

PARAMETER_GROUP_IN_USE = declare(
    "parameter-group-in-use-cannot-be-deleted", service=EC, operations=("DeleteCacheParameterGroup",),
    aws="A parameter group used by a cluster or replication group cannot be deleted (the provider retries until "
        "the cache is gone).",
    error="InvalidCacheParameterGroupState",
    source=f"{BOTO_EC} DeleteCacheParameterGroup: \"You cannot delete a cache parameter group if it is associated "
           "with any cache clusters.\"",
    tests=("TestEmulatorRulesProviderReview", "TestAccStackAWSRules_majorUpgradeDeferred"),
)

SUBNET_GROUP_IN_USE = declare(
    "subnet-group-in-use-cannot-be-deleted", service=EC, operations=("DeleteCacheSubnetGroup",),
    aws="A cache subnet group used by a cluster or replication group cannot be deleted.",
    error="CacheSubnetGroupInUse",
    source=f"{BOTO_EC} DeleteCacheSubnetGroup: \"You cannot delete a default cache subnet group or one that is "
           "associated with any clusters.\"",
    tests=("TestEmulatorRulesProviderReview", "TestEmulatorReplicationGroupLifecycle"),
)

CW = "cloudwatch"
BOTO_CW = "botocore monitoring 2010-08-01 service-2.json"

CW_PERIOD = declare(
    "cw-alarm-period-10-20-30-or-minutes", service=CW, operations=("PutMetricAlarm",),
    aws="An alarm's Period is 10, 20, 30 or a multiple of 60 seconds.",
    error="InvalidParameterValue",
    source=f"{BOTO_CW} PutMetricAlarm.Period: \"Valid values are 10, 20, 30, and any multiple of 60.\"",
    tests=("TestEmulatorRulesProviderReview", "TestAccStack_alarms"),
)

CW_DATAPOINTS_OF_PERIODS = declare(
    "cw-alarm-datapoints-at-most-periods", service=CW, operations=("PutMetricAlarm",),
    aws="DatapointsToAlarm (the M of an M-out-of-N alarm) is between 1 and EvaluationPeriods (the N).",
    error="InvalidParameterValue",
    source=f"{BOTO_CW} PutMetricAlarm.DatapointsToAlarm: \"If you are setting an 'M out of N' alarm ... this value is "
           "the M\"; EvaluationPeriods: \"this value is the N\"",
    tests=("TestEmulatorRulesProviderReview", "TestAccStack_alarms"),
)

# ---------------------------------------------------------------- log delivery and log groups

LOG_DELIVERY_APPLY_IMMEDIATELY = declare(
    "rg-log-delivery-apply-immediately", service=EC, operations=("ModifyReplicationGroup",),
    aws="A change of LogDeliveryConfigurations is accepted only with ApplyImmediately=true.",
    error="InvalidParameterValue",
    source="AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Log_Delivery.html (\"You must set the "
           "apply-immediately parameter for all log delivery modifications\"); hashicorp/aws #49842 (\"To modify the log "
           "delivery configuration, set the apply-immediately parameter to true.\")",
    tests=("TestEmulatorRulesLogsAndUsers", "TestAccStack_logs"),
)

LOGS = "logs"
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)


@rule("logs-retention-days", service=LOGS, operations=("PutRetentionPolicy",),
      aws="A log group's retention is one of 1, 3, 5, 7, 14, 30, 60, 90, ... 3653 days.",
      error="InvalidParameterException",
      source="botocore logs 2014-03-28 service-2.json Days: \"Possible values are: 1, 3, 5, 7, 14, 30, 60, 90, 120, "
             "150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, and 3653.\"",
      tests=("TestEmulatorRulesLogsAndUsers",))
def _retention_days(ctx: Context) -> None:
    days = ctx.params.get("retentionInDays")
    if days is not None and days not in LOG_RETENTION_DAYS:
        raise AWSError("InvalidParameterException", f"1 validation error detected: Value '{days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: {list(LOG_RETENTION_DAYS)}")


# ---------------------------------------------------------------- users

USER_IAM_NAME_IS_ID = declare(
    "user-iam-name-equals-id", service=EC, operations=("CreateUser",),
    aws="A user with IAM authentication must have a user name equal to its user ID.",
    error="InvalidParameterValue",
    source="AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html (Limitations: the user ID and "
           "user name of an IAM-enabled user must be identical)",
    tests=("TestEmulatorRulesLogsAndUsers", "TestAccStack_users"),
)

USER_GROUP_DEFAULT_REQUIRED = declare(
    "user-group-needs-default-user", service=EC, operations=("CreateUserGroup", "ModifyUserGroup"),
    aws="Every user group holds a user whose user name is default.",
    error="DefaultUserRequired",
    source="hashicorp/aws #25593, #34784 (\"DefaultUserRequired: User group needs to contain a user with the user name "
           "default.\")",
    tests=("TestEmulatorRulesLogsAndUsers", "TestAccStack_users"),
)

# ---------------------------------------------------------------- global datastores (ext_global.py)

# The rows are data (fixtures/global_rules.json): a table of what AWS does and its sources.
with open(Path(__file__).resolve().parent / "fixtures" / "global_rules.json", encoding="utf-8") as _f:
    _GLOBAL = json.load(_f)
GLOBAL_RULES = {row["const"]: declare(row["name"], service=EC, operations=tuple(row["operations"]), aws=row["aws"],
                                      error=row["error"], source=row["source"], tests=tuple(_GLOBAL["tests"]))
                for row in _GLOBAL["rules"]}
