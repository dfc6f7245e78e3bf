"""The catalog of AWS's semantic rules the emulator enforces (see rules.py for the mechanism).

Each entry names what AWS does, the error it answers, where that is written down, and the tests
that show the emulator rejecting and accepting. The rules a handler checks inline (they need state
the handler works out) are rows of rules_catalog.toml, a table, since they are data; each becomes
a constant of this module (`R.MULTI_AZ_NEEDS_FAILOVER`), the name the handler passes to
`rules.active`. `@rule` entries, below, run before the handler. RULES.md is rendered from both:
`python3 test/emulator/rules.py --markdown > test/emulator/RULES.md`.
"""

from __future__ import annotations

import os
import tomllib
from typing import Any

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

TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rules_catalog.toml")


def _field(value: Any) -> Any:
    """A table cell as declare takes it: lists as tuples, a text's line breaks as spaces."""
    if isinstance(value, list):
        return tuple(value)
    return " ".join(value.split()) if isinstance(value, str) else value


def _declare_table(path: str) -> dict[str, str]:
    """Registers every row of the table; returns the rule name of each row's key. A row with a
    missing or unknown field fails here (declare's keywords), when the emulator starts."""
    with open(path, "rb") as f:
        table = tomllib.load(f)
    return {key: declare(**{k: _field(v) for k, v in row.items()}) for key, row in table.items()}


# The table's keys become module constants: handlers write `rules.active(R.CW_PERIOD)`.
globals().update(_declare_table(TABLE))

# ---------------------------------------------------------------- log groups

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

# The global datastore rules (ext_global.py) are rows of rules_catalog.toml (GLOBAL_*).


# ---------------------------------------------------------------- application auto scaling (ElastiCache)

AAS = "application-autoscaling"
BOTO_AAS = "botocore application-autoscaling 2016-02-06 service-2.json"
AAS_DOCS = "AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling.html"
RG_DIMENSIONS = ("elasticache:replication-group:NodeGroups", "elasticache:replication-group:Replicas")
# Prerequisites (AAS_DOCS): instance families and sizes ElastiCache auto scaling supports.
AAS_FAMILIES = ("r7g", "r6g", "r6gd", "r5", "m7g", "m6g", "m5", "c7gn")
AAS_SIZES = ("large", "xlarge", "2xlarge")
# Predefined metrics per dimension (AWS docs AutoScaling-Scaling-Defining-Policy-API.html for
# shards, AutoScaling-Using-Replicas.html for replicas).
AAS_METRICS = {
    "elasticache:replication-group:NodeGroups": ("ElastiCachePrimaryEngineCPUUtilization", "ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage",
                                                 "ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage"),
    "elasticache:replication-group:Replicas": ("ElastiCacheReplicaEngineCPUUtilization",),
}


def _version(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split(".") if x.isdigit())


def _target_group(ctx: Context) -> Any:
    """The replication group a request's ResourceId names (replication-group/<id>), or None."""
    rid = ctx.params.get("ResourceId") or ""
    if not rid.startswith("replication-group/"):
        return None
    return ctx.elasticache().replication_groups.get(rid.split("/", 1)[1].lower())


@rule("aas-elasticache-target-is-a-replication-group", service=AAS, operations=("RegisterScalableTarget",),
      aws="An ElastiCache scalable target is replication-group/<id> of an existing replication group, with the dimension "
          "elasticache:replication-group:NodeGroups or :Replicas.",
      error="ValidationException",
      source=f"{BOTO_AAS} RegisterScalableTarget.ResourceId (\"Amazon ElastiCache replication group - The resource type is "
             "replication-group and the unique identifier is the replication group name\") and ScalableDimension",
      tests=("TestEmulatorAppAutoScaling", "TestAccStack_autoscaling"))
def _aas_target(ctx: Context) -> None:
    if ctx.params.get("ServiceNamespace") != "elasticache" or ctx.params.get("ScalableDimension") not in RG_DIMENSIONS:
        return
    if _target_group(ctx) is None:
        raise AWSError("ValidationException", f"Unable to find replication group for resource {ctx.params.get('ResourceId')}.", status=400)


@rule("aas-elasticache-prerequisites", service=AAS, operations=("RegisterScalableTarget",),
      aws="ElastiCache auto scaling needs cluster mode enabled, Valkey 7.2+ or Redis OSS 6.0+ (7.0.7+ with data tiering), "
          "a node of the R7g, R6g, R6gd, R5, M7g, M6g, M5 or C7gn family in size large, xlarge or 2xlarge, and a group "
          "outside global datastores.",
      error="ValidationException",
      source=f"{AAS_DOCS} (Prerequisites)",
      tests=("TestEmulatorAppAutoScaling",))
def _aas_prerequisites(ctx: Context) -> None:
    rg = _target_group(ctx) if ctx.params.get("ServiceNamespace") == "elasticache" else None
    if rg is None:
        return
    family, size = (rg.cache_node_type.split(".") + ["", ""])[1:3]
    floor = {"valkey": (7, 2)}.get(rg.engine, (7, 0, 7) if family == "r6gd" else (6, 0))
    why = ""
    if getattr(rg, "global_id", None):
        why = f"it is a member of global datastore {rg.global_id}"
    elif not rg.cluster_enabled:
        why = "cluster mode is not enabled"
    elif _version(rg.engine_version) < floor:
        why = f"{rg.engine} {rg.engine_version} is older than {'.'.join(map(str, floor))}"
    elif family not in AAS_FAMILIES or size not in AAS_SIZES:
        why = f"node type {rg.cache_node_type} is not supported"
    if why:
        raise AWSError("ValidationException", f"Replication group {rg.id} does not support auto scaling: {why}.", status=400)


@rule("aas-elasticache-metric-per-dimension", service=AAS, operations=("PutScalingPolicy",),
      aws="ElastiCache takes target tracking policies only; shards track primary CPU, memory or capacity "
          "(memory not on data-tiered R6gd nodes), replicas track replica CPU.",
      error="ValidationException",
      source=f"{BOTO_AAS} PutScalingPolicy.PolicyType (\"StepScaling—Not supported for ... Amazon ElastiCache\"); AWS docs "
             "AutoScaling-Scaling-Defining-Policy-API.html, AutoScaling-Using-Replicas.html, AutoScaling-Scaling-Policies-Target.html "
             "(Ineligible Instance Types: R6gd for ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage)",
      tests=("TestEmulatorAppAutoScaling", "TestAccStack_autoscaling"))
def _aas_metric(ctx: Context) -> None:
    p, dim = ctx.params, ctx.params.get("ScalableDimension")
    if p.get("ServiceNamespace") != "elasticache" or dim not in AAS_METRICS:
        return
    if (p.get("PolicyType") or "TargetTrackingScaling") != "TargetTrackingScaling":
        raise AWSError("ValidationException", f"ElastiCache supports only TargetTrackingScaling policies, not {p.get('PolicyType')}.", status=400)
    spec = (p.get("TargetTrackingScalingPolicyConfiguration") or {}).get("PredefinedMetricSpecification") or {}
    metric = spec.get("PredefinedMetricType")
    if metric is not None and metric not in AAS_METRICS[dim]:
        raise AWSError("ValidationException", f"Predefined metric {metric} is not supported for {dim}; use one of {', '.join(AAS_METRICS[dim])}.", status=400)
    rg = _target_group(ctx)
    if metric == "ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage" and rg is not None and rg.cache_node_type.startswith("cache.r6gd."):
        raise AWSError("ValidationException", f"{metric} is not supported for data-tiered node type {rg.cache_node_type}.", status=400)


@rule("aas-elasticache-target-value-range", service=AAS, operations=("PutScalingPolicy",),
      aws="An ElastiCache target tracking policy's target value is 35 to 70 (percent).",
      error="ValidationException",
      source="AWS docs AutoScaling-Using-Replicas.html (\"You can set the utilization target between 35 percent and 70 "
             "percent\") and AutoScaling-Scaling-Adding-Policy-Shards.html (\"a value greater than or equal to 35 and less "
             "than or equal to 70\")",
      tests=("TestEmulatorAppAutoScaling",))
def _aas_target_value(ctx: Context) -> None:
    if ctx.params.get("ServiceNamespace") != "elasticache" or ctx.params.get("ScalableDimension") not in AAS_METRICS:
        return
    value = (ctx.params.get("TargetTrackingScalingPolicyConfiguration") or {}).get("TargetValue")
    if value is not None and not 35 <= value <= 70:
        raise AWSError("ValidationException", f"TargetValue {value} is out of range: it must be between 35 and 70.", status=400)
