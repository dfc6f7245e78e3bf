"""Application Auto Scaling for ElastiCache replication groups (awsJson 1.1).

moto 5.2.1 has Application Auto Scaling but not the `elasticache` namespace ("Unsupported
service namespace"), and answers a missing target with ValidationException where the model
says ObjectNotFoundException. Requests for the `elasticache` namespace are served here; every
other namespace goes to moto. The input has already passed model validation (validation.py);
the ElastiCache-specific rules (rules_catalog.py, section "application auto scaling") run here
because they need the replication group's state.

Scaling itself (AWS adding shards or replicas on a CloudWatch alarm) is not emulated: a test
moves the counts with ElastiCache calls, as the autoscaler would.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import rules
import rules_catalog as R
from protocols import ACCOUNT_ID, AWSError, Response, request_id

NAMESPACE = "elasticache"
OPERATIONS = frozenset({
    "RegisterScalableTarget", "DescribeScalableTargets", "DeregisterScalableTarget",
    "PutScalingPolicy", "DescribeScalingPolicies", "DeleteScalingPolicy",
})
# The service-linked role Application Auto Scaling uses for ElastiCache (AWS docs,
# AutoScaling-Policies.html: AWSServiceRoleForApplicationAutoScaling_ElastiCacheRG).
ROLE = ("arn:aws:iam::{account}:role/aws-service-role/elasticache.application-autoscaling.amazonaws.com/"
        "AWSServiceRoleForApplicationAutoScaling_ElastiCacheRG")


def validation(message: str) -> AWSError:
    return AWSError("ValidationException", message, status=400)


def not_found(message: str) -> AWSError:
    return AWSError("ObjectNotFoundException", message, status=400)


class AppAutoScaling:
    def __init__(self) -> None:
        # region -> (resource id, dimension) -> target / (resource id, dimension, name) -> policy
        self.targets: dict[str, dict[tuple[str, str], dict]] = {}
        self.policies: dict[str, dict[tuple[str, str, str], dict]] = {}

    @staticmethod
    def handles(operation: str, params: dict | None) -> bool:
        return operation in OPERATIONS and isinstance(params, dict) and params.get("ServiceNamespace") == NAMESPACE

    def handle(self, region: str, operation: str, params: dict, elasticache: Any) -> Response:
        targets = self.targets.setdefault(region, {})
        policies = self.policies.setdefault(region, {})
        out = getattr(self, "op_" + operation)(region, targets, policies, params, elasticache)
        body = json.dumps(out).encode("utf-8")
        return 200, {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": request_id()}, body

    def resources(self) -> list[dict]:
        """Scalable targets ("<resource id>|<dimension>") and policies ("...|<policy name>")."""
        out = [{"id": f"{rid}|{dim}", "status": "registered", "region": r}
               for r, ts in sorted(self.targets.items()) for (rid, dim) in sorted(ts)]
        return out + [{"id": "|".join(key), "status": "policy", "region": r}
                      for r, ps in sorted(self.policies.items()) for key in sorted(ps)]

    # ------------------------------------------------------------------ targets

    def op_RegisterScalableTarget(self, region: str, targets: dict, policies: dict, p: dict, ec: Any) -> dict:
        rid, dim = p["ResourceId"], p["ScalableDimension"]
        key = (rid, dim)
        current = targets.get(key)
        lo = p.get("MinCapacity", current["MinCapacity"] if current else None)
        hi = p.get("MaxCapacity", current["MaxCapacity"] if current else None)
        if rules.active(R.AAS_NEW_TARGET_NEEDS_BOUNDS) and (lo is None or hi is None):
            raise validation("MinCapacity and MaxCapacity are required when registering a new scalable target.")
        if rules.active(R.AAS_NEW_TARGET_NEEDS_BOUNDS) and lo is not None and hi is not None and lo > hi:
            raise validation(f"Minimum capacity cannot be greater than maximum capacity ({lo} > {hi}).")
        target = current or {
            "ServiceNamespace": NAMESPACE, "ResourceId": rid, "ScalableDimension": dim,
            "RoleARN": p.get("RoleARN") or ROLE.format(account=ACCOUNT_ID), "CreationTime": time.time(),
            "ScalableTargetARN": f"arn:aws:application-autoscaling:{region}:{ACCOUNT_ID}:scalable-target/{uuid.uuid4().hex[:28]}",
            "SuspendedState": {"DynamicScalingInSuspended": False, "DynamicScalingOutSuspended": False, "ScheduledScalingSuspended": False},
        }
        target["MinCapacity"], target["MaxCapacity"] = lo, hi
        if p.get("SuspendedState"):
            target["SuspendedState"].update(p["SuspendedState"])
        targets[key] = target
        if rules.active(R.AAS_REGISTER_CLAMPS) and lo is not None and hi is not None:
            clamp_capacity(ec, region, rid, dim, lo, hi)
        return {"ScalableTargetARN": target["ScalableTargetARN"]}

    def op_DescribeScalableTargets(self, region: str, targets: dict, policies: dict, p: dict, ec: Any) -> dict:
        ids, dim = p.get("ResourceIds") or [], p.get("ScalableDimension")
        found = [t for (rid, d), t in targets.items() if (not ids or rid in ids) and (not dim or d == dim)]
        return {"ScalableTargets": found}

    def op_DeregisterScalableTarget(self, region: str, targets: dict, policies: dict, p: dict, ec: Any) -> dict:
        key = (p["ResourceId"], p["ScalableDimension"])
        if key not in targets and not rules.active(R.AAS_DEREGISTER_DELETES_POLICIES):
            return {}
        if key not in targets:
            raise not_found(f"No scalable target registered for service namespace: {NAMESPACE}, resource ID: {key[0]}, "
                            f"scalable dimension: {key[1]}")
        del targets[key]
        if rules.active(R.AAS_DEREGISTER_DELETES_POLICIES):
            for pkey in [k for k in policies if k[:2] == key]:
                del policies[pkey]
        return {}

    # ------------------------------------------------------------------ policies

    def op_PutScalingPolicy(self, region: str, targets: dict, policies: dict, p: dict, ec: Any) -> dict:
        rid, dim, name = p["ResourceId"], p["ScalableDimension"], p["PolicyName"]
        if rules.active(R.AAS_POLICY_NEEDS_TARGET) and (rid, dim) not in targets:
            raise not_found(f"No scalable target registered for service namespace: {NAMESPACE}, resource ID: {rid}, "
                            f"scalable dimension: {dim}")
        key = (rid, dim, name)
        arn = (policies[key]["PolicyARN"] if key in policies else
               f"arn:aws:autoscaling:{region}:{ACCOUNT_ID}:scalingPolicy:{uuid.uuid4()}:resource/{NAMESPACE}/{rid}:policyName/{name}")
        alarms = [{"AlarmName": f"TargetTracking-{rid}-{side}-{uuid.uuid4()}",
                   "AlarmARN": f"arn:aws:cloudwatch:{region}:{ACCOUNT_ID}:alarm:TargetTracking-{rid}-{side}"} for side in ("AlarmHigh", "AlarmLow")]
        policies[key] = {
            "PolicyARN": arn, "PolicyName": name, "ServiceNamespace": NAMESPACE, "ResourceId": rid, "ScalableDimension": dim,
            "PolicyType": p.get("PolicyType") or "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration": p.get("TargetTrackingScalingPolicyConfiguration"),
            "Alarms": alarms, "CreationTime": time.time(),
        }
        return {"PolicyARN": arn, "Alarms": alarms}

    def op_DescribeScalingPolicies(self, region: str, targets: dict, policies: dict, p: dict, ec: Any) -> dict:
        names, rid, dim = p.get("PolicyNames") or [], p.get("ResourceId"), p.get("ScalableDimension")
        found = [v for (r, d, n), v in policies.items()
                 if (not names or n in names) and (not rid or r == rid) and (not dim or d == dim)]
        return {"ScalingPolicies": found}

    def op_DeleteScalingPolicy(self, region: str, targets: dict, policies: dict, p: dict, ec: Any) -> dict:
        key = (p["ResourceId"], p["ScalableDimension"], p["PolicyName"])
        if key not in policies:
            raise not_found(f"No scaling policy found for service namespace: {NAMESPACE}, resource ID: {key[0]}, "
                            f"scalable dimension: {key[1]}: policy name: {key[2]}")
        del policies[key]
        return {}


def clamp_capacity(ec: Any, region: str, rid: str, dim: str, lo: int, hi: int) -> None:
    """Moves the group's shard or replica count into [lo, hi], as AWS does on registration,
    through the ElastiCache handlers (the group is then modifying, as after a scaling action)."""
    reg = ec.region(region)
    ec.refresh(reg)
    rg = reg.replication_groups.get(rid.split("/", 1)[1].lower())
    if rg is None or rg.life.status != "available" or not rg.node_groups:
        return
    if dim.endswith(":Replicas"):
        have = len(rg.node_groups[0].members) - 1
        want = min(max(have, lo), hi)
        if want != have:
            op = ec.op_IncreaseReplicaCount if want > have else ec.op_DecreaseReplicaCount
            op(reg, {"ReplicationGroupId": rg.id, "NewReplicaCount": want, "ApplyImmediately": True})
        return
    have = len(rg.node_groups)
    want = min(max(have, lo), hi)
    if want != have:
        keep = [ng.id for ng in rg.node_groups[:want]]
        ec.op_ModifyReplicationGroupShardConfiguration(reg, {"ReplicationGroupId": rg.id, "NodeGroupCount": want, "ApplyImmediately": True,
                                                             "NodeGroupsToRetain": keep if want < have else None})
